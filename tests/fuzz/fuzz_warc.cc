// libFuzzer target: the warc reader (core/readers/warc_reader.h) on arbitrary
// bytes. It must never crash, hang or read out of bounds; every article has
// a title and an id, every error and notice a message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "core/readers/byte_stream.h"
#include "core/readers/reader.h"
#include "core/readers/warc_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pundit::readers::ReaderOptions options;
  options.path = "fuzz.input";
  options.id_base = "fuzz";
  options.max_record_bytes = 1u << 20;
  std::unique_ptr<pundit::readers::ArticleReader> reader =
      pundit::readers::OpenWarcReader(
          pundit::readers::ByteStream::FromString(
              std::string(reinterpret_cast<const char*>(data), size)),
          options);
  pundit::readers::ReadItem item;
  while (reader->Next(&item)) {
    using Kind = pundit::readers::ReadItem::Kind;
    if (item.kind == Kind::kArticle &&
        (item.article.title.empty() || item.article.id.empty())) {
      std::abort();
    }
    if (item.kind == Kind::kError && item.error.message.empty()) std::abort();
    if (item.kind == Kind::kNotice && item.notice.empty()) std::abort();
  }
  if (reader->Next(&item)) std::abort();  // the end stays the end
  return 0;
}
