// Text helpers shared by the parsers (internal to core/, not a public
// contract): UTF-8 validation and decoding, HTML entity decoding, whitespace
// collapsing and NFC normalisation, the small Unicode classifications that
// the paragraph rules need, and splitting of "A, B and C" lists.
//
// All functions are pure and thread-safe (ICU's NFC instance is immutable).
#ifndef PUNDIT_CORE_PARSE_TEXT_H_
#define PUNDIT_CORE_PARSE_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"

namespace pundit::parse {

// Where the first invalid UTF-8 byte of `text` is.
struct Utf8Problem {
  bool found = false;
  size_t offset = 0;  // byte offset of the first bad byte
  int line = 0;       // 1-based line of that byte
  int column = 0;     // 1-based byte column of that byte
  unsigned char byte = 0;
};
Utf8Problem FindInvalidUtf8(std::string_view text);

// The UTF-8 text an entity stands for, or "" when `name` (without '&' and
// ';') is not an HTML5 named character reference. Table in parse_entities.cc.
std::string_view LookupNamedEntity(std::string_view name);

// Decodes one entity as md4c reports it ("&amp;", "&#8217;", "&#x2019;").
// Unknown names and invalid code points are returned verbatim.
std::string DecodeEntity(std::string_view entity);

// Replaces every entity in plain text (JSON fields) by its character; text
// without '&' is returned unchanged.
std::string DecodeEntities(std::string_view text);

// Trims, collapses every run of Unicode white space (including no-break
// spaces and line breaks) to one ' ', removes control characters and
// normalises to NFC. Input must be valid UTF-8.
std::string CleanText(std::string_view text);

// Appends code point `cp` encoded as UTF-8.
void AppendUtf8(std::string* out, char32_t cp);

// First and last code points of `text` (0 when empty).
char32_t FirstCodePoint(std::string_view text);
char32_t LastCodePoint(std::string_view text);
// `text` without its last code point.
std::string_view DropLastCodePoint(std::string_view text);

bool IsLowerCaseLetter(char32_t cp);
bool IsUpperCaseLetter(char32_t cp);  // also title case
// ", ', “, ‘, «, „ and the like.
bool IsOpeningQuote(char32_t cp);
// ", ', ”, ’, », and the like.
bool IsClosingQuote(char32_t cp);

// Splits "A, B and C" / "A and B" / "A & B" into names, trimmed, empties
// dropped.
std::vector<std::string> SplitNameList(std::string_view text);

// ASCII case-insensitive comparisons.
bool StartsWithNoCase(std::string_view text, std::string_view prefix);
bool EqualsNoCase(std::string_view a, std::string_view b);

// Without a leading UTF-8 byte order mark, with "\r\n" and lone "\r"
// turned into "\n" (copies only when there is something to change).
std::string NormalizeNewlines(std::string_view text);

// 1234567 -> "1,234,567".
using ::pundit::WithThousands;  // core/text.h

// Splits on ' ' (after CleanText there is no other white space).
std::vector<std::string_view> SplitWords(std::string_view text);

}  // namespace pundit::parse

#endif  // PUNDIT_CORE_PARSE_TEXT_H_
