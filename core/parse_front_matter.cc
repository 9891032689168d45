// ParseFrontMatter (core/parsers.h): Markdown with a YAML front matter, as
// Hugo and Jekyll write it. yaml-cpp reads the header between the "---"
// lines; md4c reads the body (markdown_text.h).
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/markdown_text.h"
#include "core/parse_text.h"
#include "core/parsers.h"
#include "core/readers/reader.h"

namespace pundit {
namespace {

// Where the YAML header is and where the body starts.
struct Split {
  bool closed = false;
  std::string_view yaml;
  std::string_view body;
  int body_first_line = 0;
};

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

Split SplitFrontMatter(std::string_view text) {
  Split split;
  size_t first_eol = text.find('\n');
  if (first_eol == std::string_view::npos) return split;
  size_t pos = first_eol + 1;
  int line = 2;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    size_t next = eol == std::string_view::npos ? text.size() : eol;
    std::string_view current = TrimRight(text.substr(pos, next - pos));
    if (current == "---" || current == "...") {
      split.closed = true;
      split.yaml = text.substr(first_eol + 1, pos - first_eol - 1);
      split.body = eol == std::string_view::npos ? std::string_view()
                                                 : text.substr(eol + 1);
      split.body_first_line = line + 1;
      return split;
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
    ++line;
  }
  return split;
}

// Reads the front matter's values, remembering the first error.
class Reader {
 public:
  explicit Reader(const YAML::Node& root) : root_(root) {}

  bool failed() const { return error_line_ != 0; }
  int error_line() const { return error_line_; }
  const std::string& error() const { return error_; }

  // The first of `keys` that is present, as text ("" when absent or null).
  std::string Text(std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
      YAML::Node node = root_[key];
      if (!node.IsDefined() || node.IsNull()) continue;
      if (!node.IsScalar()) {
        Fail(node, std::string("'") + key + "' must be text, not " +
                       (node.IsSequence() ? "a list" : "a mapping") +
                       ": write " + key + ": \"...\"");
        return "";
      }
      return parse::CleanText(parse::DecodeEntities(node.Scalar()));
    }
    return "";
  }

  // Every key of `keys` that is present, as a list; a text value is split
  // with `split` (names on "and"/",", facets on ","). Duplicates dropped.
  std::vector<std::string> List(std::initializer_list<const char*> keys,
                                bool names) {
    std::vector<std::string> out;
    auto add = [&](const std::string& raw) {
      std::string text = parse::DecodeEntities(raw);
      std::vector<std::string> items;
      if (names) {
        items = parse::SplitNameList(text);
      } else {
        size_t i = 0;
        while (i <= text.size()) {
          size_t j = text.find(',', i);
          if (j == std::string::npos) j = text.size();
          std::string item =
              parse::CleanText(std::string_view(text).substr(i, j - i));
          if (!item.empty()) items.push_back(std::move(item));
          i = j + 1;
        }
      }
      for (std::string& item : items) {
        if (std::find(out.begin(), out.end(), item) == out.end()) {
          out.push_back(std::move(item));
        }
      }
    };
    for (const char* key : keys) {
      YAML::Node node = root_[key];
      if (!node.IsDefined() || node.IsNull()) continue;
      if (node.IsScalar()) {
        add(node.Scalar());
        continue;
      }
      if (node.IsSequence()) {
        for (const YAML::Node& item : node) {
          if (item.IsNull()) continue;
          if (!item.IsScalar()) {
            Fail(item, std::string("'") + key +
                           "' must be a list of texts: write " + key +
                           ": [\"...\", \"...\"]");
            return out;
          }
          // In a list each item is one value, even with commas in it.
          std::string value =
              parse::CleanText(parse::DecodeEntities(item.Scalar()));
          if (!value.empty() &&
              std::find(out.begin(), out.end(), value) == out.end()) {
            out.push_back(std::move(value));
          }
        }
        continue;
      }
      Fail(node, std::string("'") + key +
                     "' must be text or a list of texts, not a mapping");
      return out;
    }
    return out;
  }

  // The line of `key`'s value in the file (front matter starts on line 2).
  int LineOf(const char* key) const {
    YAML::Node node = root_[key];
    return node.IsDefined() ? node.Mark().line + 2 : 1;
  }

  void Fail(const YAML::Node& node, std::string message) {
    if (failed()) return;
    error_line_ = node.Mark().line >= 0 ? node.Mark().line + 2 : 1;
    error_ = std::move(message);
  }
  void Fail(int line, std::string message) {
    if (failed()) return;
    error_line_ = line;
    error_ = std::move(message);
  }

 private:
  const YAML::Node& root_;
  int error_line_ = 0;
  std::string error_;
};

ParseOutput Fail(const std::string& path, int line, std::string message) {
  ParseOutput out;
  out.errors.push_back(ParseError{path, line, std::move(message)});
  return out;
}

}  // namespace

ParseOutput ParseFrontMatter(std::string_view content, const std::string& path,
                             const std::string& id_base) {
  std::string text = parse::NormalizeNewlines(content);
  if (DetectMarkdownFormat(text) != InputFormat::kFrontMatter) {
    return Fail(path, 1,
                "no front matter: the first line must be '---', followed by "
                "'key: value' lines and another '---'");
  }
  Split split = SplitFrontMatter(text);
  if (!split.closed) {
    return Fail(path, 1,
                "front matter is not closed: add a '---' line after the "
                "last 'key: value' line");
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(split.yaml));
  } catch (const YAML::DeepRecursion& e) {
    return Fail(path, e.mark.line >= 0 ? e.mark.line + 2 : 1,
                "front matter is nested more than " +
                    std::to_string(e.depth()) +
                    " levels deep: use flat 'key: value' lines and simple "
                    "lists");
  } catch (const YAML::Exception& e) {
    int line = e.mark.line >= 0 ? e.mark.line + 2 : 1;
    return Fail(path, line,
                "front matter is not valid YAML (" + e.msg +
                    "): check the indentation and quote values that contain "
                    "': '");
  }
  if (root.IsDefined() && !root.IsNull() && !root.IsMap()) {
    return Fail(path, 2,
                "front matter is not a YAML mapping: write one 'key: value' "
                "per line");
  }
  YAML::Node empty(YAML::NodeType::Map);
  const YAML::Node& map = root.IsMap() ? root : empty;

  Article article;
  article.path = path;
  article.line = 1;
  article.id = id_base;
  Reader reader(map);
  try {
    article.title = reader.Text({"title"});
    article.authors = reader.List({"authors", "author"}, /*names=*/true);
    std::string date_text = reader.Text({"date"});
    article.regions = reader.List({"regions", "region"}, /*names=*/false);
    article.themes = reader.List({"themes", "theme", "tags", "categories"},
                                 /*names=*/false);
    article.source = reader.Text({"source"});
    article.url = reader.Text({"url"});
    article.lede = reader.Text({"lede", "description", "summary"});
    article.bio = reader.Text({"bio"});
    std::string id = reader.Text({"id", "slug"});
    if (reader.failed()) {
      return Fail(path, reader.error_line(), reader.error());
    }
    if (!date_text.empty()) {
      std::string error;
      article.date = NormalizeDate(date_text, &error);
      if (article.date.empty()) return Fail(path, reader.LineOf("date"), error);
    }
    if (!id.empty()) {
      if (id.find(' ') != std::string::npos) {
        const char* key = map["id"].IsDefined() ? "id" : "slug";
        return Fail(path, reader.LineOf(key),
                    "id \"" + id +
                        "\" contains white space: use letters, digits, '-', "
                        "'_' or '/'");
      }
    }
    article.id = readers::RecordId(id, article, id_base);
  } catch (const YAML::Exception& e) {
    return Fail(path, e.mark.line >= 0 ? e.mark.line + 2 : 1,
                "front matter cannot be read (" + e.msg + ")");
  }

  std::vector<parse::MdBlock> blocks =
      parse::ParseMarkdownBlocks(split.body, split.body_first_line);
  size_t begin = 0;
  if (!blocks.empty() && blocks[0].type == parse::MdBlock::Type::kHeading &&
      blocks[0].level == 1 &&
      (article.title.empty() || blocks[0].Text() == article.title)) {
    article.title = blocks[0].Text();
    begin = 1;
  }
  if (article.title.empty()) {
    return Fail(path, 1,
                "no title: add a 'title: ...' line to the front matter");
  }
  std::vector<parse::BodyPiece> pieces =
      parse::ToBodyPieces(blocks, begin, blocks.size());
  parse::HealPageBreaks(&pieces);
  article.body = parse::ToBlocks(std::move(pieces));

  ParseOutput out;
  out.articles.push_back(std::move(article));
  return out;
}

}  // namespace pundit
