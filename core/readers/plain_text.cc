// Plain text articles (core/readers/plain_text.h).
#include "core/readers/plain_text.h"

#include <unicode/unistr.h>

#include "core/parse_text.h"
#include "core/readers/reader.h"

namespace pundit::readers {
namespace {

// The line starting at `*pos` (without its '\n'); *pos moves past it.
std::string_view NextLine(std::string_view text, size_t* pos) {
  size_t eol = text.find('\n', *pos);
  if (eol == std::string_view::npos) eol = text.size();
  std::string_view line = text.substr(*pos, eol - *pos);
  *pos = eol + 1;
  return line;
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

bool TextLooksLikeMarkdown(std::string_view content) {
  if (DetectMarkdownFormat(content) == InputFormat::kFrontMatter) return true;
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  size_t pos = 0;
  while (pos < content.size()) {
    std::string_view line = NextLine(content, &pos);
    if (IsBlank(line)) continue;
    size_t indent = line.find_first_not_of(' ');
    return indent < 4 && line.substr(indent).starts_with("# ");
  }
  return false;
}

ParseOutput ParsePlainText(std::string_view content, const std::string& path,
                           const std::string& id_base) {
  const std::string text = parse::NormalizeNewlines(
      content.starts_with("\xEF\xBB\xBF") ? content.substr(3) : content);
  std::string_view view(text);
  // The first paragraph's first line and number of lines, and where the
  // text after it starts.
  size_t pos = 0;
  std::string_view first_line;
  int first_lines = 0;
  while (pos < view.size()) {
    std::string_view line = NextLine(view, &pos);
    if (IsBlank(line)) {
      if (first_lines > 0) break;
      continue;
    }
    if (first_lines++ == 0) first_line = line;
  }
  const std::string title_line = parse::CleanText(first_line);
  const bool more =
      pos < view.size() &&
      view.substr(pos).find_first_not_of(" \t\r\n") != std::string_view::npos;
  Article article;
  article.id = id_base;
  article.path = path;
  article.line = 1;
  if (first_lines == 1 && !title_line.empty() &&
      title_line.size() <= kMaxTitleLineBytes) {
    article.title = title_line;
    if (more) article.body = PlainTextBlocks(view.substr(pos));
  } else {
    article.body = PlainTextBlocks(view);
    if (!article.body.empty())
      article.title = TitleFromBody(article.body[0].text);
  }
  ParseOutput out;
  if (article.title.empty()) {
    out.errors.push_back(ParseError{
        path, 1,
        "no text: the file holds only white space and control characters"});
    return out;
  }
  out.articles.push_back(std::move(article));
  return out;
}

std::string FromWindows1252(std::string_view bytes) {
  icu::UnicodeString text(bytes.data(), static_cast<int32_t>(bytes.size()),
                          "windows-1252");
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace pundit::readers
