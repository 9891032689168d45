#include "searcher/shard_groups.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/dedup.h"
#include "core/schema.h"
#include "searcher/collapse.h"

namespace pundit {
namespace {

constexpr size_t kSignatureBytes = SignatureTable::kBytes;
constexpr size_t kRecordBytes = 4 + kSignatureBytes;

// Joins copies held by different shards (a document's shard is
// (docid - 1) mod the number of shards, as Xapian interleaves them).
class Joiner {
 public:
  Joiner(const FacetIndex& groups, size_t shards,
         const SignatureTable& signatures)
      : groups_(groups), shards_(shards), signatures_(signatures) {}
  // Each shard's groups, as they are.
  void SeedWithShardGroups() {
    for (const Bitmap& members : groups_.docs) {
      uint32_t first = 0;
      members.ForEach([&](uint32_t did) {
        if (first == 0) {
          first = did;
          parent_.try_emplace(did, did);
        } else {
          Union(first, did);
        }
      });
    }
  }

  // The documents holding one band term, each compared with the distinct
  // texts met before it (at most dedup::kMaxBandRepresentatives), as the
  // indexer does, but only where the two are on different shards.
  void CheckBand(const std::vector<Xapian::docid>& holders) {
    representatives_.clear();
    for (Xapian::docid did : holders) {
      bool joined = false;
      for (Xapian::docid r : representatives_) {
        if (Find(did) == Find(r)) {
          joined = true;
          break;
        }
        if (ShardOf(did) != ShardOf(r) &&
            dedup::Resemblance(SignatureOf(did), SignatureOf(r)) >=
                dedup::kCopyResemblance) {
          Union(did, r);
          joined_across_ = true;
          joined = true;
          break;
        }
      }
      if (!joined && representatives_.size() < dedup::kMaxBandRepresentatives) {
        representatives_.push_back(did);
      }
    }
  }

  bool Spans(const std::vector<Xapian::docid>& holders) const {
    for (Xapian::docid did : holders) {
      if (ShardOf(did) != ShardOf(holders.front())) return true;
    }
    return false;
  }

  bool joined_across() const { return joined_across_; }

  // The groups after joining, keyed as the header says. Every component
  // holds a shard's group or two joined copies.
  FacetIndex Result(Xapian::docid lastdocid, Analyzer& analyzer) {
    std::unordered_map<Xapian::docid, std::vector<uint32_t>> components;
    for (const auto& entry : parent_) {
      components[Find(entry.first)].push_back(entry.first);
    }
    std::vector<std::pair<std::string, std::vector<uint32_t>>> keyed;
    for (auto& [root, members] : components) {
      std::sort(members.begin(), members.end());
      std::string key;
      for (uint32_t m : members) {
        const int64_t g = GroupOf(groups_, m);
        if (g < 0) continue;
        const std::string& k = groups_.values[static_cast<size_t>(g)];
        if (key.empty() || k < key) key = k;
      }
      if (key.empty()) {
        std::string_view least = SignatureOf(members[0]);
        for (uint32_t m : members) least = std::min(least, SignatureOf(m));
        key = schema::HashHex(least);
      }
      keyed.emplace_back(std::move(key), std::move(members));
    }
    std::sort(keyed.begin(), keyed.end());  // term order, as the shards' keys
    std::vector<std::string> values;
    std::vector<std::vector<uint32_t>> members;
    for (auto& [key, docs] : keyed) {
      values.push_back(std::move(key));
      members.push_back(std::move(docs));
    }
    return FacetIndex::Of(groups_.name, groups_.prefix, std::move(values),
                          members, static_cast<uint32_t>(lastdocid), analyzer);
  }

 private:
  size_t ShardOf(Xapian::docid did) const { return (did - 1) % shards_; }

  std::string_view SignatureOf(Xapian::docid did) const {
    return signatures_.Of(did);
  }

  Xapian::docid Find(Xapian::docid did) {
    auto it = parent_.find(did);
    if (it == parent_.end()) return did;
    Xapian::docid root = did;
    while (parent_[root] != root) root = parent_[root];
    while (parent_[did] != root) {
      Xapian::docid next = parent_[did];
      parent_[did] = root;
      did = next;
    }
    return root;
  }

  void Union(Xapian::docid a, Xapian::docid b) {
    parent_.try_emplace(a, a);
    parent_.try_emplace(b, b);
    Xapian::docid ra = Find(a), rb = Find(b);
    if (ra == rb) return;
    parent_[std::max(ra, rb)] = std::min(ra, rb);
  }

  const FacetIndex& groups_;
  const size_t shards_;
  const SignatureTable& signatures_;
  std::unordered_map<Xapian::docid, Xapian::docid> parent_;  // joined only
  std::vector<Xapian::docid> representatives_;
  bool joined_across_ = false;
};

[[noreturn]] void Unreadable() {
  throw Xapian::NetworkError("a shard sent copy signatures pundit cannot read");
}

uint32_t DocidAt(std::string_view records, size_t pos) {
  uint32_t did = 0;
  std::memcpy(&did, records.data() + pos, 4);
  if (did == 0) Unreadable();
  return did;
}

// The signature of every document of `db`, in one match.
SignatureTable AllSignatures(Xapian::Database& db,
                             const std::vector<Xapian::Database>& shards) {
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query::MatchAll);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  CopySignatureSpy spy;
  enquire.add_matchspy(&spy);
  enquire.get_mset(0, 0, std::max<Xapian::doccount>(1, db.get_doccount()));
  return spy.Found(shards);
}

}  // namespace

std::string_view SignatureTable::Of(Xapian::docid did) const {
  auto it = std::lower_bound(ids.begin(), ids.end(), did);
  if (it == ids.end() || *it != did) return {};
  return std::string_view(bytes).substr(
      static_cast<size_t>(it - ids.begin()) * kBytes, kBytes);
}

void CopySignatureSpy::operator()(const Xapian::Document& doc, double) {
  const std::string signature = doc.get_value(schema::kSignatureValue);
  if (signature.size() != kSignatureBytes) return;
  const uint32_t did = doc.get_docid();
  char buf[4];
  std::memcpy(buf, &did, 4);
  seen_.append(buf, 4);
  seen_ += signature;
}

CopySignatureSpy* CopySignatureSpy::unserialise(const std::string&,
                                                const Xapian::Registry&) const {
  return new CopySignatureSpy(uuid_);
}

CopySignatureSpy* CopySignatureSpy::clone() const {
  return new CopySignatureSpy(uuid_);
}

std::string CopySignatureSpy::serialise_results() const {
  // uuid, a NUL, then the records: document number (4 bytes), signature.
  return uuid_ + '\0' + seen_;
}

void CopySignatureSpy::merge_results(const std::string& bytes) {
  const size_t nul = bytes.find('\0');
  if (nul == std::string::npos || (bytes.size() - nul - 1) % kRecordBytes) {
    Unreadable();
  }
  merged_[bytes.substr(0, nul)].append(bytes, nul + 1);
}

SignatureTable CopySignatureSpy::Found(
    const std::vector<Xapian::Database>& shards) const {
  // (merged document number, where its record is) for every record.
  std::vector<std::pair<Xapian::docid, std::string_view>> at;
  for (size_t pos = 0; pos < seen_.size(); pos += kRecordBytes) {
    at.emplace_back(DocidAt(seen_, pos),
                    std::string_view(seen_).substr(pos + 4, kSignatureBytes));
  }
  const uint32_t n = static_cast<uint32_t>(shards.size());
  for (uint32_t i = 0; i < n; ++i) {
    auto it = merged_.find(shards[i].get_uuid());
    if (it == merged_.end()) continue;
    const std::string_view records = it->second;
    for (size_t pos = 0; pos < records.size(); pos += kRecordBytes) {
      at.emplace_back((DocidAt(records, pos) - 1) * n + i + 1,
                      records.substr(pos + 4, kSignatureBytes));
    }
  }
  std::sort(at.begin(), at.end());
  SignatureTable table;
  table.ids.reserve(at.size());
  table.bytes.reserve(at.size() * kSignatureBytes);
  for (const auto& [did, signature] : at) {
    if (!table.ids.empty() && table.ids.back() == did) continue;
    table.ids.push_back(did);
    table.bytes += signature;
  }
  return table;
}

FacetIndex JoinGroupsAcrossShards(Xapian::Database& db,
                                  const std::vector<Xapian::Database>& shards,
                                  FacetIndex groups, Xapian::docid lastdocid,
                                  Analyzer& analyzer) {
  if (shards.size() < 2) return groups;
  const SignatureTable signatures = AllSignatures(db, shards);
  // (band, holder) for every band of every signature: in band term order,
  // each band's holders by document number, as the indexer reads them.
  std::vector<std::pair<uint64_t, Xapian::docid>> bands;
  bands.reserve(signatures.ids.size() * dedup::kBands);
  for (size_t i = 0; i < signatures.ids.size(); ++i) {
    const std::string_view signature =
        std::string_view(signatures.bytes)
            .substr(i * kSignatureBytes, kSignatureBytes);
    for (uint64_t band : dedup::BandKeys(signature)) {
      bands.emplace_back(band, signatures.ids[i]);
    }
  }
  std::sort(bands.begin(), bands.end());
  Joiner joiner(groups, shards.size(), signatures);
  joiner.SeedWithShardGroups();
  std::vector<Xapian::docid> holders;
  for (size_t i = 0; i < bands.size();) {
    size_t end = i + 1;
    while (end < bands.size() && bands[end].first == bands[i].first) ++end;
    if (end - i >= 2) {
      holders.clear();
      for (size_t j = i; j < end; ++j) holders.push_back(bands[j].second);
      if (joiner.Spans(holders)) joiner.CheckBand(holders);
    }
    i = end;
  }
  if (!joiner.joined_across()) return groups;
  return joiner.Result(lastdocid, analyzer);
}

}  // namespace pundit
