// The CSV and TSV reader (core/readers/csv_reader.h): the column names of
// public news datasets, RFC 4180 quoting, --map, notices, and rows that cost
// only themselves.
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "core/readers/byte_stream.h"
#include "core/readers/csv_reader.h"
#include "core/readers/formats.h"
#include "core/shard.h"
#include "tests/test_util.h"

namespace pundit::readers {
namespace {

using testing::Paragraphs;

using Strings = std::vector<std::string>;

struct Read {
  std::vector<Article> articles;
  Strings errors;  // ParseError::ToString()
  Strings notices;
  Strings other_shard;  // "id@line" of kOtherShard items
};

Read ReadCsv(const std::string& bytes, char delimiter = ',',
             std::vector<std::pair<std::string, std::string>> map = {},
             size_t limit = kMaxRecordBytes, ShardSpec shard = {}) {
  ReaderOptions options;
  options.shard = shard;
  options.path = "news.csv";
  options.id_base = "news";
  options.column_map = std::move(map);
  options.max_record_bytes = limit;
  std::unique_ptr<ArticleReader> reader =
      OpenCsvReader(ByteStream::FromString(bytes), options, delimiter);
  Read out;
  ReadItem item;
  while (reader->Next(&item)) {
    switch (item.kind) {
      case ReadItem::Kind::kArticle:
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

TEST(CsvReaderTest, ARowOfAnotherShardIsReadNoFurtherThanItsId) {
  auto id_of_shard = [](const std::string& stem, int index) {
    for (int n = 0;; ++n) {
      std::string id = stem + std::to_string(n);
      if (ShardOf(id, 2) == index) return id;
    }
  };
  const std::string mine = id_of_shard("kept", 1);
  const std::string theirs = id_of_shard("other", 2);
  const std::string their_url = id_of_shard("https://example.org/s", 2);
  const std::string bytes = "id,url,title,date\n" + mine +
                            ",,Kept,2020-01-02\n" + theirs +
                            ",,Other,no date\n," + their_url +
                            ",By url,no date\n,,No id,2020-01-03\n";
  Read r = ReadCsv(bytes, ',', {}, kMaxRecordBytes, ShardSpec{1, 2});
  EXPECT_EQ(r.errors, Strings{});
  EXPECT_EQ(r.other_shard, (Strings{theirs + "@3", their_url + "@4"}));
  ASSERT_EQ(r.articles.size(), 2u);  // the row without an id is read whole
  EXPECT_EQ(r.articles[0].id, mine);
  EXPECT_EQ(r.articles[1].title, "No id");
  Read whole = ReadCsv(bytes);
  EXPECT_EQ(whole.errors.size(), 2u);
  EXPECT_EQ(whole.other_shard, Strings{});
}

TEST(CsvReaderTest, TheShapeOfTheAllTheNewsDatasetGivesEveryField) {
  Read r =
      ReadCsv(testing::ReadFile(testing::TestData("readers/csv/news.csv")));
  EXPECT_EQ(r.errors, Strings{});
  EXPECT_EQ(r.notices, Strings{});  // the unnamed index column is silent
  ASSERT_EQ(r.articles.size(), 2u);
  const Article& a = r.articles[0];
  EXPECT_EQ(a.id, "17283");
  EXPECT_EQ(a.title, "Ports, Grain and the Price of Bread");
  EXPECT_EQ(a.source, "The Meridian Review");
  EXPECT_EQ(a.authors, Strings{"Ana Lima"});
  EXPECT_EQ(a.date, "2016-12-31");
  EXPECT_EQ(a.url, "https://example.org/ports");
  EXPECT_EQ(Paragraphs(a), (Strings{"First paragraph, with \"quotes\".",
                                    "Second paragraph."}));
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.path, "news.csv");
  const Article& b = r.articles[1];
  EXPECT_EQ(b.id, "17284");
  EXPECT_EQ(b.authors, (Strings{"Oleg Petrenko", "Mei Tanaka"}));
  EXPECT_EQ(b.date, "2016-12-31");
  EXPECT_EQ(b.url, "");
  EXPECT_EQ(b.line, 5);  // the first row spans lines 2 to 4
}

TEST(CsvReaderTest, TsvWithOtherColumnNamesAndMultiValues) {
  Read r = ReadCsv(testing::ReadFile(testing::TestData("readers/csv/wire.tsv")),
                   '\t');
  EXPECT_EQ(r.errors, Strings{});
  ASSERT_EQ(r.articles.size(), 1u);
  const Article& a = r.articles[0];
  EXPECT_EQ(a.id, "t1");
  EXPECT_EQ(a.title, "Tariffs Return");
  EXPECT_EQ(a.authors, (Strings{"Priya Raman", "Thomas Becker"}));
  EXPECT_EQ(a.date, "2016-12-31");
  EXPECT_EQ(a.themes, (Strings{"Trade", "Economy"}));
  EXPECT_EQ(a.regions, Strings{"India"});
  EXPECT_EQ(Paragraphs(a), Strings{"The tariff line is back."});
}

TEST(CsvReaderTest, QuotesCommasNewlinesAndCrlf) {
  Read r = ReadCsv(
      "\xEF\xBB\xBF"
      "Title,Body,URL\r\n"
      "\"A, B\",\"He said \"\"no\"\".\r\nNext line.\",\r\n"
      "Plain,\"x\"\"\",https://example.org/p\r\n"
      "\r\n"
      "Last,no newline at the end,");
  EXPECT_EQ(r.errors, Strings{});
  ASSERT_EQ(r.articles.size(), 3u);
  EXPECT_EQ(r.articles[0].title, "A, B");
  EXPECT_EQ(Paragraphs(r.articles[0]), Strings{"He said \"no\". Next line."});
  EXPECT_EQ(testing::IdOrContent(r.articles[0]), "(content)");
  EXPECT_EQ(r.articles[1].id, "https://example.org/p");
  EXPECT_EQ(Paragraphs(r.articles[1]), Strings{"x\""});
  EXPECT_EQ(r.articles[1].line, 4);
  EXPECT_EQ(r.articles[2].title, "Last");
  EXPECT_EQ(r.articles[2].line, 6);
}

TEST(CsvReaderTest, MapNamesOtherColumnsAndUnknownOnesGetOneNotice) {
  Read r = ReadCsv(
      "headline_text,story,views,shares,publish_date\n"
      "Grain prices,Prices rose.,10,2,20190304\n"
      "Port strike,Ships waited.,11,3,\n"
      "Dry wells,Wells ran dry.,12,4,04.03.2019\n",
      ',', {{"headline_text", "title"}, {"Story", "body"}, {"nope", "url"}});
  EXPECT_EQ(r.notices,
            (Strings{"news.csv: note: --map nope=url names a column this "
                     "file's header does not have (it has headline_text, "
                     "story, views, shares, publish_date)",
                     "news.csv: note: columns views, shares are not read (map "
                     "one with --map COLUMN=FIELD, FIELD one of id, title, "
                     "authors, date, body, source, url, themes, regions, "
                     "lede, bio)"}));
  // 20190304 (YYYYMMDD, as "A Million News Headlines" writes it) is a
  // date; 04.03.2019 is not a form pundit reads: that row is an error.
  EXPECT_EQ(r.errors,
            Strings{"news.csv:4: error: date \"04.03.2019\" is not a date: "
                    "use YYYY-MM-DD or 'Month D, YYYY'"});
  ASSERT_EQ(r.articles.size(), 2u);
  EXPECT_EQ(r.articles[0].title, "Grain prices");
  EXPECT_EQ(r.articles[0].date, "2019-03-04");
  EXPECT_EQ(r.articles[1].title, "Port strike");
  EXPECT_EQ(Paragraphs(r.articles[1]), Strings{"Ships waited."});
}

TEST(CsvReaderTest, ARowCostsOnlyItself) {
  Read r = ReadCsv(
      "id,title,body\n"
      "1,One,Body one\n"
      "2,Two,Body two,extra\n"
      "3,,\n"
      "4,\"" +
          std::string(300, 'x') +
          "\",body\n"
          "5,Five,Body five\n"
          "6,\"Never closed,body\n"
          "7,Seven,Body seven\n",
      ',', {}, 200);
  EXPECT_EQ(r.errors,
            (Strings{"news.csv:3: error: row has 4 fields, the header has 3: "
                     "quote fields that hold the delimiter",
                     "news.csv:4: error: no title and no body: every row "
                     "needs a title or a body",
                     "news.csv:5: error: row is 310 bytes, more than the limit "
                     "of 200 bytes for one article: it is skipped; split it "
                     "or shorten it",
                     "news.csv:7: error: unbalanced quote: a field opened on "
                     "this row never closes; close it with \" (and write a "
                     "quote inside a field as \"\")"}));
  Strings ids;
  for (const Article& a : r.articles) ids.push_back(a.id);
  EXPECT_EQ(ids, (Strings{"1", "5"}));
}

TEST(CsvReaderTest, AHeaderWithoutTitleOrBodyIsOneErrorForTheFile) {
  Read r = ReadCsv("name,views\nx,1\ny,2\n");
  EXPECT_EQ(r.errors,
            Strings{"news.csv:1: error: no title and no body column: the "
                    "header has name, views; name one column title or body, "
                    "or map one with --map COLUMN=title"});
  EXPECT_TRUE(r.articles.empty());
  Read unclosed = ReadCsv("\"title,body\nA,B\n");
  EXPECT_EQ(unclosed.errors,
            Strings{"news.csv:1: error: the header row cannot be read (a "
                    "quote never closes): the first row must name the "
                    "columns"});
  Read empty = ReadCsv("");
  EXPECT_EQ(empty.errors,
            Strings{"news.csv:1: error: file is empty: write a header row and "
                    "articles in it or delete it"});
}

TEST(CsvReaderTest, FieldsNotInUtf8AreReadAsWindows1252WithOneNote) {
  // As Excel saves "CSV (Comma delimited)" on a Western Windows machine.
  Read r = ReadCsv(
      "title,body\nGood,Fine\nCaf\xE9 prices,A cup costs \xA3"
      "2 \x96 "
      "\x93more\x94\nAlso good,Fine\nNa\xEFve,x\n");
  EXPECT_TRUE(r.errors.empty()) << r.errors[0];
  ASSERT_EQ(r.articles.size(), 4u);
  EXPECT_EQ(r.articles[1].title, "Caf\u00e9 prices");
  EXPECT_EQ(Paragraphs(r.articles[1]),
            Strings{"A cup costs \u00a32 \u2013 \u201cmore\u201d"});
  EXPECT_EQ(r.articles[3].title, "Na\u00efve");
  EXPECT_EQ(r.notices,
            Strings{"news.csv: note: not UTF-8 (first in line 3, field 1), "
                    "read as Windows-1252 (Latin-1), as spreadsheet programs "
                    "save CSV; save it as UTF-8 if that is wrong"});
  // UTF-8 stays UTF-8.
  Read utf8 = ReadCsv("title,body\nCaf\u00e9,\u00a32\n");
  ASSERT_EQ(utf8.articles.size(), 1u);
  EXPECT_EQ(utf8.articles[0].title, "Caf\u00e9");
  EXPECT_TRUE(utf8.notices.empty());
}

TEST(CsvReaderTest, ACsvOfSemicolonsOrTabsIsReadByItsHeader) {
  // As spreadsheets save CSV where ',' is the decimal mark.
  Read r = ReadCsv(
      "Title;Body;Date\r\n"
      "Grain;\"Prices rose 2,5%; bakers worried.\";04/03/2019\r\n",
      kSniffDelimiter);
  // Three fields, the quoted one whole: its date is read (and refused).
  EXPECT_EQ(r.errors, (Strings{"news.csv:2: error: date \"04/03/2019\" is "
                               "not a date: use YYYY-MM-DD or 'Month D, "
                               "YYYY'"}));
  r = ReadCsv("title;body\nGrain;Prices rose 2,5%.\n", kSniffDelimiter);
  EXPECT_EQ(r.errors, Strings{});
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_EQ(r.articles[0].title, "Grain");
  EXPECT_EQ(Paragraphs(r.articles[0]), Strings{"Prices rose 2,5%."});
  r = ReadCsv("title\tbody\nGrain\tPrices rose.\n", kSniffDelimiter);
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_EQ(Paragraphs(r.articles[0]), Strings{"Prices rose."});
  // A ';' inside a quoted name, or after the first comma, is no delimiter.
  r = ReadCsv("\"title;x\",body;y\nA,B\n", kSniffDelimiter,
              {{"title;x", "title"}, {"body;y", "body"}});
  EXPECT_EQ(r.errors, Strings{});
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_EQ(r.articles[0].title, "A");
}

TEST(CsvReaderTest, GzipInputReadsTheSame) {
  const std::string csv = "id,title\na,First\nb,Second\n";
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string gz(256, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(csv.data()));
  z.avail_in = static_cast<uInt>(csv.size());
  z.next_out = reinterpret_cast<Bytef*>(gz.data());
  z.avail_out = static_cast<uInt>(gz.size());
  ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  gz.resize(z.total_out);
  deflateEnd(&z);
  Read r = ReadCsv(gz);
  EXPECT_EQ(r.errors, Strings{});
  ASSERT_EQ(r.articles.size(), 2u);
  EXPECT_EQ(r.articles[1].id, "b");
  EXPECT_EQ(r.articles[1].line, 3);
}

TEST(CsvReaderTest, TheTableReadsCsvAndTsvByName) {
  EXPECT_STREQ(FormatForFileName("news.csv")->name, "csv");
  EXPECT_STREQ(FormatForFileName("news.CSV.gz")->name, "csv");
  EXPECT_STREQ(FormatForFileName("wire.tsv")->name, "tsv");
}

}  // namespace
}  // namespace pundit::readers
