// The decoders of core/readers/decoder.h.
#include "core/readers/decoder.h"

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <cstdint>

namespace pundit::readers {
namespace {

// The most a library that counts in unsigned int takes in one call.
size_t ClampToUInt(size_t n) { return std::min<size_t>(n, UINT_MAX); }

class GzipDecoder : public Decoder {
 public:
  ~GzipDecoder() override {
    if (started_) inflateEnd(&z_);
  }

  // 16 + MAX_WBITS: a gzip header and trailer; members are restarted one
  // after another in Run.
  bool Start() {
    started_ = inflateInit2(&z_, 16 + MAX_WBITS) == Z_OK;
    return started_;
  }

  Step Run(std::string_view in, bool /*input_ended*/, char* out,
           size_t out_size) override {
    Step step;
    if (member_done_) {
      if (in.empty()) return step;
      // Another member follows (concatenated gzip, as .warc.gz is).
      if (inflateReset(&z_) != Z_OK) {
        step.damage = "cannot restart after a member";
        return step;
      }
      member_done_ = false;
    }
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(ClampToUInt(in.size()));
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(ClampToUInt(out_size));
    const uInt avail_in = z_.avail_in;
    const uInt avail_out = z_.avail_out;
    int rc = inflate(&z_, Z_NO_FLUSH);
    step.consumed = avail_in - z_.avail_in;
    step.produced = avail_out - z_.avail_out;
    if (rc == Z_STREAM_END) {
      member_done_ = true;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {  // Z_BUF_ERROR: needs input
      step.damage = z_.msg != nullptr ? z_.msg : "inflate failed";
    }
    return step;
  }

  bool AtStreamEnd() const override { return member_done_; }

 private:
  z_stream z_{};
  bool started_ = false;
  bool member_done_ = false;
};

class ZstdDecoder : public Decoder {
 public:
  ~ZstdDecoder() override { ZSTD_freeDStream(d_); }

  bool Start() {
    d_ = ZSTD_createDStream();
    return d_ != nullptr && !ZSTD_isError(ZSTD_initDStream(d_));
  }

  Step Run(std::string_view in, bool /*input_ended*/, char* out,
           size_t out_size) override {
    ZSTD_inBuffer zin{in.data(), in.size(), 0};
    ZSTD_outBuffer zout{out, out_size, 0};
    size_t rc = ZSTD_decompressStream(d_, &zout, &zin);
    Step step;
    step.consumed = zin.pos;
    step.produced = zout.pos;
    if (ZSTD_isError(rc)) {
      step.damage = ZSTD_getErrorName(rc);
    } else if (zin.pos > 0 || zout.pos > 0) {
      // Without progress the result is a hint for the next frame, not the
      // state of the last one.
      last_ = rc;
    }
    return step;
  }

  bool AtStreamEnd() const override { return last_ == 0; }

 private:
  ZSTD_DStream* d_ = nullptr;
  size_t last_ = 1;  // the last ZSTD_decompressStream result (0: frame end)
};

// liblzma's limit on the memory of one xz stream: xz -9 needs 65 MiB to
// decode, so any file made with the xz presets reads.
constexpr uint64_t kXzMemoryLimit = 256ULL << 20;

class XzDecoder : public Decoder {
 public:
  ~XzDecoder() override { lzma_end(&s_); }

  // LZMA_CONCATENATED: streams written one after another read as one, and
  // the end is known only when the caller says the input is over
  // (LZMA_FINISH).
  bool Start() {
    return lzma_stream_decoder(&s_, kXzMemoryLimit, LZMA_CONCATENATED) ==
           LZMA_OK;
  }

  Step Run(std::string_view in, bool input_ended, char* out,
           size_t out_size) override {
    Step step;
    if (done_) return step;
    s_.next_in = reinterpret_cast<const uint8_t*>(in.data());
    s_.avail_in = in.size();
    s_.next_out = reinterpret_cast<uint8_t*>(out);
    s_.avail_out = out_size;
    lzma_ret rc = lzma_code(&s_, input_ended ? LZMA_FINISH : LZMA_RUN);
    step.consumed = in.size() - s_.avail_in;
    step.produced = out_size - s_.avail_out;
    switch (rc) {
      case LZMA_OK:
      case LZMA_BUF_ERROR:  // no progress: more input is needed
        break;
      case LZMA_STREAM_END:
        done_ = true;
        break;
      case LZMA_MEMLIMIT_ERROR:
        step.damage =
            "needs more than 256 MiB of memory to decode; recompress with "
            "xz -9 or less";
        break;
      case LZMA_FORMAT_ERROR:
        step.damage = "not xz data";
        break;
      case LZMA_OPTIONS_ERROR:
        step.damage = "options this liblzma does not support";
        break;
      case LZMA_DATA_ERROR:
        step.damage = "compressed data is corrupt";
        break;
      case LZMA_MEM_ERROR:
        step.damage = "out of memory";
        break;
      default:
        step.damage = "lzma_code failed";
        break;
    }
    return step;
  }

  bool AtStreamEnd() const override { return done_; }

 private:
  lzma_stream s_ = LZMA_STREAM_INIT;
  bool done_ = false;
};

class Bzip2Decoder : public Decoder {
 public:
  ~Bzip2Decoder() override {
    if (started_) BZ2_bzDecompressEnd(&s_);
  }

  bool Start() {
    started_ = BZ2_bzDecompressInit(&s_, 0, 0) == BZ_OK;
    return started_;
  }

  Step Run(std::string_view in, bool /*input_ended*/, char* out,
           size_t out_size) override {
    Step step;
    if (stream_done_) {
      if (in.empty()) return step;
      // Another stream follows (pbzip2 and lbzip2 write many): start over.
      BZ2_bzDecompressEnd(&s_);
      s_ = bz_stream{};
      if (!Start()) {
        step.damage = "cannot restart after a stream";
        return step;
      }
      stream_done_ = false;
    }
    s_.next_in = const_cast<char*>(in.data());
    s_.avail_in = static_cast<unsigned>(ClampToUInt(in.size()));
    s_.next_out = out;
    s_.avail_out = static_cast<unsigned>(ClampToUInt(out_size));
    const unsigned avail_in = s_.avail_in;
    const unsigned avail_out = s_.avail_out;
    int rc = BZ2_bzDecompress(&s_);
    step.consumed = avail_in - s_.avail_in;
    step.produced = avail_out - s_.avail_out;
    switch (rc) {
      case BZ_OK:
        break;
      case BZ_STREAM_END:
        stream_done_ = true;
        break;
      case BZ_DATA_ERROR_MAGIC:
        step.damage = "not bzip2 data";
        break;
      case BZ_DATA_ERROR:
        step.damage = "compressed data is corrupt";
        break;
      case BZ_MEM_ERROR:
        step.damage = "out of memory";
        break;
      default:
        step.damage = "BZ2_bzDecompress failed";
        break;
    }
    return step;
  }

  bool AtStreamEnd() const override { return stream_done_; }

 private:
  bz_stream s_{};
  bool started_ = false;
  bool stream_done_ = false;
};

// A new T, started; null when it cannot start.
template <typename T>
std::unique_ptr<Decoder> Started() {
  auto d = std::make_unique<T>();
  if (!d->Start()) return nullptr;
  return d;
}

}  // namespace

std::unique_ptr<Decoder> NewGzipDecoder() { return Started<GzipDecoder>(); }
std::unique_ptr<Decoder> NewZstdDecoder() { return Started<ZstdDecoder>(); }
std::unique_ptr<Decoder> NewXzDecoder() { return Started<XzDecoder>(); }
std::unique_ptr<Decoder> NewBzip2Decoder() { return Started<Bzip2Decoder>(); }

}  // namespace pundit::readers
