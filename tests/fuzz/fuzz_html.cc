// libFuzzer target: the HTML reader and the HTML path on arbitrary bytes.
// The bytes go through ByteStream::FromString (so compressed inputs are
// covered too) into the HTML reader; every item is pulled. An article must
// have a title and an id, every text must be valid UTF-8 and every block
// non-empty; an error must carry a message. HtmlFragmentBlocks and
// LooksLikeHtml see the same bytes. Seeds: tests/testdata/readers/html.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/parse_text.h"
#include "core/readers/byte_stream.h"
#include "core/readers/html_extract.h"
#include "core/readers/html_reader.h"
#include "core/readers/reader.h"

namespace {

void CheckText(std::string_view text) {
  if (pundit::parse::FindInvalidUtf8(text).found) std::abort();
}

void CheckBlocks(const std::vector<pundit::Block>& blocks) {
  for (const pundit::Block& b : blocks) {
    if (b.text.empty()) std::abort();
    CheckText(b.text);
  }
}

void CheckArticle(const pundit::Article& a) {
  if (a.title.empty() || a.id.empty()) std::abort();
  for (const std::string* s :
       {&a.id, &a.title, &a.date, &a.source, &a.url, &a.lede}) {
    CheckText(*s);
  }
  for (const auto* list : {&a.authors, &a.themes}) {
    for (const std::string& s : *list) {
      if (s.empty()) std::abort();
      CheckText(s);
    }
  }
  if (!a.date.empty() && a.date.size() != 10) std::abort();
  CheckBlocks(a.body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  pundit::readers::ReaderOptions options;
  options.path = "fuzz.html";
  options.id_base = "fuzz";
  std::unique_ptr<pundit::readers::ArticleReader> reader =
      pundit::readers::OpenHtmlReader(
          pundit::readers::ByteStream::FromString(bytes), options);
  pundit::readers::ReadItem item;
  int items = 0;
  while (reader->Next(&item)) {
    if (++items > 1) std::abort();  // one page, one item
    if (item.kind == pundit::readers::ReadItem::Kind::kArticle) {
      CheckArticle(item.article);
    } else if (item.error.message.empty()) {
      std::abort();
    }
  }
  if (items != 1) std::abort();
  CheckBlocks(pundit::readers::HtmlFragmentBlocks(bytes));
  (void)pundit::readers::LooksLikeHtml(bytes);
  return 0;
}
