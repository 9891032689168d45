// The small text helpers every module needs, written once: ASCII digits and
// letters, thousands separators, and UTF-8 validation, counting and cutting
// at a character boundary. Byte-level only: for case folding, normalisation and
// word breaking see core/analyzer.h (ICU).
//
// All functions are pure and thread-safe.
#ifndef PUNDIT_CORE_TEXT_H_
#define PUNDIT_CORE_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace pundit {

// True for '0'..'9' (ASCII only, whatever the locale).
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// True for ASCII letters and digits, whatever the locale.
inline bool IsAsciiAlnum(char c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// 'A'..'Z' to 'a'..'z'; every other byte as it is, whatever the locale.
inline char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// True when `text` is non-empty and every byte is an ASCII digit.
bool AllDigits(std::string_view text);

// 1234567 -> "1,234,567"; -1234 -> "-1,234".
std::string WithThousands(long long n);

// True for a byte that continues a UTF-8 sequence (10xxxxxx).
inline bool IsUtf8Continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// True when `text` is well-formed UTF-8: no stray continuation bytes, no
// truncated sequence, no overlong form, no surrogate (U+D800..U+DFFF), nothing
// above U+10FFFF.
bool IsValidUtf8(std::string_view text);

// The number of characters (code points) in UTF-8 `text`: the bytes that are
// not continuation bytes.
size_t Utf8Length(std::string_view text);

// The byte offset of character `n` (0-based) of `text`, or text.size() when
// `text` has n characters or fewer.
size_t Utf8ByteOfChar(std::string_view text, size_t n);

// The largest offset <= `max_bytes` (and <= text.size()) that starts a
// character: `text` cut there never splits a UTF-8 sequence.
size_t Utf8Boundary(std::string_view text, size_t max_bytes);

// `text` cut to at most `max_bytes` bytes at a character boundary.
inline std::string_view Utf8Prefix(std::string_view text, size_t max_bytes) {
  return text.substr(0, Utf8Boundary(text, max_bytes));
}

}  // namespace pundit

#endif  // PUNDIT_CORE_TEXT_H_
