// libFuzzer target: HTTP query-string handling. Arbitrary bytes are split
// into name=value pairs as a query string would be, then read by
// api::ParseSearchParams. It must never crash; it either accepts the request
// within the documented limits or returns kInvalidArgument with a message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "web/api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  pundit::api::Params params;
  size_t start = 0;
  while (start <= s.size()) {
    size_t amp = s.find('&', start);
    if (amp == std::string::npos) amp = s.size();
    std::string pair = s.substr(start, amp - start);
    size_t eq = pair.find('=');
    if (eq == std::string::npos) {
      params.emplace(pair, "");
    } else {
      params.emplace(pair.substr(0, eq), pair.substr(eq + 1));
    }
    start = amp + 1;
  }
  auto result = pundit::api::ParseSearchParams(params);
  if (result.ok()) {
    if (result->page < 1 || result->per_page < 1 ||
        result->per_page > pundit::kMaxPerPage) {
      std::abort();
    }
  } else if (result.status().message().empty()) {
    std::abort();
  }
  return 0;
}
