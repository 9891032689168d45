// Did-you-mean from the corpus's own vocabulary: the indexer writes no Xapian
// spelling data, so a word the index does not know is compared with the
// unprefixed words that start with the same character, however rare
// (Snapshot::Vocabulary, cached per index revision). Internal to the
// searcher library.
//
// Thread-safety: the functions are pure apart from the snapshot's own
// thread-safe vocabulary cache.
#ifndef PUNDIT_SEARCHER_SPELLING_H_
#define PUNDIT_SEARCHER_SPELLING_H_

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>

#include "searcher/snapshot.h"

namespace pundit {

// Optimal-string-alignment (restricted Damerau-Levenshtein) distance between
// two UTF-8 words, counted in characters; an adjacent transposition costs 1.
// Returns max_distance + 1 as soon as the distance surely exceeds it.
int EditDistance(std::string_view a, std::string_view b, int max_distance);

// The closest vocabulary word (then the most frequent of the closest) within
// edit distance 1 (words of up to 4 characters) or 2 (longer words) of the
// folded `word`, whose own document frequency is `freq`; only words at
// least 10 times more frequent are offered for a word the index knows.
// nullopt for words under 3 characters, words holding a digit, or when
// nothing is close.
std::optional<std::string> SuggestSpelling(const std::string& word,
                                           unsigned freq,
                                           const Snapshot& snapshot,
                                           Xapian::Database& db);

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_SPELLING_H_
