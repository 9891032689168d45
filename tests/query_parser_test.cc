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
// - wildcards: `?` (one character) and `*` inside a word are patterns
//   expanded over the whole vocabulary (GlobMatch), `prefix*` too, with no
//   cap below kWildcardLimit and a notice past it; a `?` ending a word is a
//   question mark; NEAR/n puts at most n words between the operands;
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
      {"oil NEAR/3 prices", "oil NEAR/3 prices", ""},
      {"a NEAR/2 b NEAR/5 c", "a NEAR/5 b NEAR/5 c", ""},
      {"wom?n", "wom?n", ""},
      {"Wom?n OR colo*r", "wom?n OR colo*r", ""},
      {"*stan", "*stan", ""},
      {"why oil?", "why AND oil", ""},  // a question mark
      {"title:wom?n", "title:wom?n", ""},
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
      {"oil NEAR/0 gas", "oil AND \"near 0\" AND gas",
       kCould + "NEAR/ needs a number of words from 1 to 100 at 5" + kPlain},
      {"oil NEAR/x gas", "oil AND \"near x\" AND gas",
       kCould + "NEAR/ needs a number of words from 1 to 100 at 5" + kPlain},
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
      // NEAR/n: n words between two terms is a window of n + 2.
      {"oil NEAR/3 prices",
       "Query(((oil AND prices) FILTER PostingSource(near/5(oil prices))))"},
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
  PrefixExpander expander = [](const std::string& literal,
                               const std::string& pattern, size_t limit) {
    EXPECT_EQ(literal, "econom");
    EXPECT_EQ(pattern, "");
    EXPECT_EQ(limit, kWildcardLimit);
    return Expansion{{"economy", "economic"}, 2};
  };
  Compiled got = ParseAndCompile("econom* NEAR china", DefaultOp::kAnd,
                                 analyzer_, facets_.Resolver(), expander);
  EXPECT_EQ(got.query.get_description(),
            "Query((((economy OR economic) AND china) FILTER "
            "PostingSource(near/10(economy|economic china))))");
  EXPECT_EQ(got.interpreted, "econom* NEAR china");
}

TEST_F(QueryParserTest, ExpandsPatternsOverTheWholeVocabulary) {
  const std::vector<std::string> vocabulary = {"woman", "women",  "womb",
                                               "wo",    "Swomen", "wömen"};
  std::vector<std::pair<std::string, std::string>> asked;
  PrefixExpander expander = [&](const std::string& literal,
                                const std::string& pattern, size_t limit) {
    asked.emplace_back(literal, pattern);
    Expansion e;
    for (const std::string& t : vocabulary) {
      if (t.starts_with(literal) && GlobMatch(pattern, t)) {
        if (++e.matched <= limit) e.terms.push_back(t);
      }
    }
    return e;
  };
  Compiled got = ParseAndCompile("wom?n", DefaultOp::kAnd, analyzer_,
                                 facets_.Resolver(), expander);
  EXPECT_EQ(got.query.get_description(), "Query((woman SYNONYM women))");
  EXPECT_EQ(got.interpreted, "wom?n");
  EXPECT_FALSE(got.notice.has_value());
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0], std::make_pair(std::string("wom"), std::string("wom?n")));
  ASSERT_EQ(got.units.size(), 1u);
  EXPECT_EQ(got.units[0].kind, HighlightUnit::Kind::kPattern);
  EXPECT_EQ(got.units[0].words, std::vector<std::string>{"wom?n"});

  asked.clear();
  got = ParseAndCompile("title:*men", DefaultOp::kAnd, analyzer_,
                        facets_.Resolver(), expander);
  EXPECT_EQ(got.query.get_description(), "Query(Swomen)");
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0], std::make_pair(std::string("S"), std::string("S*men")));

  got = ParseAndCompile("w?m?n NEAR/2 vote", DefaultOp::kAnd, analyzer_,
                        facets_.Resolver(), expander);
  EXPECT_EQ(got.query.get_description(),
            "Query((((woman OR women OR wömen) AND vote) FILTER "
            "PostingSource(near/4(woman|women|wömen vote))))");
  EXPECT_EQ(got.interpreted, "w?m?n NEAR/2 vote");

  got = ParseAndCompile("zz?z", DefaultOp::kAnd, analyzer_, facets_.Resolver(),
                        expander);
  EXPECT_EQ(got.query.get_description(), "Query()");
}

TEST_F(QueryParserTest, SaysWhenAWildcardMatchesMoreThanTheLimit) {
  PrefixExpander expander = [](const std::string& literal, const std::string&,
                               size_t limit) {
    Expansion e;
    e.matched = limit + 1234;
    for (size_t i = 0; i < limit; ++i) {
      e.terms.push_back(literal + std::to_string(i));
    }
    return e;
  };
  Compiled got = ParseAndCompile("st* vermiculite", DefaultOp::kAnd, analyzer_,
                                 facets_.Resolver(), expander);
  EXPECT_EQ(got.notice.value_or(""),
            "st* matches " + std::to_string(kWildcardLimit + 1234) +
                " words: searched for the " + std::to_string(kWildcardLimit) +
                " most frequent");
  EXPECT_GT(kWildcardLimit, 200u * 10);
}

TEST(GlobMatchTest, MatchesOneCharacterAndAnyRun) {
  struct {
    const char* pattern;
    const char* term;
    bool match;
  } cases[] = {
      {"wom?n", "woman", true},
      {"wom?n", "women", true},
      {"wom?n", "womn", false},
      {"wom?n", "womän", true},
      {"wom?n", "womaan", false},
      {"colo*r", "color", true},
      {"colo*r", "colour", true},
      {"colo*r", "colourful", false},
      {"*stan", "pakistan", true},
      {"*stan", "stan", true},
      {"st*", "st", true},
      {"a*b*c", "axxbyyc", true},
      {"a*b*c", "axxbyy", false},
      {"?", "經", true},
      {"??", "經", false},
      {"*", "", true},
      {"", "", true},
      {"", "a", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(GlobMatch(c.pattern, c.term), c.match)
        << c.pattern << " " << c.term;
  }
  // A query's pattern also matches the possessive of a word it matches.
  EXPECT_FALSE(GlobMatch("wom?n", "women's"));
  EXPECT_TRUE(WildcardMatches("wom?n", "women's"));
  EXPECT_TRUE(WildcardMatches("wom?n", "woman"));
  EXPECT_FALSE(WildcardMatches("wom?n", "womens"));
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
