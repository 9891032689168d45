// The database folder layout: CURRENT, generation folders and the write lock.
// See core/store.h for the layout and the guarantees.
#include "core/store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/schema.h"

namespace pundit::store {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCurrentFile = "CURRENT";
constexpr std::string_view kCurrentTmpFile = "CURRENT.tmp";
constexpr std::string_view kLockFile = "LOCK";
constexpr std::string_view kGenerationPrefix = "gen-";

std::string Join(const std::string& dir, std::string_view name) {
  std::string path = dir;
  if (!path.empty() && path.back() != '/') path += '/';
  path.append(name);
  return path;
}

std::string ErrnoText(int err) { return std::strerror(err); }

// The number of a generation folder name ("gen-000003" -> 3), or nullopt for
// any other name.
std::optional<unsigned long> GenerationNumber(std::string_view name) {
  if (name.size() <= kGenerationPrefix.size() ||
      name.substr(0, kGenerationPrefix.size()) != kGenerationPrefix) {
    return std::nullopt;
  }
  std::string_view digits = name.substr(kGenerationPrefix.size());
  unsigned long n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<unsigned long>(c - '0');
  }
  return n;
}

// Reads DIR/CURRENT. nullopt when it does not exist; "" when unreadable or
// empty.
std::optional<std::string> ReadCurrent(const std::string& dir) {
  std::string path = Join(dir, kCurrentFile);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    return std::string();
  }
  std::string content;
  char buf[256];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    content.append(buf, static_cast<size_t>(n));
    if (content.size() > 4096) break;
  }
  close(fd);
  while (!content.empty() &&
         (content.back() == '\n' || content.back() == '\r' ||
          content.back() == ' ')) {
    content.pop_back();
  }
  return content;
}

std::string NotFoundMessage(const std::string& dir) {
  return "no index at " + dir + ": run `pundit index --db " + dir +
         " PATH...` first";
}

Status FsyncPath(const std::string& path, int flags) {
  int fd = open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) {
    return Status::IoError("cannot open " + path + ": " + ErrnoText(errno));
  }
  int rc = fsync(fd);
  int err = errno;
  close(fd);
  if (rc != 0) {
    return Status::IoError("cannot sync " + path + ": " + ErrnoText(err));
  }
  return Status::Ok();
}

}  // namespace

std::string DefaultDbDir() {
  const char* env = std::getenv("PUNDIT_DB");
  if (env != nullptr && *env != '\0') return env;
  return "data/index";
}

Result<std::string> LiveGenerationPath(const std::string& dir) {
  std::optional<std::string> current = ReadCurrent(dir);
  if (!current) return Status::NotFound(NotFoundMessage(dir));
  if (!GenerationNumber(*current)) {
    return Status::Corruption(Join(dir, kCurrentFile) +
                              ": error: does not name a generation folder "
                              "(\"gen-NNNNNN\"): rebuild the index with "
                              "`pundit index --full`");
  }
  return Join(dir, *current);
}

Status CheckSchemaVersion(const Xapian::Database& db,
                          const std::string& where) {
  const std::string stored = db.get_metadata(std::string(schema::kSchemaKey));
  const std::string version = stored.empty() ? std::string("0") : stored;
  if (version != std::to_string(schema::kSchemaVersion)) {
    std::string message = "index at ";
    message += where;
    message += " has schema version ";
    message += version;
    message += ", this pundit reads version ";
    message += std::to_string(schema::kSchemaVersion);
    message += ": rebuild it with `pundit index --full`";
    return Status::VersionMismatch(std::move(message));
  }
  return Status::Ok();
}

Result<Xapian::Database> OpenForReading(const std::string& dir) {
  Status last;
  for (int attempt = 0; attempt < 2; ++attempt) {
    Result<std::string> live = LiveGenerationPath(dir);
    if (!live.ok()) return live.status();
    try {
      Xapian::Database db(*live);
      if (Status s = CheckSchemaVersion(db, dir); !s.ok()) return s;
      return db;
    } catch (const Xapian::DatabaseOpeningError& e) {
      // A --full run may have swapped generations and removed this one
      // between reading CURRENT and opening it: read CURRENT again.
      last = Status::Corruption("index at " + dir + " is damaged (" + *live +
                                ": " + e.get_msg() +
                                "): rebuild it with `pundit index --full`");
    } catch (const Xapian::DatabaseCorruptError& e) {
      return Status::Corruption("index at " + dir + " is damaged (" + *live +
                                ": " + e.get_msg() +
                                "): rebuild it with `pundit index --full`");
    } catch (...) {
      return FromCurrentException("opening index at " + dir);
    }
  }
  return last;
}

Result<std::unique_ptr<WriteLock>> WriteLock::Acquire(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return Status::IoError("cannot create " + dir + ": " + ec.message());
  }
  std::string path = Join(dir, kLockFile);
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IoError("cannot write " + path + ": " + ErrnoText(errno));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    if (err != EWOULDBLOCK) {
      close(fd);
      return Status::IoError("cannot lock " + path + ": " + ErrnoText(err));
    }
    char buf[32] = {};
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    close(fd);
    std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) {
      pid.pop_back();
    }
    if (pid.empty()) pid = "unknown";
    return Status::Locked("database " + dir + " is locked by pid " + pid +
                          " (another `pundit index` is running); wait for it "
                          "or stop it");
  }
  std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) !=
                                   static_cast<ssize_t>(pid.size())) {
    int err = errno;
    close(fd);
    return Status::IoError("cannot write " + path + ": " + ErrnoText(err));
  }
  return std::unique_ptr<WriteLock>(new WriteLock(fd));
}

WriteLock::~WriteLock() {
  // Closing the descriptor releases the flock; the pid left in the file is
  // only read while the lock is held.
  close(fd_);
}

std::string NextGenerationName(const std::string& dir) {
  unsigned long highest = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (auto n = GenerationNumber(it->path().filename().string())) {
      highest = std::max(highest, *n);
    }
  }
  if (auto current = ReadCurrent(dir)) {
    if (auto n = GenerationNumber(*current)) highest = std::max(highest, *n);
  }
  char name[32];
  std::snprintf(name, sizeof name, "gen-%06lu", highest + 1);
  return name;
}

Status MakeLive(const std::string& dir, const std::string& name) {
  if (!GenerationNumber(name)) {
    return Status::Internal("\"" + name + "\" is not a generation name");
  }
  std::string tmp = Join(dir, kCurrentTmpFile);
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IoError("cannot write " + tmp + ": " + ErrnoText(errno));
  }
  std::string line = name + "\n";
  bool written =
      write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  int err = errno;
  bool synced = written && fsync(fd) == 0;
  if (written && !synced) err = errno;
  close(fd);
  if (!synced) {
    unlink(tmp.c_str());
    return Status::IoError("cannot write " + tmp + ": " + ErrnoText(err));
  }
  std::string current = Join(dir, kCurrentFile);
  if (rename(tmp.c_str(), current.c_str()) != 0) {
    err = errno;
    unlink(tmp.c_str());
    return Status::IoError("cannot replace " + current + ": " + ErrnoText(err));
  }
  if (Status s = FsyncPath(dir, O_RDONLY | O_DIRECTORY); !s.ok()) return s;
  RemoveStaleGenerations(dir);
  return Status::Ok();
}

void RemoveStaleGenerations(const std::string& dir) {
  std::optional<std::string> current = ReadCurrent(dir);
  // A CURRENT that cannot be read or names no generation: keep everything
  // rather than guess which folder is live.
  if (current && !GenerationNumber(*current)) return;
  std::vector<fs::path> stale;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!GenerationNumber(name)) continue;
    if (current && name == *current) continue;
    stale.push_back(it->path());
  }
  for (const fs::path& path : stale) fs::remove_all(path, ec);
  fs::remove(Join(dir, kCurrentTmpFile), ec);
}

}  // namespace pundit::store
