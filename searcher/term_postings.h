// Term postings: the posting lists a snapshot (searcher/snapshot.h) is
// built from, read from a database of any shards. They are the list of
// every document and the lists of every term with a prefix (facet values,
// day and month terms, copy groups): about ten postings per article.
//
// Xapian's remote protocol (1.4) sends a posting list one message per
// posting, so reading them from shard servers took minutes at 1M articles.
// Instead each shard server reads its own lists and sends them all in one
// message per prefix: TermPostingsSpy, a match spy carried to every shard
// by a match of a query that matches nothing. A shard sends each list as a
// roaring bitmap of its own document numbers, and the state of its
// database (IndexHandle::ContentsKey); a shard whose state is not the one
// the front has opened (a commit came in between) fails the read with
// Xapian::DatabaseModifiedError, so that the caller reopens and retries.
// Local databases, sharded or not, are read directly.
//
// Internal to the searcher library. Not thread-safe: one reader per
// snapshot build. Throws what Xapian throws.
#ifndef PUNDIT_SEARCHER_TERM_POSTINGS_H_
#define PUNDIT_SEARCHER_TERM_POSTINGS_H_

#include <xapian.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pundit {

// The terms with one prefix and the documents holding each.
struct PrefixPostings {
  std::vector<std::string> values;          // term minus prefix, term order
  std::vector<std::vector<uint32_t>> docs;  // of each value, increasing
};

class PostingsReader {
 public:
  // Reads `db`, whose sub-databases are `shards`, in order. Both must
  // outlive the reader.
  PostingsReader(Xapian::Database& db,
                 const std::vector<Xapian::Database>& shards);

  // Every document, increasing.
  std::vector<uint32_t> AllDocuments();
  // Every term starting with `prefix` (not empty), and its documents.
  PrefixPostings Prefixed(const std::string& prefix);

 private:
  // The lists of `prefix` ("" for every document) by merged term, each in
  // merged document numbers, increasing, from every shard.
  std::map<std::string, std::vector<uint32_t>> FromShards(
      const std::string& prefix);

  Xapian::Database& db_;
  const std::vector<Xapian::Database>& shards_;
  std::vector<bool> remote_;  // per shard: a shard server's
  bool any_remote_ = false;
};

// A match spy that collects nothing from the match: on a shard server its
// results are the posting lists of the terms with the prefix the front
// asked for (the list of every document for ""), with the state of the
// shard's database, tagged with its uuid. Threads: one spy per match.
class TermPostingsSpy : public Xapian::MatchSpy {
 public:
  // On a shard server: the prototype for its registry, naming its database;
  // `db`, a handle on it used by one connection's thread only, is what it
  // reads (reopened for each match, as the connection's database is).
  TermPostingsSpy(std::string shard_uuid, Xapian::Database db)
      : uuid_(std::move(shard_uuid)), db_(std::move(db)) {}
  // In the front: asks every shard for the lists of `prefix`.
  explicit TermPostingsSpy(std::string prefix) : prefix_(std::move(prefix)) {}

  void operator()(const Xapian::Document&, double) override {}
  std::string name() const override { return "pundit::TermPostings"; }
  std::string serialise() const override { return prefix_; }
  TermPostingsSpy* unserialise(const std::string& bytes,
                               const Xapian::Registry& registry) const override;
  TermPostingsSpy* clone() const override;
  std::string serialise_results() const override;
  // Throws Xapian::NetworkError on bytes that are not a shard's results.
  void merge_results(const std::string& bytes) override;

  // After a match over shards: what the shard named `uuid` sent (terms to
  // lists in its own document numbers), nullopt when it sent nothing.
  // Throws Xapian::DatabaseModifiedError when its state was not `state`.
  std::optional<std::map<std::string, std::vector<uint32_t>>> From(
      const std::string& uuid, const std::string& state) const;

 private:
  std::string uuid_;
  std::optional<Xapian::Database> db_;  // on a shard: see above
  std::string prefix_;
  std::map<std::string, std::string> merged_;  // uuid -> what it sent
};

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_TERM_POSTINGS_H_
