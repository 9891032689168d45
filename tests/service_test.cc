// What `pundit serve` offers an operator, checked on the real binary over
// loopback:
//  - RouteLabel maps paths to bounded route labels; HttpMetrics counts by
//    route and status, its histogram is cumulative and agrees with its
//    count, and routes past the cap are counted as "other";
//  - SecondsSince reads pundit:last_indexed's form and refuses others;
//  - the access log's combined and JSON lines, byte for byte;
//  - after three searches, /metrics is Prometheus text with
//    pundit_http_requests_total summing to at least 3, a latency histogram
//    for /api/search and the index's article count;
//  - /metrics answers 403 to a client that is not this machine's loopback;
//  - --metrics-addr serves /metrics on its own port only;
//  - --access-log FILE gets combined lines; after the file is moved, SIGHUP
//    makes the server write to a new file at the same path;
//  - SIGTERM while a response is being written: the client still receives
//    all of it, and the server then exits 0.
#include <arpa/inet.h>
#include <httplib.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <regex>

#include "tests/reliability_util.h"
#include "tests/test_util.h"
#include "web/access_log.h"
#include "web/metrics.h"

namespace pundit {
namespace {

using testing::ChildProcess;
using testing::ReadFile;
using testing::Seconds;
using testing::TempDir;
using testing::WriteFile;

TEST(RouteLabelTest, MapsPathsToRoutePatterns) {
  const struct {
    const char* path;
    int status;
    const char* label;
  } kCases[] = {
      {"/api/search", 200, "/api/search"},
      {"/api/search", 400, "/api/search"},
      {"/", 200, "/"},
      {"/api/articles/b0000301", 200, "/api/articles/:id"},
      {"/api/articles/nope/related", 404, "/api/articles/:id"},
      {"/api/facets/author", 200, "/api/facets/:name"},
      {"/article/b0000301", 200, "/article/:id"},
      {"/static/style.css", 200, "static"},
      {"/static/missing.css", 404, "static"},
      {"/no/such/page", 404, "other"},
      {"/api/nothing", 404, "other"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(RouteLabel(c.path, c.status), c.label) << c.path;
  }
}

TEST(HttpMetricsTest, CountsByRouteAndStatusWithCumulativeBuckets) {
  HttpMetrics metrics;
  metrics.Observe("/api/search", 200, 0.0005);
  metrics.Observe("/api/search", 200, 0.2);
  metrics.Observe("/api/search", 400, 20);
  metrics.Observe("other", 404, -1);  // counted, not timed
  std::string text;
  metrics.Render(&text);
  auto has = [&](const std::string& line) {
    return text.find(line + "\n") != std::string::npos;
  };
  EXPECT_TRUE(
      has(R"(pundit_http_requests_total{route="/api/search",status="200"} 2)"))
      << text;
  EXPECT_TRUE(
      has(R"(pundit_http_requests_total{route="/api/search",status="400"} 1)"));
  EXPECT_TRUE(
      has(R"(pundit_http_requests_total{route="other",status="404"} 1)"));
  const std::string b =
      R"(pundit_http_request_duration_seconds_bucket{route="/api/search",le=")";
  EXPECT_TRUE(has(b + R"(0.001"} 1)")) << text;
  EXPECT_TRUE(has(b + R"(0.1"} 1)"));
  EXPECT_TRUE(has(b + R"(0.25"} 2)"));
  EXPECT_TRUE(has(b + R"(10"} 2)"));
  EXPECT_TRUE(has(b + R"(+Inf"} 3)"));
  EXPECT_TRUE(has(
      R"(pundit_http_request_duration_seconds_count{route="/api/search"} 3)"));
  EXPECT_TRUE(has(
      R"(pundit_http_request_duration_seconds_sum{route="/api/search"} 20.2005)"))
      << text;
  // An untimed route has no histogram.
  EXPECT_EQ(text.find(R"(duration_seconds_count{route="other"})"),
            std::string::npos);
}

TEST(HttpMetricsTest, RoutesPastTheCapAreCountedAsOther) {
  HttpMetrics metrics(2);
  metrics.Observe("/a", 200, 0.01);
  metrics.Observe("/b", 200, 0.01);
  metrics.Observe("/c", 200, 0.01);
  metrics.Observe("/d", 200, 0.01);
  std::string text;
  metrics.Render(&text);
  EXPECT_NE(text.find(R"({route="/b",status="200"} 1)"), std::string::npos);
  EXPECT_EQ(text.find(R"(route="/c")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"({route="other",status="200"} 2)"), std::string::npos)
      << text;
}

TEST(SearchStageMetricsTest, EachStageIsAHistogramOfItsOwn) {
  SearchStageMetrics metrics;
  std::string text;
  metrics.Render(&text);
  // Before any search: the family is declared, no series yet.
  EXPECT_EQ(text.find("_count{"), std::string::npos) << text;
  SearchStageTimes t;
  t.match_ms = 0.5;
  t.facets_ms = 3;
  t.page_ms = 30;
  t.suggest_ms = 2000;
  metrics.Observe(t);
  t.match_ms = 7;
  metrics.Observe(t);
  text.clear();
  metrics.Render(&text);
  auto has = [&](const std::string& line) {
    return text.find(line + "\n") != std::string::npos;
  };
  const std::string b = "pundit_search_stage_duration_seconds_bucket{stage=";
  EXPECT_TRUE(has(b + R"("match",le="0.001"} 1)")) << text;
  EXPECT_TRUE(has(b + R"("match",le="0.01"} 2)"));
  EXPECT_TRUE(has(b + R"("facets",le="0.0025"} 0)"));
  EXPECT_TRUE(has(b + R"("facets",le="0.005"} 2)"));
  EXPECT_TRUE(has(b + R"("page",le="0.05"} 2)"));
  EXPECT_TRUE(has(b + R"("suggest",le="1"} 0)"));
  EXPECT_TRUE(has(b + R"("suggest",le="2.5"} 2)"));
  EXPECT_TRUE(
      has(R"(pundit_search_stage_duration_seconds_sum{stage="match"} 0.0075)"))
      << text;
  EXPECT_TRUE(
      has(R"(pundit_search_stage_duration_seconds_count{stage="page"} 2)"));
}

TEST(MetricsTest, SecondsSinceReadsTheIndexTimestamp) {
  EXPECT_GT(SecondsSince("2020-01-01T00:00:00Z"), 3600.0 * 24 * 365);
  EXPECT_EQ(SecondsSince("2999-01-01T00:00:00Z"), 0);
  EXPECT_EQ(SecondsSince(""), -1);
  EXPECT_EQ(SecondsSince("2020-01-01 00:00:00"), -1);
  EXPECT_EQ(SecondsSince("2020-01-01T00:00:00+01"), -1);
}

// An index size that is not known (shard servers') is left out, not
// written as 0.
TEST(MetricsTest, IndexBytesOnlyWhenKnown) {
  HttpMetrics http;
  SearchStageMetrics stages;
  IndexGauges index;
  index.ok = true;
  index.articles = 7;
  index.bytes = 4096;
  std::string text = RenderMetrics(http, stages, index, ProcessStats{});
  EXPECT_NE(text.find("\npundit_index_bytes 4096\n"), std::string::npos)
      << text;
  index.bytes = -1;
  text = RenderMetrics(http, stages, index, ProcessStats{});
  EXPECT_EQ(text.find("pundit_index_bytes"), std::string::npos) << text;
  EXPECT_NE(text.find("\npundit_index_articles 7\n"), std::string::npos);
}

TEST(MetricsTest, ProcessStatsAreRead) {
  ProcessStats stats = ReadProcessStats();
  EXPECT_GT(stats.resident_bytes, 0);
  EXPECT_GE(stats.cpu_seconds, 0);
  EXPECT_GE(stats.open_fds, 3);  // stdin, stdout, stderr
  EXPECT_GT(stats.start_time_seconds, 1.5e9);
  EXPECT_GE(stats.threads, 1);
}

TEST(AccessLogTest, FormatsCombinedAndJsonLines) {
  AccessEntry e;
  e.remote_addr = "127.0.0.1";
  e.method = "GET";
  e.target = "/api/search?q=\"x\"";
  e.version = "HTTP/1.1";
  e.status = 200;
  e.bytes = 512;
  e.user_agent = "curl/7.88.1";
  e.duration_ms = 1.25;
  const long long kNow = 1796374421;  // 2026-12-04T08:53:41Z
  EXPECT_EQ(AccessLog::Format(AccessLogFormat::kCombined, e, kNow),
            "127.0.0.1 - - [04/Dec/2026:08:53:41 +0000] \"GET "
            "/api/search?q=\\\"x\\\" HTTP/1.1\" 200 512 \"-\" "
            "\"curl/7.88.1\"\n");
  EXPECT_EQ(AccessLog::Format(AccessLogFormat::kJson, e, kNow),
            R"({"bytes":512,"duration_ms":1.25,"method":"GET",)"
            R"("protocol":"HTTP/1.1","referer":"","remote_addr":"127.0.0.1",)"
            R"("status":200,"target":"/api/search?q=\"x\"",)"
            R"("time":"2026-12-04T08:53:41Z","user_agent":"curl/7.88.1"})"
            "\n");
  EXPECT_EQ(AccessLog::Format(AccessLogFormat::kShort, e, kNow),
            "127.0.0.1 GET /api/search?q=\"x\" 200 1.2 ms\n");
  EXPECT_FALSE(ParseAccessLogFormat("common").ok());
}

// ---- the real server ----

// An index of the shipped corpus, made once for the tests below.
class ServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    testing::CommandResult r =
        testing::RunCommand({testing::PunditBinary(), "index", "--db",
                             dir_->Sub("db"), testing::CorpusPath("")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  // Starts `pundit serve` on a free port with `extra` arguments (loopback
  // unless they give --host);
  // returns the port once it listens (0 and a failure otherwise). Its
  // stderr goes to scratch.Sub("serve.err").
  static int Start(const TempDir& scratch, const std::string& db,
                   const std::vector<std::string>& extra,
                   std::unique_ptr<ChildProcess>* server) {
    std::vector<std::string> argv = {
        testing::PunditBinary(), "serve", "--db", db, "--port", "0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    const std::string err = scratch.Sub("serve.err");
    *server =
        std::make_unique<ChildProcess>(argv, scratch.Sub("serve.out"), err);
    const std::regex listening("serving .* on http://[^ ]+:([0-9]+)/");
    for (auto deadline = std::chrono::steady_clock::now() + Seconds(60);
         std::chrono::steady_clock::now() < deadline;) {
      std::smatch m;
      std::string text = ReadFile(err);
      if (std::regex_search(text, m, listening)) return std::stoi(m[1]);
      if ((*server)->Poll()) {
        ADD_FAILURE() << "pundit serve exited: " << text;
        return 0;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "pundit serve did not listen: " << ReadFile(err);
    return 0;
  }

  // Sum of the samples of `name` (with any labels) in an exposition.
  static double Sum(const std::string& text, const std::string& name) {
    std::regex sample("(^|\n)" + name + "(\\{[^}]*\\})? ([0-9.e+]+)");
    double sum = 0;
    for (std::sregex_iterator it(text.begin(), text.end(), sample), end;
         it != end; ++it) {
      sum += std::stod((*it)[3]);
    }
    return sum;
  }

  static TempDir* dir_;
};
TempDir* ServeTest::dir_ = nullptr;

TEST_F(ServeTest, MetricsAfterThreeSearches) {
  TempDir scratch;
  std::unique_ptr<ChildProcess> server;
  int port = Start(scratch, dir_->Sub("db"), {"--quiet"}, &server);
  ASSERT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);
  for (const char* q : {"venezuela", "grain", "ports"}) {
    auto res = client.Get(std::string("/api/search?q=") + q);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  }
  // And one from the search page: its stages are counted too.
  auto page = client.Get("/?q=venezuela");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  auto res = client.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(res->get_header_value("Content-Type").starts_with("text/plain"))
      << res->get_header_value("Content-Type");
  const std::string& text = res->body;
  EXPECT_GE(Sum(text, "pundit_http_requests_total"), 3) << text;
  EXPECT_NE(
      text.find(
          R"(pundit_http_requests_total{route="/api/search",status="200"} 3)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE pundit_http_request_duration_seconds histogram"),
            std::string::npos);
  EXPECT_NE(
      text.find(
          R"(pundit_http_request_duration_seconds_bucket{route="/api/search",le="+Inf"} 3)"),
      std::string::npos)
      << text;
  testing::CommandResult stats = testing::RunCommand(
      {testing::PunditBinary(), "stats", "--db", dir_->Sub("db")});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  long articles = nlohmann::json::parse(stats.out).at("articles").get<long>();
  EXPECT_GT(articles, 0);
  EXPECT_NE(
      text.find("\npundit_index_articles " + std::to_string(articles) + "\n"),
      std::string::npos)
      << text;
  EXPECT_GE(Sum(text, "pundit_index_generation_age_seconds"), 0);
  EXPECT_GT(Sum(text, "pundit_index_bytes"), 0);
  EXPECT_GT(Sum(text, "process_resident_memory_bytes"), 0);
  EXPECT_GT(Sum(text, "process_open_fds"), 0);
  EXPECT_GE(Sum(text, "pundit_searchers_open"), 1);
  EXPECT_NE(text.find("# TYPE pundit_search_stage_duration_seconds histogram"),
            std::string::npos);
  for (const char* stage : {"match", "facets", "page", "suggest"}) {
    EXPECT_NE(text.find(std::string("pundit_search_stage_duration_seconds_count"
                                    "{stage=\"") +
                        stage + "\"} 4\n"),
              std::string::npos)
        << stage << "\n"
        << text;
  }

  kill(server->pid(), SIGTERM);
  ASSERT_TRUE(server->Wait(Seconds(60)));
  EXPECT_EQ(server->exit_code(), 0);
}

TEST_F(ServeTest, MetricsAddrServesMetricsOnItsOwnPortOnly) {
  TempDir scratch;
  std::unique_ptr<ChildProcess> server;
  int port = Start(scratch, dir_->Sub("db"),
                   {"--quiet", "--metrics-addr", "127.0.0.1:0"}, &server);
  ASSERT_GT(port, 0);
  std::smatch m;
  std::string err = ReadFile(scratch.Sub("serve.err"));
  ASSERT_TRUE(std::regex_search(
      err, m, std::regex("metrics on http://127\\.0\\.0\\.1:([0-9]+)/metrics")))
      << err;
  int metrics_port = std::stoi(m[1]);
  EXPECT_NE(metrics_port, port);
  httplib::Client main("127.0.0.1", port);
  ASSERT_TRUE(main.Get("/api/search?q=grain"));
  auto hidden = main.Get("/metrics");
  ASSERT_TRUE(hidden);
  EXPECT_EQ(hidden->status, 404);
  httplib::Client metrics("127.0.0.1", metrics_port);
  auto res = metrics.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(
      res->body.find(
          R"(pundit_http_requests_total{route="/api/search",status="200"} 1)"),
      std::string::npos)
      << res->body;
  auto other = metrics.Get("/api/search?q=grain");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);
}

TEST_F(ServeTest, NoMetricsTurnsTheEndpointOff) {
  TempDir scratch;
  std::unique_ptr<ChildProcess> server;
  int port =
      Start(scratch, dir_->Sub("db"), {"--quiet", "--no-metrics"}, &server);
  ASSERT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);
  auto res = client.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

// An IPv4 address of this machine that is not loopback; "" when none.
std::string NonLoopbackAddress() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "";
  std::string found;
  for (ifaddrs* i = list; i != nullptr && found.empty(); i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET) continue;
    char text[INET_ADDRSTRLEN] = {};
    auto* in = reinterpret_cast<sockaddr_in*>(i->ifa_addr);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    if (!std::string_view(text).starts_with("127.")) found = text;
  }
  freeifaddrs(list);
  return found;
}

TEST_F(ServeTest, MetricsAreRefusedToOtherMachinesByDefault) {
  const std::string address = NonLoopbackAddress();
  if (address.empty()) GTEST_SKIP() << "no network address but loopback";
  TempDir scratch;
  std::unique_ptr<ChildProcess> server;
  int port =
      Start(scratch, dir_->Sub("db"), {"--quiet", "--host", address}, &server);
  ASSERT_GT(port, 0);
  // Connecting to the machine's own address comes from that address.
  httplib::Client client(address, port);
  auto res = client.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_NE(res->body.find("--metrics-addr"), std::string::npos) << res->body;
  auto search = client.Get("/api/search?q=grain");
  ASSERT_TRUE(search);
  EXPECT_EQ(search->status, 200);
}

// Waits (60 s at most) until `path` holds `needle`.
bool WaitForText(const std::string& path, const std::string& needle) {
  for (auto deadline = std::chrono::steady_clock::now() + Seconds(60);
       std::chrono::steady_clock::now() < deadline;) {
    if (ReadFile(path).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TEST_F(ServeTest, AccessLogFileIsReopenedOnSighup) {
  TempDir scratch;
  const std::string log = scratch.Sub("access.log");
  std::unique_ptr<ChildProcess> server;
  int port = Start(scratch, dir_->Sub("db"), {"--access-log", log}, &server);
  ASSERT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);
  ASSERT_TRUE(client.Get("/api/search?q=before"));
  ASSERT_TRUE(WaitForText(log, "\"GET /api/search?q=before HTTP/1.1\" 200 "));
  std::regex combined(
      R"(^127\.0\.0\.1 - - \[\d\d/\w\w\w/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET /api/search\?q=before HTTP/1\.1" 200 \d+ "-" "[^"]*"\n$)");
  EXPECT_TRUE(std::regex_match(ReadFile(log), combined)) << ReadFile(log);

  // As logrotate does: move the file, then SIGHUP.
  std::filesystem::rename(log, log + ".1");
  ASSERT_TRUE(client.Get("/api/search?q=moved"));
  ASSERT_TRUE(WaitForText(log + ".1", "q=moved"));
  kill(server->pid(), SIGHUP);
  for (auto deadline = std::chrono::steady_clock::now() + Seconds(60);
       !std::filesystem::exists(log) &&
       std::chrono::steady_clock::now() < deadline;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(client.Get("/api/search?q=after"));
  ASSERT_TRUE(WaitForText(log, "q=after"));
  EXPECT_EQ(ReadFile(log + ".1").find("q=after"), std::string::npos);
  EXPECT_EQ(ReadFile(log).find("q=moved"), std::string::npos);
  EXPECT_TRUE(server->running());  // SIGHUP did not stop it

  kill(server->pid(), SIGTERM);
  ASSERT_TRUE(server->Wait(Seconds(60)));
  EXPECT_EQ(server->exit_code(), 0);
}

// A connected socket to 127.0.0.1:port whose receive buffer is small, so a
// large response stays in the server's write() until it is read.
int ConnectSlowReader(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int small = 4096;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

TEST_F(ServeTest, SigtermFinishesTheResponseBeingWrittenThenExitsZero) {
  // One article whose JSON is far larger than the socket buffers.
  TempDir scratch;
  testing::Rng rng(7);
  std::string body = testing::Words(rng, 600000);
  WriteFile(scratch.Sub("big.jsonl"),
            nlohmann::json({{"id", "big"},
                            {"title", "A very long article"},
                            {"author", "Ana Lima"},
                            {"date", "2019-03-04"},
                            {"body", body}})
                    .dump() +
                "\n");
  testing::CommandResult indexed =
      testing::RunCommand({testing::PunditBinary(), "index", "--db",
                           scratch.Sub("db"), scratch.Sub("big.jsonl")});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;

  std::unique_ptr<ChildProcess> server;
  int port = Start(scratch, scratch.Sub("db"), {"--quiet"}, &server);
  ASSERT_GT(port, 0);
  int fd = ConnectSlowReader(port);
  ASSERT_GE(fd, 0);
  const std::string request =
      "GET /api/articles/big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(write(fd, request.data(), request.size()),
            static_cast<ssize_t>(request.size()));
  // Read the first bytes: the response is being written.
  char buf[65536];
  ssize_t first = read(fd, buf, 1024);
  ASSERT_GT(first, 0);
  std::string response(buf, static_cast<size_t>(first));

  kill(server->pid(), SIGTERM);
  ASSERT_TRUE(WaitForText(scratch.Sub("serve.err"), "SIGTERM received"));
  EXPECT_TRUE(server->running());  // still writing to us

  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) {
    response.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  size_t head_end = response.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos);
  std::smatch m;
  std::string head = response.substr(0, head_end);
  ASSERT_TRUE(std::regex_search(head, m, std::regex("Content-Length: (\\d+)")))
      << head;
  EXPECT_TRUE(head.starts_with("HTTP/1.1 200")) << head;
  EXPECT_EQ(response.size() - head_end - 4, std::stoul(m[1]));
  EXPECT_GT(std::stoul(m[1]), body.size());

  ASSERT_TRUE(server->Wait(Seconds(60)));
  EXPECT_EQ(server->exit_code(), 0);
}

}  // namespace
}  // namespace pundit
