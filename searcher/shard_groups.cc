#include "searcher/shard_groups.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/dedup.h"
#include "core/schema.h"
#include "searcher/collapse.h"
#include "searcher/index_handle.h"
#include "searcher/spy_fields.h"

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
  throw Xapian::NetworkError("a shard sent copy bands pundit cannot read");
}

uint32_t DocidAt(std::string_view records, size_t pos) {
  uint32_t did = 0;
  std::memcpy(&did, records.data() + pos, 4);
  if (did == 0) Unreadable();
  return did;
}

// The requests of CopyBandsSpy.
constexpr char kBandsRequest = 'B';
constexpr char kSignaturesRequest = 'S';

// The 32-bit hash band keys are matched by across shards.
uint32_t BandHash(uint64_t key) {
  return static_cast<uint32_t>((key * 0x9E3779B97F4A7C15ull) >> 32);
}

// Calls f(did, signature) for every document of `db` (one database, not a
// shard server) that has a copy signature, by document number.
template <typename F>
void ForEachSignature(Xapian::Database& db, F&& f) {
  for (auto v = db.valuestream_begin(schema::kSignatureValue);
       v != db.valuestream_end(schema::kSignatureValue); ++v) {
    const std::string signature = *v;
    if (signature.size() == kSignatureBytes) f(v.get_docid(), signature);
  }
}

// `hashes` sorted, without repeats: bucketed by their high 16 bits first
// (hashes are uniform, so buckets are small), then each bucket sorted.
void SortUnique(std::vector<uint32_t>& hashes) {
  std::vector<uint32_t> start((1u << 16) + 1, 0);
  for (uint32_t h : hashes) ++start[(h >> 16) + 1];
  for (size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
  std::vector<uint32_t> sorted(hashes.size());
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (uint32_t h : hashes) sorted[next[h >> 16]++] = h;
  for (size_t b = 0; b + 1 < start.size(); ++b) {
    std::sort(sorted.begin() + start[b], sorted.begin() + start[b + 1]);
  }
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  hashes = std::move(sorted);
}

// A set of hashes asked about millions of times, most of them absent: a
// bit per range of 4,096 hashes (128 KB) answers most at once.
class HashFilter {
 public:
  explicit HashFilter(const Bitmap& hashes)
      : hashes_(hashes), ranges_((1u << 20) / 64, 0) {
    hashes.ForEach([&](uint32_t h) { ranges_[h >> 18] |= Bit(h); });
  }
  bool Contains(uint32_t h) const {
    return (ranges_[h >> 18] & Bit(h)) != 0 && hashes_.Contains(h);
  }

 private:
  static uint64_t Bit(uint32_t h) { return uint64_t{1} << ((h >> 12) & 63); }
  const Bitmap& hashes_;
  std::vector<uint64_t> ranges_;
};

// Answer "B": the hashes of the band keys of every signature of `db`.
std::string BandHashesOf(Xapian::Database& db) {
  std::vector<uint32_t> hashes;
  ForEachSignature(db, [&](Xapian::docid, const std::string& signature) {
    for (uint64_t key : dedup::BandKeys(signature)) {
      hashes.push_back(BandHash(key));
    }
  });
  SortUnique(hashes);
  return Bitmap(hashes).Serialize();
}

// Answer "S": the records of the documents of `db` holding a band whose
// hash is in `candidates`.
std::string SignaturesHolding(Xapian::Database& db, const Bitmap& candidates) {
  const HashFilter filter(candidates);
  std::string records;
  ForEachSignature(db, [&](Xapian::docid did, const std::string& signature) {
    for (uint64_t key : dedup::BandKeys(signature)) {
      if (!filter.Contains(BandHash(key))) continue;
      char buf[4];
      const uint32_t id = did;
      std::memcpy(buf, &id, 4);
      records.append(buf, 4);
      records += signature;
      return;
    }
  });
  return records;
}

// What `request` asks of `db`; nullopt for a request that is neither.
std::optional<std::string> Answer(Xapian::Database& db,
                                  std::string_view request) {
  if (request.size() == 1 && request[0] == kBandsRequest) {
    return BandHashesOf(db);
  }
  if (!request.empty() && request[0] == kSignaturesRequest) {
    std::optional<Bitmap> candidates = Bitmap::Parse(request.substr(1));
    if (!candidates) return std::nullopt;
    return SignaturesHolding(db, *candidates);
  }
  return std::nullopt;
}

// What every shard of `db` (its sub-databases `shards`, in order) answers
// to `request`: local shards are read here, shard servers read their own
// in one match carrying CopyBandsSpy.
std::vector<std::string> AskShards(Xapian::Database& db,
                                   const std::vector<Xapian::Database>& shards,
                                   const std::string& request) {
  std::vector<bool> remote;
  for (const Xapian::Database& shard : shards) {
    Xapian::Database handle = shard;
    remote.push_back(IsShardServer(handle));
  }
  CopyBandsSpy spy(request);
  if (std::find(remote.begin(), remote.end(), true) != remote.end()) {
    CarryToShardServers(db, spy);
  }
  std::vector<std::string> answers;
  for (size_t i = 0; i < shards.size(); ++i) {
    Xapian::Database shard = shards[i];
    std::optional<std::string> answer =
        remote[i] ? spy.From(shard.get_uuid(), IndexHandle::ContentsKey(shard))
                  : Answer(shard, request);
    if (!answer) {
      throw Xapian::NetworkError("shard " + shard.get_description() +
                                 " sent no copy bands");
    }
    answers.push_back(std::move(*answer));
  }
  return answers;
}

// The band hashes held by more than one shard.
Bitmap SharedBandHashes(Xapian::Database& db,
                        const std::vector<Xapian::Database>& shards) {
  Bitmap seen, shared;
  for (const std::string& answer :
       AskShards(db, shards, std::string(1, kBandsRequest))) {
    std::optional<Bitmap> hashes = Bitmap::Parse(answer);
    if (!hashes) Unreadable();
    Bitmap both = *hashes;
    both.And(seen);
    shared.Or(both);
    seen.Or(*hashes);
  }
  return shared;
}

// The signatures of the documents of every shard holding a band whose hash
// is in `candidates`, by merged document number.
SignatureTable SignaturesOfCandidates(
    Xapian::Database& db, const std::vector<Xapian::Database>& shards,
    const Bitmap& candidates) {
  std::string request(1, kSignaturesRequest);
  request.append(candidates.Serialize());
  const std::vector<std::string> answers = AskShards(db, shards, request);
  // (merged document number, signature) for every record.
  std::vector<std::pair<Xapian::docid, std::string_view>> at;
  const uint32_t n = static_cast<uint32_t>(shards.size());
  for (uint32_t i = 0; i < n; ++i) {
    const std::string_view records = answers[i];
    if (records.size() % kRecordBytes) Unreadable();
    for (size_t pos = 0; pos < records.size(); pos += kRecordBytes) {
      // Xapian interleaves shards: merged = (local - 1) * n + index + 1.
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

}  // namespace

std::string_view SignatureTable::Of(Xapian::docid did) const {
  auto it = std::lower_bound(ids.begin(), ids.end(), did);
  if (it == ids.end() || *it != did) return {};
  return std::string_view(bytes).substr(
      static_cast<size_t>(it - ids.begin()) * kBytes, kBytes);
}

CopyBandsSpy* CopyBandsSpy::unserialise(const std::string& bytes,
                                        const Xapian::Registry&) const {
  auto spy = std::make_unique<CopyBandsSpy>(bytes);
  spy->uuid_ = uuid_;
  spy->db_ = db_;
  // The connection's database was reopened by the front's last refresh.
  if (spy->db_) spy->db_->reopen();
  return spy.release();
}

CopyBandsSpy* CopyBandsSpy::clone() const {
  auto spy = std::make_unique<CopyBandsSpy>(request_);
  spy->uuid_ = uuid_;
  spy->db_ = db_;
  return spy.release();
}

std::string CopyBandsSpy::serialise_results() const {
  // Fields: uuid, state, answer.
  std::string out;
  PutField(out, uuid_);
  if (!db_) return out;
  Xapian::Database db = *db_;
  std::optional<std::string> answer = Answer(db, request_);
  if (!answer) {
    throw Xapian::NetworkError(
        "a shard server cannot read the copy bands "
        "request it was sent");
  }
  PutField(out, IndexHandle::ContentsKey(db));
  PutField(out, *answer);
  return out;
}

void CopyBandsSpy::merge_results(const std::string& bytes) {
  size_t pos = 0;
  std::string_view uuid;
  if (!GetField(bytes, pos, uuid)) Unreadable();
  merged_[std::string(uuid)] = bytes.substr(pos);
}

std::optional<std::string> CopyBandsSpy::From(const std::string& uuid,
                                              const std::string& state) const {
  auto it = merged_.find(uuid);
  if (it == merged_.end()) return std::nullopt;
  const std::string_view in = it->second;
  size_t pos = 0;
  std::string_view sent_state, answer;
  if (!GetField(in, pos, sent_state) || !GetField(in, pos, answer) ||
      pos != in.size()) {
    Unreadable();
  }
  if (sent_state != state) {
    throw Xapian::DatabaseModifiedError(
        "a shard changed while its copy bands were read");
  }
  return std::string(answer);
}

FacetIndex JoinGroupsAcrossShards(Xapian::Database& db,
                                  const std::vector<Xapian::Database>& shards,
                                  FacetIndex groups, Xapian::docid lastdocid,
                                  Analyzer& analyzer) {
  if (shards.size() < 2) return groups;
  const Bitmap candidates = SharedBandHashes(db, shards);
  if (candidates.Cardinality() == 0) return groups;
  const SignatureTable signatures =
      SignaturesOfCandidates(db, shards, candidates);
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
