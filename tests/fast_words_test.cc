// FindFastWords (core/fast_words.h) finds exactly the words, and rule
// statuses, of ICU's root word break iterator wherever it answers, and an
// Analyzer that uses it gives exactly the tokens of one that asks ICU for
// every text: on every short string from an alphabet holding each
// character class the rules tell apart, on random text, on the test data
// files, and on the shared corpora when present.
#include "core/fast_words.h"

#include <gtest/gtest.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/analyzer.h"
#include "tests/test_util.h"

namespace pundit {
namespace {

// Characters, as UTF-8, of every class FindFastWords tells apart: letters
// (ASCII, '@', Latin-1), a digit, '_', the middle characters ('.', '\'',
// U+2019; ',' and ':'), boundaries with and without a compatibility form
// (space, NBSP, '…', '-'), and one it leaves to ICU (a combining accent,
// which joins the letter before it).
const std::vector<std::string> kAlphabet = {"a",
                                            "9",
                                            "@",
                                            "_",
                                            ".",
                                            "'",
                                            ",",
                                            ":",
                                            " ",
                                            "\xC3\xA9" /* é */,
                                            "\xE2\x80\x99" /* ’ */,
                                            "\xE2\x80\xA6" /* … */,
                                            "\xC2\xA0" /* NBSP */};
const std::vector<std::string> kShortAlphabet = {
    "a", "1", "_", ".", "\xE2\x80\x99", "-", " ", "\xCC\x81" /* U+0301 */};

class FastWordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    UErrorCode ec = U_ZERO_ERROR;
    icu_.reset(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), ec));
    ASSERT_TRUE(U_SUCCESS(ec));
  }

  // "[begin,end)=status ..." of the words ICU finds in `text` (UTF-8), or
  // of FindFastWords ("unknown" when it declines the text).
  std::string Icu(std::string_view text) {
    const icu::UnicodeString s = Utf16(text);
    icu_->setText(s);
    std::string out;
    int32_t begin = icu_->first();
    for (int32_t end = icu_->next(); end != icu::BreakIterator::DONE;
         begin = end, end = icu_->next()) {
      const int32_t status = icu_->getRuleStatus();
      if (status < UBRK_WORD_NONE_LIMIT) continue;
      out += Span(begin, end, status);
    }
    return out;
  }
  static std::string Fast(std::string_view text) {
    const icu::UnicodeString s = Utf16(text);
    std::vector<FastWord> words;
    if (!FindFastWords(std::u16string_view(s.getBuffer(), s.length()),
                       &words)) {
      return "unknown";
    }
    std::string out;
    for (const FastWord& w : words) out += Span(w.begin, w.end, w.status);
    return out;
  }

  // The tokens of the two analyzers, as text.
  std::string Tokens(Analyzer& analyzer, std::string_view text) {
    std::string out;
    for (const Token& t : analyzer.Tokenize(text, 5)) {
      out += t.term + "@" + std::to_string(t.position) + "[" +
             std::to_string(t.begin) + "," + std::to_string(t.end) + ")" +
             (t.compound ? "c" : "") + " ";
    }
    return out;
  }

  // Where FindFastWords answers, it must be ICU's answer; and the two
  // analyzers must agree everywhere. Counts the texts that differ,
  // reporting the first few.
  void Check(const std::string& text) {
    const std::string fast = Fast(text);
    const bool words_differ = fast != "unknown" && fast != Icu(text);
    const std::string tokens = Tokens(fast_, text);
    const std::string icu_tokens = Tokens(icu_only_, text);
    if ((words_differ || tokens != icu_tokens) && ++differences_ <= 10) {
      ADD_FAILURE() << "\"" << text << "\": ICU " << Icu(text) << " fast "
                    << fast << "\ntokens " << tokens << "\nICU's "
                    << icu_tokens;
    }
    if (fast != "unknown") ++answered_;
  }

  // Every string of 1..max_length characters of `alphabet`.
  void CheckAll(const std::vector<std::string>& alphabet, int max_length) {
    std::string text;
    std::vector<size_t> digits;
    for (int length = 1; length <= max_length; ++length) {
      digits.assign(length, 0);
      for (;;) {
        text.clear();
        for (size_t d : digits) text += alphabet[d];
        Check(text);
        size_t k = 0;
        while (k < digits.size() && ++digits[k] == alphabet.size()) {
          digits[k++] = 0;
        }
        if (k == digits.size()) break;
      }
    }
  }

  static icu::UnicodeString Utf16(std::string_view text) {
    return icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  }
  static std::string Span(int32_t begin, int32_t end, int32_t status) {
    return "[" + std::to_string(begin) + "," + std::to_string(end) +
           ")=" + std::to_string(status) + " ";
  }

  std::unique_ptr<icu::BreakIterator> icu_;
  Analyzer fast_{Analyzer::WordBreaks::kFast};
  Analyzer icu_only_{Analyzer::WordBreaks::kIcuOnly};
  int differences_ = 0;
  int answered_ = 0;
};

TEST_F(FastWordsTest, KnownCases) {
  // Letters, digits and '_' join; '.', '\'' and ’ join letters or digits;
  // ',' and ';' digits only; ':' nothing. Status: the last character's.
  EXPECT_EQ(Fast("U.S. don't 3.5 1,000 a:b a,b x'1"),
            "[0,3)=200 [5,10)=200 [11,14)=100 [15,20)=100 [21,22)=200 "
            "[23,24)=200 [25,26)=200 [27,28)=200 [29,30)=200 [31,32)=100 ");
  EXPECT_EQ(Fast("abc123 123abc a1_ 1__ _ __ a@b.org"),
            "[0,6)=100 [7,13)=200 [14,17)=100 [18,21)=200 [24,26)=200 "
            "[27,34)=200 ");
  EXPECT_EQ(Fast("Russia\xE2\x80\x99s \xE2\x80\x9C"
                 "caf\xC3\xA9\xE2\x80\x9D"),
            "[0,8)=200 [10,14)=200 ");
  EXPECT_EQ(Fast(""), "");
  EXPECT_EQ(Fast(" .,;:'\"-\n\xE2\x80\x94"), "");
  // Characters it does not know are left to ICU: a combining accent, CJK.
  EXPECT_EQ(Fast("e\xCC\x81"), "unknown");
  EXPECT_EQ(Fast("\xE4\xB8\xAD\xE6\x96\x87"), "unknown");
}

TEST_F(FastWordsTest, EqualsIcuOnEveryShortString) {
  CheckAll(kAlphabet, 5);
  CheckAll(kShortAlphabet, 6);
  EXPECT_EQ(differences_, 0);
  EXPECT_GT(answered_, 300000);
}

TEST_F(FastWordsTest, EqualsIcuOnRandomText) {
  std::mt19937 random(20261206);
  std::vector<std::string> pool = kAlphabet;
  for (int c = 1; c < 128; ++c) pool.emplace_back(1, static_cast<char>(c));
  for (const char* s :
       {"\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x94", "\xE2\x80\x93",
        "\xE2\x80\x98", "\xC2\xA3", "\xC3\x9F" /* ß */, "\xC5\xBE" /* ž */,
        "\xC4\xB3" /* ĳ */, "\xE2\x84\xA2" /* ™ */, "\xC2\xB2" /* ² */,
        "\xC2\xAD" /* soft hyphen */}) {
    pool.emplace_back(s);
  }
  const std::string letters = "eeettaaoinshrdlu1_.'";
  std::uniform_int_distribution<size_t> pick(0, pool.size() - 1);
  std::uniform_int_distribution<size_t> letter(0, letters.size() - 1);
  std::uniform_int_distribution<int> length(1, 60);
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    const int size = length(random);
    for (int i = 0; i < size; ++i) {
      // Half the characters from the pool, half common letters.
      if (i % 2 == 0) {
        text += pool[pick(random)];
      } else {
        text.push_back(letters[letter(random)]);
      }
    }
    Check(text);
  }
  EXPECT_EQ(differences_, 0);
  EXPECT_GT(answered_, 1000);
}

TEST_F(FastWordsTest, EqualsIcuOnTestDataAndCorpora) {
  std::vector<std::string> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(testing::TestData(""))) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  ASSERT_GT(files.size(), 10u);
  const std::string corpora = testing::SharedPath("corpora");
  if (!corpora.empty()) {
    for (const auto& entry : std::filesystem::directory_iterator(corpora)) {
      const std::string jsonl = entry.path().string() + "/articles.jsonl";
      if (std::filesystem::exists(jsonl)) files.push_back(jsonl);
    }
  }
  for (const std::string& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    for (size_t n = 0; n < 500 && std::getline(in, line); ++n) Check(line);
  }
  EXPECT_EQ(differences_, 0);
  EXPECT_GT(answered_, 100);
  if (corpora.empty()) {
    GTEST_SKIP() << "../shared is absent: compared the test data only";
  }
}

}  // namespace
}  // namespace pundit
