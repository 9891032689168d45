#include "searcher/hits.h"

#include <string_view>
#include <utility>
#include <vector>

#include "core/document.h"

namespace pundit {
namespace {

constexpr size_t kSnippetChars = 300;
constexpr size_t kSnippetFragments = 3;

// The paragraphs a snippet may come from: the lede, then the body.
std::vector<std::string_view> SnippetParagraphs(const Article& a) {
  std::vector<std::string_view> out;
  if (!a.lede.empty()) out.push_back(a.lede);
  for (const Block& b : a.body) out.push_back(b.text);
  return out;
}

}  // namespace

std::string LedeSnippet(const Article& a) {
  if (!a.lede.empty()) return EscapedPrefix(a.lede, kSnippetChars);
  for (const Block& b : a.body) {
    if (b.kind == Block::Kind::kParagraph && !b.text.empty()) {
      return EscapedPrefix(b.text, kSnippetChars);
    }
  }
  return "";
}

Hit HitFromArticle(const Article& a) {
  Hit h;
  h.id = a.id;
  h.title = a.title;
  h.title_html = EscapeHtml(a.title);
  h.authors = a.authors;
  h.date = a.date;
  h.regions = a.regions;
  h.themes = a.themes;
  h.source = a.source;
  h.url = a.url;
  return h;
}

Result<Hit> HitFromData(const std::string& data) {
  // A quote inside a JSON string is escaped, so the first `,"lede":` is the
  // key of the top-level object.
  const size_t lede = data.find(",\"lede\":");
  Result<Article> a = ArticleFromData(
      lede == std::string::npos ? data : data.substr(0, lede) + "}");
  if (!a.ok()) return a.status();
  return HitFromArticle(*a);
}

Result<Hit> HitWithTextFromData(const std::string& data) {
  Result<Article> a = ArticleFromData(data);
  if (!a.ok()) return a.status();
  Hit hit = HitFromArticle(*a);
  for (std::string_view paragraph : SnippetParagraphs(*a)) {
    if (!hit.text.empty()) hit.text += "\n\n";
    hit.text += paragraph;
  }
  return hit;
}

Hit MakeHit(const Article& a, double weight, Highlighter* highlighter) {
  Hit h = HitFromArticle(a);
  h.score = weight;
  if (highlighter) {
    if (!highlighter->empty()) {
      h.title_html = highlighter->Mark(a.title);
      h.snippets = highlighter->Snippets(SnippetParagraphs(a),
                                         kSnippetFragments, kSnippetChars);
    }
    if (h.snippets.empty()) {
      std::string lede = LedeSnippet(a);
      if (!lede.empty()) h.snippets.push_back(std::move(lede));
    }
  }
  return h;
}

}  // namespace pundit
