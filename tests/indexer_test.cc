// End-to-end properties of the indexer (indexer/indexer.h) on a real Xapian
// database in a temporary folder:
//   - a folder of seed-layout Markdown, front-matter Markdown and JSON Lines
//     is indexed with the right counts, ids ("nested/b", "c:one"), facet
//     terms, schema version, last-indexed time and per-file state; files
//     that are not articles are passed over with a notice;
//   - incremental runs: an unchanged rerun reads no file and reports all
//     unchanged; a touched but identical file is read but not rewritten; a
//     new, a modified and a deleted file give indexed/updated/deleted, both
//     in the summary and in the database; a JSON Lines line removed deletes
//     its article;
//   - bad input never loses data: a JSONL line with a syntax error is one
//     skipped input with a "path:3: error: ..." message while the others
//     are indexed, and the stored article of that line is kept; a file that
//     turns binary keeps its articles; errors are reported again until
//     fixed;
//   - two files giving the same id: the first keeps it, the second is an
//     error; an id too long for Xapian is an error and costs nothing else;
//   - --full builds a new generation, switches CURRENT to it, removes the
//     old one, holds the same content and counts relative to the old one;
//   - an incremental run over another schema version is kVersionMismatch,
//     --full rebuilds it; a second writer is kLocked with the holder's pid;
//     a database folder that cannot be created is kIoError; a missing input
//     is kNotFound and creates nothing; stale generations are removed;
//   - the walk follows a symlink loop only once, never enters the database
//     folder, and a file given directly has its own name as id; white
//     space in file names becomes '_' in ids; a symlink found in a folder
//     that leads outside the inputs, nowhere or round a loop, and a second
//     path to a file or folder, are passed over with a note naming them
//     (the file read once, by its own path); a link named on the command
//     line is read;
//   - SummaryLine, ToJson and the progress bar text are as specified;
//   - whole-file errors name line 1 (empty, unreadable) or the line where
//     the problem is (binary: the first NUL byte): `path:1: error: ...`;
//   - the progress bar: its text (articles, articles/s, time left from the
//     bytes read, a named phase with its own clock and spinner); a disabled
//     bar writes nothing; during a phase its own thread keeps redrawing it
//     without updates; ShardBuild::Finish reports its steps (writing the
//     last shards, merging, each table) for it;
//   - the `pundit index` command: exit 0 / 2 / 1, summary on stdout, errors
//     on stderr; on a pseudo-terminal the bar is drawn in place with
//     articles/s and the merge phase and erased before the summary; piped,
//     nothing of it appears even with a zero redraw interval; a write
//     failure (files limited in size, as on a full disk) in a full or an
//     incremental run exits 1 and leaves the live index as it was.
#include "indexer/indexer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/schema.h"
#include "core/shard.h"
#include "core/store.h"
#include "indexer/progress.h"
#include "indexer/shard_build.h"
#include "tests/test_util.h"

namespace pundit {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

const char kSeed[] =
    "# Russia Plans a Conference for Venezuela\n"
    "\n"
    "By [Andrew Korybko](#)\n"
    "\n"
    "Global Research, January 31, 2019\n"
    "\n"
    "Region: [Latin America & Caribbean](#), [Russia and FSU](#)\n"
    "\n"
    "Theme: [Intelligence](#)\n"
    "\n"
    "*Russia hints at a peace conference for the Venezuelan crisis.*\n"
    "\n"
    "Russian Foreign Minister Lavrov revealed that talks are under way with "
    "other states.\n"
    "\n"
    "*This article was originally published on [Eurasia Future](#).*\n";

const char kFrontMatter[] =
    "---\n"
    "title: Oil and the Gulf\n"
    "author: Jane Doe\n"
    "date: 2020-03-15\n"
    "regions: [Middle East]\n"
    "themes: [Oil and Energy]\n"
    "source: Example Times\n"
    "---\n"
    "\n"
    "Oil prices rose sharply after the meeting.\n";

const char kLineOne[] =
    R"({"id": "one", "title": "Trade war escalates", "author": ["Ann Lee"], )"
    R"("date": "2019-05-01", "region": ["Asia"], "theme": ["Economy"], )"
    R"("source": "Daily Paper", "body": "Tariffs went up.\n\nMarkets fell."})";
const char kLineTwo[] =
    R"({"id": "two", "title": "Elections in Brazil", "author": "Bob Stone", )"
    R"("date": "2018-10-07", "region": ["Latin America & Caribbean"], )"
    R"("theme": ["Politics"], "source": "Daily Paper", "body": "Voters chose."})";
const char kLineThree[] =
    R"({"id": "three", "title": "Climate talks stall", "author": [], )"
    R"("date": "", "region": [], "theme": ["Environment"], )"
    R"("source": "Other Paper", "body": "No agreement was reached."})";

std::string Line(const std::string& id, const std::string& title) {
  return R"({"id": ")" + id + R"(", "title": ")" + title +
         R"(", "body": "Some text about )" + title + R"(."})";
}

// A corpus folder and a database folder in their own temp dir.
class IndexerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.Sub("corpus");
    db_ = tmp_.Sub("db");
    WriteFile(root_ + "/a.md", kSeed);
    WriteFile(root_ + "/nested/b.md", kFrontMatter);
    WriteFile(root_ + "/c.jsonl", std::string(kLineOne) + "\n" + kLineTwo +
                                      "\n" + kLineThree + "\n");
    WriteFile(root_ + "/README.md", "# About this corpus\n");
    WriteFile(root_ + "/cover.png", "\x89PNG");
  }

  IndexerOptions Options(bool full = false) const {
    IndexerOptions options;
    options.db_dir = db_;
    options.inputs = {root_};
    options.full = full;
    options.jobs = 2;
    return options;
  }

  IndexSummary Index(bool full = false) const {
    Result<IndexSummary> result = RunIndex(Options(full));
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : IndexSummary();
  }

  Xapian::Database Open() const {
    Result<Xapian::Database> db = store::OpenForReading(db_);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? *db : Xapian::Database();
  }

  // Sets a file's mtime one second further, so that a rewrite made within
  // the file system's timestamp granularity is still seen as a change.
  static void Bump(const std::string& path) {
    fs::last_write_time(path,
                        fs::last_write_time(path) + std::chrono::seconds(1));
  }

  TempDir tmp_;
  std::string root_;
  std::string db_;
};

TEST_F(IndexerTest, IndexesFolderOfAllFormats) {
  IndexSummary s = Index();
  EXPECT_EQ(s.indexed, 5);
  EXPECT_EQ(s.updated, 0);
  EXPECT_EQ(s.deleted, 0);
  EXPECT_EQ(s.unchanged, 0);
  EXPECT_EQ(s.skipped, 0);
  EXPECT_EQ(s.files, 3);
  EXPECT_TRUE(s.errors.empty());
  EXPECT_EQ(s.notices,
            (std::vector<std::string>{
                root_ + "/README.md: note: not an article file, passed over",
                root_ + "/cover.png: note: not an article file, passed over"}));

  Xapian::Database db = Open();
  EXPECT_EQ(db.get_doccount(), 5u);
  struct Case {
    std::string term;
    Xapian::doccount count;
  };
  const Case cases[] = {
      {"Qa", 1},
      {"Qnested/b", 1},
      {"Qone", 1},
      {"Qtwo", 1},
      {"Qthree", 1},
      {"A:Andrew Korybko", 1},
      {"A:Jane Doe", 1},
      {"A:Ann Lee", 1},
      {"A:Bob Stone", 1},
      {"XREGION:Latin America & Caribbean", 2},
      {"XREGION:Russia and FSU", 1},
      {"XREGION:Middle East", 1},
      {"XREGION:Asia", 1},
      {"XTHEME:Intelligence", 1},
      {"XTHEME:Oil and Energy", 1},
      {"XTHEME:Economy", 1},
      {"XTHEME:Environment", 1},
      {"XSOURCE:Eurasia Future", 1},
      {"XSOURCE:Example Times", 1},
      {"XSOURCE:Daily Paper", 2},
      {"Y2019", 2},
      {"Y2020", 1},
      {"Y2018", 1},
      {"M201901", 1},
      {"D20190131", 1},
      {"lavrov", 1},
      {schema::FileTerm(fs::canonical(root_ + "/c.jsonl").string()), 3},
      {schema::FileTerm(fs::canonical(root_ + "/a.md").string()), 1},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(db.get_termfreq(c.term), c.count) << c.term;
  }
  // The postlist of a facet term leads to the right article.
  Xapian::PostingIterator p = db.postlist_begin("XREGION:Asia");
  ASSERT_NE(p, db.postlist_end("XREGION:Asia"));
  Xapian::PostingIterator q = db.postlist_begin("Qone");
  EXPECT_EQ(*p, *q);

  EXPECT_EQ(db.get_metadata(std::string(schema::kSchemaKey)),
            std::to_string(schema::kSchemaVersion));
  EXPECT_EQ(db.get_metadata(std::string(schema::kLastIndexedKey)).size(),
            20u);  // "2024-01-31T12:00:00Z"
  std::string state = db.get_metadata(std::string(schema::kFileStateKeyPrefix) +
                                      fs::canonical(root_ + "/a.md").string());
  std::string bytes = ReadFile(root_ + "/a.md");
  EXPECT_TRUE(state.starts_with(std::to_string(bytes.size()) + " ")) << state;
  EXPECT_TRUE(state.ends_with(" " + schema::HashHex(bytes))) << state;
  EXPECT_EQ(ReadFile(db_ + "/CURRENT"), "gen-000001\n");
}

TEST_F(IndexerTest, UnchangedRerunReadsNoFile) {
  Index();
  IndexSummary s = Index();
  EXPECT_EQ(s.indexed, 0);
  EXPECT_EQ(s.updated, 0);
  EXPECT_EQ(s.deleted, 0);
  EXPECT_EQ(s.unchanged, 5);
  EXPECT_EQ(s.files, 0);
  EXPECT_EQ(Open().get_doccount(), 5u);
  EXPECT_EQ(ReadFile(db_ + "/CURRENT"), "gen-000001\n");
}

TEST_F(IndexerTest, TouchedIdenticalFileIsReadButNotRewritten) {
  Index();
  Bump(root_ + "/c.jsonl");
  IndexSummary s = Index();
  EXPECT_EQ(s.files, 1);
  EXPECT_EQ(s.unchanged, 5);
  EXPECT_EQ(s.indexed + s.updated + s.deleted, 0);
  // The new mtime is recorded: the next run reads nothing.
  EXPECT_EQ(Index().files, 0);
}

TEST_F(IndexerTest, IncrementalAddUpdateDelete) {
  Index();
  WriteFile(root_ + "/new.md",
            "# A New Article\n\nBy [Sam Roe](#)\n\nGlobal Research, "
            "February 2, 2021\n\nFresh text here.\n");
  std::string changed = kSeed;
  changed.replace(changed.find("Lavrov"), 6, "Shoigu");
  WriteFile(root_ + "/a.md", changed);
  Bump(root_ + "/a.md");
  fs::remove(root_ + "/nested/b.md");

  IndexSummary s = Index();
  EXPECT_EQ(s.indexed, 1);
  EXPECT_EQ(s.updated, 1);
  EXPECT_EQ(s.deleted, 1);
  EXPECT_EQ(s.unchanged, 3);
  EXPECT_EQ(s.skipped, 0);
  EXPECT_EQ(s.files, 2);

  Xapian::Database db = Open();
  EXPECT_EQ(db.get_doccount(), 5u);
  EXPECT_EQ(db.get_termfreq("Qnew"), 1u);
  EXPECT_EQ(db.get_termfreq("Qnested/b"), 0u);
  EXPECT_EQ(db.get_termfreq("A:Jane Doe"), 0u);
  EXPECT_EQ(db.get_termfreq("shoigu"), 1u);
  EXPECT_EQ(db.get_termfreq("lavrov"), 0u);
  EXPECT_EQ(db.get_metadata(std::string(schema::kFileStateKeyPrefix) +
                            tmp_.path() + "/corpus/nested/b.md"),
            "");
}

TEST_F(IndexerTest, RemovedJsonLinesLineDeletesItsArticle) {
  Index();
  WriteFile(root_ + "/c.jsonl",
            std::string(kLineOne) + "\n" + kLineThree + "\n");
  Bump(root_ + "/c.jsonl");
  IndexSummary s = Index();
  EXPECT_EQ(s.deleted, 1);
  EXPECT_EQ(s.indexed + s.updated, 0);
  EXPECT_EQ(s.unchanged, 4);  // 2 lines + a.md + b.md
  Xapian::Database db = Open();
  EXPECT_EQ(db.get_termfreq("Qtwo"), 0u);
  EXPECT_EQ(db.get_termfreq("Qthree"), 1u);
  EXPECT_EQ(db.get_doccount(), 4u);
}

TEST_F(IndexerTest, MovedJsonLinesLineIsRewrittenWithItsNewLine) {
  Index();
  WriteFile(root_ + "/c.jsonl",
            std::string(kLineThree) + "\n" + kLineOne + "\n" + kLineTwo + "\n");
  Bump(root_ + "/c.jsonl");
  IndexSummary s = Index();
  EXPECT_EQ(s.unchanged, 5);
  EXPECT_EQ(s.indexed + s.updated + s.deleted, 0);
  Xapian::Database db = Open();
  Xapian::docid did = *db.postlist_begin("Qthree");
  nlohmann::json data = nlohmann::json::parse(db.get_document(did).get_data());
  EXPECT_EQ(data["line"], 1);
}

TEST_F(IndexerTest, ShardsEachReportTheBrokenRecordsTheyKeep) {
  // 30 articles with ids, every fifth with a date that is no date, and two
  // without an id (their ids are their contents', known only when read
  // whole), one of them broken.
  std::string bytes;
  std::set<std::string> broken;
  for (int i = 0; i < 30; ++i) {
    const std::string id = "s" + std::to_string(i);
    if (i % 5 == 0) {
      bytes += R"({"id": ")" + id + R"(", "title": "T", "date": "no date"})";
      broken.insert(id);
    } else {
      bytes += Line(id, "Title " + std::to_string(i));
    }
    bytes += "\n";
  }
  bytes += R"({"title": "No id", "body": "Text."})"
           "\n"
           R"({"title": "No id, broken", "date": "no date"})"
           "\n";
  const std::string path = root_ + "/shards.jsonl";
  WriteFile(path, bytes);
  constexpr int kShards = 3;
  long indexed = 0, other = 0;
  std::multiset<int> error_lines;
  for (int i = 1; i <= kShards; ++i) {
    IndexerOptions options = Options();
    options.db_dir = db_ + "-" + std::to_string(i);
    options.inputs = {path};
    options.shard = ShardSpec{i, kShards};
    Result<IndexSummary> r = RunIndex(options);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    indexed += r->indexed;
    other += r->other_shards;
    for (const ParseError& e : r->errors) {
      if (e.line <= 30) {
        // A broken record with an id: reported by the shard that keeps it.
        EXPECT_EQ(ShardOf("s" + std::to_string(e.line - 1), kShards), i)
            << e.ToString();
      }
      error_lines.insert(e.line);
    }
    EXPECT_EQ(r->skipped, static_cast<long>(r->errors.size()));
  }
  EXPECT_EQ(indexed, 30 - static_cast<long>(broken.size()) + 1);
  // Each broken record with an id once over all shards; the one without an
  // id is read whole, and reported, by every shard.
  std::multiset<int> expected;
  for (int line = 1; line <= 30; line += 5) expected.insert(line);
  for (int i = 0; i < kShards; ++i) expected.insert(32);
  EXPECT_EQ(error_lines, expected);
  EXPECT_GT(other, 0);
}

TEST_F(IndexerTest, JsonLinesSyntaxErrorSkipsOnlyThatLine) {
  std::string path = root_ + "/d.jsonl";
  WriteFile(path, Line("l1", "First") + "\n" + Line("l2", "Second") + "\n" +
                      "{\"id\": \"l3\", \"title\": \n" + Line("l4", "Fourth") +
                      "\n" + Line("l5", "Fifth") + "\n");
  IndexerOptions options = Options();
  options.inputs = {path};
  Result<IndexSummary> r = RunIndex(options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->indexed, 4);
  EXPECT_EQ(r->skipped, 1);
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].path, path);
  EXPECT_EQ(r->errors[0].line, 3);
  EXPECT_TRUE(r->errors[0].ToString().starts_with(path + ":3: error: "))
      << r->errors[0].ToString();
  Xapian::Database db = Open();
  EXPECT_EQ(db.get_doccount(), 4u);
  EXPECT_EQ(db.get_termfreq("Ql3"), 0u);
  EXPECT_EQ(db.get_termfreq("Ql4"), 1u);
}

TEST_F(IndexerTest, LineThatTurnsBadKeepsItsArticleAndIsReportedUntilFixed) {
  std::string path = root_ + "/c.jsonl";
  Index();
  std::string broken =
      std::string(kLineOne) + "\n" + "{\"id\": \"two\",\n" + kLineThree + "\n";
  WriteFile(path, broken);
  Bump(path);
  IndexSummary s = Index();
  EXPECT_EQ(s.skipped, 1);
  EXPECT_EQ(s.deleted, 0);
  EXPECT_EQ(Open().get_termfreq("Qtwo"), 1u);  // the old version is kept

  // Not fixed: read and reported again, nothing rewritten.
  s = Index();
  EXPECT_EQ(s.files, 1);
  EXPECT_EQ(s.skipped, 1);
  EXPECT_EQ(s.unchanged, 5);
  EXPECT_EQ(s.indexed + s.updated + s.deleted, 0);
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0].line, 2);

  // Fixed by removing the line: now its article goes.
  WriteFile(path, std::string(kLineOne) + "\n" + kLineThree + "\n");
  Bump(path);
  s = Index();
  EXPECT_EQ(s.skipped, 0);
  EXPECT_EQ(s.deleted, 1);
  EXPECT_EQ(Open().get_termfreq("Qtwo"), 0u);
}

TEST_F(IndexerTest, FileThatTurnsBinaryKeepsItsArticles) {
  Index();
  WriteFile(root_ + "/a.md", std::string("\x7f"
                                         "ELF\0\0\0\x01",
                                         8));
  Bump(root_ + "/a.md");
  IndexSummary s = Index();
  EXPECT_EQ(s.skipped, 1);
  EXPECT_EQ(s.deleted, 0);
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0].path, root_ + "/a.md");
  EXPECT_EQ(s.errors[0].ToString(),
            root_ +
                "/a.md:1: error: binary file (NUL byte at offset 4): not an "
                "article");
  EXPECT_EQ(Open().get_termfreq("Qa"), 1u);
  EXPECT_EQ(Open().get_termfreq("lavrov"), 1u);
}

TEST_F(IndexerTest, UnreadableFileIsSkippedWithReason) {
  if (geteuid() == 0) {
    GTEST_SKIP() << "running as root: permissions do not stop reads";
  }
  fs::permissions(root_ + "/a.md", fs::perms::none);
  IndexSummary s = Index();
  fs::permissions(root_ + "/a.md", fs::perms::owner_all);
  EXPECT_EQ(s.indexed, 4);
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0].ToString(),
            root_ + "/a.md:1: error: cannot read: Permission denied");
}

TEST_F(IndexerTest, OverlongIdIsSkippedWithoutLosingTheBatch) {
  std::string id(300, 'x');
  WriteFile(root_ + "/c.jsonl", std::string(kLineOne) + "\n" +
                                    Line(id, "Long id") + "\n" + kLineThree +
                                    "\n");
  IndexSummary s = Index();
  EXPECT_EQ(s.indexed, 4);
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0].ToString(),
            root_ + "/c.jsonl:2: error: id \"" + id +
                "\" is 300 bytes long, more than the 244 an id may have: use "
                "a shorter id, file or folder name");
  EXPECT_EQ(Open().get_doccount(), 4u);
}

TEST_F(IndexerTest, DuplicateIdAcrossFilesIsAnError) {
  // Id "a", like a.md, with other content.
  std::string other(kSeed);
  other.replace(other.find("# "), 2, "# Another ");
  WriteFile(root_ + "/a.txt", other);
  IndexSummary s = Index();
  EXPECT_EQ(s.indexed, 5);
  EXPECT_EQ(s.skipped, 1);
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0].ToString(),
            root_ + "/a.txt:1: error: duplicate id \"a\": already used by " +
                root_ +
                "/a.md:1 for another article; give one of them "
                "another id");
  EXPECT_EQ(Open().get_termfreq("Qa"), 1u);
}

TEST_F(IndexerTest, FullRebuildSwapsGeneration) {
  Index();
  Xapian::Database before = Open();
  std::vector<std::string> terms_before;
  for (auto t = before.allterms_begin(); t != before.allterms_end(); ++t) {
    terms_before.push_back(*t);
  }
  EXPECT_EQ(ReadFile(db_ + "/CURRENT"), "gen-000001\n");

  IndexSummary s = Index(/*full=*/true);
  EXPECT_EQ(s.unchanged, 5);
  EXPECT_EQ(s.indexed + s.updated + s.deleted, 0);
  EXPECT_EQ(s.files, 3);
  EXPECT_EQ(ReadFile(db_ + "/CURRENT"), "gen-000002\n");
  EXPECT_FALSE(fs::exists(db_ + "/gen-000001"));
  EXPECT_TRUE(fs::exists(db_ + "/gen-000002"));

  Xapian::Database after = Open();
  EXPECT_EQ(after.get_doccount(), 5u);
  std::vector<std::string> terms_after;
  for (auto t = after.allterms_begin(); t != after.allterms_end(); ++t) {
    terms_after.push_back(*t);
  }
  EXPECT_EQ(terms_after, terms_before);
  // The file states are in the new generation: a rerun reads nothing.
  EXPECT_EQ(Index().files, 0);
}

TEST_F(IndexerTest, FullRebuildCountsRelativeToOldGeneration) {
  Index();
  fs::remove(root_ + "/nested/b.md");
  WriteFile(root_ + "/c.jsonl", std::string(kLineOne) + "\n" +
                                    Line("two", "Changed") + "\n" + kLineThree +
                                    "\n" + Line("four", "Fourth") + "\n");
  IndexSummary s = Index(/*full=*/true);
  EXPECT_EQ(s.indexed, 1);
  EXPECT_EQ(s.updated, 1);
  EXPECT_EQ(s.unchanged, 3);
  EXPECT_EQ(s.deleted, 1);
  EXPECT_EQ(Open().get_doccount(), 5u);
}

TEST_F(IndexerTest, StaleGenerationIsRemovedAndLiveKept) {
  Index();
  fs::create_directory(db_ + "/gen-000009");
  WriteFile(db_ + "/gen-000009/postlist.glass", "half written");
  IndexSummary s = Index();
  EXPECT_EQ(s.unchanged, 5);
  EXPECT_FALSE(fs::exists(db_ + "/gen-000009"));
  EXPECT_EQ(ReadFile(db_ + "/CURRENT"), "gen-000001\n");
}

TEST_F(IndexerTest, OtherSchemaVersionNeedsFull) {
  Index();
  {
    Result<std::string> live = store::LiveGenerationPath(db_);
    ASSERT_TRUE(live.ok());
    Xapian::WritableDatabase db(*live, Xapian::DB_OPEN);
    db.set_metadata(std::string(schema::kSchemaKey), "0");
    db.commit();
  }
  Result<IndexSummary> r = RunIndex(Options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kVersionMismatch);
  EXPECT_EQ(r.status().message(),
            "index at " + db_ +
                " has schema version 0, this pundit writes "
                "version " +
                std::to_string(schema::kSchemaVersion) +
                ": rebuild it with `pundit index --full`");

  r = RunIndex(Options(/*full=*/true));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->indexed, 5);  // nothing to compare with
  EXPECT_EQ(Open().get_doccount(), 5u);
}

TEST_F(IndexerTest, SecondWriterIsLocked) {
  auto lock = store::WriteLock::Acquire(db_);
  ASSERT_TRUE(lock.ok());
  Result<IndexSummary> r = RunIndex(Options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kLocked);
  EXPECT_EQ(r.status().message(),
            "database " + db_ + " is locked by pid " +
                std::to_string(getpid()) +
                " (another `pundit index` is running); wait for it or stop "
                "it");
  EXPECT_FALSE(fs::exists(db_ + "/CURRENT"));
}

TEST_F(IndexerTest, DatabaseFolderThatCannotBeCreatedIsIoError) {
  WriteFile(tmp_.Sub("plain-file"), "x");
  IndexerOptions options = Options();
  options.db_dir = tmp_.Sub("plain-file") + "/db";
  Result<IndexSummary> r = RunIndex(options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIoError);
  EXPECT_EQ(r.status().message(),
            "cannot create " + options.db_dir + ": Not a directory");
}

TEST_F(IndexerTest, ReadOnlyDatabaseFolderIsIoErrorAndLiveIndexKept) {
  if (geteuid() == 0) {
    GTEST_SKIP() << "running as root: permissions do not stop writes";
  }
  Index();
  fs::permissions(db_, fs::perms::owner_read | fs::perms::owner_exec);
  Result<IndexSummary> r = RunIndex(Options(/*full=*/true));
  fs::permissions(db_, fs::perms::owner_all);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIoError);
  EXPECT_EQ(Open().get_doccount(), 5u);
}

TEST_F(IndexerTest, MissingInputIsNotFoundAndCreatesNothing) {
  IndexerOptions options = Options();
  options.inputs = {root_, tmp_.Sub("nosuch")};
  Result<IndexSummary> r = RunIndex(options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(r.status().message(),
            "cannot index " + tmp_.Sub("nosuch") + ": no such file or folder");
  EXPECT_FALSE(fs::exists(db_));
}

TEST_F(IndexerTest, SymlinkLoopIsWalkedOnce) {
  fs::create_directory_symlink("..", root_ + "/nested/up");
  fs::create_directory_symlink(root_ + "/nested", root_ + "/again");
  IndexSummary s = Index();
  EXPECT_EQ(s.indexed, 5);
  EXPECT_EQ(s.skipped, 0);
  EXPECT_EQ(Open().get_doccount(), 5u);
  // Read by its own path, not the link's.
  EXPECT_EQ(Open().get_termfreq("Qnested/b"), 1u);
  const std::string canonical = fs::canonical(root_).string();
  EXPECT_EQ(s.notices,
            (std::vector<std::string>{
                root_ + "/README.md: note: not an article file, passed over",
                root_ + "/cover.png: note: not an article file, passed over",
                root_ + "/again: note: folder already read as " + root_ +
                    "/nested, passed over",
                root_ + "/nested/up: note: symbolic link loop (to " +
                    canonical + ", which holds it), passed over"}));
  EXPECT_EQ(s.passed_over, 4);
}

// A link found in a folder is followed only into the files and folders
// given; one that leads elsewhere, nowhere or round in a loop is passed
// over with a note, and a second path to a file is read once, by its own
// path. What the command line names is read wherever it leads.
TEST_F(IndexerTest, SymlinksOutsideTheInputsAreNotReadButNamed) {
  const std::string outside = tmp_.Sub("outside");
  WriteFile(outside + "/x.md", kFrontMatter);
  WriteFile(outside + "/deeper/y.md", kSeed);
  const std::string outside_canonical = fs::canonical(outside).string();
  fs::create_directory_symlink(outside, root_ + "/out-dir");
  fs::create_symlink(outside + "/x.md", root_ + "/out-file.md");
  fs::create_symlink(root_ + "/nowhere.md", root_ + "/dangling.md");
  fs::create_symlink("self.md", root_ + "/self.md");
  fs::create_symlink("a.md", root_ + "/twin.md");

  IndexSummary s = Index();
  EXPECT_EQ(s.indexed, 5);
  EXPECT_EQ(s.skipped, 0);
  EXPECT_EQ(
      s.notices,
      (std::vector<std::string>{
          root_ + "/README.md: note: not an article file, passed over",
          root_ + "/cover.png: note: not an article file, passed over",
          root_ +
              "/dangling.md: note: symbolic link to nothing (No such file or "
              "directory), passed over",
          root_ + "/out-dir: note: symbolic link to " + outside_canonical +
              ", outside the files and folders given, passed over",
          root_ + "/out-file.md: note: symbolic link to " + outside_canonical +
              "/x.md, outside the files and folders given, passed over",
          root_ + "/self.md: note: symbolic link loop, passed over",
          root_ + "/twin.md: note: file already read as " + root_ +
              "/a.md, passed over"}));
  EXPECT_EQ(s.passed_over, 7);
  Xapian::Database db = Open();
  EXPECT_EQ(db.get_doccount(), 5u);
  EXPECT_EQ(db.get_termfreq("Qout-dir/x"), 0u);
  EXPECT_EQ(db.get_termfreq("Qout-file"), 0u);
  EXPECT_EQ(db.get_termfreq("Qtwin"), 0u);

  // Given as an input too, the outside folder is read once, by its own
  // paths; the links into it are second paths.
  IndexerOptions both = Options(/*full=*/true);
  both.inputs = {root_, outside};
  Result<IndexSummary> r = RunIndex(both);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->indexed, 2);  // x.md and deeper/y.md; the rest unchanged
  EXPECT_EQ(r->unchanged, 5);
  std::vector<std::string> notes;
  for (const std::string& n : r->notices) {
    if (n.starts_with(root_ + "/out-")) notes.push_back(n);
  }
  EXPECT_EQ(notes, (std::vector<std::string>{
                       root_ + "/out-dir: note: folder already read as " +
                           outside + ", passed over",
                       root_ + "/out-file.md: note: file already read as " +
                           outside + "/x.md, passed over"}));
  EXPECT_EQ(Open().get_termfreq("Qx"), 1u);
  EXPECT_EQ(Open().get_termfreq("Qdeeper/y"), 1u);

  // Named on the command line, a link is read wherever it leads.
  for (const std::string& input :
       {root_ + "/out-file.md", root_ + "/out-dir"}) {
    IndexerOptions named = Options(/*full=*/true);
    named.inputs = {input};
    Result<IndexSummary> n = RunIndex(named);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_GE(n->indexed, 1) << input;
    EXPECT_EQ(n->passed_over, 0) << input;
  }
}

TEST_F(IndexerTest, DatabaseInsideIndexedFolderIsNotWalked) {
  IndexerOptions options = Options();
  options.db_dir = root_ + "/index";
  ASSERT_TRUE(RunIndex(options).ok());
  Result<IndexSummary> r = RunIndex(options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->unchanged, 5);
  EXPECT_EQ(r->notices.size(), 2u);  // README.md and cover.png only
  for (const std::string& notice : r->notices) {
    EXPECT_EQ(notice.find("/index/"), std::string::npos) << notice;
  }
}

TEST_F(IndexerTest, WhiteSpaceInFileNamesBecomesUnderscoreInIds) {
  WriteFile(root_ + "/my folder/an article.md", kFrontMatter);
  IndexSummary s = Index();
  EXPECT_EQ(s.indexed, 6);
  EXPECT_EQ(Open().get_termfreq("Qmy_folder/an_article"), 1u);
}

TEST_F(IndexerTest, FileGivenDirectlyHasItsNameAsId) {
  IndexerOptions options = Options();
  options.inputs = {root_ + "/nested/b.md"};
  Result<IndexSummary> r = RunIndex(options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->indexed, 1);
  EXPECT_EQ(Open().get_termfreq("Qb"), 1u);
}

TEST_F(IndexerTest, ParallelAndSerialRunsGiveTheSameIndex) {
  // Enough JSONL lines for several document-building jobs.
  std::string lines;
  for (int i = 0; i < 100; ++i) {
    lines += Line("n" + std::to_string(i), "Title " + std::to_string(i)) + "\n";
  }
  WriteFile(root_ + "/many.jsonl", lines);
  IndexerOptions serial = Options();
  serial.jobs = 1;
  serial.db_dir = tmp_.Sub("db1");
  IndexerOptions parallel = Options();
  parallel.jobs = 4;
  parallel.batch_size = 7;
  Result<IndexSummary> a = RunIndex(serial);
  Result<IndexSummary> b = RunIndex(parallel);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->indexed, 105);
  EXPECT_EQ(b->indexed, 105);
  Xapian::Database da = *store::OpenForReading(serial.db_dir);
  Xapian::Database db = Open();
  ASSERT_EQ(da.get_doccount(), db.get_doccount());
  // Same documents in the same (input) order.
  for (Xapian::docid d = 1; d <= da.get_doccount(); ++d) {
    EXPECT_EQ(da.get_document(d).get_data(), db.get_document(d).get_data());
  }
}

TEST(IndexSummaryTest, SummaryLineAndJson) {
  IndexSummary s;
  s.indexed = 1204;
  s.updated = 3;
  s.deleted = 1;
  s.unchanged = 0;
  s.skipped = 2;
  s.seconds = 1.5;
  s.errors = {ParseError{"a.jsonl", 3, "invalid JSON"},
              ParseError{"b.md", 1, "empty file"}};
  EXPECT_EQ(s.SummaryLine(),
            "indexed 1,204, updated 3, deleted 1, unchanged 0, skipped 2 in "
            "1.5 s (805 articles/s)");
  EXPECT_EQ(s.ToJson(),
            "{\"indexed\":1204,\"updated\":3,\"deleted\":1,\"unchanged\":0,"
            "\"skipped\":2,\"copies\":0,\"passed_over\":0,\"archives\":0,"
            "\"archive_files\":0,\"other_shards\":0,"
            "\"seconds\":1.5,"
            "\"articles_per_second\":804.7,\"formats\":{},"
            "\"errors\":[\"a.jsonl:3: error: invalid JSON\","
            "\"b.md:1: error: empty file\"]}");
  IndexSummary empty;
  EXPECT_EQ(empty.SummaryLine(),
            "indexed 0, updated 0, deleted 0, unchanged 0, skipped 0 in 0.00 "
            "s (0 articles/s)");
  IndexSummary quick;
  quick.indexed = 33;
  quick.seconds = 0.046;
  EXPECT_EQ(quick.SummaryLine(),
            "indexed 33, updated 0, deleted 0, unchanged 0, skipped 0 in 0.05 "
            "s (717 articles/s)");
}

TEST(ProgressBarTest, RendersArticlesRateAndTimeLeftFromBytes) {
  using State = indexer::ProgressBar::State;
  struct Case {
    State state;
    std::string expected;
  };
  const Case cases[] = {
      {State{0, 0, 1000, 0, "", 0, 0},
       "[............]   0%  0 articles  0 articles/s"},
      // A quarter of the bytes in 10 s: 30 s left, whatever the file count.
      {State{250, 250, 1000, 10, "", 0, 0},
       "[###.........]  25%  250 articles  25 articles/s  30 s left"},
      {State{12345, 500, 1000, 15.2, "", 0, 0},
       "[######......]  50%  12,345 articles  812 articles/s  15 s left"},
      {State{4, 1, 4, 2, "", 0, 0},
       "[###.........]  25%  4 articles  2 articles/s  6 s left"},
      {State{1000, 1000, 1000, 125, "", 0, 0},
       "[############] 100%  1,000 articles  8 articles/s  0 s left"},
      {State{90, 3, 200, 1.5, "", 0, 0},
       "[............]   1%  90 articles  60 articles/s  1 min 39 s left"},
      // Nothing to read (every file unchanged): no estimate.
      {State{7, 0, 0, 1, "", 0, 0},
       "[............]   0%  7 articles  7 articles/s"},
      // A phase: its own clock and a spinner that turns with each redraw.
      {State{28000, 900, 1000, 80, "writing the last shards", 14.4, 0},
       "[##########..]  90%  28,000 articles  writing the last shards  14 s "
       "|"},
      {State{31410, 1000, 1000, 80, "merging 9 databases: postlist", 4, 2},
       "[############] 100%  31,410 articles  merging 9 databases: postlist  "
       "4 s -"},
      {State{5, 0, 0, 1, "committing", 0.2, 3},
       "[############] 100%  5 articles  committing  0 s \\"},
      {State{31410, 1000, 1000, 80, "merging 9 databases", 75, 1},
       "[############] 100%  31,410 articles  merging 9 databases  1 min 15 "
       "s /"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(indexer::ProgressBar::Render(c.state), c.expected);
  }
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST(ProgressBarTest, DisabledBarPrintsNothing) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  {
    indexer::ProgressBar::Options options;
    options.enabled = false;
    options.total_bytes = 10;
    options.out = out;
    options.interval = std::chrono::milliseconds(0);
    indexer::ProgressBar bar(options);
    for (long i = 0; i <= 10; ++i) bar.Update(i, static_cast<uint64_t>(i));
    bar.SetPhase("merging 2 databases");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    bar.Finish();
  }
  EXPECT_EQ(std::ftell(out), 0);
  std::fclose(out);
}

// The final merge of a full run calls nothing but SetPhase for many
// seconds: the bar's own thread must keep redrawing it.
TEST(ProgressBarTest, KeepsRedrawingDuringAPhaseWithoutUpdates) {
  TempDir tmp;
  // The bar flushes every line it draws: the file, read through its own
  // descriptor, always holds what was drawn so far.
  const std::string path = tmp.Sub("bar.txt");
  std::FILE* out = std::fopen(path.c_str(), "w");
  ASSERT_NE(out, nullptr);
  indexer::ProgressBar::Options options;
  options.enabled = true;
  options.total_bytes = 100;
  options.out = out;
  options.interval = std::chrono::milliseconds(2);
  indexer::ProgressBar bar(options);
  bar.Update(40, 100);
  bar.SetPhase("merging 3 databases");
  // Drawn at once when the phase starts, then redrawn by the timer alone.
  EXPECT_GE(Count(ReadFile(path), "merging 3 databases"), 1u);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (Count(ReadFile(path), "merging 3 databases") < 5 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  bar.Finish();
  std::string text = ReadFile(path);
  EXPECT_GE(Count(text,
                  "\r[############] 100%  40 articles  merging 3 "
                  "databases  "),
            5u)
      << text;
  // The spinner turns between redraws.
  EXPECT_NE(text.find(" |\033[K"), std::string::npos) << text;
  EXPECT_NE(text.find(" /\033[K"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("\r\033[K")) << "erased by Finish";
  std::fclose(out);
}

TEST(ProgressBarTest, IntervalFromTheEnvironment) {
  using std::chrono::milliseconds;
  EXPECT_EQ(indexer::ProgressIntervalFromEnv(nullptr),
            indexer::ProgressBar::kDefaultInterval);
  EXPECT_EQ(indexer::ProgressIntervalFromEnv(""),
            indexer::ProgressBar::kDefaultInterval);
  EXPECT_EQ(indexer::ProgressIntervalFromEnv("0"), milliseconds(0));
  EXPECT_EQ(indexer::ProgressIntervalFromEnv("250"), milliseconds(250));
  EXPECT_EQ(indexer::ProgressIntervalFromEnv("-5"),
            indexer::ProgressBar::kDefaultInterval);
  EXPECT_EQ(indexer::ProgressIntervalFromEnv("fast"),
            indexer::ProgressBar::kDefaultInterval);
}

TEST(ShardBuildTest, AnArticleWithAnOverlongIdIsRejectedAndTheRestWritten) {
  TempDir tmp;
  indexer::ShardBuild::Options options;
  options.threads = 2;
  options.shard_docs = 2;
  const std::string abs_path = "/corpus/a.jsonl";
  std::vector<indexer::ShardBuild::Rejected> rejected;
  {
    indexer::ShardBuild build(tmp.Sub("gen"), options);
    for (size_t i = 0; i < 5; ++i) {
      Article a;
      a.id = i == 2 ? std::string(245, 'x') : "a:" + std::to_string(i);
      a.title = "Article " + std::to_string(i);
      build.Add(std::move(a), abs_path, i);
    }
    rejected = build.Finish();
  }
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].tag, 2u);
  EXPECT_EQ(rejected[0].message, "cannot be indexed: the term \"Q" +
                                     std::string(39, 'x') +
                                     "...\" is longer than 245 bytes");
  Xapian::Database db(tmp.Sub("gen"));
  EXPECT_EQ(db.get_doccount(), 4u);
  EXPECT_EQ(db.get_termfreq("Qa:4"), 1u);
  // A 244-byte id makes a 245-byte term: accepted.
  Article a;
  a.id = std::string(244, 'y');
  EXPECT_EQ(indexer::OverlongTermError(a), "");
}

TEST(ShardBuildTest, FinishReportsItsSteps) {
  TempDir tmp;
  std::vector<std::string> steps;
  indexer::ShardBuild::Options options;
  options.threads = 2;
  options.shard_docs = 3;
  options.on_finish_step = [&](const std::string& step) {
    steps.push_back(step);
  };
  const std::string abs_path = "/corpus/a.jsonl";
  {
    indexer::ShardBuild build(tmp.Sub("gen"), options);
    for (size_t i = 0; i < 10; ++i) {
      Article a;
      a.id = "a:" + std::to_string(i);
      a.title = "Article " + std::to_string(i);
      build.Add(std::move(a), abs_path, i);
    }
    EXPECT_TRUE(steps.empty());  // only Finish reports
    EXPECT_TRUE(build.Finish().empty());
  }
  // 4 shards (3 + 3 + 3 + 1, the tail re-cut) and the metadata database.
  ASSERT_GE(steps.size(), 3u);
  std::string merging;
  for (const std::string& step : steps) {
    if (step.starts_with("merging ") && step.find(':') == std::string::npos) {
      merging = step;
    }
  }
  ASSERT_FALSE(merging.empty()) << ::testing::PrintToString(steps);
  EXPECT_NE(std::find(steps.begin(), steps.end(), merging + ": postlist"),
            steps.end())
      << ::testing::PrintToString(steps);
  EXPECT_EQ(Xapian::Database(tmp.Sub("gen")).get_doccount(), 10u);
}

// ---- the command line ----

class IndexCommandTest : public IndexerTest {
 protected:
  testing::CommandResult Run(std::vector<std::string> args) const {
    args.insert(args.begin(), {testing::PunditBinary(), "index", "--db", db_});
    return testing::RunCommand(args);
  }
};

TEST_F(IndexCommandTest, AllIndexedExitsZeroWithSummaryAndNoProgressBar) {
  testing::CommandResult r = Run({root_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with(
      "indexed 5, updated 0, deleted 0, unchanged 0, skipped 0 in "))
      << r.out;
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(root_ + "/README.md: note: not an article file"),
            std::string::npos)
      << r.err;
}

TEST_F(IndexCommandTest, SomeSkippedExitsTwoWithErrorOnStderr) {
  WriteFile(root_ + "/bad.jsonl", Line("x", "Fine") + "\n{oops\n");
  testing::CommandResult r = Run({"--jobs", "1", root_});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(root_ + "/bad.jsonl:2: error: "), std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.starts_with("indexed 6, ")) << r.out;
}

TEST_F(IndexCommandTest, WholeFileErrorsNameLineOne) {
  WriteFile(root_ + "/empty.md", "");
  WriteFile(root_ + "/blank.md", "  \n\n");
  WriteFile(root_ + "/binary.md", std::string("# Title\n\nText\0\x01", 15));
  testing::CommandResult r = Run({"--jobs", "1", root_});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const std::string lines[] = {
      root_ +
          "/binary.md:3: error: binary file (NUL byte at offset 13): not "
          "an article\n",
      root_ +
          "/blank.md:1: error: file is empty: write an article in it or "
          "delete it\n",
      root_ +
          "/empty.md:1: error: file is empty: write an article in it or "
          "delete it\n",
  };
  for (const std::string& line : lines) {
    EXPECT_NE(r.err.find(line), std::string::npos) << line << "\n" << r.err;
  }
  EXPECT_EQ(r.err.find(": error: ", r.err.find("empty.md:1")),
            r.err.rfind(": error: "));
  EXPECT_TRUE(r.out.starts_with("indexed 5, ")) << r.out;
}

// On a terminal (a pseudo-terminal, as a user sees it) the bar is drawn
// in place on stderr, shows the articles, their rate and the merge of the
// first (full) run, and is erased before the summary.
TEST_F(IndexCommandTest, ProgressBarIsDrawnOnATerminal) {
  std::string lines;
  for (int i = 0; i < 200; ++i) {
    lines += Line("n" + std::to_string(i), "Title " + std::to_string(i)) + "\n";
  }
  WriteFile(root_ + "/many.jsonl", lines);
  testing::CommandResult r = testing::RunInTerminal(
      {testing::PunditBinary(), "index", "--db", db_, "--jobs", "2", root_},
      {"PUNDIT_PROGRESS_INTERVAL_MS=0"});
  ASSERT_NE(r.exit_code, -1) << "no pseudo-terminal";
  EXPECT_EQ(r.exit_code, 0) << r.out;
  size_t summary = r.out.find("indexed 205, updated 0, deleted 0, ");
  ASSERT_NE(summary, std::string::npos) << r.out;
  const std::string bar = r.out.substr(0, summary);
  EXPECT_TRUE(bar.starts_with("\r[")) << bar;
  EXPECT_NE(bar.find(" articles/s"), std::string::npos) << bar;
  EXPECT_NE(bar.find("% "), std::string::npos) << bar;
  // The final merge of the first (full) run is a visible phase.
  EXPECT_NE(bar.find("[############] 100%  205 articles  merging "),
            std::string::npos)
      << bar;
  // Erased before anything else is printed.
  size_t erased = bar.rfind("\r\033[K");
  ASSERT_NE(erased, std::string::npos) << bar;
  EXPECT_EQ(bar.find('\r', erased + 1), std::string::npos) << bar;
  EXPECT_EQ(bar.find('\n'), bar.find(root_ + "/README.md: note:") +
                                (root_ + "/README.md: note: not an article "
                                         "file, passed over")
                                    .size())
      << bar;

  // An incremental run: the bar again, then the commit phase.
  WriteFile(root_ + "/new.md", "# New\n\nText.\n");
  r = testing::RunInTerminal(
      {testing::PunditBinary(), "index", "--db", db_, root_},
      {"PUNDIT_PROGRESS_INTERVAL_MS=0"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\r["), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  committing  "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("indexed 1, updated 0, deleted 0, unchanged 205"),
            std::string::npos)
      << r.out;
}

// Piped, nothing of the bar is printed, even redrawing as often as
// possible over several files, full and incremental runs and --json.
TEST_F(IndexCommandTest, NothingOfTheProgressBarWhenPiped) {
  for (int f = 0; f < 5; ++f) {
    std::string lines;
    for (int i = 0; i < 40; ++i) {
      const std::string n = std::to_string(f) + "-" + std::to_string(i);
      lines += Line("n" + n, "Title " + n) + "\n";
    }
    WriteFile(root_ + "/many" + std::to_string(f) + ".jsonl", lines);
  }
  const std::vector<std::vector<std::string>> runs = {
      {"--full", root_}, {root_}, {"--full", "--json", root_}};
  for (const std::vector<std::string>& args : runs) {
    std::vector<std::string> argv = {
        testing::PunditBinary(), "index", "--db", db_, "--jobs", "2"};
    argv.insert(argv.end(), args.begin(), args.end());
    testing::CommandResult r =
        testing::RunCommand(argv, {"PUNDIT_PROGRESS_INTERVAL_MS=0"});
    SCOPED_TRACE(args.front());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const std::string& text : {r.out, r.err}) {
      EXPECT_EQ(text.find('\r'), std::string::npos) << text;
      EXPECT_EQ(text.find('\033'), std::string::npos) << text;
      EXPECT_EQ(text.find("merging"), std::string::npos) << text;
      EXPECT_EQ(text.find("committing"), std::string::npos) << text;
      EXPECT_EQ(text.find("articles  "), std::string::npos) << text;
    }
    EXPECT_EQ(r.err, root_ +
                         "/README.md: note: not an article file, passed "
                         "over\n" +
                         root_ +
                         "/cover.png: note: not an article file, "
                         "passed over\n");
    // stdout: the summary line and what was read (or the JSON), and
    // nothing else.
    const bool json =
        std::find(args.begin(), args.end(), "--json") != args.end();
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), json ? 1 : 2)
        << r.out;
  }
}

TEST_F(IndexCommandTest, FailureExitsOne) {
  testing::CommandResult r = Run({tmp_.Sub("nosuch")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot index " + tmp_.Sub("nosuch") +
                       ": no such file or folder"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
}

// Runs `pundit index ARGS` with files limited to `kilobytes` (writing more
// fails with EFBIG, as on a full disk).
testing::CommandResult RunWithFileSizeLimit(const std::string& args,
                                            int kilobytes) {
  return testing::RunCommand({"/bin/sh", "-c",
                              "trap '' XFSZ; ulimit -f " +
                                  std::to_string(kilobytes * 2) + "; exec " +
                                  testing::PunditBinary() + " index " + args});
}

TEST_F(IndexCommandTest, WriteFailureExitsOneAndKeepsLiveIndex) {
  std::string lines;
  for (int i = 0; i < 300; ++i) {
    std::string body;
    for (int w = 0; w < 60; ++w) {
      body += "word" + std::to_string(i) + "x" + std::to_string(w) + " ";
    }
    lines += R"({"id": "n)" + std::to_string(i) + R"(", "title": "Title", )" +
             R"("body": ")" + body + "\"}\n";
  }
  WriteFile(root_ + "/big.jsonl", lines);
  ASSERT_EQ(Run({root_}).exit_code, 0);
  const std::string args = "--db " + db_ + " " + root_;

  testing::CommandResult r = RunWithFileSizeLimit("--full " + args, 64);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(
      r.err.find("pundit: error: cannot write the index in " + db_ + ": "),
      std::string::npos)
      << r.err;
  EXPECT_EQ(ReadFile(db_ + "/CURRENT"), "gen-000001\n");
  EXPECT_FALSE(fs::exists(db_ + "/gen-000002"));
  EXPECT_EQ(Open().get_doccount(), 305u);

  WriteFile(root_ + "/big.jsonl", lines + Line("late", "Late") + "\n");
  Bump(root_ + "/big.jsonl");
  r = RunWithFileSizeLimit(args, 64);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(Open().get_doccount(), 305u);

  r = Run({root_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("indexed 1, updated 0, deleted 0, ")) << r.out;
  EXPECT_EQ(Open().get_doccount(), 306u);
}

TEST_F(IndexCommandTest, JsonSummaryAndFullFlag) {
  testing::CommandResult r = Run({"--json", root_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["indexed"], 5);
  EXPECT_TRUE(j["errors"].empty());
  r = Run({"--full", "--json", root_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["unchanged"], 5);
  EXPECT_EQ(ReadFile(db_ + "/CURRENT"), "gen-000002\n");
}

}  // namespace
}  // namespace pundit
