// Markdown to plain text blocks, with md4c (internal to core/, used by the
// seed and front-matter parsers).
//
// ParseMarkdownBlocks runs md4c over a document and returns its leaf blocks
// (headings, paragraphs, list items, code, raw HTML, table rows, rules) as
// plain text: links become their text (and are also listed), emphasis
// markers and backslash escapes are resolved, entities decoded, inline HTML
// tags dropped (their text kept), image alt text dropped. Text is cleaned by
// CleanText (white space collapsed, NFC). Each block keeps its source lines
// (split at soft and hard breaks) so that a caller can read a header line by
// line, and the 1-based line number where it starts, for messages.
//
// The paragraph rules of the article model also live here:
// HealPageBreaks joins paragraphs split in two by a page break, and
// MarkImplicitHeadings turns short standalone title-like lines into
// sub-heads.
//
// All functions are pure and thread-safe.
#ifndef PUNDIT_CORE_MARKDOWN_TEXT_H_
#define PUNDIT_CORE_MARKDOWN_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/article.h"

namespace pundit::parse {

// One source line of a block, as plain text.
struct MdLine {
  std::string text;
  std::vector<std::string> links;  // text of each [link](...) on the line
  bool emphasized = false;  // has text, all of it inside *...* or **...**
  int line = 0;             // 1-based line in the document, 0 if unknown
};

struct MdBlock {
  enum class Type {
    kHeading,
    kParagraph,
    kListItem,
    kCode,
    kHtml,
    kTableRow,
    kRule
  };
  Type type = Type::kParagraph;
  int level = 0;  // 1..6 for kHeading
  bool in_quote = false;
  int line = 0;  // 1-based line where the block starts, 0 if unknown
  std::vector<MdLine> lines;

  // The lines joined with ' ' (already clean).
  std::string Text() const;
  // Every line with text is emphasized (an italic paragraph).
  bool Emphasized() const;
  // All links of all lines, in order.
  std::vector<std::string> Links() const;
};

// Parses `markdown`; `first_line` is the document line of its first byte
// (used when the Markdown follows a front matter). Blocks without text are
// dropped, except rules. Never fails: md4c accepts any input.
std::vector<MdBlock> ParseMarkdownBlocks(std::string_view markdown,
                                         int first_line = 1);

// A body block on its way into an Article.
struct BodyPiece {
  Block block;
  bool prose = true;     // a plain paragraph (not a list item, code, table)
  int source_lines = 1;  // how many source lines it was written on
};

// The body pieces of blocks[begin, end): headings become kHeading, every
// other block with text a paragraph (prose when it is a plain paragraph);
// rules are skipped.
std::vector<BodyPiece> ToBodyPieces(const std::vector<MdBlock>& blocks,
                                    size_t begin, size_t end);

// The blocks of `pieces`, in order.
std::vector<Block> ToBlocks(std::vector<BodyPiece> pieces);

// Joins a paragraph that ends without terminal punctuation with the next
// one when that one starts with a lower-case letter ("as soon as" /
// "possible."), or when the first ends with a word opened by a quotation
// mark and the next starts with the word that closes it ("the “next" /
// "Syria", ..."). Only prose paragraphs are joined.
void HealPageBreaks(std::vector<BodyPiece>* pieces);

// Marks as kHeading a prose paragraph written on one line that is short
// (<= 80 characters, <= 12 words), does not end with '.', ',', ':' or ';',
// is title-cased or ends with '?', and is followed by a paragraph that does
// not start in lower case ("Follow The Money", "Another Astana?").
void MarkImplicitHeadings(std::vector<BodyPiece>* pieces);

// True when `text` ends with terminal punctuation (. ! ? : ; …), possibly
// followed by closing quotes or brackets.
bool EndsWithTerminalPunctuation(std::string_view text);

}  // namespace pundit::parse

#endif  // PUNDIT_CORE_MARKDOWN_TEXT_H_
