// The match list spy between `pundit serve` and its shard servers: what the
// front sends (filters per shard), what each shard sends back (its matches
// and its best under the filters), and malformed bytes refused.
#include "searcher/match_list_spy.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "tests/test_util.h"

namespace pundit {
namespace {

using testing::TempDir;

// `n` glass databases of `per_shard` empty documents each.
std::vector<Xapian::Database> MakeShards(const std::string& dir, int n,
                                         int per_shard,
                                         const std::string& name = "shard") {
  std::vector<Xapian::Database> shards;
  for (int i = 0; i < n; ++i) {
    const std::string path = dir + "/" + name + std::to_string(i);
    Xapian::WritableDatabase w(path, Xapian::DB_CREATE_OR_OVERWRITE);
    for (int d = 0; d < per_shard; ++d) w.add_document(Xapian::Document());
    w.commit();
    shards.emplace_back(path);
  }
  return shards;
}

// Runs the spy the front made on every shard, as shard servers do, with
// weight(merged docid) for each match in `matches` (merged docids), and
// merges what they send.
void RunOnShards(MatchListSpy& front,
                 const std::vector<Xapian::Database>& shards,
                 const std::vector<uint32_t>& matches,
                 double (*weight)(uint32_t)) {
  const std::string bytes = front.serialise();
  const uint32_t n = static_cast<uint32_t>(shards.size());
  for (uint32_t i = 0; i < n; ++i) {
    MatchListSpy proto(shards[i].get_uuid(), shards[i]);
    std::unique_ptr<Xapian::MatchSpy> spy(
        proto.unserialise(bytes, Xapian::Registry()));
    for (uint32_t merged : matches) {
      if ((merged - 1) % n != i) continue;
      const Xapian::docid local = (merged - 1) / n + 1;
      (*spy)(shards[i].get_document(local), weight(merged));
    }
    front.merge_results(spy->serialise_results());
  }
}

TEST(MatchListSpyTest, ShardsSendTheirMatchesAndTheirBestUnderTheFilter) {
  TempDir dir;
  std::vector<Xapian::Database> shards = MakeShards(dir.path(), 3, 10);
  // Merged docids 1..30; matches: every even one; filter: multiples of 3.
  std::vector<uint32_t> matches, filter_ids;
  for (uint32_t d = 2; d <= 30; d += 2) matches.push_back(d);
  for (uint32_t d = 3; d <= 30; d += 3) filter_ids.push_back(d);
  const Bitmap filter(filter_ids);
  MatchListSpy front(shards, &filter, 3);
  // Weight grows with the docid, but 12 and 24 tie with 30.
  RunOnShards(front, shards, matches, [](uint32_t d) {
    return d == 12 || d == 24 ? 30.0 : static_cast<double>(d);
  });

  EXPECT_EQ(front.Merged(shards).Cardinality(), matches.size());
  for (uint32_t d : matches) EXPECT_TRUE(front.Merged(shards).Contains(d));
  // Matches in the filter: 6, 12, 18, 24, 30; best three by weight, ties
  // by docid: 12, 24, 30 (all 30.0).
  const std::vector<MatchListSpy::Ranked> best = front.Best(shards);
  ASSERT_EQ(best.size(), 3u);
  EXPECT_EQ(best[0].did, 12u);
  EXPECT_EQ(best[1].did, 24u);
  EXPECT_EQ(best[2].did, 30u);
  EXPECT_EQ(best[2].weight, 30.0);
}

TEST(MatchListSpyTest, WithoutAFilterTheBestComeFromEveryMatch) {
  TempDir dir;
  std::vector<Xapian::Database> shards = MakeShards(dir.path(), 2, 5);
  std::vector<uint32_t> matches = {1, 2, 3, 7, 10};
  MatchListSpy front(shards, nullptr, 2);
  RunOnShards(front, shards, matches,
              [](uint32_t d) { return d == 3 ? 100.0 : 1.0 / d; });
  const std::vector<MatchListSpy::Ranked> best = front.Best(shards);
  ASSERT_EQ(best.size(), 2u);
  EXPECT_EQ(best[0].did, 3u);
  EXPECT_EQ(best[1].did, 1u);
  EXPECT_EQ(front.Merged(shards).Cardinality(), 5u);
}

// `n` glass databases of `per_shard` documents, each holding "doc D" as
// its data, D its merged docid.
std::vector<Xapian::Database> MakeShardsWithData(const std::string& dir, int n,
                                                 int per_shard) {
  std::vector<Xapian::Database> shards;
  for (int i = 0; i < n; ++i) {
    const std::string path = dir + "/data" + std::to_string(i);
    Xapian::WritableDatabase w(path, Xapian::DB_CREATE_OR_OVERWRITE);
    for (int d = 1; d <= per_shard; ++d) {
      Xapian::Document doc;
      doc.set_data(
          std::string("doc ").append(std::to_string((d - 1) * n + i + 1)));
      w.add_document(doc);
    }
    w.commit();
    shards.emplace_back(path);
  }
  return shards;
}

TEST(MatchListSpyTest, TheFirstBestOfEachShardComeWithTheirData) {
  TempDir dir;
  std::vector<Xapian::Database> shards = MakeShardsWithData(dir.path(), 2, 5);
  std::vector<uint32_t> matches;
  for (uint32_t d = 1; d <= 10; ++d) matches.push_back(d);
  auto by_docid = [](uint32_t d) { return static_cast<double>(d); };

  // Each shard sends its best 4 (shard 0: 9 7 5 3; shard 1: 10 8 6 4), the
  // first 2 with their data: 9 7 and 10 8, which are the best 4 of all.
  MatchListSpy front(shards, nullptr, 4, 2);
  RunOnShards(front, shards, matches, by_docid);
  std::unordered_map<Xapian::docid, std::string> data;
  const std::vector<MatchListSpy::Ranked> best = front.Best(shards, &data);
  ASSERT_EQ(best.size(), 4u);
  EXPECT_EQ(best[0].did, 10u);
  EXPECT_EQ(best[3].did, 7u);
  ASSERT_EQ(data.size(), 4u);
  for (const MatchListSpy::Ranked& r : best) {
    EXPECT_EQ(data[r.did], std::string("doc ").append(std::to_string(r.did)));
  }

  // Carrying 1: 10 and 9 come with their data, 8 and 7 are to be read.
  MatchListSpy one(shards, nullptr, 4, 1);
  RunOnShards(one, shards, matches, by_docid);
  data.clear();
  EXPECT_EQ(one.Best(shards, &data).size(), 4u);
  EXPECT_EQ(data.size(), 2u);
  EXPECT_EQ(data[10], "doc 10");
  EXPECT_EQ(data[9], "doc 9");

  // Without carrying, no data comes.
  MatchListSpy none(shards, nullptr, 4);
  RunOnShards(none, shards, matches, by_docid);
  data.clear();
  EXPECT_EQ(none.Best(shards, &data).size(), 4u);
  EXPECT_TRUE(data.empty());
}

TEST(MatchListSpyTest, AShardNotNamedInTheFilterHasNothingInIt) {
  TempDir dir;
  std::vector<Xapian::Database> shards = MakeShards(dir.path(), 2, 5);
  const Bitmap filter(std::vector<uint32_t>{1, 2, 3, 4});
  MatchListSpy front(shards, &filter, 10);
  // Another database's spy: its uuid is in no filter entry.
  std::vector<Xapian::Database> other = MakeShards(dir.path(), 1, 5, "other");
  MatchListSpy proto(other[0].get_uuid());
  std::unique_ptr<Xapian::MatchSpy> spy(
      proto.unserialise(front.serialise(), Xapian::Registry()));
  (*spy)(other[0].get_document(1), 5.0);
  MatchListSpy merged(shards, nullptr, 10);
  merged.merge_results(spy->serialise_results());
  EXPECT_TRUE(merged.Best(other).empty());
  EXPECT_EQ(merged.Merged(other).Cardinality(), 1u);
}

TEST(MatchListSpyTest, MalformedBytesAreRefused) {
  MatchListSpy proto("uuid");
  for (const std::string bad : {"x", "5:12", "99999999999999999999:1-",
                                "1:3+4:uuid", "1:31:0+4:uuid9:short", "1:3-"}) {
    EXPECT_THROW(proto.unserialise(bad, Xapian::Registry()),
                 Xapian::NetworkError)
        << bad;
  }
  MatchListSpy front;
  EXPECT_THROW(front.merge_results("no nul"), Xapian::NetworkError);
  EXPECT_THROW(front.merge_results(std::string("u\0"
                                               "3:abc12345",
                                               11)),
               Xapian::NetworkError);
}

}  // namespace
}  // namespace pundit
