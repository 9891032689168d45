#include "core/parse_text.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <charconv>

namespace pundit::parse {
namespace {

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80;
  });
}

std::string ToNfc(std::string text) {
  if (IsAscii(text)) return text;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return text;
  // Checked and normalised as UTF-8: most text is NFC already, and then
  // nothing is converted or copied.
  if (nfc->isNormalizedUTF8(text, status) && U_SUCCESS(status)) return text;
  status = U_ZERO_ERROR;
  std::string out;
  icu::StringByteSink<std::string> sink(&out,
                                        static_cast<int32_t>(text.size()));
  nfc->normalizeUTF8(0, text, sink, nullptr, status);
  if (U_FAILURE(status)) return text;
  return out;
}

bool IsSpace(char32_t cp) {
  return cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
         u_isUWhiteSpace(static_cast<UChar32>(cp));
}

bool IsDropped(char32_t cp) {
  // Control characters, the byte order mark and zero-width no-break space.
  return u_charType(static_cast<UChar32>(cp)) == U_CONTROL_CHAR || cp == 0xFEFF;
}

}  // namespace

Utf8Problem FindInvalidUtf8(std::string_view text) {
  Utf8Problem p;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  int line = 1;
  size_t line_start = 0;
  int32_t i = 0;
  while (i < length) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      p.found = true;
      p.offset = static_cast<size_t>(start);
      p.line = line;
      p.column = static_cast<int>(p.offset - line_start) + 1;
      p.byte = s[start];
      return p;
    }
    if (c == '\n') {
      ++line;
      line_start = static_cast<size_t>(i);
    }
  }
  return p;
}

void AppendUtf8(std::string* out, char32_t cp) {
  char buf[4];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, static_cast<UChar32>(cp),
            error);
  if (!error) out->append(buf, static_cast<size_t>(n));
}

std::string DecodeEntity(std::string_view entity) {
  if (entity.size() < 3 || entity.front() != '&' || entity.back() != ';') {
    return std::string(entity);
  }
  std::string_view body = entity.substr(1, entity.size() - 2);
  if (body.front() == '#') {
    body.remove_prefix(1);
    int base = 10;
    if (!body.empty() && (body.front() == 'x' || body.front() == 'X')) {
      base = 16;
      body.remove_prefix(1);
    }
    uint32_t cp = 0;
    auto [ptr, ec] =
        std::from_chars(body.data(), body.data() + body.size(), cp, base);
    if (ec != std::errc() || ptr != body.data() + body.size()) {
      return std::string(entity);
    }
    // As HTML does: NUL, surrogates and out-of-range become U+FFFD.
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      cp = 0xFFFD;
    }
    std::string out;
    AppendUtf8(&out, cp);
    return out;
  }
  std::string_view decoded = LookupNamedEntity(body);
  if (decoded.empty()) return std::string(entity);
  return std::string(decoded);
}

std::string DecodeEntities(std::string_view text) {
  if (text.find('&') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '&') {
      size_t semi = text.find(';', i + 1);
      // Longest named entity is 32 characters; numeric ones are shorter.
      if (semi != std::string_view::npos && semi - i <= 40 && semi > i + 1) {
        std::string_view candidate = text.substr(i, semi - i + 1);
        bool plausible =
            std::all_of(candidate.begin() + 1, candidate.end() - 1, [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                     (c >= '0' && c <= '9') || c == '#';
            });
        if (plausible) {
          out += DecodeEntity(candidate);
          i = semi + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

std::string CleanText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  bool pending_space = false;
  while (i < length) {
    // ASCII fast path: a run of visible characters, and of single spaces
    // between them, is copied at once (text is mostly such runs).
    if (s[i] < 0x80) {
      int32_t run = i;
      while (run < length) {
        if (s[run] > 0x20 && s[run] < 0x7f) {
          ++run;
        } else if (s[run] == ' ' && run > i && run + 1 < length &&
                   s[run + 1] > 0x20 && s[run + 1] < 0x7f) {
          run += 2;
        } else {
          break;
        }
      }
      if (run > i) {
        if (pending_space && !out.empty()) out += ' ';
        pending_space = false;
        out.append(
            text.substr(static_cast<size_t>(i), static_cast<size_t>(run - i)));
        i = run;
        continue;
      }
      char c = static_cast<char>(s[i++]);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
          c == '\v') {
        pending_space = true;
      } else if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) {
        if (pending_space && !out.empty()) out += ' ';
        pending_space = false;
        out += c;
      }
      continue;
    }
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) continue;  // invalid bytes are rejected before parsing
    if (IsSpace(static_cast<char32_t>(c))) {
      pending_space = true;
    } else if (!IsDropped(static_cast<char32_t>(c))) {
      if (pending_space && !out.empty()) out += ' ';
      pending_space = false;
      out.append(text.substr(static_cast<size_t>(start),
                             static_cast<size_t>(i - start)));
    }
  }
  return ToNfc(std::move(out));
}

char32_t FirstCodePoint(std::string_view text) {
  if (text.empty()) return 0;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(s, i, static_cast<int32_t>(text.size()), c);
  return c < 0 ? 0 : static_cast<char32_t>(c);
}

char32_t LastCodePoint(std::string_view text) {
  if (text.empty()) return 0;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = static_cast<int32_t>(text.size());
  UChar32 c;
  U8_PREV(s, 0, i, c);
  return c < 0 ? 0 : static_cast<char32_t>(c);
}

std::string_view DropLastCodePoint(std::string_view text) {
  if (text.empty()) return text;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = static_cast<int32_t>(text.size());
  UChar32 c;
  U8_PREV(s, 0, i, c);
  return text.substr(0, static_cast<size_t>(i));
}

bool IsLowerCaseLetter(char32_t cp) {
  return u_islower(static_cast<UChar32>(cp));
}

bool IsUpperCaseLetter(char32_t cp) {
  return u_isupper(static_cast<UChar32>(cp)) ||
         u_istitle(static_cast<UChar32>(cp));
}

bool IsOpeningQuote(char32_t cp) {
  return cp == '"' || cp == '\'' ||
         u_charType(static_cast<UChar32>(cp)) == U_INITIAL_PUNCTUATION ||
         cp == 0x201E /* „ */ || cp == 0x201A /* ‚ */;
}

bool IsClosingQuote(char32_t cp) {
  return cp == '"' || cp == '\'' ||
         u_charType(static_cast<UChar32>(cp)) == U_FINAL_PUNCTUATION;
}

std::vector<std::string> SplitNameList(std::string_view text) {
  std::vector<std::string> names;
  std::string current;
  auto flush = [&] {
    std::string name = CleanText(current);
    if (!name.empty()) names.push_back(std::move(name));
    current.clear();
  };
  size_t i = 0;
  while (i < text.size()) {
    std::string_view rest = text.substr(i);
    if (rest.front() == ',' || rest.front() == ';') {
      flush();
      ++i;
      // ", and C"
      std::string_view after = text.substr(i);
      size_t skip = after.find_first_not_of(' ');
      if (skip != std::string_view::npos &&
          after.substr(skip).starts_with("and ")) {
        i += skip + 4;
      }
      continue;
    }
    if (rest.starts_with(" and ")) {
      flush();
      i += 5;
      continue;
    }
    if (rest.starts_with(" & ")) {
      flush();
      i += 3;
      continue;
    }
    current += rest.front();
    ++i;
  }
  flush();
  return names;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         EqualsNoCase(text.substr(0, prefix.size()), prefix);
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string NormalizeNewlines(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (text.find('\r') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    if (j > i) words.push_back(text.substr(i, j - i));
    i = j + 1;
  }
  return words;
}

}  // namespace pundit::parse
