// The research endpoints, checked against a real index and a real server:
//  - calendar periods: day, ISO 8601 week (the week-year around New Year),
//    month and year keys;
//  - /api/attention by day, week and month under a region filter equals
//    counts computed here from the articles the test wrote (with <chrono>,
//    not the server's calendar), `all` and `share` included, every period
//    from the first to the last dated article present, empty ones as 0;
//  - /api/export gives exactly the search's matches, as CSV that parses
//    (RFC 4180: a title with a comma and quotes survives) and as JSON
//    Lines, in the search's order;
//  - with text=1 (`pundit export --text`), each row carries its article's
//    text, paragraphs separated by blank lines, quoted as CSV must be;
//  - with context=N (`pundit export --context N`), one row per match of the
//    query in an article's title and text, with N words either side, as
//    counted here from the articles written; a phrase is one match;
//  - /in-context shows those rows in a page without script, escaped, as
//    many as the export gives;
//  - `pundit export` and `pundit attention` print the same;
//  - /compare draws an SVG chart without any script; the search page links
//    to the export and to /compare;
//  - bad parameters are 400s naming what to change;
//  - over Reuters-21578 (when ../shared is present): the export of
//    theme=crude is its 634 articles, and attention by month under
//    region=usa equals counts computed from the JSON Lines file.

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "indexer/indexer.h"
#include "searcher/periods.h"
#include "tests/test_util.h"
#include "web/server.h"

namespace pundit {
namespace {

using nlohmann::json;
namespace chr = std::chrono;

// A server on an ephemeral port, listening in its own thread until the
// destructor stops and joins it.
class RunningServer {
 public:
  explicit RunningServer(const std::string& db_dir) {
    ServerOptions options;
    options.db_dir = db_dir;
    options.access_log = false;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 4;
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
    thread_ = std::thread([this] { listen_status_ = server_->Listen(); });
  }
  ~RunningServer() {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    EXPECT_TRUE(listen_status_.ok()) << listen_status_.ToString();
  }

  // GET `path`: status and body (status 0 when the request failed).
  std::pair<int, std::string> Get(const std::string& path) const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(120, 0);
    httplib::Result res = client.Get(path.c_str());
    if (!res) return {0, httplib::to_string(res.error())};
    last_headers_ = res->headers;
    return {res->status, res->body};
  }
  json GetJson(const std::string& path) const {
    auto [status, body] = Get(path);
    EXPECT_EQ(status, 200) << path << ": " << body;
    return json::parse(body, nullptr, false);
  }
  std::string Header(const std::string& name) const {
    auto it = last_headers_.find(name);
    return it == last_headers_.end() ? "" : it->second;
  }

 private:
  std::unique_ptr<Server> server_;
  int port_ = -1;
  std::thread thread_;
  Status listen_status_;
  mutable httplib::Headers last_headers_;
};

// Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF rows); fails the
// test on a malformed document.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, in_field = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"' && field.empty()) {
      quoted = in_field = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      ++i;
    } else {
      EXPECT_NE(c, '"') << "a quote inside an unquoted field at " << i;
      EXPECT_NE(c, '\n') << "a bare LF at " << i;
      field += c;
    }
  }
  EXPECT_FALSE(quoted) << "an unterminated quoted field";
  EXPECT_TRUE(row.empty() && field.empty()) << "a last row without CRLF";
  return rows;
}

// The keys of the period holding `date` ("YYYY-MM-DD"), computed with
// <chrono> independently of searcher/periods.h.
struct Keys {
  std::string day, week, month;
};
Keys KeysOf(const std::string& date) {
  const int y = std::stoi(date.substr(0, 4));
  const unsigned m = std::stoul(date.substr(5, 2));
  const unsigned d = std::stoul(date.substr(8, 2));
  const chr::sys_days sd{chr::year{y} / chr::month{m} / chr::day{d}};
  const unsigned iso_wd = chr::weekday{sd}.iso_encoding();  // Mon 1 .. Sun 7
  const chr::sys_days thursday = sd + chr::days{4 - static_cast<int>(iso_wd)};
  const chr::year week_year = chr::year_month_day{thursday}.year();
  const int week =
      (thursday - chr::sys_days{week_year / chr::January / 1}).count() / 7 + 1;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-W%02d", static_cast<int>(week_year),
                week);
  return {date, buf, date.substr(0, 7)};
}

TEST(PeriodsTest, KeysOfDaysWeeksMonthsAndYears) {
  auto key = [](Interval i, uint32_t date) {
    return PeriodKey(i, PeriodIndex(i, date));
  };
  EXPECT_EQ(key(Interval::kDay, 20190304), "2019-03-04");
  EXPECT_EQ(key(Interval::kWeek, 20190304), "2019-W10");
  EXPECT_EQ(key(Interval::kWeek, 20190310), "2019-W10");  // its Sunday
  EXPECT_EQ(key(Interval::kWeek, 20190311), "2019-W11");
  // The ISO week-year differs from the calendar year around New Year.
  EXPECT_EQ(key(Interval::kWeek, 20191230), "2020-W01");
  EXPECT_EQ(key(Interval::kWeek, 20210103), "2020-W53");
  EXPECT_EQ(key(Interval::kWeek, 20160101), "2015-W53");
  EXPECT_EQ(key(Interval::kWeek, 18991231), "1899-W52");  // before 1970
  EXPECT_EQ(key(Interval::kMonth, 20190304), "2019-03");
  EXPECT_EQ(key(Interval::kMonth, 20191231), "2019-12");
  EXPECT_EQ(key(Interval::kYear, 20190304), "2019");
  EXPECT_EQ(key(Interval::kDay, 20000229), "2000-02-29");
  // Consecutive periods, consecutive indexes.
  EXPECT_EQ(PeriodIndex(Interval::kDay, 20200301) -
                PeriodIndex(Interval::kDay, 20200228),
            2);
  EXPECT_EQ(PeriodIndex(Interval::kMonth, 20200101) -
                PeriodIndex(Interval::kMonth, 20191231),
            1);
  EXPECT_EQ(ParseInterval("week"), Interval::kWeek);
  EXPECT_FALSE(ParseInterval("hour").has_value());
}

struct TestArticle {
  std::string id, title, date, region, body;
};

// Articles between 2018-12-20 and 2019-03-10 (no article in January 2019:
// an empty month), in regions north and south, about oil or wheat or both;
// a few undated; two "span" articles 69 years apart.
std::vector<TestArticle> MakeArticles() {
  std::vector<TestArticle> out;
  const char* dates[] = {"2018-12-20", "2018-12-29", "2018-12-31",
                         "2018-12-31", "2019-02-01", "2019-02-03",
                         "2019-02-04", "2019-02-04", "2019-02-17",
                         "2019-02-28", "2019-03-04", "2019-03-10"};
  int n = 0;
  for (int round = 0; round < 3; ++round) {
    for (const char* date : dates) {
      ++n;
      TestArticle a;
      a.id = std::string("r").append(std::to_string(n));
      a.date = (n % 7 == 0) ? "" : date;
      a.region = n % 3 == 0 ? "south" : "north";
      a.body = n % 2 == 0   ? "Oil prices rose again."
               : n % 5 == 0 ? "Oil and wheat both moved."
                            : "Wheat harvests were late.";
      a.title = n == 4 ? "Oil, \"crude\" and more" : "Market note " + a.id;
      // A text of two paragraphs, with a comma and quotes, to export.
      if (n == 4) a.body += "\n\nTraders said, \"not for long\".";
      out.push_back(a);
    }
  }
  out.push_back({"span1", "Old note", "1950-01-02", "span", "Oil in 1950."});
  out.push_back({"span2", "New note", "2019-06-01", "span", "Oil in 2019."});
  return out;
}

bool HasWord(const std::string& body, const std::string& word) {
  std::string lower;
  for (char c : body) lower += static_cast<char>(std::tolower(c));
  return lower.find(word) != std::string::npos;
}

class ResearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    articles_ = new std::vector<TestArticle>(MakeArticles());
    std::string lines;
    for (const TestArticle& a : *articles_) {
      lines += json{{"id", a.id},
                    {"title", a.title},
                    {"author", {"Ann Writer"}},
                    {"date", a.date},
                    {"region", {a.region}},
                    {"theme", {"Markets"}},
                    {"source", "Test Wire"},
                    {"url", "https://example.org/" + a.id},
                    {"body", a.body}}
                   .dump() +
               "\n";
    }
    testing::WriteFile(dir_->Sub("in/articles.jsonl"), lines);
    IndexerOptions options;
    options.db_dir = dir_->Sub("db");
    options.inputs = {dir_->Sub("in")};
    options.jobs = 2;
    Result<IndexSummary> summary = RunIndex(options);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    server_ = new RunningServer(options.db_dir);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete articles_;
    delete dir_;
  }

  // Expected {key -> (count, all)} for `word` under region `region`.
  static std::map<std::string, std::pair<long, long>> Expected(
      const std::string& word, const std::string& region, Interval interval) {
    std::map<std::string, std::pair<long, long>> out;
    for (const TestArticle& a : *articles_) {
      if (a.region != region || a.date.empty()) continue;
      Keys k = KeysOf(a.date);
      const std::string& key = interval == Interval::kDay    ? k.day
                               : interval == Interval::kWeek ? k.week
                                                             : k.month;
      auto& [count, all] = out[key];
      ++all;
      if (HasWord(a.body, word)) ++count;
    }
    return out;
  }

  static testing::TempDir* dir_;
  static std::vector<TestArticle>* articles_;
  static RunningServer* server_;
};

testing::TempDir* ResearchTest::dir_ = nullptr;
std::vector<TestArticle>* ResearchTest::articles_ = nullptr;
RunningServer* ResearchTest::server_ = nullptr;

TEST_F(ResearchTest, AttentionCountsEqualCountsFromTheArticles) {
  for (Interval interval :
       {Interval::kDay, Interval::kWeek, Interval::kMonth}) {
    const std::string name(IntervalName(interval));
    SCOPED_TRACE(name);
    json r = server_->GetJson("/api/attention?q=oil&q=wheat&region=north&" +
                              std::string("interval=") + name);
    ASSERT_TRUE(r.is_object());
    EXPECT_EQ(r["interval"], name);
    ASSERT_EQ(r["series"].size(), 2u);
    for (const json& series : r["series"]) {
      const std::string q = series["q"];
      const auto expected = Expected(q, "north", interval);
      // Every period from the first to the last: the expected non-empty
      // ones among them, the others 0, in order, none missing.
      const json& buckets = series["buckets"];
      ASSERT_FALSE(buckets.empty());
      EXPECT_EQ(buckets.front()["key"], expected.begin()->first);
      EXPECT_EQ(buckets.back()["key"], expected.rbegin()->first);
      long total = 0;
      std::string previous;
      for (const json& b : buckets) {
        const std::string key = b["key"];
        EXPECT_LT(previous, key);
        previous = key;
        auto it = expected.find(key);
        const long count = it == expected.end() ? 0 : it->second.first;
        const long all = it == expected.end() ? 0 : it->second.second;
        EXPECT_EQ(b["count"], count) << q << " " << key;
        EXPECT_EQ(b["all"], all) << q << " " << key;
        EXPECT_NEAR(b["share"].get<double>(),
                    all ? static_cast<double>(count) / all : 0.0, 1e-6);
        total += count;
      }
      // Dated matches are in buckets; `total` adds the undated ones.
      long undated = 0;
      for (const TestArticle& a : *articles_) {
        if (a.region == "north" && a.date.empty() && HasWord(a.body, q)) {
          ++undated;
        }
      }
      EXPECT_EQ(series["total"], total + undated);
    }
  }
  // January 2019 has no article: present, and 0.
  json month = server_->GetJson("/api/attention?q=oil&region=north");
  bool saw_january = false;
  for (const json& b : month["series"][0]["buckets"]) {
    if (b["key"] == "2019-01") {
      saw_january = true;
      EXPECT_EQ(b["count"], 0);
      EXPECT_EQ(b["all"], 0);
    }
  }
  EXPECT_TRUE(saw_january);
  // A year-boundary week: 2018-12-31 is in 2019-W01.
  json week =
      server_->GetJson("/api/attention?q=oil&region=north&interval=week");
  std::set<std::string> keys;
  for (const json& b : week["series"][0]["buckets"]) keys.insert(b["key"]);
  EXPECT_TRUE(keys.count("2019-W01"));
  EXPECT_FALSE(keys.count("2018-W53"));
}

TEST_F(ResearchTest, AttentionCsvHasOneRowPerPeriodAndQuery) {
  auto [status, body] = server_->Get(
      "/api/attention?q=oil&q=wheat&region=north&interval=month&format=csv");
  ASSERT_EQ(status, 200) << body;
  EXPECT_TRUE(server_->Header("Content-Type").starts_with("text/csv"));
  std::vector<std::vector<std::string>> rows = ParseCsv(body);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"q", "key", "count", "all", "share"}));
  // 2018-12 .. 2019-03: 4 months, for 2 queries.
  EXPECT_EQ(rows.size(), 1u + 2 * 4);
  EXPECT_EQ(rows[1][0], "oil");
  EXPECT_EQ(rows[1][1], "2018-12");
  EXPECT_EQ(rows[2][1], "2019-01");
  EXPECT_EQ(rows[2][2], "0");
}

TEST_F(ResearchTest, ExportGivesExactlyTheSearchMatches) {
  json search = server_->GetJson("/api/search?q=oil&per_page=100");
  const long total = search["total"];
  ASSERT_GT(total, 10);
  std::vector<std::string> search_ids;
  for (const json& h : search["hits"]) search_ids.push_back(h["id"]);

  auto [status, csv] = server_->Get("/api/export?q=oil&format=csv");
  ASSERT_EQ(status, 200) << csv;
  EXPECT_EQ(server_->Header("Content-Disposition"),
            "attachment; filename=\"pundit-export.csv\"");
  std::vector<std::vector<std::string>> rows = ParseCsv(csv);
  ASSERT_EQ(rows.size(), static_cast<size_t>(total) + 1);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"id", "title", "authors", "date",
                                               "regions", "themes", "source",
                                               "url", "score"}));
  std::vector<std::string> export_ids;
  bool saw_quoted_title = false;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 9u) << i;
    export_ids.push_back(rows[i][0]);
    if (rows[i][0] == "r4") {
      EXPECT_EQ(rows[i][1], "Oil, \"crude\" and more");
      saw_quoted_title = true;
    }
  }
  EXPECT_TRUE(saw_quoted_title);
  // The order of the search, best first.
  EXPECT_EQ(export_ids, search_ids);

  auto [jstatus, jsonl] = server_->Get("/api/export?q=oil&format=jsonl");
  ASSERT_EQ(jstatus, 200);
  size_t lines = 0;
  for (size_t at = 0; (at = jsonl.find('\n', at)) != std::string::npos; ++at) {
    ++lines;
  }
  EXPECT_EQ(lines, static_cast<size_t>(total));
  json first = json::parse(jsonl.substr(0, jsonl.find('\n')));
  EXPECT_EQ(first["id"], search_ids[0]);
  EXPECT_EQ(first["authors"], json::array({"Ann Writer"}));

  // Filters only, newest first: the region's articles, undated last.
  json north = server_->GetJson("/api/search?region=north&per_page=1");
  auto [nstatus, ncsv] =
      server_->Get("/api/export?region=north&sort=newest&format=csv");
  ASSERT_EQ(nstatus, 200);
  rows = ParseCsv(ncsv);
  ASSERT_EQ(rows.size(), north["total"].get<size_t>() + 1);
  for (size_t i = 2; i < rows.size(); ++i) {
    if (!rows[i][3].empty()) {
      EXPECT_GE(rows[i - 1][3], rows[i][3]) << i;
    }
  }
  EXPECT_EQ(rows.back()[3], "");
}

// limit=N: the first N articles of the same order, whichever way it is
// sorted, and with context only their matches.
TEST_F(ResearchTest, ExportLimitGivesTheFirstArticlesOfItsOrder) {
  auto ids = [](const std::string& csv) {
    std::vector<std::string> out;
    std::vector<std::vector<std::string>> rows = ParseCsv(csv);
    for (size_t i = 1; i < rows.size(); ++i) out.push_back(rows[i][0]);
    return out;
  };
  for (const std::string& scope :
       {std::string("q=oil"), std::string("q=oil&sort=newest"),
        std::string("region=north&sort=newest"),
        std::string("region=north&sort=oldest"),
        std::string("q=oil&region=south")}) {
    SCOPED_TRACE(scope);
    auto [status, all_csv] = server_->Get("/api/export?" + scope);
    ASSERT_EQ(status, 200) << all_csv;
    const std::vector<std::string> all = ids(all_csv);
    ASSERT_GE(all.size(), 3u);
    for (size_t limit :
         {size_t{1}, size_t{2}, all.size() - 1, all.size(), all.size() + 5}) {
      auto [lstatus, csv] = server_->Get("/api/export?" + scope +
                                         "&limit=" + std::to_string(limit));
      ASSERT_EQ(lstatus, 200) << csv;
      const std::vector<std::string> first(
          all.begin(), all.begin() + static_cast<std::ptrdiff_t>(
                                         std::min(limit, all.size())));
      EXPECT_EQ(ids(csv), first) << limit;
    }
  }
  // With context: rows of the first two articles' matches only.
  auto [all_status, all_kwic] = server_->Get("/api/export?q=oil&context=2");
  ASSERT_EQ(all_status, 200);
  const std::vector<std::string> all_rows = ids(all_kwic);
  std::vector<std::string> articles;
  for (const std::string& id : all_rows) {
    if (articles.empty() || articles.back() != id) articles.push_back(id);
  }
  ASSERT_GE(articles.size(), 3u);
  auto [kstatus, kwic] = server_->Get("/api/export?q=oil&context=2&limit=2");
  ASSERT_EQ(kstatus, 200);
  std::vector<std::string> expected;
  for (const std::string& id : all_rows) {
    if (id == articles[0] || id == articles[1]) expected.push_back(id);
  }
  EXPECT_EQ(ids(kwic), expected);

  for (const char* bad : {"-1", "x", "1000000001", "2.5"}) {
    auto [bstatus, body] =
        server_->Get(std::string("/api/export?q=oil&limit=") + bad);
    EXPECT_EQ(bstatus, 400) << bad;
    EXPECT_NE(body.find("limit"), std::string::npos) << body;
  }
  testing::CommandResult cli =
      testing::RunCommand({testing::PunditBinary(), "export", "--db",
                           dir_->Sub("db"), "--limit", "2", "oil"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  auto [status, two] = server_->Get("/api/export?q=oil&limit=2");
  ASSERT_EQ(status, 200);
  EXPECT_EQ(cli.out, two);
}

TEST_F(ResearchTest, ExportWithTextCarriesEachArticlesText) {
  std::map<std::string, std::string> bodies;
  for (const TestArticle& a : *articles_) bodies[a.id] = a.body;
  json search = server_->GetJson("/api/search?q=oil&per_page=1");
  const size_t total = search["total"];

  auto [status, csv] = server_->Get("/api/export?q=oil&format=csv&text=1");
  ASSERT_EQ(status, 200) << csv;
  std::vector<std::vector<std::string>> rows = ParseCsv(csv);
  ASSERT_EQ(rows.size(), total + 1);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"id", "title", "authors", "date",
                                               "regions", "themes", "source",
                                               "url", "score", "text"}));
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 10u) << i;
    EXPECT_EQ(rows[i][9], bodies.at(rows[i][0])) << rows[i][0];
  }
  // The two paragraphs of r4, separated by a blank line, in one field.
  EXPECT_NE(csv.find("\"Oil prices rose again.\n\nTraders said, \"\"not for "
                     "long\"\".\"\r\n"),
            std::string::npos)
      << csv;

  auto [jstatus, jsonl] = server_->Get("/api/export?q=oil&format=jsonl&text=1");
  ASSERT_EQ(jstatus, 200);
  size_t lines = 0;
  for (size_t at = 0, end; (end = jsonl.find('\n', at)) != std::string::npos;
       at = end + 1) {
    json row = json::parse(jsonl.substr(at, end - at));
    EXPECT_EQ(row["text"], bodies.at(row["id"])) << row;
    ++lines;
  }
  EXPECT_EQ(lines, total);
  // Without text=1 (or with text=0) no text is read or sent.
  for (const char* path : {"/api/export?q=oil&format=jsonl",
                           "/api/export?q=oil&format=jsonl&text=0"}) {
    auto [plain_status, plain] = server_->Get(path);
    ASSERT_EQ(plain_status, 200);
    EXPECT_EQ(plain.find("\"text\""), std::string::npos) << path;
    EXPECT_EQ(plain.find("Traders said"), std::string::npos) << path;
  }

  // `pundit export --text` prints the same bytes.
  testing::CommandResult out =
      testing::RunCommand({testing::PunditBinary(), "export", "--db",
                           dir_->Sub("db"), "--text", "oil"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_EQ(out.out, csv);

  // The search page offers both.
  auto [sstatus, page] = server_->Get("/search?q=oil");
  ASSERT_EQ(sstatus, 200);
  EXPECT_NE(page.find("/api/export?q=oil&amp;format=csv&amp;text=1"),
            std::string::npos);
  EXPECT_NE(page.find("/api/export?q=oil&amp;format=jsonl&amp;text=1"),
            std::string::npos);
}

// Words of `text` equal to `word` (ASCII, case folded) as the analyzer
// splits them: runs of letters.
int CountWord(const std::string& text, const std::string& word) {
  int n = 0;
  std::string current;
  for (size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ' ';
    if (std::isalpha(static_cast<unsigned char>(c))) {
      current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      continue;
    }
    n += current == word;
    current.clear();
  }
  return n;
}

TEST_F(ResearchTest, ExportInContextListsEveryMatch) {
  std::map<std::string, const TestArticle*> by_id;
  for (const TestArticle& a : *articles_) by_id[a.id] = &a;

  auto [status, csv] = server_->Get("/api/export?q=oil&format=csv&context=2");
  ASSERT_EQ(status, 200) << csv;
  std::vector<std::vector<std::string>> rows = ParseCsv(csv);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], (std::vector<std::string>{
                         "id", "title", "authors", "date", "regions", "themes",
                         "source", "url", "score", "left", "match", "right"}));
  // As many rows as "oil" occurs in the title and text of each article.
  std::map<std::string, int> expected, got;
  for (const TestArticle& a : *articles_) {
    const int n = CountWord(a.title, "oil") + CountWord(a.body, "oil");
    if (n > 0) expected[a.id] = n;
  }
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 12u) << i;
    const std::vector<std::string>& row = rows[i];
    ++got[row[0]];
    EXPECT_EQ(row[10], "Oil") << row[0];
    const TestArticle& a = *by_id.at(row[0]);
    if (a.body.starts_with("Oil prices rose again.") &&
        !a.title.starts_with("Oil")) {
      EXPECT_EQ(row[9], "");
      EXPECT_EQ(row[11], "prices rose");
    }
  }
  EXPECT_EQ(got, expected);
  // r4 has "Oil" in its title and its text: its title's match comes first,
  // the quotes and comma around the words kept.
  std::vector<std::vector<std::string>> r4;
  for (const auto& row : rows) {
    if (row[0] == "r4") r4.push_back(row);
  }
  ASSERT_EQ(r4.size(), 2u);
  EXPECT_EQ(r4[0][11], ", \"crude\" and");
  EXPECT_EQ(r4[1][11], "prices rose");

  // A phrase is one match, its words between their neighbours.
  auto [pstatus, phrase] =
      server_->Get("/api/export?q=%22prices+rose%22&format=jsonl&context=1");
  ASSERT_EQ(pstatus, 200) << phrase;
  size_t lines = 0;
  for (size_t at = 0, end; (end = phrase.find('\n', at)) != std::string::npos;
       at = end + 1) {
    json row = json::parse(phrase.substr(at, end - at));
    EXPECT_EQ(row["left"], "Oil") << row;
    EXPECT_EQ(row["match"], "prices rose") << row;
    EXPECT_EQ(row["right"], "again") << row;
    EXPECT_FALSE(row.contains("text"));
    ++lines;
  }
  json search = server_->GetJson("/api/search?q=%22prices+rose%22&per_page=1");
  EXPECT_EQ(lines, search["total"].get<size_t>());
  EXPECT_GT(lines, 0u);

  // `pundit export --context 2` prints the same bytes.
  testing::CommandResult out =
      testing::RunCommand({testing::PunditBinary(), "export", "--db",
                           dir_->Sub("db"), "--context", "2", "oil"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_EQ(out.out, csv);
  testing::CommandResult no_query =
      testing::RunCommand({testing::PunditBinary(), "export", "--db",
                           dir_->Sub("db"), "--context", "2"});
  EXPECT_NE(no_query.exit_code, 0);
  EXPECT_NE(no_query.err.find("--context"), std::string::npos) << no_query.err;
  EXPECT_EQ(no_query.out, "");

  // Bad values are 400s naming what to change.
  for (const auto& [path, message] :
       std::vector<std::pair<std::string, std::string>>{
           {"/api/export?q=oil&context=51",
            "context must be between 0 and 50, got 51"},
           {"/api/export?q=oil&context=two", "context must be a whole number"},
           {"/api/export?context=3&region=north", "give q"}}) {
    auto [bad_status, body] = server_->Get(path);
    EXPECT_EQ(bad_status, 400) << path;
    EXPECT_NE(body.find(message), std::string::npos) << path << ": " << body;
  }

  // An untitled article's title is its first words: each match once.
  testing::WriteFile(dir_->Sub("untitled/a.jsonl"),
                     json{{"id", "u1"},
                          {"body",
                           "Tariffs on steel rose.  Steel makers "
                           "said steel\nwould cost more."}}
                             .dump() +
                         "\n");
  testing::CommandResult index = testing::RunCommand(
      {testing::PunditBinary(), "index", "--db", dir_->Sub("untitled/db"),
       dir_->Sub("untitled/a.jsonl")});
  ASSERT_EQ(index.exit_code, 0) << index.err;
  testing::CommandResult steel = testing::RunCommand(
      {testing::PunditBinary(), "export", "--db", dir_->Sub("untitled/db"),
       "--format", "jsonl", "--context", "2", "steel"});
  ASSERT_EQ(steel.exit_code, 0) << steel.err;
  std::vector<json> matches;
  for (size_t at = 0, end;
       (end = steel.out.find('\n', at)) != std::string::npos; at = end + 1) {
    matches.push_back(json::parse(steel.out.substr(at, end - at)));
  }
  ASSERT_EQ(matches.size(), 3u) << steel.out;
  EXPECT_EQ(matches[0]["left"], "Tariffs on");
  EXPECT_EQ(matches[0]["right"], "rose. Steel");
  EXPECT_EQ(matches[1]["left"], "steel rose.");
  EXPECT_EQ(matches[2]["match"], "steel");
  EXPECT_EQ(matches[2]["right"], "would cost");  // the line end is a space

  // The search page links the concordance of a query, not of filters alone.
  auto [sstatus, page] = server_->Get("/search?q=oil");
  ASSERT_EQ(sstatus, 200);
  EXPECT_NE(page.find("/api/export?q=oil&amp;format=csv&amp;context=10"),
            std::string::npos);
  EXPECT_NE(page.find("/api/export?q=oil&amp;format=jsonl&amp;context=10"),
            std::string::npos);
  auto [fstatus, filters_only] = server_->Get("/search?region=north");
  ASSERT_EQ(fstatus, 200);
  EXPECT_EQ(filters_only.find("context=10"), std::string::npos);
}

TEST_F(ResearchTest, InContextPageShowsEveryMatchWithoutScript) {
  auto [status, csv] =
      server_->Get("/api/export?q=oil&region=north&format=csv&context=2");
  ASSERT_EQ(status, 200) << csv;
  const std::vector<std::vector<std::string>> rows = ParseCsv(csv);
  std::set<std::string> ids;
  for (size_t i = 1; i < rows.size(); ++i) ids.insert(rows[i][0]);
  ASSERT_GT(rows.size(), 2u);

  auto [pstatus, html] =
      server_->Get("/in-context?q=oil&region=north&context=2");
  ASSERT_EQ(pstatus, 200) << html;
  const size_t main = html.find("<main");
  const size_t end = html.find("</main>");
  ASSERT_NE(main, std::string::npos);
  const std::string body = html.substr(main, end - main);
  EXPECT_EQ(body.find("<script"), std::string::npos);
  size_t marks = 0;
  for (size_t at = 0;
       (at = body.find("<td class=\"kwic-match\"><mark>Oil</mark>", at)) !=
       std::string::npos;
       ++at) {
    ++marks;
  }
  EXPECT_EQ(marks, rows.size() - 1);
  EXPECT_NE(body.find(std::to_string(rows.size() - 1) + " matches in " +
                      std::to_string(ids.size()) + " articles."),
            std::string::npos)
      << body;
  // r4's title and the words after its match, escaped.
  EXPECT_NE(body.find("Oil, &quot;crude&quot; and more</a>"),
            std::string::npos);
  EXPECT_NE(body.find("<td class=\"kwic-right\">, &quot;crude&quot; and</td>"),
            std::string::npos);
  // The form keeps the filter; the downloads are the export's.
  EXPECT_NE(
      body.find("<input type=\"hidden\" name=\"region\" value=\"north\">"),
      std::string::npos);
  EXPECT_NE(body.find("format=csv"), std::string::npos);

  // A bad width is a 400 page naming it; no query shows the form alone.
  auto [bad_status, bad] = server_->Get("/in-context?q=oil&context=99");
  EXPECT_EQ(bad_status, 400);
  EXPECT_NE(bad.find("context must be between 0 and 50, got 99"),
            std::string::npos);
  auto [none_status, none] = server_->Get("/in-context?q=-oil");
  EXPECT_EQ(none_status, 200);
  EXPECT_NE(none.find("words appears in the text of the articles"),
            std::string::npos);
  EXPECT_EQ(none.find("class=\"kwic\""), std::string::npos);
  auto [no_rows_status, no_rows] =
      server_->Get("/api/export?q=-oil&format=csv&context=3");
  EXPECT_EQ(no_rows_status, 200);
  EXPECT_EQ(no_rows,
            "id,title,authors,date,regions,themes,source,url,score,left,match,"
            "right\r\n");
  auto [empty_status, empty] = server_->Get("/in-context");
  EXPECT_EQ(empty_status, 200);
  EXPECT_EQ(empty.find("class=\"kwic\""), std::string::npos);
  EXPECT_NE(empty.find("action=\"/in-context\""), std::string::npos);

  // The search page links to it.
  auto [sstatus, page] = server_->Get("/search?q=oil");
  ASSERT_EQ(sstatus, 200);
  EXPECT_NE(page.find("href=\"/in-context?q=oil\""), std::string::npos);
}

// The cells of class `cls` of the page's concordance, in order.
std::vector<std::string> KwicCells(const std::string& html,
                                   const std::string& cls) {
  std::vector<std::string> cells;
  const std::string open = "<td class=\"" + cls + "\">";
  for (size_t at = html.find(open); at != std::string::npos;
       at = html.find(open, at)) {
    at += open.size();
    cells.push_back(html.substr(at, html.find("</td>", at) - at));
  }
  return cells;
}

TEST_F(ResearchTest, InContextPageOrdersMatchesAndCountsNeighbours) {
  auto [status, csv] = server_->Get("/api/export?q=oil&format=csv&context=3");
  ASSERT_EQ(status, 200) << csv;
  const size_t matches = ParseCsv(csv).size() - 1;
  size_t oil_prices = 0;
  for (const TestArticle& a : *articles_) {
    oil_prices += a.body.starts_with("Oil prices") ? 1 : 0;
  }
  ASSERT_GT(oil_prices, 2u);

  // By the words after: "and wheat", ", "crude" and", "in 1950", "prices".
  auto [astatus, after] =
      server_->Get("/in-context?q=oil&context=3&order=after");
  ASSERT_EQ(astatus, 200) << after;
  std::vector<std::string> right = KwicCells(after, "kwic-right");
  ASSERT_EQ(right.size(), matches);
  auto rank = [](const std::string& cell) {
    for (const auto& [i, start] : std::vector<std::pair<int, std::string>>{
             {0, "and"}, {1, ", &quot;crude"}, {2, "in"}, {3, "prices"}}) {
      if (cell.starts_with(start)) return i;
    }
    return -1;
  };
  for (size_t i = 0; i < right.size(); ++i) {
    ASSERT_NE(rank(right[i]), -1) << right[i];
    if (i > 0) {
      EXPECT_LE(rank(right[i - 1]), rank(right[i])) << i;
    }
  }
  EXPECT_EQ(rank(right.front()), 0);
  EXPECT_EQ(rank(right.back()), 3);
  EXPECT_NE(after.find("<option value=\"after\" selected>"), std::string::npos);
  // The word most often right after, counted over every match, linking the
  // two words as a phrase; stop words ("and", "in") are not listed, nor
  // words met once ("crude"), and nothing stands before "Oil".
  EXPECT_NE(after.find("Most often right after:</span> <a href=\"/in-context?"
                       "context=3&amp;order=after&amp;q=%22oil%20prices%22\">"
                       "prices</a> <span class=\"facet-count\">" +
                       std::to_string(oil_prices) + "</span>"),
            std::string::npos)
      << after;
  EXPECT_EQ(after.find(">crude</a>"), std::string::npos);
  EXPECT_EQ(after.find(">and</a>"), std::string::npos);
  EXPECT_EQ(after.find("Most often right before"), std::string::npos);

  // By the words before, nearest first: "Wheat" opening a text has none,
  // "Oil and wheat" has "and" then "oil".
  auto [bstatus, before] =
      server_->Get("/in-context?q=wheat&context=3&order=before");
  ASSERT_EQ(bstatus, 200) << before;
  std::vector<std::string> left = KwicCells(before, "kwic-left");
  ASSERT_GT(left.size(), 2u);
  EXPECT_EQ(left.front(), "");
  EXPECT_EQ(left.back(), "Oil and");
  for (size_t i = 1; i < left.size(); ++i) {
    EXPECT_FALSE(left[i - 1] == "Oil and" && left[i].empty()) << i;
  }
  // "and", right before "wheat", is a stop word: no list of words before.
  EXPECT_EQ(before.find("Most often right before"), std::string::npos);
  auto [pstatus, prices] = server_->Get("/in-context?q=prices&context=3");
  ASSERT_EQ(pstatus, 200) << prices;
  EXPECT_NE(prices.find("Most often right before:</span> <a href=\"/in-context"
                        "?context=3&amp;q=%22oil%20prices%22\">oil</a> <span "
                        "class=\"facet-count\">" +
                        std::to_string(oil_prices) + "</span>"),
            std::string::npos)
      << prices;

  // As found is the export's order; start skips matches and links back.
  auto [fstatus, found] = server_->Get("/in-context?q=oil&context=3&start=1");
  ASSERT_EQ(fstatus, 200) << found;
  EXPECT_EQ(KwicCells(found, "kwic-right").size(), matches - 1);
  EXPECT_NE(found.find("href=\"/in-context?context=3&amp;q=oil\" rel=\"prev\""),
            std::string::npos)
      << found;
  EXPECT_EQ(found.find("rel=\"next\""), std::string::npos);

  // Bad values are 400 pages naming the parameter.
  auto [ostatus, bad_order] = server_->Get("/in-context?q=oil&order=sideways");
  EXPECT_EQ(ostatus, 400);
  EXPECT_NE(bad_order.find("order must be found, after or before, got "
                           "&quot;sideways&quot;"),
            std::string::npos);
  auto [sstatus, bad_start] = server_->Get("/in-context?q=oil&start=-1");
  EXPECT_EQ(sstatus, 400);
  EXPECT_NE(bad_start.find("start must be between 0 and 20000, got -1"),
            std::string::npos);
}

TEST_F(ResearchTest, CommandLineExportAndAttention) {
  testing::CommandResult out = testing::RunCommand(
      {testing::PunditBinary(), "export", "--db", dir_->Sub("db"), "--region",
       "south", "--format", "jsonl", "oil"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  json search = server_->GetJson("/api/search?q=oil&region=south&per_page=1");
  size_t lines = 0;
  for (char c : out.out) lines += c == '\n';
  EXPECT_EQ(lines, search["total"].get<size_t>());

  testing::CommandResult table = testing::RunCommand(
      {testing::PunditBinary(), "attention", "--db", dir_->Sub("db"),
       "--region", "north", "--interval", "month", "oil", "wheat"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(table.out.starts_with("period")) << table.out;
  EXPECT_NE(table.out.find("2019-01"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("total"), std::string::npos) << table.out;
}

TEST_F(ResearchTest, ComparePageDrawsSvgWithoutScript) {
  auto [status, html] =
      server_->Get("/compare?q=oil&q=wheat&region=north&interval=week");
  ASSERT_EQ(status, 200) << html;
  const size_t main = html.find("<main");
  const size_t end = html.find("</main>");
  ASSERT_NE(main, std::string::npos);
  const std::string body = html.substr(main, end - main);
  EXPECT_NE(body.find("<svg"), std::string::npos);
  EXPECT_NE(body.find("<polyline"), std::string::npos);
  EXPECT_EQ(body.find("<script"), std::string::npos);
  EXPECT_NE(body.find("2019-W01"), std::string::npos);
  EXPECT_NE(body.find("href=\"/search?q=oil&amp;region=north\""),
            std::string::npos);
  EXPECT_NE(body.find("href=\"/in-context?q=oil&amp;region=north\""),
            std::string::npos);
  EXPECT_NE(body.find("format=csv"), std::string::npos);
  EXPECT_NE(body.find("/api/export?q=oil&amp;region=north&amp;format=csv&amp;"
                      "text=1"),
            std::string::npos);
  // Queries are escaped wherever they appear.
  auto [xstatus, xhtml] = server_->Get("/compare?q=%3Cb%3Eoil");
  EXPECT_EQ(xstatus, 200);
  EXPECT_EQ(xhtml.find("<b>oil"), std::string::npos);
  EXPECT_NE(xhtml.find("&lt;b&gt;oil"), std::string::npos);
  // The search page links to the export and to the comparison.
  auto [sstatus, search] = server_->Get("/search?q=oil&region=north");
  ASSERT_EQ(sstatus, 200);
  EXPECT_NE(search.find("/api/export?q=oil&amp;region=north&amp;format=csv"),
            std::string::npos);
  EXPECT_NE(search.find("/compare?q=oil&amp;region=north"), std::string::npos);
}

TEST_F(ResearchTest, BadParametersAre400sNamingTheFix) {
  struct Case {
    std::string path, message;
  };
  std::string eleven;
  for (int i = 0; i < 11; ++i) eleven += "q=w" + std::to_string(i) + "&";
  for (const Case& c : std::vector<Case>{
           {"/api/attention?region=north", "give 1 to 10 queries"},
           {"/api/attention?" + eleven, "got 11"},
           {"/api/attention?q=oil&interval=hour",
            "interval must be day, week, month or year"},
           {"/api/attention?q=oil&format=xml", "format must be json or csv"},
           {"/api/attention?q=oil&from=2019-13-01", "from must be a date"},
           {"/api/attention?q=oil&region=span&interval=day",
            "at most 20000 are allowed"},
           {"/api/export?q=oil&format=xml", "format must be csv or jsonl"},
           {"/api/export?q=oil&sort=best", "sort must be"},
           {"/api/export?q=oil&text=yes", "text must be 0 or 1"},
       }) {
    SCOPED_TRACE(c.path);
    auto [status, body] = server_->Get(c.path);
    EXPECT_EQ(status, 400) << body;
    json j = json::parse(body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << body;
    EXPECT_NE(j["error"]["message"].get<std::string>().find(c.message),
              std::string::npos)
        << j["error"]["message"];
  }
  // Weeks over the same 69 years are few enough.
  auto [status, body] =
      server_->Get("/api/attention?q=oil&region=span&interval=week");
  EXPECT_EQ(status, 200) << body;
}

// Over Reuters-21578, when ../shared is present.
TEST(ResearchReutersTest, ExportAndAttentionEqualTheJsonLines) {
  const std::string path =
      testing::SharedPath("corpora/reuters21578/articles.jsonl");
  if (path.empty() || !std::ifstream(path)) {
    GTEST_SKIP() << "../shared/corpora/reuters21578 is absent";
  }
  testing::TempDir dir;
  IndexerOptions options;
  options.db_dir = dir.Sub("db");
  options.inputs = {path};
  options.jobs = 2;
  Result<IndexSummary> summary = RunIndex(options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  std::set<int> skipped;
  for (const ParseError& e : summary->errors) skipped.insert(e.line);

  // Months of crude articles in the usa, and of all usa articles.
  std::map<std::string, std::pair<long, long>> expected;
  long crude = 0;
  std::ifstream in(path);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || skipped.count(number)) continue;
    json j = json::parse(line);
    auto has = [&](const char* field, const char* value) {
      for (const json& v : j[field]) {
        if (v == value) return true;
      }
      return false;
    };
    const bool is_crude = has("theme", "crude");
    crude += is_crude;
    const std::string date = j["date"];
    if (!has("region", "usa") || date.size() != 10) continue;
    auto& [count, all] = expected[date.substr(0, 7)];
    ++all;
    count += is_crude;
  }
  EXPECT_EQ(crude, 634);

  RunningServer server(options.db_dir);
  auto [status, csv] = server.Get("/api/export?theme=crude&format=csv");
  ASSERT_EQ(status, 200);
  EXPECT_EQ(ParseCsv(csv).size(), 634u + 1);

  json r =
      server.GetJson("/api/attention?q=theme:crude&region=usa&interval=month");
  const json& buckets = r["series"][0]["buckets"];
  ASSERT_FALSE(buckets.empty());
  EXPECT_EQ(buckets.front()["key"], expected.begin()->first);
  EXPECT_EQ(buckets.back()["key"], expected.rbegin()->first);
  for (const json& b : buckets) {
    auto it = expected.find(b["key"]);
    EXPECT_EQ(b["count"], it == expected.end() ? 0 : it->second.first)
        << b["key"];
    EXPECT_EQ(b["all"], it == expected.end() ? 0 : it->second.second)
        << b["key"];
  }
}

}  // namespace
}  // namespace pundit
