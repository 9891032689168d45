// libFuzzer target: every article parser on arbitrary bytes. The first byte
// picks the format; the parsers must never crash, hang or read out of bounds,
// and every error must carry a message. The fourth choice reads the bytes
// as a stream (core/readers/byte_stream.h: plain, gzip, zstd, xz or bzip2,
// told by the first bytes) through the JSON Lines reader, with a small record
// limit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/parsers.h"
#include "core/readers/byte_stream.h"
#include "core/readers/jsonl_reader.h"

namespace {

void CheckArticle(const pundit::Article& a) {
  if (a.title.empty() || a.id.empty()) std::abort();
}

void ReadAsStream(std::string_view content) {
  pundit::readers::ReaderOptions options;
  options.path = "fuzz.jsonl";
  options.id_base = "fuzz";
  options.max_record_bytes = 4096;
  auto reader = pundit::readers::OpenJsonLinesReader(
      pundit::readers::ByteStream::FromString(std::string(content)), options);
  pundit::readers::ReadItem item;
  while (reader->Next(&item)) {
    if (item.kind == pundit::readers::ReadItem::Kind::kArticle) {
      CheckArticle(item.article);
    } else if (item.kind == pundit::readers::ReadItem::Kind::kError &&
               item.error.message.empty()) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 4 == 3) {
    ReadAsStream(content);
    return 0;
  }
  static constexpr pundit::InputFormat kFormats[] = {
      pundit::InputFormat::kSeedMarkdown, pundit::InputFormat::kFrontMatter,
      pundit::InputFormat::kJsonLines};
  pundit::InputFormat format = kFormats[data[0] % 4];
  pundit::ParseOutput out =
      pundit::ParseContent(format, content, "fuzz.input", "fuzz");
  for (const pundit::ParseError& e : out.errors) {
    if (e.message.empty()) std::abort();
  }
  for (const pundit::Article& a : out.articles) CheckArticle(a);
  return 0;
}
