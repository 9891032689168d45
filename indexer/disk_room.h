// DiskRoom: refuses a Xapian commit that could fill the disk.
//
// Xapian 1.4's glass backend can end the process (std::terminate, exit
// status 134) when a write fails with ENOSPC in the middle of a commit,
// instead of throwing. So the indexer checks the free space of the
// database's file system before each commit and merge and fails cleanly,
// with the same "No space left on device" a failed write gives, while the
// previous index (or the last consistent batch) is still whole.
//
// The room a commit needs is estimated as a fixed floor plus its documents
// times the most one document has grown the folder in a commit so far
// (before the first commit: a guess given by the caller); a merge needs the
// floor plus the size of its inputs. Thread-safe (the shard threads of a
// --full run share one).
#ifndef PUNDIT_INDEXER_DISK_ROOM_H_
#define PUNDIT_INDEXER_DISK_ROOM_H_

#include <atomic>
#include <cstdint>
#include <string>

namespace pundit::indexer {

class DiskRoom {
 public:
  // Free space kept whatever the estimate says.
  static constexpr uint64_t kFloorBytes = 4u << 20;
  // The guess for a document before any commit was measured, when the
  // caller has nothing better (an index of 100,000 articles takes about
  // 13 KB an article).
  static constexpr uint64_t kGuessBytesPerDocument = 16u << 10;

  // `dir`: the folder whose file system the commits write to;
  // `bytes_per_document`: the guess until a commit is measured.
  explicit DiskRoom(std::string dir,
                    uint64_t bytes_per_document = kGuessBytesPerDocument);

  // Throws Xapian::DatabaseError("No space left on device: ...") when the
  // file system has less free space than kFloorBytes + `documents` times
  // the bytes a document takes + `extra_bytes` (a merge: its inputs). A
  // file system whose free space cannot be read passes.
  void Check(uint64_t documents, uint64_t extra_bytes = 0) const;

  // After a commit of `documents` documents that took a folder from
  // `bytes_before` to `bytes_after`: learns the bytes a document takes.
  void Committed(uint64_t documents, uint64_t bytes_before,
                 uint64_t bytes_after);

  // The bytes of the files under `folder` (recursively); 0 when missing.
  static uint64_t FolderBytes(const std::string& folder);

 private:
  const std::string dir_;
  std::atomic<uint64_t> bytes_per_document_;
};

}  // namespace pundit::indexer

#endif  // PUNDIT_INDEXER_DISK_ROOM_H_
