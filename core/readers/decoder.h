// Decoder: one compression format decoded in pieces, the interface under
// ByteStream (core/readers/byte_stream.h), which owns the buffers, the
// reading of raw bytes and the error messages; a Decoder only turns the raw
// bytes it is given into decompressed bytes. Internal to core/readers.
//
// Every Decoder reads several streams written one after another (gzip
// members, zstd frames, xz and bzip2 streams) as one, and keeps a state of
// bounded size whatever the size of the input.
#ifndef PUNDIT_CORE_READERS_DECODER_H_
#define PUNDIT_CORE_READERS_DECODER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace pundit::readers {

class Decoder {
 public:
  // What one Run did.
  struct Step {
    size_t consumed = 0;  // bytes of `in` used (the caller drops them)
    size_t produced = 0;  // bytes written to the start of `out`
    // The library's words when the data is damaged ("invalid block type");
    // the stream cannot go on. "" otherwise.
    std::string damage;
  };

  virtual ~Decoder() = default;

  // Decodes from `in` into out[0, out_size). `input_ended`: `in` holds the
  // last raw bytes there are (it may be empty), so the decoder finishes
  // what it can. Neither consuming nor producing anything means the decoder
  // needs more input than it was given (or, with input_ended, that it has
  // nothing more to give). out_size > 0.
  virtual Step Run(std::string_view in, bool input_ended, char* out,
                   size_t out_size) = 0;

  // True when the bytes decoded so far end exactly at the end of a
  // complete stream: the input may end here without damage.
  virtual bool AtStreamEnd() const = 0;
};

// A decoder of gzip (zlib; concatenated members read as one). Null when
// zlib cannot start (out of memory).
std::unique_ptr<Decoder> NewGzipDecoder();
// A decoder of zstd (libzstd; concatenated frames read as one). Null when
// libzstd cannot start (out of memory).
std::unique_ptr<Decoder> NewZstdDecoder();
// A decoder of xz (liblzma; concatenated streams and stream padding read as
// one). Null when liblzma cannot start. A stream that needs more than
// 256 MiB to decode (a dictionary larger than xz -9's 64 MiB) is damage.
// Legacy .lzma (LZMA_Alone) is not read.
std::unique_ptr<Decoder> NewXzDecoder();
// A decoder of bzip2 (libbz2; concatenated streams, as pbzip2 and lbzip2
// write them, read as one). Null when libbz2 cannot start.
std::unique_ptr<Decoder> NewBzip2Decoder();

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_DECODER_H_
