// Highlighting: finds a query's matches in stored article text (with the
// same Analyzer that indexed it, so stems, diacritic folding and phrases
// match exactly as in the index), marks them in escaped HTML and picks the
// snippet fragments shown under each hit. Internal to the searcher library.
//
// Output is HTML-escaped text (& < > " ') in which <mark>...</mark> is the
// only markup; matches are marked in the text's original spelling.
//
// Thread-safety: a Highlighter and a SentenceBreaker are NOT thread-safe
// (both hold ICU or Analyzer state); use them from the owning thread.
#ifndef PUNDIT_SEARCHER_HIGHLIGHT_H_
#define PUNDIT_SEARCHER_HIGHLIGHT_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/analyzer.h"
#include "core/html.h"
#include "core/sentences.h"
#include "searcher/query.h"
#include "searcher/searcher.h"

namespace pundit {

// Number of characters (code points) of UTF-8 `text`.
size_t CharCount(std::string_view text);

// `text` escaped and, when longer than `max_chars` characters, cut at the
// last word boundary that fits and ended with "…".
std::string EscapedPrefix(std::string_view text, size_t max_chars);

class Highlighter {
 public:
  // `units` (weights filled in) are copied; `analyzer` and `breaker` are
  // used, not owned, and must outlive the Highlighter.
  Highlighter(Analyzer& analyzer, SentenceBreaker& breaker,
              std::vector<query::HighlightUnit> units);

  // True when there is nothing to mark (a query of filters only).
  bool empty() const { return units_.empty(); }

  // The whole of `text`, escaped, every match in <mark>. Adds the number of
  // marks to *marks when given.
  std::string Mark(std::string_view text, int* marks = nullptr);

  // Every match in `text` (the matches Mark would mark, in text order) with
  // up to `words` words either side, never reaching past `text` (give it
  // one paragraph at a time).
  std::vector<InContext> InContexts(std::string_view text, size_t words);

  // Up to `max_fragments` fragments of at most about `max_chars` characters
  // from `paragraphs`, each starting and ending at a sentence boundary (or a
  // word boundary inside a longer sentence), chosen greedily to hold the
  // most and rarest units, returned in text order. A fragment that does not
  // end its paragraph ends with "…"; one cut inside a sentence starts with
  // "…". Empty when no paragraph holds a match.
  std::vector<std::string> Snippets(
      const std::vector<std::string_view>& paragraphs, size_t max_fragments = 3,
      size_t max_chars = 300);

 private:
  struct Match {
    size_t begin = 0, end = 0;  // byte span in the text
    std::vector<int> units;     // indexes into units_
  };
  // Matches of the units in `text`, sorted and merged where they overlap;
  // `tokens` receives the text's tokens (empty when skipped quickly).
  std::vector<Match> FindMatches(std::string_view text,
                                 std::vector<Token>* tokens);
  // False only when `text` surely holds no match (a cheap test on ASCII).
  bool MayMatch(std::string_view text) const;
  bool WordMatches(const query::HighlightUnit& unit, const std::string& term);
  static std::string Render(std::string_view text, size_t begin, size_t end,
                            const std::vector<Match>& matches, int* marks);

  Analyzer& analyzer_;
  SentenceBreaker& breaker_;
  std::vector<query::HighlightUnit> units_;
  std::vector<std::string> needles_;  // ASCII needles for MayMatch
  bool always_tokenize_ = false;      // some unit has no ASCII needle
};

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_HIGHLIGHT_H_
