// libFuzzer target: the HTTP request reader (web/http_request_reader.h).
// The first byte chooses how the rest is cut into reads (1 to 64 bytes at a
// time), as a network would; the rest is fed as one or more pipelined
// requests. It must never crash, never use more bytes than given, and
// either hand on a head within the limits (CRLF line ends, no body headers)
// or raise one of the documented statuses with a message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "web/http_request_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = 1 + data[0] % 64;
  const char* bytes = reinterpret_cast<const char*>(data + 1);
  size_t left = size - 1;
  pundit::HttpLimits limits;
  limits.max_request_line = 256;
  limits.max_header_line = 128;
  limits.max_header_count = 8;
  limits.max_header_bytes = 512;
  limits.max_body = 64;
  const pundit::HttpGuard::MethodPolicy policy = [](std::string_view) {
    return std::string("GET, HEAD, OPTIONS");
  };
  pundit::RequestReader reader(limits, policy);
  for (int request = 0; request < 16 && left > 0; ++request) {
    while (left > 0 && !reader.complete() && !reader.failed()) {
      size_t n = piece < left ? piece : left;
      size_t used = reader.Feed(bytes, n);
      if (used > n || (used < n && !reader.complete() && !reader.failed())) {
        std::abort();
      }
      bytes += used;
      left -= used;
    }
    if (reader.failed()) {
      int s = reader.error().status;
      if ((s != 400 && s != 405 && s != 413 && s != 414 && s != 431 &&
           s != 501 && s != 505) ||
          reader.error().reason.empty()) {
        std::abort();
      }
      return 0;
    }
    if (!reader.complete()) return 0;
    const std::string& head = reader.forward();
    if (!head.ends_with("\r\n\r\n") ||
        head.size() > limits.max_request_line + limits.max_header_bytes +
                          limits.max_header_count + 2 ||
        head.find("\nContent-Length:") != std::string::npos ||
        head.find("\nTransfer-Encoding:") != std::string::npos) {
      std::abort();
    }
    reader.Reset();
  }
  return 0;
}
