#include "searcher/hits.h"

#include <iterator>
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

// True when `title` is the start of `text` but for white space and a
// final "…": a title derived from the body (core/readers/reader.h
// TitleFromBody), whose words are the text's own.
bool TitleStartsText(std::string_view title, std::string_view text) {
  constexpr std::string_view kEllipsis = "\u2026";
  if (title.ends_with(kEllipsis)) title.remove_suffix(kEllipsis.size());
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  };
  size_t t = 0, x = 0;
  for (;;) {
    while (t < title.size() && space(title[t])) ++t;
    while (x < text.size() && space(text[x])) ++x;
    if (t == title.size()) return !title.empty();
    if (x == text.size() || title[t] != text[x]) return false;
    ++t;
    ++x;
  }
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

Result<Hit> ExportHitFromData(const std::string& data,
                              const ExportOptions& options,
                              Highlighter* highlighter) {
  if (!options.text && options.context <= 0) return HitFromData(data);
  Result<Article> a = ArticleFromData(data);
  if (!a.ok()) return a.status();
  Hit hit = HitFromArticle(*a);
  const std::vector<std::string_view> paragraphs = SnippetParagraphs(*a);
  if (options.text) {
    for (std::string_view paragraph : paragraphs) {
      if (!hit.text.empty()) hit.text += "\n\n";
      hit.text += paragraph;
    }
  }
  if (options.context > 0 && highlighter != nullptr) {
    const auto words = static_cast<size_t>(options.context);
    // A title derived from the text would give its matches twice.
    if (paragraphs.empty() || !TitleStartsText(a->title, paragraphs[0])) {
      hit.in_context = highlighter->InContexts(a->title, words);
    }
    for (std::string_view paragraph : paragraphs) {
      std::vector<InContext> found = highlighter->InContexts(paragraph, words);
      std::move(found.begin(), found.end(), std::back_inserter(hit.in_context));
    }
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
