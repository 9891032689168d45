// Crash, disk-full and concurrent-writer properties of `pundit index`, run as
// a separate process that is killed, starved of disk or locked out:
//   - SIGKILL at random moments (uniform between 0 and the duration of an
//     uninterrupted run) of a large incremental run with small commit
//     batches: after every kill the database opens, `pundit search` answers,
//     no article is lost or duplicated, the article count never goes below
//     the previous committed state and every stored article is either its
//     old or its new version; a rerun completes with exit 0 and the index
//     then equals one built without interruption (same ids, same stored
//     data and terms per article, same facet counts);
//   - the same for `--full` rebuilds (every other kill late in the run, in
//     the last commits, the fsync and the swap): after every kill the live
//     index is exactly the old generation or exactly the new one (never a mix,
//     never back to the old one after the swap), and no generation folder but
//     the live one survives a completed rerun;
//   - a first run killed before its first commit leaves "no index" (a clear
//     message, exit 1) or the complete index, and a rerun builds it;
//   - an unwritable database folder (under a regular file: ENOTDIR; on a
//     read-only mount: EROFS) is exit 1 with a message naming the folder,
//     and the live index is untouched;
//   - a full disk (files limited in size by RLIMIT_FSIZE; a tiny tmpfs when
//     mounting is permitted) is exit 1 with a message naming the folder, for
//     incremental and --full runs; the live index answers the same results
//     as before, and once space is back a rerun completes the index;
//   - memory or threads running out in any thread of the indexer (address
//     space limited by RLIMIT_AS: a second thread cannot start; one 15 MB
//     article cannot be read) is exit 1 with one `pundit: error:` line,
//     never an abort, for incremental and --full runs; the live index is
//     untouched and no unfinished generation is left;
//   - a second `pundit index` while one runs exits 1 within a bounded time
//     with "locked by pid N" (N the first one's pid); the first one then
//     completes and its index is exactly the reference.
// PUNDIT_LONG=1 makes the corpora and the number of kills larger;
// PUNDIT_CRASH_SEED chooses the random kill delays (printed on failure).
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/store.h"
#include "tests/reliability_util.h"
#include "tests/test_util.h"

namespace pundit {
namespace {

namespace fs = std::filesystem;
using testing::BoundedResult;
using testing::ChildProcess;
using testing::IndexFingerprint;
using testing::PunditBinary;
using testing::ReadFile;
using testing::RunBounded;
using testing::Seconds;
using testing::TempDir;
using testing::WriteFile;

// Generous bound for a run that should complete: a hang fails the test
// instead of blocking the suite.
constexpr double kRunLimitSeconds = 300;

uint64_t KillSeed() {
  const char* v = std::getenv("PUNDIT_CRASH_SEED");
  if (v != nullptr && *v != '\0') return std::strtoull(v, nullptr, 10);
  return 20240601;
}

// The fingerprint of the live index at `db`; fails the test when it cannot
// be opened.
IndexFingerprint Fingerprint(const std::string& db) {
  Result<Xapian::Database> opened = store::OpenForReading(db);
  EXPECT_TRUE(opened.ok()) << opened.status().message();
  if (!opened.ok()) return {};
  return testing::FingerprintOf(*opened);
}

// `pundit search --db DB --json QUERY` without its timing, or the error.
struct SearchOutput {
  int exit_code = -1;
  nlohmann::json json;
  std::string err;
};

SearchOutput Search(const std::string& db, const std::string& query,
                    const std::string& scratch) {
  BoundedResult r =
      RunBounded({PunditBinary(), "search", "--db", db, "--json", query},
                 scratch, Seconds(60));
  SearchOutput s;
  s.exit_code = r.finished ? r.exit_code : -1;
  s.err = r.err;
  if (s.exit_code == 0) {
    s.json = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    if (s.json.is_object()) s.json.erase("took_ms");
  }
  return s;
}

std::vector<std::string> GenerationFolders(const std::string& db) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(db, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.starts_with("gen-")) out.push_back(name);
  }
  return out;
}

class CrashTest : public ::testing::Test {
 protected:
  std::string Db(const std::string& name) const { return tmp_.Sub(name); }
  std::string Corpus() const { return tmp_.Sub("corpus"); }
  std::string Scratch() const { return tmp_.path(); }

  std::vector<std::string> IndexArgs(const std::string& db,
                                     std::vector<std::string> extra) const {
    std::vector<std::string> argv = {PunditBinary(), "index", "--db", db};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(Corpus());
    return argv;
  }

  // Runs to completion; returns the wall time in seconds.
  double RunToCompletion(const std::vector<std::string>& argv) {
    auto start = std::chrono::steady_clock::now();
    BoundedResult r = RunBounded(argv, Scratch(), Seconds(kRunLimitSeconds));
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    EXPECT_TRUE(r.finished)
        << "pundit index did not finish in " << kRunLimitSeconds << " s";
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return seconds;
  }

  // Starts argv and SIGKILLs it after a random delay in [0, *max_seconds]
  // (with `late`, in [0.8, 1] x *max_seconds: the last commits, the fsync
  // and the swap). Returns true when it was killed, false when it had
  // already ended (with exit 0, asserted); then, with `remeasure`, its run
  // time becomes the new *max_seconds (the machine's load changes).
  bool RunAndMaybeKill(const std::vector<std::string>& argv,
                       double* max_seconds, testing::Rng& rng, bool late,
                       bool remeasure) {
    double u = static_cast<double>(rng.Below(1000001)) / 1e6;
    double delay = *max_seconds * (late ? 0.8 + 0.2 * u : u);
    auto start = std::chrono::steady_clock::now();
    ChildProcess child(argv, tmp_.Sub("kill.out"), tmp_.Sub("kill.err"));
    if (child.Wait(Seconds(delay))) {
      EXPECT_EQ(child.exit_code(), 0) << ReadFile(tmp_.Sub("kill.err"));
      if (remeasure) {
        *max_seconds = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count();
      }
      return false;
    }
    child.Kill();
    if (!child.killed_by_signal()) {
      // It ended on its own between the last poll and the signal.
      EXPECT_EQ(child.exit_code(), 0) << ReadFile(tmp_.Sub("kill.err"));
      return false;
    }
    return true;
  }

  TempDir tmp_;
};

// Incremental: a live index of the first files, then many more files and
// some changed ones, indexed in batches of 20 articles (many commits).
TEST_F(CrashTest, KilledIncrementalRunsLoseNothingAndResume) {
  const bool long_run = testing::LongRun();
  const int base_files = 10, more_files = long_run ? 190 : 40;
  const int per_file = 100;
  const int target_kills = long_run ? 40 : 20;
  testing::WriteSyntheticCorpus(Corpus(), base_files, per_file, 11);
  RunToCompletion(IndexArgs(Db("base"), {}));
  const IndexFingerprint base = Fingerprint(Db("base"));
  ASSERT_EQ(base.doccount, base_files * per_file);

  // More files (ids continue after the base ones) and two changed files
  // (every article gets the word "zqrevised" in its title).
  const std::string more = tmp_.Sub("more");
  testing::WriteSyntheticCorpus(more, base_files + more_files, per_file, 11);
  for (int f = base_files; f < base_files + more_files; ++f) {
    char name[32];
    std::snprintf(name, sizeof name, "/part-%04d.jsonl", f);
    fs::rename(more + name, Corpus() + name);
  }
  for (int f : {2, 7}) {
    std::string lines;
    for (int a = 0; a < per_file; ++a) {
      long n = f * per_file + a;
      char id[32];
      std::snprintf(id, sizeof id, "a%07ld", n);
      lines +=
          testing::SyntheticJsonLine(11 * 1000003 + n, id, "zqrevised") + "\n";
    }
    char name[32];
    std::snprintf(name, sizeof name, "/part-%04d.jsonl", f);
    WriteFile(Corpus() + name, lines);
  }
  const std::vector<std::string> extra = {"--batch-size", "20", "--jobs", "2"};

  testing::CopyDatabase(Db("base"), Db("ref"));
  double full_seconds = RunToCompletion(IndexArgs(Db("ref"), extra));
  const IndexFingerprint ref = Fingerprint(Db("ref"));
  ASSERT_EQ(ref.doccount, (base_files + more_files) * per_file);
  SearchOutput ref_revised = Search(Db("ref"), "zqrevised", Scratch());
  ASSERT_EQ(ref_revised.exit_code, 0) << ref_revised.err;
  ASSERT_EQ(ref_revised.json["total"], 2 * per_file);

  testing::Rng rng(KillSeed());
  int kills = 0, rounds = 0, completed_reruns = 0;
  while (kills < target_kills && rounds < 4 * target_kills) {
    ++rounds;
    testing::CopyDatabase(Db("base"), Db("work"));
    long committed = base.doccount;
    for (;;) {
      if (!RunAndMaybeKill(IndexArgs(Db("work"), extra), &full_seconds, rng,
                           /*late=*/false, /*remeasure=*/false)) {
        ++completed_reruns;
        break;
      }
      ++kills;
      SCOPED_TRACE("kill " + std::to_string(kills) + " (seed " +
                   std::to_string(KillSeed()) + ")");
      IndexFingerprint fp = Fingerprint(Db("work"));
      EXPECT_EQ(fp.duplicate_ids, 0);
      EXPECT_EQ(fp.docs_without_id, 0);
      EXPECT_GE(fp.doccount, committed) << "committed articles were lost";
      committed = fp.doccount;
      for (const auto& [id, hash] : fp.docs) {
        auto old_it = base.docs.find(id);
        auto new_it = ref.docs.find(id);
        ASSERT_NE(new_it, ref.docs.end()) << "unknown article " << id;
        EXPECT_TRUE(hash == new_it->second ||
                    (old_it != base.docs.end() && hash == old_it->second))
            << id << " is neither its old nor its new version";
      }
      for (const auto& [id, hash] : base.docs) {
        EXPECT_TRUE(fp.docs.count(id)) << "base article " << id << " lost";
      }
      SearchOutput s = Search(Db("work"), "x", Scratch());
      EXPECT_EQ(s.exit_code, 0) << s.err;
      if (kills >= target_kills) break;
    }
    // The rerun that completes.
    RunToCompletion(IndexArgs(Db("work"), extra));
    IndexFingerprint fp = Fingerprint(Db("work"));
    EXPECT_EQ(testing::DiffFingerprints(fp, ref), "")
        << "round " << rounds << " (seed " << KillSeed() << ")";
    SearchOutput revised = Search(Db("work"), "zqrevised", Scratch());
    EXPECT_EQ(revised.json, ref_revised.json);
    if (HasFailure()) break;
  }
  EXPECT_GE(kills, target_kills);
  std::printf(
      "[ reliability ] incremental: %d articles, %.1f s uninterrupted, %d "
      "kills in %d rounds, %d reruns completed before their kill\n",
      static_cast<int>(ref.doccount), full_seconds, kills, rounds,
      completed_reruns);
}

// --full: the old generation stays live until the swap.
TEST_F(CrashTest, KilledFullRebuildsKeepOldGenerationLive) {
  const bool long_run = testing::LongRun();
  const int files = long_run ? 100 : 30, per_file = 100;
  const int target_kills = long_run ? 40 : 20;
  testing::WriteSyntheticCorpus(Corpus(), files, per_file, 23);
  RunToCompletion(IndexArgs(Db("old"), {}));
  const IndexFingerprint old_fp = Fingerprint(Db("old"));
  ASSERT_EQ(old_fp.doccount, files * per_file);

  // The new corpus: 3 files gone, 2 changed (another seed), 4 added.
  for (int f : {0, 5, 9}) {
    char name[32];
    std::snprintf(name, sizeof name, "/part-%04d.jsonl", f);
    fs::remove(Corpus() + name);
  }
  const std::string other = tmp_.Sub("other");
  testing::WriteSyntheticCorpus(other, files + 4, per_file, 29, "b");
  for (int f : {3, 4, files, files + 1, files + 2, files + 3}) {
    char name[32];
    std::snprintf(name, sizeof name, "/part-%04d.jsonl", f);
    std::string target = Corpus() + name;
    if (f < files) {
      // Keep the ids of the file, change the content.
      std::string lines;
      for (int a = 0; a < per_file; ++a) {
        long n = f * per_file + a;
        char id[32];
        std::snprintf(id, sizeof id, "a%07ld", n);
        lines += testing::SyntheticJsonLine(99 + n, id) + "\n";
      }
      WriteFile(target, lines);
    } else {
      fs::rename(other + name, target);
    }
  }
  const std::vector<std::string> extra = {"--full", "--jobs", "2"};
  testing::CopyDatabase(Db("old"), Db("ref"));
  double full_seconds = RunToCompletion(IndexArgs(Db("ref"), extra));
  const IndexFingerprint new_fp = Fingerprint(Db("ref"));
  ASSERT_EQ(new_fp.doccount, (files - 3 + 4) * per_file);
  ASSERT_NE(testing::DiffFingerprints(new_fp, old_fp), "");

  testing::Rng rng(KillSeed() + 1);
  int kills = 0, rounds = 0, kills_after_swap = 0, attempts = 0;
  while (kills < target_kills && rounds < 4 * target_kills) {
    ++rounds;
    testing::CopyDatabase(Db("old"), Db("work"));
    bool swapped = false;
    for (;;) {
      if (!RunAndMaybeKill(IndexArgs(Db("work"), extra), &full_seconds, rng,
                           /*late=*/++attempts % 2 == 0,
                           /*remeasure=*/true)) {
        break;
      }
      ++kills;
      SCOPED_TRACE("kill " + std::to_string(kills) + " (seed " +
                   std::to_string(KillSeed()) + ")");
      IndexFingerprint fp = Fingerprint(Db("work"));
      bool is_old = testing::DiffFingerprints(fp, old_fp).empty();
      bool is_new = testing::DiffFingerprints(fp, new_fp).empty();
      EXPECT_TRUE(is_old || is_new) << "live index is neither generation: "
                                    << testing::DiffFingerprints(fp, new_fp);
      EXPECT_FALSE(swapped && is_old) << "went back to the old generation";
      if (is_new) {
        swapped = true;
        ++kills_after_swap;
      }
      SearchOutput s = Search(Db("work"), "", Scratch());
      EXPECT_EQ(s.exit_code, 0) << s.err;
      EXPECT_EQ(s.json["total"], fp.doccount);
      if (kills >= target_kills || HasFailure()) break;
    }
    RunToCompletion(IndexArgs(Db("work"), extra));
    EXPECT_EQ(testing::DiffFingerprints(Fingerprint(Db("work")), new_fp), "")
        << "round " << rounds;
    EXPECT_EQ(GenerationFolders(Db("work")).size(), 1u);
    EXPECT_FALSE(fs::exists(Db("work") + "/CURRENT.tmp"));
    if (HasFailure()) break;
  }
  EXPECT_GE(kills, target_kills);
  std::printf(
      "[ reliability ] --full: %d -> %d articles, %.1f s uninterrupted, %d "
      "kills in %d rounds (%d after the swap)\n",
      static_cast<int>(old_fp.doccount), static_cast<int>(new_fp.doccount),
      full_seconds, kills, rounds, kills_after_swap);
}

// The very first run of a folder: nothing is live until it completes.
TEST_F(CrashTest, KilledFirstRunLeavesNoIndexOrTheWholeIndex) {
  const int target_kills = testing::LongRun() ? 20 : 8;
  testing::WriteSyntheticCorpus(Corpus(), 20, 100, 31);
  const std::vector<std::string> extra = {"--batch-size", "50"};
  double full_seconds = RunToCompletion(IndexArgs(Db("ref"), extra));
  const IndexFingerprint ref = Fingerprint(Db("ref"));
  testing::Rng rng(KillSeed() + 2);
  int kills = 0, no_index = 0, attempts = 0;
  while (kills < target_kills && attempts < 8 * target_kills) {
    fs::remove_all(Db("work"));
    if (!RunAndMaybeKill(IndexArgs(Db("work"), extra), &full_seconds, rng,
                         /*late=*/++attempts % 2 == 0, /*remeasure=*/true)) {
      continue;
    }
    ++kills;
    SearchOutput s = Search(Db("work"), "x", Scratch());
    if (s.exit_code == 1) {
      ++no_index;
      EXPECT_EQ(s.err, "pundit: error: no index at " + Db("work") +
                           ": run `pundit index --db " + Db("work") +
                           " PATH...` first\n");
    } else {
      EXPECT_EQ(s.exit_code, 0) << s.err;
      EXPECT_EQ(testing::DiffFingerprints(Fingerprint(Db("work")), ref), "");
    }
    RunToCompletion(IndexArgs(Db("work"), extra));
    EXPECT_EQ(testing::DiffFingerprints(Fingerprint(Db("work")), ref), "");
    if (HasFailure()) break;
  }
  EXPECT_GE(kills, target_kills);
  std::printf("[ reliability ] first run: %d kills, %d left no index yet\n",
              kills, no_index);
}

// ---- unwritable and full disks ----

class DiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = tmp_.Sub("corpus");
    testing::WriteSyntheticCorpus(corpus_, 2, 100, 41);
  }

  BoundedResult Index(const std::string& db, std::vector<std::string> extra,
                      testing::ChildLimits limits = testing::ChildLimits()) {
    std::vector<std::string> argv = {PunditBinary(), "index", "--db", db};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(corpus_);
    BoundedResult r =
        RunBounded(argv, tmp_.path(), Seconds(kRunLimitSeconds), limits);
    EXPECT_TRUE(r.finished) << "pundit index hung";
    EXPECT_FALSE(r.signaled) << "pundit index crashed: " << r.err;
    return r;
  }

  // What a user sees of the index: a few searches (without timings).
  std::vector<nlohmann::json> Answers(const std::string& db) {
    std::vector<nlohmann::json> out;
    const std::vector<std::string> queries = {
        "", "x", testing::Vocabulary()[0],
        testing::Vocabulary()[3] + " OR " + testing::Vocabulary()[9],
        "author:\"Anna Berg\""};
    for (const std::string& q : queries) {
      SearchOutput s = Search(db, q, tmp_.path());
      EXPECT_EQ(s.exit_code, 0) << s.err;
      out.push_back(s.json);
    }
    return out;
  }

  // Adds 30 files of 100 articles: far more than the space left.
  void GrowCorpus() {
    const std::string more = tmp_.Sub("more");
    testing::WriteSyntheticCorpus(more, 32, 100, 41);
    for (int f = 2; f < 32; ++f) {
      char name[32];
      std::snprintf(name, sizeof name, "/part-%04d.jsonl", f);
      fs::rename(more + name, corpus_ + name);
    }
  }

  TempDir tmp_;
  std::string corpus_;
};

TEST_F(DiskTest, DatabaseUnderARegularFileIsExitOneNamingTheFolder) {
  WriteFile(tmp_.Sub("file"), "not a folder\n");
  struct Case {
    std::string db;
    std::string message;
  };
  const std::vector<Case> cases = {
      {tmp_.Sub("file/db"), "pundit: error: cannot create " +
                                tmp_.Sub("file/db") + ": Not a directory\n"},
      {tmp_.Sub("file/db/deeper"), "pundit: error: cannot create " +
                                       tmp_.Sub("file/db/deeper") +
                                       ": Not a directory\n"},
  };
  for (const Case& c : cases) {
    BoundedResult r = Index(c.db, {});
    EXPECT_EQ(r.exit_code, 1) << c.db;
    EXPECT_EQ(r.err, c.message);
    EXPECT_EQ(r.out, "");
  }
  EXPECT_EQ(ReadFile(tmp_.Sub("file")), "not a folder\n");
}

// Mounts (and in the destructor unmounts) a file system for one test.
class Mount {
 public:
  Mount(const std::string& source, const std::string& target, const char* type,
        unsigned long flags, const std::string& data)
      : target_(target) {
    ok_ = mount(source.c_str(), target.c_str(), type, flags,
                data.empty() ? nullptr : data.c_str()) == 0;
    if (!ok_) error_ = std::strerror(errno);
  }
  ~Mount() {
    if (ok_) umount2(target_.c_str(), MNT_DETACH);
  }
  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }

 private:
  std::string target_;
  bool ok_ = false;
  std::string error_;
};

TEST_F(DiskTest, ReadOnlyDatabaseFolderIsExitOneAndLiveIndexUntouched) {
  const std::string db = tmp_.Sub("db");
  ASSERT_EQ(Index(db, {}).exit_code, 0);
  const auto before = Answers(db);
  Mount bind(db, db, nullptr, MS_BIND, "");
  if (!bind.ok()) GTEST_SKIP() << "cannot bind-mount here: " << bind.error();
  Mount ro("", db, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, "");
  if (!ro.ok()) GTEST_SKIP() << "cannot remount read-only: " << ro.error();
  GrowCorpus();
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--full"}}) {
    BoundedResult r = Index(db, extra);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "pundit: error: cannot write " + db +
                         "/LOCK: Read-only file system\n");
    EXPECT_EQ(Answers(db), before);
  }
}

TEST_F(DiskTest, FilesLimitedInSizeFailCleanlyAndKeepLiveIndex) {
  const std::string db = tmp_.Sub("db");
  ASSERT_EQ(Index(db, {}).exit_code, 0);
  const IndexFingerprint before_fp = Fingerprint(db);
  const auto before = Answers(db);
  GrowCorpus();
  // Room for the files as they are plus 64 KiB: far less than 3,000 more
  // articles need (as a disk with little space left).
  uintmax_t largest = 0;
  Result<std::string> live = store::LiveGenerationPath(db);
  ASSERT_TRUE(live.ok());
  for (const auto& e : fs::directory_iterator(*live)) {
    largest = std::max(largest, e.file_size());
  }
  ChildProcess::Limits limits;
  limits.max_file_bytes = largest + 64 * 1024;
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--full"},
        std::vector<std::string>{"--batch-size", "10"}}) {
    SCOPED_TRACE(extra.empty() ? "incremental" : extra[0]);
    BoundedResult r = Index(db, extra, limits);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_TRUE(r.err.starts_with("pundit: error: cannot write the index in " +
                                  db + ": "))
        << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(testing::DiffFingerprints(Fingerprint(db), before_fp), "");
    EXPECT_EQ(Answers(db), before);
    EXPECT_EQ(GenerationFolders(db).size(), 1u);
  }
  BoundedResult r = Index(db, {});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Fingerprint(db).doccount, 3200);
}

uintmax_t FolderBytes(const std::string& dir) {
  uintmax_t bytes = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) bytes += e.file_size();
  }
  return bytes;
}

// Fills the file system holding `path` (a new file) and frees `leave` bytes
// of it again.
void FillLeaving(const std::string& path, off_t leave) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  std::string block(1 << 16, 'f');
  while (write(fd, block.data(), block.size()) > 0) {
  }
  EXPECT_EQ(errno, ENOSPC);
  off_t size = lseek(fd, 0, SEEK_END);
  ASSERT_EQ(ftruncate(fd, std::max<off_t>(0, size - leave)), 0);
  close(fd);
}

TEST_F(DiskTest, FullTmpfsFailsCleanlyAndIndexCompletesOnceSpaceIsFreed) {
  const std::string base_db = tmp_.Sub("base"), ref_db = tmp_.Sub("ref");
  ASSERT_EQ(Index(base_db, {}).exit_code, 0);
  const IndexFingerprint base_fp = Fingerprint(base_db);
  const auto before = Answers(base_db);
  GrowCorpus();
  testing::CopyDatabase(base_db, ref_db);
  ASSERT_EQ(Index(ref_db, {}).exit_code, 0);
  const IndexFingerprint ref_fp = Fingerprint(ref_db);
  const uintmax_t ref_bytes = FolderBytes(ref_db);

  const std::string mnt = tmp_.Sub("mnt");
  fs::create_directories(mnt);
  Mount tmpfs("tmpfs", mnt, "tmpfs", 0,
              "size=" + std::to_string((2 * ref_bytes >> 10) + 1024) + "k");
  if (!tmpfs.ok()) {
    GTEST_SKIP() << "cannot mount a tmpfs here (" << tmpfs.error()
                 << "); FilesLimitedInSizeFailCleanlyAndKeepLiveIndex covers "
                    "the same path";
  }
  const std::string db = mnt + "/db";
  testing::CopyDatabase(base_db, db);
  const std::string filler = mnt + "/filler";

  // Almost no space: nothing can be committed; the live index is as it was.
  FillLeaving(filler, 128 * 1024);
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--full"}}) {
    SCOPED_TRACE(extra.empty() ? "incremental" : extra[0]);
    BoundedResult r = Index(db, extra);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_TRUE(r.err.starts_with("pundit: error: cannot write the index in " +
                                  db + ": "))
        << r.err;
    EXPECT_NE(r.err.find("No space left on device"), std::string::npos)
        << r.err;
    EXPECT_EQ(testing::DiffFingerprints(Fingerprint(db), base_fp), "");
    EXPECT_EQ(Answers(db), before);
    EXPECT_EQ(GenerationFolders(db).size(), 1u);
  }

  // Space for some batches of an incremental run, not all: it fails with
  // the same message; what it committed is consistent (every article its
  // old or its new version, none lost or doubled).
  fs::remove(filler);
  FillLeaving(filler, static_cast<off_t>(ref_bytes / 3));
  BoundedResult r = Index(db, {"--batch-size", "10"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  IndexFingerprint partial = Fingerprint(db);
  EXPECT_EQ(partial.duplicate_ids, 0);
  EXPECT_EQ(partial.docs_without_id, 0);
  for (const auto& [id, hash] : partial.docs) {
    auto it = ref_fp.docs.find(id);
    ASSERT_NE(it, ref_fp.docs.end()) << id;
    EXPECT_EQ(hash, it->second) << id;
  }
  EXPECT_GE(partial.doccount, base_fp.doccount);

  // Space again: the next run completes the index.
  fs::remove(filler);
  r = Index(db, {});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::DiffFingerprints(Fingerprint(db), ref_fp), "");
  std::printf(
      "[ reliability ] disk full: the failed run with room for some batches "
      "committed %ld of %ld new articles\n",
      partial.doccount - base_fp.doccount, ref_fp.doccount - base_fp.doccount);
}

// ---- concurrent writers ----

// ---- memory and threads running out ----

// True when built with AddressSanitizer, whose shadow memory needs far more
// address space than any RLIMIT_AS below.
constexpr bool kAddressSanitizer =
#if defined(__SANITIZE_ADDRESS__)
    true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    true;
#else
    false;
#endif
#else
    false;
#endif

// Whatever thread of `pundit index` fails (a reader or analysis worker, a
// shard builder, the main thread starting them), the run ends with one
// `pundit: error:` line and exit 1, never std::terminate (exit 134), the
// live index is as it was and no unfinished generation is left. The
// address space is limited (RLIMIT_AS) so that, with 4 GiB thread stacks,
// no second thread can start, or, with one job, a worker cannot hold what a
// 15 MB article needs. (Threads are not starved by filling the address
// space with default stacks: jemalloc then crashes in a new thread's first
// allocation, SIGSEGV, whatever pundit does.)
TEST_F(DiskTest, MemoryOrThreadsRunningOutInAnyThreadIsExitOneNotAnAbort) {
  if (kAddressSanitizer) {
    GTEST_SKIP() << "RLIMIT_AS cannot be used under AddressSanitizer";
  }
  const std::string db = tmp_.Sub("db");
  ASSERT_EQ(Index(db, {}).exit_code, 0);
  const IndexFingerprint before_fp = Fingerprint(db);
  GrowCorpus();
  // One article of 15 MB (under the 16 MiB limit of one record).
  std::string big = R"({"id": "big", "title": "Big", "body": ")";
  for (int i = 0; big.size() < 15'000'000; ++i) {
    big += testing::Vocabulary()[i % testing::Vocabulary().size()] + " ";
  }
  // First in name order: read before any batch is committed.
  WriteFile(corpus_ + "/aa-big.jsonl", big + "\"}\n");
  big.clear();
  big.shrink_to_fit();
  struct Case {
    std::vector<std::string> extra;
    testing::ChildLimits limits;
    std::string message;  // the whole of stderr
  };
  testing::ChildLimits few_threads;
  few_threads.stack_bytes = rlim_t{4} << 30;
  few_threads.max_address_bytes = rlim_t{6} << 30;
  testing::ChildLimits little_memory;
  little_memory.max_address_bytes = rlim_t{256} << 20;
  const std::vector<Case> cases = {
      // Threads: the indexing workers (incremental), the shard builders
      // (--full).
      {{"--jobs", "4"},
       few_threads,
       "pundit: error: starting the indexing threads: Resource temporarily "
       "unavailable\n"},
      {{"--full", "--jobs", "4"},
       few_threads,
       "pundit: error: indexing into " + db +
           ": Resource temporarily unavailable\n"},
      // Memory, in the worker reading the big article.
      {{"--jobs", "1"},
       little_memory,
       "pundit: error: indexing: out of memory\n"},
      {{"--full", "--jobs", "1"},
       little_memory,
       "pundit: error: indexing: out of memory\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.extra));
    BoundedResult r = Index(db, c.extra, c.limits);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_EQ(r.err, c.message);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(testing::DiffFingerprints(Fingerprint(db), before_fp), "");
    EXPECT_EQ(GenerationFolders(db).size(), 1u);
  }
  // Without the limits, the same runs complete.
  BoundedResult r = Index(db, {"--jobs", "4"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Fingerprint(db).doccount, 3201);
}

TEST(ConcurrentWriterTest, SecondWriterIsToldWhoHoldsTheLockAndNothingBreaks) {
  struct Case {
    std::vector<std::string> first, second;
  };
  const std::vector<Case> cases = {
      {{}, {}},
      {{"--full"}, {}},
      {{}, {"--full"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE((c.first.empty() ? "incremental" : "--full") +
                 std::string(" then ") +
                 (c.second.empty() ? "incremental" : "--full"));
    TempDir tmp;
    const std::string corpus = tmp.Sub("corpus");
    auto args = [&](const std::string& db, std::vector<std::string> extra) {
      std::vector<std::string> argv = {PunditBinary(), "index", "--db", db};
      argv.insert(argv.end(), extra.begin(), extra.end());
      argv.push_back(corpus);
      return argv;
    };
    // A live index of 5 files, then 15 more files for the first writer.
    testing::WriteSyntheticCorpus(corpus, 5, 100, 53);
    ASSERT_EQ(RunBounded(args(tmp.Sub("base"), {}), tmp.path(),
                         Seconds(kRunLimitSeconds))
                  .exit_code,
              0);
    testing::WriteSyntheticCorpus(corpus, 20, 100, 53);
    testing::CopyDatabase(tmp.Sub("base"), tmp.Sub("ref"));
    BoundedResult ref = RunBounded(args(tmp.Sub("ref"), c.first), tmp.path(),
                                   Seconds(kRunLimitSeconds));
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
    const IndexFingerprint ref_fp = Fingerprint(tmp.Sub("ref"));
    ASSERT_EQ(ref_fp.doccount, 2000);

    const std::string db = tmp.Sub("db");
    testing::CopyDatabase(tmp.Sub("base"), db);
    ChildProcess first(args(db, c.first), tmp.Sub("first.out"),
                       tmp.Sub("first.err"));
    // Once the first one holds the lock (its pid is in LOCK), freeze it so
    // that it cannot finish before the second one has tried.
    const std::string pid_line = std::to_string(first.pid()) + "\n";
    auto deadline = std::chrono::steady_clock::now() + Seconds(60);
    while (ReadFile(db + "/LOCK") != pid_line && !first.Poll() &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    ASSERT_EQ(ReadFile(db + "/LOCK"), pid_line);
    ASSERT_EQ(kill(first.pid(), SIGSTOP), 0);
    ASSERT_FALSE(first.Poll()) << "the first writer ended too soon";

    BoundedResult second =
        RunBounded(args(db, c.second), tmp.path(), Seconds(30));
    EXPECT_TRUE(second.finished) << "the second writer waited for the lock";
    EXPECT_EQ(second.exit_code, 1);
    EXPECT_EQ(second.err, "pundit: error: database " + db +
                              " is locked by pid " +
                              std::to_string(first.pid()) +
                              " (another `pundit index` is running); wait "
                              "for it or stop it\n");
    EXPECT_EQ(second.out, "");

    ASSERT_EQ(kill(first.pid(), SIGCONT), 0);
    ASSERT_TRUE(first.Wait(Seconds(kRunLimitSeconds)));
    EXPECT_EQ(first.exit_code(), 0) << ReadFile(tmp.Sub("first.err"));
    EXPECT_EQ(testing::DiffFingerprints(Fingerprint(db), ref_fp), "");
  }
}

}  // namespace
}  // namespace pundit
