// Replicas over Xapian's replication tools. See remote/replica.h for the
// layout on the master and on a replica, and why the tools run as child
// processes.
#include "remote/replica.h"

#include <netdb.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xapian.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include "core/schema.h"

namespace pundit::remote {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kServedDir = "REPLICATE";
constexpr std::string_view kReplicaDir = "REPLICA";
constexpr std::string_view kReplicaStub = "XAPIANDB";
// Printed by xapian-replicate when a full copy could not be made live.
constexpr std::string_view kCopyFailed = "Replication using a full copy failed";
// Socket timeout of one pull, in seconds: a master that stops answering
// mid-pull fails the pull instead of hanging it.
constexpr int kSocketTimeoutSeconds = 60;
constexpr auto kStartLimit = std::chrono::seconds(10);

std::string Join(const std::string& dir, std::string_view name) {
  std::string path = dir;
  if (!path.empty() && path.back() != '/') path += '/';
  path.append(name);
  return path;
}

std::string ServedLink(const std::string& db_dir) {
  return Join(Join(db_dir, kServedDir), kServedName);
}

// The name of the generation CURRENT names, or "" when there is none.
std::string LiveName(const std::string& db_dir) {
  Result<std::string> live = store::LiveGenerationPath(db_dir);
  return live.ok() ? fs::path(*live).filename().string() : std::string();
}

// Makes `link` a symlink to `target` with one rename (readers never see it
// missing).
Status PointLink(const std::string& link, const std::string& target) {
  const std::string tmp = link + ".tmp";
  unlink(tmp.c_str());
  if (symlink(target.c_str(), tmp.c_str()) != 0 ||
      rename(tmp.c_str(), link.c_str()) != 0) {
    const int err = errno;
    unlink(tmp.c_str());
    return Status::IoError("cannot point " + link + " at " + target + ": " +
                           std::strerror(err));
  }
  return Status::Ok();
}

std::string ReadLink(const std::string& link) {
  std::error_code ec;
  fs::path target = fs::read_symlink(link, ec);
  return ec ? std::string() : target.string();
}

// The last line a replication tool printed, without the program name and
// Xapian's error class: "xapian-replicate: NetworkError: Couldn't connect
// (Connection refused)" -> "Couldn't connect (Connection refused)".
std::string ToolMessage(const std::string& output) {
  std::string text = output;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  const size_t nl = text.rfind('\n');
  if (nl != std::string::npos) text.erase(0, nl + 1);
  if (text.rfind("xapian-replicate", 0) == 0) {
    if (size_t colon = text.find(": "); colon != std::string::npos) {
      text.erase(0, colon + 2);
    }
  }
  if (size_t colon = text.find("Error: ");
      colon != std::string::npos && text.find(' ') > colon) {
    text.erase(0, colon + 7);
  }
  return text.empty() ? "no message" : text;
}

// True when something accepts TCP connections at host:port.
bool Accepts(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) !=
      0) {
    return false;
  }
  bool ok = false;
  for (addrinfo* a = found; a != nullptr && !ok; a = a->ai_next) {
    int fd =
        socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    ok = connect(fd, a->ai_addr, a->ai_addrlen) == 0;
    close(fd);
  }
  freeaddrinfo(found);
  return ok;
}

// "uuid:revision" of the database at `path`, or "" when none opens there.
std::string RevisionOf(const std::string& path) {
  try {
    Xapian::Database db(path);
    return db.get_uuid() + ":" + std::to_string(db.get_revision());
  } catch (const Xapian::Error&) {
    return "";
  }
}

// The folder (inside DIR/REPLICA) the replica's stub names live:
// "replica_1". kCorruption when the stub is missing or unreadable.
Result<std::string> LiveCopy(const std::string& replica_dir) {
  const std::string stub = Join(replica_dir, kReplicaStub);
  std::ifstream in(stub);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    // "auto replica_1"
    const size_t space = line.find(' ');
    if (space == std::string::npos) break;
    std::string name = line.substr(space + 1);
    if (name.empty() || name.find('/') != std::string::npos) break;
    return name;
  }
  return Status::Corruption(stub + ": error: names no database: remove " +
                            replica_dir + " and pull again");
}

}  // namespace

// ---- for writers ----

bool IsServed(const std::string& db_dir) {
  std::error_code ec;
  return fs::is_directory(Join(db_dir, kServedDir), ec);
}

void KeepChangesetsIfServed(const std::string& db_dir) {
  if (!IsServed(db_dir)) return;
  setenv("XAPIAN_MAX_CHANGESETS", std::to_string(kMaxChangesets).c_str(),
         /*overwrite=*/0);
}

void ServeGeneration(const std::string& db_dir, const std::string& name) {
  if (!IsServed(db_dir)) return;
  (void)PointLink(ServedLink(db_dir), "../" + name);
}

// ---- master ----

ReplicationServer::ReplicationServer(ServeOptions options,
                                     std::unique_ptr<ChildProcess> child)
    : options_(std::move(options)),
      address_(options_.host + ":" + std::to_string(options_.port)),
      child_(std::move(child)) {}

Result<std::unique_ptr<ReplicationServer>> ReplicationServer::Start(
    const ServeOptions& options) {
  if (options.port < 1 || options.port > 65535) {
    return Status::InvalidArgument("--port " + std::to_string(options.port) +
                                   " is not a port: give 1 to 65535");
  }
  const std::string address = options.host + ":" + std::to_string(options.port);
  Result<std::string> live = store::LiveGenerationPath(options.db_dir);
  if (!live.ok()) return live.status();
  const std::string served = Join(options.db_dir, kServedDir);
  std::error_code ec;
  fs::create_directories(served, ec);
  if (ec)
    return Status::IoError("cannot create " + served + ": " + ec.message());
  if (Status s = PointLink(ServedLink(options.db_dir),
                           "../" + fs::path(*live).filename().string());
      !s.ok()) {
    return s;
  }
  Result<std::unique_ptr<ChildProcess>> child = ChildProcess::Start(
      {"xapian-replicate-server", "--interface=" + options.host,
       "--port=" + std::to_string(options.port), served},
      /*own_process_group=*/true);
  if (!child.ok()) return child.status();
  const auto deadline = std::chrono::steady_clock::now() + kStartLimit;
  bool listening = false;
  while (!listening && std::chrono::steady_clock::now() < deadline) {
    if ((*child)->Ended()) break;
    listening = Accepts(options.host, options.port);
    if (!listening) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Another program on the port accepts too: the server then fails to bind
  // and exits within moments.
  if (listening) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  if ((*child)->Ended()) {
    return Status::IoError("cannot listen on " + address + ": " +
                           ToolMessage((*child)->TakeOutput()));
  }
  if (!listening) {
    return Status::IoError("cannot listen on " + address +
                           ": xapian-replicate-server did not start listening "
                           "within 10 s");
  }
  return std::unique_ptr<ReplicationServer>(
      new ReplicationServer(options, std::move(child).value()));
}

ReplicationServer::~ReplicationServer() {
  child_->Signal(SIGTERM);
  child_->Wait();
}

Result<std::string> ReplicationServer::Check() {
  if (child_->Ended()) {
    return Status::IoError("xapian-replicate-server on " + address_ +
                           " stopped (exit status " +
                           std::to_string(child_->exit_code()) +
                           "): " + ToolMessage(child_->TakeOutput()));
  }
  const std::string live = LiveName(options_.db_dir);
  const std::string link = ServedLink(options_.db_dir);
  if (!live.empty() && ReadLink(link) != "../" + live) {
    if (Status s = PointLink(link, "../" + live); !s.ok()) return s;
  }
  return child_->TakeOutput();
}

// ---- replica ----

Follower::Follower(FollowOptions options,
                   std::unique_ptr<store::WriteLock> lock)
    : options_(std::move(options)),
      master_(options_.host + ":" + std::to_string(options_.port)),
      lock_(std::move(lock)) {}

Result<std::unique_ptr<Follower>> Follower::Open(const FollowOptions& options) {
  if (options.port < 1 || options.port > 65535) {
    return Status::InvalidArgument("port " + std::to_string(options.port) +
                                   " is not a port: give 1 to 65535");
  }
  Result<std::unique_ptr<store::WriteLock>> lock =
      store::WriteLock::Acquire(options.db_dir);
  if (!lock.ok()) return lock.status();
  store::RemoveStaleGenerations(options.db_dir);
  Result<std::string> live = store::LiveGenerationPath(options.db_dir);
  if (!live.ok() && live.status().code() != Status::Code::kNotFound) {
    return live.status();
  }
  std::error_code ec;
  if (live.ok() && !fs::is_symlink(*live, ec)) {
    return Status::InvalidArgument(
        options.db_dir + " holds an index that is not a replica (" +
        fs::path(*live).filename().string() +
        "): follow into another folder, or remove this one first");
  }
  std::unique_ptr<Follower> follower(
      new Follower(options, std::move(lock).value()));
  // A pull killed after Xapian made a copy live but before CURRENT named it.
  const std::string replica = Join(options.db_dir, kReplicaDir);
  if (live.ok() && fs::exists(Join(replica, kReplicaStub), ec)) {
    Result<PullResult> repaired = follower->Publish(false);
    if (!repaired.ok()) return repaired.status();
  }
  return follower;
}

Result<PullResult> Follower::Pull() {
  const std::string replica = Join(options_.db_dir, kReplicaDir);
  const std::string before = RevisionOf(replica);
  Result<ChildResult> run = RunChild(
      {"xapian-replicate", "--host=" + options_.host,
       "--port=" + std::to_string(options_.port),
       std::string("--master=") + kServedName, "--one-shot",
       // Readers of a replica retry when a changeset overwrites what they
       // read (searcher.cc), so changesets need not wait for them.
       "--reader-time=0", "--timeout=" + std::to_string(kSocketTimeoutSeconds),
       replica},
      std::chrono::hours(24));
  if (!run.ok()) return run.status();
  if (run->exit_code != 0 || run->timed_out) {
    return Status::IoError("cannot pull from " + master_ + ": " +
                           ToolMessage(run->output));
  }
  if (run->output.find(kCopyFailed) != std::string::npos) {
    return Status::IoError("cannot pull from " + master_ +
                           ": the master's index changed during the copy; "
                           "the next pull copies it again");
  }
  try {
    Xapian::Database db(replica);
    if (db.get_metadata(std::string(schema::kSchemaKey)).empty()) {
      return Status::Corruption(master_ +
                                " serves a Xapian database that is not a "
                                "pundit index: the replica was left as it was");
    }
  } catch (const Xapian::Error& e) {
    return Status::Corruption("cannot read what was pulled from " + master_ +
                              " into " + replica + ": " + e.get_msg());
  }
  return Publish(RevisionOf(replica) != before);
}

Result<PullResult> Follower::Publish(bool changed) {
  const std::string& dir = options_.db_dir;
  Result<std::string> copy = LiveCopy(Join(dir, kReplicaDir));
  if (!copy.ok()) return copy.status();
  const std::string target = Join(std::string(kReplicaDir), *copy);
  PullResult result;
  result.generation = LiveName(dir);
  if (result.generation.empty() ||
      ReadLink(Join(dir, result.generation)) != target) {
    // A full copy (or the first): a new generation name, so readers open
    // it afresh rather than reopen the copy Xapian just removed.
    result.generation = store::NextGenerationName(dir);
    if (Status s = PointLink(Join(dir, result.generation), target); !s.ok()) {
      return s;
    }
    ServeGeneration(dir, result.generation);
    changed = true;
  }
  // Rewriting CURRENT (a new inode) tells running searchers to reopen.
  if (changed) {
    if (Status s = store::MakeLive(dir, result.generation); !s.ok()) return s;
  }
  result.changed = changed;
  try {
    result.articles = static_cast<long>(
        Xapian::Database(Join(dir, result.generation)).get_doccount());
  } catch (const Xapian::Error& e) {
    return Status::Corruption("cannot read " + Join(dir, result.generation) +
                              ": " + e.get_msg());
  }
  return result;
}

}  // namespace pundit::remote
