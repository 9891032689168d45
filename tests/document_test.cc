// Properties of the Article <-> Xapian document conversion:
//  - BuildDocument writes exactly the schema's terms: Q id, XF file, facet
//    terms in display form (A:, XREGION:, XTHEME:, XSOURCE:), Y/M/D date
//    terms, title words unprefixed (boosted wdf) and as S<word> with
//    positions, Z<stem> and ZS<stem>, lede and body words with positions and
//    a gap between blocks, compounds as whole and parts;
//  - the bio is not indexed; words over 64 bytes are not indexed;
//  - facet values over 200 bytes are cut at a UTF-8 character boundary;
//  - the date value is "YYYYMMDD" and absent when the date is unknown;
//  - the content hash is stable, ignores path and line, and changes with the
//    content;
//  - the stored data is the JSON nlohmann writes for the article, byte for
//    byte, whatever characters its strings hold (invalid UTF-8 stored as
//    U+FFFD);
//  - ArticleToData / ArticleFromData round-trip, and corrupt data gives
//    kCorruption with a message saying how to fix it;
//  - the document is accepted by a Xapian database and found by its terms.
#include "core/document.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/positions.h"
#include "core/schema.h"
#include "searcher/position_match.h"

namespace pundit {
namespace {

Article SmallArticle() {
  Article article;
  article.id = "2019/astana";
  article.title = "Astana’s Talks";
  article.authors = {"Andrew  Korybko", "Juan Guaidó"};
  article.date = "2019-01-31";
  article.regions = {"Asia", "Middle East"};
  article.themes = {"Intelligence"};
  article.source = "OneWorld";
  article.url = "https://oneworld.press/?id=1";
  article.lede = "Talks in Astana.";
  article.body = {{Block::Kind::kHeading, "Afro-Eurasia"},
                  {Block::Kind::kParagraph, "Talks compromise."}};
  article.bio = "Korybko is an analyst.";
  article.path = "/corpus/2019/astana.md";
  article.line = 3;
  return article;
}

std::set<std::string> TermSet(const Xapian::Document& doc) {
  return std::set<std::string>(doc.termlist_begin(), doc.termlist_end());
}

TEST(DocumentTest, BuildsExactTermsForSmallArticle) {
  Analyzer analyzer;
  const Xapian::Document doc =
      BuildDocument(SmallArticle(), "/corpus/2019/astana.md", analyzer);
  // Title at 1-2; lede from 2 + 1 + kParagraphGap = 13; heading from 26;
  // paragraph from 38; the authors after it, from 50 and 62. Title words
  // carry wdf kTitleWdfBoost per occurrence, author words kAuthorWdfBoost.
  const std::string expected =
      "A:Andrew Korybko A:Juan Guaidó D20190131 M201901 Q2019/astana "
      "Sastana's[1] Stalks[2] " +
      schema::FileTerm("/corpus/2019/astana.md") +
      " XREGION:Asia XREGION:Middle East XSOURCE:OneWorld "
      "XTHEME:Intelligence Y2019 ZSastana ZStalk Zafro Zafroeurasia "
      "Zandrew:2 Zastana:4 Zcompromis Zeurasia Zguaido:2 Zin Zjuan:2 "
      "Zkorybko:2 Ztalk:5 afro[26] afroeurasia[26] andrew:2[50] astana[15] "
      "astana's:3[1] compromise[39] eurasia[27] guaido:2[63] in[14] "
      "juan:2[62] korybko:2[51] talks:5[2,13,38]";
  EXPECT_EQ(TermDump(doc), expected);
}

std::set<std::string> PairTerms(const Xapian::Document& doc) {
  std::set<std::string> out;
  for (const std::string& term : TermSet(doc)) {
    if (term.starts_with(schema::kPairPrefix)) {
      out.insert(term.substr(schema::kPairPrefix.size()));
    }
  }
  return out;
}

TEST(DocumentTest, PairTermsAreTheTwoWordPhrasesWithAPairWord) {
  Analyzer analyzer;
  Article article = SmallArticle();
  article.title = "The end";
  article.lede = "";
  // "afroeurasia" stands where "afro" does, so it pairs with "the" before it
  // but not with "eurasia" (neither is a pair word); "end the" spans two
  // blocks and "the x...x" has a word too long to index: no pair for either;
  // "of old" has no pair word.
  article.body = {
      {Block::Kind::kParagraph, "Beyond the Afro-Eurasia of old, to the end."},
      {Block::Kind::kParagraph, "The " + std::string(80, 'x') + " the them"}};
  const Xapian::Document doc = BuildDocument(article, "/a.md", analyzer);
  const std::set<std::string> expected = {"beyond the",      "the afro",
                                          "the afroeurasia", "to the",
                                          "the end",         "the them"};
  EXPECT_EQ(PairTerms(doc), expected);
  // Pair terms carry no weight and no positions: document lengths and
  // BM25 are what they were without them.
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    if (!(*t).starts_with(schema::kPairPrefix)) continue;
    EXPECT_EQ(t.get_wdf(), 0u) << *t;
    EXPECT_FALSE(HasPositions(*t)) << *t;
  }
}

TEST(DocumentTest, StoresDateValueAndDateTermsOnlyForValidDates) {
  struct Case {
    std::string date;
    std::string value;               // kDateValue, "" when absent
    std::vector<std::string> terms;  // Y, M, D terms expected
  };
  const Case cases[] = {
      {"2019-01-31", "20190131", {"Y2019", "M201901", "D20190131"}},
      {"1999-12-01", "19991201", {"Y1999", "M199912", "D19991201"}},
      {"", "", {}},
      {"2019-1-31", "", {}},
      {"31/01/2019", "", {}},
  };
  Analyzer analyzer;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.date);
    Article article = SmallArticle();
    article.date = c.date;
    const Xapian::Document doc = BuildDocument(article, "/a.md", analyzer);
    EXPECT_EQ(doc.get_value(schema::kDateValue), c.value);
    std::vector<std::string> date_terms;
    for (const std::string& term : TermSet(doc)) {
      if (term.size() > 1 &&
          (term[0] == 'Y' || term[0] == 'M' || term[0] == 'D') &&
          std::isdigit(static_cast<unsigned char>(term[1]))) {
        date_terms.push_back(term);
      }
    }
    std::vector<std::string> expected = c.terms;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(date_terms, expected);
  }
}

TEST(DocumentTest, ContentHashIsStableAndFollowsContentNotProvenance) {
  Analyzer analyzer;
  const Article article = SmallArticle();
  const std::string hash = ContentHash(article);
  EXPECT_EQ(hash.size(), 16u);
  EXPECT_EQ(ContentHash(SmallArticle()), hash);
  EXPECT_EQ(
      BuildDocument(article, "/a.md", analyzer).get_value(schema::kContentHash),
      hash);

  Article moved = article;
  moved.path = "/elsewhere.md";
  moved.line = 99;
  EXPECT_EQ(ContentHash(moved), hash);

  Article edited = article;
  edited.body[1].text = "Talks compromised.";
  EXPECT_NE(ContentHash(edited), hash);
  Article retitled = article;
  retitled.body[0].kind = Block::Kind::kParagraph;
  EXPECT_NE(ContentHash(retitled), hash);
  Article regrouped = article;  // same bytes, different split between fields
  regrouped.regions = {"AsiaMiddle East"};
  EXPECT_NE(ContentHash(regrouped), hash);
}

TEST(DocumentTest, BioIsNotIndexed) {
  Analyzer analyzer;
  Article article = SmallArticle();
  article.bio = "Zanzibarian analyst";
  const std::set<std::string> terms =
      TermSet(BuildDocument(article, "/a.md", analyzer));
  for (const char* term :
       {"zanzibarian", "Zzanzibarian", "analyst", "Zanalyst"}) {
    EXPECT_EQ(terms.count(term), 0u) << term;
  }
}

TEST(DocumentTest, WordsLongerThan64BytesAreNotIndexed) {
  Analyzer analyzer;
  Article article = SmallArticle();
  const std::string word64(64, 'x');
  const std::string word65(65, 'y');
  article.body = {{Block::Kind::kParagraph, word64 + " " + word65 + " end"}};
  const Xapian::Document doc = BuildDocument(article, "/a.md", analyzer);
  const std::set<std::string> terms = TermSet(doc);
  EXPECT_EQ(terms.count(word64), 1u);
  EXPECT_EQ(terms.count(word65), 0u);
  EXPECT_EQ(terms.count("Z" + word65), 0u);
  // The long word still takes its position: "end" follows it.
  const std::vector<uint32_t> end = PositionsOf(doc, "end");
  const std::vector<uint32_t> x = PositionsOf(doc, word64);
  ASSERT_EQ(end.size(), 1u);
  ASSERT_EQ(x.size(), 1u);
  EXPECT_EQ(end[0], x[0] + 2);
}

TEST(DocumentTest, LongFacetValueIsCutAtCharacterBoundary) {
  struct Case {
    std::string author;
    std::string term;
  };
  std::string e150;  // 150 x "é", 300 bytes
  std::string e99;
  for (int i = 0; i < 150; ++i) e150 += "é";
  for (int i = 0; i < 99; ++i) e99 += "é";
  const Case cases[] = {
      {e150, "A:" + e150.substr(0, 200)},  // cut between two "é"
      {"a" + e150, "A:a" + e99},           // 200 would split an "é"
      {std::string(199, 'b') + " c", "A:" + std::string(199, 'b')},
      {std::string(200, 'd'), "A:" + std::string(200, 'd')},
  };
  Analyzer analyzer;
  for (const Case& c : cases) {
    Article article = SmallArticle();
    article.authors = {c.author};
    const std::set<std::string> terms =
        TermSet(BuildDocument(article, "/a.md", analyzer));
    std::vector<std::string> authors;
    for (const std::string& term : terms) {
      if (term.rfind("A:", 0) == 0) authors.push_back(term);
    }
    EXPECT_EQ(authors, std::vector<std::string>{c.term});
  }
}

TEST(DocumentTest, OnlyTheIdTermCanBeLongerThanXapianAccepts) {
  // Every field as long as it can be: 64-byte words (the longest indexed)
  // in title, body and author pairs with "the", facet values of 300 bytes.
  Analyzer analyzer;
  Article article = SmallArticle();
  article.id = std::string(300, 'i');
  const std::string word(64, 'w');
  const std::string long_value(300, 'v');
  article.title = "the " + word + " the";
  article.body = {{Block::Kind::kParagraph, "the " + word + "s the " + word}};
  article.authors = {long_value, "the " + word};
  article.regions = {long_value};
  article.themes = {long_value};
  article.source = long_value;
  const std::set<std::string> terms =
      TermSet(BuildDocument(article, "/" + long_value + ".md", analyzer));
  size_t longest = 0;
  for (const std::string& term : terms) {
    if (term.rfind("Q", 0) == 0) continue;
    longest = std::max(longest, term.size());
  }
  EXPECT_LE(longest, kMaxTermBytesButId);
  EXPECT_GE(longest, 200u);  // the cut facet values are there
  EXPECT_EQ(terms.count("Q" + article.id), 1u);
  EXPECT_EQ(terms.count("XP" + word + " the"), 1u);
}

TEST(DocumentTest, EmptyFacetValuesAreSkipped) {
  Analyzer analyzer;
  Article article = SmallArticle();
  article.authors = {" ", ""};
  article.source = "";
  const std::set<std::string> terms =
      TermSet(BuildDocument(article, "/a.md", analyzer));
  EXPECT_EQ(terms.count("A:"), 0u);
  EXPECT_EQ(terms.count("XSOURCE:"), 0u);
}

TEST(DocumentTest, DataRoundTripsEveryField) {
  Article empty;
  empty.id = "x";
  Article unicode = SmallArticle();
  unicode.title = "日本語の文章 “quoted” \\ \"escaped\"\n";
  unicode.line = 123456;
  for (const Article& article : {SmallArticle(), empty, unicode}) {
    Result<Article> back = ArticleFromData(ArticleToData(article));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, article);
  }
  Analyzer analyzer;
  EXPECT_EQ(BuildDocument(SmallArticle(), "/a.md", analyzer).get_data(),
            ArticleToData(SmallArticle()));
}

// Every character class JSON escapes, in every field the data stores.
Article ArticleOfEveryCharacter() {
  std::string every;
  for (int c = 1; c < 0x80; ++c) every += static_cast<char>(c);
  every += "/ é 日本 “q” \xF0\x9F\x93\xB0 \\\" \\u0041";
  Article article;
  article.id = "id " + every;
  article.title = every;
  article.authors = {every, "", "B"};
  article.date = every;
  article.regions = {every};
  article.themes = {};
  article.source = every;
  article.url = every;
  article.lede = every;
  article.body = {{Block::Kind::kHeading, every},
                  {Block::Kind::kParagraph, ""},
                  {Block::Kind::kParagraph, every + every}};
  article.bio = every;
  article.path = every;
  article.line = 7;
  return article;
}

TEST(DocumentTest, DataIsTheJsonNlohmannWritesByteForByte) {
  for (const Article& article :
       {ArticleOfEveryCharacter(), SmallArticle(), Article()}) {
    const std::string data = ArticleToData(article);
    // nlohmann's own writing of the same object, read back in order.
    EXPECT_EQ(data, nlohmann::ordered_json::parse(data).dump());
    Result<Article> back = ArticleFromData(data);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, article);
  }
  const std::string data = ArticleToData(ArticleOfEveryCharacter());
  EXPECT_NE(data.find(R"(\u0001\u0002)"), std::string::npos);
  EXPECT_NE(data.find(R"(\b\t\n\u000b\f\r\u000e)"), std::string::npos);
  EXPECT_NE(data.find("\x7f"), std::string::npos);  // DEL as it is
  // A string that is not UTF-8 is stored with U+FFFD in place of its bad
  // bytes, and the rest of the article as it is.
  Article bad = SmallArticle();
  bad.title = "caf\xE9 \xFF ok";
  Result<Article> back = ArticleFromData(ArticleToData(bad));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->title, "caf\xEF\xBF\xBD \xEF\xBF\xBD ok");
  EXPECT_EQ(back->lede, bad.lede);
}

TEST(DocumentTest, CorruptDataIsCorruption) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "is not valid JSON (byte 1)"},
      {"{\"id\": \"a\"", "is not valid JSON (byte 11)"},
      {"[1, 2]", "is not a JSON object"},
      {"{\"title\": \"t\"}", "has no string field \"id\""},
      {"{\"id\": 7}", "has no string field \"id\""},
      {"{\"id\": \"a\", \"title\": 3}", "field \"title\" is not a string"},
      {"{\"id\": \"a\", \"authors\": \"b\"}",
       "field \"authors\" is not an array of strings"},
      {"{\"id\": \"a\", \"themes\": [1]}",
       "field \"themes\" is not an array of strings"},
      {"{\"id\": \"a\", \"line\": \"3\"}", "field \"line\" is not an integer"},
      {"{\"id\": \"a\", \"body\": {}}", "field \"body\" is not an array"},
      {"{\"id\": \"a\", \"body\": [{\"t\": \"x\"}]}",
       "field \"body\" holds a block that is not {\"h\": bool, \"t\": "
       "string}"},
  };
  for (const auto& [data, what] : cases) {
    SCOPED_TRACE(data);
    Result<Article> article = ArticleFromData(data);
    ASSERT_FALSE(article.ok());
    EXPECT_EQ(article.status().code(), Status::Code::kCorruption);
    EXPECT_EQ(article.status().message(),
              "document data " + what +
                  ": the index is damaged or was written by another "
                  "version; rebuild it with `pundit index --full`");
  }
}

TEST(DocumentTest, DocumentIsAcceptedByXapianAndFoundByItsTerms) {
  Analyzer analyzer;
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Article long_id = SmallArticle();
  long_id.id = "other";
  long_id.body = {{Block::Kind::kParagraph, std::string(300, 'q')}};
  db.add_document(BuildDocument(SmallArticle(), "/a.md", analyzer));
  db.add_document(BuildDocument(long_id, "/b.md", analyzer));
  db.commit();
  EXPECT_EQ(db.get_termfreq("Zcompromis"), 1u);
  EXPECT_EQ(db.get_termfreq("A:Juan Guaidó"), 2u);
  EXPECT_EQ(db.get_termfreq("Qother"), 1u);

  // The phrase, checked against the position records.
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(
      Xapian::Query::OP_FILTER,
      Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("afro"),
                    Xapian::Query("eurasia")),
      query::PositionMatch::Query(query::PositionMatch::Kind::kPhrase,
                                  {{"afro"}, {"eurasia"}}, 2)));
  Xapian::MSet mset = enquire.get_mset(0, 10);
  ASSERT_EQ(mset.size(), 1u);
  EXPECT_EQ(*mset.begin(), 1u);
}

}  // namespace
}  // namespace pundit
