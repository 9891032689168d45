// Helpers shared by the test executables: temporary folders, paths to test
// data, running the pundit binary. Not thread-safe; tests use them from the
// main test thread.
#ifndef PUNDIT_TESTS_TEST_UTIL_H_
#define PUNDIT_TESTS_TEST_UTIL_H_

#include <string>
#include <vector>

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
// Runs argv (argv[0] is a path) with stdin from /dev/null, capturing output.
CommandResult RunCommand(const std::vector<std::string>& argv);

}  // namespace pundit::testing

#endif  // PUNDIT_TESTS_TEST_UTIL_H_
