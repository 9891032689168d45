// Replicas over Xapian's replication: `pundit replicate-serve` on a master
// folder and `pundit follow` into a replica folder, run as the built binary
// on a loopback port. Checks that:
//   - a first `follow --once` copies the index: same article count, same
//     answers to the same searches, and `pundit stats` reads the replica;
//   - an incremental run on the master (50 new articles) reaches the
//     replica by changesets, in the same generation;
//   - a `--full` run without them (a new Xapian database) reaches it as a
//     full copy under a new generation name: the 50 are gone, and so is
//     every trace of the old copy; `pundit compact` too;
//   - one Searcher opened on the replica before all this sees each pull
//     without being reopened;
//   - `follow` without --once pulls on its own and stops on SIGTERM;
//   - `follow --once` from a closed port exits 1 naming HOST:PORT, and
//     `follow` refuses a folder that `pundit index` wrote.
// Every child process is bounded in time; the whole runs in a few seconds.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "searcher/searcher.h"
#include "tests/reliability_util.h"
#include "tests/test_util.h"

namespace pundit {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::BoundedResult;
using testing::ChildProcess;
using testing::PunditBinary;
using testing::ReadFile;
using testing::RunBounded;
using testing::Seconds;
using testing::TempDir;

// A loopback port nothing listens on right now.
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

class ReplicaTest : public ::testing::Test {
 protected:
  std::string Master() const { return tmp_.Sub("master"); }
  std::string Replica() const { return tmp_.Sub("replica"); }
  std::string From() const { return "127.0.0.1:" + std::to_string(port_); }

  BoundedResult Pundit(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {PunditBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunBounded(argv, tmp_.path(), Seconds(30));
  }

  // The base articles: the test data that indexes without an error.
  std::vector<std::string> BaseInputs() const {
    return {testing::TestData("ranking/articles.jsonl"),
            testing::TestData("mixed"), testing::TestData("seed")};
  }

  void IndexMaster(std::vector<std::string> inputs, bool full) {
    std::vector<std::string> args = {"index", "--db", Master()};
    if (full) args.push_back("--full");
    args.insert(args.end(), inputs.begin(), inputs.end());
    BoundedResult r = Pundit(args);
    ASSERT_TRUE(r.finished);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }

  // Starts `pundit replicate-serve` on the master and waits for its
  // "serving" line.
  void StartServer() {
    port_ = FreePort();
    ASSERT_NE(port_, 0);
    server_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{PunditBinary(), "replicate-serve", "--db",
                                 Master(), "--port", std::to_string(port_)},
        tmp_.Sub("serve.out"), tmp_.Sub("serve.err"));
    for (auto deadline = std::chrono::steady_clock::now() + Seconds(15);
         std::chrono::steady_clock::now() < deadline;) {
      const std::string err = ReadFile(tmp_.Sub("serve.err"));
      if (err.find("pundit: serving ") != std::string::npos) return;
      if (server_->Poll()) FAIL() << "replicate-serve exited: " << err;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL() << "replicate-serve did not start: "
           << ReadFile(tmp_.Sub("serve.err"));
  }

  BoundedResult FollowOnce() {
    return Pundit({"follow", "--from", From(), "--db", Replica(), "--once"});
  }

  // `pundit search --json` on `db`, with the time taken removed.
  json SearchJson(const std::string& db, const std::string& q) {
    BoundedResult r = Pundit({"search", "--db", db, "--json", q});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    if (j.is_object()) j.erase("took_ms");
    return j;
  }

  long Articles(const std::string& db) {
    BoundedResult r = Pundit({"stats", "--db", db});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    return j.is_object() ? j.value("articles", -1L) : -1L;
  }

  std::string LiveGeneration(const std::string& db) {
    std::string current = ReadFile(db + "/CURRENT");
    while (!current.empty() && current.back() == '\n') current.pop_back();
    return current;
  }

  // Writes 50 new articles, each with the title word "zqreplica".
  std::string WriteNewArticles() {
    std::string dir = tmp_.Sub("new");
    fs::create_directories(dir);
    std::string lines;
    for (int i = 0; i < 50; ++i) {
      lines += testing::SyntheticJsonLine(1000 + i, "new-" + std::to_string(i),
                                          "zqreplica") +
               "\n";
    }
    testing::WriteFile(dir + "/new.jsonl", lines);
    return dir;
  }

  void TearDown() override {
    if (server_ && server_->running()) {
      kill(server_->pid(), SIGTERM);
      EXPECT_TRUE(server_->Wait(Seconds(10)));
      EXPECT_EQ(server_->exit_code(), 0);
    }
  }

  TempDir tmp_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> server_;
};

long Total(const Result<SearchResponse>& r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r->total : -1;
}

TEST_F(ReplicaTest, FollowsIncrementalRunsFullRebuildsAndCompaction) {
  ASSERT_NO_FATAL_FAILURE(IndexMaster(BaseInputs(), /*full=*/false));
  ASSERT_NO_FATAL_FAILURE(StartServer());

  // ---- the first pull: a full copy ----
  BoundedResult r = FollowOnce();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  const long base = Articles(Master());
  ASSERT_GT(base, 20);
  EXPECT_EQ(Articles(Replica()), base);
  EXPECT_EQ(r.out, "pulled from " + From() + ": " + std::to_string(base) +
                       " articles (" + LiveGeneration(Replica()) + ")\n");
  for (const std::string q :
       {"venezuela", "trade OR energy", "\"free trade\"", ""}) {
    json want = SearchJson(Master(), q);
    ASSERT_TRUE(want.is_object()) << q;
    EXPECT_EQ(SearchJson(Replica(), q), want) << q;
  }
  // Pulling again changes nothing.
  r = FollowOnce();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "up to date with " + From() + ": " + std::to_string(base) +
                       " articles (" + LiveGeneration(Replica()) + ")\n");

  // A searcher on the replica, kept open through every pull below.
  Result<std::unique_ptr<Searcher>> searcher =
      Searcher::Open(SearcherOptions{Replica()});
  ASSERT_TRUE(searcher.ok()) << searcher.status().ToString();
  SearchRequest marker;
  marker.q = "zqreplica";
  SearchRequest all;
  EXPECT_EQ(Total((*searcher)->Search(marker)), 0);
  EXPECT_EQ(Total((*searcher)->Search(all)), base);

  // ---- an incremental run: changesets ----
  const std::string first_generation = LiveGeneration(Replica());
  ASSERT_NO_FATAL_FAILURE(IndexMaster({WriteNewArticles()}, /*full=*/false));
  bool changesets = false;
  for (const auto& e :
       fs::directory_iterator(Master() + "/" + LiveGeneration(Master()))) {
    changesets |= e.path().filename().string().rfind("changes", 0) == 0;
  }
  EXPECT_TRUE(changesets) << "the incremental run wrote no changeset";
  r = FollowOnce();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(Articles(Replica()), base + 50);
  EXPECT_EQ(SearchJson(Replica(), "zqreplica"),
            SearchJson(Master(), "zqreplica"));
  EXPECT_EQ(LiveGeneration(Replica()), first_generation)
      << "changesets are applied in place";
  EXPECT_EQ(Total((*searcher)->Search(marker)), 50);
  EXPECT_EQ(Total((*searcher)->Search(all)), base + 50);

  // ---- a --full run without them: a new database, a full copy ----
  ASSERT_NO_FATAL_FAILURE(IndexMaster(BaseInputs(), /*full=*/true));
  EXPECT_EQ(Articles(Master()), base);
  r = FollowOnce();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(Articles(Replica()), base);
  EXPECT_NE(LiveGeneration(Replica()), first_generation);
  EXPECT_EQ(SearchJson(Replica(), "zqreplica"),
            SearchJson(Master(), "zqreplica"));
  EXPECT_EQ(SearchJson(Replica(), "trade OR energy"),
            SearchJson(Master(), "trade OR energy"));
  EXPECT_EQ(Total((*searcher)->Search(marker)), 0);
  EXPECT_EQ(Total((*searcher)->Search(all)), base);
  // The old copy's generation name is gone from the replica.
  EXPECT_FALSE(fs::exists(Replica() + "/" + first_generation));

  // ---- compaction on the master: another new database ----
  BoundedResult compacted = Pundit({"compact", "--db", Master()});
  ASSERT_EQ(compacted.exit_code, 0) << compacted.err;
  const std::string before_compact = LiveGeneration(Replica());
  r = FollowOnce();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(LiveGeneration(Replica()), before_compact);
  EXPECT_EQ(SearchJson(Replica(), "venezuela"),
            SearchJson(Master(), "venezuela"));
  EXPECT_EQ(Total((*searcher)->Search(all)), base);
}

TEST_F(ReplicaTest, FollowWithoutOncePullsUntilSigterm) {
  ASSERT_NO_FATAL_FAILURE(IndexMaster(BaseInputs(), /*full=*/false));
  ASSERT_NO_FATAL_FAILURE(StartServer());
  ChildProcess follow({PunditBinary(), "follow", "--from", From(), "--db",
                       Replica(), "--interval", "0.2"},
                      tmp_.Sub("follow.out"), tmp_.Sub("follow.err"));
  const long base = Articles(Master());
  ASSERT_NO_FATAL_FAILURE(IndexMaster({WriteNewArticles()}, /*full=*/false));
  // The loop pulls the new articles by itself (a generous deadline).
  long seen = -1;
  for (auto deadline = std::chrono::steady_clock::now() + Seconds(20);
       std::chrono::steady_clock::now() < deadline && seen != base + 50;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (fs::exists(Replica() + "/CURRENT")) seen = Articles(Replica());
  }
  EXPECT_EQ(seen, base + 50) << ReadFile(tmp_.Sub("follow.err"));
  ASSERT_TRUE(follow.running()) << ReadFile(tmp_.Sub("follow.err"));
  // While it runs, it holds the replica's write lock: nothing else writes
  // into a replica.
  BoundedResult index =
      Pundit({"index", "--db", Replica(), testing::TestData("mixed")});
  EXPECT_EQ(index.exit_code, 1);
  EXPECT_NE(index.err.find("is locked by pid " + std::to_string(follow.pid())),
            std::string::npos)
      << index.err;
  ASSERT_EQ(kill(follow.pid(), SIGTERM), 0);
  ASSERT_TRUE(follow.Wait(Seconds(10)));
  EXPECT_EQ(follow.exit_code(), 0);
  EXPECT_EQ(ReadFile(tmp_.Sub("follow.err")), "");
}

TEST_F(ReplicaTest, FollowFromAClosedPortFailsNamingIt) {
  port_ = FreePort();
  ASSERT_NE(port_, 0);
  BoundedResult r = FollowOnce();
  ASSERT_TRUE(r.finished);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "pundit: error: cannot pull from " + From() +
                       ": Couldn't connect (Connection refused)\n");
  // No index was made: search says so.
  BoundedResult s = Pundit({"search", "--db", Replica(), "venezuela"});
  EXPECT_EQ(s.exit_code, 1);
  EXPECT_NE(s.err.find("no index at " + Replica()), std::string::npos) << s.err;
}

TEST_F(ReplicaTest, FollowRefusesAFolderThatIndexWrote) {
  ASSERT_NO_FATAL_FAILURE(IndexMaster(BaseInputs(), /*full=*/false));
  port_ = FreePort();
  BoundedResult r =
      Pundit({"follow", "--from", From(), "--db", Master(), "--once"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "pundit: error: " + Master() +
                       " holds an index that is not a replica (" +
                       LiveGeneration(Master()) +
                       "): follow into another folder, or remove this one "
                       "first\n");
}

TEST_F(ReplicaTest, ReplicateServeWithoutAnIndexFails) {
  BoundedResult r = Pundit({"replicate-serve", "--db", Master(), "--port",
                            std::to_string(FreePort())});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "pundit: error: no index at " + Master() +
                       ": run `pundit index --db " + Master() +
                       " PATH...` first\n");
}

}  // namespace
}  // namespace pundit
