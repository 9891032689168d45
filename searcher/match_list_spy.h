// MatchListSpy: a shard's matches, sent as one compressed bitmap. Over
// shards (searcher/index_handle.h) the text match set of a query, which the
// facet counts and the timeline are computed from, would otherwise come as
// an MSet: a document number and a weight per match, sorted, from every
// shard. This match spy runs on each shard server (remote/shard_server.h
// registers it), collects the shard's own document numbers into a roaring
// bitmap and sends that, tagged with the shard's database uuid; the copy in
// `pundit serve` maps each shard's numbers to the merged database's
// (Xapian interleaves shards: merged = (local - 1) * shards + index + 1).
//
// Threads: one spy per match, as any Xapian::MatchSpy.
#ifndef PUNDIT_SEARCHER_MATCH_LIST_SPY_H_
#define PUNDIT_SEARCHER_MATCH_LIST_SPY_H_

#include <xapian.h>

#include <map>
#include <string>
#include <vector>

#include "searcher/snapshot.h"

namespace pundit {

class MatchListSpy : public Xapian::MatchSpy {
 public:
  // On a shard server: the prototype for its registry, naming its database.
  explicit MatchListSpy(std::string shard_uuid = "")
      : uuid_(std::move(shard_uuid)) {}

  void operator()(const Xapian::Document& doc, double wt) override;
  std::string name() const override { return "pundit::MatchList"; }
  std::string serialise() const override { return ""; }
  MatchListSpy* unserialise(const std::string& bytes,
                            const Xapian::Registry& registry) const override;
  MatchListSpy* clone() const override { return new MatchListSpy(uuid_); }
  std::string serialise_results() const override;
  void merge_results(const std::string& bytes) override;

  // After a match over `shards` (the sub-databases, in order, each a shard
  // server's), the matches as document numbers of the merged database.
  Bitmap Merged(const std::vector<Xapian::Database>& shards) const;

 private:
  std::string uuid_;
  std::vector<uint32_t> ids_;                  // on a shard
  std::map<std::string, std::string> merged_;  // uuid -> serialised bitmap
};

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_MATCH_LIST_SPY_H_
