// Analyzer: the ONE text pipeline used both to index articles and to read
// queries, so that what a query produces is exactly what the index holds.
//
// Steps (ICU 72 + Xapian's Snowball English stemmer):
//   0. before words are found, each character takes its compatibility form
//      (NFKC: "CO₂" -> "CO2", ligatures, full-width forms), keeping the
//      byte offsets of the original text;
//   1. ICU word boundaries (BreakIterator word instance, root locale), which
//      also segment Chinese and Japanese text into dictionary words; text
//      of ASCII and common Latin letters and punctuation gets the same
//      words from core/fast_words.h without ICU;
//      punctuation and spaces are dropped, numbers such as "21st", "3,5" and
//      "11" are words; a letter word with full stops inside is split at them
//      when every piece has two characters or more ("Kong.Three" -> kong,
//      three: a missing space), and kept whole otherwise ("U.S", "e.g");
//   2. each word is folded: NFKC, full case folding, diacritics removed
//      ("Guaidó" -> "guaido"), typographic apostrophes and quotes folded to
//      ASCII ("Russia’s" -> "russia's"), traditional Chinese characters
//      as simplified ones (ICU's Traditional-Simplified transform,
//      character by character: 經濟 -> 经济; Japanese kanji that have a
//      simplified form fold too: 東京 -> 东京);
//   3. hyphenated compounds give their parts at consecutive positions plus the
//      whole, joined without hyphen, at the first part's position
//      ("Afro-Eurasia" -> afro@p, eurasia@p+1, afroeurasia@p);
//   4. Stem() gives the Snowball English stem of a folded word; words with
//      digits or CJK characters are their own stem.
//
// Thread-safety: an Analyzer is NOT thread-safe (it owns ICU break iterators
// and a stemmer); give each thread its own. Construction is cheap (~0.1 ms).
#ifndef PUNDIT_CORE_ANALYZER_H_
#define PUNDIT_CORE_ANALYZER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pundit {

struct Token {
  std::string term;       // folded, unstemmed
  size_t begin = 0;       // byte offset of the word in the analysed text
  size_t end = 0;         // one past its last byte
  unsigned position = 0;  // word position, starting at the caller's base
  bool compound = false;  // the joined whole of a hyphenated word
};

class Analyzer {
 public:
  // How step 1 finds words: kFast takes core/fast_words.h where it can (the
  // same words, faster); kIcuOnly always asks ICU (tests compare the two).
  enum class WordBreaks { kFast, kIcuOnly };

  explicit Analyzer(WordBreaks word_breaks = WordBreaks::kFast);
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Words of `text` (UTF-8; invalid sequences are treated as separators) as
  // folded tokens with byte offsets into `text` and positions from
  // `first_position`. Never fails.
  std::vector<Token> Tokenize(std::string_view text,
                              unsigned first_position = 1);

  // Folds one word as steps 0 and 2 above. Returns "" for text with no
  // letters or digits.
  std::string Fold(std::string_view word);

  // Snowball English stem of a folded word (step 4).
  std::string Stem(const std::string& folded);

  // Stem() of each of `folded`, in order: the same stems, faster for the
  // many words of an article (the memory of their lookups in the cache of
  // recent stems is read ahead).
  std::vector<std::string> Stems(const std::vector<const std::string*>& folded);

  // Display normalisation for facet values and titles: NFC, whitespace runs
  // collapsed to one space, trimmed. Keeps case and diacritics.
  static std::string NormalizeDisplay(std::string_view text);

  // Case- and diacritic-insensitive key for comparing display values
  // ("Guaidó Juan" and "guaido  juan" have the same key).
  std::string FoldKey(std::string_view text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pundit

#endif  // PUNDIT_CORE_ANALYZER_H_
