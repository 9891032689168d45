// `pundit serve` keeps answering while `pundit index` writes the same
// database, with real processes and a real HTTP client:
//   - client threads issue /api/search requests with facets, filters and
//     snippets in a loop while incremental runs commit small batches and
//     `--full` runs build and swap in new generations; every request gets a
//     200 with a JSON body holding total, hits and facets: no failed
//     request, no connection error (counted, must be 0);
//   - requests are served while an index run is in progress (counted: the
//     test is meaningless otherwise);
//   - the match-all total seen during a --full run is always either the old
//     or the new generation's count (the swap is atomic for readers);
//   - new content is visible without a restart: after each incremental run
//     its marker word finds exactly the articles added, after each swap the
//     new generation's marker and count are served;
//   - the server stops cleanly (exit 0) on SIGTERM afterwards;
//   - match-all searches (empty query, only filters, only negations) from
//     many threads at once do not crash the server.
// PUNDIT_LONG=1 makes the corpus larger and runs more swaps.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/reliability_util.h"
#include "tests/test_util.h"

namespace pundit {
namespace {

namespace fs = std::filesystem;
using testing::BoundedResult;
using testing::ChildProcess;
using testing::PunditBinary;
using testing::ReadFile;
using testing::RunBounded;
using testing::Seconds;
using testing::TempDir;
using testing::WriteFile;

constexpr int kPerFile = 100;

// Writes file `f` of the corpus: kPerFile articles with ids
// "<prefix>-<f>-<a>", each title starting with `marker` (when not empty).
void WriteCorpusFile(const std::string& dir, int f, const std::string& prefix,
                     const std::string& marker, uint64_t seed) {
  std::string lines;
  for (int a = 0; a < kPerFile; ++a) {
    std::string id = prefix + "-" + std::to_string(f) + "-" + std::to_string(a);
    lines +=
        testing::SyntheticJsonLine(seed * 7919 + f * kPerFile + a, id, marker) +
        "\n";
  }
  char name[48];
  std::snprintf(name, sizeof name, "/%s-%04d.jsonl", prefix.c_str(), f);
  WriteFile(dir + name, lines);
}

// GET path on a fresh connection: the parsed JSON body, or a JSON string
// describing the failure.
nlohmann::json GetJson(int port, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  auto res = client.Get(path.c_str());
  if (!res) {
    int saved = errno;
    // What a plain connect() says now, for the message.
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    std::string now = rc == 0 ? "succeeds" : std::strerror(errno);
    close(fd);
    return "connection error: " + httplib::to_string(res.error()) + " (" +
           std::strerror(saved) + "; a new connect() " + now + ")";
  }
  if (res->status != 200) {
    return "status " + std::to_string(res->status) + ": " + res->body;
  }
  return nlohmann::json::parse(res->body, nullptr, false);
}

std::string Enc(const std::string& s) {
  return httplib::detail::encode_query_param(s);
}

class ServeDuringReindexTest : public ::testing::Test {
 protected:
  std::string Corpus() const { return tmp_.Sub("corpus"); }
  std::string Db() const { return tmp_.Sub("db"); }

  BoundedResult Index(std::vector<std::string> extra) {
    std::vector<std::string> argv = {PunditBinary(), "index", "--db", Db()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(Corpus());
    indexing_ = true;
    BoundedResult r = RunBounded(argv, tmp_.path(), Seconds(300));
    indexing_ = false;
    return r;
  }

  // The request paths the clients cycle through: searches with filters,
  // facets (always on) and snippets, sorted and paged; "" first (match all,
  // the count checked for atomicity).
  std::vector<std::string> Paths() const {
    const auto& v = testing::Vocabulary();
    std::vector<std::string> paths = {
        "/api/search?q=",
        "/api/search?q=" + Enc(v[0]),
        "/api/search?q=" + Enc(v[1] + " " + v[2]) + "&region=Asia",
        "/api/search?q=" + Enc(v[3] + " OR " + v[4]) +
            "&theme=Economy&theme=Trade&facet_limit=50",
        "/api/search?q=" + Enc(v[5]) + "&sort=newest&per_page=50",
        "/api/search?q=&author=" + Enc("Anna Abara") + "&year=2010",
        "/api/search?q=" + Enc("\"" + v[0] + " " + v[1] + "\"") + "&page=2",
        "/api/search?q=" + Enc(v[6] + "*") + "&from=2005-01-01&to=2015-12-31",
        "/api/search?q=zqswap",
        "/api/search?q=" + Enc("title:" + v[7]) +
            "&source=" + Enc("Global Research"),
    };
    return paths;
  }

  // Starts `pundit serve` on Db() and returns its port (0 on failure, with a
  // test failure recorded).
  int StartServer(std::unique_ptr<ChildProcess>* server) {
    return testing::StartServe(PunditBinary(), Db(), tmp_.path(), server);
  }

  TempDir tmp_;
  std::atomic<bool> indexing_{false};
};

TEST_F(ServeDuringReindexTest, NoRequestFailsAndNewContentIsServedAfterSwap) {
  const bool long_run = testing::LongRun();
  const int files = long_run ? 100 : 20;
  const int increments = long_run ? 6 : 3;
  const int swaps = long_run ? 6 : 3;
  const int clients = 4;
  for (int f = 0; f < files; ++f) WriteCorpusFile(Corpus(), f, "base", "", 1);
  BoundedResult first = Index({});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  long expected_total = files * kPerFile;

  std::unique_ptr<ChildProcess> server_owner;
  const int port = StartServer(&server_owner);
  ASSERT_NE(port, 0);
  ChildProcess& server = *server_owner;

  // For failure messages: is the server still there, what did it say?
  auto server_state = [&] {
    std::string state = server.Poll() ? "\npundit serve exited with " +
                                            std::to_string(server.exit_code())
                                      : "\npundit serve is running";
    std::string err = ReadFile(tmp_.Sub("serve.err"));
    return state + ", its stderr:\n" +
           err.substr(err.size() > 2000 ? err.size() - 2000 : 0);
  };

  // ---- clients ----
  const std::vector<std::string> paths = Paths();
  std::atomic<bool> stop{false};
  std::atomic<long> requests{0}, failures{0}, during_index{0};
  std::atomic<int> phase{0};  // 0 steady/incremental, >0: --full number
  std::mutex mu;
  std::vector<std::string> failure_samples;
  std::set<std::pair<int, long>> all_totals;  // (phase, total of q="")
  std::vector<std::thread> threads;
  // Stops and joins the clients however the test ends (an ASSERT returns).
  struct Joiner {
    std::atomic<bool>& stop;
    std::vector<std::thread>& threads;
    ~Joiner() {
      stop = true;
      for (std::thread& t : threads) {
        if (t.joinable()) t.join();
      }
    }
  } joiner{stop, threads};
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_connection_timeout(10, 0);
      client.set_read_timeout(30, 0);
      for (size_t i = static_cast<size_t>(t) * 3; !stop; ++i) {
        const std::string& path = paths[i % paths.size()];
        int phase_before = phase;
        bool while_indexing = indexing_;
        auto res = client.Get(path.c_str());
        ++requests;
        if (while_indexing && indexing_) ++during_index;
        std::string problem;
        nlohmann::json j;
        if (!res) {
          problem = "connection error " + httplib::to_string(res.error());
        } else if (res->status != 200) {
          problem = "status " + std::to_string(res->status) + ": " +
                    res->body.substr(0, 300);
        } else {
          j = nlohmann::json::parse(res->body, nullptr, false);
          if (!j.is_object() || !j.contains("total") || !j.contains("hits") ||
              !j["facets"].is_object() || j["facets"].empty()) {
            problem = "bad body: " + res->body.substr(0, 300);
          }
        }
        if (!problem.empty()) {
          ++failures;
          std::lock_guard<std::mutex> lock(mu);
          if (failure_samples.size() < 10) {
            failure_samples.push_back(path + ": " + problem);
          }
          continue;
        }
        if (path == paths[0] && phase_before == phase) {
          std::lock_guard<std::mutex> lock(mu);
          all_totals.emplace(phase_before, j["total"].get<long>());
        }
      }
    });
  }
  while (requests < 50 && failures == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  // ---- incremental runs: small batches, many commits while serving ----
  long during_incremental = 0;
  for (int k = 1; k <= increments; ++k) {
    const std::string marker = "zqinc" + std::string(1, 'a' + k);
    WriteCorpusFile(Corpus(), 1000 + k, "inc", marker, 2);
    long before = during_index;
    BoundedResult r = Index({"--batch-size", "10", "--jobs", "1"});
    during_incremental += during_index - before;
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expected_total += kPerFile;
    nlohmann::json j = GetJson(port, "/api/search?q=" + marker);
    ASSERT_TRUE(j.is_object()) << j.dump() << server_state();
    EXPECT_EQ(j["total"], kPerFile) << marker << " not visible after its run";
    j = GetJson(port, "/api/search?q=");
    ASSERT_TRUE(j.is_object()) << j.dump() << server_state();
    EXPECT_EQ(j["total"], expected_total);
  }

  // ---- --full runs: each swaps in a generation with other content ----
  long during_full = 0;
  std::vector<std::pair<long, long>> full_counts;  // (before, after)
  for (int s = 1; s <= swaps; ++s) {
    // Swap s: file s rewritten with the marker in every title, the file
    // added by the previous swap removed, one more file added.
    WriteCorpusFile(Corpus(), s, "base", "zqswap", 3 + s);
    if (s > 1) {
      char name[48];
      std::snprintf(name, sizeof name, "/swap-%04d.jsonl", 2000 + s - 1);
      fs::remove(Corpus() + name);
      expected_total -= kPerFile;
    }
    WriteCorpusFile(Corpus(), 2000 + s, "swap", "", 5 + s);
    const long before_total = expected_total;
    expected_total += kPerFile;
    full_counts.emplace_back(s > 1 ? before_total + kPerFile : before_total,
                             expected_total);
    phase = s;
    const std::string current_before = ReadFile(Db() + "/CURRENT");
    long before = during_index;
    BoundedResult r = Index({"--full", "--jobs", "1"});
    during_full += during_index - before;
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(ReadFile(Db() + "/CURRENT"), current_before);
    phase = 0;
    nlohmann::json j = GetJson(port, "/api/search?q=zqswap");
    ASSERT_TRUE(j.is_object()) << j.dump() << server_state();
    // Swap s rewrote files 1..s with the marker.
    EXPECT_EQ(j["total"], s * kPerFile) << "swap " << s << " not served";
    j = GetJson(port, "/api/search?q=");
    ASSERT_TRUE(j.is_object()) << j.dump() << server_state();
    EXPECT_EQ(j["total"], expected_total);
  }

  stop = true;
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(kill(server.pid(), SIGTERM), 0);
  EXPECT_TRUE(server.Wait(Seconds(60))) << "pundit serve did not stop";
  EXPECT_EQ(server.exit_code(), 0) << ReadFile(tmp_.Sub("serve.err"));

  EXPECT_EQ(failures, 0) << [&] {
    std::string all;
    for (const std::string& f : failure_samples) all += f + "\n";
    return all;
  }();
  EXPECT_GT(during_incremental, 0) << "no request met an incremental run";
  EXPECT_GT(during_full, 0) << "no request met a --full run";
  for (const auto& [p, total] : all_totals) {
    if (p == 0) continue;
    auto [old_count, new_count] = full_counts[static_cast<size_t>(p - 1)];
    EXPECT_TRUE(total == old_count || total == new_count)
        << "during --full " << p << " the match-all total was " << total
        << ", neither " << old_count << " nor " << new_count;
  }
  std::printf(
      "[ reliability ] serve: %ld requests, %ld failed; %ld during %d "
      "incremental runs, %ld during %d --full swaps\n",
      requests.load(), failures.load(), during_incremental, increments,
      during_full, swaps);
}

// Match-all searches (an empty query, only filters, only negations) from
// many server threads at once: the server must not crash. Xapian 1.4's
// static Query::MatchAll is reference-counted without atomics, so copying
// it from several threads corrupts its count (xapian/query.h says to build
// Xapian::Query(std::string()) instead).
TEST_F(ServeDuringReindexTest, MatchAllSearchesFromManyThreadsKeepTheServerUp) {
  for (int f = 0; f < 5; ++f) WriteCorpusFile(Corpus(), f, "base", "", 1);
  ASSERT_EQ(Index({}).exit_code, 0);
  std::unique_ptr<ChildProcess> server;
  const int port = StartServer(&server);
  ASSERT_NE(port, 0);
  const std::string word = Enc("-" + testing::Vocabulary()[0]);
  const std::vector<std::string> paths = {
      "/api/search?q=",
      "/api/search?q=&region=Asia",
      "/api/search?q=" + word,
      "/api/search?q=" + word + "&theme=Economy",
      "/api/search?q=&year=2010&sort=oldest",
  };
  const int clients = 8, per_client = testing::LongRun() ? 5000 : 1500;
  std::atomic<long> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_read_timeout(30, 0);
      for (int i = 0; i < per_client; ++i) {
        auto res = client.Get(paths[(t + i) % paths.size()].c_str());
        if (!res || res->status != 200) {
          if (++failures > 10) return;  // the server is gone
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_FALSE(server->Poll())
      << "pundit serve exited with " << server->exit_code();
  if (server->running()) {
    ASSERT_EQ(kill(server->pid(), SIGTERM), 0);
    EXPECT_TRUE(server->Wait(Seconds(60)));
    EXPECT_EQ(server->exit_code(), 0);
  }
}

}  // namespace
}  // namespace pundit
