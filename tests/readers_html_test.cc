// Tests of core/readers/html_extract.h and core/readers/html_reader.h.
// Properties checked:
// - three pages of tests/testdata/readers/html give exactly the specified
//   title, authors, date, source, url, themes, lede, id and body blocks:
//   JSON-LD in an "@graph" (news.html), OpenGraph and article:* meta
//   (opengraph.html), a bare <title>/<h1>/<time> page in a <div> layout
//   (bare.html);
// - page chrome (nav, header, footer, aside, form, script, style, noscript,
//   hidden and aria-hidden elements) never reaches any field;
// - JSON-LD forms: a top-level list, "@type" lists and prefixes, authors as
//   a string, an object, a reference or a list, publisher as a string,
//   keywords as a list, broken JSON falling back to meta, WebPage as a last
//   resort;
// - entities, <br>, inline elements, a title's site tail, an <h1> equal to
//   the title, a page without a title (title from the text);
// - HtmlFragmentBlocks on an HTML fragment and on plain text;
// - the reader: whole error messages and lines for an empty file, a NUL
//   byte, invalid UTF-8, a page too large, a page without a body and a page
//   of only chrome; a windows-1252 page with <meta charset>; ids;
// - LooksLikeHtml; a deeply nested page.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/readers/byte_stream.h"
#include "core/readers/html_extract.h"
#include "core/readers/html_reader.h"
#include "core/readers/reader.h"
#include "tests/test_util.h"

namespace pundit::readers {
namespace {

using ::pundit::testing::TestData;

Block P(std::string text) {
  return Block{Block::Kind::kParagraph, std::move(text)};
}
Block H(std::string text) {
  return Block{Block::Kind::kHeading, std::move(text)};
}

ReaderOptions Options() {
  ReaderOptions options;
  options.path = "pages/page.html";
  options.id_base = "pages/page";
  return options;
}

// Every item the reader gives for `bytes`.
std::vector<ReadItem> ReadAll(std::string bytes,
                              const ReaderOptions& options = Options()) {
  std::unique_ptr<ArticleReader> reader =
      OpenHtmlReader(ByteStream::FromString(std::move(bytes)), options);
  std::vector<ReadItem> items;
  ReadItem item;
  while (reader->Next(&item)) items.push_back(std::move(item));
  EXPECT_FALSE(reader->Next(&item));  // and stays at the end
  return items;
}

// The one article of a page file under tests/testdata/readers/html.
Article ReadPageFile(const std::string& name) {
  ReaderOptions options;
  options.path = TestData("readers/html/" + name);
  options.id_base = "html/" + name.substr(0, name.find('.'));
  auto stream = ByteStream::OpenFile(options.path);
  EXPECT_TRUE(stream.ok());
  std::unique_ptr<ArticleReader> reader =
      OpenHtmlReader(std::move(stream).value(), options);
  ReadItem item;
  EXPECT_TRUE(reader->Next(&item));
  EXPECT_EQ(item.kind, ReadItem::Kind::kArticle) << item.error.ToString();
  EXPECT_EQ(item.article.path, options.path);
  EXPECT_EQ(item.article.line, 1);
  EXPECT_FALSE(reader->Next(&item));
  return item.article;
}

// The single error the reader gives for `bytes`.
ParseError ReadError(std::string bytes,
                     const ReaderOptions& options = Options()) {
  std::vector<ReadItem> items = ReadAll(std::move(bytes), options);
  EXPECT_EQ(items.size(), 1u);
  if (items.empty()) return {};
  EXPECT_EQ(items[0].kind, ReadItem::Kind::kError);
  return items[0].error;
}

// ReadHtmlPage on `html`, expecting success.
HtmlPage Page(const std::string& html) {
  HtmlPage page;
  std::string error;
  EXPECT_TRUE(ReadHtmlPage(html, &page, &error)) << error;
  EXPECT_EQ(error, "");
  return page;
}

// Every text of an article, for checks that chrome is absent.
std::string AllText(const Article& a) {
  std::string all = a.id + "\n" + a.title + "\n" + a.date + "\n" + a.source +
                    "\n" + a.url + "\n" + a.lede + "\n" + a.bio + "\n";
  for (const auto* list : {&a.authors, &a.themes, &a.regions}) {
    for (const std::string& s : *list) all += s + "\n";
  }
  for (const Block& b : a.body) all += b.text + "\n";
  return all;
}

void ExpectNoneOf(const Article& a, const std::vector<std::string>& words) {
  std::string all = AllText(a);
  for (const std::string& word : words) {
    EXPECT_EQ(all.find(word), std::string::npos) << word << " in:\n" << all;
  }
}

const char kNoTextMessage[] =
    "no title and no text: the page has no <title>, no <h1> and no "
    "paragraphs outside navigation, header, footer, aside and form "
    "elements; save the article's own page, not an index or an empty "
    "template";

TEST(HtmlPageFiles, NewsPageWithJsonLdGraph) {
  Article a = ReadPageFile("news.html");
  EXPECT_EQ(a.id, "ledger-2024-0305");
  EXPECT_EQ(a.title, "Why the city must build more homes");
  EXPECT_EQ(a.authors,
            (std::vector<std::string>{"Maria Lopez", "Tom O\u2019Neil"}));
  EXPECT_EQ(a.date, "2024-03-05");
  EXPECT_EQ(a.source, "The Daily Ledger Company");
  EXPECT_EQ(a.url, "https://ledger.example/opinion/build-more-homes");
  EXPECT_EQ(a.themes,
            (std::vector<std::string>{"Opinion", "housing", "zoning"}));
  EXPECT_EQ(a.lede, "Rents have doubled in ten years. Zoning is the reason.");
  EXPECT_EQ(a.body,
            (std::vector<Block>{
                P("Rents have doubled in ten years, and wages have not."),
                H("What zoning does"),
                P("Most of the city allows only detached houses. That is a "
                  "choice."),
                P("\u201CWe cannot build our way out,\u201D a councillor "
                  "said."),
                P("Allow flats near stations."), P("End parking minimums.")}));
  EXPECT_TRUE(a.regions.empty());
  EXPECT_EQ(a.bio, "");
  ExpectNoneOf(a, {"Quokkaheader", "Zanzibarnav", "Narwhalform", "Subscribe",
                   "Marmaladeaside", "Hiddenyak", "Ariayeti", "Dingonoscript",
                   "Xylophonefooter", "Platypusscript", "Wombatstyle", "loses",
                   "Loses"});
}

TEST(HtmlPageFiles, OpenGraphAndArticleMeta) {
  Article a = ReadPageFile("opengraph.html");
  EXPECT_EQ(a.id, "https://harbour.example/2023/port-inquiry");
  EXPECT_EQ(a.title, "The port deserves a public inquiry");
  EXPECT_EQ(a.authors, (std::vector<std::string>{"Ana Ruiz", "Ben Cole"}));
  EXPECT_EQ(a.date, "2023-11-20");
  EXPECT_EQ(a.source, "Harbour Review");
  EXPECT_EQ(a.url, "https://harbour.example/2023/port-inquiry");
  EXPECT_EQ(a.themes, (std::vector<std::string>{"Politics", "Ports",
                                                "Public contracts"}));
  EXPECT_EQ(a.lede, "Three contracts, one bidder & no tender.");
  EXPECT_EQ(a.body,
            (std::vector<Block>{
                P("The harbour board awarded three contracts in one year."),
                P("Each went to the same bidder.")}));
  ExpectNoneOf(a, {"Zanzibarnav", "Xylophonefooter", "loses"});
}

TEST(HtmlPageFiles, BarePageInDivLayout) {
  Article a = ReadPageFile("bare.html");
  EXPECT_EQ(a.id, "html/bare");
  EXPECT_EQ(a.title, "Notes on a quiet election");
  EXPECT_TRUE(a.authors.empty());
  EXPECT_EQ(a.date, "2022-06-01");
  EXPECT_EQ(a.source, "");
  EXPECT_EQ(a.url, "");
  EXPECT_TRUE(a.themes.empty());
  EXPECT_EQ(a.lede, "");
  EXPECT_EQ(a.body, (std::vector<Block>{
                        P("Turnout fell to a record low."),
                        P("Nobody campaigned on \u201Chousing\u201D & rents."),
                        P("Loose text in a div counts too."),
                        H("What comes next"), P("A second round in July.")}));
  ExpectNoneOf(a, {"Home", "About this site", "Popular", "1 June"});
}

TEST(HtmlPage, EntitiesAndInlineText) {
  HtmlPage page = Page(
      "<html><head><title>Caf&eacute; &amp; bar &#8212; &lt;b&gt;</title>"
      "</head><body><p>It&#x2019;s&nbsp;late, <b>very</b><i>late</i> "
      "<span>now</span>.</p><p>A&lt;B &quot;q&quot; &unknown; 3 &gt; 2</p>"
      "</body></html>");
  EXPECT_EQ(page.article.title, "Caf\u00E9 & bar \u2014 <b>");
  EXPECT_EQ(page.article.body,
            (std::vector<Block>{P("It\u2019s late, verylate now."),
                                P("A<B \"q\" &unknown; 3 > 2")}));
}

TEST(HtmlPage, TitleSiteTailAndH1) {
  // The " - Site" tail goes when it repeats the site name.
  HtmlPage page = Page(
      "<html><head><title>Rail fares rise again - Transit Weekly</title>"
      "<meta property=\"og:site_name\" content=\"Transit Weekly\"></head>"
      "<body><article><h1>Rail fares rise again</h1><p>Text.</p>"
      "<h1>Another headline</h1></article></body></html>");
  EXPECT_EQ(page.article.title, "Rail fares rise again");
  EXPECT_EQ(page.article.source, "Transit Weekly");
  EXPECT_EQ(page.article.body,
            (std::vector<Block>{P("Text."), H("Another headline")}));
  // Without a site name the tail is kept.
  page =
      Page("<title>Rail fares rise again - Transit Weekly</title><p>Text.</p>");
  EXPECT_EQ(page.article.title, "Rail fares rise again - Transit Weekly");
  // No <title>: the first <h1> outside the chrome.
  page = Page(
      "<body><header><h1>Site name</h1></header><div><h1>Real "
      "<em>headline</em></h1><p>Body text.</p></div></body>");
  EXPECT_EQ(page.article.title, "Real headline");
  EXPECT_EQ(page.article.body, (std::vector<Block>{P("Body text.")}));
}

TEST(HtmlPage, TitleFromTextWhenThereIsNone) {
  HtmlPage page =
      Page("<body><p>Councils are broke. Here is why, in detail.</p></body>");
  EXPECT_EQ(page.article.title, "Councils are broke.");
  EXPECT_EQ(
      page.article.body,
      (std::vector<Block>{P("Councils are broke. Here is why, in detail.")}));
}

TEST(HtmlPage, JsonLdForms) {
  // A top-level list, "@type" with a prefix, author as one string with two
  // names, publisher as a string, keywords as a list, sections as a list,
  // mainEntityOfPage for the url.
  HtmlPage page = Page(R"(<html><head>
<script type="application/ld+json">[
 {"@type": "BreadcrumbList", "name": "Crumbs"},
 {"@type": "schema:BlogPosting", "name": "A post about bikes",
  "author": "By Li Wei and Sam Park", "publisher": "Bike Blog",
  "dateCreated": "2021-02-03", "keywords": ["bikes", "cities"],
  "articleSection": ["Transport", "Cities"],
  "mainEntityOfPage": {"@id": "https://bike.example/post"},
  "identifier": {"@type": "PropertyValue", "value": "x"}}
]</script></head><body><p>Bikes.</p></body></html>)");
  const Article& a = page.article;
  EXPECT_EQ(a.title, "A post about bikes");
  EXPECT_EQ(a.authors, (std::vector<std::string>{"Li Wei", "Sam Park"}));
  EXPECT_EQ(a.source, "Bike Blog");
  EXPECT_EQ(a.date, "2021-02-03");
  // "cities" repeats "Cities": kept once.
  EXPECT_EQ(a.themes,
            (std::vector<std::string>{"Transport", "Cities", "bikes"}));
  EXPECT_EQ(a.url, "https://bike.example/post");
  EXPECT_EQ(page.own_id, "");

  // An author object, an Organization and a reference in one list; the
  // article type wins over a WebPage given first.
  page = Page(R"(<script type="application/ld+json">
{"@graph": [
 {"@type": "WebPage", "name": "Page name"},
 {"@type": "Person", "@id": "#p1", "name": "Ada Byron"},
 {"@type": "Article", "headline": "The headline",
  "author": [{"@id": "#p1"}, {"@type": "Organization", "name": "Desk"},
             "Bo Chen"],
  "datePublished": "not a date", "dateCreated": "2020-01-02",
  "identifier": "art 7"}
]}</script><p>Text.</p>)");
  EXPECT_EQ(page.article.title, "The headline");
  EXPECT_EQ(page.article.authors,
            (std::vector<std::string>{"Ada Byron", "Desk", "Bo Chen"}));
  // An unreadable datePublished gives way to dateCreated.
  EXPECT_EQ(page.article.date, "2020-01-02");
  EXPECT_EQ(page.own_id, "art 7");

  // A script inside page chrome is still read; the chrome's text is not.
  page = Page(R"(<p>Text.</p><footer><p>Footer words</p>
<script type="application/ld+json">{"@type": "Article",
  "headline": "From the footer"}</script></footer>)");
  EXPECT_EQ(page.article.title, "From the footer");
  EXPECT_EQ(page.article.body, (std::vector<Block>{P("Text.")}));

  // WebPage as a last resort.
  page = Page(R"(<script type="application/ld+json">
{"@type": "WebPage", "name": "Only a web page", "description": "Lede."}
</script><p>Text.</p>)");
  EXPECT_EQ(page.article.title, "Only a web page");
  EXPECT_EQ(page.article.lede, "Lede.");
}

TEST(HtmlPage, BrokenJsonLdFallsBackToMeta) {
  HtmlPage page = Page(R"(<html><head>
<meta property="og:title" content="Meta title">
<meta property="article:author" content="https://social.example/profile">
<meta property="article:author" content="Kim Lee">
<meta name="dc.date" content="2019-05-06">
<meta name="description" content="Meta description.">
<script type="application/ld+json">{"@type": "NewsArticle",
  "headline": "Broken", "author": </script>
</head><body><p>Body.</p></body></html>)");
  const Article& a = page.article;
  EXPECT_EQ(a.title, "Meta title");
  EXPECT_EQ(a.authors, (std::vector<std::string>{"Kim Lee"}));
  EXPECT_EQ(a.date, "2019-05-06");
  EXPECT_EQ(a.lede, "Meta description.");
  EXPECT_EQ(page.own_id, "");
}

TEST(HtmlPage, BodyContainerOrder) {
  // An <article> without text gives way to <main>; without either, the
  // container of the most paragraph text is the body, not a sidebar.
  HtmlPage page =
      Page("<title>T</title><article></article><main><p>Main text.</p></main>");
  EXPECT_EQ(page.article.body, (std::vector<Block>{P("Main text.")}));
  page = Page(
      "<title>T</title><div><p>Side.</p></div><div><p>Long paragraph "
      "one.</p><p>Two.</p></div><p>Stray.</p>");
  EXPECT_EQ(page.article.body,
            (std::vector<Block>{P("Long paragraph one."), P("Two.")}));
}

TEST(HtmlPage, AuthorLinkAndTimeElement) {
  HtmlPage page = Page(
      "<title>T</title><div class=\"by\">by <a rel=\"author\" "
      "href=\"/a\">Eva Stone</a> on <time datetime=\"2018-07-08\">8 "
      "July</time></div><p>Words.</p>");
  EXPECT_EQ(page.article.authors, (std::vector<std::string>{"Eva Stone"}));
  EXPECT_EQ(page.article.date, "2018-07-08");
}

TEST(HtmlPage, NoTitleAndNoText) {
  HtmlPage page;
  std::string error;
  EXPECT_FALSE(
      ReadHtmlPage("<html><head><meta charset=\"utf-8\"></head>"
                   "</html>",
                   &page, &error));
  EXPECT_EQ(error, kNoTextMessage);
}

TEST(HtmlFragment, FeedStyleFragment) {
  EXPECT_EQ(HtmlFragmentBlocks("<p>One</p><p>Two &amp; three</p>"),
            (std::vector<Block>{P("One"), P("Two & three")}));
  EXPECT_EQ(HtmlFragmentBlocks("<h2>Sub</h2>Loose <b>text</b><br>more"
                               "<script>x()</script>"),
            (std::vector<Block>{H("Sub"), P("Loose text more")}));
}

TEST(HtmlFragment, PlainTextParagraphs) {
  EXPECT_EQ(HtmlFragmentBlocks("First paragraph\nstill the first.\n\n  \n"
                               "Second &amp; last, 1 < 2.\r\n"),
            (std::vector<Block>{P("First paragraph still the first."),
                                P("Second & last, 1 < 2.")}));
  // Bytes that are not UTF-8 are read as windows-1252.
  EXPECT_EQ(HtmlFragmentBlocks("Caf\xE9 \x93noir\x94"),
            (std::vector<Block>{P("Caf\u00E9 \u201Cnoir\u201D")}));
  EXPECT_TRUE(HtmlFragmentBlocks("").empty());
  EXPECT_TRUE(HtmlFragmentBlocks(" \n\n ").empty());
}

TEST(HtmlReader, EmptyFile) {
  ParseError e = ReadError(" \n\n");
  EXPECT_EQ(e.path, "pages/page.html");
  EXPECT_EQ(e.line, 1);
  EXPECT_EQ(e.message, "file is empty: write an article in it or delete it");
}

TEST(HtmlReader, NulByte) {
  ParseError e = ReadError(std::string("<p>a</p>\n<p>b\0</p>", 18));
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.message, "binary file (NUL byte at offset 13): not an article");
}

TEST(HtmlReader, InvalidUtf8WithoutCharset) {
  ParseError e = ReadError("<title>T</title>\n<p>ok</p>\n<p>caf\xE9</p>\n");
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.message,
            "invalid UTF-8 (byte 0xE9 at column 7): save the file as UTF-8");
}

TEST(HtmlReader, Windows1252WithMetaCharset) {
  std::vector<ReadItem> items = ReadAll(
      "<html><head><meta http-equiv=\"Content-Type\" "
      "content=\"text/html; charset=windows-1252\">\n"
      "<title>Caf\xE9 society</title></head>\n"
      "<body><p>\x93Quoted\x94 \x96 na\xEFve, odd \x81 "
      "byte.</p></body></html>");
  ASSERT_EQ(items.size(), 1u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kArticle)
      << items[0].error.ToString();
  EXPECT_EQ(items[0].article.title, "Caf\u00E9 society");
  EXPECT_EQ(items[0].article.body,
            (std::vector<Block>{P("\u201CQuoted\u201D \u2013 na\u00EFve, odd "
                                  "byte.")}));
  // <meta charset> and latin-1 labels too.
  items = ReadAll("<meta charset='ISO-8859-1'><p>S\xE3o Paulo</p>");
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kArticle);
  EXPECT_EQ(items[0].article.body, (std::vector<Block>{P("S\u00E3o Paulo")}));
}

TEST(HtmlReader, ValidUtf8DeclaredAsLegacyIsReadAsUtf8) {
  std::vector<ReadItem> items =
      ReadAll("<meta charset=\"windows-1252\"><p>Caf\u00E9</p>");
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kArticle);
  EXPECT_EQ(items[0].article.body, (std::vector<Block>{P("Caf\u00E9")}));
}

TEST(HtmlReader, PageTooLarge) {
  ReaderOptions options = Options();
  options.max_record_bytes = 1000;
  ParseError e = ReadError("<p>" + std::string(2000, 'x') + "</p>", options);
  EXPECT_EQ(e.line, 1);
  EXPECT_EQ(e.message, RecordTooLargeMessage(2007, 1000, "file"));
  EXPECT_EQ(e.message,
            "file is 2,007 bytes, more than the limit of 1,000 bytes for one "
            "article: it is skipped; split it or shorten it");
}

TEST(HtmlReader, PageWithoutBody) {
  ParseError e = ReadError(
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
      "<link rel=\"stylesheet\" href=\"a.css\"></head></html>\n");
  EXPECT_EQ(e.ToString(),
            std::string("pages/page.html:1: error: ") + kNoTextMessage);
}

TEST(HtmlReader, PageOfOnlyChrome) {
  ParseError e = ReadError(
      "<html><body><header><h1>Site</h1></header><nav><p>Menu text</p></nav>"
      "<aside><p>Related</p></aside><form><p>Sign up</p></form>"
      "<footer><p>Footer text</p></footer><script>document.write('x')"
      "</script><div aria-hidden=\"true\"><p>Hidden</p></div></body></html>");
  EXPECT_EQ(e.line, 1);
  EXPECT_EQ(e.message, kNoTextMessage);
}

TEST(HtmlReader, Ids) {
  // Own id (white space replaced), else url, else the path scheme.
  std::vector<ReadItem> items = ReadAll(
      "<script type=\"application/ld+json\">{\"@type\": \"Article\", "
      "\"identifier\": \"a 1\", \"url\": \"https://x.example/a\"}</script>"
      "<p>Text.</p>");
  EXPECT_EQ(items[0].article.id, "a_1");
  items = ReadAll(
      "<link rel=\"canonical\" href=\"https://x.example/b\"><p>Text.</p>");
  EXPECT_EQ(items[0].article.id, "https://x.example/b");
  EXPECT_EQ(items[0].article.url, "https://x.example/b");
  items = ReadAll("<p>Text.</p>");
  EXPECT_EQ(items[0].article.id, "pages/page");
  EXPECT_EQ(items[0].article.path, "pages/page.html");
  EXPECT_EQ(items[0].article.line, 1);
}

TEST(HtmlReader, DeeplyNestedPage) {
  std::string html = "<title>Deep</title>";
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "<p>Bottom.</p>";
  std::vector<ReadItem> items = ReadAll(html);
  ASSERT_EQ(items.size(), 1u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kArticle);
  EXPECT_EQ(items[0].article.title, "Deep");
  EXPECT_EQ(items[0].article.body.size(), 1u);
}

TEST(LooksLikeHtml, Table) {
  EXPECT_TRUE(LooksLikeHtml("<!DOCTYPE html>\n<html>"));
  EXPECT_TRUE(LooksLikeHtml("<!doctype HTML PUBLIC \"-//W3C//DTD\">"));
  EXPECT_TRUE(LooksLikeHtml("\xEF\xBB\xBF  \n<HTML lang=en>"));
  EXPECT_TRUE(LooksLikeHtml("<!-- saved page --><!-- two -->\n<head>"));
  EXPECT_TRUE(LooksLikeHtml("<?xml version=\"1.0\"?>\n<html xmlns=\"x\">"));
  EXPECT_TRUE(LooksLikeHtml("<body>"));
  EXPECT_TRUE(LooksLikeHtml("<html"));
  EXPECT_FALSE(LooksLikeHtml(""));
  EXPECT_FALSE(LooksLikeHtml("<?xml version=\"1.0\"?><rss version=\"2.0\">"));
  EXPECT_FALSE(LooksLikeHtml("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
  EXPECT_FALSE(LooksLikeHtml("<htmlx>"));
  EXPECT_FALSE(LooksLikeHtml("<!-- never closed <html>"));
  EXPECT_FALSE(LooksLikeHtml("{\"title\": \"<html>\"}"));
  EXPECT_FALSE(LooksLikeHtml("# Title\n<html>"));
}

}  // namespace
}  // namespace pundit::readers
