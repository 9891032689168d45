// Archives (core/readers/archive_reader.h) and plain text files
// (core/readers/plain_text.h): a dataset indexed as it is downloaded, a zip
// or a tar of any compression holding article files of any format, read
// member by member with the paths and ids of the unpacked files; and the
// plain .txt stories such collections hold.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/readers/archive_reader.h"
#include "core/readers/byte_stream.h"
#include "core/readers/formats.h"
#include "core/readers/markdown_reader.h"
#include "core/schema.h"
#include "core/store.h"
#include "tests/test_util.h"

namespace pundit::readers {
namespace {

using testing::CommandResult;
using testing::Paragraphs;
using testing::PunditBinary;
using testing::RunCommand;
using testing::TempDir;
using testing::TestData;
using testing::WriteFile;

using Strings = std::vector<std::string>;
using namespace std::string_literals;

struct Member {
  std::string name;
  std::string bytes;
  mode_t type = AE_IFREG;  // AE_IFDIR for a folder, AE_IFLNK for a link
};

// Writes `members` as an archive of `format` ("zip", "tar") through
// `filter` ("", "gzip", "xz", "bzip2", "zstd"), as the tools people
// download from write them. `password`: zip members encrypted with it.
void WriteArchive(const std::string& path, const std::string& format,
                  const std::string& filter, const std::vector<Member>& members,
                  const std::string& password = "") {
  struct archive* a = archive_write_new();
  ASSERT_NE(a, nullptr);
  if (format == "zip") {
    ASSERT_EQ(archive_write_set_format_zip(a), ARCHIVE_OK);
    if (!password.empty()) {
      ASSERT_EQ(archive_write_set_options(a, "zip:encryption=zipcrypt"),
                ARCHIVE_OK)
          << archive_error_string(a);
      ASSERT_EQ(archive_write_set_passphrase(a, password.c_str()), ARCHIVE_OK);
    }
  } else {
    ASSERT_EQ(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
  }
  if (filter == "gzip") archive_write_add_filter_gzip(a);
  if (filter == "xz") archive_write_add_filter_xz(a);
  if (filter == "bzip2") archive_write_add_filter_bzip2(a);
  if (filter == "zstd") archive_write_add_filter_zstd(a);
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK)
      << archive_error_string(a);
  for (const Member& m : members) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_filetype(e, m.type);
    archive_entry_set_perm(e, m.type == AE_IFDIR ? 0755 : 0644);
    if (m.type == AE_IFLNK) archive_entry_set_symlink(e, m.bytes.c_str());
    archive_entry_set_size(
        e, m.type == AE_IFREG ? static_cast<la_int64_t>(m.bytes.size()) : 0);
    ASSERT_EQ(archive_write_header(a, e), ARCHIVE_OK)
        << archive_error_string(a);
    if (m.type == AE_IFREG && !m.bytes.empty()) {
      ASSERT_EQ(archive_write_data(a, m.bytes.data(), m.bytes.size()),
                static_cast<la_ssize_t>(m.bytes.size()));
    }
    archive_entry_free(e);
  }
  ASSERT_EQ(archive_write_close(a), ARCHIVE_OK);
  archive_write_free(a);
}

struct Read {
  std::vector<Article> articles;
  Strings ids;
  Strings paths;  // Article::path:line
  Strings errors;
  Strings notices;
  InnerFiles inner;
};

// Reads `path` as pundit index does, with the path-scheme id base of a
// file at `relative` below the indexed folder.
Read ReadInput(const std::string& path, const std::string& display,
               const std::string& relative) {
  Read out;
  ReaderOptions options;
  options.path = display;
  options.id_base = PathIdBase(relative);
  Result<OpenedInput> opened = OpenInput(path, nullptr, options);
  EXPECT_TRUE(opened.ok()) << opened.status().message();
  if (!opened.ok()) return out;
  ReadItem item;
  while (opened->reader->Next(&item)) {
    switch (item.kind) {
      case ReadItem::Kind::kArticle:
        out.ids.push_back(testing::IdOrContent(item.article));
        out.paths.push_back(item.article.path + ":" +
                            std::to_string(item.article.line));
        out.articles.push_back(item.article);
        break;
      case ReadItem::Kind::kError:
        out.errors.push_back(item.error.ToString());
        break;
      case ReadItem::Kind::kNotice:
        out.notices.push_back(item.notice);
        break;
      case ReadItem::Kind::kOtherShard:
        ADD_FAILURE() << "no shard was given: " << item.article.id;
        break;
    }
  }
  if (const InnerFiles* inner = opened->reader->inner_files()) {
    out.inner = *inner;
  }
  return out;
}

const char kStory[] =
    "Ad sales boost Time Warner profit\n"
    "\n"
    "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn "
    "for the three months to December.\n"
    "\n"
    "The firm benefited from sales of high-speed internet connections.\n";

// The members of a dataset as downloads hold them: JSON Lines with and
// without ids, a CSV, a plain text story, a README, macOS metadata, a
// folder entry, and a name with "./" and "..".
std::vector<Member> Dataset() {
  return {
      {"news/", "", AE_IFDIR},
      {"news/2019/wire.jsonl",
       "{\"id\": \"w1\", \"title\": \"Grain\", \"body\": \"Ports.\"}\n"
       "{\"title\": \"No id\", \"body\": \"Harbours.\"}\n"},
      {"news/./x/../opinion.csv", "title,body\nA view,Of the harbour.\n"},
      {"news/bbc/business/001.txt", kStory},
      {"news/README.md", "# About this dataset\n"},
      {"__MACOSX/news/._README.md", "\x00\x05\x16\x07"s},
      {"__MACOSX/news/2019/._wire.jsonl", "\x00\x05\x16\x07"s},
  };
}

TEST(ArchiveReaderTest, MembersAreReadWithThePathsAndIdsOfTheUnpackedFiles) {
  TempDir dir;
  const std::string zip = dir.Sub("news.zip");
  WriteArchive(zip, "zip", "", Dataset());
  Read r = ReadInput(zip, "data/news.zip", "data/news.zip");
  EXPECT_EQ(r.errors, Strings{});
  // Ids: as if news.zip were unpacked in data/, where it lies (records
  // without an id of their own: that of their content, wherever they are).
  EXPECT_EQ(r.ids, (Strings{"w1", "(content)", "(content)",
                            "data/news/bbc/business/001"}));
  EXPECT_EQ(r.paths, (Strings{"data/news.zip/news/2019/wire.jsonl:1",
                              "data/news.zip/news/2019/wire.jsonl:2",
                              "data/news.zip/news/opinion.csv:2",
                              "data/news.zip/news/bbc/business/001.txt:1"}));
  EXPECT_EQ(r.notices,
            (Strings{"data/news.zip/news/README.md: note: not an article "
                     "file, passed over",
                     "data/news.zip: note: 2 macOS metadata files "
                     "(__MACOSX/) passed over"}));
  ASSERT_EQ(r.articles.size(), 4u);
  EXPECT_EQ(r.articles[3].title, "Ad sales boost Time Warner profit");
  EXPECT_EQ(r.inner.formats["jsonl"].files, 1);
  EXPECT_EQ(r.inner.formats["jsonl"].articles, 2);
  EXPECT_EQ(r.inner.formats["csv"].articles, 1);
  EXPECT_EQ(r.inner.formats["text"].articles, 1);
  EXPECT_EQ(r.inner.passed_over, 1);
  // At the top of the indexed folder: the member paths alone.
  EXPECT_EQ(ReadInput(zip, "news.zip", "news.zip").ids[3],
            "news/bbc/business/001");
}

TEST(ArchiveReaderTest, EveryContainerAndCompressionReadsTheSame) {
  TempDir dir;
  const Read zip = [&] {
    WriteArchive(dir.Sub("a.zip"), "zip", "", Dataset());
    return ReadInput(dir.Sub("a.zip"), "a.zip", "a.zip");
  }();
  ASSERT_EQ(zip.ids.size(), 4u);
  const std::pair<std::string, std::string> kinds[] = {
      {"a.tar", ""},       {"a.tar.gz", "gzip"},  {"a.tgz", "gzip"},
      {"a.tar.xz", "xz"},  {"a.txz", "xz"},       {"a.tar.bz2", "bzip2"},
      {"a.tbz2", "bzip2"}, {"a.tar.zst", "zstd"},
  };
  for (const auto& [name, filter] : kinds) {
    SCOPED_TRACE(name);
    WriteArchive(dir.Sub(name), "tar", filter, Dataset());
    ASSERT_EQ(FormatForFileName(name), FormatByName("archive"));
    Read r = ReadInput(dir.Sub(name), name, name);
    EXPECT_EQ(r.ids, zip.ids);
    EXPECT_EQ(r.errors, Strings{});
    const Strings notices = {
        name + "/news/README.md: note: not an article file, passed over",
        name + ": note: 2 macOS metadata files (__MACOSX/) passed over"};
    EXPECT_EQ(r.notices, notices);
    for (size_t i = 0; i < r.articles.size() && i < zip.articles.size(); ++i) {
      EXPECT_EQ(r.articles[i].title, zip.articles[i].title);
      EXPECT_EQ(r.articles[i].body.size(), zip.articles[i].body.size());
    }
  }
}

TEST(ArchiveReaderTest, AZipWrittenByInfoZipIsRead) {
  // tests/testdata/readers/archive/stories.zip: written by Info-ZIP's zip
  // 3.0 (`zip -r stories.zip stories`), deflated, with the sizes in the
  // local headers, three plain text stories in Latin-1 and UTF-8.
  Read r = ReadInput(TestData("readers/archive/stories.zip"), "stories.zip",
                     "stories.zip");
  EXPECT_EQ(r.errors, Strings{});
  // In the order of the archive, as zip stored them.
  EXPECT_EQ(r.ids, (Strings{"stories/tech/001", "stories/business/002",
                            "stories/business/001"}));
  ASSERT_EQ(r.articles.size(), 3u);
  EXPECT_EQ(r.articles[1].title, "Caf\u00e9 owners count the cost");
  EXPECT_NE(r.articles[1].body[0].text.find("\u00a32.40"), std::string::npos);
  EXPECT_EQ(r.notices,
            Strings{"stories.zip/stories/business/002.txt: note: not UTF-8, "
                    "read as Windows-1252 (Latin-1); save it as UTF-8 if that "
                    "is wrong"});
}

TEST(ArchiveReaderTest, DamageCostsOnlyWhatFollowsIt) {
  TempDir dir;
  std::vector<Member> members;
  for (int i = 0; i < 40; ++i) {
    std::string body;
    for (int k = 0; k < 200; ++k) {
      body +=
          "Story " + std::to_string(i) + " word " + std::to_string(k * i) + " ";
    }
    members.push_back(Member{"s/" + std::to_string(100 + i) + ".txt",
                             "Title " + std::to_string(i) + "\n\n" + body});
  }
  for (const auto& [name, format, filter] :
       {std::tuple<std::string, std::string, std::string>{"cut.zip", "zip", ""},
        {"cut.tar.gz", "tar", "gzip"},
        {"cut.tar.xz", "tar", "xz"},
        {"cut.tar", "tar", ""}}) {
    SCOPED_TRACE(name);
    WriteArchive(dir.Sub(name), format, filter, members);
    std::string bytes = testing::ReadFile(dir.Sub(name));
    WriteFile(dir.Sub(name), bytes.substr(0, bytes.size() / 2));
    Read r = ReadInput(dir.Sub(name), name, name);
    EXPECT_GT(r.ids.size(), 5u);
    EXPECT_LT(r.ids.size(), 40u);
    ASSERT_EQ(r.errors.size(), 1u) << ::testing::PrintToString(r.errors);
    // Named at the member it broke in, or the archive when between two.
    EXPECT_EQ(r.errors[0].rfind(name + "/s/1", 0) == 0 ||
                  r.errors[0].rfind(name + ":1: error: ", 0) == 0,
              true)
        << r.errors[0];
    EXPECT_NE(r.errors[0].find("damaged"), std::string::npos) << r.errors[0];
  }
  // Not an archive at all.
  WriteFile(dir.Sub("page.zip"), "<html>Not found</html>\n");
  Read r = ReadInput(dir.Sub("page.zip"), "page.zip", "page.zip");
  EXPECT_EQ(r.errors,
            Strings{"page.zip:1: error: not a zip or tar archive "
                    "(Unrecognized archive format): give the file the "
                    "extension of what it holds"});
  EXPECT_TRUE(r.ids.empty());
}

TEST(ArchiveReaderTest, EncryptedMembersAreErrorsOthersAreRead) {
  TempDir dir;
  const std::string zip = dir.Sub("locked.zip");
  WriteArchive(zip, "zip", "",
               {{"a.jsonl", "{\"id\": \"a\", \"title\": \"A\"}\n"},
                {"b.jsonl", "{\"id\": \"b\", \"title\": \"B\"}\n"}},
               "secret");
  Read r = ReadInput(zip, "locked.zip", "locked.zip");
  EXPECT_TRUE(r.ids.empty());
  // libarchive writes each member's sizes after its data, so in a stream
  // the end of an encrypted member cannot be found: the archive ends with
  // the error about it (not a second one about damage).
  EXPECT_EQ(r.errors,
            (Strings{"locked.zip/a.jsonl:1: error: encrypted: pundit cannot "
                     "read it; unpack the archive with its password and index "
                     "what it holds"}));
}

TEST(ArchiveReaderTest, ArchivesInsideArchivesAreReadThreeDeep) {
  TempDir dir;
  WriteArchive(dir.Sub("inner.tar.gz"), "tar", "gzip",
               {{"wire/a.jsonl", "{\"title\": \"Deep\", \"body\": \"x\"}\n"}});
  WriteArchive(dir.Sub("middle.zip"), "zip", "",
               {{"inner.tar.gz", testing::ReadFile(dir.Sub("inner.tar.gz"))},
                {"b.txt", "Middle story\n\nText."}});
  WriteArchive(dir.Sub("outer.zip"), "zip", "",
               {{"sets/middle.zip", testing::ReadFile(dir.Sub("middle.zip"))}});
  Read middle = ReadInput(dir.Sub("middle.zip"), "middle.zip", "middle.zip");
  EXPECT_EQ(middle.ids, (Strings{"(content)", "b"}));
  EXPECT_EQ(middle.paths, (Strings{"middle.zip/inner.tar.gz/wire/a.jsonl:1",
                                   "middle.zip/b.txt:1"}));
  EXPECT_EQ(middle.inner.formats["jsonl"].files, 1);
  EXPECT_EQ(middle.inner.formats["text"].files, 1);
  EXPECT_EQ(middle.inner.formats.count("archive"), 0u);
  Read outer = ReadInput(dir.Sub("outer.zip"), "outer.zip", "outer.zip");
  EXPECT_EQ(outer.ids, (Strings{"(content)", "sets/b"}));
  EXPECT_EQ(outer.articles[0].id, middle.articles[0].id);
  // Four deep: the innermost is passed over with a note.
  WriteArchive(dir.Sub("top.tar"), "tar", "",
               {{"outer.zip", testing::ReadFile(dir.Sub("outer.zip"))}});
  Read top = ReadInput(dir.Sub("top.tar"), "top.tar", "top.tar");
  EXPECT_EQ(top.ids, Strings{"sets/b"});
  EXPECT_EQ(top.notices,
            Strings{"top.tar/outer.zip/sets/middle.zip/inner.tar.gz: note: an "
                    "archive inside 3 archives, passed over: unpack it"});
  EXPECT_EQ(top.inner.passed_over, 1);
}

TEST(ArchiveReaderTest, LinksInATarAreNoFiles) {
  TempDir dir;
  WriteArchive(dir.Sub("l.tar"), "tar", "",
               {{"a.jsonl", "{\"id\": \"a\", \"title\": \"A\"}\n"},
                {"latest.jsonl", "a.jsonl", AE_IFLNK}});
  Read r = ReadInput(dir.Sub("l.tar"), "l.tar", "l.tar");
  EXPECT_EQ(r.ids, Strings{"a"});
  EXPECT_TRUE(r.errors.empty());
  EXPECT_TRUE(r.notices.empty());
}

TEST(ArchiveReaderTest, AnArchiveWithoutArticlesSaysSo) {
  TempDir dir;
  WriteArchive(dir.Sub("pics.zip"), "zip", "",
               {{"a.png", "\x89PNG"}, {"b/", "", AE_IFDIR}});
  Read r = ReadInput(dir.Sub("pics.zip"), "pics.zip", "pics.zip");
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.notices.size(), 2u);
  EXPECT_EQ(r.notices[0],
            "pics.zip/a.png: note: not an article file, passed over");
  EXPECT_EQ(r.notices[1].rfind("pics.zip: note: holds no article file (pundit "
                               "reads .md, ",
                               0),
            0u)
      << r.notices[1];
}

TEST(ArchiveReaderTest, MemberNamesAreResolvedNeverAboveTheTop) {
  EXPECT_EQ(NormalMemberName("2019/./x/../a.jsonl"), "2019/a.jsonl");
  EXPECT_EQ(NormalMemberName("../../etc/a.md"), "etc/a.md");
  EXPECT_EQ(NormalMemberName("/abs//b.md"), "abs/b.md");
  EXPECT_EQ(NormalMemberName("win\\dir\\c.csv"), "win/dir/c.csv");
  EXPECT_EQ(NormalMemberName("./"), "");
}

Read ReadText(const std::string& bytes, const std::string& name = "s.txt") {
  Read out;
  ReaderOptions options;
  options.path = name;
  options.id_base = PathIdBase(name);
  std::unique_ptr<ArticleReader> reader =
      OpenTextReader(ByteStream::FromString(bytes), options);
  ReadItem item;
  while (reader->Next(&item)) {
    if (item.kind == ReadItem::Kind::kArticle) {
      out.ids.push_back(item.article.id);
      out.articles.push_back(item.article);
    } else if (item.kind == ReadItem::Kind::kError) {
      out.errors.push_back(item.error.ToString());
    } else {
      out.notices.push_back(item.notice);
    }
  }
  return out;
}

TEST(TextReaderTest, AFirstLineAloneIsTheTitle) {
  Read r = ReadText(kStory, "bbc/business/001.txt");
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_EQ(r.ids, Strings{"bbc/business/001"});
  EXPECT_EQ(r.articles[0].title, "Ad sales boost Time Warner profit");
  EXPECT_EQ(Paragraphs(r.articles[0]),
            (Strings{"Quarterly profits at US media giant TimeWarner jumped "
                     "76% to $1.13bn for the three months to December.",
                     "The firm benefited from sales of high-speed internet "
                     "connections."}));
  EXPECT_TRUE(r.errors.empty());
  EXPECT_TRUE(r.notices.empty());
  // CRLF, a byte order mark and blank lines before it change nothing.
  std::string crlf = "\xEF\xBB\xBF\r\n";
  for (char c : std::string(kStory)) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  Read windows = ReadText(crlf);
  ASSERT_EQ(windows.articles.size(), 1u);
  EXPECT_EQ(windows.articles[0].title, r.articles[0].title);
  EXPECT_EQ(Paragraphs(windows.articles[0]), Paragraphs(r.articles[0]));
}

TEST(TextReaderTest, WithoutATitleLineTheFirstSentenceIsTheTitle) {
  // The first paragraph runs over several lines: it is text, not a title.
  Read r = ReadText(
      "The U.S. Senate passed the bill on Tuesday after a long debate.\n"
      "It now goes to the House.\n\nA second paragraph.\n");
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_EQ(r.articles[0].title,
            "The U.S. Senate passed the bill on Tuesday after a long "
            "debate.");
  EXPECT_EQ(r.articles[0].body.size(), 2u);
  // One line longer than a title may be.
  std::string line(60, 'x');
  line = line + " " + line + " " + line + " " + line + ".";
  Read one = ReadText(line + "\n\nMore.\n");
  ASSERT_EQ(one.articles.size(), 1u);
  EXPECT_EQ(one.articles[0].body.size(), 2u);
  // A file of one short line is a title alone.
  Read title = ReadText("Only a headline\n");
  ASSERT_EQ(title.articles.size(), 1u);
  EXPECT_EQ(title.articles[0].title, "Only a headline");
  EXPECT_TRUE(title.articles[0].body.empty());
}

TEST(TextReaderTest, LatinOneIsReadWithANoteMarkdownStaysMarkdown) {
  Read latin = ReadText(
      "Caf\xe9 prices\n\nA coffee costs \xa3"
      "2.\n");
  ASSERT_EQ(latin.articles.size(), 1u);
  EXPECT_EQ(latin.articles[0].title, "Caf\u00e9 prices");
  EXPECT_EQ(Paragraphs(latin.articles[0]), Strings{"A coffee costs \u00a32."});
  EXPECT_EQ(latin.notices,
            Strings{"s.txt: note: not UTF-8, read as Windows-1252 (Latin-1); "
                    "save it as UTF-8 if that is wrong"});
  // The seed layout and front matter are read as Markdown, as before.
  Read seed = ReadText("# A *Seed* Title\n\nBody with [a link](#).\n");
  ASSERT_EQ(seed.articles.size(), 1u);
  EXPECT_EQ(seed.articles[0].title, "A Seed Title");
  Read front = ReadText("---\ntitle: Front\n---\nBody.\n");
  ASSERT_EQ(front.articles.size(), 1u);
  EXPECT_EQ(front.articles[0].title, "Front");
  // Empty and binary files are errors, as every format's.
  EXPECT_EQ(ReadText(" \n\n").errors,
            Strings{"s.txt:1: error: file is empty: write an article in it or "
                    "delete it"});
  EXPECT_EQ(ReadText("a\nb\0c"s).errors.size(), 1u);
  // A first line of control characters only is no title (found by
  // fuzz_archive); nothing but them is no article.
  Read control = ReadText("\x0e\n\nQuarterly profits.\n");
  ASSERT_EQ(control.articles.size(), 1u);
  EXPECT_EQ(control.articles[0].title, "Quarterly profits.");
  EXPECT_EQ(ReadText("\x0e\x0f\n").errors,
            Strings{"s.txt:1: error: no text: the file holds only white space "
                    "and control characters"});
}

// The real binary: a dataset indexed as downloaded, again unchanged, then
// changed; and the archive beside its unpacked folder.
TEST(ArchiveIndexTest, ADownloadIsIndexedAsItCameAndFollowedAcrossRuns) {
  TempDir dir;
  std::filesystem::create_directories(dir.Sub("data"));
  const std::string tgz = dir.Sub("data/news.tar.gz");
  WriteArchive(tgz, "tar", "gzip", Dataset());
  const std::string db = dir.Sub("db");
  CommandResult r =
      RunCommand({PunditBinary(), "index", "--db", db, dir.Sub("data")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("indexed 4, updated 0, deleted 0, unchanged 0, "
                       "skipped 0"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("read csv 1 article in 1 file, jsonl 2 articles in 1 "
                       "file, text 1 article in 1 file; 3 of the files inside "
                       "1 archive; 1 file passed over"),
            std::string::npos)
      << r.out;
  // The ids of the records without one of their own: their content's.
  const Read read = ReadInput(tgz, "data/news.tar.gz", "news.tar.gz");
  ASSERT_EQ(read.articles.size(), 4u);
  const std::string no_id = read.articles[1].id;
  const std::string view = read.articles[2].id;
  EXPECT_EQ(
      testing::IndexedIds(db),
      (std::set<std::string>{"w1", no_id, view, "news/bbc/business/001"}));
  // Unchanged: nothing is read again.
  r = RunCommand({PunditBinary(), "index", "--db", db, dir.Sub("data")});
  EXPECT_NE(r.out.find("indexed 0, updated 0, deleted 0, unchanged 4,"),
            std::string::npos)
      << r.out;
  // A new edition of the download: one story changed, one gone, one new.
  std::vector<Member> next = Dataset();
  next[1].bytes =
      "{\"id\": \"w1\", \"title\": \"Grain, revised\", \"body\": \"Ports.\"}\n";
  next[2].bytes = "title,body\nA view,Of the harbour.\nAnother,View.\n";
  WriteArchive(tgz, "tar", "gzip", next);
  r = RunCommand({PunditBinary(), "index", "--db", db, dir.Sub("data")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("indexed 1, updated 1, deleted 1, unchanged 2,"),
            std::string::npos)
      << r.out;
  // The new row has an id of its own content; the old row keeps its id.
  const std::set<std::string> ids = testing::IndexedIds(db);
  EXPECT_EQ(ids.size(), 4u);
  EXPECT_TRUE(ids.contains("w1") && ids.contains(view) &&
              ids.contains("news/bbc/business/001") && !ids.contains(no_id));
  // Unpacked beside it: the same ids, each record kept once.
  WriteArchive(tgz, "tar", "gzip", Dataset());
  std::filesystem::create_directories(dir.Sub("data/news/2019"));
  std::filesystem::create_directories(dir.Sub("data/news/bbc/business"));
  for (const Member& m : Dataset()) {
    if (m.type != AE_IFREG || m.name.starts_with("__MACOSX")) continue;
    WriteFile(dir.Sub("data/" + NormalMemberName(m.name)), m.bytes);
  }
  const std::string both = dir.Sub("db-both");
  r = RunCommand({PunditBinary(), "index", "--db", both, dir.Sub("data")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("indexed 4,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("4 copies indexed once"), std::string::npos) << r.out;
  EXPECT_EQ(
      testing::IndexedIds(both),
      (std::set<std::string>{"w1", no_id, view, "news/bbc/business/001"}));
}

TEST(ArchiveIndexTest, ErrorsNameTheMemberAndItsLine) {
  TempDir dir;
  const std::string zip = dir.Sub("dump.zip");
  WriteArchive(zip, "zip", "",
               {{"a.jsonl", "{\"id\": \"x\", \"title\": \"One\"}\n"},
                {"b.jsonl",
                 "{\"id\": \"y\", \"title\": \"Two\"}\n"
                 "{\"id\": \"x\", \"title\": \"Other\"}\n"
                 "{\"title\": \"Bad\", \"date\": \"2019-02-30\"}\n"}});
  for (const std::string mode : {"--full", ""}) {
    SCOPED_TRACE(mode);
    const std::string db = dir.Sub("db" + mode);
    std::vector<std::string> argv = {PunditBinary(), "index", "--db", db, zip};
    if (!mode.empty()) argv.insert(argv.begin() + 2, mode);
    CommandResult r = RunCommand(argv);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err,
              zip + "/b.jsonl:2: error: duplicate id \"x\": already used by " +
                  zip +
                  "/a.jsonl:1 for another article; give one of them another "
                  "id\n" +
                  zip +
                  "/b.jsonl:3: error: date \"2019-02-30\" is not a valid "
                  "date: use YYYY-MM-DD or 'Month D, YYYY'\n");
    EXPECT_EQ(testing::IndexedIds(db), (std::set<std::string>{"x", "y"}));
  }
}

}  // namespace
}  // namespace pundit::readers
