// DiskRoom (indexer/disk_room.h).
#include "indexer/disk_room.h"

#include <sys/statvfs.h>
#include <xapian.h>

#include "core/files.h"
#include "core/parse_text.h"

namespace pundit::indexer {

DiskRoom::DiskRoom(std::string dir, uint64_t bytes_per_document)
    : dir_(std::move(dir)), bytes_per_document_(bytes_per_document) {}

void DiskRoom::Check(uint64_t documents, uint64_t extra_bytes) const {
  struct statvfs st;
  if (statvfs(dir_.c_str(), &st) != 0) return;
  const uint64_t free_bytes =
      static_cast<uint64_t>(st.f_bavail) * static_cast<uint64_t>(st.f_frsize);
  const uint64_t needed =
      kFloorBytes + documents * bytes_per_document_.load() + extra_bytes;
  if (free_bytes >= needed) return;
  auto mb = [](uint64_t bytes) {
    return parse::WithThousands((bytes + (1u << 20) - 1) >> 20) + " MB";
  };
  throw Xapian::DatabaseError(
      "No space left on device: " + mb(free_bytes) +
      " free, and writing the next part of the index may take " + mb(needed) +
      "; free some space and run again (what was committed is kept)");
}

void DiskRoom::Committed(uint64_t documents, uint64_t bytes_before,
                         uint64_t bytes_after) {
  if (documents == 0 || bytes_after <= bytes_before) return;
  const uint64_t per_document = (bytes_after - bytes_before) / documents;
  uint64_t seen = bytes_per_document_.load();
  while (per_document > seen &&
         !bytes_per_document_.compare_exchange_weak(seen, per_document)) {
  }
}

uint64_t DiskRoom::FolderBytes(const std::string& folder) {
  return PathBytes(folder);
}

}  // namespace pundit::indexer
