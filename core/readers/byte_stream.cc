// ByteStream and LineReader (core/readers/byte_stream.h).
#include "core/readers/byte_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/parse_text.h"
#include "core/readers/decoder.h"

namespace pundit::readers {
namespace {

constexpr size_t kRawBuffer = 128 << 10;
constexpr size_t kOutBuffer = 256 << 10;
constexpr size_t kMaxPeek = 64 << 10;
// The first bytes of an .xz stream.
constexpr unsigned char kXzMagic[6] = {0xFD, '7', 'z', 'X', 'Z', 0x00};

// FNV-1a 64, the hash schema::HashHex computes, kept as a running state.
class RunningHash {
 public:
  void Update(const char* data, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      h_ ^= static_cast<unsigned char>(data[i]);
      h_ *= 1099511628211ULL;
    }
  }
  std::string Hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx",
                  static_cast<unsigned long long>(h_));
    return std::string(buf, 16);
  }

 private:
  uint64_t h_ = 1469598103934665603ULL;
};

}  // namespace

const char* CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "plain";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
    case Compression::kXz:
      return "xz";
    case Compression::kBzip2:
      return "bzip2";
  }
  return "plain";
}

struct ByteStream::Impl {
  // The raw source: a file descriptor, a pull source, or bytes in memory.
  int fd = -1;
  ByteStream::Source source;
  bool own_fd = false;
  std::string memory;
  size_t memory_pos = 0;
  uint64_t raw_size = 0;
  uint64_t raw_read = 0;
  RunningHash hash;
  bool raw_eof = false;

  // Raw bytes taken from the source and not yet decoded.
  std::vector<char> raw;
  size_t raw_begin = 0, raw_end = 0;

  Compression compression = Compression::kNone;
  bool decided = false;
  std::unique_ptr<Decoder> decoder;  // null for kNone

  // Decoded bytes: out[out_begin, out_end) are buffered, not consumed.
  std::vector<char> out;
  size_t out_begin = 0, out_end = 0;
  uint64_t position = 0;
  bool ended = false;
  std::string error;

  ~Impl() {
    if (own_fd && fd >= 0) close(fd);
  }

  // Moves more raw bytes into `raw`; false at the end of the source or on
  // an error (then `error` is set).
  bool FillRaw() {
    if (raw_begin > 0 && raw_begin == raw_end) raw_begin = raw_end = 0;
    if (raw_begin > 0) {
      std::memmove(raw.data(), raw.data() + raw_begin, raw_end - raw_begin);
      raw_end -= raw_begin;
      raw_begin = 0;
    }
    if (raw_eof || raw_end == raw.size()) return false;
    size_t room = raw.size() - raw_end;
    size_t n = 0;
    if (fd >= 0) {
      for (;;) {
        ssize_t got = ::read(fd, raw.data() + raw_end, room);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
          error = std::string("cannot read: ") + std::strerror(errno);
          raw_eof = true;
          return false;
        }
        n = static_cast<size_t>(got);
        break;
      }
    } else if (source) {
      std::string source_error;
      n = source(raw.data() + raw_end, room, &source_error);
      if (!source_error.empty()) {
        error = std::move(source_error);
        raw_eof = true;
        return false;
      }
    } else {
      n = std::min(room, memory.size() - memory_pos);
      std::memcpy(raw.data() + raw_end, memory.data() + memory_pos, n);
      memory_pos += n;
    }
    if (n == 0) {
      raw_eof = true;
      return false;
    }
    hash.Update(raw.data() + raw_end, n);
    raw_end += n;
    raw_read += n;
    return true;
  }

  size_t RawAvailable() const { return raw_end - raw_begin; }

  void Decide() {
    decided = true;
    while (RawAvailable() < 6 && FillRaw()) {
    }
    const unsigned char* p =
        reinterpret_cast<const unsigned char*>(raw.data() + raw_begin);
    size_t n = RawAvailable();
    if (n >= 2 && p[0] == 0x1F && p[1] == 0x8B) {
      compression = Compression::kGzip;
      decoder = NewGzipDecoder();
    } else if (n >= 4 && p[0] == 0x28 && p[1] == 0xB5 && p[2] == 0x2F &&
               p[3] == 0xFD) {
      compression = Compression::kZstd;
      decoder = NewZstdDecoder();
    } else if (n >= sizeof kXzMagic &&
               std::memcmp(p, kXzMagic, sizeof kXzMagic) == 0) {
      compression = Compression::kXz;
      decoder = NewXzDecoder();
    } else if (n >= 4 && std::memcmp(p, "BZh", 3) == 0 && p[3] >= '1' &&
               p[3] <= '9') {
      compression = Compression::kBzip2;
      decoder = NewBzip2Decoder();
    } else {
      return;
    }
    if (decoder == nullptr) {
      Fail(std::string("cannot start ") + CompressionName(compression) +
           " decoding: out of memory");
    }
  }

  void Fail(std::string message) {
    if (error.empty()) error = std::move(message);
    ended = true;
  }

  // Decodes more bytes into out[out_end...]; false when nothing more will
  // come (end or error).
  bool Decode() {
    if (ended) return false;
    if (!decided) Decide();
    if (ended) return false;
    if (out_begin == out_end) out_begin = out_end = 0;
    return decoder == nullptr ? CopyPlain() : DecodeCompressed();
  }

  bool CopyPlain() {
    if (RawAvailable() == 0 && !FillRaw()) {
      ended = true;
      return false;
    }
    size_t n = std::min(RawAvailable(), out.size() - out_end);
    std::memcpy(out.data() + out_end, raw.data() + raw_begin, n);
    raw_begin += n;
    out_end += n;
    return true;
  }

  // "truncated gzip data after ...": `what` is "truncated" or "damaged",
  // `detail` the decoder's words ("" for none).
  std::string Damaged(std::string_view what, std::string_view detail) const {
    std::string message(what);
    message += ' ';
    message += CompressionName(compression);
    message += " data";
    if (!detail.empty()) {
      message += " (";
      message += detail;
      message += ')';
    }
    return message + " after " + parse::WithThousands(position) +
           " decompressed bytes (" + parse::WithThousands(raw_read) +
           " compressed bytes read): the file is cut short or damaged; " +
           "the records before it were read, download or copy it again";
  }

  // Runs the decoder until it writes something to `out`, taking raw
  // bytes as it needs them; false when nothing more will come: the end of
  // the last stream, or damage (then `error` is set).
  bool DecodeCompressed() {
    const size_t before = out_end;
    while (out_end == before) {
      if (RawAvailable() == 0) FillRaw();
      // raw_eof: what `raw` holds is all there is left.
      Decoder::Step step =
          decoder->Run(std::string_view(raw.data() + raw_begin, RawAvailable()),
                       raw_eof, out.data() + out_end, out.size() - out_end);
      raw_begin += step.consumed;
      out_end += step.produced;
      if (!step.damage.empty()) {
        Fail(Damaged("damaged", step.damage));
        return out_end > before;
      }
      if (step.consumed > 0 || step.produced > 0) continue;
      if (!raw_eof) {
        // The decoder wants more than `raw` holds; read more.
        if (!FillRaw() && !raw_eof) {
          Fail(Damaged("damaged", "no progress"));
          return false;
        }
        continue;
      }
      // The input is over and the decoder has nothing more to give.
      if (!error.empty()) {
        Fail(error);
      } else if (!decoder->AtStreamEnd()) {
        Fail(Damaged("truncated", ""));
      }
      ended = true;
      return false;
    }
    return true;
  }

  // Makes at least `want` bytes buffered, unless the stream ends first.
  void Ensure(size_t want) {
    if (out_end - out_begin >= want) return;
    if (out_begin > 0) {
      std::memmove(out.data(), out.data() + out_begin, out_end - out_begin);
      out_end -= out_begin;
      out_begin = 0;
    }
    while (out_end < want && Decode()) {
    }
  }
};

ByteStream::ByteStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  impl_->raw.resize(kRawBuffer);
  impl_->out.resize(kOutBuffer);
}

ByteStream::~ByteStream() = default;

Result<std::unique_ptr<ByteStream>> ByteStream::OpenFile(
    const std::string& path) {
  auto impl = std::make_unique<Impl>();
  if (path == "-") {
    impl->fd = STDIN_FILENO;
    return std::unique_ptr<ByteStream>(new ByteStream(std::move(impl)));
  }
  // O_NONBLOCK: opening a FIFO named like an article must not wait for a
  // writer; it is refused below like anything that is not a regular file.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    int err = errno;
    std::string msg = std::string("cannot read: ") + std::strerror(err);
    return err == ENOENT ? Status::NotFound(msg) : Status::IoError(msg);
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    std::string msg = std::string("cannot read: ") + std::strerror(errno);
    close(fd);
    return Status::IoError(msg);
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return Status::InvalidArgument(
        "not a regular file (a FIFO, socket or device): pass article files "
        "or folders only");
  }
  // Reads block as usual from here on.
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  impl->fd = fd;
  impl->own_fd = true;
  impl->raw_size = static_cast<uint64_t>(st.st_size);
  return std::unique_ptr<ByteStream>(new ByteStream(std::move(impl)));
}

std::unique_ptr<ByteStream> ByteStream::FromString(std::string bytes) {
  auto impl = std::make_unique<Impl>();
  impl->raw_size = bytes.size();
  impl->memory = std::move(bytes);
  return std::unique_ptr<ByteStream>(new ByteStream(std::move(impl)));
}

std::unique_ptr<ByteStream> ByteStream::FromSource(Source source,
                                                   uint64_t raw_size) {
  auto impl = std::make_unique<Impl>();
  impl->raw_size = raw_size;
  impl->source = std::move(source);
  return std::unique_ptr<ByteStream>(new ByteStream(std::move(impl)));
}

std::string_view ByteStream::Buffered() {
  Impl& s = *impl_;
  if (s.out_begin == s.out_end) s.Ensure(1);
  return std::string_view(s.out.data() + s.out_begin, s.out_end - s.out_begin);
}

void ByteStream::Consume(size_t n) {
  Impl& s = *impl_;
  n = std::min(n, s.out_end - s.out_begin);
  s.out_begin += n;
  s.position += n;
}

std::string_view ByteStream::Peek(size_t n) {
  Impl& s = *impl_;
  n = std::min(n, kMaxPeek);
  s.Ensure(n);
  return std::string_view(s.out.data() + s.out_begin,
                          std::min(n, s.out_end - s.out_begin));
}

size_t ByteStream::Read(char* out, size_t n) {
  size_t done = 0;
  while (done < n) {
    std::string_view b = Buffered();
    if (b.empty()) break;
    size_t k = std::min(b.size(), n - done);
    std::memcpy(out + done, b.data(), k);
    Consume(k);
    done += k;
  }
  return done;
}

const std::string& ByteStream::error() const { return impl_->error; }
Compression ByteStream::compression() const { return impl_->compression; }
uint64_t ByteStream::position() const { return impl_->position; }
uint64_t ByteStream::raw_bytes_read() const { return impl_->raw_read; }
uint64_t ByteStream::raw_size() const { return impl_->raw_size; }
std::string ByteStream::RawHashHex() const { return impl_->hash.Hex(); }

LineReader::LineReader(ByteStream* in, size_t max_line_bytes)
    : in_(in), max_(max_line_bytes) {}

LineReader::Result LineReader::Next(std::string_view* line) {
  if (!started_) {
    started_ = true;
    if (in_->Peek(3) == "\xEF\xBB\xBF") in_->Consume(3);
  }
  line_.clear();
  bool too_long = false;
  uint64_t length = 0;
  for (;;) {
    std::string_view b = in_->Buffered();
    if (b.empty()) {
      if (length == 0 && !too_long) return Result::kEnd;
      break;  // a last line without '\n'
    }
    size_t eol = b.find('\n');
    size_t take = eol == std::string_view::npos ? b.size() : eol;
    length += take;
    if (!too_long && length > max_) {
      too_long = true;
      line_.clear();
      line_.shrink_to_fit();
    }
    if (!too_long) line_.append(b.data(), take);
    in_->Consume(eol == std::string_view::npos ? take : take + 1);
    if (eol != std::string_view::npos) break;
  }
  ++line_number_;
  if (too_long) {
    skipped_bytes_ = length;
    return Result::kTooLong;
  }
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  *line = line_;
  return Result::kLine;
}

Result<std::string> HashFile(const std::string& path) {
  Result<std::unique_ptr<ByteStream>> in = ByteStream::OpenFile(path);
  if (!in.ok()) return in.status();
  // Raw bytes only: the decoder is never started.
  ByteStream::Impl& s = *(*in)->impl_;
  while (s.FillRaw()) s.raw_begin = s.raw_end;
  if (!s.error.empty()) return Status::IoError(s.error);
  return s.hash.Hex();
}

}  // namespace pundit::readers
