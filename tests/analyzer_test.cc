// Properties of the Analyzer, the one text pipeline of index and query:
//  - what a query word produces is among the terms the indexer stores for a
//    text containing it, in order at consecutive positions (diacritics both
//    ways, typographic apostrophes, hyphenated compounds as whole and parts,
//    numbers, Chinese and Japanese words, case folding, NFKC compatibility
//    forms such as CO₂ and ligatures, traditional and simplified Chinese
//    characters); and, end to
//    end, every term of the Xapian query the searcher compiles for it
//    (searcher/query.h) is among the terms BuildDocument stores for an
//    article with that text, and that query matches the article;
//  - token offsets point at the original spelling in the UTF-8 input;
//  - positions start at the caller's base, parts of a compound are
//    consecutive and the joined whole sits at the first part's position;
//  - invalid UTF-8 separates words and never crashes;
//  - stems: Snowball English, words with digits or CJK are their own stem;
//  - Fold, FoldKey and NormalizeDisplay on whole strings.
#include "core/analyzer.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/article.h"
#include "core/document.h"
#include "searcher/query.h"

namespace pundit {
namespace {

std::vector<std::string> Terms(const std::vector<Token>& tokens) {
  std::vector<std::string> terms;
  for (const Token& token : tokens) terms.push_back(token.term);
  return terms;
}

// True if the non-compound `query` tokens occur in `indexed` in the same
// order at consecutive positions (a one-word query may match a compound).
bool ContainsPhrase(const std::vector<Token>& indexed,
                    const std::vector<Token>& query) {
  std::vector<std::string> words;
  for (const Token& token : query) {
    if (!token.compound) words.push_back(token.term);
  }
  if (words.empty()) return false;
  for (const Token& start : indexed) {
    if (start.term != words[0]) continue;
    if (start.compound && words.size() > 1) continue;
    size_t matched = 1;
    for (; matched < words.size(); ++matched) {
      bool found = false;
      for (const Token& t : indexed) {
        if (!t.compound && t.position == start.position + matched &&
            t.term == words[matched]) {
          found = true;
        }
      }
      if (!found) break;
    }
    if (matched == words.size()) return true;
  }
  return false;
}

// The terms core/document.h BuildDocument stores for an article whose only
// text is `body` (one paragraph), facet and id terms aside.
std::set<std::string> DocumentTerms(const std::string& body,
                                    Analyzer& analyzer) {
  Article article;
  article.id = "row";
  article.body.push_back({Block::Kind::kParagraph, body});
  Xapian::Document doc = BuildDocument(article, "/corpus/row.md", analyzer);
  std::set<std::string> terms;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    terms.insert(*t);
  }
  return terms;
}

// The terms of the Xapian query the searcher compiles for `q` (searcher/
// query.h ParseAndCompile, the default operator AND).
std::set<std::string> CompiledQueryTerms(const std::string& q,
                                         Analyzer& analyzer) {
  query::Compiled compiled = query::ParseAndCompile(
      q, DefaultOp::kAnd, analyzer, [](std::string_view, std::string_view) {
        return std::vector<std::string>{};
      });
  EXPECT_EQ(compiled.notice, std::nullopt) << q;
  std::set<std::string> terms;
  for (auto t = compiled.query.get_unique_terms_begin();
       t != compiled.query.get_unique_terms_end(); ++t) {
    terms.insert(*t);
  }
  return terms;
}

// True when the compiled query for `q` matches the document built from
// `body`, in an in-memory database holding only that document.
bool QueryMatchesText(const std::string& q, const std::string& body,
                      Analyzer& analyzer) {
  Article article;
  article.id = "row";
  article.body.push_back({Block::Kind::kParagraph, body});
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  db.add_document(BuildDocument(article, "/corpus/row.md", analyzer));
  query::Compiled compiled = query::ParseAndCompile(
      q, DefaultOp::kAnd, analyzer, [](std::string_view, std::string_view) {
        return std::vector<std::string>{};
      });
  Xapian::Enquire enquire(db);
  enquire.set_query(compiled.query);
  return enquire.get_mset(0, 10).size() == 1;
}

struct QueryCase {
  std::string text;                      // what the indexer analyses
  std::string query;                     // what a user types
  std::vector<std::string> query_terms;  // what the query analyses to
};

TEST(AnalyzerTest, QueryTermsAreAmongIndexedTerms) {
  const QueryCase cases[] = {
      {"Juan Guaidó said so.", "Guaido", {"guaido"}},
      {"Juan Guaido said so.", "Guaidó", {"guaido"}},
      {"GUAIDÓ SAID SO", "guaidó", {"guaido"}},
      {"Russia’s economy grew.", "Russia's", {"russia's"}},
      {"Russia's economy grew.", "Russia’s", {"russia's"}},
      {"the whole of Afro-Eurasia was",
       "Afro-Eurasia",
       {"afro", "eurasia", "afroeurasia"}},
      {"the whole of Afro-Eurasia was", "afroeurasia", {"afroeurasia"}},
      {"the whole of Afro-Eurasia was", "Eurasia", {"eurasia"}},
      {"the whole of Afro-Eurasia was", "Afro", {"afro"}},
      {"the whole of Afro‐Eurasia was",
       "Afro-Eurasia",  // U+2010 HYPHEN
       {"afro", "eurasia", "afroeurasia"}},
      {"a loan of $11 billion to Kyiv", "11 billion", {"11", "billion"}},
      {"a loan of $11 billion to Kyiv", "$11", {"11"}},
      {"in the 21st century", "21st", {"21st"}},
      {"a ratio of 3,5 percent", "3,5", {"3,5"}},
      {"COVID-19 spread", "covid19", {"covid19"}},
      {"中国发展人工智能技术。", "人工智能", {"人工", "智能"}},
      {"东京和人工智能", "人工智能", {"人工", "智能"}},
      // Kanji with a simplified form fold as Chinese characters do.
      {"東京都に住んでいる。", "東京都", {"东京", "都"}},
      {"日本語の文章を読む。", "日本語", {"日本语"}},
      {"日本語の文章を読む。", "文章", {"文章"}},
      {"WASHINGTON and Moscow", "washington", {"washington"}},
      // NFKC compatibility forms, in the text and in the query.
      {"emissions of CO₂ rose", "co2", {"co2"}},
      {"emissions of CO2 rose", "CO₂", {"co2"}},
      {"ＣＯ２ levels", "co2", {"co2"}},
      {"the ﬁnance minister", "finance", {"finance"}},
      {"the finance minister", "ﬁnance", {"finance"}},
      // Traditional and simplified Chinese fold together.
      {"經濟發展", "经济", {"经济"}},
      {"经济发展", "經濟", {"经济"}},
      {"Die Straße ist lang.", "STRASSE", {"strasse"}},
      {"ΟΔΥΣΣΕΥΣ returns", "Οδυσσεύς", {"οδυσσευσ"}},
      {"the ＡＢＣ network", "abc", {"abc"}},
      {"the abc network", "ＡＢＣ", {"abc"}},
      {"the ﬁnance ministry", "finance", {"finance"}},
      {"the finance ministry", "ﬁnance", {"finance"}},
      {"naïve café owners", "naive cafe", {"naive", "cafe"}},
  };
  Analyzer analyzer;
  for (const QueryCase& c : cases) {
    SCOPED_TRACE("text \"" + c.text + "\", query \"" + c.query + "\"");
    const std::vector<Token> indexed = analyzer.Tokenize(c.text);
    const std::vector<Token> query = analyzer.Tokenize(c.query);
    EXPECT_EQ(Terms(query), c.query_terms);
    std::set<std::string> stored;
    for (const Token& token : indexed) stored.insert(token.term);
    for (const Token& token : query) {
      EXPECT_TRUE(stored.count(token.term)) << "missing " << token.term;
    }
    EXPECT_TRUE(ContainsPhrase(indexed, query));

    // End to end: the terms the query compiler asks Xapian for (stems and
    // exact forms) are among those the indexer stores for an article whose
    // body is the text.
    const std::set<std::string> document = DocumentTerms(c.text, analyzer);
    const std::set<std::string> asked = CompiledQueryTerms(c.query, analyzer);
    EXPECT_FALSE(asked.empty());
    for (const std::string& term : asked) {
      EXPECT_TRUE(document.count(term))
          << "the query asks for " << term << ", the document has "
          << ::testing::PrintToString(document);
    }
    // ... and the compiled query, run on that document, matches it.
    EXPECT_TRUE(QueryMatchesText(c.query, c.text, analyzer));
  }
}

TEST(AnalyzerTest, OffsetsPointAtOriginalSpelling) {
  struct Case {
    std::string text;
    std::vector<std::string> spellings;  // of every token, in order
  };
  const Case cases[] = {
      {"Juan Guaidó said", {"Juan", "Guaidó", "said"}},
      {"Russia’s “war”", {"Russia’s", "war"}},
      {"Afro-Eurasia!", {"Afro", "Eurasia", "Afro-Eurasia"}},
      {"ＡＢＣ ﬁnance", {"ＡＢＣ", "ﬁnance"}},
      {"😀 emoji 𝐁old", {"emoji", "𝐁old"}},
      {"人工智能", {"人工", "智能"}},
      {"$11 billion", {"11", "billion"}},
      {"CO₂ and 經濟", {"CO₂", "and", "經濟"}},
  };
  Analyzer analyzer;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    std::vector<std::string> spellings;
    for (const Token& token : analyzer.Tokenize(c.text)) {
      ASSERT_LE(token.begin, token.end);
      ASSERT_LE(token.end, c.text.size());
      spellings.push_back(c.text.substr(token.begin, token.end - token.begin));
    }
    EXPECT_EQ(spellings, c.spellings);
  }
}

TEST(AnalyzerTest, OffsetOfGuaidoMapsBackToAccentedSpelling) {
  Analyzer analyzer;
  const std::string text = "Ελληνικά και Guaidó";
  const std::vector<Token> tokens = analyzer.Tokenize(text);
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[2].term, "guaido");
  EXPECT_EQ(text.substr(tokens[2].begin, tokens[2].end - tokens[2].begin),
            "Guaidó");
}

TEST(AnalyzerTest, PositionsStartAtBaseAndCompoundSharesFirstPartPosition) {
  Analyzer analyzer;
  const std::vector<Token> tokens =
      analyzer.Tokenize("the state-of-the-art Afro-Eurasia plan", 7);
  struct Expected {
    std::string term;
    unsigned position;
    bool compound;
  };
  const Expected expected[] = {
      {"the", 7, false},   {"state", 8, false},    {"of", 9, false},
      {"the", 10, false},  {"art", 11, false},     {"stateoftheart", 8, true},
      {"afro", 12, false}, {"eurasia", 13, false}, {"afroeurasia", 12, true},
      {"plan", 14, false},
  };
  ASSERT_EQ(tokens.size(), std::size(expected));
  for (size_t i = 0; i < tokens.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(tokens[i].term, expected[i].term);
    EXPECT_EQ(tokens[i].position, expected[i].position);
    EXPECT_EQ(tokens[i].compound, expected[i].compound);
  }
}

TEST(AnalyzerTest, NumbersJoinedByHyphenAreNotCompounds) {
  Analyzer analyzer;
  EXPECT_EQ(
      Terms(analyzer.Tokenize("pages 3-5 of 2019-2020")),
      (std::vector<std::string>{"pages", "3", "5", "of", "2019", "2020"}));
}

// A full stop between words of two or more letters is a missing space
// ("Hong Kong.Three decades"); abbreviations with one-letter pieces and
// decimal numbers stay whole.
TEST(AnalyzerTest, FullStopBetweenWordsSplitsAbbreviationsStayWhole) {
  Analyzer analyzer;
  std::vector<Token> tokens =
      analyzer.Tokenize("Hong Kong.Three decades, the U.S. and e.g. 3.5 mln");
  EXPECT_EQ(Terms(tokens),
            (std::vector<std::string>{"hong", "kong", "three", "decades", "the",
                                      "u.s", "and", "e.g", "3.5", "mln"}));
  ASSERT_GE(tokens.size(), 3u);
  EXPECT_EQ(tokens[1].begin, 5u);  // "Kong"
  EXPECT_EQ(tokens[1].end, 9u);
  EXPECT_EQ(tokens[2].begin, 10u);  // "Three"
  EXPECT_EQ(tokens[2].position, tokens[1].position + 1);
  EXPECT_EQ(Terms(analyzer.Tokenize("money online.The remedy")),
            (std::vector<std::string>{"money", "online", "the", "remedy"}));
}

TEST(AnalyzerTest, PunctuationAndSymbolsAreNotWords) {
  Analyzer analyzer;
  EXPECT_TRUE(analyzer.Tokenize("").empty());
  EXPECT_TRUE(analyzer.Tokenize(" — “” ... $ % 😀 \n\t").empty());
}

TEST(AnalyzerTest, InvalidUtf8SeparatesWords) {
  struct Case {
    std::string text;
    std::vector<std::string> terms;
  };
  const Case cases[] = {
      {"Guai\xff"
       "do",
       {"guai", "do"}},
      {"ab\xc3", {"ab"}},              // truncated sequence at the end
      {"x\xed\xa0\x80y", {"x", "y"}},  // encoded surrogate
      {"x\xc0\xafy", {"x", "y"}},      // overlong '/'
      {"\x80\x80\x80", {}},            // lone continuation bytes
      {"caf\xc3\xa9\xfe\xfftime", {"cafe", "time"}},
  };
  Analyzer analyzer;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(Terms(analyzer.Tokenize(c.text)), c.terms);
  }
}

TEST(AnalyzerTest, RandomBytesNeverCrashAndStayInBounds) {
  std::mt19937 random(20240601);
  std::uniform_int_distribution<int> byte(0, 255);
  Analyzer analyzer;
  for (int round = 0; round < 300; ++round) {
    std::string text(static_cast<size_t>(round % 97), '\0');
    for (char& c : text) c = static_cast<char>(byte(random));
    for (const Token& token : analyzer.Tokenize(text)) {
      ASSERT_LT(token.begin, token.end);
      ASSERT_LE(token.end, text.size());
      ASSERT_FALSE(token.term.empty());
    }
    analyzer.Fold(text);
    analyzer.FoldKey(text);
    Analyzer::NormalizeDisplay(text);
  }
}

TEST(AnalyzerTest, StemsEnglishWordsAndKeepsNumbersAndCjk) {
  const std::pair<std::string, std::string> cases[] = {
      {"compromises", "compromis"},
      {"compromise", "compromis"},
      {"running", "run"},
      {"russia's", "russia"},
      {"21st", "21st"},
      {"3,5", "3,5"},
      {"covid19", "covid19"},
      {"人工", "人工"},
      {"日本語", "日本語"},
      {"", ""},
  };
  Analyzer analyzer;
  for (const auto& [folded, stem] : cases) {
    EXPECT_EQ(analyzer.Stem(folded), stem) << folded;
  }
}

TEST(AnalyzerTest, FoldsOneWord) {
  const std::pair<std::string, std::string> cases[] = {
      {"Guaidó", "guaido"},
      {"Russia’s", "russia's"},
      {"ＡＢＣ", "abc"},
      {"ﬁ", "fi"},
      {"STRASSE", "strasse"},
      {"Straße", "strasse"},
      {"$", ""},
      {"—", ""},
      {"", ""},
  };
  Analyzer analyzer;
  for (const auto& [word, folded] : cases) {
    EXPECT_EQ(analyzer.Fold(word), folded) << word;
  }
}

TEST(AnalyzerTest, FoldKeyIgnoresCaseDiacriticsQuotesAndSpacing) {
  const std::pair<std::string, std::string> cases[] = {
      {"Guaidó Juan", "guaido juan"},
      {"  guaido \t juan ", "guaido juan"},
      {"Russia’s  Economy", "russia's economy"},
      {"", ""},
  };
  Analyzer analyzer;
  for (const auto& [text, key] : cases) {
    EXPECT_EQ(analyzer.FoldKey(text), key) << text;
  }
}

TEST(AnalyzerTest, NormalizeDisplayComposesAndCollapsesWhitespace) {
  const std::pair<std::string, std::string> cases[] = {
      {"  Juan   Guaidó\t\n", "Juan Guaidó"},
      {"Guaido\xcc\x81", "Guaidó"},  // o + COMBINING ACUTE -> ó
      {"Andrew\u00a0Korybko", "Andrew Korybko"},
      {"Russia’s", "Russia’s"},
      {" \n ", ""},
  };
  for (const auto& [text, display] : cases) {
    EXPECT_EQ(Analyzer::NormalizeDisplay(text), display) << text;
  }
}

}  // namespace
}  // namespace pundit
