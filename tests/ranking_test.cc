// Ranking quality on a small hand-judged set: tests/testdata/ranking holds
// 24 short original articles (articles.jsonl) and 18 queries with the
// articles judged relevant and the decoys judged non-relevant
// (judgments.tsv). Properties checked:
// - the judged set itself is well formed (every judged id is an article, at
//   least 10 queries);
// - for every judged query, the first hit is a relevant article, every
//   relevant article is found, and no decoy ranks above a relevant article;
// - natural-language questions with OR semantics are not ranked by their
//   stop words: an article made of "what", "is", "the"... never beats one
//   about the question's subject;
// - stop words are dropped only from OR groups with at least three other
//   words, never inside phrases or with AND, and the interpretation shows
//   the words searched.
// (That an exact form ranks above other forms of its stem is checked by
// searcher_test.cc.)
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "indexer/indexer.h"
#include "searcher/searcher.h"
#include "tests/test_util.h"

namespace pundit {
namespace {

struct Judgment {
  int line = 0;
  std::string q;
  DefaultOp op = DefaultOp::kOr;
  std::vector<std::string> relevant, non_relevant;
};

std::vector<std::string> Fields(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, sep)) out.push_back(field);
  if (!line.empty() && line.back() == sep) out.emplace_back();
  return out;
}

std::vector<std::string> Ids(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string id; in >> id;) out.push_back(id);
  return out;
}

std::vector<Judgment> ReadJudgments(const std::string& path) {
  std::vector<Judgment> out;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path << ": cannot read";
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = Fields(line, '\t');
    EXPECT_EQ(f.size(), 4u) << path << ":" << n
                            << ": error: expected query, op, relevant ids, "
                               "non-relevant ids separated by tabs";
    if (f.size() != 4) continue;
    Judgment j;
    j.line = n;
    j.q = f[0];
    EXPECT_TRUE(f[1] == "or" || f[1] == "and")
        << path << ":" << n << ": error: op must be or or and, got " << f[1];
    j.op = f[1] == "and" ? DefaultOp::kAnd : DefaultOp::kOr;
    j.relevant = Ids(f[2]);
    j.non_relevant = Ids(f[3]);
    out.push_back(std::move(j));
  }
  return out;
}

// "…/articles.jsonl:r01" -> "r01".
std::string RawId(const std::string& id) {
  size_t colon = id.rfind(':');
  return colon == std::string::npos ? id : id.substr(colon + 1);
}

class RankingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    IndexerOptions options;
    options.db_dir = dir_->Sub("db");
    options.inputs = {testing::TestData("ranking/articles.jsonl")};
    options.full = true;
    options.jobs = 1;
    Result<IndexSummary> summary = RunIndex(options);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    ASSERT_EQ(summary->indexed, 24) << summary->SummaryLine();
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override {
    Result<std::unique_ptr<Searcher>> s = Searcher::Open({dir_->Sub("db")});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    searcher_ = std::move(s.value());
  }

  SearchResponse Search(const std::string& q, DefaultOp op) {
    SearchRequest req;
    req.q = q;
    req.op = op;
    req.per_page = kMaxPerPage;
    req.want_facets = false;
    req.want_snippets = false;
    Result<SearchResponse> r = searcher_->Search(req);
    EXPECT_TRUE(r.ok()) << q << ": " << r.status().ToString();
    return r.ok() ? std::move(r.value()) : SearchResponse{};
  }

  // Ids of the hits, best first.
  std::vector<std::string> Ranked(const std::string& q, DefaultOp op) {
    std::vector<std::string> ids;
    for (const Hit& h : Search(q, op).hits) ids.push_back(RawId(h.id));
    return ids;
  }

  static testing::TempDir* dir_;
  std::unique_ptr<Searcher> searcher_;
};

testing::TempDir* RankingTest::dir_ = nullptr;

std::string Show(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : " ") + id;
  return out;
}

TEST_F(RankingTest, JudgedSetIsWellFormed) {
  std::vector<Judgment> judged =
      ReadJudgments(testing::TestData("ranking/judgments.tsv"));
  EXPECT_GE(judged.size(), 10u);
  std::set<std::string> all;
  for (const std::string& id : Ranked("", DefaultOp::kOr)) all.insert(id);
  ASSERT_EQ(all.size(), 24u);
  for (const Judgment& j : judged) {
    EXPECT_FALSE(j.relevant.empty()) << "line " << j.line << ": " << j.q;
    for (const auto* ids : {&j.relevant, &j.non_relevant}) {
      for (const std::string& id : *ids) {
        EXPECT_TRUE(all.count(id))
            << "line " << j.line << ": no article " << id;
      }
    }
  }
}

TEST_F(RankingTest, RelevantArticlesRankAboveDecoys) {
  std::vector<Judgment> judged =
      ReadJudgments(testing::TestData("ranking/judgments.tsv"));
  ASSERT_GE(judged.size(), 10u);
  for (const Judgment& j : judged) {
    std::vector<std::string> ranked = Ranked(j.q, j.op);
    SCOPED_TRACE("judgments.tsv:" + std::to_string(j.line) + ": \"" + j.q +
                 "\" ranked: " + Show(ranked));
    auto rank_of = [&](const std::string& id) {
      return static_cast<size_t>(std::find(ranked.begin(), ranked.end(), id) -
                                 ranked.begin());
    };
    ASSERT_FALSE(ranked.empty());
    EXPECT_TRUE(std::count(j.relevant.begin(), j.relevant.end(), ranked[0]))
        << "first hit " << ranked[0] << " is not judged relevant";
    size_t worst_relevant = 0;
    for (const std::string& id : j.relevant) {
      EXPECT_LT(rank_of(id), ranked.size()) << id << " is not found";
      worst_relevant = std::max(worst_relevant, rank_of(id));
    }
    for (const std::string& id : j.non_relevant) {
      EXPECT_GT(rank_of(id), worst_relevant)
          << "decoy " << id << " ranks above a relevant article";
    }
  }
}

TEST_F(RankingTest, StopWordsDoNotRankNaturalLanguageQuestions) {
  // r20 is made of nothing but stop words and "case"; counting "what",
  // "is", "the" and "for" ranked it first.
  std::vector<std::string> ranked =
      Ranked("what is the case for a shorter week", DefaultOp::kOr);
  ASSERT_EQ(ranked.size(), 2u) << Show(ranked);
  EXPECT_EQ(ranked[0], "r19");
  EXPECT_EQ(ranked[1], "r20");  // it still says "case", and nothing more
  // Only stop words: they are all that can be searched.
  EXPECT_EQ(Ranked("what it is", DefaultOp::kOr).at(0), "r20");
}

TEST_F(RankingTest, DropsStopWordsOnlyFromLongEnoughOrGroups) {
  struct Case {
    std::string q;
    DefaultOp op;
    std::string interpreted;
  };
  const std::vector<Case> cases = {
      {"what is the case for a four day week", DefaultOp::kOr,
       "case OR four OR day OR week"},
      {"the case for wind", DefaultOp::kOr, "the OR case OR for OR wind"},
      {"the who", DefaultOp::kOr, "the OR who"},
      {"what is the case for a four day week", DefaultOp::kAnd,
       "what AND is AND the AND case AND for AND a AND four AND day AND "
       "week"},
      {"\"the state of the union\" said the president in europe",
       DefaultOp::kOr,
       "\"the state of the union\" OR said OR president OR europe"},
      {"title:the best of the year today", DefaultOp::kOr,
       "title:the OR best OR year OR today"},
      {"the case for offshore -wind", DefaultOp::kOr,
       "(the OR case OR for OR offshore) AND NOT wind"},
      {"is wind farm energy better than solar", DefaultOp::kOr,
       "wind OR farm OR energy OR better OR solar"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Search(c.q, c.op).interpreted, c.interpreted) << c.q;
  }
}

// A pasted sentence finds its source first: p1 holds it verbatim inside a
// long article about something else; p2 and p3 are short and repeat its
// rarer words, which BM25 alone ranks higher (the same words typed in
// another order show it).
class PassageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const std::string filler =
        "The council also heard about the library roof, the summer fair, "
        "parking on the high street and a new bus timetable for the villages. ";
    std::string p1_body;
    for (int i = 0; i < 6; ++i) p1_body += filler;
    p1_body +=
        "The harbour board voted on Tuesday to close the old grain terminal "
        "for good. ";
    for (int i = 0; i < 6; ++i) p1_body += filler;
    auto line = [](const std::string& id, const std::string& body) {
      return R"({"id": ")" + id +
             R"(", "title": "Council notes", "author": ["A. Writer"], )"
             R"("date": "2024-05-01", "body": ")" +
             body + "\"}\n";
    };
    const std::string path = dir_->Sub("passage.jsonl");
    testing::WriteFile(
        path,
        line("p1", p1_body) +
            line("p2",
                 "Grain terminal: the harbour board and the grain terminal "
                 "board voted; the terminal will close, the board said, and "
                 "the old grain terminal closes for good on Tuesday, to much "
                 "regret.") +
            line("p3",
                 "Old terminal, old grain, old harbour: the board voted to "
                 "close the grain terminal and the harbour terminal for good "
                 "on Tuesday."));
    IndexerOptions options;
    options.db_dir = dir_->Sub("db");
    options.inputs = {path};
    options.full = true;
    options.jobs = 1;
    Result<IndexSummary> summary = RunIndex(options);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    ASSERT_EQ(summary->indexed, 3) << summary->SummaryLine();
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  std::vector<std::string> Ranked(const std::string& q, DefaultOp op) {
    Result<std::unique_ptr<Searcher>> s = Searcher::Open({dir_->Sub("db")});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return {};
    SearchRequest req;
    req.q = q;
    req.op = op;
    req.want_facets = false;
    req.want_snippets = false;
    Result<SearchResponse> r = (*s)->Search(req);
    EXPECT_TRUE(r.ok()) << q << ": " << r.status().ToString();
    std::vector<std::string> ids;
    if (r.ok()) {
      for (const Hit& h : r->hits) ids.push_back(RawId(h.id));
    }
    return ids;
  }

  static testing::TempDir* dir_;
};

testing::TempDir* PassageTest::dir_ = nullptr;

TEST_F(PassageTest, APastedSentenceFindsItsSourceFirst) {
  const std::string sentence =
      "The harbour board voted on Tuesday to close the old grain terminal "
      "for good.";
  const std::string shuffled =
      "good for terminal grain old the close to Tuesday on voted board "
      "harbour The";
  for (DefaultOp op : {DefaultOp::kOr, DefaultOp::kAnd}) {
    SCOPED_TRACE(op == DefaultOp::kOr ? "op=or" : "op=and");
    std::vector<std::string> in_order = Ranked(sentence, op);
    ASSERT_EQ(in_order.size(), 3u) << Show(in_order);
    EXPECT_EQ(in_order[0], "p1") << Show(in_order);
    // Not a phrase in any article: ranked by the words alone, p1 (long,
    // each word once) comes last.
    std::vector<std::string> other_order = Ranked(shuffled, op);
    ASSERT_EQ(other_order.size(), 3u) << Show(other_order);
    EXPECT_EQ(other_order[2], "p1") << Show(other_order);
  }
  // Short queries are not read as passages; three words rank by the words.
  EXPECT_EQ(Ranked("old grain terminal", DefaultOp::kOr).back(), "p1");
  // A filter among the words leaves the passage whole.
  EXPECT_EQ(Ranked(sentence + " author:\"A. Writer\"", DefaultOp::kAnd).at(0),
            "p1");
}

}  // namespace
}  // namespace pundit
