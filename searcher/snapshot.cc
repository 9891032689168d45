#include "searcher/snapshot.h"

#include <algorithm>

#include "core/schema.h"
#include "core/text.h"
#include "searcher/shard_groups.h"
#include "searcher/term_postings.h"

namespace pundit {
namespace {

// Snapshots alive in this process, by key; entries expire with their
// last user.
struct SnapshotCache {
  Mutex mu;
  std::map<std::string, std::weak_ptr<const Snapshot>> entries GUARDED_BY(mu);
};
SnapshotCache& Cache() {
  static auto* cache = new SnapshotCache;
  return *cache;
}

bool AllDigits(std::string_view s, size_t n) {
  return s.size() == n && ::pundit::AllDigits(s);
}

uint32_t ParseDate(const std::string& v) {
  if (!AllDigits(v, 8)) return 0;
  return static_cast<uint32_t>(std::stoul(v));
}

// The terms with `prefix` (and a value accepted by `keep`) as a FacetIndex.
template <typename Keep>
FacetIndex ReadFacet(PostingsReader& reader, std::string_view name,
                     std::string_view prefix, Xapian::docid lastdocid,
                     Analyzer& analyzer, Keep keep) {
  PrefixPostings read = reader.Prefixed(std::string(prefix));
  std::vector<std::string> values;
  std::vector<std::vector<uint32_t>> members;
  for (size_t i = 0; i < read.values.size(); ++i) {
    if (read.values[i].empty() || !keep(read.values[i])) continue;
    values.push_back(std::move(read.values[i]));
    members.push_back(std::move(read.docs[i]));
  }
  return FacetIndex::Of(name, prefix, std::move(values), members, lastdocid,
                        analyzer);
}

}  // namespace

FacetIndex FacetIndex::Of(std::string_view name, std::string_view prefix,
                          std::vector<std::string> values,
                          const std::vector<std::vector<uint32_t>>& members,
                          uint32_t lastdocid, Analyzer& analyzer) {
  FacetIndex f;
  f.name = std::string(name);
  f.prefix = std::string(prefix);
  f.values = std::move(values);
  // Counting sort of the (document, value) pairs into the forward index.
  f.offsets.assign(static_cast<size_t>(lastdocid) + 2, 0);
  for (const std::vector<uint32_t>& ids : members) {
    for (uint32_t doc : ids) {
      if (doc <= lastdocid) ++f.offsets[doc + 1];
    }
  }
  for (size_t i = 1; i < f.offsets.size(); ++i) {
    f.offsets[i] += f.offsets[i - 1];
  }
  f.value_ids.resize(f.offsets.back());
  std::vector<uint32_t> fill(f.offsets.begin(), f.offsets.end() - 1);
  for (size_t v = 0; v < f.values.size(); ++v) {
    f.ids.emplace(f.values[v], static_cast<uint32_t>(v));
    f.keys.push_back(analyzer.FoldKey(f.values[v]));
    f.docs.emplace_back(members[v]);
    for (uint32_t doc : members[v]) {
      if (doc <= lastdocid) f.value_ids[fill[doc]++] = static_cast<uint32_t>(v);
    }
  }
  return f;
}

std::vector<uint32_t> FacetIndex::Count(const Bitmap& base) const {
  std::vector<uint32_t> counts(values.size(), 0);
  if (values.empty()) return counts;
  uint64_t n = base.Cardinality();
  if (n == 0) return counts;
  // Walking costs about one step per document; an intersection a few dozen
  // steps per value for the small bitmaps most values have.
  if (n <= values.size() * 32) {
    const uint32_t limit = static_cast<uint32_t>(offsets.size() - 1);
    base.ForEach([&](uint32_t d) {
      if (d >= limit) return;
      for (uint32_t i = offsets[d]; i < offsets[d + 1]; ++i)
        ++counts[value_ids[i]];
    });
  } else {
    for (size_t v = 0; v < values.size(); ++v) {
      counts[v] = static_cast<uint32_t>(base.AndCardinality(docs[v]));
    }
  }
  return counts;
}

std::vector<uint32_t> FacetIndex::Resolve(std::string_view key) const {
  std::vector<uint32_t> exact, partial;
  if (key.empty()) return exact;
  for (size_t v = 0; v < keys.size(); ++v) {
    const std::string& k = keys[v];
    if (k == key) {
      exact.push_back(static_cast<uint32_t>(v));
      continue;
    }
    for (size_t pos = k.find(key); pos != std::string::npos;
         pos = k.find(key, pos + 1)) {
      bool starts = pos == 0 || k[pos - 1] == ' ';
      bool ends = pos + key.size() == k.size() || k[pos + key.size()] == ' ';
      if (starts && ends) {
        partial.push_back(static_cast<uint32_t>(v));
        break;
      }
    }
  }
  return exact.empty() ? partial : exact;
}

std::shared_ptr<const Snapshot> Snapshot::Get(
    Xapian::Database& db, const std::vector<Xapian::Database>& shards,
    Analyzer& analyzer, const std::string& key) {
  // Built under the lock: other threads wanting the same revision would
  // only wait for it anyway.
  SnapshotCache& snapshots = Cache();
  MutexLock lock(&snapshots.mu);
  auto& cache = snapshots.entries;
  if (auto it = cache.find(key); it != cache.end()) {
    if (auto snap = it->second.lock()) return snap;
  }
  std::shared_ptr<Snapshot> snap(new Snapshot());
  snap->key_ = key;
  snap->Build(db, shards, analyzer);
  for (auto it = cache.begin(); it != cache.end();) {
    it = it->second.expired() ? cache.erase(it) : std::next(it);
  }
  cache[key] = snap;
  return snap;
}

void Snapshot::Build(Xapian::Database& db,
                     const std::vector<Xapian::Database>& shards,
                     Analyzer& analyzer) {
  doccount_ = db.get_doccount();
  Xapian::docid lastdocid = db.get_lastdocid();
  PostingsReader reader(db, shards);
  all_ = Bitmap(reader.AllDocuments());

  // Dates from the day terms (D20190131), not the date value: a remote
  // shard sends its posting lists in one message but a value per document.
  dates_.assign(static_cast<size_t>(lastdocid) + 1, 0);
  PrefixPostings days = reader.Prefixed(std::string(schema::kDayPrefix));
  for (size_t i = 0; i < days.values.size(); ++i) {
    uint32_t d = ParseDate(days.values[i]);
    if (d == 0) continue;
    for (uint32_t doc : days.docs[i]) {
      if (doc <= lastdocid) dates_[doc] = d;
    }
    if (min_date_ == 0 || d < min_date_) min_date_ = d;
    if (d > max_date_) max_date_ = d;
  }

  auto any = [](const std::string&) { return true; };
  for (const auto& def : schema::kFacets) {
    if (def.prefix == schema::kYearPrefix) {
      facets_.push_back(
          ReadFacet(reader, def.name, def.prefix, lastdocid, analyzer,
                    [](const std::string& v) { return AllDigits(v, 4); }));
    } else {
      facets_.push_back(
          ReadFacet(reader, def.name, def.prefix, lastdocid, analyzer, any));
    }
  }
  months_ =
      ReadFacet(reader, "month", schema::kMonthPrefix, lastdocid, analyzer,
                [](const std::string& v) { return AllDigits(v, 6); });
  groups_ =
      JoinGroupsAcrossShards(db, shards,
                             ReadFacet(reader, "group", schema::kGroupPrefix,
                                       lastdocid, analyzer, any),
                             lastdocid, analyzer);
}

Bitmap Snapshot::DateRange(uint32_t lo, uint32_t hi) const {
  std::vector<uint32_t> ids;
  for (size_t id = 0; id < dates_.size(); ++id) {
    uint32_t d = dates_[id];
    if (d == 0 || (lo && d < lo) || (hi && d > hi)) continue;
    ids.push_back(static_cast<uint32_t>(id));
  }
  return Bitmap(ids);
}

const FacetIndex* Snapshot::Facet(std::string_view name) const {
  for (const FacetIndex& f : facets_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::shared_ptr<const std::vector<std::pair<std::string, uint32_t>>>
Snapshot::Vocabulary(Xapian::Database& db,
                     const std::string& first_char) const {
  MutexLock lock(&vocabulary_mu_);
  auto& slot = vocabulary_[first_char];
  if (slot) return slot;
  auto words =
      std::make_shared<std::vector<std::pair<std::string, uint32_t>>>();
  for (auto t = db.allterms_begin(first_char); t != db.allterms_end(first_char);
       ++t) {
    words->emplace_back(*t, t.get_termfreq());
  }
  slot = std::move(words);
  return slot;
}

}  // namespace pundit
