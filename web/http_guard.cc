#include "web/http_guard.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include "core/mutex.h"
#include "web/http_request_reader.h"

namespace pundit {
namespace {

using Clock = std::chrono::steady_clock;

// Bytes read from a socket at once; also the most a connection buffers of
// requests pipelined after the one being answered.
constexpr size_t kReadChunk = 16 * 1024;
// After an error response, how long and how much of what the client still
// sends is read and dropped before closing, so that the close does not
// reset the connection before the client has read the response.
constexpr auto kLinger = std::chrono::milliseconds(1000);
constexpr size_t kMaxDrain = 256 * 1024;
// Refused connections being answered, on top of max_connections.
constexpr size_t kMaxRefused = 256;
// File descriptors kept for the index, logs and the listening socket.
constexpr rlim_t kReservedFiles = 128;
constexpr int kListenBacklog = 1024;
constexpr auto kTick = std::chrono::milliseconds(100);
constexpr auto kAcceptPause = std::chrono::milliseconds(100);

const char* ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Error";
  }
}

// The numeric address and port of a socket address.
std::string AddressText(const sockaddr_storage& addr, socklen_t len,
                        int* port) {
  char host[NI_MAXHOST] = "";
  char service[NI_MAXSERV] = "";
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, host,
                  sizeof host, service, sizeof service,
                  NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    *port = 0;
    return "-";
  }
  *port = std::atoi(service);
  return host;
}

// Writes all of data[0, size) to the non-blocking socket `fd`, waiting for
// room until `deadline`. False on an error, a closed peer or the deadline.
bool SendAll(int fd, const char* data, size_t size,
             Clock::time_point deadline) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      data += n;
      size -= static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) < 0 && errno != EINTR) {
      return false;
    }
  }
  return true;
}

// What httplib reads a request from and writes its response to: the request
// is the head the guard read (in memory); writes go to the socket.
class GuardStream final : public httplib::Stream {
 public:
  // Each write must go out within `write_timeout` of the previous one (of
  // the start, for the first), so a streamed response may take longer in
  // all while its client keeps reading.
  GuardStream(int fd, const std::string& request,
              std::chrono::milliseconds write_timeout,
              const std::string& remote_addr, int remote_port,
              const std::string& local_addr, int local_port)
      : fd_(fd),
        request_(request),
        write_timeout_(write_timeout),
        deadline_(Clock::now() + write_timeout),
        remote_addr_(remote_addr),
        remote_port_(remote_port),
        local_addr_(local_addr),
        local_port_(local_port) {}

  bool is_readable() const override { return pos_ < request_.size(); }
  bool is_writable() const override { return Clock::now() < deadline_; }
  ssize_t read(char* ptr, size_t size) override {
    size_t n = std::min(size, request_.size() - pos_);
    std::memcpy(ptr, request_.data() + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (!SendAll(fd_, ptr, size, deadline_)) return -1;
    deadline_ = Clock::now() + write_timeout_;
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = remote_addr_;
    port = remote_port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = local_addr_;
    port = local_port_;
  }
  // httplib only uses the socket for its select() limit (FD_SETSIZE), which
  // does not apply here: the request is in memory.
  socket_t socket() const override { return INVALID_SOCKET; }

 private:
  int fd_;
  const std::string& request_;
  size_t pos_ = 0;
  std::chrono::milliseconds write_timeout_;
  Clock::time_point deadline_;
  const std::string& remote_addr_;
  int remote_port_;
  const std::string& local_addr_;
  int local_port_;
};

}  // namespace

struct HttpGuard::Impl {
  // One client connection. Owned by `conns`; touched by the event loop only,
  // except while kBusy, when exactly one worker answers its request.
  struct Conn {
    Conn(const HttpLimits& limits, const MethodPolicy& policy)
        : reader(limits, policy) {}
    enum class State { kReading, kBusy, kClosing };
    int fd = -1;
    std::string addr, local_addr;
    int port = 0, local_port = 0;
    bool admitted = false;  // counted in the connection caps
    State state = State::kReading;
    RequestReader reader;
    std::string pending;  // bytes read after the request being answered
    Clock::time_point deadline;
    size_t served = 0;
    bool close_after = false;  // set by the worker
    uint32_t events = 0;       // registered with epoll; 0 = not registered
    std::string out;           // an error response being sent
    size_t out_pos = 0;
    size_t drained = 0;
  };

  Impl(const HttpLimits& l, Callbacks c) : limits(l), callbacks(std::move(c)) {
    event_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  }
  ~Impl() {
    if (listen_fd >= 0) ::close(listen_fd);
    if (event_fd >= 0) ::close(event_fd);
  }

  void Wake() {
    uint64_t one = 1;
    ssize_t n = ::write(event_fd, &one, sizeof one);
    (void)n;
  }

  void SetEvents(Conn& c, uint32_t events);
  void Accept();
  void Admit(std::unique_ptr<Conn> c);
  void OnEvent(Conn& c, uint32_t events);
  void Read(Conn& c);
  // Feeds bytes to the connection's reader and acts on what it found. May
  // close `c`.
  void Process(Conn& c, const char* data, size_t size);
  void Dispatch(Conn& c);
  void Answer(Conn* c, bool close_connection);
  void TakeReturned();
  void SendEarlyError(Conn& c, const EarlyError& error);
  // Sends what is left of c.out, then half-closes and lingers.
  void Flush(Conn& c);
  void Close(Conn& c);
  void Expire();
  void CloseIdle();

  HttpLimits limits;
  Callbacks callbacks;
  size_t max_connections = 0;
  int listen_fd = -1;
  int epoll_fd = -1;
  int event_fd = -1;
  std::atomic<bool> stopping{false};

  // Event loop state.
  std::unordered_map<int, std::unique_ptr<Conn>> conns;
  std::unordered_map<std::string, size_t> per_address;
  size_t admitted = 0;
  size_t busy = 0;
  Clock::time_point accept_paused_until{};
  bool accepting = true;
  std::unique_ptr<httplib::ThreadPool> workers;

  // Connections whose request a worker has answered.
  Mutex returned_mu;
  std::vector<Conn*> returned GUARDED_BY(returned_mu);

  // Lets the destructor wait for Run().
  Mutex run_mu;
  CondVar run_cv;
  bool running GUARDED_BY(run_mu) = false;
};

void HttpGuard::Impl::SetEvents(Conn& c, uint32_t events) {
  if (events == c.events) return;
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = c.fd;
  int op = c.events == 0 ? EPOLL_CTL_ADD
           : events == 0 ? EPOLL_CTL_DEL
                         : EPOLL_CTL_MOD;
  ::epoll_ctl(epoll_fd, op, c.fd, &ev);
  c.events = events;
}

void HttpGuard::Impl::Accept() {
  for (;;) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
          errno == ENOMEM) {
        // Out of descriptors: stop accepting for a moment rather than spin.
        epoll_ctl(epoll_fd, EPOLL_CTL_DEL, listen_fd, nullptr);
        accepting = false;
        accept_paused_until = Clock::now() + kAcceptPause;
      }
      return;
    }
    if (conns.size() >= max_connections + kMaxRefused) {
      ::close(fd);
      continue;
    }
    int yes = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    auto c = std::make_unique<Conn>(limits, callbacks.allowed_methods);
    c->fd = fd;
    c->addr = AddressText(addr, len, &c->port);
    sockaddr_storage local{};
    socklen_t local_len = sizeof local;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) == 0) {
      c->local_addr = AddressText(local, local_len, &c->local_port);
    }
    Admit(std::move(c));
  }
}

void HttpGuard::Impl::Admit(std::unique_ptr<Conn> owned) {
  Conn& c = *owned;
  conns[c.fd] = std::move(owned);
  size_t& from_address = per_address[c.addr];
  if (admitted >= max_connections) {
    if (from_address == 0) per_address.erase(c.addr);
    return SendEarlyError(c,
                          {503, "", "", c.addr,
                           "the server has " + std::to_string(max_connections) +
                               " connections open; try again in a moment",
                           ""});
  }
  if (from_address >= limits.max_connections_per_address) {
    return SendEarlyError(
        c, {429, "", "", c.addr,
            "too many connections from " + c.addr + " (at most " +
                std::to_string(limits.max_connections_per_address) +
                "); reuse keep-alive connections or wait",
            ""});
  }
  ++from_address;
  ++admitted;
  c.admitted = true;
  c.deadline = Clock::now() + limits.idle_timeout;
  SetEvents(c, EPOLLIN | EPOLLRDHUP);
}

void HttpGuard::Impl::OnEvent(Conn& c, uint32_t events) {
  if (c.state == Conn::State::kBusy) return;  // a worker owns it
  if (c.state == Conn::State::kClosing && !c.out.empty() &&
      (events & EPOLLOUT)) {
    return Flush(c);
  }
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) Read(c);
}

void HttpGuard::Impl::Read(Conn& c) {
  char buf[kReadChunk];
  ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    return;
  }
  if (n <= 0) return Close(c);  // closed by the client, or reset
  if (c.state == Conn::State::kClosing) {
    c.drained += static_cast<size_t>(n);
    if (c.drained > kMaxDrain) Close(c);
    return;
  }
  Process(c, buf, static_cast<size_t>(n));
}

void HttpGuard::Impl::Process(Conn& c, const char* data, size_t size) {
  const bool was_started = c.reader.started();
  size_t used = c.reader.Feed(data, size);
  if (!was_started && c.reader.started()) {
    c.deadline = Clock::now() + limits.request_deadline;
  }
  if (c.reader.TakeContinue()) {
    static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
    ssize_t n = ::send(c.fd, kContinue, sizeof kContinue - 1,
                       MSG_NOSIGNAL | MSG_DONTWAIT);
    (void)n;  // a client that does not read it sends its body anyway
  }
  if (c.reader.failed()) {
    EarlyError error = c.reader.error();
    error.remote_addr = c.addr;
    return SendEarlyError(c, error);
  }
  if (c.reader.complete()) {
    c.pending.assign(data + used, size - used);
    Dispatch(c);
  }
}

void HttpGuard::Impl::Dispatch(Conn& c) {
  c.state = Conn::State::kBusy;
  SetEvents(c, 0);
  ++busy;
  const bool close_connection =
      stopping || c.served + 1 >= limits.max_requests_per_connection;
  Conn* conn = &c;
  workers->enqueue(
      [this, conn, close_connection] { Answer(conn, close_connection); });
}

void HttpGuard::Impl::Answer(Conn* c, bool close_connection) {
  GuardStream stream(c->fd, c->reader.forward(), limits.write_timeout, c->addr,
                     c->port, c->local_addr, c->local_port);
  bool closed = false;
  bool ok = false;
  try {
    ok = callbacks.handle(stream, close_connection, closed);
  } catch (...) {
    ok = false;
  }
  c->close_after = !ok || close_connection || closed;
  {
    MutexLock lock(&returned_mu);
    returned.push_back(c);
  }
  Wake();
}

void HttpGuard::Impl::TakeReturned() {
  std::vector<Conn*> done;
  {
    MutexLock lock(&returned_mu);
    done.swap(returned);
  }
  for (Conn* c : done) {
    --busy;
    ++c->served;
    if (stopping) {
      Close(*c);
      continue;
    }
    if (c->close_after) {
      c->state = Conn::State::kClosing;
      Flush(*c);
      continue;
    }
    c->state = Conn::State::kReading;
    c->reader.Reset();
    c->deadline = Clock::now() + limits.idle_timeout;
    SetEvents(*c, EPOLLIN | EPOLLRDHUP);
    if (!c->pending.empty()) {
      std::string next = std::move(c->pending);
      c->pending.clear();
      Process(*c, next.data(), next.size());
    }
  }
}

void HttpGuard::Impl::SendEarlyError(Conn& c, const EarlyError& error) {
  EarlyResponse response = callbacks.render_error(error);
  std::string& out = c.out;
  out = "HTTP/1.1 " + std::to_string(error.status) + " " +
        ReasonPhrase(error.status) + "\r\n";
  for (const auto& [name, value] : response.headers) {
    out += name + ": " + value + "\r\n";
  }
  out += "Content-Type: " + response.content_type + "\r\n";
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  out += "Connection: close\r\n\r\n";
  if (error.method != "HEAD") out += response.body;
  c.out_pos = 0;
  c.state = Conn::State::kClosing;
  c.pending.clear();
  c.pending.shrink_to_fit();
  c.reader.Reset();
  c.deadline = Clock::now() + limits.write_timeout;
  Flush(c);
}

void HttpGuard::Impl::Flush(Conn& c) {
  while (c.out_pos < c.out.size()) {
    ssize_t n = ::send(c.fd, c.out.data() + c.out_pos, c.out.size() - c.out_pos,
                       MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      c.out_pos += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return SetEvents(c, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
    } else if (!(n < 0 && errno == EINTR)) {
      return Close(c);
    }
  }
  c.out.clear();
  c.out.shrink_to_fit();
  ::shutdown(c.fd, SHUT_WR);
  c.deadline = Clock::now() + kLinger;
  SetEvents(c, EPOLLIN | EPOLLRDHUP);
}

void HttpGuard::Impl::Close(Conn& c) {
  SetEvents(c, 0);
  ::close(c.fd);
  if (c.admitted) {
    --admitted;
    auto it = per_address.find(c.addr);
    if (it != per_address.end() && --it->second == 0) per_address.erase(it);
  }
  conns.erase(c.fd);  // destroys c
}

void HttpGuard::Impl::Expire() {
  const Clock::time_point now = Clock::now();
  std::vector<Conn*> due;
  for (auto& [fd, c] : conns) {
    if (c->state != Conn::State::kBusy && now >= c->deadline) {
      due.push_back(c.get());
    }
  }
  for (Conn* c : due) {
    if (c->state == Conn::State::kReading && c->reader.started()) {
      const auto seconds =
          std::chrono::duration<double>(limits.request_deadline).count();
      char text[32];
      std::snprintf(text, sizeof text, "%g", seconds);
      SendEarlyError(*c, {408, c->reader.method(), c->reader.target(), c->addr,
                          std::string("the request did not arrive whole "
                                      "within ") +
                              text + " s",
                          ""});
    } else {
      Close(*c);  // idle, or done lingering
    }
  }
  if (!accepting && now >= accept_paused_until && !stopping) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = listen_fd;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd, &ev);
    accepting = true;
  }
}

void HttpGuard::Impl::CloseIdle() {
  std::vector<Conn*> idle;
  for (auto& [fd, c] : conns) {
    if (c->state != Conn::State::kBusy) idle.push_back(c.get());
  }
  for (Conn* c : idle) Close(*c);
}

HttpGuard::HttpGuard(const HttpLimits& limits, Callbacks callbacks)
    : impl_(std::make_unique<Impl>(limits, std::move(callbacks))) {}

HttpGuard::~HttpGuard() {
  Stop();
  MutexLock lock(&impl_->run_mu);
  while (impl_->running) impl_->run_cv.Wait(&impl_->run_mu);
}

void HttpGuard::Stop() {
  impl_->stopping = true;
  impl_->Wake();
}

Result<int> HttpGuard::Bind(const std::string& host, int port) {
  const std::string shown =
      host.find(':') == std::string::npos ? host : "[" + host + "]";
  auto failure = [&](const std::string& reason) {
    return Status::IoError(
        "cannot listen on " + shown + ":" + std::to_string(port) + ": " +
        reason +
        (reason == "address in use"
             ? "; stop the server using it or choose another --port"
             : "; choose another --port or --host"));
  };
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  int gai = getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (gai != 0)
    return failure(std::string("unknown host: ") + gai_strerror(gai));
  int error = 0;
  int fd = -1;
  for (addrinfo* ai = found; ai != nullptr && fd < 0; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                  ai->ai_protocol);
    if (fd < 0) {
      error = errno;
      continue;
    }
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (ai->ai_family == AF_INET6) {
      int no = 0;  // also IPv4 on "::", as cpp-httplib does
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no);
    }
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
        ::listen(fd, kListenBacklog) != 0) {
      error = errno;
      ::close(fd);
      fd = -1;
      if (error == EADDRINUSE) break;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) {
    if (error == EADDRINUSE) return failure("address in use");
    return failure(error == 0 ? "the address could not be bound"
                              : std::strerror(error));
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  int bound_port = 0;
  AddressText(bound, len, &bound_port);
  if (impl_->listen_fd >= 0) ::close(impl_->listen_fd);
  impl_->listen_fd = fd;
  return bound_port;
}

Status HttpGuard::Run() {
  Impl& impl = *impl_;
  if (impl.listen_fd < 0) {
    return Status::Internal("HttpGuard::Run called before a successful Bind");
  }
  {
    MutexLock lock(&impl.run_mu);
    impl.running = true;
  }
  struct Done {
    Impl& impl;
    ~Done() {
      MutexLock lock(&impl.run_mu);
      impl.running = false;
      impl.run_cv.SignalAll();
    }
  } done{impl};

  rlimit files{};
  impl.max_connections = impl.limits.max_connections;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 &&
      files.rlim_cur != RLIM_INFINITY) {
    rlim_t room = files.rlim_cur > 2 * kReservedFiles + kMaxRefused
                      ? files.rlim_cur - kReservedFiles - kMaxRefused
                      : files.rlim_cur / 4;
    impl.max_connections =
        std::min<size_t>(impl.max_connections, static_cast<size_t>(room));
  }
  impl.epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (impl.epoll_fd < 0 || impl.event_fd < 0) {
    return Status::IoError(std::string("cannot set up the event loop: ") +
                           std::strerror(errno));
  }
  for (int fd : {impl.listen_fd, impl.event_fd}) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    epoll_ctl(impl.epoll_fd, EPOLL_CTL_ADD, fd, &ev);
  }
  impl.workers = std::make_unique<httplib::ThreadPool>(
      std::max<size_t>(1, impl.limits.workers));

  bool closed_listener = false;
  Clock::time_point next_tick = Clock::now() + kTick;
  epoll_event events[256];
  while (!(impl.stopping && impl.busy == 0)) {
    if (impl.stopping && !closed_listener) {
      // Stop accepting; requests being answered finish, others are closed.
      epoll_ctl(impl.epoll_fd, EPOLL_CTL_DEL, impl.listen_fd, nullptr);
      closed_listener = true;
      impl.CloseIdle();
      continue;
    }
    int n = ::epoll_wait(impl.epoll_fd, events, 256,
                         static_cast<int>(kTick.count()));
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == impl.listen_fd) {
        if (!impl.stopping) impl.Accept();
      } else if (fd == impl.event_fd) {
        uint64_t count;
        ssize_t r = ::read(impl.event_fd, &count, sizeof count);
        (void)r;
      } else {
        auto it = impl.conns.find(fd);
        if (it != impl.conns.end()) impl.OnEvent(*it->second, events[i].events);
      }
    }
    impl.TakeReturned();
    if (Clock::now() >= next_tick) {
      impl.Expire();
      next_tick = Clock::now() + kTick;
    }
  }
  impl.workers->shutdown();
  impl.workers.reset();
  impl.CloseIdle();
  ::close(impl.epoll_fd);
  impl.epoll_fd = -1;
  ::close(impl.listen_fd);
  impl.listen_fd = -1;
  return Status::Ok();
}

}  // namespace pundit
