// Tests of the query language (searcher/query.h).
//
// Properties checked:
// - every operator, field scope and date form is read as documented and
//   shown back in a normalised `interpreted` form;
// - words go through the indexing Analyzer (diacritics, typographic
//   apostrophes and quotes, hyphenated compounds);
// - field values resolve to facet display values case- and
//   accent-insensitively, several matches are ORed, none gives a notice;
// - a malformed query is never an error: it is searched as plain words and
//   the notice says what was wrong and where;
// - the Xapian queries built: stem OR exact form for words; for phrases
//   the AND of the unprefixed terms filtered by a PositionMatch (and by XP
//   pair terms when it holds a pair word), the same for NEAR;
//   OP_WILDCARD, value ranges;
// - DateBound's table of date forms.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/analyzer.h"
#include "searcher/query.h"

namespace pundit::query {
namespace {

// A resolver over a fixed facet table, matching as FacetIndex::Resolve does
// (equal folded key, else whole words).
class FakeFacets {
 public:
  FacetResolver Resolver() {
    return [this](std::string_view facet, std::string_view value) {
      std::vector<std::string> exact, partial;
      std::string key = analyzer_.FoldKey(value);
      for (const auto& [f, v] : values_) {
        if (f != facet) continue;
        std::string k = analyzer_.FoldKey(v);
        if (k == key) {
          exact.push_back(v);
        } else if ((" " + k + " ").find(" " + key + " ") != std::string::npos) {
          partial.push_back(v);
        }
      }
      return exact.empty() ? partial : exact;
    };
  }

 private:
  Analyzer analyzer_;
  std::vector<std::pair<std::string, std::string>> values_ = {
      {"author", "Andrew Korybko"}, {"author", "Jane Smith"},
      {"author", "John Smith"},     {"author", "José Martí"},
      {"region", "Asia"},           {"region", "Central Asia"},
      {"theme", "Intelligence"},    {"source", "Asia Times"},
      {"author", "Ann Lee"},        {"author", "Bob Lee"},
      {"author", "Cy Lee"},         {"author", "Di Lee"},
      {"author", "Ed Lee"},         {"author", "Flo Lee"},
      {"author", "Gil Lee"},
  };
};

struct Case {
  std::string q;
  std::string interpreted;
  std::string notice;  // "" = none
  DefaultOp op = DefaultOp::kAnd;
};

class QueryParserTest : public ::testing::Test {
 protected:
  Compiled Run(const std::string& q, DefaultOp op = DefaultOp::kAnd) {
    return ParseAndCompile(q, op, analyzer_, facets_.Resolver());
  }
  Analyzer analyzer_;
  FakeFacets facets_;
};

TEST_F(QueryParserTest, ReadsEveryOperatorAndField) {
  const std::vector<Case> cases = {
      {"venezuela crisis", "venezuela AND crisis", ""},
      {"venezuela crisis", "venezuela OR crisis", "", DefaultOp::kOr},
      {"Venezuela AND Crisis", "venezuela AND crisis", ""},
      {"oil OR gas", "oil OR gas", ""},
      {"oil or gas", "oil AND or AND gas", ""},  // lower case is a word
      {"oil -gas", "oil AND NOT gas", ""},
      {"oil NOT gas", "oil AND NOT gas", ""},
      {"-gas", "NOT gas", ""},
      {"(oil OR gas) pipeline", "(oil OR gas) AND pipeline", ""},
      {"oil OR gas pipeline", "oil OR (gas AND pipeline)", ""},
      {"oil (gas OR (coal -nuclear))",
       "oil AND (gas OR (coal AND NOT nuclear))", ""},
      {"\"peace talks\"", "\"peace talks\"", ""},
      {"\u201cPeace Talks\u201d", "\"peace talks\"", ""},
      {"\u201epeace talks\u201d now", "\"peace talks\" AND now", ""},
      {"russia NEAR china", "russia NEAR china", ""},
      {"russia NEAR \"south china\"", "russia NEAR \"south china\"", ""},
      {"econom*", "econom*", ""},
      {"Econom* crisis", "econom* AND crisis", ""},
      {"title:astana", "title:astana", ""},
      {"Title:Astana", "title:astana", ""},
      {"title:\"peace talks\"", "title:\"peace talks\"", ""},
      {"title:(peace talks)", "title:peace AND title:talks", ""},
      {"title:econom*", "title:econom*", ""},
      {"author:korybko", "author:\"Andrew Korybko\"", ""},
      {"author:\"andrew KORYBKO\"", "author:\"Andrew Korybko\"", ""},
      {"author:smith", "author:(\"Jane Smith\" OR \"John Smith\")", ""},
      {"author:jose", "author:\"José Martí\"", ""},
      {"author:(korybko OR \"jane smith\")",
       "author:\"Andrew Korybko\" OR author:\"Jane Smith\"", ""},
      {"author:nobody", "author:\"nobody\"", "no author matches \"nobody\""},
      {"author:lee",
       "author:(\"Ann Lee\" OR \"Bob Lee\" OR \"Cy Lee\" OR \"Di Lee\" OR "
       "\"Ed Lee\" OR \u20262 more)",
       ""},
      {"region:asia", "region:\"Asia\"", ""},  // exact beats "Central Asia"
      {"theme:INTELLIGENCE", "theme:\"Intelligence\"", ""},
      {"source:\"asia times\"", "source:\"Asia Times\"", ""},
      {"venezuela crisis author:\"Andrew Korybko\"",
       "(venezuela AND crisis) author:\"Andrew Korybko\"", ""},
      {"venezuela author:korybko", "venezuela author:\"Andrew Korybko\"", ""},
      {"putin -oil author:korybko",
       "(putin AND NOT oil) author:\"Andrew Korybko\"", "", DefaultOp::kOr},
      {"putin OR author:korybko", "putin OR author:\"Andrew Korybko\"", "",
       DefaultOp::kOr},
      {"date:2019-01-01..2019-03-31", "date:2019-01-01..2019-03-31", ""},
      {"date:2019-01-01..", "date:2019-01-01..", ""},
      {"date:..2019-03-31", "date:..2019-03-31", ""},
      {"date:2019-02", "date:2019-02-01..2019-02-28", ""},
      {"date:2020", "date:2020-01-01..2020-12-31", ""},
      {"date:2019..2020-06", "date:2019-01-01..2020-06-30", ""},
      {"year:2019", "year:2019", ""},
      {"year:\"2019\"", "year:2019", ""},
      {"date:\"2019-02\"", "date:2019-02-01..2019-02-28", ""},
      {"year:2015..2016", "date:2015-01-01..2016-12-31", ""},
      {"Guaid\u00f3", "guaido", ""},
      {"Russia\u2019s", "russia's", ""},
      {"Afro-Eurasia", "afro-eurasia", ""},
      {"note: this", "note AND this", ""},
      {"", "", ""},
      {"   ", "", ""},
  };
  for (const Case& c : cases) {
    Compiled got = Run(c.q, c.op);
    EXPECT_EQ(got.interpreted, c.interpreted) << "query: " << c.q;
    EXPECT_EQ(got.notice.value_or(""), c.notice) << "query: " << c.q;
  }
}

TEST_F(QueryParserTest, MalformedQueriesAreSearchedAsPlainWords) {
  const std::string kPlain = "): searched as plain words";
  const std::string kCould = "could not read the query (";
  const std::vector<Case> cases = {
      {"(venezuela crisis", "venezuela AND crisis",
       kCould + "unclosed parenthesis at 1" + kPlain},
      {"venezuela (crisis OR (oil)", "venezuela AND crisis AND oil",
       kCould + "unclosed parenthesis at 11" + kPlain},
      {"oil)", "oil", kCould + "unmatched closing parenthesis at 4" + kPlain},
      {"venezuela \"crisis", "venezuela AND crisis",
       kCould + "unclosed quote at 11" + kPlain},
      {"venezuela OR", "venezuela",
       kCould + "OR with nothing after it at 11" + kPlain},
      {"OR venezuela", "venezuela",
       kCould + "OR with nothing before it at 1" + kPlain},
      {"oil AND", "oil", kCould + "AND with nothing after it at 5" + kPlain},
      {"oil NOT", "oil", kCould + "NOT with nothing after it at 5" + kPlain},
      {"oil NEAR", "oil", kCould + "NEAR with nothing after it at 5" + kPlain},
      {"oil NEAR author:korybko", "oil AND author AND korybko",
       kCould + "NEAR needs words or phrases on both sides at 5" + kPlain},
      {"oil ()", "oil", kCould + "empty parentheses at 5" + kPlain},
      {"author: korybko", "author AND korybko",
       kCould + "author: has no value at 1" + kPlain},
      {"oil author:", "oil AND author",
       kCould + "author: has no value at 5" + kPlain},
      {"author:\"\"", "author", kCould + "author: has no value at 1" + kPlain},
      {"date:2019-13-01", "date AND \"2019 13 01\"",
       kCould + "invalid date \"2019-13-01\" at 6" + kPlain},
      {"date:2019-05..2019-01", "date AND \"2019 05 2019 01\"",
       kCould + "date range \"2019-05..2019-01\" ends before it starts at 6" +
           kPlain},
      {"year:19", "year AND 19", kCould + "invalid year \"19\" at 6" + kPlain},
      {"title:(a author:x)", "title AND a AND author AND x",
       kCould + "author: inside title: at 10" + kPlain},
      {"\u201cGuaid\u00f3 (", "guaido",
       kCould + "unclosed quote at 1" + kPlain},
  };
  for (const Case& c : cases) {
    Compiled got = Run(c.q, c.op);
    EXPECT_EQ(got.interpreted, c.interpreted) << "query: " << c.q;
    EXPECT_EQ(got.notice.value_or(""), c.notice) << "query: " << c.q;
  }
}

TEST_F(QueryParserTest, DeepNestingFallsBackToPlainWords) {
  std::string q = std::string(65, '(') + "oil" + std::string(65, ')');
  Compiled got = Run(q);
  EXPECT_EQ(got.interpreted, "oil");
  EXPECT_EQ(got.notice.value_or(""),
            "could not read the query (query nested too deeply at 65): "
            "searched as plain words");
  std::string nots;
  for (int i = 0; i < 70; ++i) nots += "NOT ";
  got = Run("gas " + nots + "oil");
  EXPECT_EQ(got.interpreted, "gas AND oil");
  // Up to the limit, nesting is fine.
  got = Run(std::string(64, '(') + "oil" + std::string(64, ')'));
  EXPECT_EQ(got.interpreted, "oil");
  EXPECT_FALSE(got.notice.has_value());
}

TEST_F(QueryParserTest, QueryWithoutWordsSaysSo) {
  Compiled got = Run("!!! ---");
  EXPECT_TRUE(got.query.empty());
  EXPECT_EQ(got.interpreted, "");
  EXPECT_EQ(got.notice.value_or(""),
            "the query has no words to search for: showing all articles");
}

TEST_F(QueryParserTest, BuildsTheDocumentedXapianQueries) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"compromise", "Query((Zcompromis OR 0.25 * compromise))"},
      {"\"peace talks\"",
       "Query(((peace AND talks) FILTER PostingSource(phrase(peace talks))))"},
      {"title:\"peace talks\"",
       "Query(((Speace AND Stalks) FILTER "
       "PostingSource(phrase(Speace Stalks))))"},
      // A pair word ("the"): the XP pair term instead of positions.
      {"\"the new\"", "Query(((the AND new) FILTER XPthe new))"},
      {"\"in the february\"",
       "Query((((in AND the AND february) FILTER PostingSource(phrase(in the "
       "february))) FILTER (XPin the AND XPthe february)))"},
      {"\"rule of law\"",
       "Query(((rule AND of AND law) FILTER "
       "PostingSource(phrase(rule of law))))"},
      {"title:\"the new\"",
       "Query(((Sthe AND Snew) FILTER PostingSource(phrase(Sthe Snew))))"},
      {"title:talks", "Query((ZStalk OR 0.25 * Stalks))"},
      {"russia NEAR china",
       "Query(((russia AND china) FILTER "
       "PostingSource(near/10(russia china))))"},
      {"econom* NEAR china",
       "Query(((econom AND china) FILTER "
       "PostingSource(near/10(econom china))))"},
      {"econom*", "Query(WILDCARD SYNONYM econom)"},
      {"Afro-Eurasia",
       "Query((((afro AND eurasia) FILTER PostingSource(phrase(afro "
       "eurasia))) OR (Zafroeurasia OR 0.25 * afroeurasia)))"},
      {"oil -gas",
       "Query(((Zoil OR 0.25 * oil) AND_NOT (Zgas OR 0.25 * gas)))"},
      {"year:2019", "Query(0 * Y2019)"},
      {"author:korybko", "Query(0 * A:Andrew Korybko)"},
      {"oil author:korybko",
       "Query(((Zoil OR 0.25 * oil) FILTER A:Andrew Korybko))"},
      {"date:2019-01-01..2019-03-31", "Query(VALUE_RANGE 0 20190101 20190331)"},
      {"date:2019-01-01..", "Query(VALUE_GE 0 20190101)"},
  };
  for (const auto& [q, description] : cases) {
    EXPECT_EQ(Run(q).query.get_description(), description) << "query: " << q;
  }
}

TEST_F(QueryParserTest, ExpandsPrefixesInsideNear) {
  PrefixExpander expander = [](const std::string& prefix, size_t limit) {
    EXPECT_EQ(prefix, "econom");
    EXPECT_EQ(limit, 200u);
    return std::vector<std::string>{"economy", "economic"};
  };
  Compiled got = ParseAndCompile("econom* NEAR china", DefaultOp::kAnd,
                                 analyzer_, facets_.Resolver(), expander);
  EXPECT_EQ(got.query.get_description(),
            "Query((((economy OR economic) AND china) FILTER "
            "PostingSource(near/10(economy|economic china))))");
  EXPECT_EQ(got.interpreted, "econom* NEAR china");
}

TEST_F(QueryParserTest, CollectsHighlightUnitsAndWords) {
  Compiled got = Run("compromise \"peace talks\" econom* -oil");
  ASSERT_EQ(got.units.size(), 3u);  // the negated word is not highlighted
  EXPECT_EQ(got.units[0].kind, HighlightUnit::Kind::kWord);
  EXPECT_EQ(got.units[0].words, std::vector<std::string>{"compromise"});
  EXPECT_EQ(got.units[0].stem, "compromis");
  EXPECT_EQ(got.units[1].kind, HighlightUnit::Kind::kPhrase);
  EXPECT_EQ(got.units[1].words, (std::vector<std::string>{"peace", "talks"}));
  EXPECT_EQ(got.units[2].kind, HighlightUnit::Kind::kPrefix);
  EXPECT_TRUE(got.has_text);
  ASSERT_EQ(got.words.size(), 1u);
  EXPECT_EQ(got.words[0].term, "compromise");
  EXPECT_EQ(got.words[0].begin, 0u);
  EXPECT_EQ(got.words[0].end, 10u);

  Compiled filters_only = Run("author:korybko year:2019");
  EXPECT_FALSE(filters_only.has_text);
  EXPECT_TRUE(filters_only.units.empty());
}

TEST(DateBoundTest, ReadsYearMonthAndDay) {
  struct {
    std::string text;
    bool upper;
    std::string expected;  // "" = invalid
  } cases[] = {
      {"2019", false, "20190101"},
      {"2019", true, "20191231"},
      {"2019-02", false, "20190201"},
      {"2019-02", true, "20190228"},
      {"2020-02", true, "20200229"},
      {"2019-03-31", false, "20190331"},
      {"2019-02-29", false, ""},
      {"2019-13", false, ""},
      {"2019-00-10", false, ""},
      {"19", false, ""},
      {"2019/01/01", false, ""},
      {"2019-1-1", false, ""},
      {"abcd", false, ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DateBound(c.text, c.upper).value_or(""), c.expected)
        << c.text << (c.upper ? " (upper)" : " (lower)");
  }
}

}  // namespace
}  // namespace pundit::query
