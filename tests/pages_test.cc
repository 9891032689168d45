// Tests of the server-rendered pages over a real server on an ephemeral port,
// with an index of a few articles written here. Properties checked:
// - GET / and GET /search answer 200 HTML with the search form, and the
//   search page lists the matching titles, facets with counts, the timeline
//   SVG and the result count;
// - a title that is markup (`<img src=x onerror=alert(1)>`) is shown escaped
//   on the search page, in the fragment and on the article page, never raw;
// - ?fragment=1 returns only the swappable regions, not a whole page;
// - the article page (ids with '/' and ':') marks the query's matches, links
//   to the first one (#m1) and lists related articles; an unknown id is a 404
//   HTML page;
// - bad parameters give a 400 HTML page that names the parameter;
// - static files come with their content type and Cache-Control; traversal
//   attempts (plain, percent-encoded, backslashes) are 404 and never leak a
//   file from outside web/static;
// - /opensearch.xml is an OpenSearch description whose URL template uses the
//   Host header.
#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "indexer/indexer.h"
#include "tests/test_util.h"
#include "web/server.h"

namespace pundit {
namespace {

using testing::TempDir;
using testing::WriteFile;

constexpr char kHostileTitle[] = "<img src=x onerror=alert(1)>";

const char kAstana[] =
    R"(# Russia Might be Planning an Astana-Like Conference for Venezuela

By [Andrew Korybko](#)

Global Research, January 31, 2019

Region: [Latin America & Caribbean](#), [Russia and FSU](#)

Theme: [Intelligence](#)

*Russia hints at an Astana-like conference for resolving the Venezuelan Crisis.*

Russian Foreign Minister Lavrov revealed that his country is in talks over the role that every party could play in mediating the Venezuelan Crisis and its oil.

### Follow The Money

Russia invested billions in Venezuela through loans and energy deals, and China loaned Caracas even more for oil.

*Andrew Korybko is an American political analyst.*
)";

const char kOil[] = R"(# Oil, Loans and the Venezuelan Crisis

By [Maria Lopez](#) and [John Smith](#)

Global Research, March 3, 2019

Region: [Latin America & Caribbean](#)

Theme: [Oil and Energy](#)

*Who holds the debts of Caracas, and what do they want for them?*

The Venezuelan Crisis is also a crisis of debts: Russia and China loaned Caracas billions against future oil.

Investors watch the oil fields of Venezuela and the loans that fund them.
)";

const char kClimate[] = R"(# Carbon Markets Will Not Save the Climate

By [Jane Doe](#)

Global Research, June 12, 2020

Region: [Europe](#)

Theme: [Environment](#)

*Trading permits moves emissions around; it does not cut them.*

Carbon markets let polluters buy their way out of cutting emissions, and the climate pays.
)";

std::string HostileJsonl() {
  return std::string(R"({"id": "h1", "title": ")") +
         R"(<img src=x onerror=alert(1)>", "author": ["Mallory Evil"], )"
         R"("date": "2019-02-14", "region": ["Latin America & Caribbean"], )"
         R"("theme": ["Intelligence"], "source": "Test Wire", "url": "", )"
         R"("body": "A hostile headline about Venezuela and its oil.\n\n)"
         R"(Nothing in it may run as markup."})" +
         "\n";
}

class PagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_.Sub("in/2019/astana.md"), kAstana);
    WriteFile(dir_.Sub("in/2019/oil.md"), kOil);
    WriteFile(dir_.Sub("in/2020/climate.md"), kClimate);
    WriteFile(dir_.Sub("in/hostile.jsonl"), HostileJsonl());
    IndexerOptions index;
    index.db_dir = dir_.Sub("db");
    index.inputs = {dir_.Sub("in")};
    index.jobs = 1;
    Result<IndexSummary> summary = RunIndex(index);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    ASSERT_EQ(summary->indexed, 4) << summary->SummaryLine();

    ServerOptions options;
    options.db_dir = dir_.Sub("db");
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.web_dir = std::string(PUNDIT_SOURCE_DIR) + "/web";
    options.access_log = false;
    Result<std::unique_ptr<Server>> server = Server::Create(options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    Result<int> port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->Listen(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_connection_timeout(5);
    client_->set_read_timeout(20);
    // Paths are sent exactly as written here ("+" for spaces, raw "%2e").
    client_->set_url_encode(false);
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  // GET that fails the test (not crashes) when the server does not answer.
  httplib::Result Get(const std::string& path) {
    httplib::Result res = client_->Get(path);
    EXPECT_TRUE(res) << "no answer for " << path;
    return res;
  }

  TempDir dir_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(PagesTest, HomeIsAnHtmlSearchPage) {
  for (const char* path : {"/", "/search"}) {
    auto res = Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_EQ(res->get_header_value("Content-Type"),
              "text/html; charset=utf-8");
    const std::string& body = res->body;
    EXPECT_TRUE(Contains(body, "<!doctype html>")) << path;
    EXPECT_TRUE(Contains(body, R"(role="search")")) << path;
    EXPECT_TRUE(Contains(body, R"(id="q" name="q")")) << path;
    EXPECT_TRUE(Contains(body, R"(href="/opensearch.xml")")) << path;
    EXPECT_TRUE(Contains(body, "<main")) << path;
    EXPECT_TRUE(Contains(body, "<aside")) << path;
    EXPECT_TRUE(Contains(body, R"(aria-live="polite")")) << path;
    // Nothing inline: the Content-Security-Policy allows neither.
    EXPECT_FALSE(Contains(body, "<script>")) << path;
    EXPECT_FALSE(Contains(body, "style=\"")) << path;
    EXPECT_TRUE(Contains(body, "Latest of 4 articles")) << path;
  }
}

TEST_F(PagesTest, SearchListsMatchingTitlesFacetsAndTimeline) {
  auto res = Get("/search?q=venezuelan+crisis");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const std::string& body = res->body;
  EXPECT_TRUE(Contains(body, "Astana")) << body;
  EXPECT_TRUE(Contains(body, "Loans and the")) << body;
  EXPECT_FALSE(Contains(body, "Carbon Markets")) << body;
  EXPECT_TRUE(Contains(body, "2 articles"));
  EXPECT_TRUE(
      Contains(body, R"(href="/article/2019/astana?q=venezuelan%20crisis")"))
      << body;
  // Author facet with a count; the author of a card links to a filter.
  EXPECT_TRUE(Contains(body, R"(name="author" value="Andrew Korybko")"))
      << body;
  EXPECT_TRUE(Contains(body, "author=Andrew%20Korybko"));
  EXPECT_TRUE(Contains(body, R"(data-facet-filter="author")"));
  EXPECT_TRUE(Contains(body, "<svg class=\"timeline-svg\""));
  EXPECT_TRUE(Contains(body, "<mark>"));
}

TEST_F(PagesTest, SelectedFacetValueIsCheckedAndListedFirst) {
  auto res = Get("/search?q=venezuela&author=Maria+Lopez");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const std::string& body = res->body;
  EXPECT_TRUE(Contains(body, "1 article<")) << body;
  size_t maria = body.find(R"(value="Maria Lopez" form="search-form" checked)");
  ASSERT_NE(maria, std::string::npos) << body;
  size_t andrew = body.find(R"(value="Andrew Korybko")");
  ASSERT_NE(andrew, std::string::npos);
  EXPECT_LT(maria, andrew);
  // The active filter can be removed, and the facet cleared.
  EXPECT_TRUE(Contains(body, R"(href="/search?q=venezuela")"));
}

TEST_F(PagesTest, HostileTitleIsEscapedEverywhere) {
  const std::string escaped = "&lt;img src=x onerror=alert(1)&gt;";
  for (const char* path :
       {"/search?q=hostile", "/search?q=hostile&fragment=1",
        "/article/hostile:h1", "/article/hostile:h1?q=hostile",
        "/search?q=venezuela&per_page=10"}) {
    auto res = Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_FALSE(Contains(res->body, kHostileTitle)) << path;
    EXPECT_FALSE(Contains(res->body, "<img")) << path;
    EXPECT_TRUE(Contains(res->body, escaped) ||
                Contains(res->body, "&lt;img src=x onerror=alert(1)&gt;"))
        << path << "\n"
        << res->body;
  }
}

TEST_F(PagesTest, FragmentHoldsOnlyTheSwappedRegions) {
  auto res = Get("/search?q=oil&fragment=1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const std::string& body = res->body;
  EXPECT_FALSE(Contains(body, "<html"));
  EXPECT_FALSE(Contains(body, "<header"));
  EXPECT_TRUE(Contains(body, "data-fragment"));
  EXPECT_TRUE(Contains(body, R"(id="facets")"));
  EXPECT_TRUE(Contains(body, R"(id="timeline")"));
  EXPECT_TRUE(Contains(body, R"(id="results")"));
  EXPECT_TRUE(Contains(body, R"(data-count="3 articles")")) << body;
}

TEST_F(PagesTest, ArticlePageMarksMatchesAndListsRelated) {
  auto res = Get("/article/2019/astana?q=oil");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const std::string& body = res->body;
  EXPECT_TRUE(Contains(body, R"(<mark id="m1">)")) << body;
  EXPECT_TRUE(Contains(body, R"(href="#m1")"));
  EXPECT_TRUE(Contains(body, "Jump to first match"));
  EXPECT_TRUE(
      Contains(body, R"(<h2 class="article-subhead">Follow The Money</h2>)"))
      << body;
  EXPECT_TRUE(Contains(body, "American political analyst"));  // bio
  EXPECT_TRUE(Contains(body, "Related articles"));
  EXPECT_TRUE(Contains(body, R"(class="related-link")")) << body;
  EXPECT_TRUE(Contains(body, R"(href="/article/2019/oil")")) << body;
  EXPECT_TRUE(Contains(body, "Andrew Korybko"));
}

TEST_F(PagesTest, UnknownArticleIsAn404Page) {
  auto res = Get("/article/no/such:thing");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_TRUE(Contains(res->body, "no/such:thing"));
  EXPECT_TRUE(Contains(res->body, "Not found"));
}

TEST_F(PagesTest, UnknownPageIsAn404PageButApiStaysJson) {
  auto page = Get("/no/such/page");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 404);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_TRUE(Contains(page->body, "There is no page at this address."));
  auto api = Get("/api/no/such/route");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 404);
  EXPECT_EQ(api->get_header_value("Content-Type").rfind("application/json", 0),
            0u);
}

TEST_F(PagesTest, BadParametersGiveA400Page) {
  struct Case {
    const char* path;
    const char* mentions;
  } cases[] = {
      {"/search?q=oil&per_page=1000", "per_page"},
      {"/search?q=oil&sort=sideways", "sort"},
      {"/search?from=2019-13-45", "from"},
      {"/search?q=oil&page=0", "page"},
      {"/search?q=oil&fragment=1&per_page=0", "per_page"},
  };
  for (const auto& c : cases) {
    auto res = Get(c.path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << c.path;
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8")
        << c.path;
    EXPECT_TRUE(Contains(res->body, "state-error")) << c.path;
    EXPECT_TRUE(Contains(res->body, c.mentions)) << c.path << "\n" << res->body;
  }
}

TEST_F(PagesTest, TraversalAttemptsAreNotFound) {
  const char* paths[] = {
      "/static/../../etc/passwd",
      "/static/%2e%2e/%2e%2e/etc/passwd",
      "/static/..%2f..%2fetc%2fpasswd",
      "/static/%2e%2e%5c..",
      "/static/%2E%2E/%2E%2E/etc/passwd",
      "/static/..\\..\\etc\\passwd",
      "/static/%5c..%5c..%5cetc%5cpasswd",
      "/static/style.css%00.png",
      "/static/.%2e/.%2e/templates/layout.mustache",
      "/static/../templates/layout.mustache",
      "/static/",
      "/static/nope.css",
      "/static//etc/passwd",
  };
  for (const char* path : paths) {
    auto res = Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_FALSE(Contains(res->body, "root:")) << path;
    EXPECT_FALSE(Contains(res->body, "{{")) << path;
  }
}

TEST_F(PagesTest, StaticFilesHaveTypeAndCacheHeaders) {
  struct Case {
    const char* path;
    const char* type;
  } cases[] = {
      {"/static/style.css", "text/css; charset=utf-8"},
      {"/static/app.js", "text/javascript; charset=utf-8"},
      {"/static/favicon.svg", "image/svg+xml"},
  };
  for (const auto& c : cases) {
    auto res = Get(c.path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << c.path;
    EXPECT_EQ(res->get_header_value("Content-Type"), c.type) << c.path;
    EXPECT_EQ(res->get_header_value("Cache-Control"), "public, max-age=3600")
        << c.path;
    EXPECT_FALSE(res->body.empty()) << c.path;
    EXPECT_FALSE(res->get_header_value("ETag").empty()) << c.path;
  }
  // A revalidation with the ETag is a 304 without a body.
  auto first = Get("/static/style.css");
  ASSERT_TRUE(first);
  httplib::Headers headers = {
      {"If-None-Match", first->get_header_value("ETag")}};
  auto again = client_->Get("/static/style.css", headers);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
}

TEST_F(PagesTest, OpenSearchDescriptionUsesTheHostHeader) {
  auto res = Get("/opensearch.xml");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"),
            "application/opensearchdescription+xml; charset=utf-8");
  const std::string& body = res->body;
  EXPECT_EQ(body.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0u);
  EXPECT_TRUE(Contains(body, "<OpenSearchDescription"));
  EXPECT_TRUE(Contains(body, "</OpenSearchDescription>"));
  EXPECT_TRUE(Contains(body, "<ShortName>pundit</ShortName>"));
  std::string base = "http://127.0.0.1:" + std::to_string(port_);
  EXPECT_TRUE(
      Contains(body, "template=\"" + base + "/search?q={searchTerms}\""))
      << body;

  // A Host header that is not a host name is not echoed.
  httplib::Headers hostile = {{"Host", "evil.example\"><x>"}};
  auto other = client_->Get("/opensearch.xml", hostile);
  ASSERT_TRUE(other);
  EXPECT_FALSE(Contains(other->body, "<x>"));
  EXPECT_TRUE(Contains(other->body, "http://localhost/search?q={searchTerms}"));
}

TEST_F(PagesTest, EmptyResultOffersSuggestions) {
  auto res = Get("/search?q=venezuela+zzyzxqq&author=Jane+Doe");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const std::string& body = res->body;
  EXPECT_TRUE(Contains(body, "0 articles"));
  EXPECT_TRUE(Contains(body, "state-empty"));
  EXPECT_TRUE(Contains(body, "Try fewer words"));
  EXPECT_TRUE(
      Contains(body, R"(href="/search?q=venezuela&amp;author=Jane%20Doe")"))
      << body;
  EXPECT_TRUE(Contains(body, "Search without filters"));
}

TEST_F(PagesTest, PaginationLinksKeepTheSearch) {
  auto res = Get("/search?q=oil&per_page=1&page=2");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const std::string& body = res->body;
  EXPECT_TRUE(Contains(body, R"(aria-label="Pages")"));
  EXPECT_TRUE(Contains(
      body, R"(href="/search?q=oil&amp;per_page=1" data-nav rel="prev")"))
      << body;
  EXPECT_TRUE(Contains(
      body,
      R"(href="/search?q=oil&amp;per_page=1&amp;page=3" data-nav rel="next")"));
  EXPECT_TRUE(Contains(body, R"(aria-current="page">2<)"));
}

}  // namespace
}  // namespace pundit
