// End-to-end tests of the Searcher over a small real index on disk.
//
// Properties checked (the corpus of twelve tiny articles below is built in
// a fresh temp dir for each test; expected values were counted by hand):
// - each query operator and field scope finds exactly what it should, and
//   exact forms rank above other forms of the same stem;
// - total is exact and pagination walks every hit once;
// - sort=newest/oldest order by date (undated articles last);
// - facet counts are exact and disjunctive: with a theme selected, the other
//   themes show what they would add; selected values are always listed,
//   even with count 0; several values of one facet are ORed;
// - the timeline counts months, or years when the matches span more than
//   ten years, with empty buckets in between;
// - snippets mark stemmed matches and escape the article text; without
//   words the snippet is the lede;
// - did-you-mean offers `cocoa` for `cocao`; a query that matches nothing
//   gets its correction's results with `showing` (q as typed), unless
//   correct_zero_hits is off; a word of one article is offered too, the
//   closest before the most frequent;
// - authors are found as free text ("escobar", "korybko venezuela") while
//   author: stays the exact facet;
// - `?` and inner `*` wildcards and NEAR/n over the real index;
// - related articles never include the article or an exact duplicate;
// - GetArticle marks matches; Stats and FacetValues report the index;
// - invalid requests are kInvalidArgument with a message naming the
//   parameter;
// - a Searcher sees a new commit and a swap to a new generation without
//   error, and two Searchers never fail while a writer commits in a loop;
// - over corpus/russia-astana-venezuela.md (when present): compromise finds
//   it with `compromises` marked, its author and theme select it, and
//   astana with region=Asia does not;
// - over all of corpus/ indexed by the real indexer: the sample's footer
//   (disclaimer, "share buttons", globalresearch.ca) finds nothing; phrases
//   across its two healed page breaks ("as soon as possible", "next
//   Syria") find it; each of its facet values (author, both regions,
//   theme, source, year) finds it, as a filter and in the query language.
#include "searcher/searcher.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/analyzer.h"
#include "core/document.h"
#include "core/positions.h"
#include "core/schema.h"
#include "core/store.h"
#include "indexer/indexer.h"
#include "searcher/position_match.h"
#include "searcher/spelling.h"
#include "tests/test_util.h"

namespace pundit {
namespace {

Article Make(const std::string& id, const std::string& title,
             std::vector<std::string> authors, const std::string& date,
             std::vector<std::string> regions, std::vector<std::string> themes,
             const std::string& source, const std::string& lede,
             std::vector<std::string> paragraphs) {
  Article a;
  a.id = id;
  a.title = title;
  a.authors = std::move(authors);
  a.date = date;
  a.regions = std::move(regions);
  a.themes = std::move(themes);
  a.source = source;
  a.lede = lede;
  for (auto& p : paragraphs)
    a.body.push_back({Block::Kind::kParagraph, std::move(p)});
  a.path = "/corpus/" + id + ".md";
  return a;
}

std::vector<Article> Corpus() {
  std::vector<Article> c;
  c.push_back(
      Make("a01", "Venezuela crisis deepens", {"Andrew Korybko"}, "2019-01-15",
           {"Latin America"}, {"Intelligence"}, "OneWorld", "Caracas is tense.",
           {"The crisis in Venezuela deepened as Juan Guaidó declared himself "
            "president. Both sides refused any compromise."}));
  c.push_back(
      Make("a02", "Astana talks on Syria", {"Andrew Korybko"}, "2019-02-10",
           {"Asia", "Middle East"}, {"Diplomacy"}, "OneWorld", "",
           {"Peace talks in Astana brought Russia, Turkey and Iran together. "
            "The compromises reached were modest."}));
  c.push_back(
      Make("a03", "Cocoa prices in West Africa", {"Jane Smith"}, "2019-02-20",
           {"Africa"}, {"Economy"}, "Global Research", "",
           {"Cocoa farmers in Ghana face falling cocoa prices. The cocoa trade "
            "is dominated by a few firms."}));
  c.push_back(Make(
      "a04", "Cocoa and chocolate", {"John Smith"}, "2019-03-05", {"Africa"},
      {"Economy"}, "Global Research", "",
      {"Chocolate makers buy cocoa from Ivory Coast. Oil is not involved."}));
  c.push_back(Make(
      "a05", "Oil and sanctions", {"Pepe Escobar"}, "2019-03-18",
      {"Middle East"}, {"Economy", "Intelligence"}, "Asia Times", "",
      {"Sanctions on Iranian oil hurt Europe. Gas pipelines were spared."}));
  c.push_back(Make(
      "a06", "Gas pipelines to Europe", {"Pepe Escobar"}, "2019-04-02",
      {"Europe"}, {"Economy"}, "Asia Times", "",
      {"Gas flows through new pipelines. The oil market reacted calmly."}));
  c.push_back(Make("a07", "Economic integration of Afro-Eurasia",
                   {"Andrew Korybko", "Pepe Escobar"}, "2019-04-20", {"Asia"},
                   {"Economy"}, "OneWorld", "",
                   {"The economy of Afro-Eurasia is becoming more integrated. "
                    "Economists debate the economics of the Belt and Road."}));
  c.push_back(Make(
      "a08", "Russia and China near the border", {"Jane Smith"}, "2019-05-11",
      {"Asia", "Europe"}, {"Diplomacy"}, "Global Research", "",
      {"Russia signed a deal while China watched from across the border. "
       "Russia and China agree on most issues."}));
  c.push_back(
      Make("a09", "Arctic interests", {"Mikhail Lebedev"}, "2019-06-01",
           {"Europe"}, {"Security"}, "Strategic Culture", "",
           {"Russia has many interests in the Arctic region, and the northern "
            "sea route matters a great deal for shipping, energy exports, "
            "military planning and fisheries, unlike China."}));
  Article dup = c[1];  // an exact copy of a02 under another id
  dup.id = "dup/a02";
  dup.path = "/corpus/dup/a02.md";
  c.push_back(dup);
  c.push_back(Make("a11", "Old report on Venezuela", {"Eva Golinger"},
                   "2005-07-01", {"Latin America"}, {"Intelligence"},
                   "Venezuelanalysis", "",
                   {"An early look at Venezuela and the coup attempt."}));
  c.push_back(
      Make("a12", "Undated note", {}, "", {}, {}, "", "",
           {"A note with no date about <script>alert(1)</script> and cocoa."}));
  return c;
}

// Writes `articles` as a new generation of `dir` and makes it live.
std::string WriteGeneration(const std::string& dir,
                            const std::vector<Article>& articles) {
  std::filesystem::create_directories(dir);
  std::string gen = store::NextGenerationName(dir);
  {
    Xapian::WritableDatabase db(dir + "/" + gen, Xapian::DB_CREATE_OR_OPEN);
    Analyzer analyzer;
    for (const Article& a : articles) {
      db.replace_document(schema::IdTerm(a.id),
                          BuildDocument(a, a.path, analyzer));
    }
    db.set_metadata(std::string(schema::kSchemaKey),
                    std::to_string(schema::kSchemaVersion));
    db.set_metadata(std::string(schema::kLastIndexedKey),
                    "2024-01-02T03:04:05Z");
    db.commit();
  }
  Status s = store::MakeLive(dir, gen);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return gen;
}

std::set<std::string> Ids(const SearchResponse& r) {
  std::set<std::string> ids;
  for (const Hit& h : r.hits) ids.insert(h.id);
  return ids;
}

std::vector<std::string> IdList(const SearchResponse& r) {
  std::vector<std::string> ids;
  for (const Hit& h : r.hits) ids.push_back(h.id);
  return ids;
}

class SearcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.Sub("db");
    generation_ = WriteGeneration(dir_, Corpus());
    auto s = Searcher::Open({dir_});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    searcher_ = std::move(s.value());
  }

  SearchResponse Search(SearchRequest r) {
    if (r.per_page == 10) r.per_page = 100;
    auto res = searcher_->Search(r);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? res.value() : SearchResponse{};
  }
  SearchResponse Q(const std::string& q, DefaultOp op = DefaultOp::kAnd) {
    SearchRequest r;
    r.q = q;
    r.op = op;
    return Search(r);
  }
  static const std::vector<FacetValue>& Facet(const SearchResponse& r,
                                              const std::string& name) {
    for (const auto& [n, values] : r.facets) {
      if (n == name) return values;
    }
    static const std::vector<FacetValue> kNone;
    ADD_FAILURE() << "no facet " << name;
    return kNone;
  }
  static long CountOf(const std::vector<FacetValue>& values,
                      const std::string& v, bool* selected = nullptr) {
    for (const FacetValue& fv : values) {
      if (fv.value == v) {
        if (selected) *selected = fv.selected;
        return fv.count;
      }
    }
    return -1;  // not listed
  }

  testing::TempDir tmp_;
  std::string dir_, generation_;
  std::unique_ptr<Searcher> searcher_;
};

using IdSet = std::set<std::string>;

TEST_F(SearcherTest, EachOperatorFindsWhatItShould) {
  struct {
    std::string q;
    IdSet expected;
    DefaultOp op = DefaultOp::kAnd;
  } cases[] = {
      {"cocoa", {"a03", "a04", "a12"}},
      {"COCOA", {"a03", "a04", "a12"}},
      {"cocoa chocolate", {"a04"}},
      {"cocoa chocolate", {"a03", "a04", "a12"}, DefaultOp::kOr},
      {"cocoa -chocolate", {"a03", "a12"}},
      {"cocoa NOT chocolate", {"a03", "a12"}},
      {"gas OR chocolate", {"a04", "a05", "a06"}},
      {"(gas OR chocolate) sanctions", {"a05"}},
      {"\"peace talks\"", {"a02", "dup/a02"}},
      {"\u201cpeace talks\u201d", {"a02", "dup/a02"}},
      {"\"talks peace\"", {}},
      {"\"compromises reached\"", {"a02", "dup/a02"}},
      {"\"compromise reached\"", {}},
      {"compromise", {"a01", "a02", "dup/a02"}},
      {"russia china", {"a08", "a09"}},
      {"russia NEAR china", {"a08"}},
      {"econom*", {"a07"}},
      {"econom* NEAR integrated", {"a07"}},
      {"\"gas pipelines\" NEAR spared", {"a05"}},
      {"title:cocoa", {"a03", "a04"}},
      {"title:\"gas pipelines\"", {"a06"}},
      {"author:korybko", {"a01", "a02", "a07", "dup/a02"}},
      {"author:\"andrew korybko\"", {"a01", "a02", "a07", "dup/a02"}},
      {"author:smith", {"a03", "a04", "a08"}},
      {"cocoa author:smith", {"a03", "a04"}},
      {"region:asia", {"a02", "a07", "a08", "dup/a02"}},
      {"theme:intelligence", {"a01", "a05", "a11"}},
      {"source:\"asia times\"", {"a05", "a06"}},
      {"date:2019-03-01..2019-03-31", {"a04", "a05"}},
      {"date:2019-06-01..", {"a09"}},
      {"date:..2005-12-31", {"a11"}},
      {"year:2005", {"a11"}},
      {"venezuela -year:2019", {"a11"}},
      {"guaido", {"a01"}},
      {"Guaid\u00f3", {"a01"}},
      {"Afro-Eurasia", {"a07"}},
      {"afroeurasia", {"a07"}},
      {"\"afro eurasia\"", {"a07"}},
      {"(cocoa", {"a03", "a04", "a12"}},
      {"author:nobody", {}},
  };
  for (const auto& c : cases) {
    SearchResponse r = Q(c.q, c.op);
    EXPECT_EQ(Ids(r), c.expected) << "query: " << c.q;
    EXPECT_EQ(r.total, static_cast<long>(c.expected.size()))
        << "query: " << c.q;
  }
}

TEST_F(SearcherTest, ReportsInterpretationAndNotice) {
  SearchResponse r = Q("venezuela crisis author:korybko");
  EXPECT_EQ(r.interpreted, "(venezuela AND crisis) author:\"Andrew Korybko\"");
  EXPECT_FALSE(r.notice.has_value());
  r = Q("(cocoa");
  EXPECT_EQ(r.notice.value_or(""),
            "could not read the query (unclosed parenthesis at 1): searched as "
            "plain words");
}

TEST_F(SearcherTest, ExactFormRanksAboveOtherForms) {
  SearchResponse r = Q("compromise");
  ASSERT_EQ(r.hits.size(), 3u);
  EXPECT_EQ(r.hits[0].id, "a01");
  EXPECT_GT(r.hits[0].score, r.hits[1].score);
}

TEST_F(SearcherTest, TitleMatchesRankFirst) {
  SearchResponse r = Q("cocoa");
  ASSERT_EQ(r.hits.size(), 3u);
  EXPECT_EQ(r.hits.back().id, "a12");  // body only
}

TEST_F(SearcherTest, PaginationWalksEveryHitOnceWithExactTotal) {
  std::vector<std::string> seen;
  for (int page = 1; page <= 4; ++page) {
    SearchRequest r;
    r.page = page;
    r.per_page = 5;
    auto res = searcher_->Search(r);
    ASSERT_TRUE(res.ok());
    EXPECT_EQ(res->total, 12);
    EXPECT_EQ(res->page, page);
    EXPECT_EQ(res->hits.size(), page < 3 ? 5u : page == 3 ? 2u : 0u);
    for (const Hit& h : res->hits) seen.push_back(h.id);
  }
  EXPECT_EQ(seen.size(), 12u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 12u);
}

TEST_F(SearcherTest, SortsByDate) {
  SearchRequest r;
  r.sort = SortOrder::kNewest;
  std::vector<std::string> newest = IdList(Search(r));
  ASSERT_EQ(newest.size(), 12u);
  EXPECT_EQ(newest[0], "a09");
  EXPECT_EQ(newest[1], "a08");
  EXPECT_EQ(newest[10], "a11");
  EXPECT_EQ(newest[11], "a12");  // undated last
  r.sort = SortOrder::kOldest;
  std::vector<std::string> oldest = IdList(Search(r));
  ASSERT_EQ(oldest.size(), 12u);
  EXPECT_EQ(oldest[0], "a11");
  EXPECT_EQ(oldest[1], "a01");
  EXPECT_EQ(oldest[10], "a09");
  EXPECT_EQ(oldest[11], "a12");  // undated last

  r.q = "cocoa";
  r.sort = SortOrder::kNewest;
  EXPECT_EQ(IdList(Search(r)), (std::vector<std::string>{"a04", "a03", "a12"}));
  r.sort = SortOrder::kOldest;
  EXPECT_EQ(IdList(Search(r)), (std::vector<std::string>{"a03", "a04", "a12"}));
}

TEST_F(SearcherTest, FacetCountsAreExactAndDisjunctive) {
  SearchRequest r;
  r.filters["theme"] = {"Economy"};
  SearchResponse res = Search(r);
  EXPECT_EQ(Ids(res), (IdSet{"a03", "a04", "a05", "a06", "a07"}));
  EXPECT_EQ(res.total, 5);
  // Themes: counted without the theme filter, so the others show what
  // selecting them would add.
  const auto& themes = Facet(res, "theme");
  bool selected = false;
  EXPECT_EQ(CountOf(themes, "Economy", &selected), 5);
  EXPECT_TRUE(selected);
  EXPECT_EQ(CountOf(themes, "Intelligence", &selected), 3);
  EXPECT_FALSE(selected);
  EXPECT_EQ(CountOf(themes, "Diplomacy"), 3);
  EXPECT_EQ(CountOf(themes, "Security"), 1);
  // Other facets: counted within the selection.
  const auto& authors = Facet(res, "author");
  EXPECT_EQ(CountOf(authors, "Pepe Escobar"), 3);
  EXPECT_EQ(CountOf(authors, "Andrew Korybko"), 1);
  EXPECT_EQ(CountOf(authors, "Jane Smith"), 1);
  EXPECT_EQ(CountOf(authors, "John Smith"), 1);
  EXPECT_EQ(CountOf(authors, "Eva Golinger"), -1);  // count 0: not listed
  const auto& regions = Facet(res, "region");
  EXPECT_EQ(CountOf(regions, "Africa"), 2);
  EXPECT_EQ(CountOf(regions, "Asia"), 1);
  EXPECT_EQ(CountOf(regions, "Europe"), 1);
  EXPECT_EQ(CountOf(regions, "Middle East"), 1);
  EXPECT_EQ(CountOf(Facet(res, "year"), "2019"), 5);
  EXPECT_EQ(CountOf(Facet(res, "source"), "Global Research"), 2);

  // Two facets: each counted with the other's filter only.
  r.filters["author"] = {"Pepe Escobar"};
  res = Search(r);
  EXPECT_EQ(Ids(res), (IdSet{"a05", "a06", "a07"}));
  EXPECT_EQ(CountOf(Facet(res, "theme"), "Economy"), 3);
  EXPECT_EQ(CountOf(Facet(res, "theme"), "Intelligence"), 1);
  EXPECT_EQ(CountOf(Facet(res, "theme"), "Diplomacy"), -1);
  EXPECT_EQ(CountOf(Facet(res, "author"), "Pepe Escobar"), 3);
  EXPECT_EQ(CountOf(Facet(res, "author"), "Jane Smith"), 1);
  EXPECT_EQ(CountOf(Facet(res, "author"), "Andrew Korybko"), 1);

  // Facet counts follow the text query too.
  SearchResponse cocoa = Q("cocoa");
  EXPECT_EQ(CountOf(Facet(cocoa, "author"), "Jane Smith"), 1);
  EXPECT_EQ(CountOf(Facet(cocoa, "region"), "Africa"), 2);
  EXPECT_EQ(CountOf(Facet(cocoa, "theme"), "Economy"), 2);
}

TEST_F(SearcherTest, ValuesOfOneFacetAreOred) {
  SearchRequest r;
  r.filters["theme"] = {"Economy", "Intelligence"};
  SearchResponse res = Search(r);
  EXPECT_EQ(Ids(res), (IdSet{"a01", "a03", "a04", "a05", "a06", "a07", "a11"}));
  EXPECT_EQ(res.total, 7);
  // a05 has both themes and counts once.
  r.filters["theme"] = {"economy", "INTELLIGENCE"};  // case-insensitive
  EXPECT_EQ(Search(r).total, 7);
}

TEST_F(SearcherTest, SelectedValuesAreAlwaysListed) {
  SearchRequest r;
  r.filters["author"] = {"Nobody Here"};
  r.facet_limit = 1;
  SearchResponse res = Search(r);
  EXPECT_EQ(res.total, 0);
  EXPECT_TRUE(res.hits.empty());
  const auto& authors = Facet(res, "author");
  bool selected = false;
  EXPECT_EQ(CountOf(authors, "Nobody Here", &selected), 0);
  EXPECT_TRUE(selected);
  // The top value by count comes first, then the selection.
  ASSERT_EQ(authors.size(), 2u);
  EXPECT_EQ(authors[0].value, "Andrew Korybko");
  EXPECT_EQ(authors[0].count, 4);

  // A selected value outside the top facet_limit is listed too.
  r.filters["author"] = {"Eva Golinger"};
  res = Search(r);
  const auto& listed = Facet(res, "author");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[1].value, "Eva Golinger");
  EXPECT_EQ(listed[1].count, 1);
  EXPECT_TRUE(listed[1].selected);
}

TEST_F(SearcherTest, FacetValuesAreOrderedByCountThenValue) {
  SearchResponse res = Search(SearchRequest{});
  const auto& authors = Facet(res, "author");
  ASSERT_EQ(authors.size(), 6u);
  EXPECT_EQ(authors[0].value, "Andrew Korybko");  // 4
  EXPECT_EQ(authors[1].value, "Pepe Escobar");    // 3
  EXPECT_EQ(authors[2].value, "Jane Smith");      // 2
  EXPECT_EQ(authors[3].value, "Eva Golinger");    // 1, then by value
  EXPECT_EQ(authors[4].value, "John Smith");
  EXPECT_EQ(authors[5].value, "Mikhail Lebedev");
  SearchRequest limited;
  limited.facet_limit = 2;
  EXPECT_EQ(Facet(Search(limited), "author").size(), 2u);
}

TEST_F(SearcherTest, DateRangeFiltersHitsFacetsAndTimeline) {
  SearchRequest r;
  r.from = "2019-02-01";
  r.to = "2019-03-31";
  SearchResponse res = Search(r);
  EXPECT_EQ(Ids(res), (IdSet{"a02", "dup/a02", "a03", "a04", "a05"}));
  EXPECT_EQ(CountOf(Facet(res, "theme"), "Economy"), 3);
  EXPECT_EQ(res.timeline_unit, "month");
  ASSERT_EQ(res.timeline.size(), 2u);
  EXPECT_EQ(res.timeline[0].key, "2019-02");
  EXPECT_EQ(res.timeline[0].count, 3);
  EXPECT_EQ(res.timeline[1].key, "2019-03");
  EXPECT_EQ(res.timeline[1].count, 2);
  r.to = "";
  EXPECT_EQ(Search(r).total, 9);
}

TEST_F(SearcherTest, TimelineCountsMonthsOrYears) {
  SearchRequest r;
  r.filters["year"] = {"2019"};
  SearchResponse res = Search(r);
  EXPECT_EQ(res.timeline_unit, "month");
  std::vector<std::pair<std::string, long>> got;
  for (const auto& b : res.timeline) got.emplace_back(b.key, b.count);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, long>>{{"2019-01", 1},
                                                            {"2019-02", 3},
                                                            {"2019-03", 2},
                                                            {"2019-04", 2},
                                                            {"2019-05", 1},
                                                            {"2019-06", 1}}));

  // A gap month is listed with zero.
  res = Q("venezuela OR arctic");
  got.clear();
  for (const auto& b : res.timeline) got.emplace_back(b.key, b.count);
  EXPECT_EQ(res.timeline_unit, "year");  // 2005 to 2019
  ASSERT_EQ(res.timeline.size(), 15u);
  EXPECT_EQ(got.front(), (std::pair<std::string, long>{"2005", 1}));
  EXPECT_EQ(got[1], (std::pair<std::string, long>{"2006", 0}));
  EXPECT_EQ(got.back(), (std::pair<std::string, long>{"2019", 2}));

  res = Q("crisis OR arctic");
  got.clear();
  for (const auto& b : res.timeline) got.emplace_back(b.key, b.count);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, long>>{{"2019-01", 1},
                                                            {"2019-02", 0},
                                                            {"2019-03", 0},
                                                            {"2019-04", 0},
                                                            {"2019-05", 0},
                                                            {"2019-06", 1}}));
}

TEST_F(SearcherTest, SnippetsMarkStemsAndEscapeText) {
  SearchResponse r = Q("compromise");
  bool found = false;
  for (const Hit& h : r.hits) {
    if (h.id != "a02") continue;
    found = true;
    ASSERT_FALSE(h.snippets.empty());
    EXPECT_NE(h.snippets[0].find("<mark>compromises</mark>"), std::string::npos)
        << h.snippets[0];
  }
  EXPECT_TRUE(found);

  r = Q("alert");
  ASSERT_EQ(r.hits.size(), 1u);
  ASSERT_EQ(r.hits[0].snippets.size(), 1u);
  EXPECT_EQ(r.hits[0].snippets[0],
            "A note with no date about &lt;script&gt;<mark>alert</mark>(1)&lt;/"
            "script&gt; and cocoa.");

  r = Q("title:cocoa");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].title_html.find("<mark>Cocoa</mark>"), 0u)
      << r.hits[0].title_html;
}

TEST_F(SearcherTest, WithoutWordsTheSnippetIsTheLede) {
  SearchRequest r;
  r.q = "author:korybko";
  SearchResponse res = Search(r);
  for (const Hit& h : res.hits) {
    if (h.id == "a01") {
      ASSERT_EQ(h.snippets.size(), 1u);
      EXPECT_EQ(h.snippets[0], "Caracas is tense.");
      EXPECT_EQ(h.title_html, "Venezuela crisis deepens");
    }
  }
  r.q = "";
  r.filters["year"] = {"2005"};
  res = Search(r);
  ASSERT_EQ(res.hits.size(), 1u);
  EXPECT_EQ(res.hits[0].snippets,
            std::vector<std::string>{
                "An early look at Venezuela and the coup attempt."});
}

TEST_F(SearcherTest, DidYouMeanOffersACorrection) {
  SearchResponse r = Q("cocao");
  // Nothing matches cocao: the results are cocoa's, and say so.
  EXPECT_EQ(r.q, "cocao");
  EXPECT_EQ(r.showing.value_or(""), "cocoa");
  EXPECT_EQ(r.total, 3);
  EXPECT_EQ(r.interpreted, "cocoa");
  EXPECT_EQ(r.corrected.value_or(""), "cocoa");
  r = Q("Cocao prices");
  EXPECT_EQ(r.showing.value_or(""), "cocoa prices");
  EXPECT_EQ(r.total, 1);
  EXPECT_EQ(r.corrected.value_or(""), "cocoa prices");
  r = Q("cocoa");
  EXPECT_FALSE(r.corrected.has_value());
  EXPECT_FALSE(r.showing.has_value());
  // As typed: no results, the suggestion only.
  SearchRequest typed;
  typed.q = "cocao";
  typed.correct_zero_hits = false;
  r = Search(typed);
  EXPECT_EQ(r.total, 0);
  EXPECT_FALSE(r.showing.has_value());
  EXPECT_EQ(r.corrected.value_or(""), "cocoa");
  // A correction that finds nothing either is not shown.
  r = Q("cocao lebedev");
  EXPECT_EQ(r.total, 0);
  EXPECT_FALSE(r.showing.has_value());
}

TEST_F(SearcherTest, SuggestsWordsOfOneArticleClosestFirst) {
  // ghana, guaido, golinger, fisheries: each in one article.
  for (const auto& [typo, word] :
       std::vector<std::pair<std::string, std::string>>{
           {"ghnaa", "ghana"},
           {"guadio", "guaido"},
           {"golniger", "golinger"},
           {"fisheriess", "fisheries"}}) {
    SearchResponse r = Q(typo);
    EXPECT_EQ(r.corrected.value_or(""), word) << typo;
    EXPECT_EQ(r.total, 1) << typo;
  }
}

TEST_F(SearcherTest, AuthorsAreFoundAsFreeText) {
  EXPECT_EQ(Ids(Q("escobar")), (std::set<std::string>{"a05", "a06", "a07"}));
  EXPECT_EQ(Ids(Q("korybko venezuela")), std::set<std::string>{"a01"});
  EXPECT_EQ(Ids(Q("\"pepe escobar\" pipelines")),
            (std::set<std::string>{"a05", "a06"}));
  // author: is still the exact facet.
  EXPECT_EQ(Q("author:escobar").total, 3);
  EXPECT_EQ(Q("author:smith").total, 3);
}

TEST_F(SearcherTest, WildcardsAndNearWithADistance) {
  EXPECT_EQ(Ids(Q("pipe?ines")), (std::set<std::string>{"a05", "a06"}));
  EXPECT_EQ(Ids(Q("econ*ics")), std::set<std::string>{"a07"});
  EXPECT_EQ(Ids(Q("*olate")), std::set<std::string>{"a04"});
  EXPECT_EQ(Q("zz?zz").total, 0);
  SearchResponse r = Q("signed NEAR/3 china");
  EXPECT_EQ(Ids(r), std::set<std::string>{"a08"});
  EXPECT_EQ(r.interpreted, "signed NEAR/3 china");
  EXPECT_FALSE(r.notice.has_value());
  EXPECT_EQ(Q("signed NEAR/1 china").total, 0);
  // Snippets mark what a pattern matched.
  r = Q("pipe?ines");
  ASSERT_FALSE(r.hits.empty());
  bool marked = false;
  for (const Hit& hit : r.hits) {
    for (const std::string& s : hit.snippets) {
      marked = marked || s.find("<mark>pipelines</mark>") != std::string::npos;
    }
  }
  EXPECT_TRUE(marked);
}

// A word whose stem is common is spelt right even when the filters leave
// few results: no "did you mean governments" for "government", which
// already finds "governments". A real misspelling still gets its fix.
TEST(DidYouMeanTest, NeverSuggestsAnotherFormOfTheSameStem) {
  testing::TempDir tmp;
  std::vector<Article> articles;
  for (int i = 0; i < 12; ++i) {
    articles.push_back(Make("g" + std::to_string(i), "Budget talks",
                            {"Ann Lee"}, "2020-01-01", {}, {}, "", "",
                            {"The governments met to talk about budgets."}));
  }
  articles.push_back(Make("one", "A single form", {"Bo Chen"}, "2020-02-01", {},
                          {}, "", "", {"The government spoke about water."}));
  const std::string dir = tmp.Sub("db");
  WriteGeneration(dir, articles);
  auto opened = Searcher::Open({dir});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  SearchRequest r;
  r.q = "government";
  r.filters["author"] = {"Bo Chen"};
  auto res = (*opened)->Search(r);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->total, 1);
  EXPECT_FALSE(res->corrected.has_value()) << *res->corrected;
  r.q = "governmnet";
  r.filters.clear();
  r.correct_zero_hits = false;
  res = (*opened)->Search(r);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->total, 0);
  // The closest word first, though a single article has it: one swap from
  // "government", two edits from the more frequent "governments".
  EXPECT_EQ(res->corrected.value_or(""), "government");
}

// A word holding a digit is a code, a number or a name typed on purpose:
// "co2" in an archive without it is not "co", nor 1897 1987.
TEST(DidYouMeanTest, LeavesWordsWithDigitsAsTyped) {
  testing::TempDir tmp;
  std::vector<Article> articles;
  for (int i = 0; i < 12; ++i) {
    articles.push_back(Make("c" + std::to_string(i), "Acme Co results",
                            {"Ann Lee"}, "2020-01-01", {}, {}, "", "",
                            {"Acme Co reported its 1987 results."}));
  }
  const std::string dir = tmp.Sub("db");
  WriteGeneration(dir, articles);
  auto opened = Searcher::Open({dir});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  for (const char* q : {"co2", "1897", "resu1ts"}) {
    SearchRequest r;
    r.q = q;
    auto res = (*opened)->Search(r);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
    EXPECT_EQ(res->total, 0) << q;
    EXPECT_FALSE(res->corrected.has_value()) << q << ": " << *res->corrected;
    EXPECT_FALSE(res->showing.has_value()) << q;
  }
  // A misspelt word without digits is still corrected.
  SearchRequest r;
  r.q = "reslts";
  auto res = (*opened)->Search(r);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->corrected.value_or(""), "results");
  EXPECT_EQ(res->total, 12);
}

TEST(EditDistanceTest, CountsDamerauEdits) {
  struct {
    std::string a, b;
    int expected;
  } cases[] = {
      {"cocoa", "cocoa", 0},         {"cocao", "cocoa", 1},
      {"cocoa", "coca", 1},          {"cocoa", "cocoas", 1},
      {"guaidó", "guaido", 1},       {"abc", "xyz", 3},
      {"venezuela", "venezeula", 1}, {"abcdef", "badcfe", 3},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(EditDistance(c.a, c.b, 3), c.expected) << c.a << " / " << c.b;
  }
  EXPECT_EQ(EditDistance("abcdef", "uvwxyz", 2), 3);  // capped at max + 1
}

TEST_F(SearcherTest, RelatedNeverReturnsItselfOrADuplicate) {
  auto related = searcher_->Related("a02", 10);
  ASSERT_TRUE(related.ok()) << related.status().ToString();
  ASSERT_FALSE(related->empty());
  for (const Hit& h : *related) {
    EXPECT_NE(h.id, "a02");
    EXPECT_NE(h.id, "dup/a02");
  }
  related = searcher_->Related("dup/a02", 10);
  ASSERT_TRUE(related.ok());
  for (const Hit& h : *related) {
    EXPECT_NE(h.id, "a02");
    EXPECT_NE(h.id, "dup/a02");
  }
  auto cocoa = searcher_->Related("a03", 2);
  ASSERT_TRUE(cocoa.ok());
  ASSERT_FALSE(cocoa->empty());
  EXPECT_LE(cocoa->size(), 2u);
  EXPECT_EQ((*cocoa)[0].id, "a04");

  auto missing = searcher_->Related("nope");
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(missing.status().message(), "no article with id \"nope\"");
  EXPECT_EQ(searcher_->Related("a02", 0).status().message(),
            "limit must be between 1 and 100, got 0");
}

TEST_F(SearcherTest, GetArticleMarksMatches) {
  auto v = searcher_->GetArticle("a01", "guaido compromise");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->article.title, "Venezuela crisis deepens");
  EXPECT_EQ(v->article.authors, std::vector<std::string>{"Andrew Korybko"});
  ASSERT_EQ(v->body_html.size(), 1u);
  EXPECT_FALSE(v->body_html[0].first);
  EXPECT_NE(v->body_html[0].second.find("<mark>Guaidó</mark>"),
            std::string::npos);
  EXPECT_NE(v->body_html[0].second.find("<mark>compromise</mark>"),
            std::string::npos);
  EXPECT_EQ(v->match_count, 2);
  EXPECT_EQ(v->lede_html, "Caracas is tense.");

  auto plain = searcher_->GetArticle("a12", "");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->match_count, 0);
  EXPECT_EQ(plain->body_html[0].second,
            "A note with no date about &lt;script&gt;alert(1)&lt;/script&gt; "
            "and cocoa.");

  auto missing = searcher_->GetArticle("nope", "");
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
}

TEST_F(SearcherTest, StatsDescribeTheIndex) {
  auto st = searcher_->Stats();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->articles, 12);
  EXPECT_EQ(st->first_date, "2005-07-01");
  EXPECT_EQ(st->last_date, "2019-06-01");
  EXPECT_EQ(st->facet_cardinality.at("author"), 6);
  EXPECT_EQ(st->facet_cardinality.at("region"), 5);
  EXPECT_EQ(st->facet_cardinality.at("theme"), 4);
  EXPECT_EQ(st->facet_cardinality.at("source"), 5);
  EXPECT_EQ(st->facet_cardinality.at("year"), 2);
  EXPECT_GT(st->index_bytes.value_or(0), 0);
  EXPECT_EQ(st->last_indexed, "2024-01-02T03:04:05Z");
  EXPECT_EQ(st->generation, generation_);
}

TEST_F(SearcherTest, FacetValuesByPrefix) {
  auto v = searcher_->FacetValues("author", "smi", 10);
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->size(), 2u);
  EXPECT_EQ((*v)[0].value, "Jane Smith");
  EXPECT_EQ((*v)[1].value, "John Smith");
  v = searcher_->FacetValues("region", "", 2);
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->size(), 2u);
  EXPECT_EQ((*v)[0].value, "Asia");
  EXPECT_EQ((*v)[0].count, 4);
  v = searcher_->FacetValues("region", "EAST", 10);
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->size(), 1u);
  EXPECT_EQ((*v)[0].value, "Middle East");
  EXPECT_EQ(
      searcher_->FacetValues("colour", "", 10).status().message(),
      "unknown facet \"colour\": use author, region, theme, source or year");
}

TEST_F(SearcherTest, InvalidRequestsNameTheParameter) {
  struct {
    SearchRequest request;
    std::string message;
  } cases[7 + 5];
  int n = 0;
  cases[n].request.page = 0;
  cases[n++].message = "page must be 1 or more, got 0";
  cases[n].request.per_page = 0;
  cases[n++].message = "per_page must be between 1 and 1000, got 0";
  cases[n].request.per_page = 1001;
  cases[n++].message = "per_page must be between 1 and 1000, got 1001";
  cases[n].request.facet_limit = -1;
  cases[n++].message = "facet_limit must be between 0 and 1000, got -1";
  cases[n].request.facet_limit = 1001;
  cases[n++].message = "facet_limit must be between 0 and 1000, got 1001";
  cases[n].request.q = std::string(10001, 'a');
  cases[n++].message =
      "q is 10001 bytes long; the longest query allowed is 10000 bytes";
  for (int i = 0; i < 1001; ++i) cases[n].request.q += "w ";
  cases[n++].message =
      "q has 1001 words; a query may have at most 1000: keep the words that "
      "matter";
  cases[n].request.from = "2019-13-01";
  cases[n++].message = "from must be a date YYYY-MM-DD, got \"2019-13-01\"";
  cases[n].request.to = "yesterday";
  cases[n++].message = "to must be a date YYYY-MM-DD, got \"yesterday\"";
  cases[n].request.from = "2019-05-01";
  cases[n].request.to = "2019-01-01";
  cases[n++].message = "from (2019-05-01) is after to (2019-01-01)";
  cases[n].request.filters["colour"] = {"red"};
  cases[n++].message =
      "unknown facet \"colour\": use author, region, theme, source or year";
  cases[n].request.filters["year"] = {"19"};
  cases[n++].message = "year must be a 4-digit year such as 2019, got \"19\"";
  for (int i = 0; i < n; ++i) {
    auto res = searcher_->Search(cases[i].request);
    ASSERT_FALSE(res.ok()) << cases[i].message;
    EXPECT_EQ(res.status().code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(res.status().message(), cases[i].message);
  }
}

TEST_F(SearcherTest, SeesANewCommit) {
  EXPECT_EQ(Q("pipelines").total, 2);
  {
    Xapian::WritableDatabase db(dir_ + "/" + generation_, Xapian::DB_OPEN);
    Analyzer analyzer;
    Article a = Make("a13", "More pipelines", {"New Author"}, "2020-01-01",
                     {"Europe"}, {"Energy"}, "Wire", "", {"Pipelines again."});
    db.replace_document(schema::IdTerm(a.id),
                        BuildDocument(a, a.path, analyzer));
    db.commit();
  }
  SearchResponse r = Q("pipelines");
  EXPECT_EQ(r.total, 3);
  EXPECT_EQ(CountOf(Facet(r, "author"), "New Author"), 1);
  EXPECT_EQ(CountOf(Facet(r, "theme"), "Energy"), 1);
}

TEST_F(SearcherTest, SeesASwapToANewGeneration) {
  EXPECT_EQ(Q("cocoa").total, 3);
  std::vector<Article> next = {
      Make("b01", "Cocoa harvest", {"Jane Smith"}, "2021-01-01", {"Africa"},
           {"Economy"}, "Wire", "", {"The cocoa harvest was good."})};
  std::string gen = WriteGeneration(dir_, next);
  ASSERT_NE(gen, generation_);
  SearchResponse r = Q("cocoa");
  EXPECT_EQ(Ids(r), IdSet{"b01"});
  EXPECT_EQ(r.total, 1);
  auto st = searcher_->Stats();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->generation, gen);
  EXPECT_EQ(st->articles, 1);
  // A second Searcher opened now shares the same view.
  auto other = Searcher::Open({dir_});
  ASSERT_TRUE(other.ok());
  auto o = (*other)->Search(SearchRequest{});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->total, 1);
}

TEST_F(SearcherTest, NeverFailsWhileTheIndexIsWrittenConcurrently) {
  constexpr int kCommits = 40;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    Xapian::WritableDatabase db(dir_ + "/" + generation_, Xapian::DB_OPEN);
    Analyzer analyzer;
    for (int i = 0; i < kCommits; ++i) {
      Article a = Make("w" + std::to_string(i), "Writer pipelines", {"Writer"},
                       "2020-02-02", {"Europe"}, {"Energy"}, "Wire", "",
                       {"More pipelines, number " + std::to_string(i) + "."});
      db.replace_document(schema::IdTerm(a.id),
                          BuildDocument(a, a.path, analyzer));
      db.commit();
    }
    done = true;
  });
  // Two readers, each with its own Searcher, as the web server has.
  auto reader = [&](Searcher* searcher, int* failures, int* searches) {
    SearchRequest r;
    r.q = "pipelines";
    while (!done || *searches < 3) {
      auto res = searcher->Search(r);
      if (!res.ok() || res->total < 2 || res->total > 2 + kCommits) {
        ++*failures;
        ADD_FAILURE() << (res.ok() ? "total " + std::to_string(res->total)
                                   : res.status().ToString());
      }
      auto article = searcher->GetArticle("a01", "crisis");
      if (!article.ok()) {
        ++*failures;
        ADD_FAILURE() << "GetArticle: " << article.status().ToString();
      }
      ++*searches;
    }
  };
  auto second = Searcher::Open({dir_});
  ASSERT_TRUE(second.ok());
  int failures[2] = {0, 0}, searches[2] = {0, 0};
  std::thread other(reader, second->get(), &failures[1], &searches[1]);
  reader(searcher_.get(), &failures[0], &searches[0]);
  writer.join();
  other.join();
  EXPECT_EQ(failures[0] + failures[1], 0);
  EXPECT_EQ(Q("pipelines").total, 2 + kCommits);
}

// An in-memory copy of `db` whose positions are in Xapian's position table,
// read out of each article's position record: what Xapian's own OP_PHRASE
// and OP_NEAR would search had pundit stored positions the usual way.
Xapian::WritableDatabase PositionalCopy(const Xapian::Database& db) {
  Xapian::WritableDatabase copy(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    const Xapian::Document doc = db.get_document(*it);
    Xapian::Document out;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      const std::vector<uint32_t> positions = PositionsOf(doc, *t);
      EXPECT_EQ(positions.empty(), !HasPositions(*t)) << *t;
      for (uint32_t pos : positions) out.add_posting(*t, pos, 0);
      out.add_term(*t, t.get_wdf());
    }
    copy.replace_document(*it, out);
  }
  copy.commit();
  return copy;
}

// Random text over a few words, with titles, paragraphs, hyphenated
// compounds and repeated words: the articles the phrase and NEAR tests
// below search.
std::vector<Article> RandomTextArticles(
    const std::vector<std::string>& vocabulary, int count) {
  std::mt19937 random(7);
  auto text = [&](int words) {
    std::string out;
    for (int i = 0; i < words; ++i) {
      if (!out.empty()) out += ' ';
      out += vocabulary[random() % vocabulary.size()];
    }
    return out;
  };
  std::vector<Article> articles;
  for (int i = 0; i < count; ++i) {
    articles.push_back(Make("p" + std::to_string(i), text(3), {}, "2020-01-01",
                            {}, {}, "", text(4), {text(8), text(8)}));
  }
  return articles;
}

// Phrases holding a pair word are answered from XP pair terms
// (core/schema.h), the others from position records. Over random text built
// from a few words, every two- and three-word phrase must find exactly the
// articles Xapian's own positional phrase check finds, across titles,
// paragraphs, hyphenated compounds and repeated words.
TEST(PairTermsTest, PhrasesFindExactlyWhatPositionsSay) {
  const std::vector<Article> articles =
      RandomTextArticles({"the", "a", "of", "to", "in", "and", "new", "deal",
                          "end", "afro-eurasia", "talks"},
                         80);
  testing::TempDir tmp;
  const std::string dir = tmp.Sub("db");
  const std::string generation = WriteGeneration(dir, articles);
  auto searcher = Searcher::Open({dir});
  ASSERT_TRUE(searcher.ok()) << searcher.status().ToString();
  Xapian::WritableDatabase db =
      PositionalCopy(Xapian::Database(dir + "/" + generation));

  const std::vector<std::string> words = {
      "the", "a", "of", "to", "new", "end", "eurasia", "afro", "afroeurasia"};
  std::vector<std::vector<std::string>> phrases;
  for (const std::string& a : words) {
    for (const std::string& b : words) {
      phrases.push_back({a, b});
      for (const char* c : {"the", "new"}) phrases.push_back({a, b, c});
    }
  }
  int found_some = 0;
  for (const std::vector<std::string>& phrase : phrases) {
    Xapian::Enquire enquire(db);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_PHRASE, phrase.begin(), phrase.end()));
    const Xapian::doccount expected =
        enquire.get_mset(0, db.get_doccount()).size();
    SearchRequest r;
    r.q = "\"";
    for (const std::string& w : phrase) r.q += w + " ";
    r.q.back() = '"';
    auto res = (*searcher)->Search(r);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
    EXPECT_EQ(res->total, static_cast<long>(expected)) << r.q;
    if (expected > 0) ++found_some;
  }
  // The text is dense enough that most phrases occur somewhere.
  EXPECT_GT(found_some, static_cast<int>(phrases.size() / 3));
}

// Phrases without a pair word and NEAR are checked against the articles'
// position records (searcher/position_match.h). Every two- and three-word
// phrase, in the text and in titles, every NEAR of two and three words and
// NEAR with a prefix must find exactly the articles Xapian's own OP_PHRASE
// and OP_NEAR find in a copy of the index with Xapian's position lists; in
// one pass and in a pass split across two threads (where the query goes to
// the other thread serialised).
TEST(PositionMatchTest, PhrasesAndNearFindWhatXapiansPositionsFind) {
  const std::vector<std::string> words = {"a",       "of",    "new",
                                          "deal",    "end",   "afro",
                                          "eurasia", "talks", "afroeurasia"};
  const std::vector<Article> articles =
      RandomTextArticles({"a", "of", "new", "news", "deal", "end",
                          "afro-eurasia", "talks", "peace", "in"},
                         120);
  testing::TempDir tmp;
  const std::string dir = tmp.Sub("db");
  const std::string generation = WriteGeneration(dir, articles);
  Xapian::WritableDatabase db =
      PositionalCopy(Xapian::Database(dir + "/" + generation));

  struct Case {
    std::string q;
    Xapian::Query oracle;
  };
  std::vector<Case> cases;
  auto terms_of = [](const std::vector<std::string>& ws,
                     const std::string& prefix) {
    std::vector<Xapian::Query> out;
    for (const std::string& w : ws) out.emplace_back(prefix + w);
    return out;
  };
  auto add_phrase = [&](const std::vector<std::string>& ws, bool title) {
    std::string q = title ? "title:\"" : "\"";
    for (const std::string& w : ws) q += w + " ";
    q.back() = '"';
    const auto t = terms_of(ws, title ? "S" : "");
    cases.push_back({q, Xapian::Query(Xapian::Query::OP_PHRASE, t.begin(),
                                      t.end(), t.size())});
  };
  auto add_near = [&](const std::vector<std::string>& ws) {
    std::string q;
    for (const std::string& w : ws) q += (q.empty() ? "" : " NEAR ") + w;
    const auto t = terms_of(ws, "");
    cases.push_back(
        {q, Xapian::Query(Xapian::Query::OP_NEAR, t.begin(), t.end(),
                          std::max<size_t>(10, t.size()))});
  };
  for (const std::string& a : words) {
    for (const std::string& b : words) {
      add_phrase({a, b}, false);
      add_phrase({a, b}, true);
      add_near({a, b});
      for (const char* c : {"deal", "of"}) {
        add_phrase({a, b, c}, false);
        add_near({a, b, c});
      }
    }
  }
  // A prefix inside NEAR stands for any of its expansions.
  const Xapian::Query news(Xapian::Query::OP_OR, Xapian::Query("new"),
                           Xapian::Query("news"));
  const std::vector<Xapian::Query> news_talks = {news, Xapian::Query("talks")};
  const std::vector<Xapian::Query> news_news = {news, news};
  cases.push_back({"ne* NEAR talks",
                   Xapian::Query(Xapian::Query::OP_NEAR, news_talks.begin(),
                                 news_talks.end(), 10)});
  cases.push_back(
      {"ne* NEAR ne*", Xapian::Query(Xapian::Query::OP_NEAR, news_news.begin(),
                                     news_news.end(), 10)});

  for (const SearcherOptions& options :
       {SearcherOptions{dir, 1, kSplitMinPostings},
        SearcherOptions{dir, 2, 0}}) {
    auto searcher = Searcher::Open(options);
    ASSERT_TRUE(searcher.ok()) << searcher.status().ToString();
    int found_some = 0, differ = 0;
    for (const Case& c : cases) {
      Xapian::Enquire enquire(db);
      enquire.set_query(c.oracle);
      const Xapian::doccount expected =
          enquire.get_mset(0, db.get_doccount()).size();
      SearchRequest r;
      r.q = c.q;
      auto res = (*searcher)->Search(r);
      ASSERT_TRUE(res.ok()) << res.status().ToString();
      EXPECT_EQ(res->total, static_cast<long>(expected))
          << c.q << " threads " << options.match_threads;
      if (res->total != static_cast<long>(expected)) ++differ;
      if (expected > 0) ++found_some;
    }
    EXPECT_EQ(differ, 0);
    // The text is dense enough that most of them occur somewhere.
    EXPECT_GT(found_some, static_cast<int>(cases.size() / 3));
  }

  // On its own (no AND around it) the source walks the words' posting
  // lists itself: next() and skip_to() instead of check(). The same
  // articles, by docid.
  Xapian::Database index(dir + "/" + generation);
  auto docids = [](const Xapian::Database& d, const Xapian::Query& q) {
    Xapian::Enquire enquire(d);
    enquire.set_query(q);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    std::vector<Xapian::docid> out;
    Xapian::MSet mset = enquire.get_mset(0, d.get_doccount());
    for (auto it = mset.begin(); it != mset.end(); ++it) out.push_back(*it);
    std::sort(out.begin(), out.end());
    return out;
  };
  using Kind = query::PositionMatch::Kind;
  int compared = 0;
  for (const std::string& a : words) {
    for (const std::string& b : words) {
      const std::vector<Xapian::Query> t = {Xapian::Query(a), Xapian::Query(b)};
      EXPECT_EQ(docids(index, query::PositionMatch::Query(Kind::kPhrase,
                                                          {{a}, {b}}, 2)),
                docids(db, Xapian::Query(Xapian::Query::OP_PHRASE, t.begin(),
                                         t.end(), 2)))
          << a << " " << b;
      EXPECT_EQ(docids(index, query::PositionMatch::Query(Kind::kNear,
                                                          {{a}, {b}}, 10)),
                docids(db, Xapian::Query(Xapian::Query::OP_NEAR, t.begin(),
                                         t.end(), 10)))
          << a << " NEAR " << b;
      // Inside an OR inside an AND: skip_to() from the AND through the OR.
      auto in_or = [](const Xapian::Query& phrase) {
        return Xapian::Query(
            Xapian::Query::OP_AND, Xapian::Query("end"),
            Xapian::Query(Xapian::Query::OP_OR, phrase, Xapian::Query("in")));
      };
      EXPECT_EQ(docids(index, in_or(query::PositionMatch::Query(
                                  Kind::kPhrase, {{a}, {b}}, 2))),
                docids(db, in_or(Xapian::Query(Xapian::Query::OP_PHRASE,
                                               t.begin(), t.end(), 2))))
          << a << " " << b << " in an OR";
      ++compared;
    }
  }
  EXPECT_EQ(compared, static_cast<int>(words.size() * words.size()));
}

TEST(SearcherOpenTest, MissingIndexIsNotFound) {
  testing::TempDir tmp;
  auto s = Searcher::Open({tmp.Sub("none")});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kNotFound);
}

TEST(SearcherCorpusTest, FindsTheAstanaArticle) {
  std::string path = testing::CorpusPath("russia-astana-venezuela.md");
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  testing::TempDir tmp;
  IndexerOptions options;
  options.db_dir = tmp.Sub("db");
  options.inputs = {path};
  options.jobs = 1;
  auto summary = RunIndex(options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->indexed, 1);
  auto opened = Searcher::Open({options.db_dir});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Searcher& s = **opened;

  SearchRequest r;
  r.q = "compromise";
  auto res = s.Search(r);
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->total, 1);
  const Hit& hit = res->hits[0];
  bool marked = std::any_of(
      hit.snippets.begin(), hit.snippets.end(), [](const std::string& f) {
        return f.find("<mark>compromises</mark>") != std::string::npos;
      });
  EXPECT_TRUE(marked) << (hit.snippets.empty() ? "" : hit.snippets[0]);

  SearchRequest by_facets;
  by_facets.filters["author"] = {"Andrew Korybko"};
  by_facets.filters["theme"] = {"Intelligence"};
  res = s.Search(by_facets);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->total, 1);

  SearchRequest asia;
  asia.q = "astana";
  asia.filters["region"] = {"Asia"};
  res = s.Search(asia);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->total, 0);
  asia.filters.clear();
  res = s.Search(asia);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->total, 1);
}

// The sample article among the whole of corpus/, indexed by the real
// indexer (parsers, footer removal, page-break healing, BuildDocument).
class SampleArticleTest : public ::testing::Test {
 protected:
  static constexpr char kSampleId[] = "russia-astana-venezuela";

  void SetUp() override {
    if (!std::filesystem::exists(
            testing::CorpusPath("russia-astana-venezuela.md"))) {
      GTEST_SKIP() << "no corpus/russia-astana-venezuela.md";
    }
    IndexerOptions options;
    options.db_dir = tmp_.Sub("db");
    options.inputs = {testing::CorpusPath("")};
    options.jobs = 2;
    Result<IndexSummary> summary = RunIndex(options);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    ASSERT_EQ(summary->skipped, 0);
    ASSERT_GT(summary->indexed, 30);
    auto opened = Searcher::Open({options.db_dir});
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    searcher_ = std::move(opened).value();
  }

  SearchResponse Search(const SearchRequest& request) {
    SearchRequest r = request;
    r.per_page = kMaxPerPage;
    auto res = searcher_->Search(r);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? *res : SearchResponse{};
  }

  testing::TempDir tmp_;
  std::unique_ptr<Searcher> searcher_;
};

TEST_F(SampleArticleTest, FooterBoilerplateIsNotFound) {
  for (const char* q : {"disclaimer", "\"share buttons\"", "globalresearch.ca",
                        "globalresearch", "\"media inquiries\"", "crosspost"}) {
    SearchRequest r;
    r.q = q;
    SearchResponse res = Search(r);
    EXPECT_EQ(res.total, 0)
        << q << ": " << ::testing::PrintToString(IdList(res));
  }
}

TEST_F(SampleArticleTest, PhrasesAcrossHealedPageBreaksFindIt) {
  // The last two span the page breaks only: the sample also has "as soon
  // as possible" inside one paragraph, never "crisis as soon as possible".
  for (const char* q : {"\"as soon as possible\"", "\"next syria\"",
                        "\"this crisis as soon as possible\"",
                        "\"venezuela becomes the next syria\""}) {
    SearchRequest r;
    r.q = q;
    SearchResponse res = Search(r);
    EXPECT_EQ(IdList(res), std::vector<std::string>{kSampleId}) << q;
    EXPECT_EQ(res.total, 1) << q;
  }
  // Not healed across a real paragraph end: "possible." ends the paragraph.
  SearchRequest r;
  r.q = "\"crisis as soon as possible self\"";
  EXPECT_EQ(Search(r).total, 0);
}

TEST_F(SampleArticleTest, EachOfItsFacetValuesFindsIt) {
  const std::pair<std::string, std::string> facets[] = {
      {"author", "Andrew Korybko"}, {"region", "Latin America & Caribbean"},
      {"region", "Russia and FSU"}, {"theme", "Intelligence"},
      {"source", "Eurasia Future"}, {"year", "2019"},
  };
  for (const auto& [facet, value] : facets) {
    SCOPED_TRACE(facet + "=" + value);
    SearchRequest filter;
    filter.filters[facet] = {value};
    SearchResponse res = Search(filter);
    EXPECT_TRUE(Ids(res).count(kSampleId))
        << ::testing::PrintToString(IdList(res));
    // ... with its count in the facet, and also through the query language.
    bool selected = false;
    long count = 0;
    for (const auto& [name, values] : res.facets) {
      if (name != facet) continue;
      for (const FacetValue& v : values) {
        if (v.value == value) {
          count = v.count;
          selected = v.selected;
        }
      }
    }
    EXPECT_TRUE(selected);
    EXPECT_EQ(count, res.total);
    SearchRequest typed;
    typed.q = facet + ":\"" + value + "\" venezuela";
    SearchResponse by_query = Search(typed);
    EXPECT_TRUE(Ids(by_query).count(kSampleId))
        << typed.q << ": " << ::testing::PrintToString(IdList(by_query));
  }
  // All of them at once: the sample alone.
  SearchRequest all;
  for (const auto& [facet, value] : facets) all.filters[facet].push_back(value);
  SearchResponse res = Search(all);
  EXPECT_EQ(IdList(res), std::vector<std::string>{kSampleId});
}

}  // namespace
}  // namespace pundit
