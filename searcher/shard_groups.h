// Groups of syndicated copies over shards. The indexer forms groups within
// the database it writes (indexer/copy_groups.h), so two copies that
// `--shard` routed to different shards are grouped by neither. When a
// snapshot of several shards is built, this joins them as one index of the
// same articles would, in two exchanges with the shards (CopyBandsSpy,
// which each shard server registers; local shards are read directly):
//   1. every shard sends the band keys (core/dedup.h) of all its documents'
//      copy signatures, as a roaring bitmap of their 32-bit hashes
//      (BandHash); the hashes held by more than one shard are the
//      candidates;
//   2. every shard sends the signatures of its documents holding a
//      candidate band, which are all the documents a copy on another shard
//      can be found through.
// Their band keys are recomputed here; in each band held on more than one
// shard the holders are compared as the indexer compares them, but only
// pairs on different shards; and the verified pairs and every shard's own
// groups are joined transitively. Pairs within one shard were decided by
// that shard's indexer and are not checked again. (A band held by one
// shard only is never compared, so leaving out its holders' signatures
// changes nothing, and a hash shared by different keys only adds
// candidates.)
//
// A joined group keeps the least key its members had, or, when none had
// one, schema::HashHex of its least signature (the key the indexer would
// give it). Cost: a bitmap of up to dedup::kBands hashes per document (about
// 2 bytes each), then 4 + 2 * dedup::kSignatureHashes bytes per candidate
// document, from each shard, once per revision of the shards.
//
// Internal to the searcher library. Throws what Xapian throws.
#ifndef PUNDIT_SEARCHER_SHARD_GROUPS_H_
#define PUNDIT_SEARCHER_SHARD_GROUPS_H_

#include <xapian.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/analyzer.h"
#include "core/dedup.h"
#include "searcher/snapshot.h"

namespace pundit {

// `groups` (the kGroupPrefix terms of `db`) with the groups of different
// shards joined where their members are copies. `shards` are the
// sub-databases of `db`, in order; `groups` comes back unchanged when there
// is one.
FacetIndex JoinGroupsAcrossShards(Xapian::Database& db,
                                  const std::vector<Xapian::Database>& shards,
                                  FacetIndex groups, Xapian::docid lastdocid,
                                  Analyzer& analyzer);

// Copy signatures by document number, packed: the signature of ids[i] is
// bytes[i * kBytes, (i + 1) * kBytes).
struct SignatureTable {
  static constexpr size_t kBytes = 2 * dedup::kSignatureHashes;
  std::vector<Xapian::docid> ids;  // increasing
  std::string bytes;

  // The signature of `did`, "" when it has none.
  std::string_view Of(Xapian::docid did) const;
};

// A match spy that collects nothing from the match: on a shard server its
// results are read from the shard's own database, as the front asked
// (serialise()): "B" for the band hashes of every document, as a roaring
// bitmap; "S" and a roaring bitmap of hashes for the signatures of the
// documents holding a band with one of them, as records (4-byte document
// number, then the signature), by document number. Each answer carries the
// state of the shard's database (IndexHandle::ContentsKey) and is tagged
// with its uuid. Threads: one spy per match.
class CopyBandsSpy : public Xapian::MatchSpy {
 public:
  // On a shard server: the prototype for its registry, naming its database;
  // `db`, a handle on it used by one connection's thread only, is what it
  // reads (reopened for each match, as the connection's database is).
  CopyBandsSpy(std::string shard_uuid, Xapian::Database db)
      : uuid_(std::move(shard_uuid)), db_(std::move(db)) {}
  // In the front: asks every shard server `request` ("B" or "S...").
  explicit CopyBandsSpy(std::string request) : request_(std::move(request)) {}

  void operator()(const Xapian::Document&, double) override {}
  std::string name() const override { return "pundit::CopyBands"; }
  std::string serialise() const override { return request_; }
  CopyBandsSpy* unserialise(const std::string& bytes,
                            const Xapian::Registry& registry) const override;
  CopyBandsSpy* clone() const override;
  // On a shard server; throws Xapian::NetworkError for a request it cannot
  // read.
  std::string serialise_results() const override;
  // Throws Xapian::NetworkError on bytes that are not a shard's results.
  void merge_results(const std::string& bytes) override;

  // After a match over shards: what the shard named `uuid` answered,
  // nullopt when it sent nothing. Throws Xapian::DatabaseModifiedError when
  // its state was not `state`.
  std::optional<std::string> From(const std::string& uuid,
                                  const std::string& state) const;

 private:
  std::string uuid_;
  std::optional<Xapian::Database> db_;  // on a shard: see above
  std::string request_;
  std::map<std::string, std::string> merged_;  // uuid -> what it sent
};

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_SHARD_GROUPS_H_
