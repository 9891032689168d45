// Properties of the database folder layout (core/store.h):
//   - a folder with no CURRENT has no live generation: kNotFound whose
//     message says how to create the index;
//   - MakeLive points CURRENT at the new generation (no CURRENT.tmp left
//     behind) and removes the previous generation folder;
//   - NextGenerationName counts past every existing generation;
//   - a second WriteLock on the same folder, even in the same process, is
//     kLocked and names the holder's pid; releasing the first lets it in;
//   - WriteLock on a folder that cannot be created is kIoError;
//   - OpenForReading refuses an index of another schema version with
//     kVersionMismatch and reads one of the current version;
//   - RemoveStaleGenerations removes every generation but the live one (all
//     of them when nothing is live yet) and never touches other files.
#include "core/store.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xapian.h>

#include <filesystem>
#include <string>

#include "core/schema.h"
#include "tests/test_util.h"

namespace pundit {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

// Creates a glass database in DIR/name with the given schema version ("" for
// none).
void MakeGeneration(const std::string& dir, const std::string& name,
                    const std::string& version) {
  Xapian::WritableDatabase db(
      dir + "/" + name, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
  if (!version.empty()) {
    db.set_metadata(std::string(schema::kSchemaKey), version);
  }
  Xapian::Document doc;
  doc.add_term("Qone");
  db.add_document(doc);
  db.commit();
}

TEST(StoreTest, LiveGenerationPathOfEmptyFolderIsNotFoundWithHowToFix) {
  TempDir tmp;
  Result<std::string> live = store::LiveGenerationPath(tmp.path());
  ASSERT_FALSE(live.ok());
  EXPECT_EQ(live.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(live.status().message(), "no index at " + tmp.path() +
                                         ": run `pundit index --db " +
                                         tmp.path() + " PATH...` first");
}

TEST(StoreTest, LiveGenerationPathOfMissingFolderIsNotFound) {
  TempDir tmp;
  Result<std::string> live = store::LiveGenerationPath(tmp.Sub("nothing"));
  ASSERT_FALSE(live.ok());
  EXPECT_EQ(live.status().code(), Status::Code::kNotFound);
}

TEST(StoreTest, OpenForReadingWithoutIndexIsNotFound) {
  TempDir tmp;
  Result<Xapian::Database> db = store::OpenForReading(tmp.path());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), Status::Code::kNotFound);
}

TEST(StoreTest, NextGenerationNameCountsPastExistingGenerations) {
  TempDir tmp;
  EXPECT_EQ(store::NextGenerationName(tmp.path()), "gen-000001");
  fs::create_directory(tmp.Sub("gen-000007"));
  fs::create_directory(tmp.Sub("gen-000003"));
  fs::create_directory(tmp.Sub("gen-x"));
  EXPECT_EQ(store::NextGenerationName(tmp.path()), "gen-000008");
}

TEST(StoreTest, MakeLiveSwitchesCurrentAndRemovesOldGeneration) {
  TempDir tmp;
  MakeGeneration(tmp.path(), "gen-000001",
                 std::to_string(schema::kSchemaVersion));
  ASSERT_TRUE(store::MakeLive(tmp.path(), "gen-000001").ok());
  EXPECT_EQ(ReadFile(tmp.Sub("CURRENT")), "gen-000001\n");
  Result<std::string> live = store::LiveGenerationPath(tmp.path());
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  EXPECT_EQ(*live, tmp.Sub("gen-000001"));

  std::string next = store::NextGenerationName(tmp.path());
  EXPECT_EQ(next, "gen-000002");
  MakeGeneration(tmp.path(), next, "1");
  ASSERT_TRUE(store::MakeLive(tmp.path(), next).ok());
  EXPECT_EQ(ReadFile(tmp.Sub("CURRENT")), "gen-000002\n");
  EXPECT_FALSE(fs::exists(tmp.Sub("gen-000001")));
  EXPECT_TRUE(fs::exists(tmp.Sub("gen-000002")));
  EXPECT_FALSE(fs::exists(tmp.Sub("CURRENT.tmp")));
  live = store::LiveGenerationPath(tmp.path());
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(*live, tmp.Sub("gen-000002"));
}

TEST(StoreTest, WriteLockSecondAcquireIsLockedWithPid) {
  TempDir tmp;
  std::string dir = tmp.Sub("db");
  auto first = store::WriteLock::Acquire(dir);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(ReadFile(dir + "/LOCK"), std::to_string(getpid()) + "\n");

  auto second = store::WriteLock::Acquire(dir);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kLocked);
  EXPECT_EQ(second.status().message(),
            "database " + dir + " is locked by pid " +
                std::to_string(getpid()) +
                " (another `pundit index` is running); wait for it or stop "
                "it");

  first->reset();
  auto third = store::WriteLock::Acquire(dir);
  EXPECT_TRUE(third.ok()) << third.status().ToString();
}

TEST(StoreTest, WriteLockOnFolderThatCannotBeCreatedIsIoError) {
  TempDir tmp;
  WriteFile(tmp.Sub("file"), "not a folder");
  std::string dir = tmp.Sub("file") + "/db";
  auto lock = store::WriteLock::Acquire(dir);
  ASSERT_FALSE(lock.ok());
  EXPECT_EQ(lock.status().code(), Status::Code::kIoError);
  EXPECT_EQ(lock.status().message().rfind("cannot create " + dir + ": ", 0), 0u)
      << lock.status().message();
}

TEST(StoreTest, OpenForReadingRefusesOtherSchemaVersion) {
  struct Case {
    std::string stored;  // "" = no version recorded
    std::string shown;
  };
  const Case cases[] = {{"", "0"}, {"0", "0"}, {"7", "7"}};
  for (const Case& c : cases) {
    TempDir tmp;
    MakeGeneration(tmp.path(), "gen-000001", c.stored);
    ASSERT_TRUE(store::MakeLive(tmp.path(), "gen-000001").ok());
    Result<Xapian::Database> db = store::OpenForReading(tmp.path());
    ASSERT_FALSE(db.ok()) << c.stored;
    EXPECT_EQ(db.status().code(), Status::Code::kVersionMismatch);
    EXPECT_EQ(db.status().message(),
              "index at " + tmp.path() + " has schema version " + c.shown +
                  ", this pundit reads version " +
                  std::to_string(schema::kSchemaVersion) +
                  ": rebuild it with `pundit index --full`");
  }
}

TEST(StoreTest, OpenForReadingOpensCurrentVersion) {
  TempDir tmp;
  MakeGeneration(tmp.path(), "gen-000001",
                 std::to_string(schema::kSchemaVersion));
  ASSERT_TRUE(store::MakeLive(tmp.path(), "gen-000001").ok());
  Result<Xapian::Database> db = store::OpenForReading(tmp.path());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ(db->get_doccount(), 1u);
  EXPECT_TRUE(db->term_exists("Qone"));
}

TEST(StoreTest, OpenForReadingOfDamagedGenerationIsCorruption) {
  TempDir tmp;
  fs::create_directory(tmp.Sub("gen-000001"));  // an empty folder
  WriteFile(tmp.Sub("CURRENT"), "gen-000001\n");
  Result<Xapian::Database> db = store::OpenForReading(tmp.path());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), Status::Code::kCorruption);
  EXPECT_NE(db.status().message().find("pundit index --full"),
            std::string::npos)
      << db.status().message();
}

TEST(StoreTest, RemoveStaleGenerationsKeepsOnlyLiveGeneration) {
  TempDir tmp;
  MakeGeneration(tmp.path(), "gen-000002",
                 std::to_string(schema::kSchemaVersion));
  ASSERT_TRUE(store::MakeLive(tmp.path(), "gen-000002").ok());
  fs::create_directory(tmp.Sub("gen-000001"));
  fs::create_directory(tmp.Sub("gen-000003"));
  WriteFile(tmp.Sub("gen-000003/half-written"), "x");
  WriteFile(tmp.Sub("notes.txt"), "kept");
  store::RemoveStaleGenerations(tmp.path());
  EXPECT_FALSE(fs::exists(tmp.Sub("gen-000001")));
  EXPECT_FALSE(fs::exists(tmp.Sub("gen-000003")));
  EXPECT_TRUE(fs::exists(tmp.Sub("gen-000002")));
  EXPECT_TRUE(fs::exists(tmp.Sub("notes.txt")));
  EXPECT_TRUE(store::OpenForReading(tmp.path()).ok());
}

TEST(StoreTest, RemoveStaleGenerationsWithoutCurrentRemovesAll) {
  TempDir tmp;
  fs::create_directory(tmp.Sub("gen-000001"));
  WriteFile(tmp.Sub("CURRENT.tmp"), "gen-000001\n");
  store::RemoveStaleGenerations(tmp.path());
  EXPECT_FALSE(fs::exists(tmp.Sub("gen-000001")));
  EXPECT_FALSE(fs::exists(tmp.Sub("CURRENT.tmp")));
}

TEST(StoreTest, RemoveStaleGenerationsKeepsAllWhenCurrentIsGarbage) {
  TempDir tmp;
  fs::create_directory(tmp.Sub("gen-000001"));
  WriteFile(tmp.Sub("CURRENT"), "garbage\n");
  store::RemoveStaleGenerations(tmp.path());
  EXPECT_TRUE(fs::exists(tmp.Sub("gen-000001")));
}

TEST(StoreTest, DefaultDbDirFollowsEnvironment) {
  const char* saved = std::getenv("PUNDIT_DB");
  std::string saved_value = saved ? saved : "";
  setenv("PUNDIT_DB", "/somewhere/db", 1);
  EXPECT_EQ(store::DefaultDbDir(), "/somewhere/db");
  unsetenv("PUNDIT_DB");
  EXPECT_EQ(store::DefaultDbDir(), "data/index");
  if (saved) setenv("PUNDIT_DB", saved_value.c_str(), 1);
}

}  // namespace
}  // namespace pundit
