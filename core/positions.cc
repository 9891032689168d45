#include "core/positions.h"

#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

namespace pundit {
namespace {

// Hash bits below the part number: a part holds hashes part << kLowBits
// up to ((part + 1) << kLowBits) - 1.
constexpr int kLowBits = 10;
static_assert((1u << (16 - kLowBits)) == kPositionParts);

void PutVarint(std::string& out, uint32_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

// Reads a varint at `*p` below `end`; false if it runs past `end` or is
// longer than 5 bytes.
bool GetVarint(const char** p, const char* end, uint32_t* v) {
  uint32_t result = 0;
  for (int shift = 0; shift <= 28 && *p < end; shift += 7) {
    const auto byte = static_cast<unsigned char>(**p);
    ++*p;
    result |= static_cast<uint32_t>(byte & 0x7F) << shift;
    if (byte < 0x80) {
      *v = result;
      return true;
    }
  }
  return false;
}

}  // namespace

bool HasPositions(std::string_view term) {
  if (term.empty()) return false;
  const auto c = static_cast<unsigned char>(term[0]);
  if (c < 'A' || c > 'Z') return true;
  if (c != 'S' || term.size() < 2) return false;
  const auto d = static_cast<unsigned char>(term[1]);
  return d < 'A' || d > 'Z';
}

uint16_t PositionHash(std::string_view term) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (char c : term) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return static_cast<uint16_t>(h ^ (h >> 16));
}

unsigned PositionPart(std::string_view term) {
  return PositionHash(term) >> kLowBits;
}

void PositionRecordBuilder::Add(const std::string& term, uint32_t position) {
  std::vector<uint32_t>& positions = terms_[term];
  if (positions.empty() || positions.back() < position) {
    positions.push_back(position);
  } else if (!std::binary_search(positions.begin(), positions.end(),
                                 position)) {
    positions.insert(
        std::lower_bound(positions.begin(), positions.end(), position),
        position);
  }
}

void PositionRecordBuilder::Add(const std::string& term,
                                std::vector<uint32_t> positions) {
  std::vector<uint32_t>& held = terms_[term];
  if (held.empty()) {
    held = std::move(positions);
    return;
  }
  for (uint32_t position : positions) Add(term, position);
}

std::vector<std::string> PositionRecordBuilder::Finish() {
  std::vector<TermPositions> terms;
  terms.reserve(terms_.size());
  for (const auto& [term, positions] : terms_) {
    terms.push_back({term, &positions});
  }
  std::vector<std::string> parts = EncodePositions(terms);
  terms_.clear();
  return parts;
}

std::vector<std::string> EncodePositions(
    const std::vector<TermPositions>& terms) {
  // Sorted by (hash, term): the order of the entries of each part.
  std::vector<std::pair<uint16_t, const TermPositions*>> entries;
  entries.reserve(terms.size());
  for (const TermPositions& t : terms) {
    entries.emplace_back(PositionHash(t.term), &t);
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first
                              : a.second->term < b.second->term;
  });
  std::vector<std::string> parts(kPositionParts);
  std::vector<uint32_t> previous(kPositionParts);
  for (unsigned p = 0; p < kPositionParts; ++p) previous[p] = p << kLowBits;
  std::string encoded;
  for (size_t i = 0; i < entries.size(); ++i) {
    const uint16_t hash = entries[i].first;
    const TermPositions& e = *entries[i].second;
    const bool named = (i > 0 && entries[i - 1].first == hash) ||
                       (i + 1 < entries.size() && entries[i + 1].first == hash);
    const unsigned p = hash >> kLowBits;
    std::string& out = parts[p];
    PutVarint(out, hash - previous[p]);
    previous[p] = hash;
    encoded.clear();
    uint32_t last = 0;
    for (uint32_t pos : *e.positions) {
      PutVarint(encoded, pos - last);
      last = pos;
    }
    PutVarint(out,
              static_cast<uint32_t>(encoded.size() << 1) | (named ? 1 : 0));
    if (named) {
      PutVarint(out, static_cast<uint32_t>(e.term.size()));
      out += e.term;
    }
    out += encoded;
  }
  return parts;
}

namespace {

// One entry of a part, read at `*p`; false at the end or on damage.
struct ReadEntry {
  uint32_t hash;
  bool named;
  std::string_view name;
  std::string_view positions;
};

bool Next(const char** p, const char* end, uint32_t* hash, ReadEntry* e) {
  uint32_t gap, head;
  if (*p >= end || !GetVarint(p, end, &gap) || !GetVarint(p, end, &head)) {
    return false;
  }
  *hash += gap;
  e->hash = *hash;
  e->named = head & 1;
  e->name = {};
  if (e->named) {
    uint32_t length;
    if (!GetVarint(p, end, &length) ||
        length > static_cast<uint32_t>(end - *p)) {
      return false;
    }
    e->name = std::string_view(*p, length);
    *p += length;
  }
  const uint32_t length = head >> 1;
  if (length > static_cast<uint32_t>(end - *p)) return false;
  e->positions = std::string_view(*p, length);
  *p += length;
  return true;
}

}  // namespace

bool PositionRecord::Valid() const {
  const char* p = bytes_.data();
  const char* end = p + bytes_.size();
  if (p == end) return false;
  // Hashes relative to the part's lowest: ascending, inside the part.
  uint32_t hash = 0;
  ReadEntry e;
  while (p < end) {
    if (!Next(&p, end, &hash, &e) || e.positions.empty() ||
        hash >= (1u << kLowBits)) {
      return false;
    }
  }
  return true;
}

bool PositionRecord::Find(std::string_view term,
                          std::vector<uint32_t>* out) const {
  const uint16_t hash = PositionHash(term);
  const char* p = bytes_.data();
  const char* end = p + bytes_.size();
  uint32_t current = static_cast<uint32_t>(hash >> kLowBits) << kLowBits;
  ReadEntry e;
  while (Next(&p, end, &current, &e)) {
    if (current > hash) return false;
    if (current != hash || (e.named && e.name != term)) continue;
    const char* q = e.positions.data();
    const char* q_end = q + e.positions.size();
    uint32_t pos = 0;
    while (q < q_end) {
      uint32_t delta;
      if (!GetVarint(&q, q_end, &delta)) return false;
      pos += delta;
      out->push_back(pos);
    }
    return true;
  }
  return false;
}

}  // namespace pundit
