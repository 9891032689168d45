// Tests of core/readers/warc_reader.h.
// Properties checked:
// - tests/testdata/readers/warc/sample.warc (warcinfo, requests, an HTML
//   response, an image response, a revisit, a chunked HTML response, a
//   gzip-encoded XHTML response, a 404 and a metadata record): exactly the
//   three pages as articles with url, date (page, else WARC-Date), line,
//   id and body, then one notice that counts the rest by kind;
// - the same file as .warc.gz with one gzip member per record reads the
//   same;
// - hostile records, each one error with its whole message and line, and
//   the records after it still read: a Content-Length too small (resync to
//   the next WARC/1. line), one that is not a number, one that is missing,
//   lines where a WARC/ line should be, a Content-Length larger than what
//   remains, an HTML payload over max_record_bytes (a large image is only
//   passed over), malformed chunks, an unsupported Content-Encoding, a
//   header block that never ends; all of them in one file (hostile.warc).
#include <gtest/gtest.h>
#include <zlib.h>

#include <memory>
#include <string>
#include <vector>

#include "core/readers/byte_stream.h"
#include "core/readers/reader.h"
#include "core/readers/warc_reader.h"
#include "tests/test_util.h"

namespace pundit::readers {
namespace {

using ::pundit::testing::ReadFile;
using ::pundit::testing::TestData;

Block P(std::string text) {
  return Block{Block::Kind::kParagraph, std::move(text)};
}

ReaderOptions Options() {
  ReaderOptions options;
  options.path = "crawl/sample.warc";
  options.id_base = "crawl/sample";
  return options;
}

std::vector<ReadItem> ReadAll(std::string bytes,
                              const ReaderOptions& options = Options()) {
  std::unique_ptr<ArticleReader> reader =
      OpenWarcReader(ByteStream::FromString(std::move(bytes)), options);
  std::vector<ReadItem> items;
  ReadItem item;
  while (reader->Next(&item)) items.push_back(std::move(item));
  EXPECT_FALSE(reader->Next(&item));
  return items;
}

// A gzip member holding `bytes`.
std::string Gzip(std::string_view bytes) {
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

// A WARC record; `length` overrides the Content-Length value.
std::string Record(const std::string& type, const std::string& uri,
                   const std::string& payload, std::string length = "") {
  if (length.empty()) length = std::to_string(payload.size());
  return "WARC/1.0\r\nWARC-Type: " + type +
         "\r\nWARC-Date: 2024-06-01T00:00:00Z\r\nWARC-Target-URI: " + uri +
         "\r\nContent-Type: application/http; msgtype=response\r\n"
         "Content-Length: " +
         length + "\r\n\r\n" + payload + "\r\n\r\n";
}

// An HTTP 200 response of an HTML page titled `title`.
std::string HtmlResponse(const std::string& title,
                         const std::string& headers = "") {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + headers +
         "\r\n<html><head><title>" + title +
         "</title></head><body><p>Text of " + title + ".</p></body></html>";
}

TEST(WarcReader, SampleFile) {
  std::vector<ReadItem> items =
      ReadAll(ReadFile(TestData("readers/warc/sample.warc")));
  ASSERT_EQ(items.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(items[i].kind, ReadItem::Kind::kArticle)
        << items[i].error.ToString();
  }
  Article first;
  first.id = "https://city.example.org/parking";
  first.title = "Parking minimums should go";
  first.authors = {"Rosa Lind"};
  first.date = "2024-05-06";  // the page's own date
  first.url = "https://city.example.org/parking";
  first.body = {P("Cities waste land on empty parking."),
                P("Drop the minimums.")};
  first.path = "crawl/sample.warc";
  first.line = 24;
  EXPECT_EQ(items[0].article, first);

  Article chunked;
  chunked.id = "https://city.example.org/chunked";
  chunked.title = "Chunked page";
  chunked.date = "2024-05-08";  // WARC-Date
  chunked.url = "https://city.example.org/chunked";
  chunked.body = {P("Sent in chunks.")};
  chunked.path = "crawl/sample.warc";
  chunked.line = 73;
  EXPECT_EQ(items[1].article, chunked);

  Article gzipped;
  gzipped.id = "https://city.example.org/gz";
  gzipped.title = "Compressed page";
  gzipped.date = "2024-05-08";
  gzipped.url = "https://city.example.org/gz";  // without its <>
  gzipped.body = {P("Sent gzip encoded.")};
  gzipped.path = "crawl/sample.warc";
  gzipped.line = 115;
  EXPECT_EQ(items[2].article, gzipped);

  ASSERT_EQ(items[3].kind, ReadItem::Kind::kNotice);
  EXPECT_EQ(items[3].notice,
            "crawl/sample.warc: note: 8 records passed over (3 request, 1 "
            "warcinfo, 1 metadata, 1 revisit, 1 response not HTML, 1 "
            "response not 2xx)");
}

TEST(WarcReader, GzipMemberPerRecord) {
  std::string plain = ReadFile(TestData("readers/warc/sample.warc"));
  std::string gz;
  size_t start = 0;
  for (;;) {
    size_t end = plain.find("\r\n\r\nWARC/1.", start);
    if (end == std::string::npos) break;
    gz += Gzip(std::string_view(plain).substr(start, end + 4 - start));
    start = end + 4;
  }
  gz += Gzip(std::string_view(plain).substr(start));
  std::vector<ReadItem> from_gz = ReadAll(gz);
  std::vector<ReadItem> from_plain = ReadAll(plain);
  ASSERT_EQ(from_gz.size(), from_plain.size());
  for (size_t i = 0; i < from_gz.size(); ++i) {
    EXPECT_EQ(from_gz[i].kind, from_plain[i].kind);
    EXPECT_EQ(from_gz[i].article, from_plain[i].article);
    EXPECT_EQ(from_gz[i].notice, from_plain[i].notice);
  }
}

TEST(WarcReader, ContentLengthTooSmallResyncs) {
  std::string bad = HtmlResponse("Bad");
  std::string warc =
      Record("response", "https://a.example/bad", bad,
             std::to_string(bad.size() - 10)) +
      Record("response", "https://a.example/ok", HtmlResponse("Fine"));
  std::vector<ReadItem> items = ReadAll(warc);
  ASSERT_EQ(items.size(), 2u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[0].error.ToString(),
            "crawl/sample.warc:1: error: record does not end where its "
            "Content-Length of " +
                std::to_string(bad.size() - 10) +
                " bytes says (no empty line follows the payload): fix its "
                "Content-Length; lines 11-12 were skipped, up to the next "
                "record");
  ASSERT_EQ(items[1].kind, ReadItem::Kind::kArticle);
  EXPECT_EQ(items[1].article.title, "Fine");
  EXPECT_EQ(items[1].article.line, 13);
  EXPECT_EQ(items[1].article.url, "https://a.example/ok");
}

TEST(WarcReader, ContentLengthNotANumber) {
  std::string warc =
      Record("response", "https://a.example/x", HtmlResponse("X"), "12x") +
      Record("request", "https://a.example/y", "GET / HTTP/1.1\r\n\r\n");
  std::vector<ReadItem> items = ReadAll(warc);
  ASSERT_EQ(items.size(), 2u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[0].error.ToString(),
            "crawl/sample.warc:1: error: Content-Length \"12x\" is not a "
            "number of bytes; lines 8-12 were skipped, up to the next "
            "record");
  ASSERT_EQ(items[1].kind, ReadItem::Kind::kNotice);
  EXPECT_EQ(items[1].notice,
            "crawl/sample.warc: note: 1 record passed over (1 request)");
}

TEST(WarcReader, MissingContentLength) {
  std::string warc =
      "WARC/1.1\r\nWARC-Type: warcinfo\r\n\r\nabc\r\n\r\n" +
      Record("response", "https://a.example/z", HtmlResponse("Zed"));
  std::vector<ReadItem> items = ReadAll(warc);
  ASSERT_EQ(items.size(), 2u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[0].error.ToString(),
            "crawl/sample.warc:1: error: record has no Content-Length: "
            "every WARC record needs one; lines 4-5 were skipped, up to the "
            "next record");
  ASSERT_EQ(items[1].kind, ReadItem::Kind::kArticle);
  EXPECT_EQ(items[1].article.line, 6);
  EXPECT_EQ(items[1].article.id, "https://a.example/z");
}

TEST(WarcReader, MissingWarcLine) {
  std::string warc =
      "garbage before\r\nmore garbage\r\n" +
      Record("response", "https://a.example/g", HtmlResponse("After garbage"));
  std::vector<ReadItem> items = ReadAll(warc);
  ASSERT_EQ(items.size(), 2u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[0].error.ToString(),
            "crawl/sample.warc:1: error: no WARC/ line where a record "
            "starts: a record begins with \"WARC/1.0\" or \"WARC/1.1\"; "
            "lines 1-2 were skipped, up to the next record");
  ASSERT_EQ(items[1].kind, ReadItem::Kind::kArticle);
  EXPECT_EQ(items[1].article.title, "After garbage");
  EXPECT_EQ(items[1].article.line, 3);
}

TEST(WarcReader, ContentLengthLargerThanTheFile) {
  std::string warc =
      Record("response", "https://a.example/ok", HtmlResponse("First")) +
      Record("response", "https://a.example/cut", HtmlResponse("Cut"), "500");
  std::vector<ReadItem> items = ReadAll(warc);
  ASSERT_EQ(items.size(), 2u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kArticle);
  EXPECT_EQ(items[0].article.title, "First");
  ASSERT_EQ(items[1].kind, ReadItem::Kind::kError);
  std::string rest = HtmlResponse("Cut") + "\r\n\r\n";
  EXPECT_EQ(items[1].error.ToString(),
            "crawl/sample.warc:13: error: Content-Length says 500 bytes but "
            "the file ends after " +
                std::to_string(rest.size()) +
                ": the record is cut off; fix its Content-Length or "
                "download the file again");
}

TEST(WarcReader, HtmlPayloadOverTheLimit) {
  ReaderOptions options = Options();
  options.max_record_bytes = 200;
  std::string big = HtmlResponse("Big " + std::string(200, 'b'));
  std::string image = "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n" +
                      std::string(400, '\xff');
  std::string warc =
      Record("response", "https://a.example/big", big) +
      Record("response", "https://a.example/i.jpg", image) +
      Record("response", "https://a.example/s", HtmlResponse("Small"));
  std::vector<ReadItem> items = ReadAll(warc, options);
  ASSERT_EQ(items.size(), 3u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[0].error.line, 1);
  EXPECT_EQ(items[0].error.message,
            RecordTooLargeMessage(big.size(), 200, "WARC record"));
  EXPECT_EQ(items[0].error.message,
            "WARC record is " + std::to_string(big.size()) +
                " bytes, more than the limit of 200 bytes for one article: "
                "it is skipped; split it or shorten it");
  ASSERT_EQ(items[1].kind, ReadItem::Kind::kArticle);
  EXPECT_EQ(items[1].article.title, "Small");
  EXPECT_EQ(items[1].article.line, 25);
  ASSERT_EQ(items[2].kind, ReadItem::Kind::kNotice);
  EXPECT_EQ(items[2].notice,
            "crawl/sample.warc: note: 1 record passed over (1 response not "
            "HTML)");
}

TEST(WarcReader, MalformedChunksAndUnknownEncoding) {
  std::string chunked =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
      "Transfer-Encoding: chunked\r\n\r\nzz\r\n<p>x</p>";
  std::string brotli = HtmlResponse("Br", "Content-Encoding: br\r\n");
  std::string warc = Record("response", "https://a.example/c", chunked) +
                     Record("response", "https://a.example/b", brotli);
  std::vector<ReadItem> items = ReadAll(warc);
  ASSERT_EQ(items.size(), 2u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[0].error.ToString(),
            "crawl/sample.warc:1: error: HTTP body is marked "
            "Transfer-Encoding: chunked but its chunks are malformed: the "
            "page is skipped; fix or re-record it");
  ASSERT_EQ(items[1].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[1].error.ToString(),
            "crawl/sample.warc:15: error: HTTP body has Content-Encoding br, "
            "which is not read (only gzip is): the page is skipped; "
            "re-record it uncompressed or gzip");
}

TEST(WarcReader, HeaderThatNeverEnds) {
  std::vector<ReadItem> items =
      ReadAll("WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5\r\n");
  ASSERT_EQ(items.size(), 1u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[0].error.ToString(),
            "crawl/sample.warc:1: error: record header never ends: the file "
            "ends before the empty line after the headers of this record");
}

TEST(WarcReader, HostileFile) {
  std::vector<ReadItem> items =
      ReadAll(ReadFile(TestData("readers/warc/hostile.warc")));
  ASSERT_EQ(items.size(), 4u);
  ASSERT_EQ(items[0].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[0].error.ToString(),
            "crawl/sample.warc:1: error: no WARC/ line where a record "
            "starts: a record begins with \"WARC/1.0\" or \"WARC/1.1\"; "
            "line 1 was skipped, up to the next record");
  ASSERT_EQ(items[1].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[1].error.ToString(),
            "crawl/sample.warc:2: error: record does not end where its "
            "Content-Length of 9 bytes says (no empty line follows the "
            "payload): fix its Content-Length; lines 8-12 were skipped, up "
            "to the next record");
  ASSERT_EQ(items[2].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[2].error.ToString(),
            "crawl/sample.warc:13: error: Content-Length \"many\" is not a "
            "number of bytes; lines 19-23 were skipped, up to the next "
            "record");
  ASSERT_EQ(items[3].kind, ReadItem::Kind::kArticle);
  EXPECT_EQ(items[3].article.title, "Kept");
  EXPECT_EQ(items[3].article.body, std::vector<Block>{P("Still read.")});
  EXPECT_EQ(items[3].article.url, "https://h.example/response");
  EXPECT_EQ(items[3].article.line, 24);
}

TEST(WarcReader, EmptyInputGivesNothing) {
  EXPECT_TRUE(ReadAll("").empty());
  EXPECT_TRUE(ReadAll("\r\n\r\n").empty());
}

}  // namespace
}  // namespace pundit::readers
