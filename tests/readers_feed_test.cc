// Tests of core/readers/feed_reader.h.
// Properties checked:
// - RSS 2.0 (tests/testdata/readers/feed/rss.xml): content:encoded as body
//   with the description as lede, dc:creator split into names, categories,
//   guid as id, pubDate in RFC 822, "email (Name)" authors, an unreadable
//   date left out, escaped HTML in a description, a title taken from the
//   body, an item with no title and no text (error at its line), the
//   channel title as source (not the image title), entities and CDATA;
// - Atom (atom.xml): type="html" titles, author names, published before
//   updated, rel="alternate" links before rel="self", the first link
//   without rel, category label/term, type="xhtml" and type="text" content;
// - RSS 1.0 / RDF (rdf.xml): items beside the channel, dc:date, dc:subject;
// - a broken feed (broken.rss): the item before the damage, then one error
//   with libxml2's message and line; an XXE attempt (xxe.rss) that must not
//   read /etc/passwd; a document that is not a feed; an empty input; an
//   item over max_record_bytes; a gzip feed; truncated gzip data;
// - LooksLikeFeed on feeds and on other documents.
#include <gtest/gtest.h>
#include <zlib.h>

#include <memory>
#include <string>
#include <vector>

#include "core/document.h"
#include "core/readers/byte_stream.h"
#include "core/readers/feed_reader.h"
#include "core/readers/reader.h"
#include "tests/test_util.h"

namespace pundit::readers {
namespace {

using ::pundit::testing::ReadFile;
using ::pundit::testing::TestData;

std::vector<ReadItem> ReadAll(std::string bytes, const ReaderOptions& options) {
  std::unique_ptr<ArticleReader> reader =
      OpenFeedReader(ByteStream::FromString(std::move(bytes)), options);
  std::vector<ReadItem> items;
  ReadItem item;
  while (reader->Next(&item)) items.push_back(std::move(item));
  EXPECT_FALSE(reader->Next(&item));
  return items;
}

Block P(std::string text) {
  return Block{Block::Kind::kParagraph, std::move(text)};
}
Block H(std::string text) {
  return Block{Block::Kind::kHeading, std::move(text)};
}

ReaderOptions Options(const std::string& path) {
  ReaderOptions options;
  options.path = path;
  options.id_base = "feeds/sample";
  return options;
}

std::vector<ReadItem> ReadFeedFile(const std::string& name) {
  std::string path = TestData("readers/feed/" + name);
  auto stream = ByteStream::OpenFile(path);
  EXPECT_TRUE(stream.ok());
  std::unique_ptr<ArticleReader> reader =
      OpenFeedReader(std::move(stream).value(), Options("feeds/" + name));
  std::vector<ReadItem> items;
  ReadItem item;
  while (reader->Next(&item)) items.push_back(std::move(item));
  EXPECT_FALSE(reader->Next(&item));
  return items;
}

// A gzip member holding `bytes`.
std::string Gzip(const std::string& bytes) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + 15, 8,
                         Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&z, bytes.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(FeedReader, Rss2) {
  std::vector<ReadItem> items = ReadFeedFile("rss.xml");
  ASSERT_EQ(items.size(), 4u);

  ASSERT_EQ(items[0].kind, ReadItem::Kind::kArticle);
  Article first;
  first.id = "ledger-1042";
  first.title = "Why the harbour tax deserves a second look";
  first.authors = {"Ana Ribeiro", "Tom Okafor"};
  first.date = "2024-03-05";
  first.themes = {"Economy", "Local politics"};
  first.source = "The Civic Ledger & Review";
  first.url = "https://ledger.example.org/2024/harbour-tax";
  first.lede = "A levy nobody likes & everybody pays.";
  first.body = {P("The council\u2019s plan is modest."), H("What it costs"),
                P("About \u00a33 a week for most households.")};
  first.path = "feeds/rss.xml";
  first.line = 11;
  EXPECT_EQ(items[0].article, first);

  ASSERT_EQ(items[1].kind, ReadItem::Kind::kArticle);
  Article second;
  second.id = "https://ledger.example.org/2024/libraries";
  second.title = "Libraries are infrastructure";
  second.authors = {"Mei Tanaka"};
  second.date = "";  // "not a date at all" is left out, not an error
  second.source = "The Civic Ledger & Review";
  second.url = "https://ledger.example.org/2024/libraries";
  second.body = {P("Closing branches saves little."), P("It costs a lot.")};
  second.path = "feeds/rss.xml";
  second.line = 24;
  EXPECT_EQ(items[1].article, second);

  ASSERT_EQ(items[2].kind, ReadItem::Kind::kArticle);
  EXPECT_EQ(testing::IdOrContent(items[2].article), "(content)");
  EXPECT_EQ(items[2].article.title, "Untitled note on the ferry timetable.");
  EXPECT_EQ(items[2].article.body,
            std::vector<Block>{
                P("Untitled note on the ferry timetable. It changes in May.")});
  EXPECT_EQ(items[2].article.lede, "");
  EXPECT_EQ(items[2].article.line, 31);

  ASSERT_EQ(items[3].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[3].error.path, "feeds/rss.xml");
  EXPECT_EQ(items[3].error.line, 34);
  EXPECT_EQ(items[3].error.message,
            "item has no title and no text: give it a <title>, or its text "
            "in <description> or <content:encoded> (Atom: <content> or "
            "<summary>)");
}

TEST(FeedReader, Atom) {
  std::vector<ReadItem> items = ReadFeedFile("atom.xml");
  ASSERT_EQ(items.size(), 3u);
  for (const ReadItem& item : items) {
    ASSERT_EQ(item.kind, ReadItem::Kind::kArticle) << item.error.ToString();
  }
  Article first;
  first.id = "tag:notes.example.net,2024:rents";
  first.title = "Rents, again & why";
  first.authors = {"Lena Brandt", "Omar Haddad"};
  first.date = "2024-03-30";  // published, as written (no zone shift)
  first.themes = {"Housing", "cities"};
  first.source = "Notes & Arguments";
  first.url = "https://notes.example.net/rents";
  first.lede = "Short version: build more.";
  first.body = {P("Rents rose again this spring."), P("Supply is the answer.")};
  first.path = "feeds/atom.xml";
  first.line = 6;
  EXPECT_EQ(items[0].article, first);

  Article second;
  second.id = "tag:notes.example.net,2024:xhtml";
  second.title = "Plain text title";
  second.date = "2024-02-10";  // updated, as there is no published
  second.source = "Notes & Arguments";
  second.url = "https://notes.example.net/xhtml";
  second.body = {P("First & foremost."), P("Second point.")};
  second.path = "feeds/atom.xml";
  second.line = 20;
  EXPECT_EQ(items[1].article, second);

  Article third;
  third.title = "Summary only";
  third.source = "Notes & Arguments";
  third.body = {P("One paragraph."), P("Another paragraph.")};
  third.path = "feeds/atom.xml";
  third.line = 27;
  // rel="related" is not the item's url: no id, no url, the content's id.
  third.id = ContentId(third);
  EXPECT_EQ(items[2].article, third);
}

TEST(FeedReader, Rdf) {
  std::vector<ReadItem> items = ReadFeedFile("rdf.xml");
  ASSERT_EQ(items.size(), 1u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kArticle);
  Article a;
  a.id = "https://weekly.example.com/a";
  a.title = "Trains before roads";
  a.authors = {"Sam Ortiz"};
  a.date = "2023-11-20";
  a.themes = {"Transport"};
  a.source = "The Weekly Desk";
  a.url = "https://weekly.example.com/a";
  a.body = {P("Rail is cheaper per passenger.")};
  a.path = "feeds/rdf.xml";
  a.line = 11;
  EXPECT_EQ(items[0].article, a);
}

TEST(FeedReader, BrokenFeedKeepsTheItemsBeforeTheDamage) {
  std::vector<ReadItem> items = ReadFeedFile("broken.rss");
  ASSERT_EQ(items.size(), 2u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kArticle);
  EXPECT_EQ(items[0].article.title, "First survives");
  EXPECT_EQ(items[0].article.source, "Broken Feed");
  EXPECT_EQ(items[0].article.line, 5);
  ASSERT_EQ(items[1].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[1].error.ToString(),
            "feeds/broken.rss:10: error: feed is not well-formed XML "
            "(xmlParseEntityRef: no name): the items after line 10 are not "
            "read; fix the XML there (an unescaped & or <, or a tag that is "
            "not closed)");
}

TEST(FeedReader, ExternalEntitiesAreNeverRead) {
  std::vector<ReadItem> items = ReadFeedFile("xxe.rss");
  ASSERT_EQ(items.size(), 1u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kArticle);
  const Article& a = items[0].article;
  EXPECT_EQ(a.title, "Leak here");
  EXPECT_EQ(a.source, "XXE");
  EXPECT_EQ(a.body, std::vector<Block>{P("Body text .")});
  for (const std::string& text : {a.title, a.source, a.body[0].text}) {
    EXPECT_EQ(text.find("root"), std::string::npos) << text;
  }
}

TEST(FeedReader, NotAFeed) {
  std::vector<ReadItem> items =
      ReadAll("<?xml version=\"1.0\"?>\n<html><body><p>hi</p></body></html>\n",
              Options("page.xml"));
  ASSERT_EQ(items.size(), 1u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[0].error.ToString(),
            "page.xml:2: error: not a feed: the first element is <html>; an "
            "RSS feed starts with <rss> or <rdf:RDF>, an Atom feed with "
            "<feed>");
}

TEST(FeedReader, EmptyInput) {
  std::vector<ReadItem> items = ReadAll("", Options("empty.rss"));
  ASSERT_EQ(items.size(), 1u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[0].error.path, "empty.rss");
  EXPECT_EQ(items[0].error.line, 1);
  EXPECT_FALSE(items[0].error.message.empty());
}

TEST(FeedReader, ItemOverTheLimitIsOneErrorAndSkipped) {
  std::string big(150, 'x');
  std::string feed =
      "<rss><channel><title>S</title>\n"
      "<item><title>Small</title></item>\n"
      "<item><title>Big</title><description>" +
      big +
      "</description></item>\n"
      "<item><title>After</title></item>\n"
      "</channel></rss>\n";
  ReaderOptions options = Options("big.rss");
  options.max_record_bytes = 100;
  std::vector<ReadItem> items = ReadAll(feed, options);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].article.title, "Small");
  ASSERT_EQ(items[1].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[1].error.line, 3);
  EXPECT_EQ(items[1].error.message,
            "feed item is 153 bytes, more than the limit of 100 bytes for "
            "one article: it is skipped; split it or shorten it");
  ASSERT_EQ(items[2].kind, ReadItem::Kind::kArticle);
  EXPECT_EQ(items[2].article.title, "After");
  EXPECT_EQ(testing::IdOrContent(items[2].article), "(content)");
}

TEST(FeedReader, GzipFeed) {
  std::string feed = ReadFile(TestData("readers/feed/rdf.xml"));
  std::vector<ReadItem> items = ReadAll(Gzip(feed), Options("rdf.xml.gz"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].article.title, "Trains before roads");
  EXPECT_EQ(items[0].article.line, 11);
}

TEST(FeedReader, TruncatedGzipIsTheLastError) {
  std::string feed = ReadFile(TestData("readers/feed/rss.xml"));
  std::string gz = Gzip(feed);
  gz.resize(gz.size() - 30);
  std::vector<ReadItem> items = ReadAll(gz, Options("rss.xml.gz"));
  ASSERT_FALSE(items.empty());
  const ReadItem& last = items.back();
  ASSERT_EQ(last.kind, ReadItem::Kind::kError);
  EXPECT_TRUE(last.error.message.starts_with("truncated gzip data"))
      << last.error.message;
  for (size_t i = 0; i + 1 < items.size(); ++i) {
    EXPECT_NE(items[i].kind, ReadItem::Kind::kError) << i;
  }
}

TEST(LooksLikeFeed, FirstElement) {
  EXPECT_TRUE(LooksLikeFeed("<rss version=\"2.0\">"));
  EXPECT_TRUE(LooksLikeFeed(
      "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c -->\n<?xml-stylesheet "
      "href=\"a.xsl\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
  EXPECT_TRUE(
      LooksLikeFeed("<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"x\">"));
  EXPECT_TRUE(LooksLikeFeed("<!DOCTYPE rss [<!ENTITY a \"b\">]>\n<rss>"));
  EXPECT_FALSE(LooksLikeFeed("<?xml version=\"1.0\"?><html>"));
  EXPECT_FALSE(LooksLikeFeed("<?xml version=\"1.0\"?><rss2>"));
  EXPECT_FALSE(LooksLikeFeed("{\"title\": \"rss\"}"));
  EXPECT_FALSE(LooksLikeFeed(""));
  EXPECT_FALSE(LooksLikeFeed("<!-- never closed <rss>"));
}

}  // namespace
}  // namespace pundit::readers
