// StemCache: the stems of recent words, so that text, which repeats its
// words, is stemmed about once per word instead of once per article.
//
// A table of slots of one cache line each, holding a word and its stem
// inline: a lookup reads one set of two adjacent lines, where a node-based
// hash map reads its bucket array and then a node, both usually missing the
// CPU caches while Xapian's writer fills them with its own maps (that map's
// find was 6% of the time of `pundit index`); GetAll reads the sets of the
// words ahead in advance. Each word has one set of two slots, chosen by its
// hash; a new word takes the first slot and moves the word there to the
// second, whose word is dropped. Words or stems longer than kMaxBytes are
// stemmed on every call and not kept.
//
// The table starts with kMinSlots and doubles (emptied) each time it has
// taken in as many words as it has slots, up to kMaxSlots: an analyzer that
// stems a few query words keeps 64 KB, an indexer's 8 MB, which misses 8.7%
// of the words of the synthetic articles (10,000 of them; 12.8% with half
// as many slots, 8.2% with any number: the words seen once).
//
// Not thread-safe: each Analyzer (one a thread) has its own.

#ifndef PUNDIT_CORE_STEM_CACHE_H_
#define PUNDIT_CORE_STEM_CACHE_H_

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pundit {

class StemCache {
 public:
  static constexpr size_t kMaxBytes = 27;
  static constexpr size_t kMinSlots = 1024;
  static constexpr size_t kMaxSlots = size_t{1} << 17;

  StemCache();
  ~StemCache();
  StemCache(const StemCache&) = delete;
  StemCache& operator=(const StemCache&) = delete;

  // The stem of `word` by `stemmer`: the one kept for it, or stemmer(word),
  // then kept. Always the same as stemmer(word).
  std::string Get(const std::string& word, const Xapian::Stem& stemmer);

  // Get() of each of `words`, in order, into `stems` (resized to match):
  // the same stems, with the slots of the words ahead of the one looked up
  // read in advance, so that the memory of many lookups is waited for at
  // once rather than one lookup after another.
  void GetAll(const std::vector<const std::string*>& words,
              const Xapian::Stem& stemmer, std::vector<std::string>* stems);

  // Calls of Get that ran the stemmer (each word of GetAll counts as one).
  size_t misses() const { return misses_; }
  // Slots of the table now.
  size_t slots() const { return slots_; }

 private:
  struct alignas(64) Slot {
    uint64_t hash;  // 0: empty
    uint8_t word_size;
    uint8_t stem_size;
    char word[kMaxBytes];
    char stem[kMaxBytes];
  };
  static_assert(sizeof(Slot) == 64, "a slot is one cache line");

  static uint64_t Hash(const std::string& word);
  // Get() of `word`, whose Hash() is `hash`.
  std::string Get(const std::string& word, uint64_t hash,
                  const Xapian::Stem& stemmer);
  void Allocate(size_t slots);

  std::unique_ptr<Slot[]> table_;
  size_t slots_ = 0;
  size_t stored_ = 0;  // words taken in since the table was last emptied
  size_t misses_ = 0;
  std::vector<uint64_t> hashes_;  // GetAll's, kept for its next call
};

}  // namespace pundit

#endif  // PUNDIT_CORE_STEM_CACHE_H_
