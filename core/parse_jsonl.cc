// ParseJsonLines (core/parsers.h): one JSON object per line, read with
// simdjson's DOM parser, one line at a time so that a bad line costs only
// itself. Fields (corpus/README.md): id, title, author, date, region, theme,
// source, url, body, and optionally lede and bio.
#include <simdjson.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/parse_text.h"
#include "core/parsers.h"

namespace pundit {
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

// Paragraphs are separated by blank lines; single newlines are spaces.
// `body` has its entities decoded already.
std::vector<Block> BodyBlocks(std::string_view body) {
  std::vector<Block> blocks;
  std::string paragraph;
  auto flush = [&] {
    std::string text = parse::CleanText(paragraph);
    if (!text.empty()) blocks.push_back(Block{Block::Kind::kParagraph, text});
    paragraph.clear();
  };
  size_t i = 0;
  while (i <= body.size()) {
    size_t eol = body.find('\n', i);
    if (eol == std::string_view::npos) eol = body.size();
    std::string_view line = body.substr(i, eol - i);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
      flush();
    } else {
      paragraph += line;
      paragraph += '\n';
    }
    i = eol + 1;
  }
  flush();
  return blocks;
}

// Ids never contain white space.
std::string NoSpaces(std::string id) {
  for (char& c : id) {
    if (c == ' ') c = '_';
  }
  return id;
}

// The first sentence of `body`, cut to at most kMaxWords words (with "…"
// when cut), for articles that have no title of their own.
std::string TitleFromBody(const std::string& body) {
  constexpr size_t kMaxWords = 12;
  std::string title;
  size_t words = 0;
  bool cut = false;
  for (std::string_view word : parse::SplitWords(body)) {
    if (words == kMaxWords) {
      cut = true;
      break;
    }
    if (!title.empty()) title += ' ';
    title.append(word);
    ++words;
    char last = word.back();
    if (last == '.' || last == '?' || last == '!') break;
  }
  if (cut) title += "\u2026";
  return title;
}

}  // namespace

ParseOutput ParseJsonLines(std::string_view content, const std::string& path,
                           const std::string& id_base) {
  ParseOutput out;
  simdjson::dom::parser parser;
  if (parser.allocate(4096, kMaxJsonDepth) != simdjson::SUCCESS) {
    out.errors.push_back(
        ParseError{path, 0, "out of memory while reading JSON Lines"});
    return out;
  }
  std::unordered_map<std::string, int> first_line_of_id;
  auto error = [&](int line, std::string message) {
    out.errors.push_back(ParseError{path, line, std::move(message)});
  };

  int line_number = 0;
  size_t pos = 0;
  while (pos < content.size()) {
    ++line_number;
    size_t eol = content.find('\n', pos);
    if (eol == std::string_view::npos) eol = content.size();
    std::string_view line = content.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (line_number == 1 && line.starts_with("\xEF\xBB\xBF")) {
      line.remove_prefix(3);
    }

    simdjson::dom::element doc;
    simdjson::error_code code = parser.parse(line.data(), line.size()).get(doc);
    if (code == simdjson::DEPTH_ERROR) {
      error(line_number, "JSON nested more than " +
                             std::to_string(kMaxJsonDepth) +
                             " levels deep: each line must be one flat "
                             "article object");
      continue;
    }
    if (code != simdjson::SUCCESS) {
      error(line_number, std::string("invalid JSON (") +
                             simdjson::error_message(code) +
                             "): each line must be one complete JSON object");
      continue;
    }
    simdjson::dom::object object;
    if (doc.get(object) != simdjson::SUCCESS) {
      error(line_number, std::string("a line must be one JSON object {...}, "
                                     "not ") +
                             TypeName(doc.type()));
      continue;
    }

    Fields fields(object);
    Article article;
    article.path = path;
    article.line = line_number;
    std::string id = fields.Id();
    article.title = fields.Text("title");
    article.authors = fields.List("author", /*names=*/true);
    if (article.authors.empty()) {
      article.authors = fields.List("authors", /*names=*/true);
    }
    std::string date_text = fields.Text("date");
    article.regions = fields.List("region", /*names=*/false);
    article.themes = fields.List("theme", /*names=*/false);
    article.source = fields.Text("source");
    article.url = fields.Text("url");
    article.lede = fields.Text("lede");
    article.bio = fields.Text("bio");
    std::string body = fields.Text("body", /*clean=*/false);
    if (fields.failed()) {
      error(line_number, fields.error());
      continue;
    }
    if (article.title.empty()) {
      // Scraped corpora often have a body but no headline: the opening words
      // of the body stand in, so the article is still found and shown.
      article.title =
          TitleFromBody(parse::CleanText(parse::DecodeEntities(body)));
      if (article.title.empty()) {
        error(line_number,
              "no title and no body: every article needs a non-empty "
              "\"title\" or \"body\" string");
        continue;
      }
    }
    if (!date_text.empty()) {
      std::string date_error;
      article.date = NormalizeDate(date_text, &date_error);
      if (article.date.empty()) {
        error(line_number, date_error);
        continue;
      }
    }
    if (id.empty()) id = std::to_string(line_number);
    id = NoSpaces(std::move(id));
    auto [it, inserted] = first_line_of_id.emplace(id, line_number);
    if (!inserted) {
      error(line_number, "duplicate id \"" + id + "\" (first on line " +
                             std::to_string(it->second) +
                             "): give every article of a file its own id");
      continue;
    }
    article.id = id_base + ":" + id;
    article.body = BodyBlocks(parse::DecodeEntities(body));
    out.articles.push_back(std::move(article));
  }
  return out;
}

}  // namespace pundit
