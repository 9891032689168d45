// `pundit serve` holds against hostile HTTP clients. One real server (the
// pundit binary, as a child process, over an index of corpus/) on a loopback
// port meets, one after the other, raw-socket clients that:
//  - send a 20 MB request line (414), 4 x 20 MB of header lines at once
//    (431), a 20 MB chunked body on GET (413) and on POST (405), and declare
//    a Content-Length of 10^12 (413): each is answered as JSON, the
//    connection is closed, and the server does not buffer what follows;
//  - send POST, PUT, DELETE and PATCH without a body (405 with Allow),
//    WebDAV's PROPFIND (405), an unknown method (501), a malformed request line
//    (400): JSON at once, within 4 s (the old server waited 5 s for a body that
//    never came);
//  - pipeline three requests on one connection: three answers, in order;
//  - hold 200 connections that send one header byte every 3 s: during them
//    at least 19 of 20 normal queries are answered within 1 s, and each slow
//    connection gets a JSON 408 when its whole-request deadline passes; a
//    request dribbled over 17 s gets a 408 too, never its answer;
//  - open more connections from one address than allowed (429).
// Normal queries are answered right before and after. The server's memory
// (VmHWM, the peak resident size, and VmRSS from /proc/PID/status) must stay
// within 100 MB of what it was after warming up. The growth per attack is
// printed; PUNDIT_SERVE_BINARY=path runs the same attacks against another
// build of pundit (docs/RELIABILITY.md has the figures of both).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/reliability_util.h"
#include "tests/test_util.h"

namespace pundit {
namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::json;
using testing::ChildProcess;
using testing::Seconds;
using testing::TempDir;

constexpr size_t kMB = 1024 * 1024;

std::string ServeBinary() {
  const char* other = std::getenv("PUNDIT_SERVE_BINARY");
  return other != nullptr && *other ? other : testing::PunditBinary();
}

// A field of /proc/PID/status in kB ("VmRSS", "VmHWM"); -1 if unreadable.
long StatusKb(pid_t pid, const std::string& field) {
  std::string status =
      testing::ReadFile("/proc/" + std::to_string(pid) + "/status");
  size_t at = status.find(field + ":");
  if (at == std::string::npos) return -1;
  return std::atol(status.c_str() + at + field.size() + 1);
}

// A TCP connection to 127.0.0.1:port from address `from` (any 127.x.y.z is
// on the loopback interface), or -1.
int Connect(int port, const std::string& from = "127.0.0.1") {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, from.c_str(), &local.sin_addr);
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends what `next` produces (it appends the next piece and returns false
// when there is no more) while reading whatever the server answers, until
// the server closes, `stop_reading` says the answer is whole, or `limit`
// passes. Sending stops when the server stops taking bytes (closed or
// reset); the client never half-closes (cpp-httplib 0.11 does not answer a
// client that has). Closes fd. Returns the bytes read.
std::string Exchange(
    int fd, const std::function<bool(std::string&)>& next,
    std::chrono::milliseconds limit,
    const std::function<bool(const std::string&)>& stop_reading = nullptr) {
  std::string in, out;
  size_t out_pos = 0;
  bool sending = true;
  const auto deadline = Clock::now() + limit;
  for (;;) {
    if (sending && out_pos == out.size()) {
      out.clear();
      out_pos = 0;
      sending = next(out);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd,
             static_cast<short>(POLLIN | (out_pos < out.size() ? POLLOUT : 0)),
             0};
    if (poll(&p, 1, static_cast<int>(std::min<long>(left.count(), 200))) < 0) {
      break;
    }
    if (p.revents & POLLOUT) {
      ssize_t n = send(fd, out.data() + out_pos, out.size() - out_pos,
                       MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        out_pos += static_cast<size_t>(n);
      } else if (n < 0 && errno != EAGAIN) {
        sending = false;
        out.clear();
        out_pos = 0;
      }
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[65536];
      ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0) {
        in.append(buf, static_cast<size_t>(n));
        if (stop_reading && stop_reading(in)) break;
      } else if (n == 0 || errno != EAGAIN) {
        break;
      }
    }
  }
  close(fd);
  return in;
}

// Sends `request` on the open connection fd and reads until one whole
// response has come (at most 30 s); fd stays open.
std::string Ask(int fd, const std::string& request);

// A producer of `text` once.
std::function<bool(std::string&)> Once(const std::string& text) {
  auto sent = std::make_shared<bool>(false);
  return [text, sent](std::string& out) {
    if (*sent) return false;
    *sent = true;
    out = text;
    return true;
  };
}

// A producer of `head`, then `filler` repeated until `total` bytes.
std::function<bool(std::string&)> Flood(const std::string& head,
                                        const std::string& filler,
                                        size_t total) {
  auto sent = std::make_shared<size_t>(0);
  return [=](std::string& out) {
    if (*sent >= total) return false;
    if (*sent == 0) out = head;
    while (out.size() < 64 * 1024) out += filler;
    *sent += out.size();
    return true;
  };
}

// NOLINTNEXTLINE(bugprone-exception-escape): the implicit move of a
// std::map may allocate in theory; a test's failure to allocate is a crash.
struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  json body_json;
};

// Parses the whole responses in `raw`, one after the other (Content-Length
// framed; a response to HEAD has no body: pass `head`).
std::vector<Response> ParseResponses(std::string raw, bool head) {
  std::vector<Response> out;
  while (!raw.empty()) {
    size_t end = raw.find("\r\n\r\n");
    if (end == std::string::npos || !raw.starts_with("HTTP/1.1 ")) break;
    Response r;
    r.status = std::atoi(raw.c_str() + 9);
    size_t pos = raw.find("\r\n") + 2;
    while (pos < end) {
      size_t eol = raw.find("\r\n", pos);
      std::string line = raw.substr(pos, eol - pos);
      size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(c));
      size_t v = line.find_first_not_of(' ', colon + 1);
      r.headers[name] = v == std::string::npos ? "" : line.substr(v);
      pos = eol + 2;
    }
    size_t length =
        head ? 0
             : std::strtoul(r.headers["content-length"].c_str(), nullptr, 10);
    if (raw.size() < end + 4 + length) break;  // not whole yet
    r.body = raw.substr(end + 4, length);
    raw.erase(0, std::min(raw.size(), end + 4 + length));
    r.body_json = json::parse(r.body, nullptr, false);
    out.push_back(std::move(r));
  }
  return out;
}

std::string Ask(int fd, const std::string& request) {
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    return "";
  }
  std::string in;
  const auto deadline = Clock::now() + Seconds(30);
  while (ParseResponses(in, false).empty() && Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    char buf[65536];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  return in;
}

// j[key], or null when j is not an object holding key.
json At(const json& j, const char* key) {
  return j.is_object() && j.contains(key) ? j[key] : json();
}

// The first response of `raw`, or one with status 0.
Response First(const std::string& raw) {
  std::vector<Response> all = ParseResponses(raw, false);
  return all.empty() ? Response() : all.front();
}

class HostileHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::BoundedResult indexed =
        testing::RunBounded({testing::PunditBinary(), "index", "--db",
                             tmp_.Sub("db"), testing::CorpusPath("")},
                            tmp_.path(), Seconds(120));
    ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
    port_ = testing::StartServe(ServeBinary(), tmp_.Sub("db"), tmp_.path(),
                                &server_);
    ASSERT_NE(port_, 0);
  }

  // One request on a fresh connection from `from`; the whole answer.
  std::string Raw(const std::string& request,
                  const std::string& from = "127.0.0.1") {
    int fd = Connect(port_, from);
    if (fd < 0) return "";
    return Exchange(fd, Once(request), Seconds(30));
  }

  std::string Get(const std::string& target) {
    return Raw("GET " + target +
               " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  }

  long Kb(const std::string& field) { return StatusKb(server_->pid(), field); }

  TempDir tmp_;
  std::unique_ptr<ChildProcess> server_;
  int port_ = 0;
};

// The checks of a JSON error: status, code, and a message.
void ExpectJsonError(const Response& r, int status, const std::string& code,
                     const std::string& what) {
  EXPECT_EQ(r.status, status) << what;
  EXPECT_EQ(r.headers.count("content-type") ? r.headers.at("content-type") : "",
            "application/json; charset=utf-8")
      << what;
  EXPECT_TRUE(r.body_json.is_object()) << what << ": " << r.body;
  EXPECT_EQ(At(At(r.body_json, "error"), "code"), code)
      << what << ": " << r.body;
  EXPECT_TRUE(At(At(r.body_json, "error"), "message").is_string()) << what;
}

TEST_F(HostileHttpTest, HostileClientsLeaveTheServerServingInBoundedMemory) {
  const std::string query = "/api/search?q=compromise";
  Response expected = First(Get(query));
  ASSERT_EQ(expected.status, 200) << expected.body;
  ASSERT_TRUE(At(expected.body_json, "total").is_number());
  ASSERT_GT(At(expected.body_json, "total").get<int>(), 0);
  for (int i = 0; i < 20; ++i)
    First(Get(query + "&page=" + std::to_string(i % 3 + 1)));
  const long start_kb = Kb("VmRSS");
  ASSERT_GT(start_kb, 0);
  long last_hwm = Kb("VmHWM");
  auto report = [&](const char* attack) {
    long hwm = Kb("VmHWM");
    std::printf("[ memory ] %-40s peak +%6.1f MB over the start (%+.1f MB)\n",
                attack, (hwm - start_kb) / 1024.0, (hwm - last_hwm) / 1024.0);
    last_hwm = hwm;
  };

  // A 20 MB request line.
  ExpectJsonError(
      First(Exchange(Connect(port_), Flood("GET /api/search?q=", "a", 20 * kMB),
                     Seconds(60))),
      414, "invalid_argument", "20 MB request line");
  report("20 MB request line");

  // 4 x 20 MB of header lines, at once.
  {
    std::vector<std::string> answers(4);
    std::vector<std::thread> floods;
    for (int i = 0; i < 4; ++i) {
      floods.emplace_back([&, i] {
        answers[i] = Exchange(
            Connect(port_),
            Flood("GET /healthz HTTP/1.1\r\nHost: x\r\n",
                  "X-Filler: " + std::string(1000, 'h') + "\r\n", 20 * kMB),
            Seconds(60));
      });
    }
    for (auto& t : floods) t.join();
    for (const std::string& a : answers) {
      ExpectJsonError(First(a), 431, "invalid_argument", "header flood");
    }
  }
  report("4 x 20 MB of header lines");

  // 20 MB chunked bodies: on GET read up to the limit, on POST not at all.
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'b') + "\r\n";
  ExpectJsonError(First(Exchange(Connect(port_),
                                 Flood("GET /healthz HTTP/1.1\r\nHost: x\r\n"
                                       "Transfer-Encoding: chunked\r\n\r\n",
                                       chunk, 20 * kMB),
                                 Seconds(60))),
                  413, "invalid_argument", "20 MB chunked GET body");
  Response post_chunked =
      First(Exchange(Connect(port_),
                     Flood("POST /api/search HTTP/1.1\r\nHost: x\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n",
                           chunk, 20 * kMB),
                     Seconds(60)));
  ExpectJsonError(post_chunked, 405, "method_not_allowed",
                  "20 MB chunked POST body");
  report("20 MB chunked bodies (GET, POST)");

  // Errors answered at once: no body is waited for.
  struct Case {
    std::string request;
    int status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"GET /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: "
       "1000000000000\r\n\r\n",
       413, "invalid_argument"},
      {"POST /api/search HTTP/1.1\r\nHost: x\r\n\r\n", 405,
       "method_not_allowed"},
      {"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n",
       405, "method_not_allowed"},
      {"PUT /search HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n", 405,
       "method_not_allowed"},
      {"DELETE /api/stats HTTP/1.1\r\nHost: x\r\n\r\n", 405,
       "method_not_allowed"},
      {"PATCH / HTTP/1.1\r\nHost: x\r\n\r\n", 405, "method_not_allowed"},
      {"PROPFIND / HTTP/1.1\r\nHost: x\r\n\r\n", 405, "method_not_allowed"},
      {"FROBNICATE / HTTP/1.1\r\nHost: x\r\n\r\n", 501, "not_implemented"},
      {"GARBAGE\r\n\r\n", 400, "invalid_argument"},
      {"GET /  HTTP/1.1\r\nHost: x\r\n\r\n", 400, "invalid_argument"},
      {"GET / HTTP/1.1\r\n\r\n", 400, "invalid_argument"},  // no Host
      {"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, "not_implemented"},
  };
  for (const Case& c : cases) {
    int fd = Connect(port_);
    auto t0 = Clock::now();
    // The connection stays open for writing: an answer must not wait for
    // the client to close.
    std::string raw = Exchange(
        fd,
        [&, sent = false](std::string& out) mutable {
          if (!sent) out = c.request;
          sent = true;
          return true;  // more may come: never half-close
        },
        Seconds(30));
    double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    Response r = First(raw);
    ExpectJsonError(r, c.status, c.code, c.request);
    EXPECT_LT(seconds, 4.0) << c.request;
    EXPECT_EQ(r.headers["connection"], "close") << c.request;
    if (c.status == 405) {
      EXPECT_EQ(r.headers["allow"], "GET, HEAD");
    }
  }

  // Pipelining: three requests in one write, three answers in order.
  {
    std::string raw =
        Raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
            "GET /api/stats HTTP/1.1\r\nHost: x\r\n\r\n"
            "GET " +
            query + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    std::vector<Response> answers = ParseResponses(raw, false);
    EXPECT_EQ(answers.size(), 3u) << raw.substr(0, 2000);
    if (answers.size() == 3) {
      EXPECT_EQ(At(answers[0].body_json, "status"), "ok");
      EXPECT_TRUE(answers[1].body_json.contains("articles"));
      EXPECT_EQ(At(answers[2].body_json, "total"),
                At(expected.body_json, "total"));
    }
  }

  // 200 slow connections (one header byte every 3 s) from two addresses,
  // and a request dribbled one byte every 0.5 s (17 s in all).
  {
    constexpr int kSlow = 200;
    const std::string slow_head =
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(64, 's');
    std::vector<int> slow;
    for (int i = 0; i < kSlow; ++i) {
      int fd = Connect(port_, i % 2 ? "127.0.0.2" : "127.0.0.3");
      ASSERT_GE(fd, 0) << "connection " << i;
      slow.push_back(fd);
    }
    std::atomic<bool> stop{false};  // set when a check failed fatally
    std::vector<std::string> slow_answers(kSlow);
    std::thread slowloris([&] {
      const auto give_up = Clock::now() + Seconds(40);
      for (size_t byte = 0;
           byte < slow_head.size() && !stop && Clock::now() < give_up; ++byte) {
        for (int i = 0; i < kSlow; ++i) {
          if (slow[i] >= 0) {
            send(slow[i], &slow_head[byte], 1, MSG_NOSIGNAL | MSG_DONTWAIT);
          }
        }
        for (int i = 0; i < kSlow; ++i) {
          if (slow[i] < 0) continue;
          char buf[4096];
          ssize_t n;
          while ((n = recv(slow[i], buf, sizeof buf, MSG_DONTWAIT)) > 0) {
            slow_answers[i].append(buf, static_cast<size_t>(n));
          }
          if (n == 0) {
            close(slow[i]);
            slow[i] = -1;
          }
        }
        bool open = false;
        for (int fd : slow) open = open || fd >= 0;
        if (!open) break;
        for (int t = 0; t < 30 && !stop; ++t) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
      }
    });
    std::string dribbled;
    std::thread dribbler([&] {
      const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
      auto sent = std::make_shared<size_t>(0);
      dribbled = Exchange(
          Connect(port_, "127.0.0.5"),
          [&request, sent](std::string& out) {
            if (*sent > 0) {
              std::this_thread::sleep_for(std::chrono::milliseconds(500));
            }
            if (*sent >= request.size()) return true;  // stay open
            out = request.substr((*sent)++, 1);
            return true;
          },
          Seconds(40));
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    int fast = 0;
    for (int i = 0; i < 20; ++i) {
      auto t0 = Clock::now();
      Response r = First(Get(query));
      double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      EXPECT_EQ(r.status, 200) << "query " << i << " during slow clients";
      EXPECT_EQ(At(r.body_json, "total"), At(expected.body_json, "total"));
      if (r.status == 200 && seconds < 1.0) ++fast;
    }
    std::printf(
        "[ slow     ] %d of 20 queries answered within 1 s during %d "
        "slow connections\n",
        fast, kSlow);
    EXPECT_GE(fast, 19);
    dribbler.join();
    Response late = First(dribbled);
    ExpectJsonError(late, 408, "request_timeout", "request dribbled over 17 s");
    slowloris.join();
    int timed_out = 0;
    for (int i = 0; i < kSlow; ++i) {
      if (slow[i] >= 0) close(slow[i]);
      if (First(slow_answers[i]).status == 408) ++timed_out;
    }
    EXPECT_EQ(timed_out, kSlow) << "slow connections answered 408";
    if (!slow_answers[0].empty()) {
      ExpectJsonError(First(slow_answers[0]), 408, "request_timeout",
                      "slow connection");
    }
  }
  report("200 slow connections");

  // More connections from one address than allowed: 429.
  {
    std::vector<int> held;
    for (int i = 0; i < 128; ++i) {
      int fd = Connect(port_, "127.0.0.4");
      ASSERT_GE(fd, 0);
      held.push_back(fd);
    }
    // The server has counted all 128 once it answers a request on the last
    // one (it accepts connections in order); that one stays open.
    Response last =
        First(Ask(held.back(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(last.status, 200);
    Response over =
        First(Raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", "127.0.0.4"));
    ExpectJsonError(over, 429, "busy", "connection over the address cap");
    EXPECT_EQ(over.headers["retry-after"], "1");
    for (int fd : held) close(fd);
    Response other = First(Get("/healthz"));
    EXPECT_EQ(other.status, 200) << "another address is still served";
  }

  // Responses that depend on request headers say so.
  {
    // The OpenSearch description does not depend on Host (its links are
    // the configured public URL's, or relative).
    Response os = First(Get("/opensearch.xml"));
    EXPECT_EQ(os.status, 200);
    EXPECT_EQ(os.headers["vary"].find("Host"), std::string::npos);
    Response css = First(Get("/static/style.css"));
    EXPECT_EQ(css.status, 200);
    EXPECT_NE(css.headers["vary"].find("Accept-Encoding"), std::string::npos);
  }

  // Still right, and memory back near the start.
  for (int i = 0; i < 10; ++i) {
    Response r = First(Get(query));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(At(r.body_json, "hits"), At(expected.body_json, "hits"));
  }
  const long end_kb = Kb("VmRSS");
  const long peak_kb = Kb("VmHWM");
  std::printf("[ memory ] start %.1f MB, end %.1f MB, peak %.1f MB\n",
              start_kb / 1024.0, end_kb / 1024.0, peak_kb / 1024.0);
  EXPECT_LT(end_kb - start_kb, 100 * 1024);
  EXPECT_LT(peak_kb - start_kb, 100 * 1024);
  EXPECT_TRUE(server_->running()) << "the server must still run";
}

}  // namespace
}  // namespace pundit
