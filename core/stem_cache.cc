#include "core/stem_cache.h"

#include <cstring>
#include <functional>
#include <string_view>

namespace pundit {
namespace {

// How many words ahead GetAll reads the slot of: enough lookups in flight
// to cover a miss of the CPU caches, not so many that the lines read ahead
// are evicted before they are used.
constexpr size_t kReadAhead = 16;

}  // namespace

StemCache::StemCache() = default;
StemCache::~StemCache() = default;

uint64_t StemCache::Hash(const std::string& word) {
  // Never 0, which marks an empty slot.
  return std::hash<std::string_view>{}(word) | 1;
}

void StemCache::Allocate(size_t slots) {
  table_ = std::make_unique<Slot[]>(slots);  // value-initialised: all empty
  slots_ = slots;
  stored_ = 0;
}

std::string StemCache::Get(const std::string& word,
                           const Xapian::Stem& stemmer) {
  return Get(word, Hash(word), stemmer);
}

void StemCache::GetAll(const std::vector<const std::string*>& words,
                       const Xapian::Stem& stemmer,
                       std::vector<std::string>* stems) {
  if (slots_ == 0) Allocate(kMinSlots);
  hashes_.resize(words.size());
  for (size_t i = 0; i < words.size(); ++i) hashes_[i] = Hash(*words[i]);
  auto read_ahead = [&](size_t i) {
    const Slot* set = &table_[(hashes_[i] & (slots_ / 2 - 1)) * 2];
    __builtin_prefetch(set);
    __builtin_prefetch(set + 1);
  };
  for (size_t i = 0; i < kReadAhead && i < words.size(); ++i) read_ahead(i);
  stems->resize(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    if (i + kReadAhead < words.size()) read_ahead(i + kReadAhead);
    (*stems)[i] = Get(*words[i], hashes_[i], stemmer);
  }
}

std::string StemCache::Get(const std::string& word, uint64_t hash,
                           const Xapian::Stem& stemmer) {
  if (word.size() > kMaxBytes) {
    ++misses_;
    return stemmer(word);
  }
  if (slots_ == 0) Allocate(kMinSlots);
  Slot* set = &table_[(hash & (slots_ / 2 - 1)) * 2];
  for (int way = 0; way < 2; ++way) {
    const Slot& slot = set[way];
    if (slot.hash == hash && slot.word_size == word.size() &&
        std::memcmp(slot.word, word.data(), word.size()) == 0) {
      return std::string(slot.stem, slot.stem_size);
    }
  }
  ++misses_;
  std::string stem = stemmer(word);
  if (stem.size() > kMaxBytes) return stem;
  if (stored_ >= slots_ && slots_ < kMaxSlots) {
    Allocate(slots_ * 2);
    set = &table_[(hash & (slots_ / 2 - 1)) * 2];
  }
  ++stored_;
  set[1] = set[0];  // the older word of the set gives way
  Slot& slot = set[0];
  slot.hash = hash;
  slot.word_size = static_cast<uint8_t>(word.size());
  slot.stem_size = static_cast<uint8_t>(stem.size());
  std::memcpy(slot.word, word.data(), word.size());
  std::memcpy(slot.stem, stem.data(), stem.size());
  return stem;
}

}  // namespace pundit
