#include "core/fast_words.h"

namespace pundit {
namespace {

// Word break classes (UAX #29 as ICU 72's root rules apply them).
enum Class : uint8_t {
  kUnknown,     // not handled here: ICU must decide
  kOther,       // a boundary on both sides
  kLetter,      // ALetter (and '@')
  kDigit,       // Numeric
  kUnderscore,  // ExtendNumLet
  kMidNumLet,   // '.', '\'', U+2018, U+2019: between letters or digits
  kMidNum,      // ',' and ';': between digits
};

constexpr Class AsciiClass(char16_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@') {
    return kLetter;
  }
  if (c >= '0' && c <= '9') return kDigit;
  switch (c) {
    case '_':
      return kUnderscore;
    case '.':
    case '\'':
      return kMidNumLet;
    case ',':
    case ';':
      return kMidNum;
    default:
      return kOther;
  }
}

struct AsciiTable {
  Class classes[128];
  constexpr AsciiTable() : classes() {
    for (int c = 0; c < 128; ++c) classes[c] = AsciiClass(c);
  }
};
constexpr AsciiTable kAscii;

Class ClassOf(char16_t c) {
  if (c < 0x80) return kAscii.classes[c];
  if (c >= 0xC0 && c <= 0x17F) {
    switch (c) {
      case 0xD7:  // ×
      case 0xF7:  // ÷
        return kOther;
      case 0x132:  // Ĳ, ĳ, Ŀ, ŀ, ŉ, ſ: compatibility forms of other letters
      case 0x133:
      case 0x13F:
      case 0x140:
      case 0x149:
      case 0x17F:
        return kUnknown;
      default:
        return kLetter;
    }
  }
  switch (c) {
    case 0x2018:  // ‘
    case 0x2019:  // ’
      return kMidNumLet;
    case 0xA0:    // NO-BREAK SPACE (compatibility form: a space)
    case 0xA3:    // £
    case 0xA7:    // §
    case 0xA9:    // ©
    case 0xAB:    // «
    case 0xAE:    // ®
    case 0xB0:    // °
    case 0xBB:    // »
    case 0x2013:  // –
    case 0x2014:  // —
    case 0x201C:  // “
    case 0x201D:  // ”
    case 0x2022:  // •
    case 0x2026:  // … (compatibility form: "...")
    case 0x2192:  // →
    case 0x2212:  // −
      return kOther;
    default:
      return kUnknown;
  }
}

bool Joins(Class c) { return c == kLetter || c == kDigit || c == kUnderscore; }

}  // namespace

bool FindFastWords(std::u16string_view text, std::vector<FastWord>* out) {
  out->clear();
  const auto length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    const Class c = ClassOf(text[i]);
    if (c == kUnknown) return false;
    if (!Joins(c)) {
      ++i;
      continue;
    }
    const int32_t begin = i;
    Class last = c;         // class of text[i]
    Class before = kOther;  // class of text[i - 1] within the word
    while (i + 1 < length) {
      const Class next = ClassOf(text[i + 1]);
      if (Joins(next)) {
        before = last;
        last = next;
        ++i;
        continue;
      }
      // A middle character joins two letters or two digits (WB6/7, 11/12);
      // anything else (an unknown character included) ends the word.
      if (i + 2 >= length || (next != kMidNumLet && next != kMidNum)) break;
      const Class after = ClassOf(text[i + 2]);
      const bool letters =
          next == kMidNumLet && last == kLetter && after == kLetter;
      const bool digits = last == kDigit && after == kDigit;
      if (!letters && !digits) break;
      before = next;
      last = after;
      i += 2;
    }
    ++i;
    int32_t status = kFastWordLetter;
    if (last == kDigit) {
      status = kFastWordNumber;
    } else if (last == kUnderscore) {
      if (i - begin == 1) continue;  // a lone '_' is not a word
      if (before == kDigit) status = kFastWordNumber;
    }
    out->push_back({begin, i, status});
  }
  return true;
}

}  // namespace pundit
