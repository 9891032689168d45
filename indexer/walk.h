// Walking the indexer's inputs: turns the files and folders given on the
// command line into the ordered list of article files to read.
//
// Folders are walked recursively in name order (so runs are reproducible).
// Symbolic links met in a walked folder are followed after every input has
// been walked by its own paths, and only when they lead into the inputs
// (one of the files given, or a place inside one of the folders given); a
// link that leads outside them, a link loop, a link to nothing, and a
// second path to a file or folder already read (by its canonical path) are
// passed over with a notice, so each file is read once, by its own path
// when it has one among the inputs. A file or folder named on the command
// line is read wherever it is, links included.
// Hidden entries (".git", ".draft.md") and files that are not articles by
// name (README.md, images) are passed over with a notice; a file given by
// name that is not an article file is an error. Every notice is a "path:
// note: ..., passed over" line and counts in `passed_over`. "-" is
// standard input, read as JSON Lines. Folders that cannot be read are
// skipped (skip_permission_denied) with a notice.
//
// Pure function of the file system; thread-compatible.
#ifndef PUNDIT_INDEXER_WALK_H_
#define PUNDIT_INDEXER_WALK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/parsers.h"
#include "core/readers/formats.h"
#include "core/status.h"

namespace pundit::indexer {

struct InputFile {
  std::string path;      // as given on the command line, joined with the
                         // path relative to it ("corpus/2019/astana.md")
  std::string abs_path;  // absolute canonical path: the key of its state
  std::string id_base;   // relative to the indexed root, no extension,
                         // white space replaced by '_'
  // The format its name says (core/readers/formats.h); never null.
  const readers::Format* format = nullptr;
  bool is_stdin = false;  // "-": no file state, nothing deleted
  uint64_t size = 0;      // from stat() during the walk
  int64_t mtime_ns = 0;
};

struct WalkOutput {
  std::vector<InputFile> files;  // in input order, then name order
  // Canonical paths of the folders walked (inputs and the targets of links
  // followed), each ending in '/': a stored file under one of them that is
  // no longer found was deleted.
  std::vector<std::string> roots;
  std::vector<std::string> notices;  // "path: note: ..., passed over"
  long passed_over = 0;              // the paths those notices name
  // Files given by name that are not article files, one error each.
  std::vector<ParseError> errors;
};

// kNotFound ("cannot index nosuch: no such file or folder") when an input
// does not exist; every input is checked before anything is walked. The
// folder `skip_folder` (the database, which may sit inside an indexed
// folder) is not entered; "" skips nothing.
Result<WalkOutput> WalkInputs(const std::vector<std::string>& inputs,
                              const std::string& skip_folder);

// Splits "<size> <mtime_ns> <hash>" (the stored file state). False when
// `state` is not in that form.
bool ParseFileState(const std::string& state, uint64_t* size, int64_t* mtime_ns,
                    std::string* hash);
std::string FormatFileState(uint64_t size, int64_t mtime_ns,
                            const std::string& hash);

}  // namespace pundit::indexer

#endif  // PUNDIT_INDEXER_WALK_H_
