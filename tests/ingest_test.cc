// Real corpora in, through the real binary: one file of any size, gzip,
// zstd, xz and bzip2, standard input, ids that belong to records wherever they
// are read from, a record over the limit refused alone, duplicate ids named
// with both places, no file passed over without a word, and no article dated
// outside the plausible range in any format.
#include <gtest/gtest.h>
#include <xapian.h>
#include <zlib.h>
#include <zstd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/parsers.h"
#include "core/schema.h"
#include "core/store.h"
#include "tests/test_util.h"

namespace pundit {
namespace {

using testing::CommandResult;
using testing::PunditBinary;
using testing::RunCommand;
using testing::TempDir;
using testing::WriteFile;

constexpr int kRecords = 600;

std::string Record(int i) {
  nlohmann::json j;
  j["id"] = "b" + std::to_string(1000000 + i);
  j["title"] = "Record " + std::to_string(i) + " on grain and ports";
  j["author"] = i % 2 ? "Ana Lima" : "Tom Berg";
  j["date"] = "2019-03-" + std::to_string(10 + i % 18);
  j["body"] = "Paragraph one of record " + std::to_string(i) +
              ".\n\nParagraph two about harbours.";
  return j.dump();
}

std::string Records(int from, int to) {
  std::string out;
  for (int i = from; i < to; ++i) out += Record(i) + "\n";
  return out;
}

std::string GzipBytes(const std::string& plain) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, plain.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  z.avail_in = static_cast<uInt>(plain.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string ZstdBytes(const std::string& plain) {
  std::string out(ZSTD_compressBound(plain.size()), '\0');
  out.resize(
      ZSTD_compress(out.data(), out.size(), plain.data(), plain.size(), 3));
  return out;
}

CommandResult Index(const std::string& db, std::vector<std::string> inputs,
                    const std::string& extra = "") {
  std::vector<std::string> argv = {PunditBinary(), "index", "--db", db};
  if (!extra.empty()) argv.push_back(extra);
  for (std::string& i : inputs) argv.push_back(std::move(i));
  return RunCommand(argv);
}

std::set<std::string> ExpectedIds() {
  std::set<std::string> ids;
  for (int i = 0; i < kRecords; ++i)
    ids.insert("b" + std::to_string(1000000 + i));
  return ids;
}

TEST(IngestTest, TheSameRecordsHaveTheSameIdsPlainCompressedSplitAndPiped) {
  TempDir dir;
  const std::string all = Records(0, kRecords);
  std::filesystem::create_directories(dir.Sub("split/a"));
  std::filesystem::create_directories(dir.Sub("split/b"));
  WriteFile(dir.Sub("dump.jsonl"), all);
  WriteFile(dir.Sub("dump.jsonl.gz"), GzipBytes(all));
  WriteFile(dir.Sub("dump.jsonl.zst"), ZstdBytes(all));
  WriteFile(dir.Sub("dump.jsonl.xz"), testing::XzBytes(all));
  WriteFile(dir.Sub("dump.jsonl.bz2"), testing::Bzip2Bytes(all));
  WriteFile(dir.Sub("split/a/part-0001.jsonl"), Records(0, 250));
  WriteFile(dir.Sub("split/b/part-0002.ndjson"), Records(250, kRecords));
  // The same records as one JSON array, an element a line.
  std::string array = "[";
  for (size_t at = 0, end; (end = all.find('\n', at)) != std::string::npos;
       at = end + 1) {
    array += (at == 0 ? "\n" : ",\n") + all.substr(at, end - at);
  }
  array += "\n]\n";
  WriteFile(dir.Sub("records.json.gz"), GzipBytes(array));

  for (const std::string& input :
       {dir.Sub("dump.jsonl"), dir.Sub("dump.jsonl.gz"),
        dir.Sub("dump.jsonl.zst"), dir.Sub("dump.jsonl.xz"),
        dir.Sub("dump.jsonl.bz2"), dir.Sub("split"),
        dir.Sub("records.json.gz")}) {
    // A fresh index for each input (names of one length are not one input).
    const std::string db =
        dir.Sub("db-" + std::filesystem::path(input).filename().string());
    CommandResult r = Index(db, {input});
    EXPECT_EQ(r.exit_code, 0) << input << "\n" << r.err;
    EXPECT_NE(r.out.find("indexed 600,"), std::string::npos) << r.out;
    EXPECT_EQ(testing::IndexedIds(db), ExpectedIds()) << input;
  }
  // Standard input, compressed as it comes.
  const std::string db = dir.Sub("db-stdin");
  CommandResult piped =
      RunCommand({"/bin/sh", "-c", "\"$0\" index --db \"$1\" - < \"$2\"",
                  PunditBinary(), db, dir.Sub("dump.jsonl.gz")});
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_NE(piped.out.find("read jsonl 600 articles in 1 file"),
            std::string::npos)
      << piped.out;
  EXPECT_EQ(testing::IndexedIds(db), ExpectedIds());
  // Standard input adds to an index and deletes nothing it did not send.
  CommandResult more = RunCommand(
      {"/bin/sh", "-c", "printf '%s\\n' \"$2\" | \"$0\" index --db \"$1\" -",
       PunditBinary(), db, R"({"id": "extra-1", "title": "One more"})"});
  EXPECT_EQ(more.exit_code, 0) << more.err;
  EXPECT_NE(more.out.find("indexed 1, updated 0, deleted 0,"),
            std::string::npos)
      << more.out;
  EXPECT_EQ(testing::IndexedIds(db).size(), static_cast<size_t>(kRecords + 1));
}

TEST(IngestTest, RenamingOrSplittingADumpKeepsEveryIdAndRewritesNothing) {
  TempDir dir;
  std::filesystem::create_directories(dir.Sub("in"));
  WriteFile(dir.Sub("in/dump.jsonl"), Records(0, kRecords));
  const std::string db = dir.Sub("db");
  ASSERT_EQ(Index(db, {dir.Sub("in")}).exit_code, 0);
  std::filesystem::remove(dir.Sub("in/dump.jsonl"));
  WriteFile(dir.Sub("in/part-1.jsonl"), Records(0, 300));
  WriteFile(dir.Sub("in/part-2.jsonl.gz"), GzipBytes(Records(300, kRecords)));
  CommandResult r = Index(db, {dir.Sub("in")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("indexed 0, updated 0, deleted 0, unchanged 600,"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(testing::IndexedIds(db), ExpectedIds());
}

// A CSV row (or JSON record) with neither an id nor a url: the id of its
// content, so rows inserted above it, a dump sorted another way, or the same
// records piped as JSON Lines change no id and rewrite nothing.
TEST(IngestTest, RecordsWithoutIdsKeepTheirIdsWhenRowsMoveOrArePiped) {
  TempDir dir;
  std::filesystem::create_directories(dir.Sub("in"));
  auto row = [](int i) {
    return "\"Record " + std::to_string(i) + ", on grain\",Ana Lima,2019-03-" +
           std::to_string(10 + i % 18) + ",\"Paragraph of record " +
           std::to_string(i) + ".\"\n";
  };
  const std::string header = "title,author,date,body\n";
  std::string rows = header;
  for (int i = 0; i < kRecords; ++i) rows += row(i);
  WriteFile(dir.Sub("in/news.csv"), rows);
  const std::string db = dir.Sub("db");
  CommandResult r = Index(db, {dir.Sub("in")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::set<std::string> before = testing::IndexedIds(db);
  ASSERT_EQ(before.size(), static_cast<size_t>(kRecords));
  // A new edition: two rows inserted at the top, one in the middle, and
  // the rest in reverse order.
  std::string next = header + row(1001) + row(1002);
  for (int i = kRecords - 1; i >= 0; --i) {
    next += row(i);
    if (i == 300) next += row(1003);
  }
  WriteFile(dir.Sub("in/news.csv"), next);
  r = Index(db, {dir.Sub("in")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("indexed 3, updated 0, deleted 0, unchanged 600,"),
            std::string::npos)
      << r.out;
  std::set<std::string> after = testing::IndexedIds(db);
  EXPECT_EQ(after.size(), static_cast<size_t>(kRecords + 3));
  for (const std::string& id : before) EXPECT_TRUE(after.contains(id)) << id;
  // A row edited is another article: the old one goes.
  std::string edited = next;
  const std::string old_row = row(7);
  edited.replace(edited.find(old_row), old_row.size(),
                 "\"Record 7, on grain\",Ana Lima,2019-03-17,\"Revised.\"\n");
  WriteFile(dir.Sub("in/news.csv"), edited);
  r = Index(db, {dir.Sub("in")});
  EXPECT_NE(r.out.find("indexed 1, updated 0, deleted 1, unchanged 602,"),
            std::string::npos)
      << r.out << r.err;
  // The same records as JSON Lines from standard input: the same ids.
  std::string jsonl;
  for (int i = 0; i < kRecords; ++i) {
    nlohmann::json j;
    j["title"] = "Record " + std::to_string(i) + ", on grain";
    j["author"] = "Ana Lima";
    j["date"] = "2019-03-" + std::to_string(10 + i % 18);
    j["body"] = "Paragraph of record " + std::to_string(i) + ".";
    jsonl += j.dump() + "\n";
  }
  WriteFile(dir.Sub("records.jsonl"), jsonl);
  const std::string piped_db = dir.Sub("db-piped");
  CommandResult piped =
      RunCommand({"/bin/sh", "-c", "\"$0\" index --db \"$1\" - < \"$2\"",
                  PunditBinary(), piped_db, dir.Sub("records.jsonl")});
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(testing::IndexedIds(piped_db), before);
}

// An index written when such records were named by their line ("news:2"):
// the next incremental run reads every file again and renames them, and
// leaves the rest unchanged.
TEST(IngestTest, AnIndexOfLineIdsIsRenamedByTheNextRun) {
  TempDir dir;
  std::filesystem::create_directories(dir.Sub("in"));
  WriteFile(dir.Sub("in/news.csv"), "title,body\nA view,Harbours.\nB,Ports.\n");
  const std::string db = dir.Sub("db");
  ASSERT_EQ(Index(db, {dir.Sub("in")}).exit_code, 0);
  const std::set<std::string> ids = testing::IndexedIds(db);
  ASSERT_EQ(ids.size(), 2u);
  {
    // Back to the old scheme: the first row named by its line.
    Result<std::string> live = store::LiveGenerationPath(db);
    ASSERT_TRUE(live.ok());
    Xapian::WritableDatabase w(*live, Xapian::DB_OPEN);
    const std::string old_id = *ids.begin();
    const std::string q = std::string(schema::kIdPrefix) + old_id;
    Xapian::PostingIterator p = w.postlist_begin(q);
    ASSERT_NE(p, w.postlist_end(q));
    Xapian::Document doc = w.get_document(*p);
    doc.remove_term(q);
    doc.add_boolean_term(std::string(schema::kIdPrefix) + "news:2");
    nlohmann::json data = nlohmann::json::parse(doc.get_data());
    data["id"] = "news:2";
    doc.set_data(data.dump());
    w.replace_document(*p, doc);
    w.set_metadata(std::string(schema::kIdsKey), "");
    w.commit();
  }
  ASSERT_TRUE(testing::IndexedIds(db).contains("news:2"));
  CommandResult r = Index(db, {dir.Sub("in")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("indexed 1, updated 0, deleted 1, unchanged 1,"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(testing::IndexedIds(db), ids);
  // Renamed once: the next run reads nothing.
  r = Index(db, {dir.Sub("in")});
  EXPECT_NE(r.out.find("indexed 0, updated 0, deleted 0, unchanged 2,"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("read csv"), std::string::npos) << r.out;
}

TEST(IngestTest, ARecordOverTheLimitIsRefusedAloneWithItsPlace) {
  TempDir dir;
  // 40 MB in one line, between two good ones.
  std::string big = R"({"id": "huge", "title": "Huge", "body": ")" +
                    std::string(40u << 20, 'x') + "\"}";
  WriteFile(dir.Sub("mixed.jsonl"),
            Record(1) + "\n" + big + "\n" + Record(2) + "\n");
  big.clear();
  big.shrink_to_fit();
  CommandResult r = Index(dir.Sub("db"), {dir.Sub("mixed.jsonl")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(dir.Sub("mixed.jsonl") +
                       ":2: error: line is 41,943,083 bytes, more than the "
                       "limit of 16,777,216 bytes for one article: it is "
                       "skipped; split it or shorten it"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("indexed 2,"), std::string::npos) << r.out;
  EXPECT_EQ(testing::IndexedIds(dir.Sub("db")),
            (std::set<std::string>{"b1000001", "b1000002"}));
}

TEST(IngestTest, TwoRecordsClaimingOneIdAreAnErrorNamingBothPlaces) {
  TempDir dir;
  WriteFile(dir.Sub("a.jsonl"), R"({"id": "x1", "title": "First"})"
                                "\n"
                                R"({"id": "x2", "title": "Two"})"
                                "\n");
  WriteFile(dir.Sub("b.jsonl"), R"({"id": "x2", "title": "Two"})"
                                "\n"
                                R"({"id": "x1", "title": "Other"})"
                                "\n");
  for (const char* mode : {"--full", ""}) {
    const std::string db = dir.Sub(std::string("db") + mode);
    if (*mode == '\0') {
      // Incremental: a.jsonl first, then both.
      ASSERT_EQ(Index(db, {dir.Sub("a.jsonl")}).exit_code, 0);
    }
    CommandResult r = Index(db, {dir.Sub("a.jsonl"), dir.Sub("b.jsonl")}, mode);
    EXPECT_EQ(r.exit_code, 2) << mode << r.err;
    EXPECT_NE(r.err.find(dir.Sub("b.jsonl") +
                         ":2: error: duplicate id \"x1\": already used by " +
                         dir.Sub("a.jsonl") +
                         ":1 for another article; give one of them another "
                         "id"),
              std::string::npos)
        << mode << r.err;
    // The same record read twice is kept once, with a note.
    EXPECT_NE(r.err.find(dir.Sub("b.jsonl") +
                         ": note: 1 article is a copy (same id, same "
                         "content) of one read before, indexed once"),
              std::string::npos)
        << mode << r.err;
    EXPECT_EQ(testing::IndexedIds(db), (std::set<std::string>{"x1", "x2"}));
  }
}

TEST(IngestTest, NoFileIsPassedOverWithoutAWord) {
  TempDir dir;
  std::filesystem::create_directories(dir.Sub("in"));
  WriteFile(dir.Sub("in/a.jsonl"), Record(1) + "\n");
  WriteFile(dir.Sub("in/notes.pdf"), "%PDF-1.4");
  WriteFile(dir.Sub("in/README.md"), "# About\n");
  CommandResult r = Index(dir.Sub("db"), {"--json", dir.Sub("in")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(dir.Sub("in/notes.pdf") +
                       ": note: not an article file, passed over"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(dir.Sub("in/README.md") + ": note: "),
            std::string::npos);
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["passed_over"], 2);
  EXPECT_EQ(j["formats"]["jsonl"]["files"], 1);
  EXPECT_EQ(j["formats"]["jsonl"]["articles"], 1);
  // A file named on the command line that pundit cannot read is an error.
  CommandResult named = Index(dir.Sub("db"), {dir.Sub("in/notes.pdf")});
  EXPECT_EQ(named.exit_code, 2);
  EXPECT_NE(named.err.find(dir.Sub("in/notes.pdf") +
                           ":1: error: not an article file: pundit reads"),
            std::string::npos)
      << named.err;
  // A compressed file that is damaged keeps the records before the damage.
  std::string gz = GzipBytes(Records(0, kRecords));
  WriteFile(dir.Sub("cut.jsonl.gz"), gz.substr(0, gz.size() / 2));
  CommandResult cut = Index(dir.Sub("db2"), {dir.Sub("cut.jsonl.gz")});
  EXPECT_EQ(cut.exit_code, 2);
  EXPECT_NE(cut.err.find("error: truncated gzip data after "),
            std::string::npos)
      << cut.err;
  EXPECT_GT(testing::IndexedIds(dir.Sub("db2")).size(), 100u);
}

// A .csv.bz2, as public datasets come, is read by the format under the
// compression; a cut .jsonl.xz keeps what came before it and says so.
TEST(IngestTest, BzipAndXzDatasetsAreReadAndACutOneSaysSo) {
  TempDir dir;
  std::string csv = "id,title,author,date,body\n";
  for (int i = 0; i < kRecords; ++i) {
    csv += "b" + std::to_string(1000000 + i) + ",Record " + std::to_string(i) +
           " on grain,Ana Lima,2019-03-1" + std::to_string(i % 10) +
           ",\"Paragraph one, of record " + std::to_string(i) + ".\"\n";
  }
  WriteFile(dir.Sub("news.csv.bz2"), testing::Bzip2Bytes(csv));
  CommandResult r = Index(dir.Sub("db"), {dir.Sub("news.csv.bz2")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("indexed 600,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("csv 600 articles in 1 file"), std::string::npos)
      << r.out;
  EXPECT_EQ(testing::IndexedIds(dir.Sub("db")), ExpectedIds());

  const std::string xz = testing::XzBytes(Records(0, kRecords));
  WriteFile(dir.Sub("cut.jsonl.xz"), xz.substr(0, xz.size() / 2));
  CommandResult cut = Index(dir.Sub("db2"), {dir.Sub("cut.jsonl.xz")});
  EXPECT_EQ(cut.exit_code, 2);
  EXPECT_NE(cut.err.find("error: truncated xz data after "), std::string::npos)
      << cut.err;
  EXPECT_GT(testing::IndexedIds(dir.Sub("db2")).size(), 100u);
  EXPECT_LT(testing::IndexedIds(dir.Sub("db2")).size(),
            static_cast<size_t>(kRecords));
}

// A date outside 1800-01-01..(next year)-12-31 skips its article, whatever
// the format, with one error line at its place; the rest is indexed.
TEST(IngestTest, DatesOutsideThePlausibleRangeAreSkippedInEveryFormat) {
  TempDir dir;
  const int latest = LatestArticleYear();
  const std::string last = std::to_string(latest);
  const std::string range = "1800-01-01.." + last + "-12-31";
  auto outside = [&](const std::string& date) {
    return "date " + date + " is outside " + range +
           "; fix the date or leave it out";
  };
  WriteFile(dir.Sub("in/wire.jsonl"),
            R"({"id": "j1", "title": "Fine", "date": "2019-03-04"})"
            "\n"
            R"({"id": "j2", "title": "Zero", "date": "0001-01-01"})"
            "\n"
            R"({"id": "j3", "title": "Early", "date": "1799-12-31"})"
            "\n"
            R"({"id": "j4", "title": "First day", "date": "1800-01-01"})"
            "\n"
            R"({"id": "j5", "title": "Last day", "date": ")" +
                last + R"(-12-31"})" + "\n" +
                R"({"id": "j6", "title": "Ahead", "date": ")" +
                std::to_string(latest + 1) + R"(-01-01T00:00:00Z"})" + "\n" +
                R"({"id": "j7", "title": "Undated"})" + "\n");
  WriteFile(dir.Sub("in/far.md"),
            "---\ntitle: Far ahead\nid: m1\ndate: 9999-12-31\n---\n\nBody.\n");
  WriteFile(dir.Sub("in/near.md"),
            "---\ntitle: Near\nid: m2\ndate: 2019-03-04\n---\n\nBody.\n");
  WriteFile(dir.Sub("in/news.csv"),
            "id,title,date,content\n"
            "c1,Good row,2016-12-31,Text one.\n"
            "c2,Bad row,0001-01-01T00:00:00Z,Text two.\n");
  WriteFile(dir.Sub("in/feed.rss"),
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n"
            "<item><guid>f1</guid><title>Old item</title>"
            "<pubDate>Mon, 01 Jan 0001 00:00:00 +0000</pubDate>"
            "<description>Text.</description></item>\n"
            "<item><guid>f2</guid><title>New item</title>"
            "<pubDate>Tue, 05 Mar 2019 08:00:00 +0000</pubDate>"
            "<description>Text.</description></item>\n"
            "</channel></rss>\n");
  CommandResult r = Index(dir.Sub("db"), {dir.Sub("in")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const std::vector<std::string> lines = {
      dir.Sub("in/far.md") + ":1: error: " + outside("9999-12-31"),
      dir.Sub("in/feed.rss") + ":3: error: " + outside("0001-01-01"),
      dir.Sub("in/news.csv") + ":3: error: " + outside("0001-01-01"),
      dir.Sub("in/wire.jsonl") + ":2: error: " + outside("0001-01-01"),
      dir.Sub("in/wire.jsonl") + ":3: error: " + outside("1799-12-31"),
      dir.Sub("in/wire.jsonl") +
          ":6: error: " + outside(std::to_string(latest + 1) + "-01-01"),
  };
  std::string want;
  for (const std::string& line : lines) want += line + "\n";
  EXPECT_EQ(r.err, want);
  EXPECT_TRUE(
      r.out.starts_with("indexed 7, updated 0, deleted 0, "
                        "unchanged 0, skipped 6 in "))
      << r.out;
  EXPECT_EQ(testing::IndexedIds(dir.Sub("db")),
            (std::set<std::string>{"j1", "j4", "j5", "j7", "m2", "c1", "f2"}));
}

long Total(const std::string& db, const std::string& query) {
  CommandResult r =
      RunCommand({PunditBinary(), "search", "--db", db, "--json", query});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out)["total"].get<long>();
}

// Saved pages, feeds, web archives and CSV in one folder, through the
// binary: each format's articles are found, a site's menus and footers are
// not, and the summary counts each format.
TEST(IngestTest, EveryFormatInOneFolderAndNoPageChromeIsFound) {
  TempDir dir;
  std::filesystem::copy(testing::TestData("readers"), dir.Sub("in"),
                        std::filesystem::copy_options::recursive);
  // Only the well-formed files: the hostile ones have tests of their own.
  std::filesystem::remove(dir.Sub("in/feed/broken.rss"));
  std::filesystem::remove(dir.Sub("in/feed/xxe.rss"));
  std::filesystem::remove(dir.Sub("in/warc/hostile.warc"));
  WriteFile(dir.Sub("in/warc/sample.warc.gz"),
            GzipBytes(testing::ReadFile(dir.Sub("in/warc/sample.warc"))));
  std::filesystem::remove(dir.Sub("in/warc/sample.warc"));
  WriteFile(dir.Sub("in/sitemap.xml"), "<?xml version=\"1.0\"?><urlset/>\n");
  const std::string db = dir.Sub("db");
  CommandResult r = Index(db, {"--json", dir.Sub("in")});
  nlohmann::json j = nlohmann::json::parse(r.out);
  for (const char* format : {"csv", "tsv", "html", "feed", "warc"}) {
    EXPECT_GT(j["formats"][format]["articles"].get<long>(), 0) << format;
  }
  EXPECT_EQ(j["passed_over"], 1) << r.err;  // sitemap.xml
  EXPECT_NE(r.err.find(dir.Sub("in/sitemap.xml") +
                       ": note: not a feed (its first element is not one), "
                       "passed over"),
            std::string::npos)
      << r.err;
  // rss.xml holds one item with neither title nor text, on purpose.
  EXPECT_EQ(j["skipped"], 1) << r.err;
  // Words that stand only in the pages' navigation, header, footer, aside,
  // forms, scripts and styles.
  for (const char* chrome :
       {"Quokkaheader", "Zanzibarnav", "Narwhalform", "Marmaladeaside",
        "Xylophonefooter", "Platypusscript", "Wombatstyle"}) {
    EXPECT_EQ(Total(db, chrome), 0) << chrome;
  }
  EXPECT_GT(Total(db, "zoning"), 0);
}

}  // namespace
}  // namespace pundit
