// Properties of the JSON API's pure functions (web/api.h, web/api_util.h,
// searcher/results_json.h):
//  - ParseSearchParams leaves the documented defaults when nothing is given;
//  - each valid parameter lands in the right SearchRequest field; repeated
//    facet parameters are ORed values, empty ones are ignored, unknown
//    parameters are ignored;
//  - each bad parameter is kInvalidArgument with the exact message that names
//    the parameter, what is allowed and what was given;
//  - SearchResponseToJson, HitToJson, ArticleViewToJson, StatsToJson and
//    ErrorToJson produce the documented shapes (absent date/source/url/lede/
//    bio are null, facets keyed by name, timeline unit and buckets);
//  - HttpStatusFor maps every Status code;
//  - the UTF-8, date and HTML helpers accept and refuse what they say.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "searcher/results_json.h"
#include "web/api.h"
#include "web/api_util.h"

namespace pundit {
namespace {

using api::Params;

Params P(std::initializer_list<std::pair<std::string, std::string>> list) {
  Params params;
  for (const auto& kv : list) params.insert(kv);
  return params;
}

TEST(ApiParamsTest, NoParametersGiveTheDefaults) {
  Result<SearchRequest> r = api::ParseSearchParams({});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->q, "");
  EXPECT_TRUE(r->filters.empty());
  EXPECT_EQ(r->from, "");
  EXPECT_EQ(r->to, "");
  EXPECT_EQ(r->sort, SortOrder::kRelevance);
  EXPECT_EQ(r->op, DefaultOp::kAnd);
  EXPECT_EQ(r->page, 1);
  EXPECT_EQ(r->per_page, 10);
  EXPECT_EQ(r->facet_limit, 10);
  EXPECT_TRUE(r->want_facets);
  EXPECT_TRUE(r->want_snippets);
}

TEST(ApiParamsTest, EmptyValuesMeanTheDefault) {
  Result<SearchRequest> r = api::ParseSearchParams(P({{"q", ""},
                                                      {"sort", ""},
                                                      {"page", ""},
                                                      {"per_page", ""},
                                                      {"op", ""},
                                                      {"facet_limit", ""},
                                                      {"from", ""},
                                                      {"to", ""},
                                                      {"author", ""},
                                                      {"year", ""}}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->page, 1);
  EXPECT_EQ(r->per_page, 10);
  EXPECT_EQ(r->sort, SortOrder::kRelevance);
  EXPECT_TRUE(r->filters.empty());
}

TEST(ApiParamsTest, ValidParametersLandInTheirFields) {
  Result<SearchRequest> r = api::ParseSearchParams(P({
      {"q", "\"free trade\" -tariff"},
      {"author", "Andrew Korybko"},
      {"author", "Jane Doe"},
      {"author", "Andrew Korybko"},  // duplicates are dropped
      {"region", "Asia"},
      {"theme", "Intelligence"},
      {"source", "Oriental Review"},
      {"year", "2019"},
      {"from", "2019-01-01"},
      {"to", "2019-12-31"},
      {"sort", "newest"},
      {"page", "3"},
      {"per_page", "100"},
      {"op", "or"},
      {"facet_limit", "0"},
      {"unknown", "ignored"},
  }));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->q, "\"free trade\" -tariff");
  EXPECT_EQ(r->filters.at("author"),
            (std::vector<std::string>{"Andrew Korybko", "Jane Doe"}));
  EXPECT_EQ(r->filters.at("region"), std::vector<std::string>{"Asia"});
  EXPECT_EQ(r->filters.at("theme"), std::vector<std::string>{"Intelligence"});
  EXPECT_EQ(r->filters.at("source"),
            std::vector<std::string>{"Oriental Review"});
  EXPECT_EQ(r->filters.at("year"), std::vector<std::string>{"2019"});
  EXPECT_EQ(r->filters.size(), 5u);
  EXPECT_EQ(r->from, "2019-01-01");
  EXPECT_EQ(r->to, "2019-12-31");
  EXPECT_EQ(r->sort, SortOrder::kNewest);
  EXPECT_EQ(r->page, 3);
  EXPECT_EQ(r->per_page, 100);
  EXPECT_EQ(r->op, DefaultOp::kOr);
  EXPECT_EQ(r->facet_limit, 0);
}

TEST(ApiParamsTest, EachSortAndOpValueIsRead) {
  struct Case {
    std::string sort;
    SortOrder expected;
  };
  for (const Case& c : std::vector<Case>{{"relevance", SortOrder::kRelevance},
                                         {"newest", SortOrder::kNewest},
                                         {"oldest", SortOrder::kOldest}}) {
    Result<SearchRequest> r = api::ParseSearchParams(P({{"sort", c.sort}}));
    ASSERT_TRUE(r.ok()) << c.sort;
    EXPECT_EQ(r->sort, c.expected) << c.sort;
  }
  Result<SearchRequest> r = api::ParseSearchParams(P({{"op", "and"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->op, DefaultOp::kAnd);
  EXPECT_TRUE(r->correct_zero_hits);
  r = api::ParseSearchParams(P({{"as_typed", "1"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->correct_zero_hits);
  r = api::ParseSearchParams(P({{"as_typed", "0"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->correct_zero_hits);
}

TEST(ApiParamsTest, CollapseIsGroupUnlessNone) {
  for (const auto& [value, expected] :
       std::vector<std::pair<std::string, bool>>{
           {"", true}, {"group", true}, {"none", false}}) {
    Result<SearchRequest> r = api::ParseSearchParams(P({{"collapse", value}}));
    ASSERT_TRUE(r.ok()) << value;
    EXPECT_EQ(r->collapse, expected) << value;
  }
  EXPECT_TRUE(api::ParseSearchParams(P({}))->collapse);
}

TEST(ApiParamsTest, BoundaryValuesAreAccepted) {
  const std::vector<Params> cases = {
      P({{"page", "1"}}),
      P({{"page", "100000"}}),
      P({{"per_page", "1"}}),
      P({{"per_page", "100"}}),
      P({{"facet_limit", "0"}}),
      P({{"facet_limit", "1000"}}),
      P({{"q", std::string(1000, 'a')}}),
      P({{"from", "2020-02-29"}, {"to", "2020-02-29"}}),
      P({{"year", "1987"}}),
  };
  for (const Params& params : cases) {
    Result<SearchRequest> r = api::ParseSearchParams(params);
    EXPECT_TRUE(r.ok()) << params.begin()->first << "="
                        << params.begin()->second.substr(0, 20) << ": "
                        << r.status().ToString();
  }
}

TEST(ApiParamsTest, BadParametersAreRefusedWithAMessageNamingTheFix) {
  struct Case {
    Params params;
    std::string message;
  };
  const std::vector<Case> cases = {
      {P({{"sort", "date"}}),
       "sort must be relevance, newest or oldest, got \"date\""},
      {P({{"page", "0"}}), "page must be between 1 and 100000, got 0"},
      {P({{"page", "-1"}}), "page must be between 1 and 100000, got -1"},
      {P({{"page", "100001"}}),
       "page must be between 1 and 100000, got 100001"},
      {P({{"page", "abc"}}), "page must be a whole number, got \"abc\""},
      {P({{"page", "1.5"}}), "page must be a whole number, got \"1.5\""},
      {P({{"page", " 2"}}), "page must be a whole number, got \" 2\""},
      {P({{"page", "99999999999999999999999"}}),
       "page must be between 1 and 100000, got 99999999999999999999999"},
      {P({{"per_page", "1000"}}),
       "per_page must be between 1 and 100, got 1000"},
      {P({{"per_page", "0"}}), "per_page must be between 1 and 100, got 0"},
      {P({{"per_page", "ten"}}),
       "per_page must be a whole number, got \"ten\""},
      {P({{"facet_limit", "1001"}}),
       "facet_limit must be between 0 and 1000, got 1001"},
      {P({{"facet_limit", "-1"}}),
       "facet_limit must be between 0 and 1000, got -1"},
      {P({{"op", "xor"}}), "op must be and or or, got \"xor\""},
      {P({{"as_typed", "yes"}}), "as_typed must be 0 or 1, got \"yes\""},
      {P({{"op", "AND"}}), "op must be and or or, got \"AND\""},
      {P({{"collapse", "all"}}),
       "collapse must be group (the default: one hit per group of copies) "
       "or none (every copy), got \"all\""},
      {P({{"from", "2019-13-01"}}),
       "from must be a date as YYYY-MM-DD, got \"2019-13-01\""},
      {P({{"from", "2019-02-29"}}),
       "from must be a date as YYYY-MM-DD, got \"2019-02-29\""},
      {P({{"to", "31/01/2019"}}),
       "to must be a date as YYYY-MM-DD, got \"31/01/2019\""},
      {P({{"to", "2019-1-5"}}),
       "to must be a date as YYYY-MM-DD, got \"2019-1-5\""},
      {P({{"from", "2020-01-01"}, {"to", "2019-01-01"}}),
       "from (2020-01-01) is after to (2019-01-01); swap them"},
      {P({{"year", "19"}}),
       "year must be a year of 4 digits such as 2019, got \"19\""},
      {P({{"year", "2019x"}}),
       "year must be a year of 4 digits such as 2019, got \"2019x\""},
      {P({{"q", std::string(10001, 'a')}}),
       "q must be at most 10000 bytes long, got 10001"},
      {P({{"q", "a"}, {"q", "b"}}), "q is given 2 times; give it once"},
      {P({{"page", "1"}, {"page", "2"}, {"page", "3"}}),
       "page is given 3 times; give it once"},
      {P({{"q", "caf\xC3"}}),
       "q is not valid UTF-8; percent-encode the UTF-8 bytes of the text"},
      {P({{"author", std::string(201, 'x')}}),
       "author values must be at most 200 bytes long, got 201"},
      {P({{"sort", std::string(50, 'z')}}),
       "sort must be relevance, newest or oldest, got \"" +
           std::string(40, 'z') + "...\""},
  };
  for (const Case& c : cases) {
    Result<SearchRequest> r = api::ParseSearchParams(c.params);
    ASSERT_FALSE(r.ok()) << c.message;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << c.message;
    EXPECT_EQ(r.status().message(), c.message);
  }
}

SearchResponse MakeResponse() {
  SearchResponse response;
  response.q = "compromise";
  response.interpreted = "compromis (stemmed)";
  response.corrected = "compromise";
  response.total = 42;
  response.total_groups = 41;
  response.page = 2;
  response.per_page = 1;
  response.took_ms = 1.23456;
  Hit hit;
  hit.id = "blog/2019/astana";
  hit.title = "Astana & <Caracas>";
  hit.title_html = "Astana &amp; &lt;Caracas&gt;";
  hit.authors = {"Andrew Korybko"};
  hit.date = "2019-01-31";
  hit.regions = {"Asia", "Latin America"};
  hit.themes = {"Intelligence"};
  hit.source = "";
  hit.url = "";
  hit.score = 12.345678;
  hit.snippets = {"\xE2\x80\xA6<mark>compromises</mark>\xE2\x80\xA6"};
  hit.copies = {{"wire/world:7", "Lakeside Wire", "", "2019-02-01"}};
  response.hits.push_back(hit);
  response.facets = {
      {"author", {{"Andrew Korybko", 3, true}, {"Jane Doe", 1, false}}},
      {"region", {{"Asia", 2, false}}},
      {"theme", {}},
      {"source", {}},
      {"year", {{"2019", 4, false}}},
  };
  response.timeline_unit = "month";
  response.timeline = {{"2019-01", 3}, {"2019-02", 1}};
  return response;
}

TEST(ApiJsonTest, SearchResponseHasTheDocumentedShape) {
  nlohmann::json expected = nlohmann::json::parse(R"json({
    "query": {"q": "compromise", "interpreted": "compromis (stemmed)",
              "corrected": "compromise", "showing": null, "notice": null},
    "total": 42, "total_groups": 41, "page": 2, "per_page": 1,
    "took_ms": 1.23,
    "hits": [{
      "id": "blog/2019/astana",
      "title": "Astana & <Caracas>",
      "title_html": "Astana &amp; &lt;Caracas&gt;",
      "authors": ["Andrew Korybko"],
      "date": "2019-01-31",
      "regions": ["Asia", "Latin America"],
      "themes": ["Intelligence"],
      "source": null,
      "url": null,
      "score": 12.3457,
      "snippets": ["…<mark>compromises</mark>…"],
      "copies": [{"id": "wire/world:7", "source": "Lakeside Wire",
                  "url": null, "date": "2019-02-01"}]
    }],
    "facets": {
      "author": [{"value": "Andrew Korybko", "count": 3, "selected": true},
                 {"value": "Jane Doe", "count": 1, "selected": false}],
      "region": [{"value": "Asia", "count": 2, "selected": false}],
      "theme": [], "source": [],
      "year": [{"value": "2019", "count": 4, "selected": false}]
    },
    "timeline": {"unit": "month",
                 "buckets": [{"key": "2019-01", "count": 3},
                             {"key": "2019-02", "count": 1}]}
  })json");
  EXPECT_EQ(api::SearchResponseToJson(MakeResponse()), expected);
}

TEST(ApiJsonTest, EmptyResponseHasEmptyListsAndNulls) {
  SearchResponse response;
  nlohmann::json j = api::SearchResponseToJson(response);
  EXPECT_TRUE(j["hits"].is_array());
  EXPECT_TRUE(j["hits"].empty());
  EXPECT_TRUE(j["facets"].is_object());
  EXPECT_TRUE(j["timeline"]["buckets"].is_array());
  EXPECT_TRUE(j["timeline"]["unit"].is_null());
  EXPECT_TRUE(j["query"]["corrected"].is_null());
  EXPECT_TRUE(j["query"]["showing"].is_null());
  EXPECT_TRUE(j["query"]["notice"].is_null());
  EXPECT_EQ(j["total"], 0);
}

TEST(ApiJsonTest, HitWithoutDateHasNullDateAndEscapedTitleHtml) {
  Hit hit;
  hit.id = "wire/world:3";
  hit.title = "A <b> title";
  nlohmann::json j = api::HitToJson(hit);
  EXPECT_TRUE(j["date"].is_null());
  EXPECT_TRUE(j["source"].is_null());
  EXPECT_TRUE(j["url"].is_null());
  EXPECT_EQ(j["title_html"], "A &lt;b&gt; title");
  EXPECT_EQ(j["id"], "wire/world:3");
}

TEST(ApiJsonTest, ArticleViewHasBlocksWithTypeTextAndHtml) {
  ArticleView view;
  view.article.id = "blog/2019/astana";
  view.article.title = "Astana";
  view.article.authors = {"Andrew Korybko"};
  view.article.date = "2019-01-31";
  view.article.url = "https://example.org/a";
  view.article.lede = "The lede";
  view.article.body = {{Block::Kind::kHeading, "A head"},
                       {Block::Kind::kParagraph, "Some compromises here."}};
  view.title_html = "Astana";
  view.lede_html = "The lede";
  view.body_html = {{true, "A head"},
                    {false, "Some <mark>compromises</mark> here."}};
  view.match_count = 1;
  nlohmann::json expected = nlohmann::json::parse(R"({
    "id": "blog/2019/astana", "title": "Astana", "title_html": "Astana",
    "authors": ["Andrew Korybko"], "date": "2019-01-31",
    "regions": [], "themes": [], "source": null,
    "url": "https://example.org/a",
    "lede": "The lede", "lede_html": "The lede",
    "body": [
      {"type": "heading", "text": "A head", "html": "A head"},
      {"type": "paragraph", "text": "Some compromises here.",
       "html": "Some <mark>compromises</mark> here."}
    ],
    "bio": null, "bio_html": null, "match_count": 1
  })");
  EXPECT_EQ(api::ArticleViewToJson(view), expected);
}

TEST(ApiJsonTest, ArticleViewWithoutHtmlEscapesTheText) {
  ArticleView view;
  view.article.id = "x";
  view.article.title = "<script>alert(1)</script>";
  view.article.body = {{Block::Kind::kParagraph, "1 < 2 & \"3\""}};
  nlohmann::json j = api::ArticleViewToJson(view);
  EXPECT_EQ(j["title_html"], "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(j["body"][0]["html"], "1 &lt; 2 &amp; &quot;3&quot;");
}

TEST(ApiJsonTest, StatsHaveDateRangeCardinalitiesAndSize) {
  IndexStats stats;
  stats.articles = 3;
  stats.first_date = "2019-01-31";
  stats.last_date = "2020-05-01";
  stats.facet_cardinality = {{"author", 2}, {"region", 5}};
  stats.index_bytes = 123456;
  stats.last_indexed = "2024-01-02T03:04:05Z";
  stats.generation = "gen-000001";
  nlohmann::json expected = nlohmann::json::parse(R"({
    "articles": 3,
    "date_range": {"first": "2019-01-31", "last": "2020-05-01"},
    "facet_cardinality": {"author": 2, "region": 5},
    "index_bytes": 123456,
    "last_indexed": "2024-01-02T03:04:05Z",
    "generation": "gen-000001"
  })");
  EXPECT_EQ(api::StatsToJson(stats), expected);
  nlohmann::json empty = api::StatsToJson(IndexStats{});
  EXPECT_TRUE(empty["date_range"]["first"].is_null());
  EXPECT_TRUE(empty["last_indexed"].is_null());
  EXPECT_TRUE(empty["index_bytes"].is_null());  // shard servers' size
}

TEST(ApiJsonTest, ErrorsHaveCodeAndMessage) {
  EXPECT_EQ(api::ErrorToJson(Status::InvalidArgument("page must be ...")),
            nlohmann::json::parse(R"({"error": {"code": "invalid_argument",
                                     "message": "page must be ..."}})"));
  EXPECT_EQ(api::ErrorToJson(Status::NotFound("no article"))["error"]["code"],
            "not_found");
}

TEST(ApiJsonTest, HttpStatusForEachCode) {
  struct Case {
    Status status;
    int http;
  };
  const std::vector<Case> cases = {
      {Status::Ok(), 200},
      {Status::InvalidArgument("x"), 400},
      {Status::NotFound("x"), 404},
      {Status::Corruption("x"), 503},
      {Status::IoError("x"), 503},
      {Status::Locked("x"), 503},
      {Status::VersionMismatch("x"), 503},
      {Status::Internal("x"), 500},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(api::HttpStatusFor(c.status), c.http) << c.status.ToString();
  }
}

TEST(ApiUtilTest, Utf8ValidationTable) {
  struct Case {
    std::string text;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"", true},
      {"plain", true},
      {"caf\xC3\xA9", true},
      {"\xE2\x80\xA6", true},
      {"\xF0\x9F\x98\x80", true},
      {"caf\xC3", false},           // truncated
      {"\xC0\xAF", false},          // overlong '/'
      {"\xED\xA0\x80", false},      // surrogate
      {"\xF4\x90\x80\x80", false},  // above U+10FFFF
      {"\xFF", false},
      {"\x80", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(api::IsValidUtf8(c.text), c.valid)
        << testing::PrintToString(c.text);
  }
}

TEST(ApiUtilTest, DateValidationTable) {
  struct Case {
    std::string text;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"2019-01-31", true},  {"2020-02-29", true},  {"2000-02-29", true},
      {"1900-02-29", false}, {"2019-02-29", false}, {"2019-04-31", false},
      {"2019-00-10", false}, {"2019-12-00", false}, {"0000-01-01", false},
      {"2019-1-31", false},  {"20190131", false},   {"2019-01-31T00", false},
      {"", false},           {"abcd-ef-gh", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(api::IsValidIsoDate(c.text), c.valid) << c.text;
  }
}

TEST(ApiUtilTest, HtmlEscapingAndJsonDumpOfInvalidUtf8) {
  EXPECT_EQ(api::EscapeHtml("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(api::DumpJson(nlohmann::json("a\xFF")), "\"a\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace pundit
