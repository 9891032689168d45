// ShardBuild: writes a new generation (a Xapian database nobody reads yet)
// from articles given in order, in parallel, and merges it at the end.
//
// A single Xapian writer spends most of its time inside add_document, and
// the more documents it buffers and the larger its database, the more each
// one costs: its in-memory maps (term -> postings, term -> positions) grow
// with the vocabulary of the buffered documents, and its B-trees with the
// database. ShardBuild instead cuts the articles into shards (`shard_docs`
// each) and writes each one into its own fresh database, committing every
// `commit_docs` documents, on `threads` threads at once. Shards are not made
// much smaller because compaction copies postlist chunks as they are: a
// term's postlist would be cut into one short chunk per shard, which makes
// the index larger and slower to search.
//
// Every `fan_in` consecutive finished databases of one level are merged
// (Xapian::Database::compact) into one database of the next level as soon
// as they are complete, on the same threads, so the number of databases
// stays small and most merging overlaps the indexing. Finish() merges what
// is left, plus a database holding the metadata, into the generation
// folder. Compaction fills every B-tree block, so the result is also about
// half the size of a database built by one writer that commits as it goes.
//
// Articles wait in memory as articles (a few KB each), not as Xapian
// documents (a few hundred KB with their term and position maps): each is
// turned into a document (core/document.h BuildDocument) by the thread that
// writes its shard, with that thread's own Analyzer.
//
// Document ids: every shard holds documents 1..n; compaction renumbers by
// offsets, inputs in shard order, so the final ids follow the order of the
// Add() calls, as one writer's add_document would number them (a rejected
// article takes no id).
//
// Files: the databases being merged live in DIR/shards/ (removed by
// Finish); a run killed at any point leaves only the unfinished generation
// folder, which store::RemoveStaleGenerations removes. Nothing is fsynced
// here: the caller syncs the finished folder before making it live.
//
// Progress: Finish() can take many seconds (the last shards, then one merge
// of everything, which Xapian does table by table); it reports each step
// through Options::on_finish_step, on the thread that called it.
//
// Thread-safety: Add, SetMetadata and Finish are called by one thread (the
// indexer's writer); the worker threads are internal. An error in a worker
// (a Xapian::Error such as "File too large", std::bad_alloc), in a task or
// outside one, never ends the process: it is rethrown by the next Add or by
// Finish; the destructor stops the threads and leaves
// the files for the caller to remove.
#ifndef PUNDIT_INDEXER_SHARD_BUILD_H_
#define PUNDIT_INDEXER_SHARD_BUILD_H_

#include <xapian.h>

#include <atomic>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "core/analyzer.h"
#include "core/article.h"
#include "core/document.h"
#include "core/mutex.h"
#include "indexer/disk_room.h"

namespace pundit::indexer {

// How each database of a build is opened for writing: created afresh, never
// synced (the caller syncs the finished generation before making it live).
inline constexpr int kShardFlags = Xapian::DB_CREATE_OR_OVERWRITE |
                                   Xapian::DB_BACKEND_GLASS |
                                   Xapian::DB_NO_SYNC;

// How every merge (and `pundit compact`) compacts: every B-tree block filled,
// items split where that saves space (FULLER would also allow oversize items:
// slower, and larger termlists here). Not MULTIPASS: it merges the postlists
// of many inputs in pairs, pass after pass, which took twice as long here as
// one pass over all inputs.
inline constexpr unsigned kCompactFlags = Xapian::Compactor::FULL;

// Xapian's glass backend refuses longer terms, and on that error discards
// every uncommitted change: documents holding one must never reach a writer.
inline constexpr size_t kMaxTermBytes = 245;

// "" when the document of `article` can be written: its id term is at most
// kMaxTermBytes long (BuildDocument keeps every other term shorter:
// core/document.h), else the message of a ParseError: "cannot be indexed:
// the term \"Qabc...\" is longer than 245 bytes".
std::string OverlongTermError(const Article& article);
static_assert(kMaxTermBytesButId <= kMaxTermBytes);

class ShardBuild {
 public:
  struct Options {
    int threads = 2;           // databases written or merged at once
    size_t shard_docs = 4000;  // documents per shard
    size_t commit_docs = 100;  // documents a shard buffers between commits
    size_t fan_in = 64;        // databases merged into one of the next level
    // Called by Finish(), on its thread, as it goes: "writing the last
    // shards", then "merging N databases" and "merging N databases: TABLE"
    // for each Xapian table compacted (postlist, termlist, ...). May be
    // empty. Must not throw.
    std::function<void(const std::string& step)> on_finish_step;
    // Called on the shard threads, at once from several, each time a shard
    // commits (every `commit_docs` documents and at its end), with
    // DocumentsDone(). May be empty. Must be thread-safe and not throw.
    std::function<void(size_t documents_done)> on_documents_done;
  };

  // An article that could not be written, with the `tag` given to Add.
  struct Rejected {
    size_t tag = 0;
    std::string message;  // for a ParseError: "cannot be indexed: ..."
  };

  // Creates DIR and DIR/shards/ and starts the threads. Throws
  // std::filesystem::filesystem_error when the folders cannot be created,
  // std::system_error when a thread cannot be started (those started are
  // stopped and joined first).
  ShardBuild(std::string dir, const Options& options);
  ~ShardBuild();
  ShardBuild(const ShardBuild&) = delete;
  ShardBuild& operator=(const ShardBuild&) = delete;

  // Appends `article`, read from the file at `abs_path` (which must outlive
  // this object); it gets the next document id. `tag` identifies it in
  // Finish's list of rejected articles. Blocks while `threads` shards
  // already wait for a thread, which bounds the memory held. Rethrows the
  // error of a failed shard or merge.
  void Add(Article article, const std::string& abs_path, size_t tag);

  // Articles turned into documents and committed to their shard, or
  // rejected, so far (not yet merged). Thread-safe.
  size_t DocumentsDone() const { return documents_done_.load(); }

  // User metadata of the generation (a later value for a key wins).
  void SetMetadata(const std::string& key, const std::string& value);

  // Writes what is left, merges everything into DIR and removes
  // DIR/shards/. Returns the articles that were not written because their
  // document holds a term longer than Xapian accepts, in Add order.
  // Rethrows any error; DIR is then incomplete.
  std::vector<Rejected> Finish();

 private:
  struct Pending {
    Article article;
    const std::string* abs_path = nullptr;
    size_t tag = 0;
  };
  // A database to write (level 0: a shard of articles) or to merge from
  // `fan_in` databases of the level below.
  struct Task {
    size_t level = 0;
    size_t index = 0;
    std::vector<Pending> articles;  // level 0
  };
  struct Level {
    std::vector<bool> done;  // per database of this level
    size_t merged = 0;       // groups of `fan_in` handed to the level above
  };

  // A thread's function; catches everything (see FailLocked).
  void Loop() EXCLUDES(mu_);
  // Records the first error of any thread (rethrown to the caller by Add
  // and Finish) and drops the tasks not started; mu_ held.
  void FailLocked(std::exception_ptr error) REQUIRES(mu_);
  // Stops the threads (tasks not started are dropped) and joins them.
  void StopThreads() EXCLUDES(mu_);
  // Runs one task; rejected articles of a shard go to `rejected`.
  void Run(Task& task, Analyzer& analyzer, std::vector<Rejected>* rejected);
  void Submit(Task task) REQUIRES(mu_);
  // Submits the last articles, re-cutting the shards still waiting for a
  // thread into smaller ones; mu_ held.
  void SubmitTail() REQUIRES(mu_);
  // Marks a database done and hands out the merges it completes; mu_ held.
  void Done(size_t level, size_t index) REQUIRES(mu_);
  void RethrowIfFailed() REQUIRES(mu_);
  std::string PathOf(size_t level, size_t index) const;
  // Commits `documents` buffered documents of the shard at `path`, after
  // checking the disk has room for them (DiskRoom).
  void Commit(Xapian::WritableDatabase& db, const std::string& path,
              size_t documents);

  const std::string dir_;
  const std::string shards_dir_;
  const Options options_;
  DiskRoom room_;  // checked before every commit and merge
  std::vector<Pending> current_;
  std::map<std::string, std::string> metadata_;

  Mutex mu_;
  CondVar cv_work_;  // threads: a task, or stop
  CondVar cv_done_;  // caller: a task finished
  std::deque<Task> tasks_ GUARDED_BY(mu_);
  std::vector<Level> levels_ GUARDED_BY(mu_);  // [0] = shards
  std::vector<Rejected> rejected_ GUARDED_BY(mu_);
  size_t queued_shards_ GUARDED_BY(mu_) = 0;
  size_t running_ GUARDED_BY(mu_) = 0;
  std::atomic<size_t> documents_done_{0};
  std::exception_ptr error_ GUARDED_BY(mu_);
  bool stop_ GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace pundit::indexer

#endif  // PUNDIT_INDEXER_SHARD_BUILD_H_
