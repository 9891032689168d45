// libFuzzer target: the CSV and TSV reader (core/readers/csv_reader.h) on
// arbitrary bytes, read as a stream (plain, gzip, zstd, xz or bzip2 by
// the first bytes). The first byte picks the delimiter and a --map; the reader
// must never crash, hang or hold more than a row, every article has a title and
// an id, and every error and notice says something.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/readers/byte_stream.h"
#include "core/readers/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  using pundit::readers::ReadItem;
  pundit::readers::ReaderOptions options;
  options.path = "fuzz.csv";
  options.id_base = "fuzz";
  options.max_record_bytes = 4096;
  if (data[0] & 2) options.column_map = {{"headline", "title"}, {"x", "body"}};
  if (data[0] & 4) options.shard = {1, 2};
  auto reader = pundit::readers::OpenCsvReader(
      pundit::readers::ByteStream::FromString(
          std::string(reinterpret_cast<const char*>(data) + 1, size - 1)),
      options, data[0] & 1 ? '\t' : pundit::readers::kSniffDelimiter);
  ReadItem item;
  while (reader->Next(&item)) {
    switch (item.kind) {
      case ReadItem::Kind::kArticle:
        if (item.article.title.empty() || item.article.id.empty()) std::abort();
        break;
      case ReadItem::Kind::kError:
        if (item.error.message.empty() || item.error.line < 1) std::abort();
        break;
      case ReadItem::Kind::kNotice:
        if (item.notice.empty()) std::abort();
        break;
      case ReadItem::Kind::kOtherShard:  // an id, and nothing more read
        if (item.article.id.empty() || !item.article.title.empty() ||
            options.shard.Keeps(item.article.id)) {
          std::abort();
        }
        break;
    }
  }
  return 0;
}
