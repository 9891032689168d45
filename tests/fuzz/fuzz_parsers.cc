// libFuzzer target: every article parser on arbitrary bytes. The first byte
// picks the format; the parsers must never crash, hang or read out of bounds,
// and every error must carry a message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/parsers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr pundit::InputFormat kFormats[] = {
      pundit::InputFormat::kSeedMarkdown, pundit::InputFormat::kFrontMatter,
      pundit::InputFormat::kJsonLines};
  pundit::InputFormat format = kFormats[data[0] % 3];
  std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
  pundit::ParseOutput out =
      pundit::ParseContent(format, content, "fuzz.input", "fuzz");
  for (const pundit::ParseError& e : out.errors) {
    if (e.message.empty()) std::abort();
  }
  for (const pundit::Article& a : out.articles) {
    if (a.title.empty()) std::abort();  // an article always has a title
  }
  return 0;
}
