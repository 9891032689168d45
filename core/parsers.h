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
// (Markdown) or the id prefix (JSON Lines, ids become "<id_base>:<id>").
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

// Normalises a date to "YYYY-MM-DD", the calendar date as written (no time
// zone shifting). Accepted: YYYY-MM-DD and YYYY/MM/DD, each alone or with a
// time ("2016-12-31T23:10:00.123+05:30", "2016-12-31 23:10", "2016/12/31
// 10:00:00 UTC"); "January 31, 2019", "Jan 31 2019", "31 January 2019",
// each optionally after a weekday and before a time ("December 31, 2016
// 10:00 AM"); RFC 822/1123/2822 ("Sat, 31 Dec 2016 10:00:00 +0000", "31
// Dec 2016 10:00:00 GMT"). Returns "" and sets *error (if non-null) to a
// message for text that is not such a date, has an impossible time of day
// (hours 0-23, minutes 0-59, seconds 0-60) or is an impossible date
// (2019-02-30, year 0).
std::string NormalizeDate(std::string_view text, std::string* error);

// The plausible range of an article's date: from 1800-01-01 to the end of
// next year (LatestArticleYear()). A date outside it is a typing or
// conversion slip (0001-01-01 for "no date", 9999-12-31, a year from the
// wrong column), and one such date stretches every timeline over
// centuries. NormalizeDate accepts any calendar date; the readers
// (readers::CheckDates, applied by readers::OpenInput) skip an article
// dated outside this range.
inline constexpr int kEarliestArticleYear = 1800;

// The current year (UTC) plus one: the last year an article may be dated
// (a date-line a little ahead of the clock, a time zone ahead of UTC).
int LatestArticleYear();

// "" when `date` ("YYYY-MM-DD", as NormalizeDate returns it, or "" for no
// date) lies within kEarliestArticleYear-01-01..`latest_year`-12-31; else
// the message of a ParseError: "date 0001-01-01 is outside
// 1800-01-01..2026-12-31; fix the date or leave it out".
std::string DateOutsideRangeError(std::string_view date, int latest_year);

}  // namespace pundit

#endif  // PUNDIT_CORE_PARSERS_H_
