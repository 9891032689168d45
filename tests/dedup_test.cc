// Syndicated copies, from the signature to the search page (core/dedup.h,
// indexer/copy_groups.h, searcher/collapse.h). Checks that:
// - a copy with a "Opinion | " title prefix, a repost footer and its case
//   changed keeps a resemblance of at least 0.9 with its original, articles
//   on one topic stay far below it, and short texts get no signature;
// - the signature of a fixed text is the one every index written so far
//   holds (a change would split copies across an index's runs);
// - the sample article (a repost) is a copy of a retitled repost of it,
//   and not of its first half;
// - 160 distinct articles and 30 reposted copies give total 190,
//   total_groups 160 and 160 hits, each copy listed once under its
//   original, ranked by relevance and by date, with no false group; facets
//   count articles; collapse=none shows all 190;
// - a copy indexed by a later incremental run joins its original's group,
//   and a third copy joins the same group;
// - deleting an original leaves its remaining copies grouped.
#include "core/dedup.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/parsers.h"
#include "core/schema.h"
#include "core/store.h"
#include "indexer/indexer.h"
#include "searcher/research.h"
#include "searcher/searcher.h"
#include "tests/test_util.h"

namespace pundit {
namespace {

using testing::TempDir;

constexpr int kDistinct = 160;
constexpr int kCopies = 30;

// Words of one topic and of general prose: articles drawn from them share
// many words but few runs of five.
std::vector<std::string> Vocabulary() {
  const char* syllables[] = {"ka", "lo",  "mi", "ren", "sa", "tor", "vu",
                             "be", "dan", "fi", "gu",  "ho", "ja",  "ne"};
  std::vector<std::string> words = {"the", "of",  "and",  "a",   "to",
                                    "in",  "is",  "that", "for", "it",
                                    "oil", "tax", "port", "vote"};
  for (const char* a : syllables) {
    for (const char* b : syllables) words.push_back(std::string(a) + b);
  }
  return words;
}

struct Piece {
  std::string id, title, source, url, date;
  std::vector<std::string> paragraphs;
};

std::vector<Piece> DistinctArticles() {
  const std::vector<std::string> words = Vocabulary();
  std::mt19937 rng(20190131);
  // Common words far more often than the others, as in prose.
  std::vector<double> weights;
  for (size_t i = 0; i < words.size(); ++i) weights.push_back(i < 14 ? 12 : 1);
  std::discrete_distribution<size_t> pick(weights.begin(), weights.end());
  auto sentence = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) {
      if (i > 0) s += ' ';
      std::string w = words[pick(rng)];
      if (i == 0) w[0] = static_cast<char>(std::toupper(w[0]));
      s += w;
    }
    return s + ".";
  };
  std::vector<Piece> pieces;
  for (int i = 0; i < kDistinct; ++i) {
    Piece p;
    p.id = "a" + std::to_string(i);
    p.title = "On " + words[14 + i % 100] + " and the " + words[20 + i % 90];
    p.source = "Site " + std::to_string(i % 7);
    p.url = "https://example.org/a/" + std::to_string(i);
    p.date = "2019-" + std::string(i % 12 < 9 ? "0" : "") +
             std::to_string(i % 12 + 1) + "-1" + std::to_string(i % 10);
    for (int k = 0; k < 4; ++k) {
      p.paragraphs.push_back(sentence(12) + " " + sentence(10) + " " +
                             sentence(9));
    }
    // The same disclaimer in every article: shared, but not a copy.
    p.paragraphs.push_back(
        "Views expressed here are the author's own and do not reflect the "
        "policy of this site or of its editors.");
    pieces.push_back(std::move(p));
  }
  return pieces;
}

// Article i reposted by another site: a title prefix, a footer, a
// paragraph lower-cased, a new id, source, url and a later date.
Piece Repost(const Piece& original, const std::string& site) {
  Piece p = original;
  p.id = original.id + "-" + site;
  p.title = "Opinion | " + original.title;
  p.source = site;
  p.url = "https://" + site + ".example.org/" + original.id;
  p.date = original.date.substr(0, 8) + "28";
  for (char& c : p.paragraphs[1]) c = static_cast<char>(std::tolower(c));
  for (char& c : p.paragraphs[2]) c = static_cast<char>(std::toupper(c));
  p.paragraphs.push_back("This article was originally published by " +
                         original.source +
                         " and is republished here with "
                         "permission.");
  return p;
}

std::string JsonLine(const Piece& p) {
  nlohmann::json j;
  j["id"] = p.id;
  j["title"] = p.title;
  j["author"] = "Ana Lima";
  j["date"] = p.date;
  j["source"] = p.source;
  j["url"] = p.url;
  std::string body;
  for (const std::string& para : p.paragraphs) {
    if (!body.empty()) body += "\n\n";
    body += para;
  }
  j["body"] = body;
  return j.dump() + "\n";
}

void WriteJsonl(const std::string& path, const std::vector<Piece>& pieces) {
  std::string text;
  for (const Piece& p : pieces) text += JsonLine(p);
  testing::WriteFile(path, text);
}

Article ToArticle(const Piece& p) {
  Article a;
  a.id = p.id;
  a.title = p.title;
  for (const std::string& para : p.paragraphs) {
    a.body.push_back({Block::Kind::kParagraph, para});
  }
  return a;
}

void Index(const std::string& db, const std::vector<std::string>& inputs,
           bool full) {
  IndexerOptions options;
  options.db_dir = db;
  options.inputs = inputs;
  options.full = full;
  options.jobs = 2;
  Result<IndexSummary> summary = RunIndex(options);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  ASSERT_TRUE(summary->errors.empty()) << summary->errors[0].message;
}

// Every hit of the search, over as many pages as it takes.
struct AllHits {
  long total = 0, total_groups = 0;
  std::vector<Hit> hits;
  std::map<std::string, long> source_counts;
};

AllHits SearchAll(const std::string& db, const std::string& q, bool collapse,
                  SortOrder sort = SortOrder::kRelevance) {
  AllHits all;
  auto searcher = Searcher::Open(SearcherOptions{db});
  EXPECT_TRUE(searcher.ok()) << searcher.status().message();
  if (!searcher.ok()) return all;
  for (int page = 1; page <= 10; ++page) {
    SearchRequest request;
    request.q = q;
    request.op = DefaultOp::kOr;
    request.per_page = 100;
    request.page = page;
    request.collapse = collapse;
    request.sort = sort;
    request.facet_limit = 100;
    auto r = (*searcher)->Search(request);
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (!r.ok() || r->hits.empty()) break;
    all.total = r->total;
    all.total_groups = r->total_groups;
    all.hits.insert(all.hits.end(), r->hits.begin(), r->hits.end());
    if (page == 1) {
      for (const auto& [name, values] : r->facets) {
        if (name != "source") continue;
        for (const FacetValue& v : values) all.source_counts[v.value] = v.count;
      }
    }
  }
  return all;
}

// id -> ids of its copies, for the hits that have copies.
std::map<std::string, std::set<std::string>> CopiesById(const AllHits& all) {
  std::map<std::string, std::set<std::string>> out;
  for (const Hit& h : all.hits) {
    for (const Copy& c : h.copies) out[h.id].insert(c.id);
  }
  return out;
}

std::set<std::string> HitIds(const AllHits& all) {
  std::set<std::string> ids;
  for (const Hit& h : all.hits) ids.insert(h.id);
  return ids;
}

TEST(DedupTest, CopyKeepsResemblanceAndTopicArticlesDoNot) {
  const std::vector<Piece> pieces = DistinctArticles();
  const std::string original = dedup::Signature(ToArticle(pieces[0]));
  const std::string copy =
      dedup::Signature(ToArticle(Repost(pieces[0], "mirror")));
  ASSERT_EQ(original.size(), 2u * dedup::kSignatureHashes);
  EXPECT_GE(dedup::Resemblance(original, copy), dedup::kCopyResemblance);
  // The prefix and footer are not in the text; case is folded.
  EXPECT_EQ(dedup::CopyWords(ToArticle(Repost(pieces[0], "mirror"))),
            dedup::CopyWords(ToArticle(pieces[0])));
  double highest = 0;
  for (int i = 1; i < kDistinct; ++i) {
    highest = std::max(
        highest,
        dedup::Resemblance(original, dedup::Signature(ToArticle(pieces[i]))));
  }
  EXPECT_LT(highest, 0.5);
  Article short_text;
  short_text.title = "Shr 10 cts vs 12 cts";
  short_text.body = {{Block::Kind::kParagraph, "Net 1.2 mln vs 1.1 mln."}};
  EXPECT_EQ(dedup::Signature(short_text), "");
  EXPECT_TRUE(dedup::BandTerms("").empty());
  EXPECT_EQ(dedup::BandTerms(original).size(), size_t{dedup::kBands});
  // A band's number is its term's hex digits: shards' bands computed from
  // signatures (searcher/shard_groups.h) are the stored terms, in order.
  const std::vector<std::string> terms = dedup::BandTerms(original);
  const std::vector<uint64_t> keys = dedup::BandKeys(original);
  ASSERT_EQ(keys.size(), terms.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(
        std::stoull(terms[i].substr(schema::kBandPrefix.size()), nullptr, 16),
        keys[i]);
    EXPECT_EQ(terms[i].size(), schema::kBandPrefix.size() + 11);
    if (i > 0) {
      EXPECT_LT(terms[i - 1], terms[i]);
    }
  }
}

// Indexes keep each article's signature and band terms, and an incremental
// run groups a new article with those: the function may be made faster,
// never different.
TEST(DedupTest, SignatureOfAFixedTextIsTheOneIndexesHold) {
  Article article;
  article.title = "Ignored when the text is long enough";
  std::string text;
  for (int i = 0; i < 60; ++i) {
    text += "Word" + std::to_string(i * 7 % 23) + " don't Ölpreis’s, ";
  }
  article.lede = "The lede counts too.";
  article.body = {{Block::Kind::kParagraph, text},
                  {Block::Kind::kParagraph, "Originally published by X."}};
  const std::string signature = dedup::Signature(article);
  std::string hex;
  for (unsigned char c : signature) {
    static constexpr char kHex[] = "0123456789abcdef";
    hex += kHex[c >> 4];
    hex += kHex[c & 0xf];
  }
  EXPECT_EQ(hex,
            "01740054008302e5017b02fa000b032e006d0c1300cb05190063011e097d019f00"
            "ab019402bc007c001e0b2b04b7028b0171089507ff03f50243078b021500d704cd"
            "0196039e00cc0e2902e6055101010733034f06a7075d10a50074007e03bc070b04"
            "4d058102b401f508d702e70452037205040277030f029705e701c40094");
}

// The sample article is itself a repost ("originally published on Eurasia
// Future", a line the seed parser drops as boilerplate); its original is
// not in corpus/, so it forms no group there. Its original, or another
// repost with a title prefix and a footer of its own, is a copy of it.
TEST(DedupTest, SampleArticleIsACopyOfItsRepost) {
  const std::string path = testing::CorpusPath("russia-astana-venezuela.md");
  ParseOutput parsed = ParseSeedMarkdown(testing::ReadFile(path), path,
                                         "russia-astana-venezuela");
  ASSERT_EQ(parsed.articles.size(), 1u);
  const Article& sample = parsed.articles[0];
  ASSERT_FALSE(sample.body.empty());
  for (const Block& b : sample.body) {
    EXPECT_EQ(b.text.find("originally published"), std::string::npos);
  }
  const std::string signature = dedup::Signature(sample);
  ASSERT_NE(signature, "");
  Article repost = sample;
  repost.title = "Opinion | " + sample.title;
  repost.body.push_back({Block::Kind::kParagraph,
                         "This article was first published by Global "
                         "Research and is reproduced with permission."});
  EXPECT_EQ(dedup::CopyWords(repost), dedup::CopyWords(sample));
  EXPECT_GE(dedup::Resemblance(signature, dedup::Signature(repost)),
            dedup::kCopyResemblance);
  // Half of it is not a copy.
  Article half = sample;
  half.body.resize(sample.body.size() / 2);
  EXPECT_LT(dedup::Resemblance(signature, dedup::Signature(half)), 0.8);
}

TEST(DedupTest, ThirtyCopiesAmong160ArticlesShowAs160Hits) {
  TempDir dir;
  const std::vector<Piece> pieces = DistinctArticles();
  std::vector<Piece> copies;
  for (int i = 0; i < kCopies; ++i)
    copies.push_back(Repost(pieces[i], "mirror"));
  WriteJsonl(dir.Sub("originals.jsonl"), pieces);
  WriteJsonl(dir.Sub("copies.jsonl"), copies);
  const std::string db = dir.Sub("db");
  Index(db, {dir.Sub("originals.jsonl"), dir.Sub("copies.jsonl")}, true);

  std::map<std::string, std::set<std::string>> expected;
  for (int i = 0; i < kCopies; ++i) {
    expected[pieces[i].id] = {copies[i].id};
  }
  // Relevance (one BM25 pass), newest and oldest first (the date pages).
  for (SortOrder sort :
       {SortOrder::kRelevance, SortOrder::kNewest, SortOrder::kOldest}) {
    SCOPED_TRACE(static_cast<int>(sort));
    AllHits all = SearchAll(db, "the", true, sort);
    EXPECT_EQ(all.total, kDistinct + kCopies);
    EXPECT_EQ(all.total_groups, kDistinct);
    EXPECT_EQ(all.hits.size(), size_t{kDistinct});
    EXPECT_EQ(HitIds(all).size(), size_t{kDistinct});
    // Each pair shows once, its original first (it ranks or dates first
    // except newest first, where the later copy leads).
    std::map<std::string, std::set<std::string>> got = CopiesById(all);
    if (sort == SortOrder::kNewest) {
      std::map<std::string, std::set<std::string>> swapped;
      for (const auto& [id, ids] : expected) swapped[*ids.begin()] = {id};
      EXPECT_EQ(got, swapped);
    } else {
      EXPECT_EQ(got, expected);
    }
    // Facets count articles, copies included.
    long counted = 0;
    for (const auto& [source, n] : all.source_counts) counted += n;
    EXPECT_EQ(counted, kDistinct + kCopies);
    EXPECT_EQ(all.source_counts["mirror"], kCopies);
  }
  // Browsing (no words, newest first) collapses too.
  AllHits browse = SearchAll(db, "", true);
  EXPECT_EQ(browse.hits.size(), size_t{kDistinct});
  EXPECT_EQ(browse.total_groups, kDistinct);

  AllHits every = SearchAll(db, "the", false);
  EXPECT_EQ(every.total, kDistinct + kCopies);
  EXPECT_EQ(every.total_groups, kDistinct);
  EXPECT_EQ(every.hits.size(), size_t{kDistinct + kCopies});
  EXPECT_TRUE(CopiesById(every).empty());

  // The group key is in its value slot and term, the same for both.
  Result<Xapian::Database> opened = store::OpenForReading(db);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  Xapian::Database& x = *opened;
  auto key_of = [&](const std::string& id) {
    Xapian::PostingIterator p = x.postlist_begin(schema::IdTerm(id));
    return x.get_document(*p).get_value(schema::kGroupValue);
  };
  EXPECT_EQ(key_of("a0").size(), 16u);
  EXPECT_EQ(key_of("a0"), key_of("a0-mirror"));
  EXPECT_NE(key_of("a0"), key_of("a1"));
  EXPECT_EQ(key_of("a100"), "");
  EXPECT_EQ(x.get_termfreq(schema::GroupTerm(key_of("a0"))), 2u);

  // Attention with dedup counts each pair once, in the month of its
  // original (the copy is dated later in the same month); without, both.
  auto searcher = Searcher::Open(SearcherOptions{db});
  ASSERT_TRUE(searcher.ok()) << searcher.status().message();
  for (bool dedup : {false, true}) {
    AttentionRequest request;
    request.queries = {"the"};
    request.interval = Interval::kMonth;
    request.dedup = dedup;
    Result<AttentionResponse> r = (*searcher)->Attention(request);
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->series.size(), 1u);
    long counted = 0, all = 0;
    for (const AttentionBucket& b : r->series[0].buckets) {
      counted += b.count;
      all += b.all;
      EXPECT_EQ(b.count, b.all) << b.key;  // "the" is in every article
    }
    const long expected_total = dedup ? kDistinct : kDistinct + kCopies;
    EXPECT_EQ(r->series[0].total, expected_total);
    EXPECT_EQ(counted, expected_total);
    EXPECT_EQ(all, expected_total);
  }
}

TEST(DedupTest, LaterCopyJoinsGroupAndDeletingOriginalKeepsIt) {
  TempDir dir;
  const std::vector<Piece> pieces = DistinctArticles();
  const std::string in = dir.Sub("in");
  std::filesystem::create_directories(in);
  WriteJsonl(in + "/originals.jsonl", pieces);
  const std::string db = dir.Sub("db");
  Index(db, {in}, false);
  EXPECT_EQ(SearchAll(db, "the", true).total_groups, kDistinct);

  // Copies arrive in a later, incremental run.
  std::vector<Piece> copies;
  for (int i = 0; i < kCopies; ++i)
    copies.push_back(Repost(pieces[i], "mirror"));
  WriteJsonl(in + "/copies.jsonl", copies);
  Index(db, {in}, false);
  AllHits all = SearchAll(db, "the", true);
  EXPECT_EQ(all.total, kDistinct + kCopies);
  EXPECT_EQ(all.total_groups, kDistinct);
  EXPECT_EQ(all.hits.size(), size_t{kDistinct});
  EXPECT_EQ(CopiesById(all)["a3"], std::set<std::string>{"a3-mirror"});

  // A third site reposts articles 0..4: they join the same groups.
  std::vector<Piece> more;
  for (int i = 0; i < 5; ++i) more.push_back(Repost(pieces[i], "echo"));
  WriteJsonl(in + "/more.jsonl", more);
  Index(db, {in}, false);
  all = SearchAll(db, "the", true);
  EXPECT_EQ(all.total, kDistinct + kCopies + 5);
  EXPECT_EQ(all.total_groups, kDistinct);
  EXPECT_EQ(CopiesById(all)["a2"],
            (std::set<std::string>{"a2-mirror", "a2-echo"}));

  // The originals of 0..4 are deleted: each pair of copies stays a group.
  std::vector<Piece> rest(pieces.begin() + 5, pieces.end());
  WriteJsonl(in + "/originals.jsonl", rest);
  Index(db, {in}, false);
  all = SearchAll(db, "the", true);
  EXPECT_EQ(all.total, kDistinct - 5 + kCopies + 5);
  EXPECT_EQ(all.total_groups, kDistinct);
  EXPECT_EQ(all.hits.size(), size_t{kDistinct});
  std::map<std::string, std::set<std::string>> got = CopiesById(all);
  for (int i = 0; i < 5; ++i) {
    const std::string mirror = pieces[i].id + "-mirror";
    const std::string echo = pieces[i].id + "-echo";
    EXPECT_TRUE(got[mirror] == std::set<std::string>{echo} ||
                got[echo] == std::set<std::string>{mirror})
        << pieces[i].id << ": " << ::testing::PrintToString(got);
  }
}

}  // namespace
}  // namespace pundit
