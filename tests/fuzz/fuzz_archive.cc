// libFuzzer target: the archive reader (core/readers/archive_reader.h) and
// the plain text reader (core/readers/markdown_reader.h OpenTextReader) on
// arbitrary bytes. The first byte picks which (bit 0: archive). Neither may
// crash, hang or hold more than a record; every article has a title and an
// id, every error and notice says something, and an error's or article's
// path is the input's own or a member's below it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/readers/archive_reader.h"
#include "core/readers/byte_stream.h"
#include "core/readers/markdown_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  using pundit::readers::ReadItem;
  const bool archive = data[0] & 1;
  pundit::readers::ReaderOptions options;
  options.path = archive ? "fuzz.zip" : "fuzz.txt";
  options.id_base = "dir/fuzz";
  options.max_record_bytes = 4096;
  auto in = pundit::readers::ByteStream::FromString(
      std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  auto reader = archive
                    ? pundit::readers::OpenArchiveReader(std::move(in), options)
                    : pundit::readers::OpenTextReader(std::move(in), options);
  ReadItem item;
  while (reader->Next(&item)) {
    switch (item.kind) {
      case ReadItem::Kind::kArticle:
        if (item.article.title.empty() || item.article.id.empty() ||
            !item.article.path.starts_with(options.path)) {
          std::abort();
        }
        break;
      case ReadItem::Kind::kError:
        if (item.error.message.empty() || item.error.line < 1 ||
            !item.error.path.starts_with(options.path)) {
          std::abort();
        }
        break;
      case ReadItem::Kind::kNotice:
        if (item.notice.empty()) std::abort();
        break;
      case ReadItem::Kind::kOtherShard:  // no shard is given
        std::abort();
    }
  }
  return 0;
}
