#include "searcher/terms.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/document.h"
#include "core/schema.h"
#include "searcher/query.h"

namespace pundit {
namespace {

// A word that may be listed: a letter in it, no digit, at least 3 bytes, not
// a stop word. Index terms with a prefix (capital letters) are not words.
bool IsCandidateWord(std::string_view w) {
  if (w.size() < 3) return false;
  const unsigned char first = static_cast<unsigned char>(w[0]);
  if (first >= 'A' && first <= 'Z') return false;
  bool letter = false;
  for (unsigned char c : w) {
    if (c >= '0' && c <= '9') return false;
    if ((c >= 'a' && c <= 'z') || c >= 0x80) letter = true;
  }
  return letter && !query::IsStopWord(w);
}

// The query's own words: its unprefixed terms, and the stems of its Z terms.
struct QueryWords {
  std::unordered_set<std::string> words, stems;

  explicit QueryWords(const Xapian::Query& q) {
    const std::string_view stem_prefix = schema::kStemPrefix;
    for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end();
         ++t) {
      const std::string& term = *t;
      if (term.empty()) continue;
      const unsigned char first = static_cast<unsigned char>(term[0]);
      if (!(first >= 'A' && first <= 'Z')) {
        words.insert(term);
      } else if (term.rfind(stem_prefix, 0) == 0 &&
                 term.size() > stem_prefix.size()) {
        stems.insert(term.substr(stem_prefix.size()));
      }
    }
  }

  bool Holds(const std::string& word, Analyzer& analyzer) const {
    if (words.count(word)) return true;
    return !stems.empty() && stems.count(analyzer.Stem(word)) > 0;
  }
};

// Up to `n` matches spread evenly over `matches` by docid (all of them when
// there are no more).
std::vector<Xapian::docid> Sample(const Bitmap& matches, size_t n) {
  const uint64_t total = matches.Cardinality();
  std::vector<Xapian::docid> out;
  out.reserve(std::min<uint64_t>(total, n));
  uint64_t i = 0, next = 0;
  matches.ForEach([&](uint32_t did) {
    if (i++ != next || out.size() >= n) return;
    out.push_back(did);
    next = total <= n ? i : out.size() * total / n;
  });
  return out;
}

// How many of `docs` hold each candidate word (their unprefixed terms).
std::unordered_map<std::string, uint32_t> WordCounts(
    const Xapian::Database& db, const std::vector<Xapian::docid>& docs) {
  std::unordered_map<std::string, uint32_t> counts;
  for (Xapian::docid did : docs) {
    auto t = db.termlist_begin(did);
    // Prefixed terms (capitals) and words starting with a digit sort
    // before "a": no candidate among them.
    t.skip_to("a");
    for (; t != db.termlist_end(did); ++t) {
      const std::string& term = *t;
      if (IsCandidateWord(term)) ++counts[term];
    }
  }
  return counts;
}

// The matches among the documents holding `term`.
long CountIn(const Xapian::Database& db, const std::string& term,
             const Bitmap& matches) {
  long n = 0;
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
    if (matches.Contains(*p)) ++n;
  }
  return n;
}

// The sizes the scores compare: matches and the rest of the index.
struct Sizes {
  double matches = 0, rest = 0;
  double Score(double in_match, double in_index) const {
    double in_rest = std::clamp(in_index - in_match, 0.0, rest);
    return LogLikelihood(in_match, matches, in_rest, rest);
  }
};

// Best first: by score, then term.
bool Better(const SignificantTerm& a, const SignificantTerm& b) {
  return a.score != b.score ? a.score > b.score : a.term < b.term;
}

std::vector<SignificantTerm> Words(const TermsInput& in, Analyzer& analyzer,
                                   const QueryWords& own, const Sizes& sizes,
                                   size_t limit) {
  const std::vector<Xapian::docid> sample =
      Sample(*in.matches, kTermsWordSample);
  const bool whole = sample.size() == in.matches->Cardinality();
  const double scale = sizes.matches / std::max<size_t>(1, sample.size());
  std::vector<std::pair<uint32_t, std::string>> counted;
  for (auto& [word, n] : WordCounts(in.db, sample)) {
    if (n >= 2) counted.emplace_back(n, word);
  }
  std::sort(counted.begin(), counted.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  // A word's score is at most that of a word found in the matches alone,
  // which grows with its count: once that bound is below the limit-th best
  // score, no rarer word can enter the list.
  std::vector<SignificantTerm> found;
  std::vector<double> best;  // min-heap of the best `limit` scores
  for (const auto& [n, word] : counted) {
    const double in_match = n * scale;
    if (best.size() == limit &&
        sizes.Score(in_match, in_match) < best.front()) {
      break;
    }
    if (own.Holds(word, analyzer)) continue;
    const double score = sizes.Score(in_match, in.db.get_termfreq(word));
    if (score < kTermsMinScore) continue;
    found.push_back({word, static_cast<long>(n), score});
    if (best.size() == limit) {
      if (score <= best.front()) continue;
      std::pop_heap(best.begin(), best.end(), std::greater<>());
      best.pop_back();
    }
    best.push_back(score);
    std::push_heap(best.begin(), best.end(), std::greater<>());
  }
  std::sort(found.begin(), found.end(), Better);
  if (found.size() > limit) found.resize(limit);
  if (whole) return found;
  // A sample's counts were estimates: count and score the few kept exactly.
  std::vector<SignificantTerm> exact;
  for (SignificantTerm& t : found) {
    t.count = CountIn(in.db, t.term, *in.matches);
    t.score = sizes.Score(t.count, in.db.get_termfreq(t.term));
    if (t.count >= 2 && t.score >= kTermsMinScore) exact.push_back(t);
  }
  std::sort(exact.begin(), exact.end(), Better);
  return exact;
}

// Two-word phrases of `text` whose words are candidates and stand next to
// each other with only white space between them, each once.
void AddPhrases(std::string_view text, Analyzer& analyzer,
                std::set<std::string>& out) {
  std::vector<Token> tokens = analyzer.Tokenize(text, 0);
  const Token* prev = nullptr;
  for (const Token& t : tokens) {
    if (t.compound) continue;
    if (prev && t.position == prev->position + 1 &&
        IsCandidateWord(prev->term) && IsCandidateWord(t.term)) {
      std::string_view between =
          text.substr(prev->end, t.begin - std::min(t.begin, prev->end));
      if (std::all_of(between.begin(), between.end(),
                      [](char c) { return c == ' ' || c == '\t'; })) {
        out.insert(prev->term + " " + t.term);
      }
    }
    prev = &t;
  }
}

std::vector<SignificantTerm> Phrases(const TermsInput& in, Analyzer& analyzer,
                                     const QueryWords& own,
                                     const Sizes& sizes) {
  std::unordered_map<std::string, uint32_t> counts;
  for (const std::string& data : in.top_data) {
    Result<Article> a = ArticleFromData(data);
    if (!a.ok()) continue;
    std::set<std::string> phrases;
    AddPhrases(a->title, analyzer, phrases);
    AddPhrases(a->lede, analyzer, phrases);
    for (const Block& b : a->body) AddPhrases(b.text, analyzer, phrases);
    for (const std::string& p : phrases) ++counts[p];
  }
  std::vector<std::pair<uint32_t, std::string>> candidates;
  for (auto& [phrase, n] : counts) {
    if (n < 2) continue;
    const size_t space = phrase.find(' ');
    if (own.Holds(phrase.substr(0, space), analyzer) &&
        own.Holds(phrase.substr(space + 1), analyzer)) {
      continue;  // the query's own phrase
    }
    candidates.emplace_back(n, phrase);
  }
  const size_t n = std::min(kTermsPhraseCandidates, candidates.size());
  std::partial_sort(candidates.begin(), candidates.begin() + n,
                    candidates.end(), [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first
                                                : a.second < b.second;
                    });
  std::vector<SignificantTerm> found;
  for (size_t i = 0; i < n; ++i) {
    const Bitmap docs = in.phrase_docs(candidates[i].second);
    const long count = static_cast<long>(docs.AndCardinality(*in.matches));
    const double score =
        sizes.Score(count, static_cast<double>(docs.Cardinality()));
    if (count >= 2 && score >= kTermsMinScore) {
      found.push_back({candidates[i].second, count, score});
    }
  }
  return found;
}

// k ln p + (n - k) ln (1 - p), with 0 ln 0 = 0: the log-likelihood of k
// of n under a binomial of probability p.
double BinomialLog(double k, double n, double p) {
  double l = 0;
  if (k > 0) l += k * std::log(p);
  if (n - k > 0) l += (n - k) * std::log(1 - p);
  return l;
}

}  // namespace

double LogLikelihood(double in_match, double matches, double in_rest,
                     double rest) {
  if (matches <= 0 || rest <= 0) return 0;
  const double p1 = in_match / matches, p2 = in_rest / rest;
  const double p = (in_match + in_rest) / (matches + rest);
  const double g2 =
      2 * (BinomialLog(in_match, matches, p1) + BinomialLog(in_rest, rest, p2) -
           BinomialLog(in_match, matches, p) - BinomialLog(in_rest, rest, p));
  return p1 >= p2 ? g2 : -g2;
}

std::vector<SignificantTerm> FindSignificantTerms(const TermsInput& in,
                                                  Analyzer& analyzer,
                                                  size_t limit) {
  const double all = in.db.get_doccount();
  Sizes sizes;
  sizes.matches = in.matches ? in.matches->Cardinality() : 0;
  sizes.rest = all - sizes.matches;
  if (sizes.matches == 0 || sizes.rest <= 0 || limit == 0) return {};
  const QueryWords own(in.query);
  std::vector<SignificantTerm> terms = Words(in, analyzer, own, sizes, limit);
  for (SignificantTerm& p : Phrases(in, analyzer, own, sizes)) {
    terms.push_back(std::move(p));
  }
  std::sort(terms.begin(), terms.end(), Better);
  if (terms.size() > limit) terms.resize(limit);
  return terms;
}

}  // namespace pundit
