// Word positions of one article, stored in value slots
// (schema::kPositionsFirstValue onwards) instead of Xapian's position table.
//
// Xapian keeps a position list per term and document, each a B-tree item
// keyed by the term and the docid: 17.6 bytes per word and article in a
// 100,000-article index, most of it key and item overhead, and 45% of the
// index (848 MB). Records per article hold the same positions in about a
// third of that, 269 MB (docs/BENCHMARKS.md, "Index size and position
// records").
//
// An article's terms with positions are spread over kPositionParts parts by
// hash, each part one value slot. A phrase reads only the parts of its
// words, and a value stream holds one part of consecutive articles side by
// side, so checking many articles reads few blocks.
//
// A part names each term by its 16-bit hash, not by its spelling. That is
// enough because a part is only ever asked about a term the article is
// known to hold (the phrase's AND has matched it): among the article's own
// terms with positions the hash is unique, except for the few that share a
// hash with another of them, which are stored with their spelling.
//
// A part is a list of entries sorted by (hash, term), each (all integers
// LEB128 varints):
//   hash - previous entry's hash (the part's first: hash - part's lowest)
//   (positions' byte length << 1) | named
//   [named: term length, term bytes]
//   first position, then each gap to the previous one
// An empty part is not stored.
//
// PositionRecordBuilder and PositionRecord are plain values, not shared:
// use one per thread.
#ifndef PUNDIT_CORE_POSITIONS_H_
#define PUNDIT_CORE_POSITIONS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pundit {

// True for the terms that carry positions: unprefixed words (which start
// with a lower-case letter or a digit, or any byte >= 0x80) and S<word>
// title words. Every other prefix is upper-case ASCII.
bool HasPositions(std::string_view term);

// Parts an article's positions are spread over, one value slot each.
inline constexpr unsigned kPositionParts = 64;

// The 16-bit hash a part names `term` by.
uint16_t PositionHash(std::string_view term);

// The part (0 .. kPositionParts - 1) that holds `term`'s positions.
unsigned PositionPart(std::string_view term);

// One term's positions, for EncodePositions.
struct TermPositions {
  std::string_view term;
  const std::vector<uint32_t>* positions;  // ascending, each once
};

// The encoded parts, kPositionParts of them ("" for an empty part), of
// `terms` (each term at most once): what PositionRecordBuilder::Finish gives
// for the same terms and positions, without copying them into a builder.
std::vector<std::string> EncodePositions(
    const std::vector<TermPositions>& terms);

// Collects the positions of one article's terms and encodes them.
class PositionRecordBuilder {
 public:
  // Records that `term` occurs at `position` (a repeat is recorded once).
  void Add(const std::string& term, uint32_t position);
  // Records that `term` occurs at each of `positions` (ascending, each
  // once): the same as an Add of each, with one lookup.
  void Add(const std::string& term, std::vector<uint32_t> positions);
  // True when nothing was added.
  bool empty() const { return terms_.empty(); }
  // The encoded parts, kPositionParts of them, "" for an empty part. The
  // builder is left empty.
  std::vector<std::string> Finish();

 private:
  // Finish() sorts the terms: their order here does not matter.
  std::unordered_map<std::string, std::vector<uint32_t>> terms_;
};

// Reads one part. Holds a view: the bytes must outlive it.
class PositionRecord {
 public:
  explicit PositionRecord(std::string_view bytes) : bytes_(bytes) {}

  // False if the bytes are not a part of this format (damaged or from
  // another version).
  bool Valid() const;

  // Appends the positions of `term` to `out`, ascending, and returns true;
  // false if the part has no entry for `term`'s hash (then `term` has no
  // positions in this article). The article must hold `term`, and the
  // part must be PositionPart(term)'s: for a term the article does not
  // hold, the positions of another term with the same hash may be
  // returned. Damaged bytes give false or positions read from them, never
  // a read outside them.
  bool Find(std::string_view term, std::vector<uint32_t>* out) const;

 private:
  std::string_view bytes_;
};

}  // namespace pundit

#endif  // PUNDIT_CORE_POSITIONS_H_
