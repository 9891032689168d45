// Store: the on-disk layout of a pundit database folder, shared by the
// indexer (the one writer) and the searcher (any number of readers).
//
//   DIR/CURRENT        one line, the name of the live generation ("gen-000003")
//   DIR/gen-000003/    a Xapian (glass) database: the live index
//   DIR/gen-000004/    a --full rebuild in progress (not yet live)
//   DIR/LOCK           held with flock() by the writer; holds its pid
//
// Switching generations is one atomic rename() of CURRENT.tmp over CURRENT
// (after fsync), so a reader always finds a complete index and a crash at any
// point leaves the previous generation live. Readers re-read CURRENT to pick
// up a swap; an incremental update commits inside the live generation with
// Xapian's own atomic commit.
//
// Thread-safety: the free functions are thread-safe; a WriteLock is owned by
// one thread and releases the lock in its destructor.
#ifndef PUNDIT_CORE_STORE_H_
#define PUNDIT_CORE_STORE_H_

#include <xapian.h>

#include <memory>
#include <string>

#include "core/status.h"

namespace pundit::store {

// The database folder used when no --db is given: $PUNDIT_DB if set, else
// "data/index" relative to the working directory.
std::string DefaultDbDir();

// Path of the live generation. kNotFound ("no index at DIR: run `pundit index
// --db DIR PATH...` first") when DIR or CURRENT does not exist.
Result<std::string> LiveGenerationPath(const std::string& dir);

// Opens the live generation read-only and checks schema::kSchemaVersion:
// kVersionMismatch ("index at DIR has schema version 0, this pundit reads
// version 1: rebuild it with `pundit index --full`"), kNotFound as above,
// kCorruption for a damaged database. Retries once if a swap removed the
// generation between reading CURRENT and opening it.
Result<Xapian::Database> OpenForReading(const std::string& dir);

// kVersionMismatch (as above, naming `where`) unless `db` was written with
// schema::kSchemaVersion. Throws what Xapian throws (a shard server down).
Status CheckSchemaVersion(const Xapian::Database& db, const std::string& where);

// An exclusive, non-blocking write lock on DIR (created if missing).
class WriteLock {
 public:
  // kLocked: "database DIR is locked by pid N (another `pundit index` is
  // running); wait for it or stop it"; kIoError when DIR cannot be created or
  // written ("cannot create DIR: Permission denied").
  static Result<std::unique_ptr<WriteLock>> Acquire(const std::string& dir);
  ~WriteLock();
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;

 private:
  explicit WriteLock(int fd) : fd_(fd) {}
  int fd_;
};

// Name for a new generation folder, one past the highest existing one.
std::string NextGenerationName(const std::string& dir);

// Makes generation `name` (a folder inside DIR) live: writes CURRENT.tmp,
// fsyncs it and the folder, renames it over CURRENT. Old generations other
// than `name` are then removed (readers that still have them open keep
// reading their files until they reopen).
Status MakeLive(const std::string& dir, const std::string& name);

// Removes generation folders that are not live (a killed --full run's
// leftovers). Called by the writer after it takes the lock.
void RemoveStaleGenerations(const std::string& dir);

}  // namespace pundit::store

#endif  // PUNDIT_CORE_STORE_H_
