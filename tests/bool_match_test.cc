// BoolMatch (searcher/bool_match.h) against Xapian's own matcher: random
// query trees of every operator it evaluates, over a real database with
// deleted documents, give exactly the documents Enquire matches; a node it
// does not evaluate (a phrase, a wildcard, a value range, a posting source)
// gives nothing, wherever it sits in the tree.
#include "searcher/bool_match.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <random>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace pundit {
namespace {

using testing::TempDir;

constexpr int kTerms = 12;

std::string Term(int i) { return std::string("t").append(std::to_string(i)); }

// 600 documents, each holding each term with its own probability (term i:
// (i + 1) / (kTerms + 2)), every 7th deleted afterwards.
Xapian::Database MakeDatabase(const std::string& path) {
  Xapian::WritableDatabase w(path, Xapian::DB_CREATE_OR_OVERWRITE);
  std::mt19937 rng(7);
  for (int d = 0; d < 600; ++d) {
    Xapian::Document doc;
    for (int i = 0; i < kTerms; ++i) {
      if (std::uniform_int_distribution<int>(0, kTerms + 1)(rng) <= i) {
        doc.add_posting(Term(i), 1);
      }
    }
    w.add_document(doc);
  }
  for (Xapian::docid d = 7; d <= 600; d += 7) w.delete_document(d);
  w.commit();
  return Xapian::Database(path);
}

Bitmap EnquireMatch(const Xapian::Database& db, const Xapian::Query& q) {
  Xapian::Enquire enquire(db);
  enquire.set_query(q);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  Xapian::MSet m = enquire.get_mset(0, db.get_doccount(), db.get_doccount());
  std::vector<uint32_t> ids;
  for (auto it = m.begin(); it != m.end(); ++it) ids.push_back(*it);
  return Bitmap(ids);
}

Bitmap AllDocs(const Xapian::Database& db) {
  std::vector<uint32_t> ids;
  for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
    ids.push_back(*p);
  }
  return Bitmap(ids);
}

// A random tree of depth <= `depth` over the evaluated operators.
Xapian::Query RandomQuery(std::mt19937& rng, int depth) {
  auto pick = [&](int n) {
    return std::uniform_int_distribution<int>(0, n - 1)(rng);
  };
  if (depth == 0 || pick(4) == 0) {
    switch (pick(8)) {
      case 0:
        return Xapian::Query::MatchAll;
      case 1:
        return Xapian::Query::MatchNothing;
      case 2:
        return Xapian::Query("absent");
      default:
        return Xapian::Query(Term(pick(kTerms)));
    }
  }
  static const Xapian::Query::op kOps[] = {
      Xapian::Query::OP_AND,       Xapian::Query::OP_OR,
      Xapian::Query::OP_AND_NOT,   Xapian::Query::OP_XOR,
      Xapian::Query::OP_AND_MAYBE, Xapian::Query::OP_FILTER,
      Xapian::Query::OP_SYNONYM,   Xapian::Query::OP_MAX};
  const int op = pick(9);
  if (op == 8) return RandomQuery(rng, depth - 1) * 2.5;  // SCALE_WEIGHT
  std::vector<Xapian::Query> subs;
  for (int i = 0, n = 2 + pick(3); i < n; ++i) {
    subs.push_back(RandomQuery(rng, depth - 1));
  }
  return Xapian::Query(kOps[op], subs.begin(), subs.end());
}

TEST(BoolMatchTest, RandomTreesMatchWhatXapianMatches) {
  TempDir dir;
  Xapian::Database db = MakeDatabase(dir.Sub("db"));
  const Bitmap all = AllDocs(db);
  ASSERT_EQ(all.Cardinality(), 600u - 85u);
  std::mt19937 rng(20261204);
  int nonempty = 0, partial = 0;
  for (int i = 0; i < 400; ++i) {
    const Xapian::Query q = RandomQuery(rng, 3);
    std::optional<Bitmap> b = BoolMatch(db, q, all);
    ASSERT_TRUE(b.has_value()) << q.get_description();
    const Bitmap expected = EnquireMatch(db, q);
    ASSERT_EQ(b->Cardinality(), expected.Cardinality()) << q.get_description();
    ASSERT_EQ(b->AndCardinality(expected), expected.Cardinality())
        << q.get_description();
    if (expected.Cardinality() > 0) ++nonempty;
    if (expected.Cardinality() > 0 && expected.Cardinality() < 515) ++partial;
  }
  // The trees are not all trivially empty or everything.
  EXPECT_GT(nonempty, 200);
  EXPECT_GT(partial, 100);
}

TEST(BoolMatchTest, NodesItDoesNotEvaluateGiveNothing) {
  TempDir dir;
  Xapian::Database db = MakeDatabase(dir.Sub("db"));
  const Bitmap all = AllDocs(db);
  const Xapian::Query term(Term(3));
  const std::vector<std::string> pair = {Term(1), Term(2)};
  auto of = [&](Xapian::Query::op op) {
    return Xapian::Query(op, pair.begin(), pair.end());
  };
  const std::vector<Xapian::Query> others = {
      of(Xapian::Query::OP_PHRASE),
      of(Xapian::Query::OP_NEAR),
      Xapian::Query(Xapian::Query::OP_WILDCARD, "t1"),
      Xapian::Query(Xapian::Query::OP_VALUE_RANGE, 0, "a", "b"),
      of(Xapian::Query::OP_ELITE_SET),
  };
  for (const Xapian::Query& other : others) {
    EXPECT_FALSE(BoolMatch(db, other, all)) << other.get_description();
    // Deep inside a tree, too.
    const Xapian::Query tree(
        Xapian::Query::OP_OR, term,
        Xapian::Query(Xapian::Query::OP_AND_NOT, term, other));
    EXPECT_FALSE(BoolMatch(db, tree, all)) << tree.get_description();
  }
}

}  // namespace
}  // namespace pundit
