// Parsers: turn the bytes of one input file into Articles.
//
// Three formats are accepted (corpus/README.md shows an example of each):
//   kSeedMarkdown   the Markdown layout of the sample article (title "# ...",
//                   "By [A](#) and [B](#)", "Global Research, January 31,
//                   2019", "Region:", "Theme:", italic lede, body, source and
//                   bio lines, boilerplate footer that is dropped);
//   kFrontMatter    Markdown with YAML front matter, as Hugo and Jekyll write
//                   it (title, author/authors, date, regions, themes/tags,
//                   source, url, lede/description/summary, id/slug);
//   kJsonLines      one JSON object per line: id, title, author (string or
//                   list), date, region, theme, source, url, body (paragraphs
//                   separated by a blank line).
// Markdown is parsed with md4c (links become their text, escapes and entities
// are resolved, inline HTML such as <sup>st</sup> is dropped to its text).
//
// All functions are pure and thread-safe (no shared state).
//
// Errors: a ParseOutput never throws; each input that cannot be read as an
// article gives one ParseError, and every other article of the same file is
// still returned. ParseError::ToString() is the line printed on stderr:
//   "corpus/bad.md:1: error: no title: the first line must be '# Title' ..."
#ifndef PUNDIT_CORE_PARSERS_H_
#define PUNDIT_CORE_PARSERS_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/article.h"
#include "core/date.h"  // NormalizeDate and the range of article dates

namespace pundit {

enum class InputFormat {
  kSeedMarkdown,
  kFrontMatter,
  kJsonLines,
  kNotAnArticle
};

struct ParseError {
  std::string path;
  // 1-based. An error about the whole file (empty, too large, not an
  // article, unreadable) is on line 1; one found at a place (a NUL byte,
  // invalid UTF-8) is on that place's line. 0 is printed as 1.
  int line = 0;
  std::string message;  // what is wrong and how to fix it, no "error:" prefix

  // "path:line: error: message", always with a line (0 is printed as 1),
  // as compilers and editors expect.
  std::string ToString() const;
};

struct ParseOutput {
  std::vector<Article> articles;
  std::vector<ParseError> errors;
};

// For Markdown content: kFrontMatter when it starts with a "---" line,
// kSeedMarkdown otherwise.
InputFormat DetectMarkdownFormat(std::string_view content);

// `path` is only used for Article::path and messages; `id_base` is the id
// of an article without its own id or url in Markdown (JSON Lines records
// without one get the id of their content: RecordId in
// core/readers/reader.h).
ParseOutput ParseSeedMarkdown(std::string_view content, const std::string& path,
                              const std::string& id_base);
ParseOutput ParseFrontMatter(std::string_view content, const std::string& path,
                             const std::string& id_base);
ParseOutput ParseJsonLines(std::string_view content, const std::string& path,
                           const std::string& id_base);

// Dispatches on `format`; also rejects empty (line 1), binary (the line of
// the first NUL byte) and invalid UTF-8 content (the line of the first bad
// byte) with one ParseError.
ParseOutput ParseContent(InputFormat format, std::string_view content,
                         const std::string& path, const std::string& id_base);

}  // namespace pundit

#endif  // PUNDIT_CORE_PARSERS_H_
