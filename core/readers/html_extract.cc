// The HTML path (core/readers/html_extract.h): libxml2 builds the DOM, one
// walk over it gathers what the fields need (meta tags, JSON-LD scripts,
// <title>, the first <h1>, the containers of paragraph text), and a second
// walk over the chosen container gives the body blocks. Both walks are
// loops over parent and sibling pointers, so a deeply nested page costs no
// stack.
#include "core/readers/html_extract.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/parse_text.h"
#include "core/parsers.h"
#include "core/readers/libxml.h"
#include "core/readers/reader.h"

namespace pundit::readers {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// How far into a page a <meta> charset is looked for.
constexpr size_t kCharsetScanBytes = 4096;

// ---------------------------------------------------------------------------
// Charsets.

// Position of `needle` (lower-case ASCII) in `text`, ignoring ASCII case, at
// or after `from`; npos when absent.
size_t FindNoCase(std::string_view text, std::string_view needle,
                  size_t from = 0) {
  for (size_t i = from; i + needle.size() <= text.size(); ++i) {
    if (parse::StartsWithNoCase(text.substr(i), needle)) return i;
  }
  return std::string_view::npos;
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsCharsetNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':';
}

// The charset named in a <meta> tag of the first 4 KiB, lower case, or "".
std::string DeclaredCharset(std::string_view html) {
  std::string_view head = html.substr(0, kCharsetScanBytes);
  size_t pos = 0;
  while ((pos = FindNoCase(head, "<meta", pos)) != std::string_view::npos) {
    size_t end = head.find('>', pos);
    if (end == std::string_view::npos) end = head.size();
    std::string_view tag = head.substr(pos, end - pos);
    pos = end;
    size_t at = FindNoCase(tag, "charset");
    if (at == std::string_view::npos) continue;
    size_t i = at + 7;
    while (i < tag.size() && (tag[i] == ' ' || tag[i] == '\t')) ++i;
    if (i >= tag.size() || tag[i] != '=') continue;
    ++i;
    while (i < tag.size() && (tag[i] == ' ' || tag[i] == '\t' ||
                              tag[i] == '"' || tag[i] == '\'')) {
      ++i;
    }
    size_t j = i;
    while (j < tag.size() && IsCharsetNameChar(tag[j])) ++j;
    if (j > i) return LowerAscii(tag.substr(i, j - i));
  }
  return "";
}

// The ICU converter name for a declared charset that is not UTF-8, or ""
// for UTF-8 (and the UTF-16 labels, which a <meta> cannot truly mean) and
// for names ICU does not know. Latin-1 and ASCII labels mean windows-1252,
// as in browsers.
std::string LegacyCharset(const std::string& declared) {
  if (declared.empty() || declared == "utf-8" || declared == "utf8" ||
      declared.starts_with("utf-16")) {
    return "";
  }
  if (declared == "iso-8859-1" || declared == "iso8859-1" ||
      declared == "latin1" || declared == "l1" || declared == "us-ascii" ||
      declared == "ascii") {
    return "windows-1252";
  }
  UErrorCode status = U_ZERO_ERROR;
  UConverter* converter = ucnv_open(declared.c_str(), &status);
  if (U_FAILURE(status) || converter == nullptr) return "";
  std::string name = ucnv_getName(converter, &status);
  ucnv_close(converter);
  if (U_FAILURE(status) || name == "UTF-8") return "";
  return declared;
}

bool IsValidUtf8(std::string_view text) {
  return !parse::FindInvalidUtf8(text).found;
}

// ---------------------------------------------------------------------------
// The DOM.

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using Document = std::unique_ptr<xmlDoc, DocFree>;

Document ParseHtml(std::string_view html) {
  InitLibxml();
  std::string converted;
  if (PageToUtf8(html, &converted)) html = converted;
  if (html.starts_with(kBom)) html.remove_prefix(kBom.size());
  if (html.empty()) return nullptr;
  html = html.substr(0, INT_MAX);
  // Not HTML_PARSE_NOBLANKS: the blank between two inline elements
  // ("<em>a</em> <b>b</b>") is a word break. XML_PARSE_HUGE: without it
  // the parser stops for good at the 257th level of nesting, and the rest
  // of such a page would be lost; the page is bounded by the caller's
  // record limit, and the walks here need no stack.
  constexpr int kOptions = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                           HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                           XML_PARSE_HUGE;
  return Document(htmlReadMemory(html.data(), static_cast<int>(html.size()),
                                 nullptr, "UTF-8", kOptions));
}

// Visits `root` and its descendants in document order without recursion:
// `enter(node)` says whether to visit the node's children, and `leave(node)`
// follows the children of every node entered.
template <typename Enter, typename Leave>
void Walk(xmlNode* root, Enter&& enter, Leave&& leave) {
  xmlNode* node = root;
  for (;;) {
    if (enter(node)) {
      if (node->children != nullptr) {
        node = node->children;
        continue;
      }
      leave(node);
    }
    while (node != root && node->next == nullptr) {
      node = node->parent;
      leave(node);
    }
    if (node == root) return;
    node = node->next;
  }
}

std::string_view Name(const xmlNode* node) {
  return reinterpret_cast<const char*>(node->name);
}

bool IsElement(const xmlNode* node) { return node->type == XML_ELEMENT_NODE; }

bool IsText(const xmlNode* node) {
  return node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE;
}

std::string_view TextOfNode(const xmlNode* node) {
  return node->content == nullptr
             ? std::string_view()
             : std::string_view(reinterpret_cast<const char*>(node->content));
}

// The attribute's value, "" when absent.
std::string Attr(xmlNode* node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

bool HasAttr(xmlNode* node, const char* name) {
  return xmlHasProp(node, reinterpret_cast<const xmlChar*>(name)) != nullptr;
}

// Whether the white-space separated list `list` holds `token` (any case).
bool HasToken(std::string_view list, std::string_view token) {
  std::string clean = parse::CleanText(list);
  for (std::string_view word : parse::SplitWords(clean)) {
    if (parse::EqualsNoCase(word, token)) return true;
  }
  return false;
}

// Page chrome and things that are not text: never read.
bool IsExcluded(xmlNode* node) {
  static constexpr std::string_view kExcluded[] = {
      "nav",   "header",   "footer",   "aside", "form",   "script",
      "style", "noscript", "template", "svg",   "iframe", "button"};
  std::string_view name = Name(node);
  if (std::find(std::begin(kExcluded), std::end(kExcluded), name) !=
      std::end(kExcluded)) {
    return true;
  }
  if (node->properties == nullptr) return false;
  return HasAttr(node, "hidden") ||
         parse::EqualsNoCase(parse::CleanText(Attr(node, "aria-hidden")),
                             "true");
}

// Elements that run inside a paragraph.
bool IsInline(std::string_view name) {
  static constexpr std::string_view kInline[] = {
      "a",      "abbr", "acronym", "b",    "bdi",   "bdo",     "big",  "cite",
      "code",   "data", "del",     "dfn",  "em",    "font",    "i",    "img",
      "ins",    "kbd",  "label",   "mark", "nobr",  "picture", "q",    "rp",
      "rt",     "ruby", "s",       "samp", "small", "source",  "span", "strike",
      "strong", "sub",  "sup",     "time", "tt",    "u",       "var",  "wbr"};
  return std::find(std::begin(kInline), std::end(kInline), name) !=
         std::end(kInline);
}

// 1-6 for h1-h6, else 0.
int HeadingLevel(std::string_view name) {
  if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
    return name[1] - '0';
  }
  return 0;
}

// The text of an element as one line: inline elements joined as written,
// <br> and block boundaries a space, excluded elements left out.
std::string InlineText(xmlNode* root) {
  std::string raw;
  Walk(
      root,
      [&](xmlNode* node) {
        if (IsText(node)) {
          raw += TextOfNode(node);
          return false;
        }
        if (!IsElement(node) || IsExcluded(node)) return false;
        if (!IsInline(Name(node))) raw += ' ';
        return true;
      },
      [&](xmlNode* node) {
        if (IsElement(node) && !IsInline(Name(node))) raw += ' ';
      });
  return parse::CleanText(raw);
}

// The raw text inside an element (a script's JSON).
std::string RawContent(xmlNode* node) {
  xmlChar* content = xmlNodeGetContent(node);
  if (content == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(content));
  xmlFree(content);
  return out;
}

// ---------------------------------------------------------------------------
// The first walk: what the fields are read from.

struct Survey {
  // <meta> tags: lower-case property (or name), content.
  std::vector<std::pair<std::string, std::string>> metas;
  std::string canonical;
  std::string title;        // the first <title>, cleaned
  std::string h1;           // the first <h1>, cleaned
  std::string time;         // the first <time datetime>
  std::string author_link;  // the first rel="author" link text
  std::vector<std::string> json_ld;
  xmlNode* body = nullptr;
  // Containers of paragraph text, each in the order first seen, and the
  // bytes of <p> text each holds (an <article> or <main> anywhere inside
  // it; a paragraph container as the parent of the <p>).
  std::vector<xmlNode*> articles;
  std::vector<xmlNode*> mains;
  std::vector<xmlNode*> paragraph_parents;
  std::unordered_map<const xmlNode*, size_t> paragraph_bytes;
};

class Surveyor {
 public:
  explicit Surveyor(Survey* survey) : s_(survey) {}

  void Run(xmlNode* root) {
    Walk(
        root, [this](xmlNode* node) { return Enter(node); },
        [this](xmlNode* node) { Leave(node); });
  }

 private:
  bool Enter(xmlNode* node) {
    if (IsText(node)) {
      if (chrome_ == nullptr) CountParagraphText(TextOfNode(node).size());
      return false;
    }
    if (!IsElement(node)) return false;
    std::string_view name = Name(node);
    if (name == "script") {
      if (IsJsonLd(node)) s_->json_ld.push_back(RawContent(node));
      return false;
    }
    // Chrome is walked only for the JSON-LD scripts it may hold.
    if (chrome_ != nullptr) return true;
    if (IsExcluded(node)) {
      chrome_ = node;
      return true;
    }
    if (name == "meta") {
      ReadMeta(node);
    } else if (name == "link") {
      if (s_->canonical.empty() && HasToken(Attr(node, "rel"), "canonical")) {
        s_->canonical = parse::CleanText(Attr(node, "href"));
      }
    } else if (name == "title") {
      if (s_->title.empty()) s_->title = InlineText(node);
      return false;
    } else if (name == "h1") {
      if (s_->h1.empty()) s_->h1 = InlineText(node);
    } else if (name == "time") {
      if (s_->time.empty()) s_->time = parse::CleanText(Attr(node, "datetime"));
    } else if (name == "a") {
      if (s_->author_link.empty() && HasToken(Attr(node, "rel"), "author")) {
        s_->author_link = InlineText(node);
      }
    } else if (name == "body") {
      if (s_->body == nullptr) s_->body = node;
    } else if (name == "p") {
      open_paragraphs_.push_back(node);
    }
    if (name == "article") {
      s_->articles.push_back(node);
      open_articles_.push_back(node);
    } else if (name == "main" ||
               parse::EqualsNoCase(parse::CleanText(Attr(node, "role")),
                                   "main")) {
      s_->mains.push_back(node);
      open_mains_.push_back(node);
    }
    return true;
  }

  void Leave(xmlNode* node) {
    if (node == chrome_) chrome_ = nullptr;
    for (std::vector<xmlNode*>* open :
         {&open_paragraphs_, &open_articles_, &open_mains_}) {
      if (!open->empty() && open->back() == node) open->pop_back();
    }
  }

  static bool IsJsonLd(xmlNode* script) {
    std::string type = parse::CleanText(Attr(script, "type"));
    return parse::StartsWithNoCase(type, "application/ld+json");
  }

  void ReadMeta(xmlNode* node) {
    std::string key = Attr(node, "property");
    if (key.empty()) key = Attr(node, "name");
    if (key.empty()) return;
    s_->metas.emplace_back(LowerAscii(parse::CleanText(key)),
                           Attr(node, "content"));
  }

  void CountParagraphText(size_t bytes) {
    if (open_paragraphs_.empty() || bytes == 0) return;
    xmlNode* parent = open_paragraphs_.back()->parent;
    if (parent != nullptr) {
      auto [it, first] = s_->paragraph_bytes.emplace(parent, 0);
      if (first) s_->paragraph_parents.push_back(parent);
      it->second += bytes;
    }
    if (!open_articles_.empty()) {
      s_->paragraph_bytes[open_articles_.back()] += bytes;
    }
    if (!open_mains_.empty()) s_->paragraph_bytes[open_mains_.back()] += bytes;
  }

  Survey* s_;
  xmlNode* chrome_ = nullptr;  // the excluded element being walked, if any
  std::vector<xmlNode*> open_paragraphs_;
  std::vector<xmlNode*> open_articles_;
  std::vector<xmlNode*> open_mains_;
};

// The element of `nodes` with the most paragraph text (the first of equals),
// or nullptr when there is none.
xmlNode* MostText(const Survey& survey, const std::vector<xmlNode*>& nodes) {
  xmlNode* best = nullptr;
  size_t best_bytes = 0;
  for (xmlNode* node : nodes) {
    auto it = survey.paragraph_bytes.find(node);
    size_t bytes = it == survey.paragraph_bytes.end() ? 0 : it->second;
    if (best == nullptr || bytes > best_bytes) {
      best = node;
      best_bytes = bytes;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------
// The second walk: body blocks.

class BlockBuilder {
 public:
  // An <h1> whose text is `title` is not a block.
  explicit BlockBuilder(std::string_view title) : title_(title) {}

  std::vector<Block> Build(xmlNode* root) {
    Walk(
        root, [this](xmlNode* node) { return Enter(node); },
        [this](xmlNode* node) { Leave(node); });
    Flush();
    return std::move(blocks_);
  }

 private:
  bool Enter(xmlNode* node) {
    if (IsText(node)) {
      text_ += TextOfNode(node);
      return false;
    }
    if (!IsElement(node) || IsExcluded(node)) return false;
    std::string_view name = Name(node);
    if (name == "br") {
      text_ += ' ';
      return false;
    }
    if (IsInline(name)) return true;
    Flush();
    if (int level = HeadingLevel(name)) heading_level_ = level;
    return true;
  }

  void Leave(xmlNode* node) {
    if (!IsElement(node) || IsInline(Name(node))) return;
    Flush();
    if (HeadingLevel(Name(node)) != 0) heading_level_ = 0;
  }

  void Flush() {
    std::string text = parse::CleanText(text_);
    text_.clear();
    if (text.empty()) return;
    if (heading_level_ == 1 && parse::EqualsNoCase(text, title_)) return;
    Block::Kind kind =
        heading_level_ == 0 ? Block::Kind::kParagraph : Block::Kind::kHeading;
    blocks_.push_back(Block{kind, std::move(text)});
  }

  std::string_view title_;
  std::string text_;
  int heading_level_ = 0;
  std::vector<Block> blocks_;
};

// The body by the contract's order: <article>, <main>, the container of the
// most paragraph text, <body>; the first of these that has any text.
std::vector<Block> PageBody(const Survey& survey, std::string_view title) {
  xmlNode* candidates[] = {
      MostText(survey, survey.articles), MostText(survey, survey.mains),
      MostText(survey, survey.paragraph_parents), survey.body};
  for (xmlNode* root : candidates) {
    if (root == nullptr) continue;
    std::vector<Block> blocks = BlockBuilder(title).Build(root);
    if (!blocks.empty()) return blocks;
  }
  return {};
}

// Whether `html` has a tag ("<p", "</", "<!--"), so it is parsed as HTML.
bool HasTags(std::string_view html) {
  for (size_t i = html.find('<'); i != std::string_view::npos;
       i = html.find('<', i + 1)) {
    if (i + 1 >= html.size()) break;
    char c = html[i + 1];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' ||
        c == '!') {
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// JSON-LD.

std::string Clean(std::string_view raw) {
  return parse::CleanText(parse::DecodeEntities(raw));
}

// A text value: a string, the first string of a list, or {"@value": ...}.
std::string JsonText(const Json& value) {
  if (value.is_string()) return Clean(value.get_ref<const std::string&>());
  if (value.is_array()) {
    for (const Json& item : value) {
      if (item.is_string()) return Clean(item.get_ref<const std::string&>());
    }
  }
  if (value.is_object()) {
    auto it = value.find("@value");
    if (it != value.end() && it->is_string()) {
      return Clean(it->get_ref<const std::string&>());
    }
  }
  return "";
}

// The member `key` of an object, nullptr when absent.
const Json* Member(const Json* node, const char* key) {
  if (node == nullptr || !node->is_object()) return nullptr;
  auto it = node->find(key);
  return it == node->end() ? nullptr : &*it;
}

std::string MemberText(const Json* node, const char* key) {
  const Json* value = Member(node, key);
  return value == nullptr ? "" : JsonText(*value);
}

// Each item of a value that may be one thing or a list of things.
template <typename Fn>
void ForEachItem(const Json* value, Fn&& fn) {
  if (value == nullptr) return;
  if (!value->is_array()) {
    fn(*value);
    return;
  }
  for (const Json& item : *value) fn(item);
}

bool IsArticleType(std::string_view type) {
  static constexpr std::string_view kTypes[] = {"Article",
                                                "NewsArticle",
                                                "OpinionNewsArticle",
                                                "AnalysisNewsArticle",
                                                "ReportageNewsArticle",
                                                "BlogPosting",
                                                "SocialMediaPosting",
                                                "Report",
                                                "ScholarlyArticle"};
  return std::find(std::begin(kTypes), std::end(kTypes), type) !=
         std::end(kTypes);
}

// Whether a node's "@type" (a string or a list; "schema:NewsArticle" and
// "https://schema.org/NewsArticle" count as "NewsArticle") passes `test`.
template <typename Test>
bool HasType(const Json& node, Test&& test) {
  bool found = false;
  ForEachItem(Member(&node, "@type"), [&](const Json& type) {
    if (!type.is_string()) return;
    std::string_view name = type.get_ref<const std::string&>();
    size_t cut = name.find_last_of("/:#");
    if (cut != std::string_view::npos) name.remove_prefix(cut + 1);
    if (test(name)) found = true;
  });
  return found;
}

// Every JSON-LD script of a page, and the node that describes the article.
class LinkedData {
 public:
  explicit LinkedData(const std::vector<std::string>& scripts) {
    docs_.reserve(scripts.size());  // nodes_ points into docs_
    for (const std::string& script : scripts) {
      size_t begin = script.find_first_of("{[");
      size_t end = script.find_last_of("}]");
      if (begin == std::string::npos || end == std::string::npos ||
          end < begin) {
        continue;
      }
      Json doc = Json::parse(script.begin() + static_cast<long>(begin),
                             script.begin() + static_cast<long>(end) + 1,
                             nullptr, /*allow_exceptions=*/false);
      if (doc.is_discarded()) continue;
      docs_.push_back(std::move(doc));
      AddNodes(docs_.back());
    }
    article_ = FindNode(IsArticleType);
    if (article_ == nullptr) {
      article_ =
          FindNode([](std::string_view type) { return type == "WebPage"; });
    }
  }

  // The article node, nullptr when there is none.
  const Json* article() const { return article_; }

  // `value`, or the node it refers to when it is only {"@id": ...}.
  const Json& Resolve(const Json& value) const {
    if (!value.is_object() || value.contains("name")) return value;
    auto id = value.find("@id");
    if (id == value.end() || !id->is_string()) return value;
    auto it = by_id_.find(id->get_ref<const std::string&>());
    return it == by_id_.end() ? value : *it->second;
  }

  // The name of a thing given as a string, an object or a reference.
  std::string NameOf(const Json& value) const {
    if (value.is_string()) return JsonText(value);
    return MemberText(&Resolve(value), "name");
  }

 private:
  // A document's nodes: the object itself, the items of a list, the nodes
  // of an "@graph".
  void AddNodes(const Json& doc) {
    ForEachItem(&doc, [&](const Json& node) {
      if (!node.is_object()) return;
      AddNode(node);
      ForEachItem(Member(&node, "@graph"), [&](const Json& inner) {
        if (inner.is_object()) AddNode(inner);
      });
    });
  }

  void AddNode(const Json& node) {
    nodes_.push_back(&node);
    const Json* id = Member(&node, "@id");
    if (id != nullptr && id->is_string()) {
      by_id_.emplace(id->get_ref<const std::string&>(), &node);
    }
  }

  template <typename Test>
  const Json* FindNode(Test&& test) const {
    for (const Json* node : nodes_) {
      if (HasType(*node, test)) return node;
    }
    return nullptr;
  }

  std::vector<Json> docs_;
  std::vector<const Json*> nodes_;
  std::unordered_map<std::string, const Json*> by_id_;
  const Json* article_ = nullptr;
};

// ---------------------------------------------------------------------------
// Fields.

// <meta> values by key.
class Metas {
 public:
  explicit Metas(const Survey& survey) : metas_(survey.metas) {}

  // The first non-empty value of `key`, cleaned.
  std::string First(std::string_view key) const {
    for (const auto& [k, v] : metas_) {
      if (k != key) continue;
      std::string value = Clean(v);
      if (!value.empty()) return value;
    }
    return "";
  }

  // Every non-empty value of `key`, cleaned.
  std::vector<std::string> All(std::string_view key) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : metas_) {
      if (k != key) continue;
      std::string value = Clean(v);
      if (!value.empty()) out.push_back(std::move(value));
    }
    return out;
  }

 private:
  const std::vector<std::pair<std::string, std::string>>& metas_;
};

std::string FirstNonEmpty(std::initializer_list<std::string> values) {
  for (const std::string& value : values) {
    if (!value.empty()) return value;
  }
  return "";
}

void AddUnique(std::string value, std::vector<std::string>* out) {
  if (value.empty()) return;
  for (const std::string& have : *out) {
    if (parse::EqualsNoCase(have, value)) return;
  }
  out->push_back(std::move(value));
}

// "By A and B" -> A, B.
void AddNames(std::string_view text, std::vector<std::string>* out) {
  std::string clean = parse::CleanText(text);
  std::string_view names = clean;
  if (parse::StartsWithNoCase(names, "by ")) names.remove_prefix(3);
  for (std::string& name : parse::SplitNameList(names)) {
    AddUnique(std::move(name), out);
  }
}

// A date as core/parsers.h reads it, or the date of an ISO date-time whose
// time part it does not read; "" when neither.
std::string ReadDate(std::string_view text) {
  std::string date = NormalizeDate(text, nullptr);
  if (date.empty() && text.size() > 10 &&
      (text[10] == 'T' || text[10] == 't' || text[10] == ' ')) {
    date = NormalizeDate(text.substr(0, 10), nullptr);
  }
  return date;
}

// <title> without a " | Site" or " - Site" tail that repeats `site`.
std::string DropSiteTail(std::string title, std::string_view site) {
  if (site.empty()) return title;
  static constexpr std::string_view kSeparators[] = {
      " | ", " - ", " \u2013 ", " \u2014 ", " \u00B7 ", " :: ", " : "};
  for (std::string_view separator : kSeparators) {
    size_t tail = separator.size() + site.size();
    if (title.size() <= tail) continue;
    std::string_view end = std::string_view(title).substr(title.size() - tail);
    if (end.starts_with(separator) &&
        parse::EqualsNoCase(end.substr(separator.size()), site)) {
      title.resize(title.size() - tail);
      return title;
    }
  }
  return title;
}

bool LooksLikeUrl(std::string_view text) {
  return parse::StartsWithNoCase(text, "http://") ||
         parse::StartsWithNoCase(text, "https://");
}

std::vector<std::string> ReadAuthors(const LinkedData& ld, const Metas& metas,
                                     const Survey& survey) {
  std::vector<std::string> authors;
  ForEachItem(Member(ld.article(), "author"), [&](const Json& author) {
    AddNames(ld.NameOf(author), &authors);
  });
  if (!authors.empty()) return authors;
  AddNames(metas.First("author"), &authors);
  if (!authors.empty()) return authors;
  for (const std::string& author : metas.All("article:author")) {
    if (!LooksLikeUrl(author)) AddNames(author, &authors);  // a profile link
  }
  if (!authors.empty()) return authors;
  AddNames(survey.author_link, &authors);
  return authors;
}

std::string ReadPageDate(const LinkedData& ld, const Metas& metas,
                         const Survey& survey) {
  const std::string candidates[] = {MemberText(ld.article(), "datePublished"),
                                    MemberText(ld.article(), "dateCreated"),
                                    metas.First("article:published_time"),
                                    metas.First("date"),
                                    metas.First("pubdate"),
                                    metas.First("dc.date"),
                                    survey.time};
  for (const std::string& candidate : candidates) {
    if (candidate.empty()) continue;
    std::string date = ReadDate(candidate);
    if (!date.empty()) return date;
  }
  return "";
}

std::string ReadUrl(const LinkedData& ld, const Metas& metas,
                    const Survey& survey) {
  std::string url = MemberText(ld.article(), "url");
  if (url.empty()) {
    const Json* page = Member(ld.article(), "mainEntityOfPage");
    if (page != nullptr) {
      url = page->is_object() ? FirstNonEmpty({MemberText(page, "@id"),
                                               MemberText(page, "url")})
                              : JsonText(*page);
    }
  }
  return FirstNonEmpty({url, metas.First("og:url"), survey.canonical});
}

std::vector<std::string> ReadThemes(const LinkedData& ld, const Metas& metas) {
  std::vector<std::string> themes;
  ForEachItem(Member(ld.article(), "articleSection"),
              [&](const Json& item) { AddUnique(JsonText(item), &themes); });
  ForEachItem(Member(ld.article(), "keywords"), [&](const Json& item) {
    if (!item.is_string()) return;
    std::string_view keywords = item.get_ref<const std::string&>();
    size_t start = 0;
    while (start <= keywords.size()) {
      size_t comma = keywords.find(',', start);
      if (comma == std::string_view::npos) comma = keywords.size();
      AddUnique(Clean(keywords.substr(start, comma - start)), &themes);
      start = comma + 1;
    }
  });
  if (!themes.empty()) return themes;
  AddUnique(metas.First("article:section"), &themes);
  for (std::string& tag : metas.All("article:tag")) {
    AddUnique(std::move(tag), &themes);
  }
  return themes;
}

void ReadFields(const Survey& survey, HtmlPage* page) {
  LinkedData ld(survey.json_ld);
  Metas metas(survey);
  Article& a = page->article;
  const Json* publisher = Member(ld.article(), "publisher");
  std::string publisher_name;
  ForEachItem(publisher, [&](const Json& item) {
    if (publisher_name.empty()) publisher_name = ld.NameOf(item);
  });
  a.source = FirstNonEmpty({publisher_name, metas.First("og:site_name")});
  a.title =
      FirstNonEmpty({MemberText(ld.article(), "headline"),
                     MemberText(ld.article(), "name"), metas.First("og:title"),
                     DropSiteTail(survey.title, a.source), survey.h1});
  a.authors = ReadAuthors(ld, metas, survey);
  a.date = ReadPageDate(ld, metas, survey);
  a.url = ReadUrl(ld, metas, survey);
  a.themes = ReadThemes(ld, metas);
  a.lede = FirstNonEmpty({MemberText(ld.article(), "description"),
                          metas.First("og:description"),
                          metas.First("description")});
  const Json* identifier = Member(ld.article(), "identifier");
  if (identifier != nullptr && identifier->is_string()) {
    page->own_id = JsonText(*identifier);
  }
}

}  // namespace

bool DeclaresLegacyCharset(std::string_view html) {
  return !LegacyCharset(DeclaredCharset(html)).empty();
}

bool PageToUtf8(std::string_view html, std::string* utf8) {
  if (IsValidUtf8(html)) return false;
  std::string charset = LegacyCharset(DeclaredCharset(html));
  if (charset.empty()) charset = "windows-1252";
  html = html.substr(0, INT_MAX);
  icu::UnicodeString text(html.data(), static_cast<int32_t>(html.size()),
                          charset.c_str());
  if (text.isBogus()) {
    text = icu::UnicodeString(html.data(), static_cast<int32_t>(html.size()),
                              "windows-1252");
  }
  utf8->clear();
  text.toUTF8String(*utf8);
  return true;
}

bool ReadHtmlPage(std::string_view html, HtmlPage* page, std::string* error) {
  *page = HtmlPage{};
  Document doc = ParseHtml(html);
  xmlNode* root = doc == nullptr ? nullptr : xmlDocGetRootElement(doc.get());
  Survey survey;
  if (root != nullptr) Surveyor(&survey).Run(root);
  ReadFields(survey, page);
  Article& a = page->article;
  a.body = PageBody(survey, a.title);
  if (a.title.empty() && !a.body.empty()) {
    a.title = TitleFromBody(a.body.front().text);
  }
  if (a.title.empty()) {
    *error =
        "no title and no text: the page has no <title>, no <h1> and no "
        "paragraphs outside navigation, header, footer, aside and form "
        "elements; save the article's own page, not an index or an empty "
        "template";
    return false;
  }
  return true;
}

std::vector<Block> HtmlFragmentBlocks(std::string_view html) {
  std::string converted;
  if (PageToUtf8(html, &converted)) html = converted;
  if (!HasTags(html)) {
    return PlainTextBlocks(
        parse::DecodeEntities(parse::NormalizeNewlines(html)));
  }
  Document doc = ParseHtml(html);
  xmlNode* root = doc == nullptr ? nullptr : xmlDocGetRootElement(doc.get());
  if (root == nullptr) return {};
  // A fragment is all content: every part of it outside the chrome counts.
  for (xmlNode* child = root->children; child != nullptr; child = child->next) {
    if (IsElement(child) && Name(child) == "body") {
      return BlockBuilder("").Build(child);
    }
  }
  return {};
}

}  // namespace pundit::readers
