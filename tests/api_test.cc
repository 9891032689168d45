// Properties of `pundit serve`'s JSON API, checked over HTTP against a real
// server (Server::Create on port 0, Listen in a thread) and a real index of
// tests/testdata, corpus/ and a few articles written by the test:
//  - /api/search answers in the documented shape; the sample article is found
//    by q=compromise with `compromises` marked in a snippet, and selected by
//    its author and theme filters but not by region=Asia;
//  - text of an article that looks like HTML (<script>) is escaped in
//    snippets, titles and article html fields;
//  - facet counts of filter-only queries agree with the totals of the
//    narrower queries, and a facet's own filter does not change its counts
//    (disjunctive facets);
//  - every bad parameter is a 400 with a JSON error naming it; unknown ids
//    and routes are JSON 404s; other methods than GET are JSON 405s; a
//    request line over 8 KB is refused;
//  - every response carries the security headers; CORS headers appear only
//    when cors_origin is set; API responses are JSON and not cached;
//  - /api/articles/{id} serves ids holding '/' and ':' (raw or %-encoded),
//    marks matches with ?q=, and /related never lists the article itself
//    nor an exact duplicate of it or of another related article; the
//    sample's first related article is corpus/globe/caracas-after-the-
//    stalemate.md, the other piece on Venezuela's standoff;
//  - a phrase is marked as one unit (q="painful compromises"), and a
//    diacritic-folded match in its original spelling (q=guaido marks
//    Guaidó); a query with a syntax error says so in query.notice;
//  - /api/facets/{name}?prefix= finds facet values; /api/stats and /healthz
//    report the index; the access log has one line per request;
//  - a `--full` reindex while a client keeps searching fails no request;
//  - over the Reuters-21578 corpus (when ../shared is present), facet counts
//    and totals of filter-only queries equal counts computed independently
//    from the JSON Lines file, including the disjunctive rule.

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <fstream>
#include <map>
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

constexpr char kSampleTitle[] =
    "Russia Might be Planning an Astana-Like Conference for Venezuela";

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string Enc(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// "/api/search?" + encoded name=value pairs.
std::string Query(
    const std::string& path,
    const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out = path;
  char sep = '?';
  for (const auto& [name, value] : params) {
    out += sep + Enc(name) + "=" + Enc(value);
    sep = '&';
  }
  return out;
}

// A server on an ephemeral port, listening in its own thread until the
// destructor stops and joins it.
class RunningServer {
 public:
  explicit RunningServer(ServerOptions options) {
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
  int port() const { return port_; }
  bool ok() const { return port_ > 0; }

  std::unique_ptr<httplib::Client> Client() const {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client->set_read_timeout(60, 0);
    return client;
  }

 private:
  std::unique_ptr<Server> server_;
  int port_ = -1;
  std::thread thread_;
  Status listen_status_;
};

struct Reply {
  int status = 0;
  json body;
  httplib::Headers headers;
  std::string raw;
};

Reply Fetch(const RunningServer& server, const std::string& path,
            const std::string& method = "GET") {
  auto client = server.Client();
  httplib::Result res =
      method == "GET"      ? client->Get(path.c_str())
      : method == "HEAD"   ? client->Head(path.c_str())
      : method == "POST"   ? client->Post(path.c_str(), "x=1",
                                          "application/x-www-form-urlencoded")
      : method == "PUT"    ? client->Put(path.c_str(), "x", "text/plain")
      : method == "DELETE" ? client->Delete(path.c_str())
      : method == "PATCH"  ? client->Patch(path.c_str(), "x", "text/plain")
                           : client->Options(path.c_str());
  Reply reply;
  if (!res) {
    ADD_FAILURE() << method << " " << path << ": "
                  << httplib::to_string(res.error());
    return reply;
  }
  reply.status = res->status;
  reply.headers = res->headers;
  reply.raw = res->body;
  if (res->get_header_value("Content-Type").starts_with("application/json")) {
    reply.body = json::parse(res->body, nullptr, /*allow_exceptions=*/false);
  }
  return reply;
}

std::string Lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Articles written by the test into its input folder: one whose text looks
// like HTML, ids with '/' and ':', and Asia-region articles about Astana.
void WriteTestArticles(const std::string& input_dir) {
  json script = {
      {"id", "feeds/api-test:3"},
      {"title", "Tags <script> in titles"},
      {"author", {"Jane Doe"}},
      {"date", "2020-03-04"},
      {"region", {"Asia"}},
      {"theme", {"Trade"}},
      {"source", "Test Wire"},
      {"url", "https://example.org/script"},
      {"body",
       "A snippet must show <script>alert(1)</script> as text, never run "
       "it.\n\nThe Astana talks on trade went on."},
  };
  json asia = {
      {"id", "4"},
      {"title", "Steppe trade corridors"},
      {"author", {"John Roe"}},
      {"date", "2021-06-01"},
      {"region", {"Asia", "Europe"}},
      {"theme", {"Trade", "Economy"}},
      {"source", "Test Wire"},
      {"url", ""},
      {"body", "Caravans crossed Astana and the steppe with grain."},
  };
  testing::WriteFile(input_dir + "/feeds/api-test.jsonl",
                     script.dump() + "\n" + asia.dump() + "\n");
}

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    input_ = dir_.Sub("input");
    db_ = dir_.Sub("db");
    WriteTestArticles(input_);
    ASSERT_TRUE(Index(false));
    ServerOptions options;
    options.db_dir = db_;
    options.access_log = false;
    server_ = std::make_unique<RunningServer>(options);
    ASSERT_TRUE(server_->ok());
  }
  void TearDown() override { server_.reset(); }

  bool Index(bool full) {
    IndexerOptions options;
    options.db_dir = db_;
    options.inputs = {testing::TestData(""), testing::CorpusPath(""), input_};
    options.full = full;
    options.jobs = 2;
    Result<IndexSummary> summary = RunIndex(options);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return summary.ok();
  }

  Reply Get(const std::string& path) { return Fetch(*server_, path); }

  json Search(const std::vector<std::pair<std::string, std::string>>& params) {
    Reply r = Get(Query("/api/search", params));
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body;
  }

  // The id of the sample article (corpus/russia-astana-venezuela.md).
  std::string SampleId() {
    json body = Search({{"q", "title:venezuela"}, {"per_page", "100"}});
    for (const json& hit : body["hits"]) {
      if (hit["title"] == kSampleTitle) return hit["id"];
    }
    ADD_FAILURE() << "the sample article is not in the index: " << body.dump();
    return "";
  }

  static bool HasId(const json& hits, const std::string& id) {
    for (const json& hit : hits) {
      if (hit["id"] == id) return true;
    }
    return false;
  }

  testing::TempDir dir_;
  std::string input_, db_;
  std::unique_ptr<RunningServer> server_;
};

TEST_F(ApiTest, SearchAnswersInTheDocumentedShape) {
  Reply r = Get("/api/search?q=compromise");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.headers.find("Content-Type")->second,
            "application/json; charset=utf-8");
  const json& b = r.body;
  ASSERT_TRUE(b.is_object()) << r.raw;
  EXPECT_EQ(b["query"]["q"], "compromise");
  EXPECT_TRUE(b["query"]["interpreted"].is_string());
  EXPECT_TRUE(b["query"].contains("corrected"));
  EXPECT_TRUE(b["query"].contains("notice"));
  EXPECT_TRUE(b["total"].is_number_integer());
  EXPECT_GE(b["total"].get<int>(), 1);
  EXPECT_EQ(b["page"], 1);
  EXPECT_EQ(b["per_page"], 10);
  EXPECT_TRUE(b["took_ms"].is_number());
  ASSERT_TRUE(b["hits"].is_array());
  ASSERT_FALSE(b["hits"].empty());
  for (const json& hit : b["hits"]) {
    for (const char* key : {"id", "title", "title_html"}) {
      EXPECT_TRUE(hit[key].is_string()) << key << " in " << hit.dump();
    }
    for (const char* key : {"authors", "regions", "themes", "snippets"}) {
      EXPECT_TRUE(hit[key].is_array()) << key << " in " << hit.dump();
    }
    for (const char* key : {"date", "source", "url"}) {
      EXPECT_TRUE(hit[key].is_string() || hit[key].is_null())
          << key << " in " << hit.dump();
      if (hit[key].is_string()) {
        EXPECT_NE(hit[key], "") << key;
      }
    }
    EXPECT_TRUE(hit["score"].is_number());
  }
  for (const char* facet : {"author", "region", "theme", "source", "year"}) {
    ASSERT_TRUE(b["facets"][facet].is_array()) << facet;
    for (const json& v : b["facets"][facet]) {
      EXPECT_TRUE(v["value"].is_string());
      EXPECT_GE(v["count"].get<long>(), 1);
      EXPECT_TRUE(v["selected"].is_boolean());
    }
  }
  EXPECT_TRUE(b["timeline"]["unit"] == "month" ||
              b["timeline"]["unit"] == "year")
      << b["timeline"].dump();
  // Every month from the first to the last dated hit, zeros included.
  const json& buckets = b["timeline"]["buckets"];
  ASSERT_FALSE(buckets.empty());
  long dated = 0;
  std::string previous;
  for (const json& bucket : buckets) {
    EXPECT_GT(bucket["key"].get<std::string>(), previous);
    previous = bucket["key"];
    EXPECT_GE(bucket["count"].get<long>(), 0);
    dated += bucket["count"].get<long>();
  }
  EXPECT_GE(buckets.front()["count"].get<long>(), 1);
  EXPECT_GE(buckets.back()["count"].get<long>(), 1);
  EXPECT_LE(dated, b["total"].get<long>());
}

TEST_F(ApiTest, SampleArticleIsFoundWithCompromisesMarked) {
  const std::string sample = SampleId();
  json b = Search({{"q", "compromise"}, {"per_page", "100"}});
  bool found = false;
  for (const json& hit : b["hits"]) {
    if (hit["id"] != sample) continue;
    found = true;
    std::string snippets = Lower(hit["snippets"].dump());
    EXPECT_NE(snippets.find("<mark>compromises</mark>"), std::string::npos)
        << hit["snippets"].dump();
    EXPECT_EQ(hit["authors"], json({"Andrew Korybko"}));
    EXPECT_EQ(hit["date"], "2019-01-31");
    EXPECT_EQ(hit["themes"], json({"Intelligence"}));
  }
  EXPECT_TRUE(found) << b.dump();
}

TEST_F(ApiTest, APhraseIsMarkedAsOneUnitInTheSample) {
  const std::string sample = SampleId();
  json b = Search({{"q", "\"painful compromises\""}, {"per_page", "100"}});
  bool found = false;
  for (const json& hit : b["hits"]) {
    if (hit["id"] != sample) continue;
    found = true;
    int units = 0;
    for (const json& snippet : hit["snippets"]) {
      const std::string text = snippet;
      for (size_t at = text.find("<mark>painful compromises</mark>");
           at != std::string::npos;
           at = text.find("<mark>painful compromises</mark>", at + 1)) {
        ++units;
      }
      EXPECT_EQ(text.find("<mark>painful</mark>"), std::string::npos) << text;
    }
    EXPECT_EQ(units, 1) << hit["snippets"].dump();
  }
  EXPECT_TRUE(found) << b.dump();
}

TEST_F(ApiTest, AFoldedMatchIsMarkedInItsOriginalSpelling) {
  // corpus/globe/caracas-after-the-stalemate.md writes "Guaidó"; the
  // sample writes "Guaido".
  json b = Search({{"q", "guaido"}, {"per_page", "100"}});
  bool found = false;
  for (const json& hit : b["hits"]) {
    if (hit["id"] != "globe/caracas-after-the-stalemate") continue;
    found = true;
    EXPECT_NE(hit["snippets"]
                  .dump(/*indent=*/-1, ' ', /*ensure_ascii=*/false)
                  .find("<mark>Guaidó</mark>"),
              std::string::npos)
        << hit["snippets"].dump();
  }
  EXPECT_TRUE(found) << b.dump();
}

TEST_F(ApiTest, AuthorAndThemeFiltersSelectTheSampleButAsiaDoesNot) {
  const std::string sample = SampleId();
  json by_author = Search({{"author", "Andrew Korybko"}});
  EXPECT_TRUE(HasId(by_author["hits"], sample)) << by_author.dump();
  bool selected = false;
  for (const json& v : by_author["facets"]["author"]) {
    if (v["value"] == "Andrew Korybko") selected = v["selected"];
  }
  EXPECT_TRUE(selected) << by_author["facets"].dump();

  json by_theme = Search({{"theme", "Intelligence"}, {"q", "astana"}});
  EXPECT_TRUE(HasId(by_theme["hits"], sample)) << by_theme.dump();
  // The theme alone, without words.
  json theme_only = Search({{"theme", "Intelligence"}, {"per_page", "100"}});
  EXPECT_TRUE(HasId(theme_only["hits"], sample)) << theme_only.dump();
  for (const json& hit : theme_only["hits"]) {
    EXPECT_NE(
        std::find(hit["themes"].begin(), hit["themes"].end(), "Intelligence"),
        hit["themes"].end())
        << hit.dump();
  }

  json asia = Search({{"q", "astana"}, {"region", "Asia"}});
  EXPECT_FALSE(HasId(asia["hits"], sample)) << asia.dump();
  EXPECT_TRUE(HasId(asia["hits"], "feeds/api-test:3")) << asia.dump();
  for (const json& hit : asia["hits"]) {
    EXPECT_NE(std::find(hit["regions"].begin(), hit["regions"].end(), "Asia"),
              hit["regions"].end())
        << hit.dump();
  }
}

TEST_F(ApiTest, HtmlInArticleTextIsEscapedInSnippetsAndArticles) {
  json b = Search({{"q", "alert"}});
  ASSERT_TRUE(HasId(b["hits"], "feeds/api-test:3")) << b.dump();
  for (const json& hit : b["hits"]) {
    if (hit["id"] != "feeds/api-test:3") continue;
    std::string snippets = hit["snippets"].dump();
    EXPECT_NE(snippets.find("&lt;script&gt;"), std::string::npos) << snippets;
    EXPECT_EQ(snippets.find("<script"), std::string::npos) << snippets;
    EXPECT_NE(snippets.find("<mark>alert</mark>"), std::string::npos)
        << snippets;
    EXPECT_EQ(hit["title"], "Tags <script> in titles");
    EXPECT_EQ(hit["title_html"].get<std::string>().find("<script"),
              std::string::npos);
  }
  Reply article = Get("/api/articles/feeds/api-test:3?q=alert");
  ASSERT_EQ(article.status, 200) << article.raw;
  std::string html;
  for (const json& block : article.body["body"]) html += block["html"];
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos) << html;
  EXPECT_NE(html.find("<mark>alert</mark>"), std::string::npos) << html;
  EXPECT_EQ(article.body["title_html"].get<std::string>().find("<script"),
            std::string::npos);
}

// value -> count of one facet in a response.
std::map<std::string, long> Counts(const json& body, const std::string& facet) {
  std::map<std::string, long> counts;
  for (const json& v : body["facets"][facet]) counts[v["value"]] = v["count"];
  return counts;
}

TEST_F(ApiTest, FilterOnlyFacetCountsAgreeWithNarrowerQueries) {
  json all = Search({{"facet_limit", "1000"}});
  json asia = Search({{"region", "Asia"}, {"facet_limit", "1000"}});
  EXPECT_EQ(asia["total"], Counts(all, "region")["Asia"]);
  EXPECT_GE(asia["total"].get<long>(), 2);
  // Disjunctive: the region counts ignore the region filter itself.
  EXPECT_EQ(Counts(asia, "region"), Counts(all, "region"));
  for (const json& v : asia["facets"]["region"]) {
    EXPECT_EQ(v["selected"], v["value"] == "Asia") << v.dump();
  }
  // Every other facet counts within region=Asia.
  for (const std::string facet : {"theme", "author", "year"}) {
    for (const auto& [value, count] : Counts(asia, facet)) {
      json narrower = Search({{"region", "Asia"}, {facet, value}});
      EXPECT_EQ(narrower["total"], count) << facet << "=" << value;
    }
  }
  // Two values of one facet are ORed.
  json either = Search({{"region", "Asia"}, {"region", "Europe"}});
  json europe = Search({{"region", "Europe"}});
  json both = Search({{"region", "Asia"}, {"theme", "Trade"}});
  EXPECT_GE(either["total"].get<long>(),
            std::max(asia["total"].get<long>(), europe["total"].get<long>()));
  EXPECT_LE(either["total"].get<long>(),
            asia["total"].get<long>() + europe["total"].get<long>());
  EXPECT_EQ(both["total"], Counts(asia, "theme")["Trade"]);
}

TEST_F(ApiTest, BadParametersAre400WithAJsonErrorNamingThem) {
  struct Case {
    std::string query;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"sort=best", "sort must be relevance, newest or oldest, got \"best\""},
      {"page=0", "page must be between 1 and 100000, got 0"},
      {"page=two", "page must be a whole number, got \"two\""},
      {"per_page=1000", "per_page must be between 1 and 100, got 1000"},
      {"from=2019-02-30",
       "from must be a date as YYYY-MM-DD, got \"2019-02-30\""},
      {"to=yesterday", "to must be a date as YYYY-MM-DD, got \"yesterday\""},
      {"from=2020-01-01&to=2019-01-01",
       "from (2020-01-01) is after to (2019-01-01); swap them"},
      {"op=nand", "op must be and or or, got \"nand\""},
      {"facet_limit=5000", "facet_limit must be between 0 and 1000, got 5000"},
      {"year=87", "year must be a year of 4 digits such as 2019, got \"87\""},
      {"q=" +
           [] {
             std::string words;
             for (int i = 0; i < 1001; ++i) words += "w+";
             return words;
           }(),
       "q has 1001 words; a query may have at most 1000: keep the words "
       "that matter"},
      {"q=%FF",
       "q is not valid UTF-8; percent-encode the UTF-8 bytes of the "
       "text"},
  };
  for (const Case& c : cases) {
    Reply r = Get("/api/search?" + c.query);
    EXPECT_EQ(r.status, 400) << c.query.substr(0, 40);
    EXPECT_EQ(r.body["error"]["code"], "invalid_argument") << r.raw;
    EXPECT_EQ(r.body["error"]["message"], c.message) << r.raw;
  }
  Reply bad_limit = Get("/api/facets/author?limit=0");
  EXPECT_EQ(bad_limit.status, 400);
  EXPECT_EQ(bad_limit.body["error"]["message"],
            "limit must be between 1 and 1000, got 0");
  Reply bad_related = Get("/api/articles/feeds/api-test:3/related?limit=99");
  EXPECT_EQ(bad_related.status, 400);
  EXPECT_EQ(bad_related.body["error"]["message"],
            "limit must be between 1 and 50, got 99");
}

TEST_F(ApiTest, AQueryWithASyntaxErrorIsNotAnError) {
  for (const std::string q : {"\"unclosed", "(astana", "AND", "title:", "*"}) {
    Reply r = Get(Query("/api/search", {{"q", q}}));
    EXPECT_EQ(r.status, 200) << q << ": " << r.raw;
    EXPECT_TRUE(r.body["hits"].is_array()) << q;
    // The response says how the query was read instead.
    const json& notice = r.body["query"]["notice"];
    ASSERT_TRUE(notice.is_string()) << q << ": " << r.raw;
    EXPECT_FALSE(notice.get<std::string>().empty()) << q;
  }
}

TEST_F(ApiTest, UnknownIdsAndRoutesAreJson404s) {
  struct Case {
    std::string path;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"/api/articles/no/such:id", "not_found"},
      {"/api/articles/no-such-id/related", "not_found"},
      {"/api/nothing-here", "not_found"},
      {"/api/", "not_found"},
      {"/api/facets/colour", "not_found"},
      {"/api/search/extra", "not_found"},
  };
  for (const Case& c : cases) {
    Reply r = Get(c.path);
    EXPECT_EQ(r.status, 404) << c.path;
    EXPECT_EQ(r.body["error"]["code"], c.code) << c.path << ": " << r.raw;
    EXPECT_TRUE(r.body["error"]["message"].is_string()) << c.path;
  }
  // A path near the request-line limit is an ordinary 404.
  Reply long_id = Get("/api/articles/" + std::string(8000, 'a'));
  EXPECT_EQ(long_id.status, 404);
  EXPECT_EQ(long_id.body["error"]["code"], "not_found");
  Reply facet = Get("/api/facets/colour");
  EXPECT_EQ(facet.body["error"]["message"],
            "unknown facet \"colour\"; facets are author, region, theme, "
            "source, year");
}

TEST_F(ApiTest, OtherMethodsThanGetAreJson405s) {
  for (const std::string method :
       {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    for (const std::string path : {"/api/search", "/api/stats", "/healthz"}) {
      Reply r = Fetch(*server_, path, method);
      EXPECT_EQ(r.status, 405) << method << " " << path;
      EXPECT_EQ(r.body["error"]["code"], "method_not_allowed") << r.raw;
      EXPECT_EQ(r.headers.find("Allow")->second, "GET, HEAD");
    }
  }
  Reply head = Fetch(*server_, "/api/stats", "HEAD");
  EXPECT_EQ(head.status, 200);
}

TEST_F(ApiTest, AnOverlongRequestLineIsRefused) {
  Reply r = Get("/api/search?q=" + std::string(9000, 'a'));
  EXPECT_EQ(r.status, 414);
}

TEST_F(ApiTest, EveryResponseCarriesTheSecurityHeadersAndNoCors) {
  const std::vector<std::string> paths = {"/api/search?q=astana",
                                          "/api/search?page=0",
                                          "/api/nothing",
                                          "/api/stats",
                                          "/healthz",
                                          "/no-such-page",
                                          "/api/articles/feeds/api-test:3"};
  for (const std::string& path : paths) {
    Reply r = Get(path);
    ASSERT_NE(r.status, 0) << path;
    auto header = [&](const char* name) {
      auto it = r.headers.find(name);
      return it == r.headers.end() ? std::string("<absent>") : it->second;
    };
    EXPECT_EQ(header("Content-Security-Policy"),
              "default-src 'self'; img-src 'self' data:; style-src 'self'; "
              "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
              "form-action 'self'")
        << path;
    EXPECT_EQ(header("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(header("Referrer-Policy"), "no-referrer") << path;
    EXPECT_EQ(header("X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(header("Access-Control-Allow-Origin"), "<absent>") << path;
    if (path.starts_with("/api/") || path == "/healthz") {
      EXPECT_EQ(header("Cache-Control"), "no-store") << path;
      EXPECT_EQ(header("Content-Type"), "application/json; charset=utf-8")
          << path;
    }
  }
}

TEST_F(ApiTest, CorsHeadersOnlyWhenAnOriginIsConfigured) {
  ServerOptions options;
  options.db_dir = db_;
  options.access_log = false;
  options.cors_origin = "https://example.org";
  RunningServer cors(options);
  ASSERT_TRUE(cors.ok());
  Reply r = Fetch(cors, "/api/stats");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.find("Access-Control-Allow-Origin")->second,
            "https://example.org");
  Reply preflight = Fetch(cors, "/api/search", "OPTIONS");
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.headers.find("Access-Control-Allow-Methods")->second,
            "GET, HEAD, OPTIONS");
}

TEST_F(ApiTest, ArticlesWithSlashAndColonInTheirIdAreServed) {
  for (const std::string path : {"/api/articles/feeds/api-test:3",
                                 "/api/articles/feeds%2Fapi-test%3A3"}) {
    Reply r = Get(path);
    ASSERT_EQ(r.status, 200) << path << ": " << r.raw;
    const json& a = r.body;
    EXPECT_EQ(a["id"], "feeds/api-test:3");
    EXPECT_EQ(a["title"], "Tags <script> in titles");
    EXPECT_EQ(a["authors"], json({"Jane Doe"}));
    EXPECT_EQ(a["date"], "2020-03-04");
    EXPECT_EQ(a["regions"], json({"Asia"}));
    EXPECT_EQ(a["themes"], json({"Trade"}));
    EXPECT_EQ(a["source"], "Test Wire");
    EXPECT_EQ(a["url"], "https://example.org/script");
    ASSERT_EQ(a["body"].size(), 2u) << a.dump();
    EXPECT_EQ(a["body"][0]["type"], "paragraph");
    EXPECT_TRUE(a["body"][0]["text"].is_string());
    EXPECT_TRUE(a["body"][0]["html"].is_string());
  }
  // The sample, with its sub-heads and matches marked.
  const std::string sample = SampleId();
  Reply r = Get("/api/articles/" + sample + "?q=compromise");
  ASSERT_EQ(r.status, 200) << r.raw;
  bool heading = false, marked = false;
  for (const json& block : r.body["body"]) {
    heading |=
        block["type"] == "heading" && block["text"] == "Follow The Money";
    marked |=
        block["html"].get<std::string>().find("<mark>") != std::string::npos;
  }
  EXPECT_TRUE(heading) << r.raw.substr(0, 2000);
  EXPECT_TRUE(marked || r.body["lede_html"].get<std::string>().find("<mark>") !=
                            std::string::npos);
  EXPECT_TRUE(r.body["bio"].is_string());
  // Without q, nothing is marked.
  Reply plain = Get("/api/articles/" + sample);
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.raw.find("<mark>"), std::string::npos);
}

TEST_F(ApiTest, RelatedArticlesNeverIncludeTheArticleItself) {
  json all = Search({{"per_page", "100"}});
  ASSERT_FALSE(all["hits"].empty());
  for (const json& hit : all["hits"]) {
    const std::string id = hit["id"];
    Reply r = Get("/api/articles/" + id + "/related");
    ASSERT_EQ(r.status, 200) << id << ": " << r.raw;
    ASSERT_TRUE(r.body["hits"].is_array()) << r.raw;
    EXPECT_LE(r.body["hits"].size(), 5u);
    EXPECT_FALSE(HasId(r.body["hits"], id)) << id << ": " << r.raw;
    for (const json& related : r.body["hits"]) {
      EXPECT_TRUE(related["title"].is_string());
      EXPECT_TRUE(related["snippets"].is_array());
    }
  }
}

TEST_F(ApiTest, TheSampleIsRelatedFirstToTheOtherVenezuelaPiece) {
  const std::string sample = SampleId();
  Reply r = Get("/api/articles/" + sample + "/related");
  ASSERT_EQ(r.status, 200) << r.raw;
  const json& hits = r.body["hits"];
  ASSERT_FALSE(hits.empty()) << r.raw;
  EXPECT_LE(hits.size(), 5u);
  // Both are about Venezuela's standoff, Guaidó and "painful compromises";
  // expanding on words of the sample alone ranked it 5th to 8th.
  EXPECT_EQ(hits[0]["id"], "globe/caracas-after-the-stalemate") << r.raw;
}

TEST_F(ApiTest, RelatedArticlesNeverIncludeAnExactDuplicate) {
  // Byte-identical copies under other names (so other ids): the sample's
  // copy duplicates the article itself, Caracas's copy a related article.
  const std::string copies = input_ + "/copies";
  testing::WriteFile(
      copies + "/sample-copy.md",
      testing::ReadFile(testing::CorpusPath("russia-astana-venezuela.md")));
  testing::WriteFile(copies + "/caracas-copy.md",
                     testing::ReadFile(testing::CorpusPath(
                         "globe/caracas-after-the-stalemate.md")));
  ASSERT_TRUE(Index(false));
  const std::string sample = SampleId();
  for (const std::string& id : {sample, std::string("copies/sample-copy")}) {
    Reply r = Get("/api/articles/" + id + "/related");
    ASSERT_EQ(r.status, 200) << id << ": " << r.raw;
    int caracas = 0;
    for (const json& hit : r.body["hits"]) {
      EXPECT_NE(hit["title"], kSampleTitle) << id << ": " << r.raw;
      if (hit["id"] == "globe/caracas-after-the-stalemate" ||
          hit["id"] == "copies/caracas-copy") {
        ++caracas;
      }
    }
    EXPECT_EQ(caracas, 1) << id << ": " << r.raw;
  }
  // No article is related to a copy of itself, nor twice to one text.
  json all = Search({{"per_page", "100"}});
  for (const json& hit : all["hits"]) {
    const std::string id = hit["id"];
    Reply r = Get("/api/articles/" + id + "/related");
    ASSERT_EQ(r.status, 200) << id << ": " << r.raw;
    std::set<std::string> titles = {hit["title"]};
    for (const json& related : r.body["hits"]) {
      EXPECT_TRUE(titles.insert(related["title"]).second)
          << id << ": " << related["title"] << " twice: " << r.raw;
    }
  }
}

TEST_F(ApiTest, FacetValuesAreFoundByPrefix) {
  Reply r = Get("/api/facets/author?prefix=kor");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["facet"], "author");
  EXPECT_EQ(r.body["prefix"], "kor");
  bool found = false;
  for (const json& v : r.body["values"]) {
    found |= v["value"] == "Andrew Korybko";
    EXPECT_GE(v["count"].get<long>(), 1);
  }
  EXPECT_TRUE(found) << r.raw;
  Reply regions = Get("/api/facets/region?limit=1");
  ASSERT_EQ(regions.status, 200);
  EXPECT_EQ(regions.body["values"].size(), 1u);
  Reply none = Get("/api/facets/theme?prefix=zzzzzz");
  ASSERT_EQ(none.status, 200);
  EXPECT_TRUE(none.body["values"].empty());
}

TEST_F(ApiTest, StatsAndHealthReportTheIndex) {
  json all = Search({});
  Reply stats = Get("/api/stats");
  ASSERT_EQ(stats.status, 200) << stats.raw;
  EXPECT_EQ(stats.body["articles"], all["total"]);
  EXPECT_GE(stats.body["articles"].get<long>(), 4);
  EXPECT_TRUE(stats.body["date_range"]["first"].is_string());
  EXPECT_LE(stats.body["date_range"]["first"].get<std::string>(), "2019-01-31");
  EXPECT_GE(stats.body["date_range"]["last"].get<std::string>(), "2021-06-01");
  EXPECT_GE(stats.body["facet_cardinality"]["author"].get<long>(), 3);
  EXPECT_GT(stats.body["index_bytes"].get<long>(), 0);
  Reply health = Get("/healthz");
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(health.body, json({{"status", "ok"}, {"articles", all["total"]}}));
}

TEST_F(ApiTest, AccessLogHasOneLinePerRequest) {
  ServerOptions options;
  options.db_dir = db_;
  options.access_log = true;
  ::testing::internal::CaptureStderr();
  {
    RunningServer logged(options);
    ASSERT_TRUE(logged.ok());
    EXPECT_EQ(Fetch(logged, "/api/search?q=astana").status, 200);
    EXPECT_EQ(Fetch(logged, "/api/search?page=0").status, 400);
  }
  std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find("127.0.0.1 GET /api/search?q=astana 200 "),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("127.0.0.1 GET /api/search?page=0 400 "),
            std::string::npos)
      << log;
  EXPECT_NE(log.find(" ms\n"), std::string::npos) << log;
}

TEST_F(ApiTest, CreateRefusesAFolderWithoutAnIndex) {
  ServerOptions options;
  options.db_dir = dir_.Sub("no-index-here");
  Result<std::unique_ptr<Server>> server = Server::Create(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), Status::Code::kNotFound);
  EXPECT_NE(server.status().message().find("pundit index"), std::string::npos)
      << server.status().message();
  options.db_dir = db_;
  options.port = 70000;
  EXPECT_EQ(Server::Create(options).status().code(),
            Status::Code::kInvalidArgument);
}

TEST_F(ApiTest, AFullReindexWhileServingFailsNoRequest) {
  const std::string sample = SampleId();
  std::atomic<bool> done{false};
  std::atomic<int> requests{0};
  std::vector<std::string> failures;
  std::thread client_thread([&] {
    auto client = server_->Client();
    while (!done || requests < 20) {
      httplib::Result res = client->Get("/api/search?q=compromise&per_page=50");
      ++requests;
      if (!res) {
        failures.push_back(httplib::to_string(res.error()));
        continue;
      }
      if (res->status != 200) {
        failures.push_back(std::to_string(res->status) + " " + res->body);
        continue;
      }
      json body = json::parse(res->body, nullptr, false);
      if (!HasId(body["hits"], sample))
        failures.push_back("no sample: " + res->body);
    }
  });
  EXPECT_TRUE(Index(true));
  testing::WriteFile(input_ + "/feeds/more.jsonl",
                     json({{"id", "1"},
                           {"title", "A compromise on wheat"},
                           {"author", {"Jane Doe"}},
                           {"date", "2022-01-01"},
                           {"body", "A compromise was reached."}})
                             .dump() +
                         "\n");
  EXPECT_TRUE(Index(true));
  EXPECT_TRUE(Index(false));
  done = true;
  client_thread.join();
  EXPECT_GE(requests.load(), 20);
  EXPECT_TRUE(failures.empty())
      << failures.size()
      << " failures, first: " << (failures.empty() ? "" : failures[0]);
  // The new article is visible without a restart.
  json after = Search({{"q", "wheat"}});
  EXPECT_TRUE(HasId(after["hits"], "1")) << after.dump();
}

// ---------------------------------------------------------------------------
// Reuters-21578: facet counts against an independent count of the JSONL file.

struct ReutersArticle {
  std::map<std::string, std::set<std::string>> facets;  // facet -> values
  std::string date;
};

class ReutersFacetTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string path =
        testing::SharedPath("corpora/reuters21578/articles.jsonl");
    if (path.empty() || !std::ifstream(path)) return;
    dir_ = new testing::TempDir();
    IndexerOptions options;
    options.db_dir = dir_->Sub("db");
    options.inputs = {path};
    options.jobs = 2;
    Result<IndexSummary> summary = RunIndex(options);
    if (!summary.ok()) {
      setup_error_ = summary.status().ToString();
      return;
    }
    std::set<int> skipped_lines;
    for (const ParseError& e : summary->errors) skipped_lines.insert(e.line);

    articles_ = new std::vector<ReutersArticle>();
    std::ifstream in(path);
    std::string line;
    int line_number = 0;
    while (std::getline(in, line)) {
      ++line_number;
      if (line.empty() || skipped_lines.count(line_number)) continue;
      json j = json::parse(line);
      ReutersArticle a;
      auto add = [&](const char* facet, const json& values) {
        std::set<std::string>& set = a.facets[facet];
        if (values.is_string()) {
          if (!values.get<std::string>().empty())
            set.insert(values.get<std::string>());
          return;
        }
        for (const json& v : values) {
          if (!v.get<std::string>().empty()) set.insert(v.get<std::string>());
        }
      };
      add("author", j["author"]);
      add("region", j["region"]);
      add("theme", j["theme"]);
      add("source", j["source"]);
      a.date = j["date"];
      if (a.date.size() >= 4) a.facets["year"].insert(a.date.substr(0, 4));
      articles_->push_back(std::move(a));
    }
    ServerOptions server_options;
    server_options.db_dir = options.db_dir;
    server_options.access_log = false;
    server_ = new RunningServer(server_options);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete articles_;
    delete dir_;
    server_ = nullptr;
    articles_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (dir_ == nullptr) {
      GTEST_SKIP() << "../shared/corpora/reuters21578/articles.jsonl is absent";
    }
    ASSERT_EQ(setup_error_, "");
    ASSERT_TRUE(server_ != nullptr && server_->ok());
  }

  using Filters = std::map<std::string, std::set<std::string>>;

  static bool Matches(const ReutersArticle& a, const Filters& filters,
                      const std::string& except_facet) {
    for (const auto& [facet, values] : filters) {
      if (facet == except_facet) continue;
      auto it = a.facets.find(facet);
      bool any = false;
      if (it != a.facets.end()) {
        for (const std::string& v : values) any |= it->second.count(v) > 0;
      }
      if (!any) return false;
    }
    return true;
  }

  // Checks total and every facet's counts of the filter-only query
  // `filters` against the JSONL file.
  static void CheckQuery(const Filters& filters) {
    std::vector<std::pair<std::string, std::string>> params = {
        {"facet_limit", "1000"}, {"per_page", "1"}};
    std::string label;
    for (const auto& [facet, values] : filters) {
      for (const std::string& v : values) {
        params.emplace_back(facet, v);
        label += facet + "=" + v + " ";
      }
    }
    Reply r = Fetch(*server_, Query("/api/search", params));
    ASSERT_EQ(r.status, 200) << r.raw;

    long total = 0;
    for (const ReutersArticle& a : *articles_) total += Matches(a, filters, "");
    EXPECT_EQ(r.body["total"].get<long>(), total) << label;

    for (const char* facet : {"author", "region", "theme", "source", "year"}) {
      // Disjunctive: a facet's counts ignore that facet's own filter.
      std::map<std::string, long> expected;
      for (const ReutersArticle& a : *articles_) {
        if (!Matches(a, filters, facet)) continue;
        auto it = a.facets.find(facet);
        if (it == a.facets.end()) continue;
        for (const std::string& v : it->second) ++expected[v];
      }
      std::map<std::string, long> actual;
      for (const json& v : r.body["facets"][facet]) {
        actual[v["value"]] = v["count"];
        bool selected = filters.count(facet) &&
                        filters.at(facet).count(v["value"].get<std::string>());
        EXPECT_EQ(v["selected"].get<bool>(), selected) << label << v.dump();
      }
      EXPECT_EQ(actual, expected) << label << "facet " << facet;
    }
  }

  static testing::TempDir* dir_;
  static std::vector<ReutersArticle>* articles_;
  static RunningServer* server_;
  static std::string setup_error_;
};

testing::TempDir* ReutersFacetTest::dir_ = nullptr;
std::vector<ReutersArticle>* ReutersFacetTest::articles_ = nullptr;
RunningServer* ReutersFacetTest::server_ = nullptr;
std::string ReutersFacetTest::setup_error_;

// One test (so that the corpus is indexed once even when each test runs in
// its own process): a table of filter-only queries, each checked for its
// total and every facet's counts.
TEST_F(ReutersFacetTest, FilterOnlyCountsEqualTheFile) {
  const std::vector<Filters> queries = {
      {},                                          // no filter at all
      {{"region", {"usa"}}},                       // one region
      {{"theme", {"earn"}}},                       // one theme
      {{"region", {"usa", "uk"}}},                 // two regions are ORed
      {{"region", {"usa"}}, {"theme", {"earn"}}},  // facets are ANDed
      {{"region", {"japan", "west-germany"}},
       {"theme", {"money-fx", "trade", "interest"}}},
      {{"author", {"Patti Domm", "Peter Torday"}}, {"year", {"1987"}}},
  };
  for (const Filters& filters : queries) CheckQuery(filters);

  struct Case {
    std::string from, to;
  };
  for (const Case& c : std::vector<Case>{{"1987-03-01", "1987-03-31"},
                                         {"1987-04-07", "1987-04-07"},
                                         {"", "1987-03-15"},
                                         {"1987-10-01", ""}}) {
    long expected = 0;
    for (const ReutersArticle& a : *articles_) {
      if (a.date.empty()) continue;
      if (!c.from.empty() && a.date < c.from) continue;
      if (!c.to.empty() && a.date > c.to) continue;
      ++expected;
    }
    std::vector<std::pair<std::string, std::string>> params = {
        {"per_page", "1"}};
    if (!c.from.empty()) params.emplace_back("from", c.from);
    if (!c.to.empty()) params.emplace_back("to", c.to);
    Reply r = Fetch(*server_, Query("/api/search", params));
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["total"].get<long>(), expected) << c.from << ".." << c.to;
  }
}

}  // namespace
}  // namespace pundit
