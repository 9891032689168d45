// Plain text articles: a `.txt` file that is neither Markdown layout (no
// front matter, no "# Title" line) is an article of plain text, the shape
// text collections come in (the BBC News dataset: one file per story, the
// headline on the first line, a blank line, then the story).
//
// Pure functions; thread-safe.
#ifndef PUNDIT_CORE_READERS_PLAIN_TEXT_H_
#define PUNDIT_CORE_READERS_PLAIN_TEXT_H_

#include <string>
#include <string_view>

#include "core/parsers.h"

namespace pundit::readers {

// True when a `.txt` file is to be read as Markdown: it starts with a
// front matter line ("---") or its first non-blank line is a level-1
// heading ("# Title", the seed layout).
bool TextLooksLikeMarkdown(std::string_view content);

// The article of a plain text file (`content` valid UTF-8, checked with
// CheckText): paragraphs are separated by blank lines; the first paragraph
// is the title when it is one line of at most kMaxTitleLineBytes and more
// text follows it, else the title is the first sentence of the body
// (TitleFromBody). Its id is `id_base` (corpus/README.md "Article ids").
// A file with no text left after cleaning (control characters) is one
// error.
inline constexpr size_t kMaxTitleLineBytes = 200;
ParseOutput ParsePlainText(std::string_view content, const std::string& path,
                           const std::string& id_base);

// `bytes` read as Windows-1252 (Latin-1 and its superset, what text editors
// on Windows and many older collections save), converted to UTF-8 with ICU;
// the five bytes Windows-1252 leaves undefined become U+FFFD.
std::string FromWindows1252(std::string_view bytes);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_PLAIN_TEXT_H_
