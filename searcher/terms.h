// Significant terms: the words and two-word phrases that are over-represented
// in the matches of a search compared with the whole index ("Words that
// stand out" on the search page, GET /api/terms). Internal to the searcher
// library; Searcher::SignificantTerms (searcher.h) gathers the inputs from
// the stages of a search (compile the query, the filtered match set, the
// ranked page) and calls FindSignificantTerms.
//
// Method (docs/API.md, "Significant terms"):
//   words    every unprefixed index term (the folded, unstemmed word) of the
//            matches, or of kTermsWordSample of them spread evenly over the
//            match set by docid when there are more; a candidate has a
//            letter, at least 3 bytes, is no stop word (query::IsStopWord),
//            no word of the query (nor of its stems), and is held by at
//            least 2 sampled matches;
//   phrases  two adjacent words, both candidates by the same rules but for
//            the query's words, in the text (title, lede, body) of the first
//            kTermsPhraseDocs ranked matches, with nothing but white space
//            between them; the kTermsPhraseCandidates held by most of those
//            articles are counted exactly over the match set and the index;
//   score    Dunning's log-likelihood ratio G^2 of the 2x2 table of
//            documents holding the term or not, in the matches or in the
//            rest of the index; a term is kept only when its share of the
//            matches is above its share of the rest and G^2 >= 10.83
//            (p < 0.001 for one degree of freedom). A word's count in a
//            sample is scaled to the match set for the score, and its
//            reported count is exact (its posting list against the match
//            set).
//
// Threads: FindSignificantTerms uses the database and the analyzer it is
// given from the calling thread only; it is as thread-safe as they are.
#ifndef PUNDIT_SEARCHER_TERMS_H_
#define PUNDIT_SEARCHER_TERMS_H_

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/analyzer.h"
#include "searcher/searcher.h"
#include "searcher/snapshot.h"

namespace pundit {

// Matches whose terms are read for words, at most.
inline constexpr size_t kTermsWordSample = 500;
// Ranked matches whose text is read for phrases.
inline constexpr size_t kTermsPhraseDocs = 50;
// Phrases counted exactly over the index, at most.
inline constexpr size_t kTermsPhraseCandidates = 16;
// G^2 of p = 0.001 with one degree of freedom.
inline constexpr double kTermsMinScore = 10.83;

struct TermsInput {
  // The index the matches are documents of (one generation or shards).
  Xapian::Database db;
  // The compiled query (its terms are never listed); empty for no text.
  Xapian::Query query;
  // Every match of the request under every filter (docids of `db`).
  const Bitmap* matches = nullptr;
  // The stored data (core/document.h) of the first ranked matches, best
  // first; phrases come from their text. Data that does not parse is
  // passed over.
  std::vector<std::string> top_data;
  // Every document of `db` holding the two-word phrase "w1 w2" (folded
  // words separated by one space), as the query "w1 w2" in quotes finds it.
  std::function<Bitmap(const std::string& phrase)> phrase_docs;
};

// The at most `limit` terms most over-represented in in.matches, by score
// descending (then term). Empty when nothing matches or every document
// does. Never fails by itself; throws what Xapian throws (the Searcher
// reopens and retries).
std::vector<SignificantTerm> FindSignificantTerms(const TermsInput& in,
                                                  Analyzer& analyzer,
                                                  size_t limit);

// Dunning's G^2 for a term held by `in_match` of `matches` documents and
// by `in_rest` of the `rest` other documents; negative (by the same
// amount) when the term is rarer in the matches than in the rest, 0 when
// either side is empty. Counts may be estimates, hence double.
double LogLikelihood(double in_match, double matches, double in_rest,
                     double rest);

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_TERMS_H_
