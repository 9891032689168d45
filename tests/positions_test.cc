// Tests of the position record (core/positions.h).
//
// Properties checked:
// - every term added is found with exactly its positions, ascending and
//   without repeats, in records of one term to thousands of terms;
// - a term's positions added at once give the same record as added one by
//   one, and merge with positions already added;
// - terms whose 16-bit hashes collide are told apart by their spelling;
// - a term whose hash no entry has is not found;
// - damaged bytes (truncated, garbage) never crash: Find() returns false or
//   positions read within the bytes, and most truncations are not Valid();
// - HasPositions() holds for words and S<word> and for no other prefix;
// - BuildDocument stores the record and TermDump reads it back.
#include "core/positions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/analyzer.h"
#include "core/document.h"
#include "core/schema.h"

namespace pundit {
namespace {

// The positions of `term` in the parts `parts` (Finish()'s result).
std::vector<uint32_t> Found(const std::vector<std::string>& parts,
                            const std::string& term) {
  std::vector<uint32_t> out;
  EXPECT_TRUE(PositionRecord(parts.at(PositionPart(term))).Find(term, &out))
      << term;
  return out;
}

bool AllValid(const std::vector<std::string>& parts) {
  if (parts.size() != kPositionParts) return false;
  for (const std::string& p : parts) {
    if (!p.empty() && !PositionRecord(p).Valid()) return false;
  }
  return true;
}

TEST(PositionsTest, FindsEveryTermWithExactlyItsPositions) {
  std::mt19937 random(3);
  for (int terms : {1, 2, 17, 480, 4000}) {
    std::map<std::string, std::vector<uint32_t>> want;
    PositionRecordBuilder builder;
    for (int i = 0; i < terms; ++i) {
      const std::string term = "w" + std::to_string(random() % 100000);
      const int count = 1 + static_cast<int>(random() % 5);
      for (int k = 0; k < count; ++k) {
        const uint32_t pos = 1 + random() % 3000;
        builder.Add(term, pos);
        builder.Add(term, pos);  // a repeat is kept once
        want[term].push_back(pos);
      }
    }
    const std::vector<std::string> record = builder.Finish();
    EXPECT_TRUE(builder.empty());
    ASSERT_TRUE(AllValid(record));
    for (auto& [term, positions] : want) {
      std::sort(positions.begin(), positions.end());
      positions.erase(std::unique(positions.begin(), positions.end()),
                      positions.end());
      EXPECT_EQ(Found(record, term), positions) << term;
    }
  }
}

TEST(PositionsTest, PositionsAddedAtOnceAreThoseAddedOneByOne) {
  std::mt19937 random(5);
  PositionRecordBuilder one_by_one;
  PositionRecordBuilder at_once;
  for (int i = 0; i < 300; ++i) {
    const std::string term = "w" + std::to_string(i);
    std::vector<uint32_t> positions;
    for (uint32_t pos = 1 + random() % 7; pos < 2000;
         pos += 1 + random() % 90) {
      positions.push_back(pos);
      one_by_one.Add(term, pos);
    }
    at_once.Add(term, positions);
  }
  // EncodePositions, straight from the terms in any order (colliding
  // hashes among 3,000 terms included), gives the same parts.
  std::vector<std::string> terms;
  std::vector<std::vector<uint32_t>> lists;
  PositionRecordBuilder builder;
  for (int i = 0; i < 3000; ++i) {
    terms.push_back("t" + std::to_string((i * 7919) % 3000));
    lists.push_back({static_cast<uint32_t>(i + 1),
                     static_cast<uint32_t>(i + 1 + random() % 500)});
    if (lists.back()[0] == lists.back()[1]) lists.back().pop_back();
    builder.Add(terms.back(), lists.back());
  }
  std::vector<TermPositions> direct;
  for (size_t i = 0; i < terms.size(); ++i) {
    direct.push_back({terms[i], &lists[i]});
  }
  EXPECT_EQ(EncodePositions(direct), builder.Finish());
  EXPECT_EQ(at_once.Finish(), one_by_one.Finish());
  // Positions given at once for a term that has some merge with them.
  PositionRecordBuilder merged;
  merged.Add("oil", 9);
  merged.Add("oil", 2);
  merged.Add("oil", std::vector<uint32_t>{1, 2, 5, 20});
  const std::vector<std::string> record = merged.Finish();
  ASSERT_TRUE(AllValid(record));
  EXPECT_EQ(Found(record, "oil"), (std::vector<uint32_t>{1, 2, 5, 9, 20}));
}

TEST(PositionsTest, CollidingHashesAreToldApartBySpelling) {
  // Find three terms sharing one hash, and one with a hash of its own.
  std::unordered_map<uint16_t, std::vector<std::string>> by_hash;
  std::vector<std::string> same;
  for (int i = 0; same.empty(); ++i) {
    const std::string term = "t" + std::to_string(i);
    auto& list = by_hash[PositionHash(term)];
    list.push_back(term);
    if (list.size() == 3) same = list;
  }
  PositionRecordBuilder builder;
  builder.Add(same[0], 5);
  builder.Add(same[1], 7);
  builder.Add(same[1], 9);
  builder.Add(same[2], 1);
  builder.Add("alone", 3);
  const std::vector<std::string> record = builder.Finish();
  ASSERT_TRUE(AllValid(record));
  EXPECT_EQ(Found(record, same[0]), std::vector<uint32_t>({5}));
  EXPECT_EQ(Found(record, same[1]), std::vector<uint32_t>({7, 9}));
  EXPECT_EQ(Found(record, same[2]), std::vector<uint32_t>({1}));
  EXPECT_EQ(Found(record, "alone"), std::vector<uint32_t>({3}));
  // A fourth term with the colliding hash is none of the three.
  std::string fourth;
  for (int i = 0; fourth.empty(); ++i) {
    const std::string term = "u" + std::to_string(i);
    if (PositionHash(term) == PositionHash(same[0])) fourth = term;
  }
  std::vector<uint32_t> out;
  EXPECT_FALSE(PositionRecord(record[PositionPart(fourth)]).Find(fourth, &out));
  EXPECT_TRUE(out.empty());
}

TEST(PositionsTest, ATermWithoutAnEntryIsNotFound) {
  PositionRecordBuilder builder;
  builder.Add("alpha", 1);
  const std::vector<std::string> record = builder.Finish();
  // Another term of the same part, with another hash.
  std::string other = "b";
  while (PositionPart(other) != PositionPart("alpha") ||
         PositionHash(other) == PositionHash("alpha")) {
    other += "b";
    if (other.size() > 5000) other = "c";
  }
  std::vector<uint32_t> out;
  EXPECT_FALSE(PositionRecord(record[PositionPart(other)]).Find(other, &out));
  EXPECT_FALSE(PositionRecord("").Find("alpha", &out));
  EXPECT_TRUE(out.empty());
  // Only alpha's part is stored.
  int stored = 0;
  for (const std::string& part : record) stored += part.empty() ? 0 : 1;
  EXPECT_EQ(stored, 1);
}

TEST(PositionsTest, DamagedBytesAreRejectedWithoutCrashing) {
  PositionRecordBuilder builder;
  std::vector<std::string> terms;
  for (int i = 0; i < 3000; ++i) {
    terms.push_back("w" + std::to_string(i));
    builder.Add(terms.back(), static_cast<uint32_t>(i * 3 + 1));
  }
  const std::vector<std::string> record = builder.Finish();
  ASSERT_TRUE(AllValid(record));
  const unsigned part = PositionPart(terms[0]);
  const std::string& bytes = record[part];
  std::vector<std::string> in_part;
  for (const std::string& t : terms) {
    if (PositionPart(t) == part) in_part.push_back(t);
  }
  ASSERT_GT(in_part.size(), 10u);
  // Every truncation: never a read past the end; invalid unless cut at
  // an entry's end.
  EXPECT_FALSE(PositionRecord("").Valid());
  int invalid = 0;
  for (size_t size = 0; size < bytes.size(); ++size) {
    const std::string cut = bytes.substr(0, size);
    invalid += PositionRecord(cut).Valid() ? 0 : 1;
    for (const std::string& t : in_part) {
      std::vector<uint32_t> out;
      PositionRecord(cut).Find(t, &out);
      EXPECT_LE(out.size(), cut.size());
    }
  }
  EXPECT_GT(invalid, static_cast<int>(bytes.size() / 2));
  // Random bytes.
  std::mt19937 random(11);
  for (int i = 0; i < 2000; ++i) {
    std::string garbage(random() % 64, '\0');
    for (char& c : garbage) c = static_cast<char>(random());
    std::vector<uint32_t> found;
    PositionRecord(garbage).Find(in_part[i % in_part.size()], &found);
    EXPECT_LE(found.size(), garbage.size());
  }
}

TEST(PositionsTest, OnlyWordsAndTitleWordsHavePositions) {
  for (const char* term : {"talks", "2019", "élan", "Stalks", "S2019"}) {
    EXPECT_TRUE(HasPositions(term)) << term;
  }
  for (const char* term : {"", "Ztalk", "ZStalk", "A:Andrew Korybko",
                           "XPthe end", "Q2019/astana", "Y2019", "S", "SZ"}) {
    EXPECT_FALSE(HasPositions(term)) << term;
  }
}

TEST(PositionsTest, BuildDocumentStoresTheRecordOfItsWords) {
  Analyzer analyzer;
  Article article;
  article.id = "x";
  article.title = "Peace talks";
  article.body = {{Block::Kind::kParagraph, "Talks on peace, then talks."}};
  const Xapian::Document doc = BuildDocument(article, "/x.md", analyzer);
  // Title at 1-2; the body starts kParagraphGap after it.
  EXPECT_EQ(PositionsOf(doc, "talks"), std::vector<uint32_t>({2, 13, 17}));
  EXPECT_EQ(PositionsOf(doc, "Stalks"), std::vector<uint32_t>({2}));
  EXPECT_EQ(PositionsOf(doc, "peace"), std::vector<uint32_t>({1, 15}));
  EXPECT_TRUE(PositionsOf(doc, "Ztalk").empty());
  // Each stored part is valid and in its own slot.
  int parts = 0;
  for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
    if (v.get_valueno() < schema::kPositionsFirstValue) continue;
    EXPECT_LT(v.get_valueno(), schema::kPositionsFirstValue + kPositionParts);
    EXPECT_TRUE(PositionRecord(*v).Valid()) << v.get_valueno();
    ++parts;
  }
  EXPECT_GE(parts, 1);
  EXPECT_LE(parts, 6);  // talks, then, on, peace, Stalks, Speace
  // Xapian's own position lists stay empty.
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    EXPECT_EQ(t.positionlist_count(), 0u) << *t;
  }
  EXPECT_NE(TermDump(doc).find("talks:5[2,13,17]"), std::string::npos)
      << TermDump(doc);
}

}  // namespace
}  // namespace pundit
