// Snapshot: the facet data of one revision of one index, read once from
// Xapian into memory so that exact, disjunctive facet counts and the timeline
// cost a few bitmap operations per request, whatever the size of the match
// set. Internal to the searcher library.
//
// For every facet value (author, region, theme, source, year, and the month
// terms used by the timeline) it holds a Roaring bitmap of the documents
// carrying it, plus a per-document list of value ids (a forward index, for
// counting small match sets by walking them), and every document's date.
//
// Ownership and threads: a Snapshot is immutable once built (apart from the
// did-you-mean vocabulary, filled lazily under its own mutex) and shared
// through shared_ptr by every Searcher reading the same database revision;
// Snapshot::Get is thread-safe.
#ifndef PUNDIT_SEARCHER_SNAPSHOT_H_
#define PUNDIT_SEARCHER_SNAPSHOT_H_

#include <roaring/roaring.h>
#include <xapian.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/analyzer.h"
#include "core/mutex.h"

namespace pundit {

// An owned roaring_bitmap_t (value semantics: copying copies the bits).
class Bitmap {
 public:
  Bitmap() : r_(roaring_bitmap_create()) {}
  // Sorted or not, duplicates allowed.
  explicit Bitmap(const std::vector<uint32_t>& ids)
      : r_(roaring_bitmap_of_ptr(ids.size(), ids.data())) {
    roaring_bitmap_run_optimize(r_);
  }
  Bitmap(const Bitmap& o) : r_(roaring_bitmap_copy(o.r_)) {}
  Bitmap(Bitmap&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Bitmap& operator=(Bitmap o) noexcept {
    std::swap(r_, o.r_);
    return *this;
  }
  ~Bitmap() {
    if (r_) roaring_bitmap_free(r_);
  }

  const roaring_bitmap_t* get() const { return r_; }
  // Roaring's portable format, and back (an empty bitmap for bytes that
  // are not one).
  std::string Serialize() const {
    std::string out(roaring_bitmap_portable_size_in_bytes(r_), '\0');
    roaring_bitmap_portable_serialize(r_, out.data());
    return out;
  }
  static Bitmap Deserialize(std::string_view bytes) {
    return Parse(bytes).value_or(Bitmap());
  }
  // nullopt for bytes that are not one.
  static std::optional<Bitmap> Parse(std::string_view bytes) {
    roaring_bitmap_t* r =
        roaring_bitmap_portable_deserialize_safe(bytes.data(), bytes.size());
    if (!r) return std::nullopt;
    Bitmap b;
    roaring_bitmap_free(b.r_);
    b.r_ = r;
    return b;
  }
  uint64_t Cardinality() const { return roaring_bitmap_get_cardinality(r_); }
  bool Contains(uint32_t id) const { return roaring_bitmap_contains(r_, id); }
  void And(const Bitmap& o) { roaring_bitmap_and_inplace(r_, o.r_); }
  void Or(const Bitmap& o) { roaring_bitmap_or_inplace(r_, o.r_); }
  void Xor(const Bitmap& o) { roaring_bitmap_xor_inplace(r_, o.r_); }
  void AndNot(const Bitmap& o) { roaring_bitmap_andnot_inplace(r_, o.r_); }
  uint64_t AndCardinality(const Bitmap& o) const {
    return roaring_bitmap_and_cardinality(r_, o.r_);
  }
  // Calls f(id) for every id in increasing order.
  template <typename F>
  void ForEach(F&& f) const {
    roaring_uint32_iterator_t it;
    roaring_init_iterator(r_, &it);
    uint32_t buf[256];
    while (uint32_t n = roaring_read_uint32_iterator(&it, buf, 256)) {
      for (uint32_t i = 0; i < n; ++i) f(buf[i]);
    }
  }

 private:
  roaring_bitmap_t* r_;
};

// The values of one facet, by value id (term list order).
struct FacetIndex {
  std::string name;    // "author"; "month" for the timeline's M terms
  std::string prefix;  // "A:"
  std::vector<std::string> values;  // display form, as in the term
  std::vector<std::string> keys;    // Analyzer::FoldKey of each value
  std::vector<Bitmap> docs;         // documents carrying each value
  std::unordered_map<std::string, uint32_t> ids;  // value -> id
  // Forward index: the value ids of document d are
  // value_ids[offsets[d] .. offsets[d + 1]).
  std::vector<uint32_t> offsets, value_ids;

  // The facet `name` (terms `prefix` + value) whose value v is carried by
  // the documents members[v] (sorted or not), none above `lastdocid`.
  static FacetIndex Of(std::string_view name, std::string_view prefix,
                       std::vector<std::string> values,
                       const std::vector<std::vector<uint32_t>>& members,
                       uint32_t lastdocid, Analyzer& analyzer);

  // counts[v] = |base ∩ docs[v]| for every value v, by whichever of walking
  // `base` or intersecting bitmaps is cheaper.
  std::vector<uint32_t> Count(const Bitmap& base) const;

  // Ids of the values a user's `key` (Analyzer::FoldKey form) names: those
  // whose key equals it, else those containing it as whole words
  // ("korybko" names "Andrew Korybko").
  std::vector<uint32_t> Resolve(std::string_view key) const;
};

class Snapshot {
 public:
  // The snapshot of what `db` holds now, built on first use and shared
  // while any Searcher holds it, by `key` (IndexHandle::Key(): every
  // database and revision `db` reads). Reads only terms and their posting
  // lists (searcher/term_postings.h, which has each shard server send its
  // own in one message per prefix), so it serves a database of shards as
  // well as a local one. Throws what Xapian throws (notably
  // DatabaseModifiedError) so that callers can reopen and retry. `shards`
  // are the sub-databases of `db`, in order.
  static std::shared_ptr<const Snapshot> Get(
      Xapian::Database& db, const std::vector<Xapian::Database>& shards,
      Analyzer& analyzer, const std::string& key);

  const std::string& key() const { return key_; }
  Xapian::doccount doccount() const { return doccount_; }
  const Bitmap& all() const { return all_; }
  // YYYYMMDD of document `id`, 0 when unknown.
  uint32_t Date(uint32_t id) const {
    return id < dates_.size() ? dates_[id] : 0;
  }
  uint32_t min_date() const { return min_date_; }  // 0 when no dates
  uint32_t max_date() const { return max_date_; }
  // Documents dated within [lo, hi] (YYYYMMDD; 0 = open end).
  Bitmap DateRange(uint32_t lo, uint32_t hi) const;

  // The facet named `name` (schema::kFacets), or nullptr.
  const FacetIndex* Facet(std::string_view name) const;
  const std::vector<FacetIndex>& facets() const { return facets_; }
  const FacetIndex& months() const { return months_; }
  // The groups of syndicated copies (schema::kGroupPrefix terms, joined
  // across shards by searcher/shard_groups.h), as a facet whose values are
  // group keys: at most one per document.
  const FacetIndex& groups() const { return groups_; }

  // Unprefixed words starting with `first_char` (one UTF-8 character),
  // however rare, with their document frequency; read
  // from `db` (which must be at this snapshot's revision) on first use.
  std::shared_ptr<const std::vector<std::pair<std::string, uint32_t>>>
  Vocabulary(Xapian::Database& db, const std::string& first_char) const
      EXCLUDES(vocabulary_mu_);

 private:
  Snapshot() = default;
  void Build(Xapian::Database& db, const std::vector<Xapian::Database>& shards,
             Analyzer& analyzer);

  std::string key_;
  Xapian::doccount doccount_ = 0;
  Bitmap all_;
  std::vector<uint32_t> dates_;
  uint32_t min_date_ = 0, max_date_ = 0;
  std::vector<FacetIndex> facets_;
  FacetIndex months_;
  FacetIndex groups_;

  mutable Mutex vocabulary_mu_;
  mutable std::map<
      std::string,
      std::shared_ptr<const std::vector<std::pair<std::string, uint32_t>>>>
      vocabulary_ GUARDED_BY(vocabulary_mu_);
};

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_SNAPSHOT_H_
