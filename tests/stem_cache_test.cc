#include "core/stem_cache.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <cmath>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "core/analyzer.h"

namespace pundit {
namespace {

// Words of English shapes (stems with suffixes Snowball strips or changes)
// and of random letters, some longer than a slot holds.
std::vector<std::string> Vocabulary(size_t n, uint32_t seed) {
  static const char* kStems[] = {"nation", "run",   "happy", "generous",
                                 "relate", "argue", "hope",  "market"};
  static const char* kSuffixes[] = {"",    "s",       "es",   "ed",
                                    "ing", "ly",      "ness", "alization",
                                    "ies", "ational", "ful",  "ment"};
  std::mt19937 rng(seed);
  std::vector<std::string> words;
  for (const char* stem : kStems) {
    for (const char* suffix : kSuffixes)
      words.push_back(std::string(stem) + suffix);
  }
  std::uniform_int_distribution<int> letter('a', 'z');
  std::uniform_int_distribution<size_t> length(1, StemCache::kMaxBytes + 8);
  std::uniform_int_distribution<size_t> suffix(0, std::size(kSuffixes) - 1);
  while (words.size() < n) {
    std::string w;
    for (size_t i = length(rng); i > 0; --i)
      w += static_cast<char>(letter(rng));
    words.push_back(w + kSuffixes[suffix(rng)]);
  }
  return words;
}

TEST(StemCacheTest, EveryLookupGivesTheStemmersStem) {
  const Xapian::Stem stemmer("english");
  // More words than the largest table holds: sets overflow, words are
  // dropped and stemmed again, and the table grows to its largest.
  const std::vector<std::string> words = Vocabulary(300000, 1);
  std::mt19937 rng(2);
  // Zipf-like repetition: low indices far more often.
  std::uniform_real_distribution<double> u(0.0, 1.0);
  StemCache cache;
  size_t calls = 0;
  for (int i = 0; i < 600000; ++i) {
    const size_t at =
        static_cast<size_t>(std::pow(u(rng), 3.0) * (words.size() - 1));
    ASSERT_EQ(cache.Get(words[at], stemmer), stemmer(words[at])) << words[at];
    ++calls;
  }
  EXPECT_EQ(cache.slots(), StemCache::kMaxSlots);
  EXPECT_GT(cache.misses(), 0u);
  EXPECT_LT(cache.misses(), calls);
}

TEST(StemCacheTest, GetAllGivesWhatGetGivesInOrder) {
  const Xapian::Stem stemmer("english");
  const std::vector<std::string> words = Vocabulary(5000, 3);
  StemCache all;
  StemCache one;
  std::vector<std::string> stems;
  // Batches of every size around the read-ahead distance, and words
  // repeated within a batch.
  size_t begin = 0;
  for (size_t size = 0; begin + size <= words.size(); ++size) {
    std::vector<const std::string*> batch;
    for (size_t i = begin; i < begin + size; ++i) batch.push_back(&words[i]);
    if (size > 2) batch.push_back(&words[begin]);
    all.GetAll(batch, stemmer, &stems);
    ASSERT_EQ(stems.size(), batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      ASSERT_EQ(stems[i], one.Get(*batch[i], stemmer)) << *batch[i];
      ASSERT_EQ(stems[i], stemmer(*batch[i])) << *batch[i];
    }
    begin += size;
  }
  EXPECT_EQ(all.misses(), one.misses());
}

TEST(StemCacheTest, AWordLookedUpAgainIsNotStemmedAgain) {
  const Xapian::Stem stemmer("english");
  StemCache cache;
  for (const std::string& w : Vocabulary(2000, 4)) {
    EXPECT_EQ(cache.Get(w, stemmer), stemmer(w));
    const size_t after_first = cache.misses();
    EXPECT_EQ(cache.Get(w, stemmer), stemmer(w));
    // A word longer than a slot holds is stemmed on every call.
    EXPECT_EQ(cache.misses(),
              after_first + (w.size() > StemCache::kMaxBytes ? 1 : 0))
        << w;
  }
  // 2,000 words, fewer of them short enough to keep: one doubling.
  EXPECT_EQ(cache.slots(), 2 * StemCache::kMinSlots);
}

TEST(StemCacheTest, AnalyzerStemsEqualsStemOfEachWord) {
  Analyzer analyzer;
  const std::vector<std::string> words = {
      "",        "running", "2024",  "covid19", "経済",
      "nations", "Ünited",  "hopes", "running", std::string(40, 'x') + "ing",
      "argued"};
  std::vector<const std::string*> batch;
  for (const std::string& w : words) batch.push_back(&w);
  const std::vector<std::string> stems = analyzer.Stems(batch);
  ASSERT_EQ(stems.size(), words.size());
  Analyzer other;
  for (size_t i = 0; i < words.size(); ++i) {
    EXPECT_EQ(stems[i], other.Stem(words[i])) << words[i];
  }
  EXPECT_EQ(stems[1], "run");
  EXPECT_EQ(stems[2], "2024");
  EXPECT_EQ(stems[4], "経済");
}

}  // namespace
}  // namespace pundit
