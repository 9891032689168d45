// Significant terms (GET /api/terms, Searcher::SignificantTerms) over a real
// server on an ephemeral loopback port. Properties:
// - LogLikelihood is 0 for equal shares, positive when a term is more
//   common in the matches, negative (by the same amount) when rarer;
// - on tests/testdata/ranking and corpus/, q=wind names "offshore" and
//   "turbine" (words of the two wind articles and of no other), and the
//   phrase "offshore wind"; never the query's own word, a stop word or a
//   number; `count` is the number of matches holding the term (the total
//   of the search with the word added);
// - the search page lists them under "Words that stand out", each linking
//   to the search with the word added;
// - a query matching nothing gives no terms; limit is checked (1..100) and
//   bad search parameters are 400s, as on /api/search;
// - on Reuters-21578 (when ../shared is present), theme=crude names oil
//   words (oil, crude, barrels, opec, bpd, petroleum) among its first ten.
#include "searcher/terms.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "indexer/indexer.h"
#include "tests/test_util.h"
#include "web/server.h"

namespace pundit {
namespace {

using nlohmann::json;
using testing::TempDir;

// A server over `db` on an ephemeral port, listening in its own thread
// until the destructor stops and joins it.
class RunningServer {
 public:
  explicit RunningServer(const std::string& db) {
    ServerOptions options;
    options.db_dir = db;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.access_log = false;
    Result<std::unique_ptr<Server>> server = Server::Create(options);
    if (!server.ok()) {
      ADD_FAILURE() << server.status().ToString();
      return;
    }
    server_ = std::move(server).value();
    Result<int> port = server_->Bind();
    if (!port.ok()) {
      ADD_FAILURE() << port.status().ToString();
      return;
    }
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->Listen(); });
  }
  ~RunningServer() {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  // GET `path`: its status and body (0 and "" when there is no answer).
  std::pair<int, std::string> Get(const std::string& path) const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(60, 0);
    client.set_url_encode(false);  // paths are sent as written
    httplib::Result res = client.Get(path);
    EXPECT_TRUE(res) << "no answer for " << path;
    if (!res) return {0, ""};
    return {res->status, res->body};
  }
  json GetJson(const std::string& path) const {
    auto [status, body] = Get(path);
    EXPECT_EQ(status, 200) << path << ": " << body;
    return json::parse(body, nullptr, false);
  }

 private:
  std::unique_ptr<Server> server_;
  int port_ = -1;
  std::thread thread_;
};

std::string IndexOf(const TempDir& dir, const std::vector<std::string>& in) {
  IndexerOptions index;
  index.db_dir = dir.Sub("db");
  index.inputs = in;
  index.jobs = 2;
  Result<IndexSummary> summary = RunIndex(index);
  EXPECT_TRUE(summary.ok()) << summary.status().ToString();
  return index.db_dir;
}

std::vector<std::string> Terms(const json& answer) {
  std::vector<std::string> out;
  for (const json& t : answer.at("terms")) out.push_back(t.at("term"));
  return out;
}

bool Has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(TermsTest, LogLikelihoodSignsOverAndUnderRepresentation) {
  EXPECT_NEAR(LogLikelihood(10, 100, 100, 1000), 0, 1e-9);
  const double over = LogLikelihood(30, 100, 100, 1000);
  EXPECT_GT(over, kTermsMinScore);
  EXPECT_NEAR(LogLikelihood(100, 1000, 30, 100), -over, 1e-9);
  EXPECT_LT(LogLikelihood(1, 100, 300, 1000), 0);
  EXPECT_EQ(LogLikelihood(5, 0, 10, 100), 0);
  EXPECT_EQ(LogLikelihood(5, 10, 10, 0), 0);
}

class TermsHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = new std::string(
        IndexOf(*dir_, {testing::TestData("ranking/articles.jsonl"),
                        testing::CorpusPath("")}));
  }
  static void TearDownTestSuite() {
    delete db_;
    delete dir_;
  }
  static TempDir* dir_;
  static std::string* db_;
};

TempDir* TermsHttpTest::dir_ = nullptr;
std::string* TermsHttpTest::db_ = nullptr;

TEST_F(TermsHttpTest, NamesTheWordsOfTheMatches) {
  RunningServer server(*db_);
  json answer = server.GetJson("/api/terms?q=wind");
  std::vector<std::string> terms = Terms(answer);
  EXPECT_TRUE(Has(terms, "offshore")) << answer.dump();
  EXPECT_TRUE(Has(terms, "turbine")) << answer.dump();
  EXPECT_TRUE(Has(terms, "offshore wind")) << answer.dump();
  EXPECT_FALSE(Has(terms, "wind")) << "the query's own word";
  double previous = 1e300;
  for (const json& t : answer.at("terms")) {
    const std::string term = t.at("term");
    EXPECT_GT(t.at("count").get<long>(), 1) << term;
    const double score = t.at("score").get<double>();
    EXPECT_GE(score, kTermsMinScore) << term;
    EXPECT_LE(score, previous) << "best first";
    previous = score;
    for (const char* stop : {"the", "and", "of", "is", "a"}) {
      EXPECT_NE(term, stop);
    }
    EXPECT_EQ(term.find_first_of("0123456789"), std::string::npos) << term;
  }
  // `count` is the number of matches holding the word.
  for (const json& t : answer.at("terms")) {
    const std::string term = t.at("term");
    if (term != "offshore") continue;
    json search = server.GetJson("/api/search?q=wind+offshore&per_page=1");
    EXPECT_EQ(t.at("count").get<long>(), search.at("total").get<long>());
  }
  // limit caps the list.
  EXPECT_EQ(server.GetJson("/api/terms?q=wind&limit=1").at("terms").size(), 1u);
}

TEST_F(TermsHttpTest, SearchPageListsWordsThatStandOut) {
  RunningServer server(*db_);
  // A search page offers the list as a link, computed on request only.
  auto [link_status, page] = server.Get("/search?q=wind");
  ASSERT_EQ(link_status, 200);
  EXPECT_NE(page.find("href=\"/search?q=wind&amp;terms=1\""), std::string::npos)
      << page;
  EXPECT_EQ(page.find("standout-terms"), std::string::npos);
  auto [status, body] = server.Get("/search?q=wind&terms=1");
  ASSERT_EQ(status, 200);
  EXPECT_NE(body.find("standout-terms"), std::string::npos) << body;
  EXPECT_NE(body.find("href=\"/search?q=wind%20offshore\" data-nav>offshore<"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("href=\"/search?q=wind%20%22offshore%20wind%22\""),
            std::string::npos)
      << "a phrase is added in quotes";
  // The home page (the whole index) has none to show.
  auto [home_status, home] = server.Get("/");
  ASSERT_EQ(home_status, 200);
  EXPECT_EQ(home.find("Words that stand out"), std::string::npos);
}

TEST_F(TermsHttpTest, NothingMatchedAndBadParameters) {
  RunningServer server(*db_);
  EXPECT_TRUE(server.GetJson("/api/terms?q=zzyzxqq").at("terms").empty());
  for (const char* bad :
       {"/api/terms?q=wind&limit=0", "/api/terms?q=wind&limit=101",
        "/api/terms?q=wind&limit=x", "/api/terms?from=2019-13-01",
        "/api/terms?q=wind&limit=2&limit=3"}) {
    auto [status, body] = server.Get(bad);
    EXPECT_EQ(status, 400) << bad << ": " << body;
    EXPECT_NE(body.find("invalid_argument"), std::string::npos) << body;
  }
}

TEST(TermsReutersTest, CrudeThemeNamesOilWords) {
  const std::string jsonl =
      testing::SharedPath("corpora/reuters21578/articles.jsonl");
  if (jsonl.empty()) GTEST_SKIP() << "../shared is absent: no Reuters corpus";
  TempDir dir;
  RunningServer server(IndexOf(dir, {jsonl}));
  json answer = server.GetJson("/api/terms?theme=crude&limit=10");
  std::vector<std::string> terms = Terms(answer);
  int oil_words = 0;
  for (const char* w :
       {"oil", "crude", "barrels", "opec", "bpd", "petroleum"}) {
    oil_words += Has(terms, w);
  }
  EXPECT_GE(oil_words, 4) << answer.dump();
  ASSERT_FALSE(terms.empty());
  EXPECT_EQ(terms[0], "oil") << answer.dump();
}

}  // namespace
}  // namespace pundit
