// `pundit compact`: the index rewritten with full blocks into a new
// generation, every answer and article id unchanged.
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/store.h"
#include "indexer/indexer.h"
#include "searcher/searcher.h"
#include "tests/reliability_util.h"
#include "tests/test_util.h"

namespace pundit {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// `count` JSON Lines articles of random words (ids PREFIX-0...), enough
// distinct words per article that adding them to an index touches many
// B-tree blocks.
std::string Articles(const std::string& prefix, int count, unsigned seed) {
  static const std::vector<std::string> kAuthors = {"Ann Lee", "Bo Diaz",
                                                    "Cy Obi"};
  std::mt19937 rng(seed);
  std::string out;
  for (int i = 0; i < count; ++i) {
    std::string body;
    for (int w = 0; w < 300; ++w) {
      // Words "w0".."w9999" turned into letters: tokens the analyzer keeps.
      unsigned n = rng() % 10000;
      std::string word;
      do {
        word += static_cast<char>('a' + n % 26);
        n /= 26;
      } while (n > 0);
      body += (w ? " " : "") + word + "x";
    }
    json j = {{"id", prefix + "-" + std::to_string(i)},
              {"title", "Article " + std::to_string(i) + " of " + prefix},
              {"author", {kAuthors[i % kAuthors.size()]}},
              {"date", "2024-0" + std::to_string(1 + i % 9) + "-15"},
              {"body", body + ". The war on the economy goes on."}};
    out += j.dump() + "\n";
  }
  return out;
}

unsigned long long FolderBytes(const std::string& dir) {
  unsigned long long total = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

// Total, top ids and author counts of a few searches.
json Answers(const std::string& db) {
  auto searcher = Searcher::Open(SearcherOptions{db});
  EXPECT_TRUE(searcher.ok()) << searcher.status().ToString();
  if (!searcher.ok()) return {};
  json out = json::array();
  for (const char* q : {"war", "\"the economy\"", "article", "aax OR bax",
                        "author:\"Ann Lee\" economy"}) {
    SearchRequest request;
    request.q = q;
    request.want_facets = true;
    request.per_page = 20;
    auto response = (*searcher)->Search(request);
    EXPECT_TRUE(response.ok()) << q << ": " << response.status().ToString();
    if (!response.ok()) continue;
    json hits = json::array();
    for (const auto& hit : response->hits) hits.push_back(hit.id);
    json authors = json::object();
    for (const auto& [name, values] : response->facets) {
      if (name != "author") continue;
      for (const FacetValue& v : values) authors[v.value] = v.count;
    }
    out.push_back({{"q", q},
                   {"total", response->total},
                   {"hits", hits},
                   {"authors", authors}});
  }
  return out;
}

class CompactTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = tmp_.Sub("db");
    testing::WriteFile(tmp_.Sub("first.jsonl"), Articles("first", 400, 1));
    IndexerOptions options;
    options.db_dir = db_;
    options.inputs = {tmp_.Sub("first.jsonl")};
    options.full = true;
    options.jobs = 2;
    Result<IndexSummary> summary = RunIndex(options);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    ASSERT_EQ(summary->indexed, 400);
  }

  testing::CommandResult Compact() const {
    return testing::RunCommand(
        {testing::PunditBinary(), "compact", "--db", db_});
  }

  testing::TempDir tmp_;
  std::string db_;
};

TEST_F(CompactTest, GivesBackWhatAnAddGrewAndKeepsEveryAnswer) {
  const std::string built = *store::LiveGenerationPath(db_);
  const unsigned long long built_bytes = FolderBytes(built);

  // An incremental run into the compacted (full-built) index grows it by
  // more than the articles it adds.
  testing::WriteFile(tmp_.Sub("added.jsonl"), Articles("added", 200, 2));
  IndexerOptions options;
  options.db_dir = db_;
  options.inputs = {tmp_.Sub("first.jsonl"), tmp_.Sub("added.jsonl")};
  options.jobs = 2;
  Result<IndexSummary> added = RunIndex(options);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_EQ(added->indexed, 200);
  const unsigned long long grown_bytes = FolderBytes(built);
  const json before = Answers(db_);
  Xapian::Database old_db(built);
  ASSERT_EQ(old_db.get_doccount(), 600u);

  testing::CommandResult r = Compact();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("compacted 600 articles: "), std::string::npos) << r.out;

  // A new generation is live and the old one is gone.
  const std::string live = *store::LiveGenerationPath(db_);
  EXPECT_NE(live, built);
  EXPECT_FALSE(fs::exists(built));
  const unsigned long long compact_bytes = FolderBytes(live);
  EXPECT_LT(compact_bytes, grown_bytes)
      << "built " << built_bytes << ", grown " << grown_bytes;
  // 600 articles in full blocks, against 400 in full blocks: the size of
  // the articles, not of the split blocks.
  EXPECT_LT(compact_bytes, built_bytes * 600 / 400 * 11 / 10);

  // Same answers, same article at every document id.
  EXPECT_EQ(Answers(db_), before);
  Xapian::Database new_db(live);
  ASSERT_EQ(new_db.get_doccount(), 600u);
  for (Xapian::docid id = 1; id <= old_db.get_lastdocid(); ++id) {
    EXPECT_EQ(new_db.get_document(id).get_data(),
              old_db.get_document(id).get_data())
        << "document " << id;
  }

  // Incremental runs go on in the new generation: nothing to do, then one
  // more article.
  Result<IndexSummary> rerun = RunIndex(options);
  ASSERT_TRUE(rerun.ok()) << rerun.status().ToString();
  EXPECT_EQ(rerun->unchanged, 600);
  EXPECT_EQ(rerun->indexed, 0);
  testing::WriteFile(tmp_.Sub("one.jsonl"), Articles("one", 1, 3));
  options.inputs.push_back(tmp_.Sub("one.jsonl"));
  Result<IndexSummary> one = RunIndex(options);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->indexed, 1);
  EXPECT_EQ(one->unchanged, 600);
}

TEST_F(CompactTest, RefusesWhileAnotherWriterHoldsTheLockAndKeepsTheIndex) {
  const std::string live = *store::LiveGenerationPath(db_);
  {
    Result<std::unique_ptr<store::WriteLock>> lock =
        store::WriteLock::Acquire(db_);
    ASSERT_TRUE(lock.ok()) << lock.status().ToString();
    testing::CommandResult r = Compact();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("is locked"), std::string::npos) << r.err;
    EXPECT_EQ(*store::LiveGenerationPath(db_), live);
  }
  // Released: it runs, twice in a row.
  EXPECT_EQ(Compact().exit_code, 0);
  testing::CommandResult again = Compact();
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Answers(db_)[0]["total"], 400);
}

// Generation folders in `db` other than CURRENT's.
int OtherGenerations(const std::string& db) {
  const std::string live =
      fs::path(*store::LiveGenerationPath(db)).filename().string();
  int n = 0;
  for (const auto& e : fs::directory_iterator(db)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("gen-", 0) == 0 && name != live) ++n;
  }
  return n;
}

TEST(CompactKillTest, KilledCompactionsLeaveTheIndexWhole) {
  testing::TempDir tmp;
  const std::string db = tmp.Sub("db");
  testing::WriteSyntheticCorpus(tmp.Sub("corpus"), 4, 500, 11);
  IndexerOptions options;
  options.db_dir = db;
  options.inputs = {tmp.Sub("corpus")};
  options.full = true;
  ASSERT_TRUE(RunIndex(options).ok());
  testing::WriteSyntheticCorpus(tmp.Sub("more"), 1, 500, 12, "b");
  options.inputs.push_back(tmp.Sub("more"));
  options.full = false;
  ASSERT_TRUE(RunIndex(options).ok());
  auto fingerprint = [&db] {
    Result<Xapian::Database> r = store::OpenForReading(db);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? testing::FingerprintOf(*r) : testing::IndexFingerprint();
  };
  const testing::IndexFingerprint want = fingerprint();
  ASSERT_EQ(want.doccount, 2500);
  const std::vector<std::string> argv = {testing::PunditBinary(), "compact",
                                         "--db", db};

  // How long one compaction takes here, then kills spread over it.
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(testing::RunCommand(argv).exit_code, 0);
  const auto full = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  int mid_run = 0;
  for (int k = 1; k <= 12; ++k) {
    testing::ChildProcess child(argv, tmp.Sub("out"), tmp.Sub("err"));
    if (!child.Wait(full * k / 12)) {
      // A generation folder beside the live one: killed while writing it.
      child.Kill();
      mid_run += OtherGenerations(db) > 0;
    }
    EXPECT_EQ(testing::DiffFingerprints(fingerprint(), want), "")
        << "after a kill at " << k << "/12 of " << full.count() << " ms";
  }
  EXPECT_GE(mid_run, 1) << "no kill fell inside a compaction of "
                        << full.count() << " ms";

  // The next run removes what the killed ones left and compacts.
  testing::CommandResult last = testing::RunCommand(argv);
  EXPECT_EQ(last.exit_code, 0) << last.err;
  EXPECT_EQ(OtherGenerations(db), 0);
  EXPECT_EQ(testing::DiffFingerprints(fingerprint(), want), "");
}

TEST(CompactCommandTest, NoIndexIsAnErrorThatSaysWhatToRun) {
  testing::TempDir tmp;
  testing::CommandResult r = testing::RunCommand(
      {testing::PunditBinary(), "compact", "--db", tmp.Sub("none")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no index at"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("pundit index --db"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp.Sub("none")));
}

}  // namespace
}  // namespace pundit
