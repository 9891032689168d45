// The decoders of core/readers/decoder.h.
#include "core/readers/decoder.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <climits>

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

}  // namespace pundit::readers
