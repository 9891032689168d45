#include "tests/test_util.h"

#include <bzlib.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <lzma.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <xapian.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "core/document.h"
#include "core/files.h"
#include "core/schema.h"
#include "core/store.h"

namespace pundit::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl =
      std::string(base && *base ? base : "/tmp") + "/pundit-test-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  // Make everything writable again (tests may chmod folders read-only).
  for (auto it = std::filesystem::recursive_directory_iterator(
           path_, std::filesystem::directory_options::skip_permission_denied,
           ec);
       !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
  }
  std::filesystem::remove_all(path_, ec);
}

std::string TestData(const std::string& name) {
  return std::string(PUNDIT_SOURCE_DIR) + "/tests/testdata/" + name;
}

std::string CorpusPath(const std::string& name) {
  return std::string(PUNDIT_SOURCE_DIR) + "/corpus/" + name;
}

std::string SharedPath(const std::string& name) {
  std::string dir = PUNDIT_SHARED_DIR;
  if (const char* env = std::getenv("PUNDIT_SHARED_DIR")) dir = env;
  if (!std::filesystem::exists(dir)) return "";
  return dir + "/" + name;
}

std::string PunditBinary() { return PUNDIT_BINARY; }

std::string ReadFile(const std::string& path) { return ReadWholeFile(path); }

void WriteFile(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(
      std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

namespace {

void DrainFd(int fd, std::string* into) {
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    into->append(buf, static_cast<size_t>(n));
  close(fd);
}

// argv and the environment plus `env` as the NULL-terminated arrays of
// execve, built before fork() (the child only calls async-signal-safe
// functions).
class ExecArgs {
 public:
  ExecArgs(const std::vector<std::string>& argv,
           const std::vector<std::string>& env)
      : strings_(argv.begin(), argv.end()) {
    for (const std::string& e : env) strings_.push_back(e);
    for (std::string& a : strings_) pointers_.push_back(a.data());
    args_.assign(pointers_.begin(), pointers_.begin() + argv.size());
    args_.push_back(nullptr);
    for (char** e = environ; *e != nullptr; ++e) {
      std::string_view entry(*e);
      std::string_view name = entry.substr(0, entry.find('='));
      bool replaced = false;
      for (const std::string& added : env) {
        if (added.starts_with(std::string(name) + "=")) replaced = true;
      }
      if (!replaced) env_.push_back(*e);
    }
    env_.insert(env_.end(), pointers_.begin() + argv.size(), pointers_.end());
    env_.push_back(nullptr);
  }
  [[noreturn]] void Exec() const {
    execve(args_[0], args_.data(), env_.data());
    _exit(127);
  }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> pointers_, args_, env_;
};

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env) {
  CommandResult result;
  ExecArgs exec(argv, env);
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) return result;
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    close(out_pipe[0]);
    close(err_pipe[0]);
    exec.Exec();
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  std::thread t([&] { DrainFd(err_pipe[0], &result.err); });
  DrainFd(out_pipe[0], &result.out);
  t.join();
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = ExitCodeOf(status);
  return result;
}

CommandResult RunInTerminal(const std::vector<std::string>& argv,
                            const std::vector<std::string>& env, int columns) {
  CommandResult result;
  ExecArgs exec(argv, env);
  struct termios mode;
  std::memset(&mode, 0, sizeof mode);
  cfmakeraw(&mode);  // no output post-processing, no echo
  struct winsize size;
  std::memset(&size, 0, sizeof size);
  size.ws_row = 40;
  size.ws_col = static_cast<unsigned short>(columns);
  int master = -1;
  pid_t pid = forkpty(&master, nullptr, &mode, &size);
  if (pid < 0) return result;
  if (pid == 0) exec.Exec();
  char buf[65536];
  for (;;) {
    ssize_t n = read(master, buf, sizeof buf);
    if (n > 0) {
      result.out.append(buf, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO: the child closed its side (exited)
    }
  }
  close(master);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = ExitCodeOf(status);
  return result;
}

std::string IdOrContent(const Article& a) {
  return a.id == ContentId(a) ? "(content)" : a.id;
}

std::vector<std::string> Paragraphs(const Article& a) {
  std::vector<std::string> out;
  for (const Block& b : a.body) out.push_back(b.text);
  return out;
}

std::set<std::string> IndexedIds(const std::string& db) {
  std::set<std::string> ids;
  Result<Xapian::Database> d = store::OpenForReading(db);
  if (!d.ok()) return ids;
  const std::string prefix(schema::kIdPrefix);
  for (Xapian::TermIterator t = d->allterms_begin(prefix);
       t != d->allterms_end(prefix); ++t) {
    ids.insert((*t).substr(prefix.size()));
  }
  return ids;
}

std::string XzBytes(const std::string& plain) {
  std::string out(lzma_stream_buffer_bound(plain.size()), '\0');
  size_t n = 0;
  EXPECT_EQ(lzma_easy_buffer_encode(
                6, LZMA_CHECK_CRC64, nullptr,
                reinterpret_cast<const uint8_t*>(plain.data()), plain.size(),
                reinterpret_cast<uint8_t*>(out.data()), &n, out.size()),
            LZMA_OK);
  out.resize(n);
  return out;
}

std::string Bzip2Bytes(const std::string& plain) {
  // libbz2's bound: 1% more plus 600 bytes.
  std::string out(plain.size() + plain.size() / 100 + 600, '\0');
  unsigned n = static_cast<unsigned>(out.size());
  EXPECT_EQ(
      BZ2_bzBuffToBuffCompress(out.data(), &n, const_cast<char*>(plain.data()),
                               static_cast<unsigned>(plain.size()), 9, 0, 0),
      BZ_OK);
  out.resize(n);
  return out;
}

}  // namespace pundit::testing
