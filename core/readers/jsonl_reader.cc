// The JSON Lines reader (core/readers/jsonl_reader.h) and ParseJsonLines
// (core/parsers.h): one JSON object per line, read with simdjson's DOM
// parser, one line at a time from the stream so that a bad line costs only
// itself and a file of any size is read in the memory of its longest line.
// Keys as core/readers/json_record.h reads them (corpus/README.md).
#include "core/readers/jsonl_reader.h"

#include <simdjson.h>

#include <new>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/parse_text.h"
#include "core/parsers.h"
#include "core/readers/json_record.h"
#include "core/readers/reader.h"

namespace pundit::readers {
namespace {

// Parses one non-blank line into *article, or returns the message of its
// error. `line_number` is 1-based. *other_shard as ArticleFromJson sets it.
std::string ParseLine(simdjson::dom::parser& parser, std::string_view line,
                      int line_number, const ReaderOptions& options,
                      JsonKeys* keys, Article* article, bool* other_shard) {
  simdjson::dom::element doc;
  std::string error = ParseJsonValue(parser, line, "each line", &doc);
  if (!error.empty()) return error;
  simdjson::dom::object object;
  if (doc.get(object) != simdjson::SUCCESS) {
    return std::string("a line must be one JSON object {...}, not ") +
           JsonTypeName(doc.type());
  }
  return ArticleFromJson(object, options, line_number, "", keys, article,
                         other_shard);
}

class JsonLinesReader : public ArticleReader {
 public:
  JsonLinesReader(std::unique_ptr<ByteStream> in, const ReaderOptions& options)
      : in_(std::move(in)),
        options_(options),
        lines_(in_.get(), options.max_record_bytes) {
    // The parser grows to the longest line read; 4 KiB to start.
    if (parser_.allocate(4096, kMaxJsonDepth) != simdjson::SUCCESS) {
      failed_ = true;
    }
  }

  bool Next(ReadItem* item) override {
    if (done_) return false;
    if (failed_) {
      done_ = true;
      return Error(item, 1, "out of memory while reading JSON Lines");
    }
    for (;;) {
      std::string_view line;
      LineReader::Result r = lines_.Next(&line);
      if (r == LineReader::Result::kEnd) {
        done_ = true;
        if (!in_->error().empty()) {
          return Error(item, lines_.line_number() + 1, in_->error());
        }
        if (!any_record_) {
          return Error(item, 1,
                       "file is empty: write an article in it or delete it");
        }
        if (!keys_.unread().empty()) {
          item->kind = ReadItem::Kind::kNotice;
          item->notice =
              options_.path + ": note: " + UnreadKeysNote(keys_.unread());
          return true;
        }
        return false;
      }
      const int number = lines_.line_number();
      if (r == LineReader::Result::kTooLong) {
        any_record_ = true;
        return Error(item, number,
                     RecordTooLargeMessage(lines_.skipped_bytes(),
                                           options_.max_record_bytes, "line"));
      }
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      any_record_ = true;
      item->article = Article();
      bool other_shard = false;
      std::string error = ParseLine(parser_, line, number, options_, &keys_,
                                    &item->article, &other_shard);
      if (!error.empty()) return Error(item, number, std::move(error));
      item->kind =
          other_shard ? ReadItem::Kind::kOtherShard : ReadItem::Kind::kArticle;
      return true;
    }
  }

 private:
  bool Error(ReadItem* item, int line, std::string message) {
    item->kind = ReadItem::Kind::kError;
    item->error = ParseError{options_.path, line, std::move(message)};
    return true;
  }

  std::unique_ptr<ByteStream> in_;
  const ReaderOptions options_;
  LineReader lines_;
  simdjson::dom::parser parser_;
  JsonKeys keys_{options_};
  bool failed_ = false;
  bool done_ = false;
  bool any_record_ = false;  // a line that is not blank was read
};

}  // namespace

std::unique_ptr<ArticleReader> OpenJsonLinesReader(
    std::unique_ptr<ByteStream> in, const ReaderOptions& options) {
  return std::make_unique<JsonLinesReader>(std::move(in), options);
}

}  // namespace pundit::readers

namespace pundit {

ParseOutput ParseJsonLines(std::string_view content, const std::string& path,
                           const std::string& id_base) {
  ParseOutput out;
  readers::ReaderOptions options;
  options.path = path;
  options.id_base = id_base;
  std::unique_ptr<readers::ArticleReader> reader = readers::OpenJsonLinesReader(
      readers::ByteStream::FromString(std::string(content)), options);
  readers::ReadItem item;
  while (reader->Next(&item)) {
    if (item.kind == readers::ReadItem::Kind::kArticle) {
      out.articles.push_back(std::move(item.article));
    } else if (item.kind == readers::ReadItem::Kind::kError) {
      out.errors.push_back(std::move(item.error));
    }
  }
  return out;
}

}  // namespace pundit
