// ByteStream: the decompressed bytes of one input, read in order, in pieces.
//
// Every reader (core/readers/reader.h) reads its input through a ByteStream,
// so every format is read the same way whether it is plain, gzip (zlib),
// zstd (libzstd), xz (liblzma) or bzip2 (libbz2). Several compressed
// streams written one after another read as one stream: gzip members (as
// .warc.gz files are), zstd frames, xz streams, bzip2 streams (as pbzip2 and
// lbzip2 write them). The compression is decided by the first bytes (gzip
// 1F 8B, zstd 28 B5 2F FD, xz FD 37 7A 58 5A 00, bzip2 "BZh" and a digit
// 1-9), never by the file name, so a `.gz` that is plain text and a
// `.jsonl` that is compressed both read right. Legacy .lzma files (no magic
// bytes) are not decompressed. Memory is a fixed buffer (a few hundred KB)
// whatever the size of the input, plus the decoder's state, which the
// file's compression settings bound: gzip 32 KiB, bzip2 under 4 MiB, zstd
// and xz their window or dictionary (9 MiB for xz -6, 65 MiB for xz -9; at
// most 128 MiB for zstd and 256 MiB for xz, a file needing more is refused
// as damaged).
//
// Errors (unreadable file, truncated or corrupt compressed data) end the
// stream: Read returns what was decoded before the damage, then end, and
// error() says what went wrong and how to fix it, in the words of a
// ParseError message ("truncated gzip data after 1,234,567 bytes: ...").
//
// A ByteStream is used by one thread at a time (not synchronised).
#ifndef PUNDIT_CORE_READERS_BYTE_STREAM_H_
#define PUNDIT_CORE_READERS_BYTE_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace pundit::readers {

enum class Compression { kNone, kGzip, kZstd, kXz, kBzip2 };

// "plain", "gzip", "zstd", "xz", "bzip2".
const char* CompressionName(Compression c);

class ByteStream {
 public:
  // Opens a regular file, or standard input for "-". kNotFound / kIoError
  // with a message that names the file; a FIFO, socket or device (other than
  // "-") is refused with kInvalidArgument (opening it never blocks).
  static Result<std::unique_ptr<ByteStream>> OpenFile(const std::string& path);
  // Over bytes held in memory (tests, fuzzers, payloads of other records:
  // a WARC record's HTML), decompressed likewise.
  static std::unique_ptr<ByteStream> FromString(std::string bytes);
  // Over raw bytes pulled on demand (a member of an archive), decompressed
  // likewise. `source(buf, n, &error)` fills up to n bytes of buf and
  // returns how many, 0 at the end; on damage it sets *error (a ParseError
  // message) and the stream ends there. `raw_size` when known, else 0.
  using Source = std::function<size_t(char* buf, size_t n, std::string* error)>;
  static std::unique_ptr<ByteStream> FromSource(Source source,
                                                uint64_t raw_size);

  ~ByteStream();
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;

  // The next decompressed bytes, at least one, without consuming them;
  // empty at the end of the stream (or after an error). Call Consume to
  // move on. The view stays valid until the next call of a non-const
  // method.
  std::string_view Buffered();
  // Marks the first n bytes of Buffered() as read (n <= its size).
  void Consume(size_t n);
  // Up to `n` bytes from the current position without consuming them
  // (fewer only at the end of the stream); n <= 64 KiB.
  std::string_view Peek(size_t n);
  // Copies up to `n` bytes into `out` and consumes them; 0 at the end.
  size_t Read(char* out, size_t n);

  // Set once the stream ended because of damage; "" otherwise.
  const std::string& error() const;
  Compression compression() const;
  // Decompressed bytes consumed so far.
  uint64_t position() const;
  // Raw (still compressed) bytes taken from the file so far: how far a
  // progress bar is through the file.
  uint64_t raw_bytes_read() const;
  // The size of the file in raw bytes when known (a regular file), else 0.
  uint64_t raw_size() const;
  // Hex FNV-1a 64 of every raw byte read so far (the whole file once the
  // stream is at its end): the file state of an incremental run.
  std::string RawHashHex() const;

 private:
  friend Result<std::string> HashFile(const std::string& path);
  struct Impl;
  explicit ByteStream(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Reads a ByteStream line by line, with a limit on the length of a line
// that holds memory to that limit: a longer line is skipped unread (only
// its length is counted). Lines end at '\n'; a '\r' before it is dropped.
// A UTF-8 byte order mark at the start of the stream is dropped.
class LineReader {
 public:
  LineReader(ByteStream* in, size_t max_line_bytes);

  enum class Result {
    kLine,     // *line is the next line (valid until the next call)
    kTooLong,  // the next line was longer than the limit and was skipped
    kEnd,      // no more lines (see the stream's error())
  };
  Result Next(std::string_view* line);
  // 1-based number of the line last returned (or skipped).
  int line_number() const { return line_number_; }
  // Bytes of the line last skipped as too long (without its '\n').
  uint64_t skipped_bytes() const { return skipped_bytes_; }

 private:
  ByteStream* in_;
  size_t max_;
  int line_number_ = 0;
  uint64_t skipped_bytes_ = 0;
  bool started_ = false;
  std::string line_;
};

// Hex FNV-1a 64 of a file's raw bytes, read in pieces (a touched file whose
// size is unchanged is compared with its stored hash before it is parsed).
Result<std::string> HashFile(const std::string& path);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_BYTE_STREAM_H_
