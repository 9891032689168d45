// The Atom feed of a search (/feed.atom), the public URL and the OpenSearch
// description, over real servers on ephemeral loopback ports and an index
// of articles written here. Every feed is parsed with libxml2. Properties:
// - /feed.atom is well-formed Atom 1.0 (application/atom+xml): a feed with
//   id, title, updated (RFC 3339), rel="self" and "alternate" links and an
//   author; one entry per match, newest first, undated articles last;
// - each entry has a urn:pundit:article: id that is the same in every feed
//   holding the article, the article's title, updated = its date, one
//   author element per author, a link to its article page, a rel="related"
//   link to its original url only when that is http or https, and the
//   snippet as a plain-text summary;
// - a title holding `<script>` and `&` reads back exactly as written and
//   never appears raw; no href is a javascript: URL;
// - without --public-url every link is relative; with it every link starts
//   with the normalised public URL; a hostile Host header never appears in
//   the feed nor in /opensearch.xml, which links the feed;
// - the search page's head links its search's feed;
// - NormalizePublicUrl accepts absolute http(s) URLs (normalised) and
//   refuses the rest, and Server::Create refuses such a public_url;
// - a bad search parameter is a JSON 400.
#include "web/feed.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <memory>
#include <regex>
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

constexpr char kHostileTitle[] =
    "Harbour <script>alert(1)</script> & the dredgers' \"plan\"";
constexpr char kPublicUrl[] = "https://news.example.org/pundit";

// Five harbour articles (one undated), one about something else. Ids hold
// '/' and ':'.
std::string Articles() {
  return R"J({"id": "wire/harbour:1", "title": "Harbour <script>alert(1)</script> & the dredgers' \"plan\"", "author": ["Ana Lima", "Bo Chen"], "date": "2021-05-01", "theme": ["Ports"], "source": "Test Wire", "url": "javascript:alert(1)", "body": "The harbour will be dredged this summer, the port authority said."}
{"id": "h2", "title": "Harbour pilots strike", "author": ["Carl Ode"], "date": "2021-06-15", "source": "Test Wire", "url": "https://example.org/pilots", "body": "Harbour pilots stopped work on Monday over pay."}
{"id": "h3", "title": "A new harbour wall", "author": [], "date": "2020-01-10", "source": "Test Wire", "url": "http://example.com/wall", "body": "The harbour wall was rebuilt after the storm."}
{"id": "h4", "title": "Old harbour maps", "author": ["Dee Ray"], "source": "Test Wire", "url": "", "body": "Maps of the harbour from another century."}
{"id": "h5", "title": "Harbour fees rise", "author": ["Ana Lima"], "date": "2019-03-04", "source": "Test Wire", "url": "HTTPS://example.net/fees", "body": "Fees for ships in the harbour rose by a tenth."}
{"id": "o1", "title": "Orchard frost", "author": ["Eve Park"], "date": "2021-04-01", "source": "Test Wire", "url": "", "body": "Frost hit the orchards in April."}
)J";
}

// A server on an ephemeral port, listening in its own thread until the
// destructor stops and joins it.
class RunningServer {
 public:
  explicit RunningServer(ServerOptions options) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.web_dir = std::string(PUNDIT_SOURCE_DIR) + "/web";
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

  // GET `path` with `headers`; fails the test when there is no answer.
  httplib::Result Get(const std::string& path,
                      const httplib::Headers& headers = {}) const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(30, 0);
    client.set_url_encode(false);  // paths are sent as written
    httplib::Result res = client.Get(path, headers);
    EXPECT_TRUE(res) << "no answer for " << path;
    return res;
  }

 private:
  std::unique_ptr<Server> server_;
  int port_ = -1;
  std::thread thread_;
};

// A parsed XML document with XPath over the Atom namespace (prefix "a").
class Xml {
 public:
  explicit Xml(const std::string& text)
      : doc_(xmlReadMemory(
            text.data(), static_cast<int>(text.size()), "feed.xml", nullptr,
            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)) {
    if (!doc_) return;
    ctx_ = xmlXPathNewContext(doc_);
    xmlXPathRegisterNs(ctx_, BAD_CAST "a",
                       BAD_CAST "http://www.w3.org/2005/Atom");
  }
  ~Xml() {
    if (ctx_) xmlXPathFreeContext(ctx_);
    if (doc_) xmlFreeDoc(doc_);
  }
  Xml(const Xml&) = delete;
  Xml& operator=(const Xml&) = delete;

  bool ok() const { return doc_ != nullptr; }

  // The text of every node `xpath` selects, in document order.
  std::vector<std::string> All(const std::string& xpath) const {
    std::vector<std::string> out;
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST xpath.c_str(), ctx_);
    if (!r) {
      ADD_FAILURE() << "bad XPath " << xpath;
      return out;
    }
    if (r->nodesetval) {
      for (int i = 0; i < r->nodesetval->nodeNr; ++i) {
        xmlChar* text = xmlNodeGetContent(r->nodesetval->nodeTab[i]);
        out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
        xmlFree(text);
      }
    }
    xmlXPathFreeObject(r);
    return out;
  }
  // The one node's text; fails the test unless exactly one matches.
  std::string One(const std::string& xpath) const {
    std::vector<std::string> all = All(xpath);
    EXPECT_EQ(all.size(), 1u) << xpath;
    return all.empty() ? "" : all[0];
  }

 private:
  xmlDocPtr doc_;
  xmlXPathContextPtr ctx_ = nullptr;
};

bool IsRfc3339(const std::string& s) {
  static const std::regex kTime(
      R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))");
  return std::regex_match(s, kTime);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class FeedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    WriteFile(dir_->Sub("in/articles.jsonl"), Articles());
    IndexerOptions index;
    index.db_dir = dir_->Sub("db");
    index.inputs = {dir_->Sub("in")};
    index.jobs = 1;
    Result<IndexSummary> summary = RunIndex(index);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    ASSERT_EQ(summary->indexed, 6) << summary->SummaryLine();
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static ServerOptions Options(const std::string& public_url = "") {
    ServerOptions options;
    options.db_dir = dir_->Sub("db");
    options.public_url = public_url;
    return options;
  }

  static TempDir* dir_;
};

TempDir* FeedTest::dir_ = nullptr;

TEST_F(FeedTest, FeedIsAtomNewestFirstWithEscapedText) {
  RunningServer server(Options());
  auto res = server.Get("/feed.atom?q=harbour");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"),
            "application/atom+xml; charset=utf-8");
  const std::string& body = res->body;
  EXPECT_EQ(body.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0u);
  Xml feed(body);
  ASSERT_TRUE(feed.ok()) << body;

  // The feed.
  EXPECT_EQ(feed.All("/a:feed").size(), 1u) << "root is Atom's <feed>";
  EXPECT_EQ(feed.One("/a:feed/a:id").rfind("urn:pundit:search:", 0), 0u);
  EXPECT_TRUE(Contains(feed.One("/a:feed/a:title"), "harbour"));
  EXPECT_TRUE(IsRfc3339(feed.One("/a:feed/a:updated")));
  EXPECT_EQ(feed.One("/a:feed/a:updated"), "2021-06-15T00:00:00Z")
      << "the newest entry's date";
  EXPECT_EQ(feed.One("/a:feed/a:link[@rel='self']/@href"),
            "/feed.atom?q=harbour");
  EXPECT_EQ(feed.One("/a:feed/a:link[@rel='self']/@type"),
            "application/atom+xml");
  EXPECT_EQ(feed.One("/a:feed/a:link[@rel='alternate']/@href"),
            "/search?q=harbour");
  EXPECT_EQ(feed.One("/a:feed/a:author/a:name"), "pundit");

  // The entries, newest first, the undated one last.
  std::vector<std::string> ids = feed.All("/a:feed/a:entry/a:id");
  EXPECT_EQ(ids,
            (std::vector<std::string>{
                "urn:pundit:article:h2", "urn:pundit:article:wire/harbour:1",
                "urn:pundit:article:h3", "urn:pundit:article:h5",
                "urn:pundit:article:h4"}));
  std::vector<std::string> updated = feed.All("/a:feed/a:entry/a:updated");
  ASSERT_EQ(updated.size(), 5u);
  for (const std::string& u : updated) EXPECT_TRUE(IsRfc3339(u)) << u;
  EXPECT_EQ(updated[0], "2021-06-15T00:00:00Z");
  EXPECT_EQ(updated[1], "2021-05-01T00:00:00Z");
  for (size_t i = 1; i + 1 < updated.size(); ++i) {
    EXPECT_GE(updated[i - 1], updated[i]) << "newest first";
  }
  for (const char* field : {"a:title", "a:updated", "a:summary"}) {
    EXPECT_EQ(feed.All(std::string("/a:feed/a:entry/") + field).size(), 5u)
        << field;
  }

  // The hostile title reads back as written, and is never raw markup.
  const std::string first =
      "/a:feed/a:entry[a:id='urn:pundit:article:wire/"
      "harbour:1']";
  EXPECT_EQ(feed.One(first + "/a:title"), kHostileTitle);
  EXPECT_FALSE(Contains(body, "<script>"));
  EXPECT_TRUE(Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp;"));
  EXPECT_EQ(feed.All(first + "/a:author/a:name"),
            (std::vector<std::string>{"Ana Lima", "Bo Chen"}));
  EXPECT_EQ(feed.One(first + "/a:link[@rel='alternate']/@href"),
            "/article/wire/harbour:1");
  EXPECT_TRUE(feed.All(first + "/a:link[@rel='related']").empty())
      << "a javascript: url is not linked";
  EXPECT_TRUE(Contains(feed.One(first + "/a:summary"), "harbour will be"))
      << "the snippet, as text";
  EXPECT_FALSE(Contains(feed.One(first + "/a:summary"), "<mark>"));

  const std::string h2 = "/a:feed/a:entry[a:id='urn:pundit:article:h2']";
  EXPECT_EQ(feed.One(h2 + "/a:link[@rel='related']/@href"),
            "https://example.org/pilots");
  EXPECT_EQ(feed.One("/a:feed/a:entry[a:id='urn:pundit:article:h5']"
                     "/a:link[@rel='related']/@href"),
            "HTTPS://example.net/fees");
  EXPECT_TRUE(feed.All("/a:feed/a:entry[a:id='urn:pundit:article:h4']"
                       "/a:link[@rel='related']")
                  .empty());

  // No link anywhere is a script, and every link is relative.
  for (const std::string& href : feed.All("//@href")) {
    std::string lower = href;
    for (char& c : lower) c = static_cast<char>(std::tolower(c));
    EXPECT_EQ(lower.find("javascript:"), std::string::npos) << href;
  }
  for (const std::string& href : feed.All("//a:link[@rel!='related']/@href")) {
    EXPECT_EQ(href.rfind('/', 0), 0u) << href;
  }
}

TEST_F(FeedTest, EntryIdsAreStableAcrossFeeds) {
  RunningServer server(Options());
  Xml all(server.Get("/feed.atom?q=harbour")->body);
  Xml pilots(server.Get("/feed.atom?q=pilots")->body);
  Xml filtered(server.Get("/feed.atom?author=Carl+Ode")->body);
  ASSERT_TRUE(all.ok() && pilots.ok() && filtered.ok());
  EXPECT_EQ(pilots.All("/a:feed/a:entry/a:id"),
            (std::vector<std::string>{"urn:pundit:article:h2"}));
  EXPECT_EQ(filtered.All("/a:feed/a:entry/a:id"),
            pilots.All("/a:feed/a:entry/a:id"));
  EXPECT_NE(all.One("/a:feed/a:id"), pilots.One("/a:feed/a:id"));
  // Page and sort do not change which feed a search has.
  Xml paged(
      server.Get("/feed.atom?q=harbour&page=2&sort=oldest&per_page=1")->body);
  ASSERT_TRUE(paged.ok());
  EXPECT_EQ(paged.One("/a:feed/a:id"), all.One("/a:feed/a:id"));
  EXPECT_EQ(paged.All("/a:feed/a:entry/a:id"), all.All("/a:feed/a:entry/a:id"));
}

TEST_F(FeedTest, PublicUrlMakesEveryLinkAbsoluteAndHostIsNeverUsed) {
  RunningServer server(Options(std::string(kPublicUrl) + "/"));
  const httplib::Headers hostile = {{"Host", "evil.example"},
                                    {"X-Forwarded-Proto", "https"},
                                    {"X-Forwarded-Host", "evil.example"}};
  auto res = server.Get("/feed.atom?q=harbour&theme=Ports", hostile);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_FALSE(Contains(res->body, "evil.example"));
  Xml feed(res->body);
  ASSERT_TRUE(feed.ok()) << res->body;
  EXPECT_EQ(feed.One("/a:feed/a:link[@rel='self']/@href"),
            std::string(kPublicUrl) + "/feed.atom?q=harbour&theme=Ports");
  EXPECT_EQ(feed.One("/a:feed/a:entry/a:link[@rel='alternate']/@href"),
            std::string(kPublicUrl) + "/article/wire/harbour:1");
  for (const std::string& href : feed.All("//a:link[@rel!='related']/@href")) {
    EXPECT_EQ(href.rfind(kPublicUrl, 0), 0u) << href;
  }

  auto os = server.Get("/opensearch.xml", hostile);
  ASSERT_TRUE(os);
  EXPECT_FALSE(Contains(os->body, "evil.example"));
  EXPECT_TRUE(Contains(os->body, std::string("template=\"") + kPublicUrl +
                                     "/search?q={searchTerms}\""));
  EXPECT_TRUE(Contains(os->body, std::string("<Url type=\"application/"
                                             "atom+xml\" method=\"get\" "
                                             "template=\"") +
                                     kPublicUrl +
                                     "/feed.atom?q={searchTerms}\"/>"))
      << os->body;
  EXPECT_EQ(os->get_header_value("Vary").find("Host"), std::string::npos);

  // Without a public URL, a hostile Host is not used either.
  RunningServer relative(Options());
  auto plain = relative.Get("/feed.atom?q=harbour", hostile);
  ASSERT_TRUE(plain);
  EXPECT_FALSE(Contains(plain->body, "evil.example"));
  Xml relative_feed(plain->body);
  ASSERT_TRUE(relative_feed.ok());
  for (const std::string& href :
       relative_feed.All("//a:link[@rel!='related']/@href")) {
    EXPECT_EQ(href.rfind('/', 0), 0u) << href;
  }
}

TEST_F(FeedTest, SearchPageLinksItsFeed) {
  RunningServer server(Options());
  auto page = server.Get("/search?q=harbour+pilots&theme=Ports&page=2");
  ASSERT_TRUE(page);
  EXPECT_TRUE(Contains(page->body,
                       "<link rel=\"alternate\" type=\"application/atom+xml\" "
                       "title=\"Follow this search (Atom)\" "
                       "href=\"/feed.atom?q=harbour%20pilots&amp;"
                       "theme=Ports\">"))
      << page->body;
}

TEST_F(FeedTest, BadParametersAreJsonErrors) {
  RunningServer server(Options());
  auto res = server.Get("/feed.atom?from=yesterday");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_TRUE(Contains(res->body, "\"invalid_argument\"")) << res->body;
  EXPECT_TRUE(Contains(res->body, "from")) << res->body;
}

TEST(PublicUrlTest, NormalisesAbsoluteHttpUrls) {
  const struct {
    const char* in;
    const char* out;
  } good[] = {
      {"", ""},
      {"http://example.org", "http://example.org"},
      {"HTTPS://News.Example.ORG/Pundit/", "https://news.example.org/Pundit"},
      {"https://example.org:8443//", "https://example.org:8443"},
      {"http://[::1]:8080/s", "http://[::1]:8080/s"},
  };
  for (const auto& c : good) {
    Result<std::string> url = NormalizePublicUrl(c.in);
    ASSERT_TRUE(url.ok()) << c.in << ": " << url.status().ToString();
    EXPECT_EQ(*url, c.out) << c.in;
  }
  for (const char* bad :
       {"example.org", "/pundit", "ftp://example.org", "javascript://x",
        "https://", "https:///path", "https://example.org/?q=1",
        "https://example.org/#top", "https://user@example.org",
        "https://exa mple.org", "https://example.org/\"><x>"}) {
    Result<std::string> url = NormalizePublicUrl(bad);
    ASSERT_FALSE(url.ok()) << bad;
    EXPECT_EQ(url.status().code(), Status::Code::kInvalidArgument) << bad;
    EXPECT_TRUE(Contains(url.status().message(), "--public-url")) << bad;
  }
}

TEST_F(FeedTest, ServerRefusesABadPublicUrl) {
  Result<std::unique_ptr<Server>> server =
      Server::Create(Options("ftp://example.org"));
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(Contains(server.status().message(), "http:// or https://"))
      << server.status().message();
}

}  // namespace
}  // namespace pundit
