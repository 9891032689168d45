// Reading a whole file into memory, written once for every module (the
// HTML templates and static assets, the shards stub, tests).
//
// Thread-safe: no shared state.
#ifndef PUNDIT_CORE_FILES_H_
#define PUNDIT_CORE_FILES_H_

#include <string>

namespace pundit {

// The bytes of the file at `path`, unchanged (binary mode). When the file
// cannot be opened or a read fails, returns what was read ("" if nothing)
// and sets *ok to false; otherwise sets *ok to true. `ok` may be null when
// the caller treats a missing file as empty.
std::string ReadWholeFile(const std::string& path, bool* ok = nullptr);

}  // namespace pundit

#endif  // PUNDIT_CORE_FILES_H_
