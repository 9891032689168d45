// The JSON Lines reader (core/readers/jsonl_reader.h) and ParseJsonLines
// (core/parsers.h): one JSON object per line, read with simdjson's DOM
// parser, one line at a time from the stream so that a bad line costs only
// itself and a file of any size is read in the memory of its longest line.
// Fields (corpus/README.md): id, title, author/authors, date, region,
// theme, source, url, body, and optionally lede and bio.
#include "core/readers/jsonl_reader.h"

#include <simdjson.h>

#include <new>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/parse_text.h"
#include "core/parsers.h"
#include "core/readers/reader.h"

namespace pundit::readers {
namespace {

// An article is a flat object with lists of strings: 2 levels are enough;
// anything nested deeper than this is refused before it can cost much.
constexpr size_t kMaxJsonDepth = 32;

const char* TypeName(simdjson::dom::element_type type) {
  using T = simdjson::dom::element_type;
  switch (type) {
    case T::ARRAY:
      return "a list";
    case T::OBJECT:
      return "an object";
    case T::INT64:
    case T::UINT64:
    case T::DOUBLE:
      return "a number";
    case T::STRING:
      return "a string";
    case T::BOOL:
      return "true or false";
    case T::NULL_VALUE:
      return "null";
  }
  return "something else";
}

std::string Clean(std::string_view raw) {
  return parse::CleanText(parse::DecodeEntities(raw));
}

// Reads the fields of one object, remembering the first error.
class Fields {
 public:
  explicit Fields(simdjson::dom::object object) : object_(object) {}
  const std::string& error() const { return error_; }
  bool failed() const { return !error_.empty(); }

  // A string field; absent or null is "".
  std::string Text(const char* key, bool clean = true) {
    simdjson::dom::element value;
    if (object_[key].get(value) != simdjson::SUCCESS || value.is_null()) {
      return "";
    }
    std::string_view s;
    if (value.get(s) != simdjson::SUCCESS) {
      Fail(std::string("\"") + key + "\" must be a string, not " +
           TypeName(value.type()));
      return "";
    }
    return clean ? Clean(s) : std::string(s);
  }

  // A string or a list of strings; absent or null is empty.
  std::vector<std::string> List(const char* key, bool names) {
    std::vector<std::string> out;
    simdjson::dom::element value;
    if (object_[key].get(value) != simdjson::SUCCESS || value.is_null()) {
      return out;
    }
    std::string_view s;
    if (value.get(s) == simdjson::SUCCESS) {
      if (names) return parse::SplitNameList(parse::DecodeEntities(s));
      std::string item = Clean(s);
      if (!item.empty()) out.push_back(std::move(item));
      return out;
    }
    simdjson::dom::array array;
    if (value.get(array) != simdjson::SUCCESS) {
      Fail(std::string("\"") + key +
           "\" must be a string or a list of strings, not " +
           TypeName(value.type()));
      return out;
    }
    for (simdjson::dom::element item : array) {
      if (item.get(s) != simdjson::SUCCESS) {
        Fail(std::string("\"") + key +
             "\" must be a list of strings, but one item is " +
             TypeName(item.type()));
        return out;
      }
      std::string text = Clean(s);
      if (!text.empty()) out.push_back(std::move(text));
    }
    return out;
  }

  // "id": a string or an integer; "" when absent.
  std::string Id() {
    simdjson::dom::element value;
    if (object_["id"].get(value) != simdjson::SUCCESS || value.is_null()) {
      return "";
    }
    std::string_view s;
    if (value.get(s) == simdjson::SUCCESS) return parse::CleanText(s);
    int64_t i;
    if (value.get(i) == simdjson::SUCCESS) return std::to_string(i);
    uint64_t u;
    if (value.get(u) == simdjson::SUCCESS) return std::to_string(u);
    Fail(std::string("\"id\" must be a string or an integer, not ") +
         TypeName(value.type()));
    return "";
  }

  void Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }

 private:
  simdjson::dom::object object_;
  std::string error_;
};

// Parses one non-blank line into *article, or returns the message of its
// error. `line_number` is 1-based.
std::string ParseLine(simdjson::dom::parser& parser, std::string_view line,
                      int line_number, const ReaderOptions& options,
                      Article* article) {
  simdjson::dom::element doc;
  simdjson::error_code code = parser.parse(line.data(), line.size()).get(doc);
  // Memory running out is no fault of the line: not a bad record, but a
  // failed run (ArticleReader::Next).
  if (code == simdjson::MEMALLOC) throw std::bad_alloc();
  if (code == simdjson::DEPTH_ERROR) {
    return "JSON nested more than " + std::to_string(kMaxJsonDepth) +
           " levels deep: each line must be one flat article object";
  }
  if (code != simdjson::SUCCESS) {
    return std::string("invalid JSON (") + simdjson::error_message(code) +
           "): each line must be one complete JSON object";
  }
  simdjson::dom::object object;
  if (doc.get(object) != simdjson::SUCCESS) {
    return std::string("a line must be one JSON object {...}, not ") +
           TypeName(doc.type());
  }

  Fields fields(object);
  article->path = options.path;
  article->line = line_number;
  std::string id = fields.Id();
  article->title = fields.Text("title");
  article->authors = fields.List("author", /*names=*/true);
  if (article->authors.empty()) {
    article->authors = fields.List("authors", /*names=*/true);
  }
  std::string date_text = fields.Text("date");
  article->regions = fields.List("region", /*names=*/false);
  article->themes = fields.List("theme", /*names=*/false);
  article->source = fields.Text("source");
  article->url = fields.Text("url");
  article->lede = fields.Text("lede");
  article->bio = fields.Text("bio");
  std::string body = fields.Text("body", /*clean=*/false);
  if (fields.failed()) return fields.error();
  if (article->title.empty()) {
    // Scraped corpora often have a body but no headline: the opening words
    // of the body stand in, so the article is still found and shown.
    article->title =
        TitleFromBody(parse::CleanText(parse::DecodeEntities(body)));
    if (article->title.empty()) {
      return "no title and no body: every article needs a non-empty "
             "\"title\" or \"body\" string";
    }
  }
  if (!date_text.empty()) {
    std::string date_error;
    article->date = NormalizeDate(date_text, &date_error);
    if (article->date.empty()) return date_error;
  }
  article->id = RecordId(id, article->url,
                         options.id_base + ":" + std::to_string(line_number));
  article->body = PlainTextBlocks(parse::DecodeEntities(body));
  return "";
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
      std::string error =
          ParseLine(parser_, line, number, options_, &item->article);
      if (!error.empty()) return Error(item, number, std::move(error));
      item->kind = ReadItem::Kind::kArticle;
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
