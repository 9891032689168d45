// IndexHandle: the index a Searcher reads, as one Xapian::Database. Either
// the live generation of one database folder (core/store.h), or the shards
// named by a stub file, which Xapian merges into one database: each shard
// is a `remote HOST:PORT` served by `pundit shard-serve` (Xapian's remote
// protocol, remote/shard_server.h) or a local database folder, and Xapian
// weighs every match with the statistics of all shards together, so ranking
// is that of one index holding every article.
//
// The stub file is Xapian's stub format (one database per line, `#`
// comments), read by pundit so that timeouts can be set and a line may name
// a pundit database folder:
//
//   remote HOST:PORT       a shard server (IPv6: remote [::1]:PORT)
//   auto PATH              a pundit database folder or a Xapian database
//   glass PATH             the same; relative paths are from the stub's folder
//
// A folder holding no CURRENT but a `shards.stub` (what `pundit index
// --shards N` writes) is opened through that stub.
//
// Not thread-safe: owned by one Searcher.
#ifndef PUNDIT_SEARCHER_INDEX_HANDLE_H_
#define PUNDIT_SEARCHER_INDEX_HANDLE_H_

#include <sys/stat.h>
#include <xapian.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace pundit {

inline constexpr char kShardsStubName[] = "shards.stub";
// Milliseconds a shard server may take to accept a connection or to answer
// one message before the request fails with kUnavailable (HTTP 503).
inline constexpr int kDefaultShardTimeoutMs = 4000;

// One line of a stub file.
struct StubLine {
  enum class Kind { kRemote, kLocal } kind = Kind::kLocal;
  std::string host;  // kRemote
  int port = 0;      // kRemote
  std::string path;  // kLocal, made absolute or relative to the cwd
  int line = 0;      // 1-based, for messages

  std::string Name() const;  // "HOST:PORT" or the path
};

// The stub file at `path` (see above); kInvalidArgument naming `path:line`
// for a line it cannot read, kNotFound when it cannot be opened, and
// kInvalidArgument when it names no database.
Result<std::vector<StubLine>> ReadStubFile(const std::string& path);

// The stub file `db_path` stands for: itself when it is a regular file, its
// shards.stub when it is a folder with no CURRENT but that file, else "".
std::string StubFileFor(const std::string& db_path);

class IndexHandle {
 public:
  IndexHandle() = default;

  // Opens `db_path` (a database folder, a stub file or a folder of shards).
  // Errors as store::OpenForReading, kUnavailable naming HOST:PORT for a
  // shard server that cannot be reached within `timeout_ms`.
  Status Open(const std::string& db_path, int timeout_ms);

  // Brings the view up to date: a swapped generation is reopened, new
  // commits are picked up (reopen()). Over shard servers, whose reopen is a
  // round trip to each, commits are asked for at most every
  // `remote_refresh_ms` (set_remote_refresh_ms) unless `force`. Throws
  // what Xapian throws.
  Status Refresh(bool force = false);

  // How often Refresh() asks shard servers for their new commits; 0 =
  // every call. A shard's swapped generation or failure is seen at once
  // either way (its server closes the connection).
  void set_remote_refresh_ms(int ms) { remote_refresh_ms_ = ms; }

  Xapian::Database& db() { return db_; }
  // The sub-databases of db(), in order (one when local).
  const std::vector<Xapian::Database>& shards() const { return shards_; }
  // Every sub-database is a shard server's.
  bool all_remote() const { return sharded_ && all_remote_; }
  // One local generation, read through its own files: a match pass may be
  // split across further handles on generation_path().
  bool local() const { return !sharded_; }
  const std::string& generation_path() const { return generation_path_; }
  // Identifies what this handle reads (every shard's database and
  // revision): the key of the facet snapshot (searcher/snapshot.h).
  std::string Key();
  // Bytes of the live generation's files; over a stub, summed over its
  // shards (each local shard's live generation, or the database named);
  // nullopt when a shard is a server's, whose size is not told.
  std::optional<long long> Bytes() const;
  // The live generation's name, or "shards" with their number.
  std::string GenerationName() const;
  // The latest pundit:last_indexed of all shards.
  std::string LastIndexed();

  // What tells apart the states of a database that tells no revision (a
  // shard server's): its size, last document number, total length and the
  // time of its last indexing run, which every run that changes it changes.
  static std::string ContentsKey(Xapian::Database& db);

 private:
  Status OpenFolder(const std::string& dir);
  Status OpenStub(const std::string& stub);
  // Reopens every shard server's database at once and keeps their keys.
  void ReopenRemoteShards();
  static std::string ShardKey(Xapian::Database& shard);

  std::string path_;
  int timeout_ms_ = kDefaultShardTimeoutMs;
  bool sharded_ = false;
  bool all_remote_ = false;
  bool any_remote_ = false;
  std::vector<StubLine> local_lines_;  // the stub's local shards
  std::string remote_keys_;  // Key() as of the last ReopenRemoteShards()
  int remote_refresh_ms_ = 0;
  std::chrono::steady_clock::time_point remote_reopened_{};
  Xapian::Database db_;
  std::vector<Xapian::Database> shards_;  // the sub-databases of db_
  std::string generation_path_;           // local only
  // The CURRENT (or, sharded, the stub file and each local shard's
  // CURRENT) as last opened: a change means a swapped generation.
  struct stat current_stat_ {};
  bool have_stat_ = false;
  std::vector<std::pair<std::string, struct stat>> shard_currents_;
};

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_INDEX_HANDLE_H_
