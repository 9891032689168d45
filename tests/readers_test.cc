// The streaming layer under every reader (core/readers/): ByteStream over
// plain, gzip (several members), zstd, xz and bzip2 bytes (several streams
// each), damaged streams, LineReader
// limits, the JSON Lines reader's ids and limits, and the format table.
#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <set>
#include <string>
#include <vector>

#include "core/document.h"
#include "core/readers/byte_stream.h"
#include "core/readers/formats.h"
#include "core/readers/jsonl_reader.h"
#include "core/readers/reader.h"
#include "tests/test_util.h"

namespace pundit::readers {
namespace {

using testing::Bzip2Bytes;
using testing::XzBytes;

std::string Gzip(const std::string& plain) {
  z_stream z{};
  EXPECT_EQ(
      deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  std::string out(deflateBound(&z, plain.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  z.avail_in = static_cast<uInt>(plain.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string Zstd(const std::string& plain) {
  std::string out(ZSTD_compressBound(plain.size()), '\0');
  size_t n =
      ZSTD_compress(out.data(), out.size(), plain.data(), plain.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::string ReadAll(ByteStream* in) {
  std::string out;
  char buf[1000];
  for (size_t n; (n = in->Read(buf, sizeof buf)) > 0;) out.append(buf, n);
  return out;
}

// Text of a few hundred KB, larger than the stream's buffers.
std::string LargeText() {
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += "line " + std::to_string(i) + " of the large text\n";
  }
  return text;
}

TEST(ByteStreamTest, PlainGzipAndZstdReadTheSameBytes) {
  const std::string text = LargeText();
  for (const auto& [bytes, compression] :
       std::vector<std::pair<std::string, Compression>>{
           {text, Compression::kNone},
           {Gzip(text), Compression::kGzip},
           {Zstd(text), Compression::kZstd}}) {
    std::unique_ptr<ByteStream> in = ByteStream::FromString(bytes);
    EXPECT_EQ(ReadAll(in.get()), text) << CompressionName(compression);
    EXPECT_EQ(in->compression(), compression);
    EXPECT_EQ(in->error(), "");
    EXPECT_EQ(in->position(), text.size());
    EXPECT_EQ(in->raw_bytes_read(), bytes.size());
  }
}

TEST(ByteStreamTest, ConcatenatedGzipMembersAndZstdFramesReadAsOne) {
  std::unique_ptr<ByteStream> gz =
      ByteStream::FromString(Gzip("first\n") + Gzip("second\n"));
  EXPECT_EQ(ReadAll(gz.get()), "first\nsecond\n");
  EXPECT_EQ(gz->error(), "");
  std::unique_ptr<ByteStream> zst =
      ByteStream::FromString(Zstd("first\n") + Zstd("second\n"));
  EXPECT_EQ(ReadAll(zst.get()), "first\nsecond\n");
  EXPECT_EQ(zst->error(), "");
}

TEST(ByteStreamTest, TruncatedGzipKeepsWhatCameBeforeAndSaysSo) {
  const std::string text = LargeText();
  const std::string gz = Gzip(text);
  std::unique_ptr<ByteStream> in =
      ByteStream::FromString(gz.substr(0, gz.size() / 2));
  std::string got = ReadAll(in.get());
  EXPECT_GT(got.size(), 0u);
  EXPECT_LT(got.size(), text.size());
  EXPECT_EQ(got, text.substr(0, got.size()));
  EXPECT_TRUE(in->error().starts_with("truncated gzip data after "))
      << in->error();
  EXPECT_NE(in->error().find("the file is cut short or damaged"),
            std::string::npos);
}

TEST(ByteStreamTest, DamagedGzipAndZstdAreErrors) {
  std::string gz = Gzip(LargeText());
  gz[gz.size() / 2] ^= 0x55;
  gz[gz.size() / 2 + 1] ^= 0x55;
  std::unique_ptr<ByteStream> a = ByteStream::FromString(gz);
  ReadAll(a.get());
  EXPECT_TRUE(a->error().starts_with("damaged gzip data (")) << a->error();

  std::string zst = Zstd(LargeText());
  std::unique_ptr<ByteStream> b =
      ByteStream::FromString(zst.substr(0, zst.size() - 7));
  ReadAll(b.get());
  EXPECT_TRUE(b->error().starts_with("truncated zstd data") ||
              b->error().starts_with("damaged zstd data"))
      << b->error();
}

TEST(ByteStreamTest, XzAndBzip2ReadTheSameBytesAsPlain) {
  const std::string text = LargeText();
  for (const auto& [bytes, compression] :
       std::vector<std::pair<std::string, Compression>>{
           {XzBytes(text), Compression::kXz},
           {Bzip2Bytes(text), Compression::kBzip2}}) {
    ASSERT_LT(bytes.size(), text.size() / 4);
    std::unique_ptr<ByteStream> in = ByteStream::FromString(bytes);
    EXPECT_EQ(ReadAll(in.get()), text) << CompressionName(compression);
    EXPECT_EQ(in->compression(), compression);
    EXPECT_EQ(in->error(), "");
    EXPECT_EQ(in->position(), text.size());
    EXPECT_EQ(in->raw_bytes_read(), bytes.size());
  }
  EXPECT_STREQ(CompressionName(Compression::kXz), "xz");
  EXPECT_STREQ(CompressionName(Compression::kBzip2), "bzip2");
}

TEST(ByteStreamTest, ConcatenatedXzAndBzip2StreamsReadAsOne) {
  // Streams larger than the buffers, so a stream ends inside a read.
  const std::string text = LargeText();
  const std::string half1 = text.substr(0, text.size() / 2);
  const std::string half2 = text.substr(text.size() / 2);
  // xz allows stream padding (zero bytes, a multiple of four) between.
  const std::string padding(8, '\0');
  for (const std::string& bytes :
       {XzBytes(half1) + XzBytes(half2) + XzBytes("tail\n"),
        XzBytes(half1) + padding + XzBytes(half2) + XzBytes("tail\n"),
        Bzip2Bytes(half1) + Bzip2Bytes(half2) + Bzip2Bytes("tail\n")}) {
    std::unique_ptr<ByteStream> in = ByteStream::FromString(bytes);
    EXPECT_EQ(ReadAll(in.get()), text + "tail\n")
        << CompressionName(in->compression());
    EXPECT_EQ(in->error(), "");
    EXPECT_EQ(in->raw_bytes_read(), bytes.size());
  }
}

TEST(ByteStreamTest, TruncatedXzAndBzip2KeepWhatCameBeforeAndSaySo) {
  // bzip2 decodes a whole block (900 kB of text) at a time: text of
  // several blocks, so the first ones are whole before the cut.
  std::string text;
  for (int i = 0; i < 5; ++i) text += LargeText();
  for (const auto& [bytes, name] :
       std::vector<std::pair<std::string, std::string>>{
           {XzBytes(text), "xz"}, {Bzip2Bytes(text), "bzip2"}}) {
    std::unique_ptr<ByteStream> in =
        ByteStream::FromString(bytes.substr(0, bytes.size() * 3 / 4));
    std::string got = ReadAll(in.get());
    EXPECT_GT(got.size(), 0u) << name;
    EXPECT_LT(got.size(), text.size()) << name;
    EXPECT_EQ(got, text.substr(0, got.size())) << name;
    EXPECT_TRUE(in->error().starts_with("truncated " + name + " data after "))
        << in->error();
    EXPECT_NE(in->error().find("the file is cut short or damaged"),
              std::string::npos);
    // Cut within the first bytes (the header): no text, the same error.
    std::unique_ptr<ByteStream> header =
        ByteStream::FromString(bytes.substr(0, 8));
    EXPECT_EQ(ReadAll(header.get()), "") << name;
    EXPECT_TRUE(
        header->error().starts_with("truncated " + name + " data after 0 "))
        << header->error();
  }
}

TEST(ByteStreamTest, ACorruptByteInXzOrBzip2IsAnErrorNotACrash) {
  const std::string text = LargeText();
  for (auto [bytes, name] : std::vector<std::pair<std::string, std::string>>{
           {XzBytes(text), "xz"}, {Bzip2Bytes(text), "bzip2"}}) {
    bytes[bytes.size() / 2] ^= 0x55;
    std::unique_ptr<ByteStream> in = ByteStream::FromString(bytes);
    std::string got = ReadAll(in.get());
    EXPECT_NE(got, text) << name;
    EXPECT_TRUE(in->error().starts_with("damaged " + name + " data ("))
        << in->error();
  }
  // Garbage after a whole stream is damage too, after the stream's text.
  const std::string garbage = "not a compressed stream at all\n";
  for (const auto& [bytes, name] :
       std::vector<std::pair<std::string, std::string>>{
           {XzBytes("whole\n") + garbage, "xz"},
           {Bzip2Bytes("whole\n") + garbage, "bzip2"}}) {
    std::unique_ptr<ByteStream> in = ByteStream::FromString(bytes);
    EXPECT_EQ(ReadAll(in.get()), "whole\n");
    EXPECT_TRUE(in->error().starts_with("damaged " + name + " data ("))
        << in->error();
  }
}

TEST(ByteStreamTest, BytesLikeAMagicButShorterOrOtherAreRead) {
  // "BZh" and a letter, "BZh" alone, the start of the xz magic: plain.
  for (const std::string& text :
       {std::string("BZhx is a word\n"), std::string("BZh"),
        std::string("\xFD"
                    "7zX")}) {
    std::unique_ptr<ByteStream> in = ByteStream::FromString(text);
    EXPECT_EQ(ReadAll(in.get()), text);
    EXPECT_EQ(in->compression(), Compression::kNone);
    EXPECT_EQ(in->error(), "");
  }
}

TEST(ByteStreamTest, PeekDoesNotConsume) {
  std::unique_ptr<ByteStream> in = ByteStream::FromString(Gzip("<rss>x</rss>"));
  EXPECT_EQ(in->Peek(4), "<rss");
  EXPECT_EQ(in->Peek(100), "<rss>x</rss>");
  EXPECT_EQ(ReadAll(in.get()), "<rss>x</rss>");
}

TEST(ByteStreamTest, HashIsOfTheRawBytesAndEqualsHashFile) {
  const std::string bytes = Gzip("a\nb\n");
  std::unique_ptr<ByteStream> in = ByteStream::FromString(bytes);
  ReadAll(in.get());
  const std::string path = ::testing::TempDir() + "/hash.gz";
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  Result<std::string> hash = HashFile(path);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(*hash, in->RawHashHex());
  EXPECT_EQ(hash->size(), 16u);
}

TEST(ByteStreamTest, MissingFileAndFolderAreRefused) {
  Result<std::unique_ptr<ByteStream>> missing =
      ByteStream::OpenFile("/nonexistent/x.jsonl");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            "cannot read: No such file or directory");
  Result<std::unique_ptr<ByteStream>> dir = ByteStream::OpenFile("/tmp");
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().message(),
            "not a regular file (a FIFO, socket or device): pass article "
            "files or folders only");
}

TEST(LineReaderTest, SkipsALineOverTheLimitWithoutHoldingIt) {
  std::string text =
      "\xEF\xBB\xBF"
      "short\r\n" +
      std::string(5000, 'x') + "\nafter\nlast without newline";
  std::unique_ptr<ByteStream> in = ByteStream::FromString(text);
  LineReader lines(in.get(), 100);
  std::string_view line;
  ASSERT_EQ(lines.Next(&line), LineReader::Result::kLine);
  EXPECT_EQ(line, "short");
  EXPECT_EQ(lines.line_number(), 1);
  ASSERT_EQ(lines.Next(&line), LineReader::Result::kTooLong);
  EXPECT_EQ(lines.line_number(), 2);
  EXPECT_EQ(lines.skipped_bytes(), 5000u);
  ASSERT_EQ(lines.Next(&line), LineReader::Result::kLine);
  EXPECT_EQ(line, "after");
  ASSERT_EQ(lines.Next(&line), LineReader::Result::kLine);
  EXPECT_EQ(line, "last without newline");
  EXPECT_EQ(lines.line_number(), 4);
  EXPECT_EQ(lines.Next(&line), LineReader::Result::kEnd);
}

std::vector<ReadItem> ReadJsonl(const std::string& bytes, size_t limit) {
  ReaderOptions options;
  options.path = "dump.jsonl";
  options.id_base = "dump";
  options.max_record_bytes = limit;
  std::unique_ptr<ArticleReader> reader =
      OpenJsonLinesReader(ByteStream::FromString(bytes), options);
  std::vector<ReadItem> items;
  ReadItem item;
  while (reader->Next(&item)) items.push_back(item);
  return items;
}

TEST(JsonLinesReaderTest, IdsAreTheRecordsOwnThenUrlThenContent) {
  std::vector<ReadItem> items = ReadJsonl(
      "{\"id\": \"b0000301\", \"title\": \"A\", \"url\": \"https://x.org/a\"}\n"
      "{\"title\": \"B\", \"url\": \"https://x.org/b\"}\n"
      "\n"
      "{\"title\": \"C\"}\n"
      "{\"id\": 42, \"title\": \"D\"}\n"
      "{\"id\": \"has space\", \"title\": \"E\"}\n",
      1 << 20);
  ASSERT_EQ(items.size(), 5u);
  std::vector<std::string> ids;
  for (const ReadItem& i : items) {
    ASSERT_EQ(i.kind, ReadItem::Kind::kArticle);
    ids.push_back(i.article.id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"b0000301", "https://x.org/b",
                                           ContentId(items[2].article), "42",
                                           "has_space"}));
  EXPECT_EQ(items[2].article.line, 4);
}

TEST(JsonLinesReaderTest, ALineOverTheLimitIsSkippedAloneWithItsLine) {
  std::string big = "{\"id\": \"big\", \"title\": \"Big\", \"body\": \"" +
                    std::string(3000, 'w') + "\"}";
  std::vector<ReadItem> items =
      ReadJsonl("{\"id\": \"a\", \"title\": \"A\"}\n" + big +
                    "\n{\"id\": \"c\", "
                    "\"title\": \"C\"}\n",
                1000);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].article.id, "a");
  ASSERT_EQ(items[1].kind, ReadItem::Kind::kError);
  EXPECT_EQ(items[1].error.ToString(),
            "dump.jsonl:2: error: line is 3,041 bytes, more than the limit "
            "of 1,000 bytes for one article: it is skipped; split it or "
            "shorten it");
  EXPECT_EQ(big.size(), 3041u);
  EXPECT_EQ(items[2].article.id, "c");
  EXPECT_EQ(items[2].article.line, 3);
}

TEST(JsonLinesReaderTest, ATruncatedGzipEndsWithOneErrorAfterTheGoodLines) {
  std::string text;
  for (int i = 1; i <= 3000; ++i) {
    text += "{\"id\": \"r" + std::to_string(i) + "\", \"title\": \"T " +
            std::to_string(i) + " of a fairly long title line\"}\n";
  }
  std::string gz = Gzip(text);
  std::vector<ReadItem> items = ReadJsonl(gz.substr(0, gz.size() / 2), 1 << 20);
  ASSERT_GE(items.size(), 2u);
  const ReadItem& last = items.back();
  ASSERT_EQ(last.kind, ReadItem::Kind::kError);
  EXPECT_NE(last.error.message.find("truncated gzip data"), std::string::npos);
  size_t articles = 0;
  for (const ReadItem& i : items) {
    if (i.kind == ReadItem::Kind::kArticle) ++articles;
    if (i.kind == ReadItem::Kind::kError && &i != &last) {
      // The cut line is an error of its own (invalid JSON), before it.
      EXPECT_NE(i.error.message.find("invalid JSON"), std::string::npos);
    }
  }
  EXPECT_GT(articles, 100u);
  EXPECT_LT(articles, 3000u);
  // The damage is reported on the line after the last one read.
  const ReadItem& before = items[items.size() - 2];
  const int before_line = before.kind == ReadItem::Kind::kArticle
                              ? before.article.line
                              : before.error.line;
  EXPECT_EQ(last.error.line, before_line + 1);
}

TEST(JsonLinesReaderTest, XzAndBzip2ReadLikePlainAndEndCutFilesWithOneError) {
  // Enough records for several bzip2 blocks (900 kB of text each).
  std::string text;
  const int kLines = 40000;
  for (int i = 1; i <= kLines; ++i) {
    text += "{\"id\": \"r" + std::to_string(i) + "\", \"title\": \"T " +
            std::to_string(i) + " of a fairly long title line\"}\n";
  }
  const std::vector<ReadItem> plain = ReadJsonl(text, 1 << 20);
  ASSERT_EQ(plain.size(), static_cast<size_t>(kLines));
  for (const auto& [bytes, name] :
       std::vector<std::pair<std::string, std::string>>{
           {XzBytes(text), "xz"}, {Bzip2Bytes(text), "bzip2"}}) {
    std::vector<ReadItem> whole = ReadJsonl(bytes, 1 << 20);
    ASSERT_EQ(whole.size(), plain.size()) << name;
    EXPECT_EQ(whole.back().article.id, "r" + std::to_string(kLines));

    std::vector<ReadItem> cut =
        ReadJsonl(bytes.substr(0, bytes.size() / 2), 1 << 20);
    ASSERT_GE(cut.size(), 2u) << name;
    size_t articles = 0, errors = 0;
    for (const ReadItem& i : cut) {
      if (i.kind == ReadItem::Kind::kArticle) ++articles;
      if (i.kind == ReadItem::Kind::kError) ++errors;
    }
    const ReadItem& last = cut.back();
    ASSERT_EQ(last.kind, ReadItem::Kind::kError) << name;
    EXPECT_NE(last.error.message.find("truncated " + name + " data after "),
              std::string::npos)
        << last.error.message;
    EXPECT_GT(articles, 1000u) << name;
    EXPECT_LT(articles, static_cast<size_t>(kLines)) << name;
    // The truncation, and at most the cut line as invalid JSON before it.
    EXPECT_LE(errors, 2u) << name;
  }
}

TEST(FormatsTest, NamesCompressionAndSniffing) {
  EXPECT_STREQ(FormatForFileName("a/b/dump.jsonl.gz")->name, "jsonl");
  EXPECT_STREQ(FormatForFileName("x.ndjson.zst")->name, "jsonl");
  EXPECT_STREQ(FormatForFileName("a/b/dump.jsonl.xz")->name, "jsonl");
  EXPECT_STREQ(FormatForFileName("news.CSV.BZ2")->name, "csv");
  EXPECT_STREQ(FormatForFileName("news.tsv.bzip2")->name, "tsv");
  EXPECT_STREQ(FormatForFileName("crawl.warc.xz")->name, "warc");
  // Archives stay archives, however compressed.
  for (const char* name :
       {"x.tar.xz", "x.tar.bz2", "x.txz", "x.tbz2", "x.tbz", "x.tgz"}) {
    EXPECT_STREQ(FormatForFileName(name)->name, "archive") << name;
  }
  EXPECT_EQ(FormatForFileName("x.xz"), nullptr);
  EXPECT_EQ(FormatForFileName("x.bz2"), nullptr);
  EXPECT_NE(ExtensionList().find(".xz or .bz2 after it"), std::string::npos);
  EXPECT_STREQ(FormatForFileName("Post.MD")->name, "markdown");
  EXPECT_EQ(FormatForFileName("readme.jsonl"), nullptr);
  EXPECT_EQ(FormatForFileName("x.gz"), nullptr);
  EXPECT_EQ(FormatForFileName("x.pdf"), nullptr);
  EXPECT_NE(ExtensionList().find(".jsonl"), std::string::npos);
  for (const Format& f : Formats()) {
    EXPECT_EQ(FormatByName(f.name), &f);
    for (std::string_view e : f.extensions) {
      EXPECT_EQ(FormatForFileName("x." + std::string(e)), &f) << e;
    }
  }
}

TEST(RecordIdTest, OwnIdThenUrlThenPathThenContent) {
  Article a;
  a.title = "Grain prices";
  a.body = {{Block::Kind::kParagraph, "Prices rose."}};
  a.url = "https://u";
  EXPECT_EQ(RecordId("abc", a, "p"), "abc");
  EXPECT_EQ(RecordId("a b\tc", a, ""), "a_b_c");
  EXPECT_EQ(RecordId("", a, "p"), "https://u");
  a.url.clear();
  EXPECT_EQ(RecordId("", a, "globe/p"), "globe/p");
  EXPECT_EQ(RecordId("", a, ""), ContentId(a));
}

// A record of a file of many without an id or url: its id is its content's,
// wherever it stands.
TEST(RecordIdTest, ContentIdsDependOnContentNotPlace) {
  Article a;
  a.title = "Grain prices";
  a.authors = {"Ana Lima"};
  a.date = "2020-01-02";
  a.body = {{Block::Kind::kParagraph, "Prices rose."}};
  const std::string id = ContentId(a);
  ASSERT_EQ(id.size(), 16u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  Article moved = a;
  moved.path = "other/file.jsonl";
  moved.line = 4000;
  EXPECT_EQ(ContentId(moved), id);
  // Any field read changes it.
  std::vector<Article> changed(6, a);
  changed[0].title = "Grain prices.";
  changed[1].authors = {"Ana Lima", "Bo Chen"};
  changed[2].date = "2020-01-03";
  changed[3].body[0].text = "Prices fell.";
  changed[4].body[0].kind = Block::Kind::kHeading;
  changed[5].themes = {"Food"};
  std::set<std::string> ids = {id};
  for (const Article& c : changed) ids.insert(ContentId(c));
  EXPECT_EQ(ids.size(), 7u);
  // Fields are length-prefixed: moving text between title and body is
  // another article.
  Article x;
  x.title = "ab";
  x.body = {{Block::Kind::kParagraph, "c"}};
  Article y;
  y.title = "a";
  y.body = {{Block::Kind::kParagraph, "bc"}};
  EXPECT_NE(ContentId(x), ContentId(y));
}

TEST(PathIdBaseTest, ACompressedCopyHasTheIdsOfThePlainFile) {
  EXPECT_EQ(PathIdBase("wire/d.jsonl"), "wire/d");
  for (const char* name :
       {"wire/d.jsonl.gz", "wire/d.jsonl.zst", "wire/d.jsonl.xz",
        "wire/d.jsonl.bz2", "wire/d.jsonl.bzip2", "wire/d.jsonl.XZ"}) {
    EXPECT_EQ(PathIdBase(name), "wire/d") << name;
  }
  EXPECT_EQ(PathIdBase("Daily Briefs.csv.bz2"), "Daily_Briefs");
}

// Reads `path` as OpenInput does, with the ids PathIdBase gives its name.
std::vector<ReadItem> ReadFileInput(const std::string& path,
                                    const std::string& name) {
  ReaderOptions options;
  options.path = name;
  options.id_base = PathIdBase(name);
  Result<OpenedInput> opened = OpenInput(path, nullptr, options);
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  std::vector<ReadItem> items;
  if (!opened.ok() || opened->reader == nullptr) return items;
  ReadItem item;
  while (opened->reader->Next(&item)) items.push_back(item);
  return items;
}

TEST(CompressedFileTest, IdsAndArticlesAreThoseOfThePlainFileWhateverTheName) {
  // Records without ids of their own: the ids of their content, whatever
  // the name.
  const std::string text =
      "{\"title\": \"One\", \"body\": \"First.\"}\n"
      "{\"title\": \"Two\", \"body\": \"Second.\"}\n";
  const std::string dir = ::testing::TempDir();
  const std::vector<std::pair<std::string, std::string>> files = {
      {"d.jsonl", text},
      {"d.jsonl.xz", XzBytes(text)},
      {"d.jsonl.bz2", Bzip2Bytes(text)},
      // Named compressed, but plain: the first bytes decide.
      {"d.jsonl.xz", text},
      {"d.jsonl.bz2", text},
      // Named plain, but compressed.
      {"d.jsonl", Bzip2Bytes(text)},
  };
  testing::WriteFile(dir + "/plain.jsonl", text);
  const std::vector<ReadItem> plain =
      ReadFileInput(dir + "/plain.jsonl", "plain.jsonl");
  ASSERT_EQ(plain.size(), 2u);
  for (const auto& [name, bytes] : files) {
    SCOPED_TRACE(name + " of " + std::to_string(bytes.size()) + " bytes");
    testing::WriteFile(dir + "/" + name, bytes);
    std::vector<ReadItem> items = ReadFileInput(dir + "/" + name, name);
    ASSERT_EQ(items.size(), 2u);
    for (const ReadItem& i : items) {
      ASSERT_EQ(i.kind, ReadItem::Kind::kArticle) << i.error.message;
    }
    EXPECT_EQ(testing::IdOrContent(items[0].article), "(content)");
    EXPECT_EQ(items[0].article.id, plain[0].article.id);
    EXPECT_EQ(items[1].article.id, plain[1].article.id);
    EXPECT_EQ(items[1].article.title, "Two");
  }
  // A file of one article: the id its name gives, compressed or not.
  const std::string story = "Grain and ports\n\nThe harbour reopened.\n";
  for (const auto& [name, bytes] :
       std::vector<std::pair<std::string, std::string>>{
           {"story.txt", story},
           {"story.txt.xz", XzBytes(story)},
           {"story.txt.bz2", Bzip2Bytes(story)}}) {
    testing::WriteFile(dir + "/" + name, bytes);
    std::vector<ReadItem> items = ReadFileInput(dir + "/" + name, name);
    ASSERT_EQ(items.size(), 1u) << name;
    EXPECT_EQ(items[0].article.id, "story") << name;
    EXPECT_EQ(items[0].article.title, "Grain and ports") << name;
  }
}

}  // namespace
}  // namespace pundit::readers
