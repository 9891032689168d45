// Shards on Xapian's remote backend: three real shard servers on loopback
// ports (remote/shard_server.h) behind a stub file must answer exactly as
// one index of the same articles: totals, every facet count, the timeline,
// ranking and scores, did-you-mean, sorting and paging, articles, related
// articles and stats. Then the failures: a stopped shard is named in a
// kUnavailable error and a restarted one answers again without reopening
// the Searcher; a generation swap on a shard is picked up.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/dedup.h"
#include "core/schema.h"
#include "core/shard.h"
#include "core/status.h"
#include "indexer/indexer.h"
#include "remote/shard_server.h"
#include "searcher/index_handle.h"
#include "searcher/searcher.h"
#include "searcher/shard_groups.h"
#include "searcher/snapshot.h"
#include "searcher/spy_fields.h"
#include "searcher/term_postings.h"
#include "tests/test_util.h"

namespace pundit {
namespace {

using testing::TempDir;

constexpr int kShards = 3;

// Articles with real words, several authors, multi-valued regions and
// themes, dates over four years and some undated: enough for every facet,
// the timeline and ties in ranking. Every 12th article is reposted by a
// mirror site the same day (every 36th by two): syndicated copies, which
// the shards route apart.
std::string SyntheticArticles(int n) {
  static const char* kWords[] = {
      "economy",   "inflation", "election",  "climate",  "energy",  "housing",
      "rent",      "bank",      "interest",  "rates",    "school",  "teachers",
      "hospital",  "nurses",    "trade",     "tariffs",  "farmers", "wheat",
      "prices",    "wages",     "migration", "border",   "courts",  "judges",
      "police",    "budget",    "taxes",     "pensions", "railway", "transport",
      "water",     "drought",   "floods",    "coal",     "solar",   "wind",
      "parliament"};
  static const char* kAuthors[] = {"Mara Okafor",     "Tomas Lindqvist",
                                   "Ana Ruiz",        "Li Wei",
                                   "Priya Natarajan", "José Álvarez"};
  static const char* kRegions[] = {"Europe", "Asia", "Africa", "Americas",
                                   "Oceania"};
  static const char* kThemes[] = {"Economy", "Politics", "Environment",
                                  "Health", "Justice"};
  const int words = static_cast<int>(std::size(kWords));
  uint64_t state = 42;
  auto next = [&](int mod) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((state >> 33) % static_cast<uint64_t>(mod));
  };
  std::string out;
  for (int i = 0; i < n; ++i) {
    std::string title = std::string(kWords[next(words)]) + " and " +
                        kWords[next(words)] + " in question";
    std::string body;
    for (int w = 0; w < 40 + next(40); ++w) {
      body += std::string(w ? " " : "") + kWords[next(words)];
      if (w % 9 == 8) body += ".";
    }
    std::string date;
    if (i % 17 != 0) {
      char buf[48];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", 2016 + next(4),
                    1 + next(12), 1 + next(28));
      date = buf;
    }
    std::string regions = "\"";
    regions.append(kRegions[next(5)]).append("\"");
    if (i % 3 == 0) regions += ",\"" + std::string(kRegions[next(5)]) + "\"";
    const std::string author = kAuthors[next(6)];
    const std::string theme = kThemes[next(5)];
    const std::string source = "Source " + std::to_string(next(4));
    auto line = [&](const std::string& id, const std::string& prefix,
                    const std::string& site) {
      return "{\"id\":\"" + id + "\",\"title\":\"" + prefix + title +
             "\",\"author\":[\"" + author + "\"],\"date\":\"" + date +
             "\",\"region\":[" + regions + "],\"theme\":[\"" + theme +
             "\"],\"source\":\"" + site + "\",\"url\":\"\",\"body\":\"" + body +
             "\"}\n";
    };
    const std::string id = "s" + std::to_string(i);
    out += line(id, "", source);
    if (i % 12 == 5) out += line(id + "-copy", "Opinion | ", "Mirror");
    if (i % 36 == 5) out += line(id + "-again", "Repost: ", "Echo");
  }
  return out;
}

IndexSummary Index(const std::string& db, const std::vector<std::string>& in,
                   ShardSpec shard = {}, bool full = false) {
  IndexerOptions o;
  o.db_dir = db;
  o.inputs = in;
  o.shard = shard;
  o.full = full;
  o.jobs = 2;
  Result<IndexSummary> r = RunIndex(o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : IndexSummary{};
}

// A searcher of `db`; over shards it sees their latest commits before each
// search unless `refresh_ms` says otherwise.
std::unique_ptr<Searcher> Open(const std::string& db, int refresh_ms = 0) {
  SearcherOptions o{db};
  o.shard_timeout_ms = 3000;
  o.shard_refresh_ms = refresh_ms;
  auto s = Searcher::Open(o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s.value()) : nullptr;
}

// The hits of `a` and `b` agree: the same scores in the same order, and
// the same articles at each score (articles of equal score may come in
// another order, as Xapian breaks ties by document number, which differs
// between one index and shards). The last group of ties on a page may be
// cut at a different article, so its ids are not compared.
void ExpectSameHits(const std::vector<Hit>& a, const std::vector<Hit>& b,
                    bool by_date, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  auto key = [&](const Hit& h) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", h.score);
    return (by_date ? h.date + "|" : "") + buf;
  };
  std::map<std::string, std::multiset<std::string>> ga, gb;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_NEAR(a[i].score, b[i].score, 1e-9 * std::max(1.0, a[i].score))
        << what << " hit " << i << ": " << a[i].id << " vs " << b[i].id;
    if (by_date) {
      EXPECT_EQ(a[i].date, b[i].date) << what << " hit " << i;
    }
    // A group of copies is one hit; which member shows may differ among
    // equals, so a hit counts as the set of its group.
    for (const Hit* h : {&a[i], &b[i]}) {
      std::vector<std::string> ids = {h->id};
      for (const Copy& c : h->copies) ids.push_back(c.id);
      std::sort(ids.begin(), ids.end());
      std::string group;
      for (const std::string& id : ids) group += id + " ";
      (h == &a[i] ? ga : gb)[key(*h)].insert(group);
    }
  }
  const std::string last = a.empty() ? "" : key(a.back());
  for (const auto& [k, ids] : ga) {
    if (k == last) continue;
    EXPECT_EQ(ids, gb[k]) << what << " articles with score " << k;
  }
  // A hit's fields do not depend on where it is stored.
  std::map<std::string, const Hit*> by_id;
  for (const Hit& h : b) by_id[h.id] = &h;
  for (const Hit& h : a) {
    auto it = by_id.find(h.id);
    if (it == by_id.end()) continue;
    EXPECT_EQ(h.title_html, it->second->title_html) << what;
    EXPECT_EQ(h.snippets, it->second->snippets) << what;
    EXPECT_EQ(h.authors, it->second->authors) << what;
    EXPECT_EQ(h.regions, it->second->regions) << what;
  }
}

void ExpectSameResponse(const SearchResponse& a, const SearchResponse& b,
                        bool by_date, const std::string& what) {
  EXPECT_EQ(a.total, b.total) << what;
  EXPECT_EQ(a.total_groups, b.total_groups) << what;
  EXPECT_EQ(a.interpreted, b.interpreted) << what;
  EXPECT_EQ(a.corrected, b.corrected) << what;
  EXPECT_EQ(a.notice, b.notice) << what;
  ASSERT_EQ(a.facets.size(), b.facets.size()) << what;
  for (size_t f = 0; f < a.facets.size(); ++f) {
    EXPECT_EQ(a.facets[f].first, b.facets[f].first) << what;
    ASSERT_EQ(a.facets[f].second.size(), b.facets[f].second.size())
        << what << " facet " << a.facets[f].first;
    for (size_t v = 0; v < a.facets[f].second.size(); ++v) {
      const FacetValue& x = a.facets[f].second[v];
      const FacetValue& y = b.facets[f].second[v];
      EXPECT_EQ(x.value, y.value) << what << " " << a.facets[f].first;
      EXPECT_EQ(x.count, y.count) << what << " " << x.value;
      EXPECT_EQ(x.selected, y.selected) << what << " " << x.value;
    }
  }
  EXPECT_EQ(a.timeline_unit, b.timeline_unit) << what;
  ASSERT_EQ(a.timeline.size(), b.timeline.size()) << what;
  for (size_t t = 0; t < a.timeline.size(); ++t) {
    EXPECT_EQ(a.timeline[t].key, b.timeline[t].key) << what;
    EXPECT_EQ(a.timeline[t].count, b.timeline[t].count)
        << what << " " << a.timeline[t].key;
  }
  ExpectSameHits(a.hits, b.hits, by_date, what);
}

// One index, kShards shards of the same inputs served on loopback ports,
// and a stub file naming them.
class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteFile(dir_.Sub("synthetic.jsonl"), SyntheticArticles(900));
    inputs_ = {dir_.Sub("synthetic.jsonl"), testing::TestData("ranking"),
               testing::TestData("mixed"), testing::CorpusPath("")};
    one_ = dir_.Sub("one");
    Index(one_, inputs_);
    long sum = 0;
    for (int i = 1; i <= kShards; ++i) {
      std::string db = dir_.Sub("shard-" + std::to_string(i));
      IndexSummary s = Index(db, inputs_, ShardSpec{i, kShards});
      sum += s.indexed;
      EXPECT_GT(s.other_shards, 0);
      shard_dirs_.push_back(db);
      servers_.push_back(StartShard(db, 0));
    }
    auto one = Open(one_);
    ASSERT_TRUE(one);
    EXPECT_EQ(sum, one->Stats()->articles) << "the shards split the articles";
    WriteStub();
  }

  std::unique_ptr<ShardServer> StartShard(const std::string& db, int port) {
    ShardServerOptions o;
    o.db_dir = db;
    o.port = port;
    auto s = ShardServer::Start(o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s.value()) : nullptr;
  }

  // 50 new articles about a zebracrossing, each indexed into its own shard
  // (an incremental run on every shard: a commit inside the live
  // generation).
  void AddToEveryShard() {
    std::string extra;
    for (int i = 0; i < 50; ++i) {
      extra += "{\"id\":\"new" + std::to_string(i) +
               "\",\"title\":\"A zebracrossing story\",\"date\":\"2021-05-0" +
               std::to_string(1 + i % 9) + "\",\"body\":\"zebracrossing " +
               std::to_string(i) + "\"}\n";
    }
    testing::WriteFile(dir_.Sub("extra.jsonl"), extra);
    std::vector<std::string> more = inputs_;
    more.push_back(dir_.Sub("extra.jsonl"));
    for (int i = 1; i <= kShards; ++i) {
      Index(shard_dirs_[i - 1], more, ShardSpec{i, kShards});
    }
  }

  void WriteStub() {
    std::string text = "# three shards\n";
    for (const auto& s : servers_) {
      text += "remote 127.0.0.1:" + std::to_string(s->port()) + "\n";
    }
    stub_ = dir_.Sub("cluster.stub");
    testing::WriteFile(stub_, text);
  }

  TempDir dir_;
  std::vector<std::string> inputs_;
  std::string one_, stub_;
  std::vector<std::string> shard_dirs_;
  std::vector<std::unique_ptr<ShardServer>> servers_;
};

TEST_F(ClusterTest, ShardsAnswerExactlyAsOneIndex) {
  auto one = Open(one_);
  auto cluster = Open(stub_);
  ASSERT_TRUE(one && cluster);

  const std::vector<std::string> queries = {
      "",
      "inflation",
      "interest rates",
      "\"interest rates\"",
      "bank OR hospital",
      "economy -taxes",
      "climate NEAR/3 energy",
      "title:prices",
      "solar*",
      "author:\"Ana Ruiz\" wages",
      "inflaton",  // did-you-mean
      "wheat farmers drought",
      "police courts judges",
  };
  std::vector<SearchRequest> shapes(5);
  shapes[1].filters["region"] = {"Europe", "Asia"};
  shapes[2].filters["theme"] = {"Economy"};
  shapes[2].filters["year"] = {"2017"};
  shapes[3].from = "2017-03-01";
  shapes[3].to = "2018-06-30";
  shapes[4].filters["author"] = {"Li Wei"};
  shapes[4].op = DefaultOp::kOr;
  int compared = 0;
  for (const std::string& q : queries) {
    for (size_t f = 0; f < shapes.size(); ++f) {
      SearchRequest r = shapes[f];
      r.q = q;
      r.facet_limit = 1000;
      r.per_page = 20;
      const std::string what = "q=\"" + q + "\" filters " + std::to_string(f);
      auto a = one->Search(r);
      auto b = cluster->Search(r);
      ASSERT_TRUE(a.ok()) << what << a.status().ToString();
      ASSERT_TRUE(b.ok()) << what << b.status().ToString();
      ExpectSameResponse(*a, *b, false, what);
      ++compared;
    }
  }
  EXPECT_EQ(compared, 65);

  // Sorting and paging: newest and oldest (undated last), pages 1 to 3.
  for (SortOrder sort : {SortOrder::kNewest, SortOrder::kOldest}) {
    for (int page = 1; page <= 3; ++page) {
      SearchRequest r;
      r.q = "economy";
      r.sort = sort;
      r.page = page;
      r.per_page = 25;
      const std::string what =
          std::string("sorted ") +
          (sort == SortOrder::kNewest ? "newest" : "oldest") + " page " +
          std::to_string(page);
      auto a = one->Search(r);
      auto b = cluster->Search(r);
      ASSERT_TRUE(a.ok() && b.ok()) << what;
      ExpectSameResponse(*a, *b, true, what);
    }
  }
  // Relevance paging far down a big match set.
  SearchRequest deep;
  deep.q = "economy OR inflation";
  deep.page = 7;
  deep.per_page = 30;
  ExpectSameResponse(*one->Search(deep), *cluster->Search(deep), false,
                     "page 7");
  auto corrected = cluster->Search([] {
    SearchRequest r;
    r.q = "inflaton";
    return r;
  }());
  ASSERT_TRUE(corrected.ok());
  EXPECT_EQ(corrected->corrected.value_or(""), "inflation");

  // Articles, related articles, facet value lists and stats.
  for (const std::string id : {"s1", "s100", "s517", "r01"}) {
    auto a = one->GetArticle(id, "inflation");
    auto b = cluster->GetArticle(id, "inflation");
    ASSERT_TRUE(a.ok() && b.ok()) << id;
    EXPECT_EQ(a->article.title, b->article.title);
    EXPECT_EQ(a->body_html, b->body_html);
    EXPECT_EQ(a->match_count, b->match_count);
    auto ra = one->Related(id, 5);
    auto rb = cluster->Related(id, 5);
    ASSERT_TRUE(ra.ok() && rb.ok()) << id;
    ExpectSameHits(*ra, *rb, false, "related to " + id);
  }
  EXPECT_EQ(cluster->GetArticle("no-such-id", "").status().code(),
            Status::Code::kNotFound);
  SearchRequest scope;
  scope.q = "prices";
  auto va = one->FacetValues("author", "", 50, scope);
  auto vb = cluster->FacetValues("author", "", 50, scope);
  ASSERT_TRUE(va.ok() && vb.ok());
  ASSERT_EQ(va->size(), vb->size());
  for (size_t i = 0; i < va->size(); ++i) {
    EXPECT_EQ((*va)[i].value, (*vb)[i].value);
    EXPECT_EQ((*va)[i].count, (*vb)[i].count);
  }
  auto sa = one->Stats();
  auto sb = cluster->Stats();
  ASSERT_TRUE(sa.ok() && sb.ok());
  EXPECT_EQ(sa->articles, sb->articles);
  EXPECT_EQ(sa->first_date, sb->first_date);
  EXPECT_EQ(sa->last_date, sb->last_date);
  EXPECT_EQ(sa->facet_cardinality, sb->facet_cardinality);
  EXPECT_EQ(sb->generation, "3 shards");
}

// The indexer groups copies within one shard; an article and its repost
// routed to different shards are joined when the searcher reads the shards
// (searcher/shard_groups.h), as one index would group them.
TEST_F(ClusterTest, CopiesOnDifferentShardsAreOneGroup) {
  std::vector<std::set<std::string>> expected;
  int apart = 0;
  for (int i = 5; i < 900; i += 12) {
    const std::string id = std::string("s").append(std::to_string(i));
    std::set<std::string> group = {id, id + "-copy"};
    if (i % 36 == 5) group.insert(id + "-again");
    std::set<int> shards;
    for (const std::string& member : group) {
      shards.insert(ShardOf(member, kShards));
    }
    if (shards.size() > 1) ++apart;
    expected.push_back(group);
  }
  EXPECT_GE(apart, 40) << "most groups have members on different shards";

  auto one = Open(one_);
  auto cluster = Open(stub_);
  ASSERT_TRUE(one && cluster);
  // Every group of the whole collection, one page of 100 after another.
  auto groups_of = [](Searcher& searcher, long* total, long* total_groups) {
    std::set<std::set<std::string>> groups;
    for (int page = 1;; ++page) {
      SearchRequest r;
      r.page = page;
      r.per_page = 100;
      r.want_facets = false;
      auto res = searcher.Search(r);
      EXPECT_TRUE(res.ok()) << res.status().ToString();
      if (!res.ok() || res->hits.empty()) break;
      *total = res->total;
      *total_groups = res->total_groups;
      for (const Hit& h : res->hits) {
        if (h.copies.empty()) continue;
        std::set<std::string> group = {h.id};
        for (const Copy& c : h.copies) group.insert(c.id);
        groups.insert(group);
      }
    }
    return groups;
  };
  long total_one = 0, groups_one = 0, total_cluster = 0, groups_cluster = 0;
  const auto in_one = groups_of(*one, &total_one, &groups_one);
  const auto in_cluster = groups_of(*cluster, &total_cluster, &groups_cluster);
  EXPECT_EQ(total_one, total_cluster);
  EXPECT_EQ(groups_one, groups_cluster);
  EXPECT_GE(total_cluster - groups_cluster, 100) << "75 reposts, 25 twice";
  EXPECT_EQ(in_one, in_cluster);
  for (const std::set<std::string>& group : expected) {
    EXPECT_EQ(in_cluster.count(group), 1u) << *group.begin();
  }

  // The same with the shards as local folders, and with one local folder
  // among shard servers (a shard read here, the others sending theirs).
  std::string local_text, mixed_text;
  for (int i = 0; i < kShards; ++i) {
    local_text += "auto " + shard_dirs_[i] + "\n";
    mixed_text +=
        i == 2
            ? "auto " + shard_dirs_[i] + "\n"
            : "remote 127.0.0.1:" + std::to_string(servers_[i]->port()) + "\n";
  }
  for (const std::string& text : {local_text, mixed_text}) {
    SCOPED_TRACE(text);
    const std::string path = dir_.Sub("copies.stub");
    testing::WriteFile(path, text);
    auto other = Open(path);
    ASSERT_TRUE(other);
    long total = 0, groups = 0;
    EXPECT_EQ(groups_of(*other, &total, &groups), in_one);
    EXPECT_EQ(total, total_one);
    EXPECT_EQ(groups, groups_one);
  }
}

// An export over shards, whole or its first N, is one index's: the same
// articles in the same order (ties in any order, as ExpectSameHits), over
// shard servers (ranked in one pass) and over local folders (ranked page
// after page); on one index the first N are exactly the whole's first N.
TEST_F(ClusterTest, ExportOverShardsIsThatOfOneIndex) {
  std::string local_text;
  for (int i = 0; i < kShards; ++i) {
    local_text += "auto " + shard_dirs_[i] + "\n";
  }
  const std::string local = dir_.Sub("export.stub");
  testing::WriteFile(local, local_text);
  auto exported = [](Searcher& searcher, const SearchRequest& request,
                     int limit) {
    ExportOptions options;
    options.limit = limit;
    std::vector<Hit> hits;
    Status s = searcher.Export(
        request, options, [&hits](const std::vector<Hit>& batch) {
          hits.insert(hits.end(), batch.begin(), batch.end());
          return true;
        });
    EXPECT_TRUE(s.ok()) << s.message();
    return hits;
  };
  auto ids = [](const std::vector<Hit>& hits) {
    std::vector<std::string> out;
    for (const Hit& h : hits) out.push_back(h.id);
    return out;
  };
  auto one = Open(one_);
  ASSERT_TRUE(one);
  for (const std::string& path : {stub_, local}) {
    auto cluster = Open(path);
    ASSERT_TRUE(cluster) << path;
    for (SortOrder sort :
         {SortOrder::kRelevance, SortOrder::kNewest, SortOrder::kOldest}) {
      SearchRequest r;
      r.q = "economy OR inflation";
      r.sort = sort;
      const std::vector<Hit> all = exported(*one, r, 0);
      ASSERT_GT(all.size(), 500u);
      for (int limit : {0, 7, 500, 100000}) {
        const std::string what = path + " limit " + std::to_string(limit);
        std::vector<std::string> expected = ids(all);
        if (limit > 0 && static_cast<size_t>(limit) < all.size()) {
          expected.resize(static_cast<size_t>(limit));
        }
        const std::vector<Hit> first = exported(*one, r, limit);
        EXPECT_EQ(ids(first), expected) << what;
        ExpectSameHits(first, exported(*cluster, r, limit),
                       sort != SortOrder::kRelevance, what);
      }
    }
  }
}

// The size of a sharded index: over local shards, the sum of what each
// shard alone reports (its live generation); unknown (null in the JSON, no
// gauge) as soon as one shard is a server's, which does not tell its size.
TEST_F(ClusterTest, StatsSumTheBytesOfLocalShardsOnly) {
  long long each = 0;
  std::string local_text, mixed_text;
  for (int i = 0; i < kShards; ++i) {
    auto alone = Open(shard_dirs_[i]);
    ASSERT_TRUE(alone);
    auto stats = alone->Stats();
    ASSERT_TRUE(stats.ok());
    ASSERT_TRUE(stats->index_bytes.has_value());
    EXPECT_GT(*stats->index_bytes, 0);
    each += *stats->index_bytes;
    local_text += "auto " + shard_dirs_[i] + "\n";
    mixed_text +=
        i == 0
            ? "auto " + shard_dirs_[i] + "\n"
            : "remote 127.0.0.1:" + std::to_string(servers_[i]->port()) + "\n";
  }
  const std::string local = dir_.Sub("local.stub");
  testing::WriteFile(local, local_text);
  auto summed = Open(local)->Stats();
  ASSERT_TRUE(summed.ok());
  EXPECT_EQ(summed->index_bytes, std::optional<long long>(each));

  const std::string mixed = dir_.Sub("mixed.stub");
  testing::WriteFile(mixed, mixed_text);
  for (const std::string& path : {mixed, stub_}) {
    auto stats = Open(path)->Stats();
    ASSERT_TRUE(stats.ok()) << path;
    EXPECT_FALSE(stats->index_bytes.has_value()) << path;
  }
}

// What a snapshot is built from (searcher/term_postings.h): shard servers
// send their posting lists in one message per prefix, and the lists, in
// merged document numbers, are those of the same shards opened as local
// folders, alone or mixed with shard servers.
TEST_F(ClusterTest, ShardServersSendTheTermPostingsOfTheirShards) {
  std::string local_text, mixed_text;
  for (int i = 0; i < kShards; ++i) {
    local_text += "auto " + shard_dirs_[i] + "\n";
    mixed_text +=
        i == 1
            ? "auto " + shard_dirs_[i] + "\n"
            : "remote 127.0.0.1:" + std::to_string(servers_[i]->port()) + "\n";
  }
  const std::string local_stub = dir_.Sub("local.stub");
  const std::string mixed_stub = dir_.Sub("mixed.stub");
  testing::WriteFile(local_stub, local_text);
  testing::WriteFile(mixed_stub, mixed_text);

  std::vector<std::string> prefixes = {std::string(schema::kDayPrefix),
                                       std::string(schema::kMonthPrefix),
                                       std::string(schema::kGroupPrefix)};
  for (const auto& def : schema::kFacets) {
    prefixes.push_back(std::string(def.prefix));
  }
  IndexHandle local;
  ASSERT_TRUE(local.Open(local_stub, 3000).ok());
  PostingsReader from_local(local.db(), local.shards());
  const std::vector<uint32_t> all = from_local.AllDocuments();
  EXPECT_EQ(all.size(), local.db().get_doccount());
  for (const std::string& stub : {stub_, mixed_stub}) {
    IndexHandle handle;
    ASSERT_TRUE(handle.Open(stub, 3000).ok()) << stub;
    PostingsReader reader(handle.db(), handle.shards());
    EXPECT_EQ(reader.AllDocuments(), all) << stub;
    for (const std::string& prefix : prefixes) {
      const PrefixPostings want = from_local.Prefixed(prefix);
      const PrefixPostings got = reader.Prefixed(prefix);
      EXPECT_FALSE(want.values.empty()) << prefix;
      EXPECT_EQ(got.values, want.values) << stub << " " << prefix;
      EXPECT_EQ(got.docs, want.docs) << stub << " " << prefix;
    }
  }
}

TEST_F(ClusterTest, StoppedShardIsNamedAndARestartedOneAnswersAgain) {
  auto cluster = Open(stub_);
  ASSERT_TRUE(cluster);
  SearchRequest r;
  r.q = "inflation";
  auto before = cluster->Search(r);
  ASSERT_TRUE(before.ok());

  const int port = servers_[1]->port();
  servers_[1]->Stop();
  servers_[1].reset();
  auto down = cluster->Search(r);
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(down.status().message().find("127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << down.status().message();
  // Every call fails the same way while it is down, none hangs.
  EXPECT_EQ(cluster->Stats().status().code(), Status::Code::kUnavailable);
  EXPECT_EQ(cluster->GetArticle("s1", "").status().code(),
            Status::Code::kUnavailable);

  servers_[1] = StartShard(shard_dirs_[1], port);
  ASSERT_TRUE(servers_[1]);
  auto after = cluster->Search(r);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->total, before->total);

  // A stub line for a port nothing listens on fails at open, naming it.
  testing::WriteFile(dir_.Sub("bad.stub"), "remote 127.0.0.1:1\n");
  auto bad = Searcher::Open(SearcherOptions{dir_.Sub("bad.stub")});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(bad.status().message().find("127.0.0.1:1"), std::string::npos);
  testing::WriteFile(dir_.Sub("typo.stub"), "remote 127.0.0.1\n");
  auto typo = Searcher::Open(SearcherOptions{dir_.Sub("typo.stub")});
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("typo.stub:1: error:"),
            std::string::npos)
      << typo.status().message();
}

TEST_F(ClusterTest, CommitsAndGenerationSwapsOnAShardAreSeen) {
  auto one = Open(one_);
  auto cluster = Open(stub_);
  ASSERT_TRUE(one && cluster);
  SearchRequest r;
  r.q = "zebracrossing";
  EXPECT_EQ(cluster->Search(r)->total, 0);

  AddToEveryShard();
  auto added = cluster->Search(r);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->total, 50);
  ASSERT_FALSE(added->timeline.empty());

  // A --full run on every shard without them: a new generation is swapped
  // in under each server, which closes its connections; the cluster
  // reconnects to the new generations.
  for (int i = 1; i <= kShards; ++i) {
    Index(shard_dirs_[i - 1], inputs_, ShardSpec{i, kShards}, true);
  }
  auto dropped = cluster->Search(r);
  ASSERT_TRUE(dropped.ok()) << dropped.status().ToString();
  EXPECT_EQ(dropped->total, 0);
  EXPECT_EQ(cluster->Stats()->articles, one->Stats()->articles);
}

TEST_F(ClusterTest, ShardCommitsAreSeenWithinTheRefreshInterval) {
  // Asking every shard server for its new commits costs a round trip to
  // each, so `pundit serve` asks at most every --shard-refresh ms: a
  // searcher that searched just before the commits sees them once that
  // much time has passed.
  auto cluster = Open(stub_, 200);
  ASSERT_TRUE(cluster);
  SearchRequest r;
  r.q = "zebracrossing";
  EXPECT_EQ(cluster->Search(r)->total, 0);
  AddToEveryShard();
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  auto fresh = cluster->Search(r);
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_EQ(fresh->total, 50);
  ASSERT_FALSE(fresh->timeline.empty());
}

// What a shard server's TermPostingsSpy sends, read back in the front: a
// shard whose state changed since the front opened it fails the read so
// that the front reopens, and bytes that are not a shard's results are
// refused.
TEST(TermPostingsSpyTest, AChangedShardOrMalformedBytesFailTheRead) {
  TempDir dir;
  const std::string path = dir.Sub("shard");
  {
    Xapian::WritableDatabase w(path, Xapian::DB_CREATE_OR_OVERWRITE);
    for (int d = 0; d < 5; ++d) {
      Xapian::Document doc;
      doc.add_term(d % 2 ? "A:Ana Ruiz" : "A:Li Wei");
      w.add_document(doc);
    }
    w.commit();
  }
  Xapian::Database shard(path);
  const std::string uuid = shard.get_uuid();
  auto run = [&](const TermPostingsSpy& front) {
    TermPostingsSpy proto(uuid, Xapian::Database(path));
    std::unique_ptr<Xapian::MatchSpy> spy(
        proto.unserialise(front.serialise(), Xapian::Registry()));
    return spy->serialise_results();
  };

  TermPostingsSpy front("A:");
  front.merge_results(run(front));
  auto lists = front.From(uuid, IndexHandle::ContentsKey(shard));
  ASSERT_TRUE(lists);
  EXPECT_EQ((*lists)["A:Ana Ruiz"], (std::vector<uint32_t>{2, 4}));
  EXPECT_EQ((*lists)["A:Li Wei"], (std::vector<uint32_t>{1, 3, 5}));
  EXPECT_EQ(lists->size(), 2u);
  EXPECT_FALSE(front.From("another uuid", IndexHandle::ContentsKey(shard)));

  {
    Xapian::WritableDatabase w(path, Xapian::DB_OPEN);
    w.add_document(Xapian::Document());
    w.commit();
  }
  TermPostingsSpy later("A:");
  later.merge_results(run(later));
  EXPECT_THROW(later.From(uuid, IndexHandle::ContentsKey(shard)),
               Xapian::DatabaseModifiedError)
      << "the front still reads the shard as it was";

  TermPostingsSpy bad("A:");
  EXPECT_THROW(bad.merge_results("no fields"), Xapian::NetworkError);
  std::string wrong_prefix, not_a_bitmap;
  PutField(wrong_prefix, uuid);
  PutField(wrong_prefix, IndexHandle::ContentsKey(shard));
  not_a_bitmap = wrong_prefix;
  PutField(wrong_prefix, "R:Europe");
  PutField(wrong_prefix, Bitmap(std::vector<uint32_t>{1}).Serialize());
  PutField(not_a_bitmap, "A:Li Wei");
  PutField(not_a_bitmap, "not a bitmap");
  for (const std::string& bytes : {wrong_prefix, not_a_bitmap}) {
    TermPostingsSpy f("A:");
    f.merge_results(bytes);
    EXPECT_THROW(f.From(uuid, IndexHandle::ContentsKey(shard)),
                 Xapian::NetworkError);
  }
}

// What a shard server's CopyBandsSpy sends (searcher/shard_groups.h): the
// hashes of its documents' band keys, then the signatures of the documents
// holding a band with one of the hashes asked for; a shard whose state
// changed since the front opened it fails the read, and bytes or requests
// that are not the spy's are refused.
TEST(CopyBandsSpyTest, ShardsSendBandHashesThenTheSignaturesAskedFor) {
  TempDir dir;
  const std::string path = dir.Sub("shard");
  // Documents 1 and 3 have signatures, 2 has none.
  std::string first(dedup::kSignatureHashes * 2, '\0');
  std::string second(dedup::kSignatureHashes * 2, '\0');
  for (size_t i = 0; i < first.size(); ++i) {
    first[i] = static_cast<char>(i);
    second[i] = static_cast<char>(3 * i + 1);
  }
  {
    Xapian::WritableDatabase w(path, Xapian::DB_CREATE_OR_OVERWRITE);
    for (const std::string& signature : {first, std::string(), second}) {
      Xapian::Document doc;
      if (!signature.empty()) doc.add_value(schema::kSignatureValue, signature);
      w.add_document(doc);
    }
    w.commit();
  }
  Xapian::Database shard(path);
  const std::string uuid = shard.get_uuid();
  const std::string state = IndexHandle::ContentsKey(shard);
  auto ask = [&](const std::string& request) {
    CopyBandsSpy proto(uuid, Xapian::Database(path));
    std::unique_ptr<Xapian::MatchSpy> spy(
        proto.unserialise(request, Xapian::Registry()));
    CopyBandsSpy front(request);
    front.merge_results(spy->serialise_results());
    return front.From(uuid, state);
  };
  auto signatures_of = [](const Bitmap& hashes) {
    std::string request("S");
    request.append(hashes.Serialize());
    return request;
  };

  std::optional<std::string> bands = ask("B");
  ASSERT_TRUE(bands);
  std::optional<Bitmap> hashes = Bitmap::Parse(*bands);
  ASSERT_TRUE(hashes);
  EXPECT_EQ(hashes->Cardinality(), 2u * dedup::kBands)
      << "every band of both signatures, none of the unsigned document";

  // Asked for one of the hashes: the document holding it; for all of
  // them: both, by document number; for none: nothing.
  uint32_t one_hash = 0;
  hashes->ForEach([&](uint32_t h) { one_hash = one_hash ? one_hash : h; });
  const std::string all = ask(signatures_of(*hashes)).value_or("?");
  ASSERT_EQ(all.size(), 2 * (4 + first.size()));
  uint32_t did = 0;
  std::memcpy(&did, all.data(), 4);
  EXPECT_EQ(did, 1u);
  EXPECT_EQ(all.substr(4, first.size()), first);
  std::memcpy(&did, all.data() + 4 + first.size(), 4);
  EXPECT_EQ(did, 3u);
  EXPECT_EQ(all.substr(8 + first.size()), second);
  const std::string some =
      ask(signatures_of(Bitmap(std::vector<uint32_t>{one_hash}))).value_or("?");
  EXPECT_EQ(some.size(), 4 + first.size());
  EXPECT_EQ(ask(signatures_of(Bitmap())), std::string());

  // A request the shard cannot read.
  for (const std::string& request : {std::string("X"), std::string("Snot")}) {
    CopyBandsSpy proto(uuid, Xapian::Database(path));
    std::unique_ptr<Xapian::MatchSpy> spy(
        proto.unserialise(request, Xapian::Registry()));
    EXPECT_THROW(spy->serialise_results(), Xapian::NetworkError) << request;
  }

  // A commit after the front opened the shard.
  {
    Xapian::WritableDatabase w(path, Xapian::DB_OPEN);
    w.add_document(Xapian::Document());
    w.commit();
  }
  EXPECT_THROW(ask("B"), Xapian::DatabaseModifiedError)
      << "the front still reads the shard as it was";

  CopyBandsSpy bad("B");
  EXPECT_THROW(bad.merge_results("no fields"), Xapian::NetworkError);
  std::string trailing;
  PutField(trailing, uuid);
  PutField(trailing, state);
  PutField(trailing, "answer");
  PutField(trailing, "more");
  CopyBandsSpy f("B");
  f.merge_results(trailing);
  EXPECT_THROW(f.From(uuid, state), Xapian::NetworkError);
  EXPECT_FALSE(f.From("another uuid", state));
}

// A shard server of another version of pundit does not know a class the
// front sends (Xapian says "REMOTE:Match spy ... not registered"): the
// front says so.
TEST(ShardVersionTest, AShardServerLackingAClassIsNamedAsAnotherVersion) {
  Status s;
  try {
    throw Xapian::InvalidArgumentError(
        "REMOTE:Match spy pundit::TermPostings not registered");
  } catch (...) {
    s = FromCurrentException("opening cluster.stub");
  }
  EXPECT_EQ(s.code(), Status::Code::kVersionMismatch);
  EXPECT_EQ(s.message(),
            "opening cluster.stub: a shard server runs another version of "
            "pundit than this one (Match spy pundit::TermPostings not "
            "registered): run the same version of pundit on every shard "
            "server and wherever it is searched from");
  try {
    throw Xapian::InvalidArgumentError("Unknown operator");
  } catch (...) {
    s = FromCurrentException("");
  }
  EXPECT_EQ(s.code(), Status::Code::kIoError) << s.message();
}

TEST(ShardSpecTest, RoutesEveryIdToOneShardStably) {
  EXPECT_EQ(ShardHash(""), 14695981039346656037ULL);
  EXPECT_EQ(ShardHash("a"), 0xaf63dc4c8601ec8cULL);  // FNV-1a test vector
  int counts[4] = {0, 0, 0, 0};
  for (int i = 0; i < 4000; ++i) {
    const std::string id = "article-" + std::to_string(i);
    int kept = 0;
    for (int s = 1; s <= 4; ++s) kept += ShardSpec{s, 4}.Keeps(id);
    EXPECT_EQ(kept, 1) << id;
    ++counts[ShardOf(id, 4) - 1];
  }
  for (int c : counts) EXPECT_GT(c, 800);  // about 1,000 each
  EXPECT_TRUE(ShardSpec{}.Keeps("anything"));
  EXPECT_EQ(ParseShardSpec("2/3")->index, 2);
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/0", "1/3x", "/3"}) {
    auto r = ParseShardSpec(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("--shard takes I/N"),
              std::string::npos);
  }
}

TEST(ShardsCommandTest, BuildsShardsInParallelAndSearchesThemAsOne) {
  TempDir dir;
  testing::WriteFile(dir.Sub("in.jsonl"), SyntheticArticles(300));
  auto one = testing::RunCommand({testing::PunditBinary(), "index", "--db",
                                  dir.Sub("one"), dir.Sub("in.jsonl")});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  auto built =
      testing::RunCommand({testing::PunditBinary(), "index", "--shards", "3",
                           "--db", dir.Sub("many"), dir.Sub("in.jsonl")});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  EXPECT_NE(built.out.find("shard 3/3: indexed"), std::string::npos)
      << built.out;
  EXPECT_NE(testing::ReadFile(dir.Sub("many/shards.stub"))
                .find("auto shard-1\nauto shard-2\nauto shard-3\n"),
            std::string::npos);
  for (const char* q : {"inflation", "bank OR energy", "\"interest rates\""}) {
    auto a = testing::RunCommand({testing::PunditBinary(), "search", "--json",
                                  "--db", dir.Sub("one"), q});
    auto b = testing::RunCommand({testing::PunditBinary(), "search", "--json",
                                  "--db", dir.Sub("many"), q});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    ASSERT_EQ(b.exit_code, 0) << b.err;
    auto total = [](const std::string& json) {
      size_t at = json.find("\"total\":");
      return json.substr(at, json.find_first_of(",}", at) - at);
    };
    EXPECT_EQ(total(a.out), total(b.out)) << q;
  }
  auto stdin_refused =
      testing::RunCommand({testing::PunditBinary(), "index", "--shards", "2",
                           "--db", dir.Sub("x"), "-"});
  EXPECT_EQ(stdin_refused.exit_code, 1);
  EXPECT_NE(stdin_refused.err.find("--shards cannot read standard input"),
            std::string::npos);
  auto bad_spec =
      testing::RunCommand({testing::PunditBinary(), "index", "--shard", "4/3",
                           "--db", dir.Sub("x"), dir.Sub("in.jsonl")});
  EXPECT_EQ(bad_spec.exit_code, 1);
  EXPECT_NE(bad_spec.err.find("--shard takes I/N"), std::string::npos);
}

}  // namespace
}  // namespace pundit
