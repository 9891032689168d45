// The text layer (core/text.h), the calendar (core/date.h) and
// ReadWholeFile (core/files.h).
#include <gtest/gtest.h>

#include <climits>
#include <string>

#include "core/date.h"
#include "core/files.h"
#include "core/text.h"
#include "tests/test_util.h"

namespace pundit {
namespace {

TEST(TextTest, AllDigitsNeedsAtLeastOneAsciiDigitAndNothingElse) {
  EXPECT_TRUE(AllDigits("0"));
  EXPECT_TRUE(AllDigits("20190131"));
  EXPECT_FALSE(AllDigits(""));
  EXPECT_FALSE(AllDigits("2019-01"));
  EXPECT_FALSE(AllDigits(" 1"));
  EXPECT_FALSE(AllDigits("\xd9\xa3"));  // ARABIC-INDIC DIGIT THREE
}

TEST(TextTest, WithThousandsGroupsByThree) {
  EXPECT_EQ(WithThousands(0), "0");
  EXPECT_EQ(WithThousands(999), "999");
  EXPECT_EQ(WithThousands(1000), "1,000");
  EXPECT_EQ(WithThousands(1234567), "1,234,567");
  EXPECT_EQ(WithThousands(-1234), "-1,234");
  EXPECT_EQ(WithThousands(LLONG_MIN), "-9,223,372,036,854,775,808");
}

TEST(TextTest, Utf8ValidationRejectsEveryMalformedShape) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(
      IsValidUtf8("Astana \xc3\xa9t\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\x80"));              // stray continuation
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xff"));
}

TEST(TextTest, CountsAndCutsAtCharacterBoundaries) {
  const std::string text = "a\xc3\xa9\xe4\xb8\xad!";  // a é 中 !
  EXPECT_EQ(Utf8Length(text), 4u);
  EXPECT_EQ(Utf8ByteOfChar(text, 0), 0u);
  EXPECT_EQ(Utf8ByteOfChar(text, 2), 3u);
  EXPECT_EQ(Utf8ByteOfChar(text, 3), 6u);
  EXPECT_EQ(Utf8ByteOfChar(text, 4), text.size());
  EXPECT_EQ(Utf8ByteOfChar(text, 99), text.size());
  EXPECT_EQ(Utf8Prefix(text, 2), "a");  // not half of é
  EXPECT_EQ(Utf8Prefix(text, 3), "a\xc3\xa9");
  EXPECT_EQ(Utf8Prefix(text, 5), "a\xc3\xa9");  // not two thirds of 中
  EXPECT_EQ(Utf8Prefix(text, 100), text);
  EXPECT_EQ(Utf8Boundary(text, 0), 0u);
}

TEST(DateTest, LeapYearsAndMonthLengths) {
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_FALSE(IsLeapYear(2023));
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(1900, 2), 28);
  EXPECT_EQ(DaysInMonth(2023, 4), 30);
  EXPECT_EQ(DaysInMonth(2023, 12), 31);
  EXPECT_EQ(DaysInMonth(2023, 0), 0);
  EXPECT_EQ(DaysInMonth(2023, 13), 0);
}

TEST(DateTest, IsoDatesNameRealDays) {
  EXPECT_TRUE(IsValidIsoDate("2020-02-29"));
  EXPECT_TRUE(IsValidIsoDate("0001-01-01"));
  EXPECT_FALSE(IsValidIsoDate("2019-02-29"));
  EXPECT_FALSE(IsValidIsoDate("0000-01-01"));
  EXPECT_FALSE(IsValidIsoDate("2019-13-01"));
  EXPECT_FALSE(IsValidIsoDate("2019-1-01"));
  EXPECT_FALSE(IsValidIsoDate("2019"));
  EXPECT_FALSE(IsValidIsoDate("2019/01/01"));
}

TEST(DateTest, BoundsOfYearsMonthsAndDays) {
  EXPECT_EQ(DateBound("2019", false).value_or(""), "20190101");
  EXPECT_EQ(DateBound("2019", true).value_or(""), "20191231");
  EXPECT_EQ(DateBound("2024-02", true).value_or(""), "20240229");
  EXPECT_EQ(DateBound("2023-02", true).value_or(""), "20230228");
  EXPECT_EQ(DateBound("2023-02-14", true).value_or(""), "20230214");
  EXPECT_FALSE(DateBound("2023-02-30", false).has_value());
  EXPECT_FALSE(DateBound("2023-13", false).has_value());
  EXPECT_FALSE(DateBound("0000", false).has_value());
  EXPECT_FALSE(DateBound("2023-2", false).has_value());
  EXPECT_FALSE(DateBound("", false).has_value());
}

TEST(FilesTest, ReadWholeFileReadsBytesAndReportsMissingFiles) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/bytes";
  const std::string content("a\0b\r\n\xff", 6);
  testing::WriteFile(path, content);
  bool ok = false;
  EXPECT_EQ(ReadWholeFile(path, &ok), content);
  EXPECT_TRUE(ok);
  EXPECT_EQ(ReadWholeFile(dir.path() + "/absent", &ok), "");
  EXPECT_FALSE(ok);
  EXPECT_EQ(ReadWholeFile(dir.path() + "/absent"), "");
}

}  // namespace
}  // namespace pundit
