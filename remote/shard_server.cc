#include "remote/shard_server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include "core/mutex.h"
#include "core/store.h"
#include "remote/xapian_remote_server.h"
#include "searcher/match_list_spy.h"
#include "searcher/position_match.h"
#include "searcher/shard_groups.h"
#include "searcher/term_postings.h"

namespace pundit {
namespace {

constexpr int kPollMs = 200;

std::string CurrentStamp(const std::string& dir) {
  struct stat st {};
  if (::stat((dir + "/CURRENT").c_str(), &st) != 0) return "";
  return std::to_string(st.st_ino) + "/" + std::to_string(st.st_mtim.tv_sec) +
         "." + std::to_string(st.st_mtim.tv_nsec) + "/" +
         std::to_string(st.st_size);
}

}  // namespace

struct ShardServer::Impl {
  ShardServerOptions options;
  int listen_fd = -1;
  int port = 0;
  std::atomic<bool> stopping{false};
  std::thread acceptor, watcher;
  Mutex mu;
  CondVar cv;
  // Open client sockets, each with the CURRENT stamp seen before it
  // opened the live generation.
  std::map<int, std::string> connections GUARDED_BY(mu);

  // Serves one client until it goes away or Stop()/a swap closes it.
  void Serve(int fd) {
    try {
      {
        MutexLock lock(&mu);
        connections[fd] = CurrentStamp(options.db_dir);
      }
      Result<std::string> live = store::LiveGenerationPath(options.db_dir);
      if (live.ok()) {
        RemoteServer server({*live}, fd, fd, options.active_timeout_s,
                            options.idle_timeout_s);
        // This connection's classes: the phrase and NEAR source, and the
        // match spies naming this generation's database.
        Xapian::Registry registry;
        query::PositionMatch::RegisterIn(registry);
        // A handle of this connection's own for the spy to read the data
        // of the best matches with.
        Xapian::Database docs(*live);
        const std::string uuid = docs.get_uuid();
        registry.register_match_spy(MatchListSpy(uuid, docs));
        registry.register_match_spy(CopyBandsSpy(uuid, docs));
        registry.register_match_spy(TermPostingsSpy(uuid, docs));
        server.set_registry(registry);
        server.run();
      }
    } catch (...) {
      // The client went away, timed out, or the generation vanished under
      // it: it reconnects on its next request.
    }
    MutexLock lock(&mu);
    connections.erase(fd);
    ::close(fd);
    cv.SignalAll();
  }

  void Accept() {
    while (!stopping) {
      pollfd p{listen_fd, POLLIN, 0};
      if (::poll(&p, 1, kPollMs) <= 0) continue;
      int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      {
        MutexLock lock(&mu);
        if (stopping ||
            static_cast<int>(connections.size()) >= options.max_connections) {
          ::close(fd);
          continue;
        }
        connections.emplace(fd, "");
      }
      std::thread([this, fd] { Serve(fd); }).detach();
    }
  }

  // A swapped generation closes the connections opened before it: each
  // reads the old generation, which is now removed.
  void Watch() {
    while (!stopping) {
      MutexLock lock(&mu);
      cv.WaitUntil(&mu, std::chrono::steady_clock::now() +
                            std::chrono::milliseconds(kPollMs));
      if (stopping) break;
      const std::string now = CurrentStamp(options.db_dir);
      for (const auto& [fd, stamp] : connections) {
        if (!stamp.empty() && stamp != now) ::shutdown(fd, SHUT_RDWR);
      }
    }
  }
};

ShardServer::ShardServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ShardServer::~ShardServer() { Stop(); }

int ShardServer::port() const { return impl_->port; }

Result<std::unique_ptr<ShardServer>> ShardServer::Start(
    const ShardServerOptions& options) {
  // The index must be there and of this schema before clients come.
  Result<Xapian::Database> db = store::OpenForReading(options.db_dir);
  if (!db.ok()) return db.status();

  auto impl = std::make_unique<Impl>();
  impl->options = options;
  const std::string where = options.host + ":" + std::to_string(options.port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(options.port);
  if (int rc =
          ::getaddrinfo(options.host.c_str(), service.c_str(), &hints, &found);
      rc != 0) {
    return Status::InvalidArgument("cannot listen on " + where + ": " +
                                   gai_strerror(rc));
  }
  int fd = -1, err = 0;
  for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      err = errno;
      continue;
    }
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 128) != 0) {
      err = errno;
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) {
    return Status::IoError("cannot listen on " + where + ": " +
                           std::strerror(err));
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  impl->port = ntohs(bound.ss_family == AF_INET6
                         ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                         : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  impl->listen_fd = fd;
  Impl* raw = impl.get();
  impl->acceptor = std::thread([raw] { raw->Accept(); });
  impl->watcher = std::thread([raw] { raw->Watch(); });
  return std::unique_ptr<ShardServer>(new ShardServer(std::move(impl)));
}

void ShardServer::Stop() {
  Impl& s = *impl_;
  if (s.stopping.exchange(true)) return;
  s.cv.SignalAll();
  if (s.acceptor.joinable()) s.acceptor.join();
  if (s.watcher.joinable()) s.watcher.join();
  ::close(s.listen_fd);
  MutexLock lock(&s.mu);
  for (const auto& [fd, stamp] : s.connections) ::shutdown(fd, SHUT_RDWR);
  while (!s.connections.empty()) s.cv.Wait(&s.mu);
}

}  // namespace pundit
