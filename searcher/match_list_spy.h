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
// Ranked searches take one match, not two: the spy also keeps each shard's
// best `keep` matches under the search's filters (facets, dates), which the
// front sends along as one bitmap per shard, in that shard's own document
// numbers. Weights are the shard's BM25 weights, which the remote protocol
// computes with the statistics of all shards, so the best of every shard's
// best are the best of one index. For the first `carry` of them (a page's
// worth, kMaxCarriedDocs at most) each shard also sends their stored data,
// so that the page's hits need no round trip per document.
//
// Threads: one spy per match, as any Xapian::MatchSpy.
#ifndef PUNDIT_SEARCHER_MATCH_LIST_SPY_H_
#define PUNDIT_SEARCHER_MATCH_LIST_SPY_H_

#include <xapian.h>

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "searcher/snapshot.h"

namespace pundit {

// The most best matches a shard sends with their stored data: the first
// page of the API or the search page (per_page at most 100); deeper pages
// and exports read their documents after the match.
inline constexpr size_t kMaxCarriedDocs = 100;

class MatchListSpy : public Xapian::MatchSpy {
 public:
  // A match, with its weight and document number.
  struct Ranked {
    double weight;
    Xapian::docid did;
  };

  // On a shard server: the prototype for its registry, naming its database;
  // `docs`, a handle on it used by one connection's thread only, reads the
  // data it carries (reopened for each match: the document handed to a
  // match spy is valid only during the call).
  explicit MatchListSpy(std::string shard_uuid = "",
                        std::optional<Xapian::Database> docs = std::nullopt)
      : uuid_(std::move(shard_uuid)), docs_(std::move(docs)) {}

  // In the front: a spy that also asks each of `shards` for its best `keep`
  // matches (by weight, then document number) among the documents of
  // `filter` (merged document numbers; null: every match), the first
  // `carry` of them (kMaxCarriedDocs at most) with their stored data.
  MatchListSpy(const std::vector<Xapian::Database>& shards,
               const Bitmap* filter, size_t keep, size_t carry = 0);

  void operator()(const Xapian::Document& doc, double wt) override;
  std::string name() const override { return "pundit::MatchList"; }
  std::string serialise() const override;
  MatchListSpy* unserialise(const std::string& bytes,
                            const Xapian::Registry& registry) const override;
  MatchListSpy* clone() const override;
  std::string serialise_results() const override;
  void merge_results(const std::string& bytes) override;

  // After a match over `shards` (the sub-databases, in order, each a shard
  // server's), the matches as document numbers of the merged database.
  Bitmap Merged(const std::vector<Xapian::Database>& shards) const;

  // After a match with `keep` > 0, the best `keep` of all shards' best
  // matches, best first, as merged document numbers. `data`, when given,
  // receives the stored data of each one the shards carried, by merged
  // document number.
  std::vector<Ranked> Best(
      const std::vector<Xapian::Database>& shards,
      std::unordered_map<Xapian::docid, std::string>* data = nullptr) const;

  // Best first: higher weight, then lower document number (Xapian's order).
  static bool Better(const Ranked& a, const Ranked& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.did < b.did;
  }

 private:
  // On a shard: the stored data of `did` for the front, "" when it cannot
  // be read here (the front then reads it itself).
  std::string CarriedData(Xapian::docid did) const;

  struct ShardResult {
    std::string bitmap;             // serialised
    std::vector<Ranked> best;       // shard document numbers, best first
    std::vector<std::string> data;  // best[i]'s stored data, when carried
  };

  std::string uuid_;
  // What the front asks for: the number of best matches, how many of them
  // with their data, and per shard uuid the filter in that shard's
  // document numbers (none: no filter).
  size_t keep_ = 0;
  size_t carry_ = 0;
  std::optional<std::map<std::string, std::string>> filters_;
  // On a shard: its matches, its filter, its best matches as a heap with
  // the worst on top.
  std::vector<uint32_t> ids_;
  std::optional<Bitmap> filter_;
  std::vector<Ranked> heap_;
  mutable std::optional<Xapian::Database> docs_;  // on a shard: see above
  std::map<std::string, ShardResult> merged_;     // uuid -> what it sent
};

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_MATCH_LIST_SPY_H_
