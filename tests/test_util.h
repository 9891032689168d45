// Helpers shared by the test executables: temporary folders, paths to test
// data, running the pundit binary. Not thread-safe; tests use them from the
// main test thread.
#ifndef PUNDIT_TESTS_TEST_UTIL_H_
#define PUNDIT_TESTS_TEST_UTIL_H_

#include <set>
#include <string>
#include <vector>

#include "core/article.h"

namespace pundit::testing {

// A fresh folder under $TMPDIR, removed (recursively) by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// <repo>/tests/testdata/<name>
std::string TestData(const std::string& name);
// <repo>/corpus/<name>
std::string CorpusPath(const std::string& name);
// ../shared/<name>, or "" when ../shared is absent (call GTEST_SKIP then).
std::string SharedPath(const std::string& name);
// Path of the built `pundit` executable.
std::string PunditBinary();

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

struct CommandResult {
  int exit_code = -1;  // the process's exit status, or 128+signal
  std::string out;     // stdout
  std::string err;     // stderr
};
// Runs argv (argv[0] is a path) with stdin from /dev/null, capturing output
// through pipes (so isatty() is false for all three). `env` entries
// ("NAME=value") are added to the test's environment for the child.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {});

// Runs argv on a new pseudo-terminal (forkpty) of `columns` columns: stdin,
// stdout and stderr are all the terminal, so isatty() is true for each.
// Output post-processing is off ('\n' is not turned into "\r\n"), so a
// '\r' in `out` was written by the program. `out` holds stdout and stderr
// interleaved as written; `err` stays empty. exit_code is -1 when no pty
// could be opened.
CommandResult RunInTerminal(const std::vector<std::string>& argv,
                            const std::vector<std::string>& env = {},
                            int columns = 120);

// The text of each block of an article's body, in order.
std::vector<std::string> Paragraphs(const Article& a);

// The id of `a`, or "(content)" when it is the id of its content
// (ContentId: a record of a file of many without its own id or url).
std::string IdOrContent(const Article& a);

// Every article id in the index at `db` (a folder pundit index wrote).
std::set<std::string> IndexedIds(const std::string& db);

// `plain` compressed as one .xz stream (liblzma, preset 6, CRC64), as
// `xz -6` writes it. Fails the test if liblzma refuses.
std::string XzBytes(const std::string& plain);
// `plain` compressed as one bzip2 stream (libbz2, 900k blocks), as
// `bzip2 -9` writes it. Fails the test if libbz2 refuses.
std::string Bzip2Bytes(const std::string& plain);

}  // namespace pundit::testing

#endif  // PUNDIT_TESTS_TEST_UTIL_H_
