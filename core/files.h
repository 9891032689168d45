// Reading a whole file into memory, written once for every module (the
// HTML templates and static assets, the shards stub, tests), and the bytes
// files take on disk (the indexer's room checks, the index's size).
//
// Thread-safe: no shared state.
#ifndef PUNDIT_CORE_FILES_H_
#define PUNDIT_CORE_FILES_H_

#include <cstdint>
#include <string>

namespace pundit {

// The bytes of the file at `path`, unchanged (binary mode). When the file
// cannot be opened or a read fails, returns what was read ("" if nothing)
// and sets *ok to false; otherwise sets *ok to true. `ok` may be null when
// the caller treats a missing file as empty.
std::string ReadWholeFile(const std::string& path, bool* ok = nullptr);

// The size of the file at `path`, or of the files under the folder at `path`
// (recursively); 0 when there is nothing there. Entries that vanish or
// cannot be read while it counts are left out.
uint64_t PathBytes(const std::string& path);

}  // namespace pundit

#endif  // PUNDIT_CORE_FILES_H_
