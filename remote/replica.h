// Replicas: read-only copies of a pundit database folder on other machines,
// kept up to date over Xapian's replication protocol
// (https://xapian.org/docs/replication.html).
//
// Xapian does the copying. libxapian 1.4 exports Xapian::DatabaseMaster and
// Xapian::DatabaseReplica, but installs no header for them (they are not
// part of its public API and may change between releases), so pundit runs
// Debian's `xapian-replicate-server` and `xapian-replicate` (package
// xapian-tools) as child processes (remote/child_process.h) and keeps the
// database folder layout (core/store.h) around what they maintain.
//
// On the master, a served folder has one more entry:
//
//   DIR/REPLICATE/         what xapian-replicate-server serves; its presence
//                          tells writers to keep changesets
//   DIR/REPLICATE/index -> ../gen-000003   the live generation, one stable
//                          name, re-pointed atomically before each swap
//
// An incremental `pundit index` commits inside the live generation and, on
// a served folder, writes a changeset per commit (XAPIAN_MAX_CHANGESETS),
// which a replica applies in place. `pundit index --full` and `pundit
// compact` make a new generation (a new Xapian uuid): a replica then gets a
// full copy.
//
// On a replica:
//
//   DIR/REPLICA/           what xapian-replicate maintains: XAPIANDB (a stub
//                          naming the live copy) and replica_0 or replica_1
//   DIR/gen-000002 -> REPLICA/replica_1   the live copy under a generation
//                          name: a new name at each full copy
//   DIR/CURRENT            "gen-000002", rewritten after every pull that
//                          changed the index
//
// so `pundit search/serve/stats --db DIR` read a replica like any folder,
// and a running Searcher notices each pull by CURRENT (a new inode), as it
// notices a swap on the master.
//
// Threads: the free functions are thread-safe; a ReplicationServer or a
// Follower is used from one thread. Neither installs signal handlers.
#ifndef PUNDIT_REMOTE_REPLICA_H_
#define PUNDIT_REMOTE_REPLICA_H_

#include <memory>
#include <string>

#include "core/status.h"
#include "core/store.h"
#include "remote/child_process.h"

namespace pundit::remote {

// The changesets a writer keeps on a served folder when XAPIAN_MAX_CHANGESETS
// is not set already: a replica more commits behind than this gets a full
// copy instead. Each changeset holds the blocks one commit changed (about
// the size of one --batch-size batch of articles in the index).
inline constexpr int kMaxChangesets = 20;

// The name replicas ask the master for (DIR/REPLICATE/index).
inline constexpr const char* kServedName = "index";

// ---- for writers (the indexer) ----

// True when DIR/REPLICATE exists (`pundit replicate-serve` made it).
bool IsServed(const std::string& db_dir);

// Called before a writer opens the live generation to commit in it: on a
// served folder, sets XAPIAN_MAX_CHANGESETS=kMaxChangesets in this
// process's environment (unless it is set already), so Xapian writes a
// changeset per commit and keeps the last ones. Does nothing otherwise.
// Not thread-safe with other setenv/getenv callers (it writes environ).
void KeepChangesetsIfServed(const std::string& db_dir);

// Called by a writer just before store::MakeLive(db_dir, name): on a served
// folder, points DIR/REPLICATE/index at generation `name` (a symlink
// replaced with one rename), so the served name never dangles once the old
// generation is removed. Best effort and silent: `pundit replicate-serve`
// repairs a link that does not match CURRENT within a second.
void ServeGeneration(const std::string& db_dir, const std::string& name);

// ---- master ----

struct ServeOptions {
  std::string db_dir;              // a pundit database folder with an index
  std::string host = "127.0.0.1";  // the address to listen on
  int port = 0;                    // 1..65535
};

// xapian-replicate-server serving DIR's live generation, and the link it
// serves kept in step with CURRENT.
class ReplicationServer {
 public:
  // Marks DIR served, points DIR/REPLICATE/index at the live generation,
  // starts xapian-replicate-server on host:port and waits until it
  // accepts connections (at most 10 s). kNotFound ("no index at DIR: ...")
  // without an index; kInvalidArgument for a port outside 1..65535;
  // kIoError "cannot listen on HOST:PORT: <the server's message>" when the
  // server exits at once (the port is taken), or "... did not start
  // listening" after 10 s; kNotFound when xapian-replicate-server is not
  // installed.
  static Result<std::unique_ptr<ReplicationServer>> Start(
      const ServeOptions& options);
  // Stops the server (SIGTERM, then waits for it). DIR/REPLICATE stays:
  // writers keep changesets until it is removed.
  ~ReplicationServer();

  // Call every second or so: re-points the served link when CURRENT names
  // another generation (a swap whose writer did not), and passes on what
  // the server printed (returned, for the caller's stderr). kIoError
  // "xapian-replicate-server on HOST:PORT stopped (exit status N): ..."
  // once the server has ended.
  Result<std::string> Check();

  // "HOST:PORT"
  const std::string& address() const { return address_; }

 private:
  ReplicationServer(ServeOptions options, std::unique_ptr<ChildProcess> child);
  ServeOptions options_;
  std::string address_;
  std::unique_ptr<ChildProcess> child_;
};

// ---- replica ----

struct FollowOptions {
  std::string db_dir;  // the replica's database folder (created if missing)
  std::string host;    // the master
  int port = 0;        // its `pundit replicate-serve --port`
};

struct PullResult {
  bool changed = false;    // the index changed (CURRENT was rewritten)
  long articles = 0;       // articles in the replica after the pull
  std::string generation;  // the live generation's name after the pull
};

// Keeps a replica folder: holds DIR's write lock while it lives (so no
// `pundit index` or `compact` writes into a replica), and pulls on demand.
class Follower {
 public:
  // Takes the lock and repairs a pull that was killed between Xapian's
  // copy and the swap of CURRENT. kLocked as store::WriteLock; kIoError
  // when DIR cannot be made; kInvalidArgument "DIR holds an index that is
  // not a replica (gen-000003): follow into another folder" for a folder
  // that `pundit index` wrote.
  static Result<std::unique_ptr<Follower>> Open(const FollowOptions& options);

  // Pulls once from the master with xapian-replicate (a changeset applied
  // in place, or a full copy made live by Xapian), then publishes it:
  // CURRENT rewritten when the index changed, a new generation name after
  // a full copy. Errors name the master: kIoError "cannot pull from
  // HOST:PORT: Couldn't connect (Connection refused)" (unreachable, or the
  // master's index could not be opened, or a socket timeout); "...: the
  // master's index changed during the copy; pulling again" when a swap on
  // the master overtook a full copy. A failed pull leaves the replica as it
  // was.
  Result<PullResult> Pull();

  // "HOST:PORT"
  const std::string& master() const { return master_; }

 private:
  Follower(FollowOptions options, std::unique_ptr<store::WriteLock> lock);
  // Points CURRENT at the copy xapian-replicate holds live; `changed` is
  // whether a pull changed its content.
  Result<PullResult> Publish(bool changed);

  FollowOptions options_;
  std::string master_;
  std::unique_ptr<store::WriteLock> lock_;
};

}  // namespace pundit::remote

#endif  // PUNDIT_REMOTE_REPLICA_H_
