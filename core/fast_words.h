// The word boundaries of text in ASCII and common Latin letters and
// punctuation, as ICU's root word break iterator finds them, without ICU.
//
// Most news text is ASCII with a few typographic quotes and dashes, and for
// it ICU's rule-based iterator (a state machine with a cache of boundaries)
// costs several times what the rules need. FindFastWords applies the rules
// of UAX #29 as ICU 72's root rules do to these characters, and gives the
// rule status ICU reports for each word:
//   - letters (A-Z, a-z; '@', which ICU's root rules add to them; the
//     letters of Latin-1 and Latin Extended-A whose compatibility form is
//     themselves), digits and '_' join (WB5, WB8-WB10, WB13a/b);
//   - '.', '\'', U+2018 and U+2019 join two letters (WB6/7: "U.S",
//     "Russia’s") or two digits (WB11/12: "3.5"); ',' and ';' only two
//     digits ("1,000"); ':' nothing (ICU's root rules take it out of
//     MidLetter);
//   - every other ASCII character, and the listed punctuation (“ ” — – …
//     NBSP £ ° • « » © ® § × ÷ → −), is a boundary on both sides.
// A word's status is that of its last character: UBRK_WORD_LETTER (200)
// after a letter, UBRK_WORD_NUMBER (100) after a digit; after a trailing
// '_', 100 when a digit comes before it and 200 otherwise; a lone '_' is
// not a word (status none).
//
// Of the listed characters only '…' and NBSP have a compatibility form
// ("..." and a space): neither joins words before or after it, so the
// words are those ICU finds in the compatibility form too.
// tests/fast_words_test.cc checks all this against ICU on every string of
// up to five characters from an alphabet of each class, on random text and
// on the test articles.
//
// Thread-safe (a pure function).
#ifndef PUNDIT_CORE_FAST_WORDS_H_
#define PUNDIT_CORE_FAST_WORDS_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace pundit {

inline constexpr int32_t kFastWordNumber = 100;  // UBRK_WORD_NUMBER
inline constexpr int32_t kFastWordLetter = 200;  // UBRK_WORD_LETTER

struct FastWord {
  int32_t begin = 0;   // UTF-16 index of the word's first character
  int32_t end = 0;     // one past its last
  int32_t status = 0;  // kFastWordNumber or kFastWordLetter
};

// When every character of `text` (UTF-16) is one of those above, replaces
// `out` with its words in order (the segments for which ICU's root word
// break iterator reports a status other than UBRK_WORD_NONE, with that
// status) and returns true. Returns false, `out` unspecified, when `text`
// holds any other character: ICU's iterator must find its words.
bool FindFastWords(std::u16string_view text, std::vector<FastWord>* out);

}  // namespace pundit

#endif  // PUNDIT_CORE_FAST_WORDS_H_
