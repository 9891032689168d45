// Tests of core/parsers.h. Properties checked:
// - the sample article (corpus/russia-astana-venezuela.md, an exact copy of
//   ../shared/seed/000_2cf9de6876a550d4.txt) gives exactly the specified
//   title, authors, date, regions, themes, source, lede, bio and sub-heads;
// - Markdown is resolved to plain text: links to their text, "\\$" to "$",
//   entities decoded, <sup> dropped to its text, NFC, white space collapsed;
// - paragraphs broken by a page break are healed, and nothing of the footer
//   (share buttons, disclaimer, publisher's site) is ever body text;
// - seed variants: several authors, no Region or Theme line, several themes,
//   abbreviated and day-first months, escapes, entities, non-ASCII names,
//   bylines and facets without links, source from the date line;
// - front matter: every key, lists or text, ISO timestamps, slug as id, body
//   headings; JSON Lines: every field, ids, empty lines, one bad line costs
//   only itself (syntax error, types, title, date, duplicate id, nesting);
// - malformed files: whole error messages for empty, binary, invalid UTF-8,
//   no title, impossible and unreadable dates, oversized content, each
//   "path:line: error: ..." with a line (1 for a whole-file error, the line
//   of the NUL byte for a binary file); a 20 MB file parses fine;
// - CleanText: white space runs of any kind to one space, trimmed, control
//   characters dropped, NFC, text already clean returned as it is;
// - NormalizeDate (and the plausible range of dates), FormatFromFileName,
//   DetectMarkdownFormat tables;
// - every article shipped under corpus/ parses without an error.
#include "core/parsers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/document.h"
#include "core/parse_text.h"
#include "core/readers/formats.h"
#include "tests/test_util.h"

namespace pundit {
namespace {

using ::pundit::testing::CorpusPath;
using ::pundit::testing::ReadFile;
using ::pundit::testing::SharedPath;
using ::pundit::testing::TempDir;
using ::pundit::testing::TestData;
using ::pundit::testing::WriteFile;

using Strings = std::vector<std::string>;

constexpr char kSample[] = "russia-astana-venezuela.md";

std::string Lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Parses a file as the indexer would: format from its name, content checks.
ParseOutput ParseFile(const std::string& file, const std::string& display,
                      const std::string& id_base = "doc") {
  const readers::Format* format = readers::FormatForFileName(file);
  InputFormat input = format == nullptr ? InputFormat::kNotAnArticle
                      : std::string_view(format->name) == "jsonl"
                          ? InputFormat::kJsonLines
                          : InputFormat::kSeedMarkdown;
  return ParseContent(input, ReadFile(file), display, id_base);
}

// Parses one Markdown article that must give exactly one article.
Article ParseOne(const std::string& content) {
  ParseOutput out =
      ParseContent(InputFormat::kSeedMarkdown, content, "test.md", "test");
  EXPECT_TRUE(out.errors.empty())
      << (out.errors.empty() ? "" : out.errors[0].ToString());
  EXPECT_EQ(out.articles.size(), 1u);
  return out.articles.empty() ? Article{} : out.articles[0];
}

Strings Headings(const Article& a) {
  Strings out;
  for (const Block& b : a.body) {
    if (b.kind == Block::Kind::kHeading) out.push_back(b.text);
  }
  return out;
}

Strings Paragraphs(const Article& a) {
  Strings out;
  for (const Block& b : a.body) {
    if (b.kind == Block::Kind::kParagraph) out.push_back(b.text);
  }
  return out;
}

std::string AllText(const Article& a) {
  std::string all = a.title + "\n" + a.lede + "\n";
  for (const Block& b : a.body) all += b.text + "\n";
  return all;
}

std::string ErrorsOf(const ParseOutput& out) {
  std::string s;
  for (const ParseError& e : out.errors) s += e.ToString() + "\n";
  return s;
}

// ---------------------------------------------------------------- sample

class SampleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ParseOutput out =
        ParseFile(CorpusPath(kSample), "corpus/russia-astana-venezuela.md",
                  "russia-astana-venezuela");
    ASSERT_EQ(ErrorsOf(out), "");
    ASSERT_EQ(out.articles.size(), 1u);
    article_ = out.articles[0];
  }
  Article article_;
};

TEST_F(SampleTest, ParsesEveryHeaderField) {
  EXPECT_EQ(article_.id, "russia-astana-venezuela");
  EXPECT_EQ(article_.path, "corpus/russia-astana-venezuela.md");
  EXPECT_EQ(article_.line, 1);
  EXPECT_EQ(article_.title,
            "Russia Might be Planning an Astana-Like Conference for Venezuela");
  EXPECT_EQ(article_.authors, Strings{"Andrew Korybko"});
  EXPECT_EQ(article_.date, "2019-01-31");
  EXPECT_EQ(article_.regions,
            (Strings{"Latin America & Caribbean", "Russia and FSU"}));
  EXPECT_EQ(article_.themes, Strings{"Intelligence"});
  EXPECT_EQ(article_.source, "Eurasia Future");
  EXPECT_EQ(article_.url, "");
}

TEST_F(SampleTest, ReadsLedeAndBio) {
  EXPECT_TRUE(article_.lede.starts_with("Russia just dropped a huge hint"))
      << article_.lede;
  EXPECT_TRUE(article_.lede.ends_with(
      "\"painful compromises\" by the government if it succeeds."))
      << article_.lede;
  EXPECT_TRUE(article_.bio.starts_with(
      "Andrew Korybko is an American Moscow-based political analyst"))
      << article_.bio;
  EXPECT_TRUE(article_.bio.ends_with(
      "He is a frequent contributor to Global Research."))
      << article_.bio;
}

TEST_F(SampleTest, MarksExplicitAndImplicitSubHeads) {
  // Long expected strings are split over lines on purpose.
  // NOLINTBEGIN(bugprone-suspicious-missing-comma)
  EXPECT_EQ(Headings(article_),
            (Strings{"Another Astana?", "Follow The Money",
                     "On The Road To \u201CCompromises\u201D",
                     "Arguments For And Against America\u2019s Support For "
                     "Another Astana",
                     "\"Sell-Out\" Or Strategic?", "Concluding Thoughts"}));
  // NOLINTEND(bugprone-suspicious-missing-comma)
  EXPECT_EQ(Paragraphs(article_).size(), 12u);
  ASSERT_FALSE(article_.body.empty());
  EXPECT_EQ(article_.body[0],
            (Block{Block::Kind::kHeading, "Another Astana?"}));
}

TEST_F(SampleTest, ResolvesLinksEscapesAndInlineHtml) {
  std::string all = AllText(article_);
  EXPECT_NE(all.find("The country invested $11 billion in the Bolivarian"),
            std::string::npos);
  EXPECT_NE(all.find("commit another $6 billion in early December"),
            std::string::npos);
  EXPECT_NE(all.find("the whopping $50 billion that it loaned"),
            std::string::npos);
  EXPECT_NE(all.find("Russia's 21st-century grand strategic vision"),
            std::string::npos);
  EXPECT_NE(all.find("ready to \"pull a Syria\" by assembling"),
            std::string::npos);
  EXPECT_NE(all.find("He said that"), std::string::npos);
  for (const char* markup :
       {"\\", "](#)", "[", "<sup>", "</sup>", "*", "###", "  "}) {
    EXPECT_EQ(all.find(markup), std::string::npos) << markup;
  }
}

// News wires write company names as "<Name>": Markdown sees a tag, but no
// HTML element is named so, so it is kept as text; real tags are dropped.
TEST(SeedMarkdownTest, AngleBracketNamesAreTextRealTagsAreDropped) {
  Article a = ParseOne(
      "# <dunlop Malaysian Industries Bhd>\n\n"
      "By [Felicity J. Gray](#)\n\nGlobal Research, May 14, 2024\n\n"
      "<Dunlop Malaysian Industries Bhd> said its <b>net</b> profit rose"
      "<!-- note --> to 5 mln <sup>1</sup> ringgit.\n");
  EXPECT_EQ(a.title, "<dunlop Malaysian Industries Bhd>");
  std::string all = AllText(a);
  EXPECT_NE(all.find("<Dunlop Malaysian Industries Bhd> said its net profit "
                     "rose to 5 mln 1 ringgit."),
            std::string::npos)
      << all;
  for (const char* markup : {"<b>", "</b>", "<!--", "<sup>"}) {
    EXPECT_EQ(all.find(markup), std::string::npos) << markup;
  }
}

TEST_F(SampleTest, HealsParagraphsBrokenByPageBreaks) {
  std::string all = AllText(article_);
  EXPECT_NE(all.find("peacefully resolved as soon as possible. The country"),
            std::string::npos);
  EXPECT_NE(all.find("de-escalate this crisis as soon as possible."),
            std::string::npos);
  EXPECT_NE(all.find("If Venezuela becomes the \u201Cnext Syria\", it'll take"),
            std::string::npos);
  for (const std::string& p : Paragraphs(article_)) {
    EXPECT_NE(p, "possible.");
    EXPECT_FALSE(p.starts_with("Syria\"")) << p;
  }
}

TEST_F(SampleTest, NeverReturnsFooterBoilerplate) {
  std::string all = Lower(AllText(article_));
  for (const char* word :
       {"disclaimer", "share buttons", "globalresearch.ca",
        "originally published", "featured image", "original source",
        "copyright", "become a member", "articles by", "about the author",
        "media inquiries", "frequent contributor"}) {
    EXPECT_EQ(all.find(word), std::string::npos) << word;
  }
  ASSERT_FALSE(article_.body.empty());
  EXPECT_TRUE(article_.body.back().text.starts_with(
      "Russia's 21st-century grand strategic vision"));
  EXPECT_TRUE(article_.body.back().text.ends_with(
      "from repeating itself in South America."));
}

TEST(SampleCopyTest, CorpusCopyIsTheSharedSeedByteForByte) {
  std::string shared = SharedPath("seed/000_2cf9de6876a550d4.txt");
  if (shared.empty()) GTEST_SKIP() << "../shared is absent: nothing to compare";
  std::string seed = ReadFile(shared);
  ASSERT_FALSE(seed.empty());
  EXPECT_EQ(seed, ReadFile(CorpusPath(kSample)));
  // And the .txt name is read the same way.
  ParseOutput out = ParseFile(shared, "seed.txt", "seed");
  ASSERT_EQ(ErrorsOf(out), "");
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].title,
            "Russia Might be Planning an Astana-Like Conference for Venezuela");
}

// ---------------------------------------------------------- seed variants

TEST(SeedVariantTest, TwoAuthorsJoinedByAnd) {
  Article a = ParseOne(ReadFile(TestData("seed/two_authors.md")));
  EXPECT_EQ(a.title, "Harbour Tolls and the Quiet Return of Mercantilism");
  EXPECT_EQ(a.authors, (Strings{"Ana Pérez", "Tom Ellis"}));
  EXPECT_EQ(a.date, "2021-03-04");
  EXPECT_EQ(a.regions, Strings{"Europe"});
  EXPECT_EQ(a.themes, Strings{"Economy"});
  EXPECT_EQ(a.source, "The Harbour Ledger");
  EXPECT_EQ(a.lede,
            "Ports are the new customs houses, and nobody voted for the "
            "change.");
  EXPECT_EQ(a.bio, "Ana Pérez is a trade economist based in Valencia.");
  EXPECT_EQ(
      a.body,
      (std::vector<Block>{
          {Block::Kind::kHeading, "Tolls Without Borders"},
          {Block::Kind::kParagraph,
           "Every large harbour on the continent now charges a fee "
           "that looks like a service charge and works like a tariff."}}));
}

TEST(SeedVariantTest, ThreeAuthorsAbbreviatedMonthSeveralThemesNoRegion) {
  Article a =
      ParseOne(ReadFile(TestData("seed/three_authors_abbrev_month.md")));
  EXPECT_EQ(a.authors, (Strings{"Mara Holt", "Ivo Brandt", "Lena Sato"}));
  EXPECT_EQ(a.date, "2019-01-31");
  EXPECT_EQ(a.regions, Strings{});
  EXPECT_EQ(a.themes, (Strings{"Energy", "Elections", "Environment"}));
  // No "originally published" line: the site of the date line is the source.
  EXPECT_EQ(a.source, "Global Research");
  EXPECT_EQ(a.bio, "");
  EXPECT_EQ(Paragraphs(a),
            Strings{"The ballot had one question and the campaign had twenty. "
                    "Most of them were about gas."});
}

TEST(SeedVariantTest, NoRegionNoThemeAndDayFirstDate) {
  Article a = ParseOne(ReadFile(TestData("seed/no_region_no_theme.md")));
  EXPECT_EQ(a.authors, Strings{"Sam Okafor"});
  EXPECT_EQ(a.date, "2017-06-12");
  EXPECT_TRUE(a.regions.empty());
  EXPECT_TRUE(a.themes.empty());
  EXPECT_EQ(a.lede, "Some articles arrive with no facets at all.");
  EXPECT_EQ(
      a.body,
      (std::vector<Block>{{Block::Kind::kParagraph,
                           "The parser must not invent a region or a theme for "
                           "them, and it must still find the body."}}));
}

TEST(SeedVariantTest, ResolvesEscapesEntitiesAndNonAsciiLetters) {
  Article a = ParseOne(ReadFile(TestData("seed/escapes_entities.md")));
  EXPECT_EQ(a.title,
            "Café Politics: O\u2019Brien's *Real* Agenda & the Budget");
  EXPECT_EQ(a.authors, (Strings{"Zoë O\u2019Neill", "José Martínez"}));
  EXPECT_EQ(a.regions, Strings{"Latin America & Caribbean"});
  EXPECT_EQ(a.themes, Strings{"Law & Justice"});
  EXPECT_EQ(a.lede, "The \u201Ccafé\u201D vote was never about coffee.");
  // The file writes "Cafe" + U+0301 (decomposed): the text is NFC.
  EXPECT_EQ(Paragraphs(a),
            (Strings{"Café owners in Bogotá paid $4 million in fees \u2013 a "
                     "sum nobody audited.",
                     "The 2nd audit found nothing and nobody asked why."}));
}

TEST(SeedVariantTest, BylineAndFacetsWithoutLinks) {
  Article a = ParseOne(ReadFile(TestData("seed/bare_names.md")));
  EXPECT_EQ(a.authors, (Strings{"Jane Roe", "John Doe"}));
  EXPECT_EQ(a.date, "2016-02-02");
  EXPECT_EQ(a.regions, (Strings{"Europe", "Asia"}));
  EXPECT_EQ(a.themes, Strings{"Media"});
  EXPECT_EQ(a.lede, "");
  EXPECT_EQ(Paragraphs(a).size(), 1u);
}

TEST(SeedVariantTest, HeaderLinesMayShareOneParagraph) {
  Article a = ParseOne(
      "# Tight Header\nBy [A. Writer](#)\nGlobal Research, May 1, 2015\n"
      "Region: [Asia](#)\nTheme: [Media](#)\n\n*Lede.*\n\nBody text here.\n");
  EXPECT_EQ(a.authors, Strings{"A. Writer"});
  EXPECT_EQ(a.date, "2015-05-01");
  EXPECT_EQ(a.regions, Strings{"Asia"});
  EXPECT_EQ(a.themes, Strings{"Media"});
  EXPECT_EQ(a.lede, "Lede.");
  EXPECT_EQ(Paragraphs(a), Strings{"Body text here."});
}

TEST(SeedVariantTest, SentenceStartingWithByIsNotAByline) {
  Article a = ParseOne(
      "# T\n\nBy the time the vote came, nobody was counting any more.\n");
  EXPECT_TRUE(a.authors.empty());
  EXPECT_EQ(
      Paragraphs(a),
      Strings{"By the time the vote came, nobody was counting any more."});
}

// A short standalone line followed by a paragraph may be a sub-head.
TEST(SeedVariantTest, ImplicitHeadingRule) {
  struct Case {
    std::string line;
    bool heading;
  };
  const Case cases[] = {
      {"Another Astana?", true},
      {"Follow The Money", true},
      {"What Now For The 2024 Budget", true},
      {"Why it matters", false},  // not title-cased
      {"He said that", false},
      {"The End.", false},  // final '.'
      {"Notes:", false},    // final ':'
      {"First, Second,", false},
      {"This Line Has Far Too Many Words To Be A Heading Of Any Useful Kind "
       "At All",
       false},
  };
  for (const Case& c : cases) {
    Article a = ParseOne("# T\n\n" + c.line +
                         "\n\nA following paragraph that starts upper case.\n");
    ASSERT_EQ(a.body.size(), 2u) << c.line;
    EXPECT_EQ(a.body[0].kind == Block::Kind::kHeading, c.heading) << c.line;
    EXPECT_EQ(a.body[0].text, c.line);
  }
  // The last block has no following paragraph: never a heading.
  Article last = ParseOne("# T\n\nA paragraph.\n\nClosing Words\n");
  EXPECT_EQ(last.body.back(),
            (Block{Block::Kind::kParagraph, "Closing Words"}));
}

TEST(SeedVariantTest, PageBreakHealingRule) {
  struct Case {
    std::string first, second;
    bool joined;
  };
  const Case cases[] = {
      {"It must happen as soon as", "possible.", true},
      {"If it becomes the \u201Cnext", "Syria\u201D, it will take time.", true},
      {"If it becomes the \"next", "Syria\", it will take time.", true},
      {"It ended here.", "then it went on.", false},
      {"He asked \u201Cwhy?\u201D", "nobody answered.", false},
      {"A long sentence that simply stops", "Another one starts.", false},
  };
  for (const Case& c : cases) {
    Article a = ParseOne("# T\n\n" + c.first + "\n\n" + c.second + "\n");
    if (c.joined) {
      EXPECT_EQ(Paragraphs(a), Strings{c.first + " " + c.second}) << c.first;
    } else {
      EXPECT_EQ(a.body.size(), 2u) << c.first;
    }
  }
}

TEST(SeedVariantTest, NothingAfterTheFooterMarkersIsBody) {
  Article a = ParseOne(
      "# T\n\nBy [Kim Park](#)\n\nBody one.\n\n\\*\n\nBody-looking text "
      "after the separator.\n\n*This article was first published by [The "
      "Daily Lens](#).*\n\n*Kim Park is a columnist.*\n");
  EXPECT_EQ(Paragraphs(a), Strings{"Body one."});
  EXPECT_EQ(a.source, "The Daily Lens");
  EXPECT_EQ(a.bio, "Kim Park is a columnist.");
}

TEST(SeedVariantTest, AboutTheAuthorIsTheBioWhenNoItalicBio) {
  Article a = ParseOne(
      "# T\n\nBy [Kim Park](#)\n\nBody.\n\n---\n\n#### About the author:\n\n"
      "Kim Park writes about ports.\n\n**Disclaimer:** nothing.\n");
  EXPECT_EQ(Paragraphs(a), Strings{"Body."});
  EXPECT_EQ(a.bio, "Kim Park writes about ports.");
}

// ------------------------------------------------------------ front matter

TEST(FrontMatterTest, ReadsEveryKey) {
  ParseOutput out = ParseFile(TestData("mixed/front_matter.md"),
                              "mixed/front_matter.md", "mixed/front_matter");
  ASSERT_EQ(ErrorsOf(out), "");
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  EXPECT_EQ(a.id, "grain-corridors");  // the slug overrides the id base
  EXPECT_EQ(a.path, "mixed/front_matter.md");
  EXPECT_EQ(a.title, "Grain Corridors & the Price of Bread");
  EXPECT_EQ(a.authors, (Strings{"Noor Haddad", "Felix Brandt"}));
  EXPECT_EQ(a.date, "2022-08-14");
  EXPECT_EQ(a.regions, (Strings{"Middle East", "Europe"}));
  EXPECT_EQ(a.themes, (Strings{"Economy", "Food", "Trade"}));
  EXPECT_EQ(a.source, "The Corridor Review");
  EXPECT_EQ(a.url, "https://example.org/grain-corridors");
  EXPECT_EQ(a.lede,
            "Bread prices in Cairo are set on the Black Sea, *not* in Cairo.");
  EXPECT_EQ(
      a.body,
      (std::vector<Block>{
          {Block::Kind::kParagraph,
           "A ship leaving Odesa decides what a family in Alexandria pays "
           "for breakfast, and it has done so for a century."},
          {Block::Kind::kHeading, "Who Sets the Price"},
          {Block::Kind::kParagraph,
           "Futures traders in Chicago quote a number; insurers in London "
           "multiply it; a baker in Giza absorbs the difference until he "
           "cannot. When he cannot, the street notices within a week."},
          {Block::Kind::kParagraph, "Insurance premiums doubled."},
          {Block::Kind::kParagraph, "Freight rates tripled."},
          {Block::Kind::kParagraph,
           "\"We do not buy wheat, we buy risk,\" one importer said."},
      }));
}

TEST(FrontMatterTest, TextValuesAndEntities) {
  ParseOutput out = ParseFile(TestData("mixed/front_matter_minimal.md"), "m.md",
                              "blog/minimal");
  ASSERT_EQ(ErrorsOf(out), "");
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  EXPECT_EQ(a.id, "blog/minimal");
  EXPECT_EQ(a.title, "Minimal & Plain");
  EXPECT_EQ(a.authors, (Strings{"Kim Park", "Lee Moss"}));
  EXPECT_EQ(a.date, "2023-03-03");
  EXPECT_EQ(a.themes, Strings{"Media"});
  EXPECT_EQ(
      a.body,
      (std::vector<Block>{{Block::Kind::kParagraph, "Short body text."}}));
}

TEST(FrontMatterTest, TitleFromFirstHeadingWhenTheKeyIsMissing) {
  ParseOutput out = ParseContent(
      InputFormat::kSeedMarkdown,
      "---\nauthor: Kim Park\n---\n\n# Heading Title\n\nText.\n", "x.md", "x");
  ASSERT_EQ(ErrorsOf(out), "");
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].title, "Heading Title");
  EXPECT_EQ(out.articles[0].body,
            (std::vector<Block>{{Block::Kind::kParagraph, "Text."}}));
}

// ------------------------------------------------------------- JSON Lines

TEST(JsonLinesTest, ReadsEveryFieldAndIdsARecordWithoutOneByItsContent) {
  ParseOutput out = ParseFile(TestData("mixed/articles.jsonl"),
                              "wire/articles.jsonl", "wire/articles");
  ASSERT_EQ(ErrorsOf(out), "");
  ASSERT_EQ(out.articles.size(), 3u);
  const Article& a = out.articles[0];
  EXPECT_EQ(a.id, "w-001");
  EXPECT_EQ(a.line, 1);
  EXPECT_EQ(a.path, "wire/articles.jsonl");
  EXPECT_EQ(a.title, "Salt Roads");
  EXPECT_EQ(a.authors, Strings{"Ruth Kamau"});
  EXPECT_EQ(a.date, "2018-04-09");
  EXPECT_EQ(a.regions, Strings{"Africa"});
  EXPECT_EQ(a.themes, (Strings{"Economy", "History"}));
  EXPECT_EQ(a.source, "Lakeside Wire");
  EXPECT_EQ(a.url, "https://example.org/salt");
  EXPECT_EQ(
      a.body,
      (std::vector<Block>{
          {Block::Kind::kParagraph, "The first paragraph spans two lines."},
          {Block::Kind::kParagraph, "The second & last paragraph."}}));
  // Line 2 is empty; line 3 has no id and gets the id of its content.
  const Article& b = out.articles[1];
  EXPECT_EQ(b.id, ContentId(b));
  EXPECT_EQ(b.line, 3);
  EXPECT_EQ(b.authors, (Strings{"Ivo Brandt", "Mara Holt"}));
  EXPECT_EQ(b.date, "2020-01-05");
  EXPECT_TRUE(b.regions.empty());
  EXPECT_TRUE(b.themes.empty());
  EXPECT_TRUE(b.body.empty());
  const Article& c = out.articles[2];
  EXPECT_EQ(c.id, "7");
  EXPECT_EQ(c.line, 4);
  EXPECT_EQ(c.date, "");
  EXPECT_EQ(c.regions, (Strings{"Asia", "Europe"}));
}

TEST(JsonLinesTest, SyntaxErrorOnLineThreeCostsOnlyThatLine) {
  ParseOutput out =
      ParseFile(TestData("malformed/syntax_error.jsonl"), "bad.jsonl", "bad");
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].ToString(),
            "bad.jsonl:3: error: invalid JSON (The JSON document has an "
            "improper structure: missing or superfluous commas, braces, "
            "missing keys, etc.): each line must be one complete JSON object");
  Strings titles;
  for (const Article& a : out.articles) titles.push_back(a.title);
  EXPECT_EQ(titles, (Strings{"First", "Second", "Fourth", "Fifth"}));
  EXPECT_EQ(out.articles[2].id, "d");
  EXPECT_EQ(out.articles[2].line, 4);
}

TEST(JsonLinesTest, ArticleWithoutTitleTakesOpeningWordsOfBody) {
  ParseOutput out = ParseJsonLines(
      "{\"id\": \"a\", \"body\": \"Short first sentence. Then more.\"}\n"
      "{\"id\": \"b\", \"body\": \"one two three four five six seven eight "
      "nine ten eleven twelve thirteen fourteen\"}\n"
      "{\"id\": \"c\", \"body\": \"The U.S. Senate passed it. Then more.\"}\n"
      "{\"id\": \"d\", \"body\": \"Dr. Lee met Mr. J. Smith on Jan. 5. "
      "Then.\"}\n",
      "t.jsonl", "t");
  ASSERT_TRUE(out.errors.empty());
  ASSERT_EQ(out.articles.size(), 4u);
  // A sentence ends at its full stop, not at an abbreviation's.
  EXPECT_EQ(out.articles[2].title, "The U.S. Senate passed it.");
  EXPECT_EQ(out.articles[3].title, "Dr. Lee met Mr. J. Smith on Jan. 5.");
  EXPECT_EQ(out.articles[0].title, "Short first sentence.");
  EXPECT_EQ(out.articles[1].title,
            "one two three four five six seven eight nine ten eleven "
            "twelve\u2026");
}

TEST(JsonLinesTest, EachBadLineGivesOneWholeMessage) {
  ParseOutput out =
      ParseFile(TestData("malformed/bad_lines.jsonl"), "lines.jsonl", "lines");
  Strings errors;
  for (const ParseError& e : out.errors) errors.push_back(e.ToString());
  // Long expected messages are split over lines on purpose.
  // NOLINTBEGIN(bugprone-suspicious-missing-comma)
  EXPECT_EQ(
      errors,
      (Strings{
          "lines.jsonl:2: error: no title and no body: every article needs "
          "a non-empty title (\"title\", \"headline\") or body (\"body\", "
          "\"content\", \"text\"), or --map KEY=title for the key that "
          "holds it",
          "lines.jsonl:3: error: no title and no body: every article needs "
          "a non-empty title (\"title\", \"headline\") or body (\"body\", "
          "\"content\", \"text\"), or --map KEY=title for the key that "
          "holds it",
          "lines.jsonl:4: error: \"title\" must be a string, not a list",
          "lines.jsonl:5: error: date \"2019-02-30\" is not a valid date: use "
          "YYYY-MM-DD or 'Month D, YYYY'",
          "lines.jsonl:8: error: a line must be one JSON object {...}, not a "
          "list",
          "lines.jsonl:9: error: \"theme\" must be a string or a list of "
          "strings, not a number",
          "lines.jsonl:10: error: \"region\" must be a list of strings, but "
          "one item is a number",
      }));
  // NOLINTEND(bugprone-suspicious-missing-comma)
  Strings ids;
  for (const Article& a : out.articles) ids.push_back(a.id);
  // Line 7 repeats the id of line 1: the reader yields both; the indexer
  // tells a copy from another record under one id (IngestTest).
  EXPECT_EQ(ids, (Strings{"ok1", "ok1", "ok2"}));
}

TEST(JsonLinesTest, DeeplyNestedJsonIsAnErrorNotACrash) {
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  std::string content =
      "{\"title\": \"ok\"}\n{\"title\": \"x\", \"n\": " + deep + "}\n" + deep +
      "\n{\"title\": \"also ok\"}\n";
  ParseOutput out =
      ParseContent(InputFormat::kJsonLines, content, "deep.jsonl", "deep");
  Strings errors;
  for (const ParseError& e : out.errors) errors.push_back(e.ToString());
  EXPECT_EQ(errors,
            (Strings{"deep.jsonl:2: error: JSON nested more than 32 levels "
                     "deep: each line must be one flat article object",
                     "deep.jsonl:3: error: JSON nested more than 32 levels "
                     "deep: each line must be one flat article object"}));
  EXPECT_EQ(out.articles.size(), 2u);
}

// ------------------------------------------------------------ bad files

TEST(MalformedTest, WholeFileErrors) {
  struct Case {
    std::string file;
    std::string expected;
  };
  const Case cases[] = {
      {"malformed/empty.md",
       "malformed/empty.md:1: error: file is empty: write an article in it or "
       "delete it"},
      {"malformed/blank.md",
       "malformed/blank.md:1: error: file is empty: write an article in it or "
       "delete it"},
      {"malformed/binary.md",
       "malformed/binary.md:1: error: binary file (NUL byte at offset 17): not "
       "an article"},
      {"malformed/invalid_utf8.md",
       "malformed/invalid_utf8.md:5: error: invalid UTF-8 (byte 0xE9 at "
       "column 4): save the file as UTF-8"},
      {"malformed/no_title.md",
       "malformed/no_title.md:2: error: no title: the first line must be "
       "'# Title' (a Markdown level-1 heading)"},
      {"malformed/impossible_date.md",
       "malformed/impossible_date.md:5: error: date \"February 30, 2019\" is "
       "not a valid date: use YYYY-MM-DD or 'Month D, YYYY'"},
      {"malformed/unreadable_date.md",
       "malformed/unreadable_date.md:5: error: date \"31/01/19\" is not a "
       "date: use YYYY-MM-DD or 'Month D, YYYY'"},
      {"malformed/unclosed_front_matter.md",
       "malformed/unclosed_front_matter.md:1: error: front matter is not "
       "closed: add a '---' line after the last 'key: value' line"},
      {"malformed/bad_yaml.md",
       "malformed/bad_yaml.md:4: error: front matter is not valid YAML (end "
       "of sequence flow not found): check the indentation and quote values "
       "that contain ': '"},
      {"malformed/front_matter_bad_date.md",
       "malformed/front_matter_bad_date.md:4: error: date \"2019-02-29\" is "
       "not a valid date: use YYYY-MM-DD or 'Month D, YYYY'"},
      {"malformed/front_matter_title_list.md",
       "malformed/front_matter_title_list.md:3: error: 'title' must be text, "
       "not a list: write title: \"...\""},
      {"malformed/front_matter_no_title.md",
       "malformed/front_matter_no_title.md:1: error: no title: add a 'title: "
       "...' line to the front matter"},
  };
  for (const Case& c : cases) {
    ParseOutput out = ParseFile(TestData(c.file), c.file);
    EXPECT_TRUE(out.articles.empty()) << c.file;
    ASSERT_EQ(out.errors.size(), 1u) << c.file << "\n" << ErrorsOf(out);
    EXPECT_EQ(out.errors[0].ToString(), c.expected);
  }
}

TEST(MalformedTest, NotAnArticleAndOversizedContent) {
  ParseOutput skipped =
      ParseContent(InputFormat::kNotAnArticle, "x", "logo.png", "logo");
  ASSERT_EQ(skipped.errors.size(), 1u);
  EXPECT_EQ(skipped.errors[0].ToString(),
            "logo.png:1: error: not an article: pundit reads " +
                readers::ExtensionList());

  std::string huge(readers::kMaxRecordBytes + 1, 'a');
  ParseOutput out =
      ParseContent(InputFormat::kSeedMarkdown, huge, "huge.md", "huge");
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].ToString(),
            "huge.md:1: error: file is 16,777,217 bytes, more than the limit "
            "of 16,777,216 bytes for one article: it is skipped; split it or "
            "shorten it");
  EXPECT_TRUE(out.articles.empty());
}

TEST(MalformedTest, TwentyMegabyteJsonLinesFileParses) {
  TempDir dir;
  std::string paragraph =
      "Tariffs, ports and pipelines decide more elections than speeches do; "
      "this sentence is repeated to make a large file. ";
  std::string line_body;
  while (line_body.size() < 4000) line_body += paragraph;
  std::string content;
  int n = 0;
  while (content.size() < 20u * 1024 * 1024) {
    ++n;
    content += "{\"id\": \"a" + std::to_string(n) +
               "\", \"title\": \"Article " + std::to_string(n) +
               "\", \"author\": \"Kim Park\", \"date\": \"2020-01-01\", "
               "\"body\": \"" +
               line_body + "\\n\\n" + line_body + "\"}\n";
  }
  std::string path = dir.Sub("big.jsonl");
  WriteFile(path, content);
  ParseOutput out = ParseFile(path, "big.jsonl", "big");
  EXPECT_EQ(ErrorsOf(out), "");
  ASSERT_EQ(out.articles.size(), static_cast<size_t>(n));
  EXPECT_EQ(out.articles.back().id, "a" + std::to_string(n));
  EXPECT_EQ(out.articles.back().body.size(), 2u);
}

TEST(MalformedTest, FifteenMegabyteMarkdownArticleParses) {
  TempDir dir;
  std::string content =
      "# A Very Long Article\n\nBy [Kim Park](#)\n\nGlobal Research, May 5, "
      "2020\n\n";
  int paragraphs = 0;
  while (content.size() < 15u * 1024 * 1024) {
    ++paragraphs;
    content += "Paragraph " + std::to_string(paragraphs) +
               " argues, at some length and with [links](#), that ports "
               "and tariffs matter more than speeches.\n\n";
  }
  std::string path = dir.Sub("big.md");
  WriteFile(path, content);
  ParseOutput out = ParseFile(path, "big.md", "big");
  ASSERT_EQ(ErrorsOf(out), "");
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].body.size(), static_cast<size_t>(paragraphs));
  EXPECT_EQ(out.articles[0].date, "2020-05-05");
}

TEST(MalformedTest, DeeplyNestedMarkdownAndYamlDoNotCrash) {
  std::string quotes = "# Deep\n\n" + std::string(20000, '>') + " text\n";
  ParseOutput md =
      ParseContent(InputFormat::kSeedMarkdown, quotes, "deep.md", "deep");
  EXPECT_EQ(ErrorsOf(md), "");
  ASSERT_EQ(md.articles.size(), 1u);
  EXPECT_EQ(md.articles[0].title, "Deep");

  std::string lists = "# Deep\n\n";
  for (int i = 0; i < 2000; ++i) lists += std::string(2 * i, ' ') + "- item\n";
  ParseOutput md_lists =
      ParseContent(InputFormat::kSeedMarkdown, lists, "lists.md", "lists");
  EXPECT_EQ(ErrorsOf(md_lists), "");
  ASSERT_EQ(md_lists.articles.size(), 1u);
  EXPECT_FALSE(md_lists.articles[0].body.empty());

  std::string yaml = "---\ntitle: x\ntags: " + std::string(100000, '[') +
                     std::string(100000, ']') + "\n---\nBody.\n";
  ParseOutput fm =
      ParseContent(InputFormat::kFrontMatter, yaml, "deep_fm.md", "deep_fm");
  EXPECT_TRUE(fm.articles.empty());
  ASSERT_EQ(fm.errors.size(), 1u);
  EXPECT_EQ(fm.errors[0].ToString(),
            "deep_fm.md:3: error: front matter is nested more than 500 "
            "levels deep: "
            "use flat 'key: value' lines and simple lists");
}

TEST(ParseErrorTest, ToStringAlwaysNamesALine) {
  EXPECT_EQ((ParseError{"a.md", 7, "bad"}).ToString(), "a.md:7: error: bad");
  EXPECT_EQ((ParseError{"a.md", 1, "bad"}).ToString(), "a.md:1: error: bad");
  EXPECT_EQ((ParseError{"a.md", 0, "bad"}).ToString(), "a.md:1: error: bad");
}

TEST(MalformedTest, BinaryFileErrorIsOnTheLineOfItsFirstNulByte) {
  std::string content = "# Title\n\nText\nmore-text\n";
  content[content.find("more") + 4] = '\0';
  ParseOutput out =
      ParseContent(InputFormat::kSeedMarkdown, content, "bin.md", "bin");
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].ToString(),
            "bin.md:4: error: binary file (NUL byte at offset 18): not an "
            "article");
}

// ---------------------------------------------------------- small tables

TEST(CleanTextTest, CollapsesWhiteSpaceDropsControlsAndComposes) {
  using parse::CleanText;
  EXPECT_EQ(CleanText("plain words, as they are."),
            "plain words, as they are.");
  EXPECT_EQ(CleanText("  a \t\r\n b\f\vc  "), "a b c");
  EXPECT_EQ(CleanText("no\x01\x1f\x7f"
                      "controls"),
            "nocontrols");
  EXPECT_EQ(CleanText("a\xC2\xA0\xE2\x80\x83"
                      "b \xEF\xBB\xBF c"),
            "a b c");
  EXPECT_EQ(CleanText("Cafe\xCC\x81 \xE2\x80\x9Cq\xE2\x80\x9D"),
            "Caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D");
  EXPECT_EQ(CleanText("\xE6\x97\xA5\xE6\x9C\xAC"), "\xE6\x97\xA5\xE6\x9C\xAC");
  EXPECT_EQ(CleanText(" \t "), "");
  EXPECT_EQ(CleanText(""), "");
  const std::string long_run(100000, 'x');
  EXPECT_EQ(CleanText(" " + long_run + " "), long_run);
}

TEST(CleanTextTest, RunsCopiedAtOnceEqualACharacterByCharacterReading) {
  // Symbols: visible ASCII, each kind of white space, controls, a letter
  // and a space beyond ASCII (the fast paths copy runs of visible ASCII and
  // single spaces at once; this reads one symbol at a time).
  const std::vector<std::string> symbols = {
      "a", ".", " ", "\t", "\n", "\x01", "\x7f", "\xC3\xA9", "\xC2\xA0"};
  auto is_space = [](int s) { return s == 2 || s == 3 || s == 4 || s == 8; };
  auto is_control = [](int s) { return s == 5 || s == 6; };
  auto check = [&](const std::vector<int>& text) {
    std::string in, expected;
    bool pending = false;
    for (int s : text) {
      in += symbols[s];
      if (is_space(s)) {
        pending = true;
      } else if (!is_control(s)) {
        if (pending && !expected.empty()) expected += ' ';
        pending = false;
        expected += symbols[s];
      }
    }
    EXPECT_EQ(parse::CleanText(in), expected) << "\"" << in << "\"";
  };
  const int n = static_cast<int>(symbols.size());
  std::vector<int> text;
  // Every string of up to 5 symbols.
  std::function<void(int)> all = [&](int left) {
    check(text);
    if (left == 0) return;
    for (int s = 0; s < n; ++s) {
      text.push_back(s);
      all(left - 1);
      text.pop_back();
    }
  };
  all(5);
  // And longer ones at random, mostly letters and single spaces.
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    text.assign(7 + rng() % 40, 0);
    for (int& s : text) {
      s = rng() % 3 == 0 ? static_cast<int>(rng() % n)
                         : (rng() % 4 == 0 ? 2 : 0);
    }
    check(text);
  }
}

TEST(NormalizeDateTest, AcceptedForms) {
  struct Case {
    std::string input, expected;
  };
  const Case cases[] = {
      {"2019-01-31", "2019-01-31"},
      {"January 31, 2019", "2019-01-31"},
      {"Jan 31, 2019", "2019-01-31"},
      {"Jan. 31, 2019", "2019-01-31"},
      {"january 31 2019", "2019-01-31"},
      {"31 January 2019", "2019-01-31"},
      {"31 Jan 2019", "2019-01-31"},
      {"Sept 5, 2019", "2019-09-05"},
      {"  May 1, 2015 ", "2015-05-01"},
      {"2019-01-31T10:20:30Z", "2019-01-31"},
      {"2019-01-31T10:20:30.123+03:00", "2019-01-31"},
      {"2019-01-31 10:20:30 +0100", "2019-01-31"},
      {"February 29, 2020", "2020-02-29"},
      {"0001-01-01", "0001-01-01"},
      {"9999-12-31", "9999-12-31"},
      // The forms of public news data: ISO date-times, slashes, RFC 822.
      {"2016-12-31T23:10:00Z", "2016-12-31"},
      {"2016-12-31T23:10:00.123+05:30", "2016-12-31"},
      {"2016-12-31T23:10+0530", "2016-12-31"},
      {"2016-12-31 23:10", "2016-12-31"},
      {"2016-12-31 23:10:00 UTC", "2016-12-31"},
      {"2016-12-31T23:59:60Z", "2016-12-31"},
      {"2016/12/31", "2016-12-31"},
      {"2016/12/31 10:00", "2016-12-31"},
      {"Dec 31, 2016", "2016-12-31"},
      {"December 31, 2016 10:00 AM", "2016-12-31"},
      {"December 31, 2016 9:05 pm", "2016-12-31"},
      {"Sat, 31 Dec 2016 10:00:00 +0000", "2016-12-31"},
      {"Saturday, December 31, 2016", "2016-12-31"},
      {"31 Dec 2016 10:00:00 GMT", "2016-12-31"},
      {"Tue, 05 Mar 2019 08:00:00 -0500 (EST)", "2019-03-05"},
      // Digits alone, as dumps write them: YYYYMMDD, YYYYMMDDhhmmss, Unix
      // time in seconds or milliseconds (its UTC date).
      {"20161231", "2016-12-31"},
      {"20161231235959", "2016-12-31"},
      {"1483228799", "2016-12-31"},  // 2016-12-31T23:59:59Z
      {"1483228800", "2017-01-01"},  // 2017-01-01T00:00:00Z
      {"1483228799.75", "2016-12-31"},
      {"1483228799999", "2016-12-31"},  // milliseconds
      {"946684800000", "2000-01-01"},   // 12 digits
      {"999999999", "2001-09-09"},      // 9 digits
  };
  for (const Case& c : cases) {
    std::string error = "unchanged";
    EXPECT_EQ(NormalizeDate(c.input, &error), c.expected) << c.input;
    EXPECT_EQ(error, "") << c.input;
  }
}

TEST(NormalizeDateTest, RejectedFormsSayHowToFix) {
  struct Case {
    std::string input, expected_error;
  };
  const std::string fix = ": use YYYY-MM-DD or 'Month D, YYYY'";
  const Case cases[] = {
      {"2019-02-30", "date \"2019-02-30\" is not a valid date" + fix},
      {"February 29, 2019",
       "date \"February 29, 2019\" is not a valid date" + fix},
      {"2019-13-01", "date \"2019-13-01\" is not a valid date" + fix},
      {"0000-01-01", "date \"0000-01-01\" is not a valid date" + fix},
      {"Jan 0, 2019", "date \"Jan 0, 2019\" is not a valid date" + fix},
      {"31/01/19", "date \"31/01/19\" is not a date" + fix},
      {"2019", "date \"2019\" is not a date" + fix},
      {"yesterday", "date \"yesterday\" is not a date" + fix},
      {"Janvier 31, 2019", "date \"Janvier 31, 2019\" is not a date" + fix},
      {"2019-01-31T", "date \"2019-01-31T\" is not a date" + fix},
      // Impossible times of day are not read as the date before them.
      {"2019-01-01T25:00:00Z",
       "date \"2019-01-01T25:00:00Z\" is not a date" + fix},
      {"2019-01-01T99:99:99Z",
       "date \"2019-01-01T99:99:99Z\" is not a date" + fix},
      {"2019-01-01 25:00", "date \"2019-01-01 25:00\" is not a date" + fix},
      {"2019-01-01T10:60", "date \"2019-01-01T10:60\" is not a date" + fix},
      {"2019-01-01T10:00:61Z",
       "date \"2019-01-01T10:00:61Z\" is not a date" + fix},
      {"December 31, 2016 13:00 PM",
       "date \"December 31, 2016 13:00 PM\" is not a date" + fix},
      {"2016-12-31T10:00+2500",
       "date \"2016-12-31T10:00+2500\" is not a date" + fix},
      {"2016/12-31", "date \"2016/12-31\" is not a date" + fix},
      {"20161331", "date \"20161331\" is not a valid date" + fix},
      {"20161231246000", "date \"20161231246000\" is not a date" + fix},
      {"12345", "date \"12345\" is not a date" + fix},
      {"12345678901", "date \"12345678901\" is not a date" + fix},
      {"20161231.5", "date \"20161231.5\" is not a date" + fix},
      {"1483228799.", "date \"1483228799.\" is not a date" + fix},
      {"", "date \"\" is not a date" + fix},
  };
  for (const Case& c : cases) {
    std::string error;
    EXPECT_EQ(NormalizeDate(c.input, &error), "") << c.input;
    EXPECT_EQ(error, c.expected_error);
  }
  EXPECT_EQ(NormalizeDate("2019-02-30", nullptr), "");
}

TEST(NormalizeDateTest, PlausibleRangeIs1800ToNextYear) {
  struct Case {
    std::string date, expected_error;
  };
  const std::string fix = "; fix the date or leave it out";
  const Case cases[] = {
      {"", ""},
      {"1800-01-01", ""},
      {"2019-01-31", ""},
      {"2031-12-31", ""},
      {"1799-12-31", "date 1799-12-31 is outside 1800-01-01..2031-12-31" + fix},
      {"0001-01-01", "date 0001-01-01 is outside 1800-01-01..2031-12-31" + fix},
      {"2032-01-01", "date 2032-01-01 is outside 1800-01-01..2031-12-31" + fix},
      {"9999-12-31", "date 9999-12-31 is outside 1800-01-01..2031-12-31" + fix},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(DateOutsideRangeError(c.date, 2031), c.expected_error) << c.date;
  }
  // The last year is next year by the clock.
  const int next = LatestArticleYear();
  const std::time_t now = std::time(nullptr);
  std::tm utc;
  gmtime_r(&now, &utc);
  EXPECT_EQ(next, utc.tm_year + 1900 + 1);
  EXPECT_EQ(DateOutsideRangeError(std::to_string(next) + "-12-31", next), "");
  EXPECT_NE(DateOutsideRangeError(std::to_string(next + 1) + "-01-01", next),
            "");
}

TEST(FormatTest, FromFileName) {
  struct Case {
    std::string name;
    std::string expected;  // the format's name, "" for none
  };
  const Case cases[] = {
      {"astana.md", "markdown"},
      {"corpus/globe/astana.md", "markdown"},
      {"NOTES.MARKDOWN", "markdown"},
      {"000_2cf9de6876a550d4.txt", "text"},
      {"wire/articles.jsonl", "jsonl"},
      {"feed.NDJSON", "jsonl"},
      {"dump.jsonl.gz", "jsonl"},
      {"dump.JSONL.ZST", "jsonl"},
      {"notes.md.gz", "markdown"},
      {"README.md", ""},
      {"corpus/readme.txt", ""},
      {"LICENSE.md", ""},
      {"CHANGELOG.md", ""},
      {".hidden.md", ""},
      {"dir/.draft.md", ""},
      {"photo.png", ""},
      {"data.json", "json"},
      {"data.json.gz", "json"},
      {"archive.gz", ""},
      {"md", ""},
      {"", ""},
  };
  for (const Case& c : cases) {
    const readers::Format* f = readers::FormatForFileName(c.name);
    EXPECT_EQ(f == nullptr ? "" : f->name, c.expected) << c.name;
  }
}

TEST(FormatTest, DetectMarkdownFormat) {
  EXPECT_EQ(DetectMarkdownFormat("---\ntitle: x\n---\n"),
            InputFormat::kFrontMatter);
  EXPECT_EQ(DetectMarkdownFormat("---\r\ntitle: x\r\n---\r\n"),
            InputFormat::kFrontMatter);
  EXPECT_EQ(DetectMarkdownFormat("\xEF\xBB\xBF---\ntitle: x\n---\n"),
            InputFormat::kFrontMatter);
  EXPECT_EQ(DetectMarkdownFormat("# Title\n"), InputFormat::kSeedMarkdown);
  EXPECT_EQ(DetectMarkdownFormat("----\n"), InputFormat::kSeedMarkdown);
  EXPECT_EQ(DetectMarkdownFormat(""), InputFormat::kSeedMarkdown);
}

TEST(FormatTest, WindowsLineEndingsAndByteOrderMark) {
  Article a = ParseOne(
      "\xEF\xBB\xBF# Title\r\n\r\nBy [Kim Park](#)\r\n\r\nGlobal Research, "
      "May 5, 2020\r\n\r\nBody.\r\n");
  EXPECT_EQ(a.title, "Title");
  EXPECT_EQ(a.date, "2020-05-05");
  EXPECT_EQ(Paragraphs(a), Strings{"Body."});
}

// ---------------------------------------------------------------- corpus

TEST(CorpusTest, EveryShippedArticleParses) {
  namespace fs = std::filesystem;
  std::string root = CorpusPath("");
  std::vector<Article> articles;
  int skipped = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::string rel = fs::relative(entry.path(), root).string();
    if (readers::FormatForFileName(rel) == nullptr) {
      ++skipped;
      continue;
    }
    std::string id_base = rel.substr(0, rel.find_last_of('.'));
    ParseOutput out = ParseFile(entry.path().string(), rel, id_base);
    EXPECT_EQ(ErrorsOf(out), "") << rel;
    for (Article& a : out.articles) {
      EXPECT_FALSE(a.title.empty()) << rel;
      EXPECT_FALSE(a.authors.empty()) << rel << " " << a.title;
      EXPECT_FALSE(a.date.empty()) << rel << " " << a.title;
      EXPECT_FALSE(a.body.empty()) << rel << " " << a.title;
      EXPECT_FALSE(a.source.empty()) << rel << " " << a.title;
      articles.push_back(std::move(a));
    }
  }
  EXPECT_GE(skipped, 1);  // README.md
  EXPECT_GE(articles.size(), 31u);
  std::set<std::string> ids, authors, regions, themes, sources, years;
  std::string all;
  for (const Article& a : articles) {
    EXPECT_TRUE(ids.insert(a.id).second) << "duplicate id " << a.id;
    authors.insert(a.authors.begin(), a.authors.end());
    regions.insert(a.regions.begin(), a.regions.end());
    themes.insert(a.themes.begin(), a.themes.end());
    sources.insert(a.source);
    years.insert(a.date.substr(0, 4));
    all += AllText(a);
  }
  EXPECT_GE(authors.size(), 10u);
  EXPECT_EQ(authors.count("José Martínez"), 1u);
  EXPECT_GE(regions.size(), 7u);
  EXPECT_GE(themes.size(), 8u);
  EXPECT_GE(sources.size(), 6u);
  EXPECT_EQ(*years.begin(), "2015");
  EXPECT_EQ(*years.rbegin(), "2024");
  for (const char* needle :
       {"人工智能", "人工知能", "Afro-Eurasia", "Guaidó", "compromises"}) {
    EXPECT_NE(all.find(needle), std::string::npos) << needle;
  }
}

}  // namespace
}  // namespace pundit
