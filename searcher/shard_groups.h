// Groups of syndicated copies over shards. The indexer forms groups within
// the database it writes (indexer/copy_groups.h), so two copies that
// `--shard` routed to different shards are grouped by neither. When a
// snapshot of several shards is built, this joins them as one index of the
// same articles would: every shard sends the copy signatures of all its
// documents in one match (CopySignatureSpy, which each shard server
// registers); their band terms (core/dedup.h) are recomputed here; in each
// band held on more than one shard the holders are compared as the indexer
// compares them, but only pairs on different shards; and the verified
// pairs and every shard's own groups are joined transitively. Pairs within
// one shard were decided by that shard's indexer and are not checked again.
//
// A joined group keeps the least key its members had, or, when none had
// one, schema::HashHex of its least signature (the key the indexer would
// give it). Cost: 2 * dedup::kSignatureHashes + 4 bytes per document sent
// by the shards, and a sort of dedup::kBands entries per document, once per
// revision of the shards.
//
// Internal to the searcher library. Throws what Xapian throws.
#ifndef PUNDIT_SEARCHER_SHARD_GROUPS_H_
#define PUNDIT_SEARCHER_SHARD_GROUPS_H_

#include <xapian.h>

#include <map>
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

// A match spy collecting the copy signature (schema::kSignatureValue) of
// every match. On a shard server it reads them there and sends them in one
// message, tagged with the shard's database uuid; in the front, local
// sub-databases give theirs directly. Threads: one spy per match.
class CopySignatureSpy : public Xapian::MatchSpy {
 public:
  // On a shard server: the prototype for its registry, naming its database.
  explicit CopySignatureSpy(std::string shard_uuid = "")
      : uuid_(std::move(shard_uuid)) {}

  void operator()(const Xapian::Document& doc, double wt) override;
  std::string name() const override { return "pundit::CopySignatures"; }
  std::string serialise() const override { return ""; }
  CopySignatureSpy* unserialise(
      const std::string& bytes,
      const Xapian::Registry& registry) const override;
  CopySignatureSpy* clone() const override;
  std::string serialise_results() const override;
  // Throws Xapian::NetworkError on bytes that are not a shard's results.
  void merge_results(const std::string& bytes) override;

  // After a match over `shards` (the sub-databases of the database
  // searched, in order), by merged document numbers.
  SignatureTable Found(const std::vector<Xapian::Database>& shards) const;

 private:
  std::string uuid_;
  std::string seen_;  // records (4-byte document number, signature) as seen
  std::map<std::string, std::string> merged_;  // uuid -> records sent
};

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_SHARD_GROUPS_H_
