// The JSON reader (core/readers/json_reader.h) and the keys of JSON records
// (core/readers/json_record.h), also as the JSON Lines reader reads them:
// the shapes JSON exports come in (an array on one line or many, one object
// per line, objects in a row, a file of one article, an API response
// wrapping a list), the key names public datasets use, --map, and records
// that cost only themselves.
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "core/readers/byte_stream.h"
#include "core/readers/formats.h"
#include "core/readers/json_reader.h"
#include "core/readers/jsonl_reader.h"
#include "core/shard.h"
#include "tests/test_util.h"

namespace pundit::readers {
namespace {

using testing::Paragraphs;
using testing::ReadFile;
using testing::TestData;
using testing::WriteFile;

using Strings = std::vector<std::string>;
using Map = std::vector<std::pair<std::string, std::string>>;

struct Read {
  std::vector<Article> articles;
  Strings errors;  // ParseError::ToString()
  Strings notices;
  Strings ids;
  Strings other_shard;  // "id@line" of kOtherShard items
};

Read ReadWith(std::unique_ptr<ArticleReader> reader) {
  Read out;
  ReadItem item;
  while (reader->Next(&item)) {
    switch (item.kind) {
      case ReadItem::Kind::kArticle:
        out.ids.push_back(testing::IdOrContent(item.article));
        out.articles.push_back(item.article);
        break;
      case ReadItem::Kind::kError:
        out.errors.push_back(item.error.ToString());
        break;
      case ReadItem::Kind::kNotice:
        out.notices.push_back(item.notice);
        break;
      case ReadItem::Kind::kOtherShard:
        out.other_shard.push_back(item.article.id + "@" +
                                  std::to_string(item.article.line));
        break;
    }
  }
  return out;
}

ReaderOptions Options(const std::string& path, Map map, size_t limit) {
  ReaderOptions options;
  options.path = path;
  options.id_base = path.substr(0, path.find('.'));
  options.column_map = std::move(map);
  options.max_record_bytes = limit;
  return options;
}

Read ReadJson(const std::string& bytes, Map map = {},
              size_t limit = kMaxRecordBytes) {
  return ReadWith(OpenJsonReader(ByteStream::FromString(bytes),
                                 Options("news.json", std::move(map), limit)));
}

Read ReadJsonLines(const std::string& bytes, Map map = {}) {
  return ReadWith(OpenJsonLinesReader(
      ByteStream::FromString(bytes),
      Options("news.jsonl", std::move(map), kMaxRecordBytes)));
}

// Reads `bytes` as shard 1 of 2 would: JSON Lines, or JSON when `json`.
Read ReadAsShardOneOfTwo(const std::string& bytes, bool json) {
  ReaderOptions options =
      Options(json ? "news.json" : "news.jsonl", {}, kMaxRecordBytes);
  options.shard = ShardSpec{1, 2};
  auto in = ByteStream::FromString(bytes);
  return ReadWith(json ? OpenJsonReader(std::move(in), options)
                       : OpenJsonLinesReader(std::move(in), options));
}

// The first id "<stem><n>" (n = 0, 1, ...) that shard `index` of 2 keeps.
std::string IdOfShard(const std::string& stem, int index) {
  for (int n = 0;; ++n) {
    std::string id = stem + std::to_string(n);
    if (ShardOf(id, 2) == index) return id;
  }
}

Strings Titles(const Read& r) {
  Strings out;
  for (const Article& a : r.articles) out.push_back(a.title);
  return out;
}

TEST(JsonReaderTest, AnArrayOnOneLineOrManyGivesTheSameArticlesAndIds) {
  const std::string one_line =
      R"([{"title": "First", "body": "a"}, {"title": "Second", "body": "b"},)"
      R"( {"title": "Third", "id": 7}])";
  const std::string many_lines =
      "[\n  {\n    \"title\": \"First\",\n    \"body\": \"a\"\n  },\n"
      "  {\"title\": \"Second\", \"body\": \"b\"},\n"
      "  {\"title\": \"Third\", \"id\": 7}\n]\n";
  for (const std::string& bytes : {one_line, many_lines}) {
    Read r = ReadJson(bytes);
    EXPECT_EQ(r.errors, Strings{});
    EXPECT_EQ(Titles(r), (Strings{"First", "Second", "Third"}));
    EXPECT_EQ(r.ids, (Strings{"(content)", "(content)", "7"}));
  }
  Read r = ReadJson(many_lines);
  ASSERT_EQ(r.articles.size(), 3u);
  Read o = ReadJson(one_line);
  ASSERT_EQ(o.articles.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(r.articles[i].id, o.articles[i].id);
  EXPECT_NE(r.articles[0].id, r.articles[1].id);
  EXPECT_EQ(r.articles[0].line, 2);
  EXPECT_EQ(r.articles[1].line, 6);
  EXPECT_EQ(r.articles[2].line, 7);
}

TEST(JsonReaderTest, AnApiResponseWrappingAListGivesEachItsFields) {
  Read r = ReadJson(ReadFile(TestData("readers/json/newsapi.json")));
  EXPECT_EQ(r.errors, Strings{});
  ASSERT_EQ(r.articles.size(), 2u);
  const Article& a = r.articles[0];
  EXPECT_EQ(a.title, "A Port Strike Reaches Every Kitchen");
  EXPECT_EQ(a.authors, Strings{"Ana Lima"});
  EXPECT_EQ(a.source, "The Meridian Review");  // "source": {"name": ...}
  EXPECT_EQ(a.date, "2016-12-31");             // "publishedAt"
  EXPECT_EQ(a.lede, "Why a port strike reaches every kitchen.");
  EXPECT_EQ(Paragraphs(a), Strings{"When the port closed, the grain waited."});
  EXPECT_EQ(a.id, "https://example.org/ports");
  EXPECT_EQ(r.articles[1].authors, Strings{});  // null
  EXPECT_EQ(r.articles[1].source, "Andes Observer");
  // The wrapper's own keys are not the articles' and are not noted.
  EXPECT_EQ(r.notices, Strings{"news.json: note: key urlToImage is not read "
                               "(map one with --map KEY=FIELD, FIELD one of "
                               "id, title, authors, date, body, source, url, "
                               "themes, regions, lede, bio)"});
  // Without an id or url, each has the id of its content.
  Read bare = ReadJson(R"({"data": [{"title": "A"}, {"title": "B"}]})");
  EXPECT_EQ(bare.ids, (Strings{"(content)", "(content)"}));
}

TEST(JsonReaderTest, AFileOfOneArticleIsOneArticleWithThePathId) {
  Read r = ReadJson(ReadFile(TestData("readers/json/newsplease.json")));
  EXPECT_EQ(r.errors, Strings{});
  ASSERT_EQ(r.articles.size(), 1u);
  const Article& a = r.articles[0];
  EXPECT_EQ(a.title, "The Ferry Vote");
  EXPECT_EQ(a.authors, Strings{"Ingrid Solberg"});
  EXPECT_EQ(a.date, "2019-01-31");           // "date_publish"
  EXPECT_EQ(a.source, "northwind.example");  // "source_domain"
  EXPECT_EQ(Paragraphs(a), (Strings{"The ferry has run since 1921.",
                                    "Now the town must decide."}));
  EXPECT_EQ(a.lede, "A fjord town votes on its ferry.");
  EXPECT_EQ(a.id, "https://northwind.example/ferry");
  Read bare = ReadJson("{\n  \"title\": \"Alone\"\n}\n");
  EXPECT_EQ(bare.ids, Strings{"news"});
}

TEST(JsonReaderTest, KeysOfScrapedExportsAreRead) {
  Read r = ReadJson(ReadFile(TestData("readers/json/scrapy.json")));
  EXPECT_EQ(r.errors, Strings{});
  ASSERT_EQ(r.articles.size(), 2u);
  const Article& a = r.articles[0];
  EXPECT_EQ(a.title, "Mini-Grids Light the Villages");  // "headline"
  EXPECT_EQ(a.authors, (Strings{"Kwame Mensah", "Dana Whitfield"}));
  EXPECT_EQ(a.date, "2016-03-08");
  // "text" as a list: one paragraph an item.
  EXPECT_EQ(Paragraphs(a), (Strings{"First paragraph about solar power.",
                                    "Second paragraph about batteries."}));
  EXPECT_EQ(a.themes, (Strings{"Energy", "Africa"}));  // "category"
  EXPECT_EQ(a.url, "https://example.org/grids");       // "link"
  EXPECT_EQ(r.articles[1].lede, "Fishermen write home.");
  EXPECT_EQ(r.articles[1].themes, Strings{"Environment"});  // "tags"
  EXPECT_EQ(r.ids, (Strings{"https://example.org/grids", "(content)"}));
}

TEST(JsonReaderTest, AFieldsOwnNameWinsOverOtherNamesForIt) {
  Read r = ReadJson(
      R"([{"text": "other", "title": "T", "body": "own", "headline": "H"}])");
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_EQ(r.articles[0].title, "T");
  EXPECT_EQ(Paragraphs(r.articles[0]), Strings{"own"});
}

TEST(JsonReaderTest, JsonLinesNamedJsonAreReadLineByLine) {
  // A line cut off in the middle costs itself, not the lines after it.
  Read r = ReadJson(
      "{\"headline\": \"One\", \"link\": \"https://h.example/1\"}\n"
      "{\"headline\": \"Two\"}\n"
      "{\"headline\": \"cut\n"
      "{\"headline\": \"Four\"}\n");
  EXPECT_EQ(Titles(r), (Strings{"One", "Two", "Four"}));
  EXPECT_EQ(r.ids, (Strings{"https://h.example/1", "(content)", "(content)"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(r.errors[0].starts_with("news.json:3: error: invalid JSON"))
      << r.errors[0];
}

TEST(JsonReaderTest, ObjectsInARowOverSeveralLinesAreEachAnArticle) {
  Read r = ReadJson("{\n \"title\": \"A\"\n}\n{\n \"title\": \"B\"\n}\n");
  EXPECT_EQ(r.errors, Strings{});
  EXPECT_EQ(r.ids, (Strings{"(content)", "(content)"}));
}

TEST(JsonReaderTest, ABadElementCostsOnlyItself) {
  Read r = ReadJson(
      "[{\"title\": \"ok one\"},\n 5,\n {\"nope\": 1},\n"
      " {\"title\": \"bad date\", \"date\": \"2019-02-30\"},\n"
      " {\"title\": [1]},\n {\"title\": \"ok two\"}]");
  EXPECT_EQ(Titles(r), (Strings{"ok one", "ok two"}));
  EXPECT_EQ(r.ids, (Strings{"(content)", "(content)"}));
  EXPECT_EQ(
      r.errors,
      (Strings{
          "news.json:2: error: element 2 is a number, not an article object "
          "{...}",
          "news.json:3: error: element 3: no title and no body: every "
          "article needs a non-empty title (\"title\", \"headline\") or body "
          "(\"body\", \"content\", \"text\"), or --map KEY=title for the key "
          "that holds it",
          "news.json:4: error: element 4: date \"2019-02-30\" is not a valid "
          "date: use YYYY-MM-DD or 'Month D, YYYY'",
          "news.json:5: error: element 5: \"title\" must be a string, not a "
          "list"}));
  EXPECT_EQ(r.notices.size(), 1u);  // "nope"
}

TEST(JsonReaderTest, ACutOffArrayKeepsTheArticlesBeforeAndSaysWhere) {
  Read r =
      ReadJson("[\n{\"title\": \"A\"},\n{\"title\": \"B\"},\n{\"title\": \"C");
  EXPECT_EQ(Titles(r), (Strings{"A", "B"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(r.errors[0].starts_with(
      "news.json:4: error: the value starting here never ends"))
      << r.errors[0];
  Read unclosed = ReadJson("[{\"title\": \"A\"}, ");
  EXPECT_EQ(Titles(unclosed), Strings{"A"});
  ASSERT_EQ(unclosed.errors.size(), 1u);
  EXPECT_NE(unclosed.errors[0].find("the array never closes"),
            std::string::npos);
}

TEST(JsonReaderTest, AnElementOverTheLimitIsSkippedAloneUnheld) {
  const std::string big(5000, 'x');
  Read r = ReadJson(
      "[{\"title\": \"A\"}, {\"title\": \"" + big + "\"}, {\"title\": \"C\"}]",
      {}, 1000);
  EXPECT_EQ(Titles(r), (Strings{"A", "C"}));
  EXPECT_EQ(r.ids, (Strings{"(content)", "(content)"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(r.errors[0].starts_with("news.json:1: error: element 2 is 5,"))
      << r.errors[0];
}

TEST(JsonReaderTest, WhatIsNoShapeOfArticlesIsOneError) {
  EXPECT_EQ(ReadJson("42\n").errors,
            Strings{"news.json:1: error: a JSON file of articles holds an "
                    "array of article objects [{...}, ...], one object, or "
                    "one object per line; this one starts with '4'"});
  EXPECT_EQ(ReadJson(" \n").errors,
            Strings{"news.json:2: error: file is empty: write articles in it "
                    "or delete it"});
  EXPECT_EQ(ReadJson("[]").errors,
            Strings{"news.json:1: error: the array is empty: write articles "
                    "in it or delete the file"});
  EXPECT_EQ(ReadJson("[{\"title\": \"A\"}] x").errors,
            Strings{"news.json:1: error: text after the end of the array: a "
                    "JSON file holds one array of articles"});
}

TEST(JsonReaderTest, MapNamesAnyKeyAndUnreadKeysGetOneNote) {
  Read r = ReadJson(
      R"([{"headline_text": "Grain", "story": "Prices rose.", "views": 3},)"
      R"( {"headline_text": "Ports", "story": "Ships waited.", "shares": 1}])",
      {{"headline_text", "title"}, {"Story", "body"}});
  EXPECT_EQ(r.errors, Strings{});
  EXPECT_EQ(Titles(r), (Strings{"Grain", "Ports"}));
  EXPECT_EQ(Paragraphs(r.articles[1]), Strings{"Ships waited."});
  EXPECT_EQ(r.notices,
            Strings{"news.json: note: keys views, shares are not read (map "
                    "one with --map KEY=FIELD, FIELD one of id, title, "
                    "authors, date, body, source, url, themes, regions, "
                    "lede, bio)"});
}

TEST(JsonReaderTest, ACompressedFileIsReadByItsNameAsJson) {
  const std::string json = ReadFile(TestData("readers/json/scrapy.json"));
  z_stream z{};
  ASSERT_EQ(
      deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  std::string gz(deflateBound(&z, json.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(json.data()));
  z.avail_in = static_cast<uInt>(json.size());
  z.next_out = reinterpret_cast<Bytef*>(gz.data());
  z.avail_out = static_cast<uInt>(gz.size());
  ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  gz.resize(z.total_out);
  deflateEnd(&z);
  testing::TempDir dir;
  WriteFile(dir.Sub("scrapy.json.gz"), gz);
  Result<OpenedInput> in =
      OpenInput(dir.Sub("scrapy.json.gz"), nullptr,
                Options("scrapy.json.gz", {}, kMaxRecordBytes));
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_STREQ(in->format->name, "json");
  Read r = ReadWith(std::move(in->reader));
  EXPECT_EQ(r.errors, Strings{});
  EXPECT_EQ(r.ids, (Strings{"https://example.org/grids", "(content)"}));
}

TEST(JsonLinesReaderTest, KeysPublicDatasetsUseAreReadAndOthersNoted) {
  // The News Category Dataset's shape; "text" was once dropped unseen.
  Read r = ReadJsonLines(
      R"({"link": "https://h.example/1", "headline": "Ports", )"
      R"("category": "POLITICS", "short_description": "Ships wait.", )"
      R"("authors": "Ana Lima, Jo Bloggs", "date": "2018-05-26"})"
      "\n"
      R"({"title": "T", "text": "A body under another name.", "extra": 1})"
      "\n");
  EXPECT_EQ(r.errors, Strings{});
  ASSERT_EQ(r.articles.size(), 2u);
  EXPECT_EQ(r.articles[0].title, "Ports");
  EXPECT_EQ(r.articles[0].themes, Strings{"POLITICS"});
  EXPECT_EQ(r.articles[0].lede, "Ships wait.");
  EXPECT_EQ(r.articles[0].authors, (Strings{"Ana Lima", "Jo Bloggs"}));
  EXPECT_EQ(r.articles[0].id, "https://h.example/1");
  EXPECT_EQ(Paragraphs(r.articles[1]), Strings{"A body under another name."});
  EXPECT_EQ(r.notices,
            Strings{"news.jsonl: note: key extra is not read (map one with "
                    "--map KEY=FIELD, FIELD one of id, title, authors, date, "
                    "body, source, url, themes, regions, lede, bio)"});
}

TEST(JsonLinesReaderTest, ARecordOfAnotherShardIsReadNoFurtherThanItsId) {
  const std::string mine = IdOfShard("kept", 1);
  const std::string mine_broken = IdOfShard("kept-broken", 1);
  const std::string theirs = IdOfShard("other", 2);
  const std::string their_url = IdOfShard("https://example.org/story-", 2);
  const std::string theirs_extra = IdOfShard("extra", 2);
  auto record = [](const std::string& key, const std::string& value,
                   const std::string& rest) {
    return "{\"" + key + "\": \"" + value + "\", " + rest + "}\n";
  };
  const std::string bytes =
      record("id", mine, R"("title": "Kept", "body": "A body.")") +
      record("id", theirs, R"("title": "Other", "date": "no date")") +
      record("url", their_url, R"("title": "", "date": "31/31/31")") +
      R"({"title": "No id nor url", "body": "Its id is its content's."})"
      "\n" +
      record("id", mine_broken, R"("title": "Kept", "date": "no")") +
      R"({"id": [1], "title": "An id of the wrong type"})"
      "\n" +
      record("id", theirs_extra, R"("title": "X", "shade": "blue")");
  Read r = ReadAsShardOneOfTwo(bytes, /*json=*/false);
  // The other shard's records: their ids and lines, nothing else read, so
  // no error of theirs (the shard that keeps them reports those).
  EXPECT_EQ(r.other_shard,
            (Strings{theirs + "@2", their_url + "@3", theirs_extra + "@7"}));
  // A record without an id or url is read whole: its id is its content's.
  EXPECT_EQ(r.ids, (Strings{mine, "(content)"}));
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_TRUE(r.errors[0].starts_with("news.jsonl:5: error: ")) << r.errors[0];
  EXPECT_TRUE(r.errors[1].starts_with("news.jsonl:6: error: \"id\" must be"))
      << r.errors[1];
  // Keys are noted alike in every shard.
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_NE(r.notices[0].find("key shade is not read"), std::string::npos)
      << r.notices[0];

  // Unsharded, every record is read whole and the errors are all there.
  Read whole = ReadJsonLines(bytes);
  EXPECT_EQ(whole.other_shard, Strings{});
  EXPECT_EQ(whole.ids, (Strings{mine, "(content)", theirs_extra}));
  ASSERT_EQ(whole.errors.size(), 4u);
  EXPECT_TRUE(whole.errors[0].starts_with("news.jsonl:2: error: "));
  EXPECT_TRUE(whole.errors[1].starts_with("news.jsonl:3: error: "));
}

TEST(JsonReaderTest, ARecordOfAnotherShardIsReadNoFurtherThanItsId) {
  const std::string mine = IdOfShard("kept", 1);
  const std::string theirs = IdOfShard("other", 2);
  const std::string bytes =
      "[\n{\"id\": \"" + theirs +
      "\", \"title\": \"Other\", \"date\": \"no date\"},\n"
      "{\"id\": \"" +
      mine + "\", \"title\": \"Kept\", \"body\": \"A body.\"}\n]\n";
  Read r = ReadAsShardOneOfTwo(bytes, /*json=*/true);
  EXPECT_EQ(r.errors, Strings{});
  EXPECT_EQ(r.other_shard, Strings{theirs + "@2"});
  EXPECT_EQ(r.ids, Strings{mine});
}

TEST(JsonLinesReaderTest, DatesAsDumpsWriteThemAreRead) {
  // Reddit's created_utc (a number), a Unix time in milliseconds, GDELT's
  // YYYYMMDDhhmmss, a fractional Unix time; a published date outranks
  // created_at. A date that is no date costs its record only.
  Read r =
      ReadJsonLines(R"({"title": "A", "body": "a", "created_utc": 1548930030})"
                    "\n"
                    R"({"title": "B", "body": "b", "timestamp": 1548975599999})"
                    "\n"
                    R"({"title": "C", "body": "c", "date": "20190131235959"})"
                    "\n"
                    R"({"title": "D", "body": "d", "date": 1548930030.5})"
                    "\n"
                    R"({"title": "E", "body": "e", "created_at": "2019-01-02",)"
                    R"( "published_at": "2019-01-31"})"
                    "\n"
                    R"({"title": "F", "body": "f", "date": 12345})"
                    "\n"
                    R"({"title": "G", "body": "g", "date": true})"
                    "\n");
  ASSERT_EQ(r.articles.size(), 5u);
  for (const Article& a : r.articles)
    EXPECT_EQ(a.date, "2019-01-31") << a.title;
  EXPECT_EQ(r.errors,
            (Strings{"news.jsonl:6: error: date \"12345\" is not a date: use "
                     "YYYY-MM-DD or 'Month D, YYYY'",
                     "news.jsonl:7: error: \"date\" must be a string, not "
                     "true or false"}));
}

}  // namespace
}  // namespace pundit::readers
