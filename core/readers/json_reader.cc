// The JSON reader (core/readers/json_reader.h): a scanner finds where each
// top-level value (or array element) begins and ends, tracking strings,
// escapes and nesting byte by byte, and simdjson parses each one alone.
#include "core/readers/json_reader.h"

#include <simdjson.h>

#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/readers/json_record.h"
#include "core/readers/reader.h"

namespace pundit::readers {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// One value as the scanner found it.
struct Value {
  std::string bytes;   // empty when too_large
  int first_line = 0;  // 1-based line of its first byte
  int last_line = 0;   // 1-based line of its last byte
  uint64_t size = 0;   // bytes, kept or not
  bool too_large = false;
  bool complete = false;  // false: the input ended inside it
};

// Reads JSON values from a stream without parsing them.
class Scanner {
 public:
  Scanner(ByteStream* in, size_t max_bytes) : in_(in), max_(max_bytes) {}

  // Consumes white space; the next byte, or nullopt at the end.
  std::optional<char> SkipSpace() {
    for (;;) {
      std::string_view b = in_->Buffered();
      if (b.empty()) return std::nullopt;
      size_t i = 0;
      while (i < b.size() && IsSpace(b[i])) {
        if (b[i] == '\n') ++newlines_;
        ++i;
      }
      in_->Consume(i);
      if (i < b.size()) return b[i];
    }
  }

  void ConsumeOne() { in_->Consume(1); }

  // Reads the value that starts at the next (non-space) byte.
  Value Read() {
    Value v;
    v.first_line = line();
    int depth = 0;
    bool in_string = false, escape = false, scalar = false, started = false;
    for (;;) {
      std::string_view b = in_->Buffered();
      if (b.empty()) return v;  // incomplete, unless a scalar ended here
      size_t i = 0;
      bool end = false;
      for (; i < b.size(); ++i) {
        const char c = b[i];
        if (scalar && (IsSpace(c) || c == ',' || c == ']' || c == '}')) {
          end = true;
          break;
        }
        if (c == '\n') ++newlines_;
        if (in_string) {
          if (escape) {
            escape = false;
          } else if (c == '\\') {
            escape = true;
          } else if (c == '"') {
            in_string = false;
            if (depth == 0) {
              ++i;
              end = true;
              break;
            }
          }
          continue;
        }
        if (!started) {
          started = true;
          if (c == '"') {
            in_string = true;
            continue;
          }
          if (c != '{' && c != '[') {
            scalar = true;
            continue;
          }
        }
        if (c == '"') {
          in_string = true;
        } else if (c == '{' || c == '[') {
          ++depth;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) {
            ++i;
            end = true;
            break;
          }
        }
      }
      Keep(&v, b.substr(0, i));
      in_->Consume(i);
      if (end) {
        v.complete = true;
        v.last_line = line();
        return v;
      }
      if (scalar && in_->Buffered().empty()) {
        v.complete = true;
        v.last_line = line();
        return v;
      }
    }
  }

  // 1-based line of the next byte.
  int line() const { return newlines_ + 1; }

 private:
  // Adds `bytes` of a value to it, or only counts them once it is larger
  // than the limit (then nothing of it is held).
  void Keep(Value* v, std::string_view bytes) const {
    v->size += bytes.size();
    if (v->too_large) return;
    if (v->size > max_) {
      v->too_large = true;
      std::string().swap(v->bytes);
      return;
    }
    v->bytes.append(bytes);
  }

  ByteStream* in_;
  size_t max_;
  int newlines_ = 0;
};

class JsonReader : public ArticleReader {
 public:
  JsonReader(std::unique_ptr<ByteStream> in, const ReaderOptions& options)
      : in_(std::move(in)),
        options_(options),
        scanner_(in_.get(), options.max_record_bytes) {
    if (parser_.allocate(4096, kMaxJsonDepth) != simdjson::SUCCESS) {
      throw std::bad_alloc();
    }
  }

  bool Next(ReadItem* item) override {
    for (;;) {
      switch (mode_) {
        case Mode::kStart:
          if (Start(item)) return true;
          continue;
        case Mode::kArray:
          if (NextElement(item)) return true;
          continue;
        case Mode::kValues:
          if (NextValue(item)) return true;
          continue;
        case Mode::kLines:
          if (NextLine(item)) return true;
          continue;
        case Mode::kWrapped:
          if (NextWrapped(item)) return true;
          continue;
        case Mode::kEnd:
          mode_ = Mode::kDone;
          if (!keys_.unread().empty()) {
            item->kind = ReadItem::Kind::kNotice;
            item->notice =
                options_.path + ": note: " + UnreadKeysNote(keys_.unread());
            return true;
          }
          return false;
        case Mode::kDone:
          return false;
      }
    }
  }

 private:
  enum class Mode { kStart, kArray, kValues, kLines, kWrapped, kEnd, kDone };

  // Decides the shape from the first value; true when *item is filled.
  bool Start(ReadItem* item) {
    if (in_->Peek(3) == "\xEF\xBB\xBF") in_->Consume(3);
    std::optional<char> c = scanner_.SkipSpace();
    if (!c) {
      mode_ = Mode::kDone;
      return Error(item, scanner_.line(),
                   in_->error().empty()
                       ? "file is empty: write articles in it or delete it"
                       : in_->error());
    }
    if (*c == '[') {
      scanner_.ConsumeOne();
      mode_ = Mode::kArray;
      return false;
    }
    if (*c != '{') {
      mode_ = Mode::kDone;
      return Error(item, scanner_.line(),
                   std::string("a JSON file of articles holds an array of "
                               "article objects [{...}, ...], one object, or "
                               "one object per line; this one starts with '") +
                       *c + "'");
    }
    Value first = scanner_.Read();
    std::optional<char> next = scanner_.SkipSpace();
    if (!first.complete) return CutOff(item, first);
    if (!next) {
      mode_ = Mode::kEnd;
      return OneObject(item, first);
    }
    // Another value follows: one record per line, or objects in a row.
    mode_ =
        first.first_line == first.last_line && scanner_.line() > first.last_line
            ? Mode::kLines
            : Mode::kValues;
    if (mode_ == Mode::kLines) {
      line_offset_ = scanner_.line() - 1;
      lines_.emplace(in_.get(), options_.max_record_bytes);
    }
    return Record(item, first);
  }

  // The file's only value: an article, or a wrapper of a list of them.
  bool OneObject(ReadItem* item, const Value& v) {
    if (v.too_large) return TooLarge(item, v, "object");
    simdjson::dom::element doc;
    std::string error = ParseJsonValue(parser_, v.bytes, "the file", &doc);
    if (!error.empty()) return Error(item, v.first_line, std::move(error));
    simdjson::dom::object object;
    if (doc.get(object) == simdjson::SUCCESS &&
        !HasArticleKeys(object, options_)) {
      for (auto [key, value] : object) {
        simdjson::dom::array list;
        if (value.get(list) != simdjson::SUCCESS || list.size() == 0) continue;
        simdjson::dom::object first;
        if ((*list.begin()).get(first) != simdjson::SUCCESS ||
            !HasArticleKeys(first, options_)) {
          continue;
        }
        wrapper_key_ = std::string(key);
        wrapped_ = list;
        wrapped_it_ = list.begin();
        wrapped_line_ = v.first_line;
        mode_ = Mode::kWrapped;
        return false;
      }
    }
    return ToArticle(item, doc, v.first_line, options_.id_base, "the file");
  }

  bool NextElement(ReadItem* item) {
    std::optional<char> c = scanner_.SkipSpace();
    if (c && *c == ',' && elements_ > 0) {
      scanner_.ConsumeOne();
      c = scanner_.SkipSpace();
    }
    if (!c) {
      mode_ = Mode::kEnd;
      return Error(item, scanner_.line(),
                   in_->error().empty()
                       ? "the array never closes (no ']' at the end): the "
                         "file is cut off; the articles before were read"
                       : in_->error());
    }
    if (*c == ']') {
      scanner_.ConsumeOne();
      mode_ = Mode::kEnd;
      std::optional<char> after = scanner_.SkipSpace();
      if (after) {
        return Error(item, scanner_.line(),
                     "text after the end of the array: a JSON file holds one "
                     "array of articles");
      }
      if (elements_ == 0) {
        return Error(item, scanner_.line(),
                     "the array is empty: write articles in it or delete "
                     "the file");
      }
      return false;
    }
    Value v = scanner_.Read();
    ++elements_;
    if (!v.complete) return CutOff(item, v);
    return Record(item, v, "element " + std::to_string(elements_));
  }

  bool NextValue(ReadItem* item) {
    std::optional<char> c = scanner_.SkipSpace();
    if (!c) {
      mode_ = Mode::kEnd;
      if (!in_->error().empty()) {
        return Error(item, scanner_.line(), in_->error());
      }
      return false;
    }
    Value v = scanner_.Read();
    if (!v.complete) return CutOff(item, v);
    return Record(item, v);
  }

  bool NextLine(ReadItem* item) {
    for (;;) {
      std::string_view line;
      LineReader::Result r = lines_->Next(&line);
      const int number = line_offset_ + lines_->line_number();
      if (r == LineReader::Result::kEnd) {
        mode_ = Mode::kEnd;
        if (!in_->error().empty()) {
          return Error(item, number + 1, in_->error());
        }
        return false;
      }
      if (r == LineReader::Result::kTooLong) {
        return Error(item, number,
                     RecordTooLargeMessage(lines_->skipped_bytes(),
                                           options_.max_record_bytes, "line"));
      }
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      simdjson::dom::element doc;
      std::string error = ParseJsonValue(parser_, line, "each line", &doc);
      if (!error.empty()) return Error(item, number, std::move(error));
      return ToArticle(item, doc, number, "", "a line");
    }
  }

  bool NextWrapped(ReadItem* item) {
    if (wrapped_it_ == wrapped_.end()) {
      mode_ = Mode::kEnd;
      return false;
    }
    simdjson::dom::element element = *wrapped_it_;
    ++wrapped_it_;
    ++elements_;
    return ToArticle(
        item, element, wrapped_line_, "",
        "\"" + wrapper_key_ + "\" item " + std::to_string(elements_));
  }

  // A scanned value of a file of many as an article (or an error at its
  // line).
  bool Record(ReadItem* item, const Value& v, const std::string& what = "") {
    if (v.too_large) {
      return TooLarge(item, v, what.empty() ? "object" : what);
    }
    simdjson::dom::element doc;
    std::string error = ParseJsonValue(
        parser_, v.bytes, what.empty() ? "each value" : "each element", &doc);
    if (!error.empty()) {
      return Error(item, v.first_line, Prefixed(what, std::move(error)));
    }
    return ToArticle(item, doc, v.first_line, "",
                     what.empty() ? "a value" : what);
  }

  // `doc` at `line` as an article: its id by RecordId with `path_id` last
  // ("" in a file of many).
  bool ToArticle(ReadItem* item, simdjson::dom::element doc, int line,
                 const std::string& path_id, const std::string& what) {
    simdjson::dom::object object;
    if (doc.get(object) != simdjson::SUCCESS) {
      return Error(item, line,
                   what + " is " + JsonTypeName(doc.type()) +
                       ", not an article object {...}");
    }
    item->article = pundit::Article();
    bool other_shard = false;
    std::string error = ArticleFromJson(object, options_, line, path_id, &keys_,
                                        &item->article, &other_shard);
    if (!error.empty()) {
      return Error(item, line,
                   what.starts_with("element") || what.starts_with("\"")
                       ? Prefixed(what, std::move(error))
                       : std::move(error));
    }
    item->kind =
        other_shard ? ReadItem::Kind::kOtherShard : ReadItem::Kind::kArticle;
    return true;
  }

  static std::string Prefixed(const std::string& what, std::string message) {
    if (what.empty()) return message;
    return what + ": " + message;
  }

  bool TooLarge(ReadItem* item, const Value& v, const std::string& what) {
    return Error(
        item, v.first_line,
        RecordTooLargeMessage(v.size, options_.max_record_bytes, what));
  }

  bool CutOff(ReadItem* item, const Value& v) {
    mode_ = Mode::kEnd;
    return Error(item, v.first_line,
                 in_->error().empty()
                     ? "the value starting here never ends (a missing '}', "
                       "']' or '\"'): the file is cut off or broken; the "
                       "articles before were read"
                     : in_->error());
  }

  bool Error(ReadItem* item, int line, std::string message) {
    item->kind = ReadItem::Kind::kError;
    item->error = ParseError{options_.path, line, std::move(message)};
    return true;
  }

  std::unique_ptr<ByteStream> in_;
  const ReaderOptions options_;
  Scanner scanner_;
  simdjson::dom::parser parser_;
  JsonKeys keys_{options_};
  Mode mode_ = Mode::kStart;
  int elements_ = 0;  // array elements (or wrapped items) read
  // kLines: the reader of the rest, and the lines read before it.
  std::optional<LineReader> lines_;
  int line_offset_ = 0;
  // kWrapped: the list and where in it.
  std::string wrapper_key_;
  simdjson::dom::array wrapped_;
  simdjson::dom::array::iterator wrapped_it_;
  int wrapped_line_ = 0;
};

}  // namespace

std::unique_ptr<ArticleReader> OpenJsonReader(std::unique_ptr<ByteStream> in,
                                              const ReaderOptions& options) {
  return std::make_unique<JsonReader>(std::move(in), options);
}

}  // namespace pundit::readers
