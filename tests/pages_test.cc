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
// - /opensearch.xml is an OpenSearch description with relative URL
//   templates (no --public-url here), for the page and the Atom feed, the
//   same whatever the Host and X-Forwarded-Proto headers say;
// - a second server on a port already in use is refused, in-process and by
//   `pundit serve` (exit 1, "cannot listen on HOST:PORT: address in use");
// - result links carry the whole search (q, filters, sort, page) to the
//   article page in `back`, validated and re-encoded, and its back link and
//   related articles restore it; an invalid `back` is ignored;
// - an author (or source, region, theme) link of a card filters by that
//   value alone: it replaces that facet's selection and keeps the rest;
// - /api/facets/{name} with search parameters counts under that search and
//   every filter but its own (disjunctive), lists only values found there
//   plus the selected ones, and refuses bad search parameters;
// - the sort menu: relevance, newest, oldest with words; relevance disabled
//   and newest the default without;
// - the count says "Page 2 of 3" when there are several pages;
// - a timeline of one bucket has one axis label; the counts are also a table
//   for screen readers; over two centuries it counts decades, each bar a
//   date range;
// - the script is deferred, and controls that need it are marked js-only.
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
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
  // Writes the articles under dir_.Sub("in"); returns how many.
  virtual long WriteInputs() {
    WriteFile(dir_.Sub("in/2019/astana.md"), kAstana);
    WriteFile(dir_.Sub("in/2019/oil.md"), kOil);
    WriteFile(dir_.Sub("in/2020/climate.md"), kClimate);
    WriteFile(dir_.Sub("in/hostile.jsonl"), HostileJsonl());
    return 4;
  }

  void SetUp() override {
    const long articles = WriteInputs();
    IndexerOptions index;
    index.db_dir = dir_.Sub("db");
    index.inputs = {dir_.Sub("in")};
    index.jobs = 1;
    Result<IndexSummary> summary = RunIndex(index);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    ASSERT_EQ(summary->indexed, articles) << summary->SummaryLine();

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
    EXPECT_TRUE(Contains(body, "All 4 articles")) << path;
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
       {"/search?q=hostile", "/search?q=hostile&fragment=1", "/article/h1",
        "/article/h1?q=hostile", "/search?q=venezuela&per_page=10"}) {
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

TEST_F(PagesTest, OpenSearchDescriptionHasRelativeLinks) {
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
  EXPECT_TRUE(Contains(body, "template=\"/search?q={searchTerms}\"")) << body;
  EXPECT_TRUE(Contains(body,
                       "<Url type=\"application/atom+xml\" "
                       "method=\"get\" "
                       "template=\"/feed.atom?q={searchTerms}\"/>"))
      << body;

  // A Host header is never echoed.
  httplib::Headers hostile = {{"Host", "evil.example\"><x>"}};
  auto other = client_->Get("/opensearch.xml", hostile);
  ASSERT_TRUE(other);
  EXPECT_FALSE(Contains(other->body, "evil.example"));
  EXPECT_EQ(other->body, body);
}

TEST_F(PagesTest, EmptyResultOffersSuggestions) {
  auto res = Get("/search?q=venezuela+zzyzxqq");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const std::string& body = res->body;
  EXPECT_TRUE(Contains(body, "0 articles"));
  EXPECT_TRUE(Contains(body, "state-empty"));
  // Only the shorter search that finds something, with what it finds.
  EXPECT_TRUE(Contains(
      body,
      R"(Try fewer words: <a href="/search?q=venezuela" data-nav class="suggestion">venezuela</a> <span class="suggestion-count">(3 articles)</span></li>)"))
      << body;
  EXPECT_FALSE(Contains(body, R"(href="/search?q=zzyzxqq")")) << body;
  EXPECT_TRUE(Contains(body,
                       "Match any of the words</a> instead of all of "
                       "them <span class=\"suggestion-count\">(3 "
                       "articles)</span>"))
      << body;

  // Filters that leave nothing: searching without them finds something.
  auto filtered = Get("/search?q=venezuela&author=Jane+Doe");
  ASSERT_TRUE(filtered);
  EXPECT_TRUE(Contains(filtered->body, "0 articles"));
  EXPECT_TRUE(Contains(
      filtered->body,
      R"(<a href="/search?q=venezuela" data-nav>Search without filters</a> )"
      R"(<span class="suggestion-count">(3 articles)</span>)"))
      << filtered->body;
  // And a suggestion that would find nothing either is left out.
  auto nothing = Get("/search?q=zzyzxqq+qqxyzzy&author=Jane+Doe");
  ASSERT_TRUE(nothing);
  EXPECT_FALSE(Contains(nothing->body, "Try fewer words"));
  EXPECT_FALSE(Contains(nothing->body, "Match any of the words"));
  EXPECT_FALSE(Contains(nothing->body, "Search without filters"));
  EXPECT_TRUE(Contains(nothing->body, "Check the spelling"));
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

TEST_F(PagesTest, CountShowsThePageWhenPaging) {
  auto second = Get("/search?q=oil&per_page=1&page=2");
  ASSERT_TRUE(second);
  EXPECT_TRUE(Contains(second->body, ">3 articles · Page 2 of 3</p>"))
      << second->body;
  auto one_page = Get("/search?q=oil");
  ASSERT_TRUE(one_page);
  EXPECT_TRUE(Contains(one_page->body, ">3 articles</p>")) << one_page->body;
  auto fragment = Get("/search?q=oil&per_page=1&page=3&fragment=1");
  ASSERT_TRUE(fragment);
  EXPECT_TRUE(
      Contains(fragment->body, R"(data-count="3 articles · Page 3 of 3")"))
      << fragment->body;
}

TEST_F(PagesTest, SecondServerOnTheSamePortIsRefused) {
  const std::string expected =
      "cannot listen on 127.0.0.1:" + std::to_string(port_) +
      ": address in use; stop the server using it or choose another --port";
  ServerOptions options;
  options.db_dir = dir_.Sub("db");
  options.port = port_;
  options.threads = 2;
  options.web_dir = std::string(PUNDIT_SOURCE_DIR) + "/web";
  options.access_log = false;
  Result<std::unique_ptr<Server>> second = Server::Create(options);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  Result<int> bound = (*second)->Bind();
  ASSERT_FALSE(bound.ok()) << "a second server bound port " << port_;
  EXPECT_EQ(bound.status().code(), Status::Code::kIoError);
  EXPECT_EQ(bound.status().message(), expected);

  // `pundit serve` says so and exits 1 (timeout ends it if it serves).
  testing::CommandResult run = testing::RunCommand(
      {"/usr/bin/timeout", "20", testing::PunditBinary(), "serve", "--db",
       dir_.Sub("db"), "--host", "127.0.0.1", "--port", std::to_string(port_)});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.err, "pundit: error: " + expected + "\n");

  // The first server still answers every request.
  for (int i = 0; i < 5; ++i) {
    auto res = Get("/search?q=carbon");
    ASSERT_TRUE(res);
    EXPECT_TRUE(Contains(res->body, "1 article<")) << res->body;
  }
}

TEST_F(PagesTest, ResultLinksCarryTheSearchToTheArticle) {
  auto res = Get(
      "/search?q=oil&region=Latin+America+%26+Caribbean&sort=newest&per_page=1"
      "&page=2");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  // The search's canonical query string, percent-encoded once more.
  const std::string back =
      "back=q%3Doil%26region%3DLatin%2520America%2520%2526%2520Caribbean%26"
      "sort%3Dnewest%26per_page%3D1%26page%3D2";
  EXPECT_TRUE(
      Contains(res->body, "?q=oil&amp;" + back + "\" class=\"hit-link\""))
      << res->body;

  auto article = Get("/article/2019/astana?q=oil&" + back);
  ASSERT_TRUE(article);
  ASSERT_EQ(article->status, 200);
  const std::string& body = article->body;
  EXPECT_TRUE(Contains(
      body,
      R"(<a href="/search?q=oil&amp;region=Latin%20America%20%26%20Caribbean&amp;sort=newest&amp;per_page=1&amp;page=2" class="back-link" data-back>← Results for “oil”</a>)"))
      << body;
  // Related articles lead back to the same search.
  EXPECT_TRUE(Contains(body, "/article/2019/oil?" + back)) << body;

  // A search without words or filters but a page still has its way back.
  auto paged = Get("/article/2019/astana?back=page%3D2");
  ASSERT_TRUE(paged);
  EXPECT_TRUE(Contains(
      paged->body,
      R"(<a href="/search?page=2" class="back-link" data-back>← Back to the results</a>)"))
      << paged->body;

  // A search that is only its words needs no `back`.
  auto plain = Get("/search?q=oil");
  ASSERT_TRUE(plain);
  EXPECT_TRUE(Contains(plain->body, R"(href="/article/2019/astana?q=oil")"));
  EXPECT_FALSE(Contains(plain->body, "back="));

  // An invalid or hostile `back` is ignored or re-encoded, never echoed.
  struct Case {
    const char* path;
    const char* href;
  } cases[] = {
      {"/article/2019/astana?q=oil&back=q%3Doil%26sort%3Dsideways",
       R"(href="/search?q=oil" class="back-link")"},
      {"/article/2019/astana?q=oil&back=from%3D2019-13-45",
       R"(href="/search?q=oil" class="back-link")"},
      {"/article/2019/astana?back=q%3D%2522%253E%253Cscript%253E%26x%3Dy",
       R"(href="/search?q=%22%3E%3Cscript%3E" class="back-link")"},
      {"/article/2019/astana", R"(href="/" class="back-link")"},
  };
  for (const Case& c : cases) {
    auto r = Get(c.path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << c.path;
    EXPECT_TRUE(Contains(r->body, c.href)) << c.path << "\n" << r->body;
    EXPECT_FALSE(Contains(r->body, "<script>")) << c.path;
  }
}

TEST_F(PagesTest, CardLinksFilterByThatValueAlone) {
  auto res =
      Get("/search?q=venezuela&author=Andrew+Korybko&author=Maria+Lopez"
          "&region=Latin+America+%26+Caribbean");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const std::string& body = res->body;
  // John Smith, co-author of the oil article: him alone, the rest kept.
  EXPECT_TRUE(Contains(
      body,
      R"(href="/search?q=venezuela&amp;author=John%20Smith&amp;region=Latin%20America%20%26%20Caribbean" data-nav class="author-link">John Smith</a>)"))
      << body;
  EXPECT_TRUE(Contains(
      body,
      R"(href="/search?q=venezuela&amp;author=Andrew%20Korybko&amp;region=Latin%20America%20%26%20Caribbean" data-nav class="author-link">)"))
      << body;
  // A region chip replaces the region selection.
  EXPECT_TRUE(Contains(
      body,
      R"(href="/search?q=venezuela&amp;author=Andrew%20Korybko&amp;author=Maria%20Lopez&amp;region=Russia%20and%20FSU" data-nav>Russia and FSU</a>)"))
      << body;
  // The article page's author link: that author's articles.
  auto article = Get("/article/2019/oil?q=venezuela");
  ASSERT_TRUE(article);
  EXPECT_TRUE(Contains(
      article->body, R"(<a href="/search?author=John%20Smith" rel="author">)"))
      << article->body;
}

TEST_F(PagesTest, FacetLookupCountsUnderTheSearch) {
  auto values = [&](const std::string& path) {
    auto res = Get(path);
    std::map<std::string, std::pair<long, bool>> out;
    if (!res) return out;
    EXPECT_EQ(res->status, 200) << path << ": " << res->body;
    nlohmann::json body = nlohmann::json::parse(res->body, nullptr, false);
    for (const auto& v : body["values"]) {
      out[v["value"].get<std::string>()] = {v["count"].get<long>(),
                                            v.value("selected", false)};
    }
    return out;
  };
  using Values = std::map<std::string, std::pair<long, bool>>;
  // The whole index without search parameters.
  Values all = values("/api/facets/author");
  EXPECT_EQ(all.size(), 5u);
  EXPECT_EQ(all.count("Jane Doe"), 1u);
  // Under a query: only its authors, with its counts.
  EXPECT_EQ(values("/api/facets/author?q=venezuela"),
            (Values{{"Andrew Korybko", {1, false}},
                    {"John Smith", {1, false}},
                    {"Mallory Evil", {1, false}},
                    {"Maria Lopez", {1, false}}}));
  EXPECT_EQ(values("/api/facets/author?q=venezuela&prefix=jan"), Values{});
  // The author filter itself does not narrow the author counts
  // (disjunctive); other filters do.
  EXPECT_EQ(values("/api/facets/author?q=venezuela&author=Maria+Lopez"
                   "&theme=Intelligence"),
            (Values{{"Andrew Korybko", {1, false}},
                    {"Mallory Evil", {1, false}},
                    {"Maria Lopez", {0, true}}}));
  EXPECT_EQ(values("/api/facets/author?q=&region=Europe"),
            (Values{{"Jane Doe", {1, false}}}));
  EXPECT_EQ(
      values("/api/facets/author?q=&from=2019-02-01&to=2019-12-31"
             "&prefix=ma"),
      (Values{{"Mallory Evil", {1, false}}, {"Maria Lopez", {1, false}}}));
  // A selected value is listed, with its count under the other filters.
  EXPECT_EQ(values("/api/facets/author?q=carbon&author=Jane+Doe&prefix=jane"),
            (Values{{"Jane Doe", {1, true}}}));
  // Bad search parameters are refused as /api/search refuses them.
  auto bad = Get("/api/facets/author?q=oil&from=2019-13-45");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_TRUE(Contains(
      bad->body, R"(from must be a date as YYYY-MM-DD, got \"2019-13-45\")"))
      << bad->body;
}

TEST_F(PagesTest, SortMenuFitsTheQuery) {
  auto home = Get("/");
  ASSERT_TRUE(home);
  const std::string& body = home->body;
  EXPECT_TRUE(Contains(
      body,
      R"(<option value="relevance" id="sort-relevance" disabled>Relevance</option>)"))
      << body;
  EXPECT_TRUE(Contains(
      body, R"(<option value="" id="sort-newest" selected>Newest</option>)"));
  EXPECT_TRUE(Contains(
      body, R"(<option value="oldest" id="sort-oldest">Oldest</option>)"));
  size_t first = body.find(">Newest<");
  EXPECT_EQ(body.find(">Newest<", first + 1), std::string::npos)
      << "Newest is listed twice";

  auto oldest = Get("/search?region=Europe&sort=oldest");
  ASSERT_TRUE(oldest);
  EXPECT_TRUE(Contains(oldest->body,
                       R"(<option value="" id="sort-newest">Newest</option>)"));
  EXPECT_TRUE(Contains(
      oldest->body,
      R"(<option value="oldest" id="sort-oldest" selected>Oldest</option>)"));

  auto words = Get("/search?q=oil");
  ASSERT_TRUE(words);
  EXPECT_TRUE(Contains(
      words->body,
      R"(<option value="" id="sort-relevance" selected>Relevance</option>)"));
  EXPECT_TRUE(
      Contains(words->body,
               R"(<option value="newest" id="sort-newest">Newest</option>)"));
  auto newest = Get("/search?q=oil&sort=newest");
  ASSERT_TRUE(newest);
  EXPECT_TRUE(Contains(
      newest->body,
      R"(<option value="newest" id="sort-newest" selected>Newest</option>)"));
  EXPECT_TRUE(
      Contains(newest->body,
               R"(<option value="" id="sort-relevance">Relevance</option>)"));
}

TEST_F(PagesTest, TimelineOfOneBucketHasOneLabelAndATable) {
  auto res = Get("/search?q=carbon");
  ASSERT_TRUE(res);
  const std::string& body = res->body;
  EXPECT_TRUE(Contains(
      body,
      R"(<figcaption class="timeline-axis is-single" aria-hidden="true"><span>Jun 2020</span></figcaption>)"))
      << body;
  EXPECT_TRUE(Contains(body, "<caption>Articles per month, Jun 2020</caption>"))
      << body;
  EXPECT_TRUE(
      Contains(body, R"(<tr><th scope="row">June 2020</th><td>1</td></tr>)"));

  auto several = Get("/search?q=venezuela");
  ASSERT_TRUE(several);
  EXPECT_TRUE(Contains(
      several->body, R"(<tr><th scope="row">January 2019</th><td>1</td></tr>)"))
      << several->body;
  EXPECT_TRUE(Contains(several->body,
                       "<span>Jan 2019</span><span></span>"
                       "<span>Mar 2019</span>"));
}

// Articles from 1805 to 2019: more years than a timeline has bars.
class LongTimelinePagesTest : public PagesTest {
 protected:
  long WriteInputs() override {
    WriteFile(dir_.Sub("in/old.jsonl"),
              R"({"id": "o1", "title": "Trafalgar", "date": "1805-10-21"})"
              "\n"
              R"({"id": "o2", "title": "Waterloo", "date": "1815-06-18"})"
              "\n"
              R"({"id": "o3", "title": "Astana", "date": "2019-01-31"})"
              "\n");
    return 3;
  }
};

TEST_F(LongTimelinePagesTest, CountsDecadesEachADateRange) {
  auto res = Get("/search");
  ASSERT_TRUE(res);
  const std::string& body = res->body;
  EXPECT_TRUE(Contains(body, R"(data-unit="decade")")) << body;
  // 1800s to 2010s: 22 bars, the empty decades included.
  size_t bars = 0;
  for (size_t at = body.find("class=\"tl-bucket"); at != std::string::npos;
       at = body.find("class=\"tl-bucket", at + 1)) {
    ++bars;
  }
  EXPECT_EQ(bars, 22u);
  EXPECT_TRUE(Contains(
      body, R"(data-from="1800-01-01" data-to="1809-12-31" data-key="1800")"));
  EXPECT_TRUE(Contains(
      body, R"(data-from="2010-01-01" data-to="2019-12-31" data-key="2010")"));
  EXPECT_TRUE(Contains(body,
                       "<caption>Articles per decade, 1800s to "
                       "2010s</caption>"))
      << body;
  EXPECT_TRUE(Contains(body, "<th scope=\"col\">Decade</th>"));
  EXPECT_TRUE(
      Contains(body, R"(<tr><th scope="row">1810s</th><td>1</td></tr>)"));
  // A bar's link filters by its decade.
  auto decade = Get("/search?from=1810-01-01&to=1819-12-31");
  ASSERT_TRUE(decade);
  EXPECT_TRUE(Contains(decade->body, "Waterloo")) << decade->body;
  EXPECT_FALSE(Contains(decade->body, "Trafalgar"));
}

TEST_F(PagesTest, OpenSearchIgnoresTheForwardedHeaders) {
  const std::string plain = Get("/opensearch.xml")->body;
  for (const char* proto : {"https", "http", "https\"><x>"}) {
    httplib::Headers headers = {{"Host", "search.example.org"},
                                {"X-Forwarded-Proto", proto}};
    auto res = client_->Get("/opensearch.xml", headers);
    ASSERT_TRUE(res) << proto;
    EXPECT_EQ(res->body, plain) << proto;
    EXPECT_FALSE(Contains(res->body, "search.example.org"));
    EXPECT_EQ(res->get_header_value("Vary").find("Host"), std::string::npos);
  }
}

TEST_F(PagesTest, ScriptIsDeferredAndJsOnlyControlsAreMarked) {
  auto search = Get("/search?q=venezuela");
  ASSERT_TRUE(search);
  EXPECT_TRUE(Contains(search->body, R"(<script src="/static/app.js?v=)"));
  EXPECT_TRUE(Contains(search->body, R"(" defer></script>)")) << search->body;
  EXPECT_TRUE(Contains(search->body, R"(<div class="facet-filter js-only">)"))
      << search->body;
  auto article = Get("/article/2019/astana?q=oil");
  ASSERT_TRUE(article);
  EXPECT_TRUE(
      Contains(article->body, R"(<span class="match-nav-hint js-only">)"))
      << article->body;
  auto css = Get("/static/style.css");
  ASSERT_TRUE(css);
  EXPECT_TRUE(Contains(css->body, "html:not(.js) .js-only {"));
}

}  // namespace
}  // namespace pundit
