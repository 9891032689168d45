// BuildTimeline (searcher/timeline.h), from month counts to buckets:
// - a span of at most 120 months counts months, empty ones included, keys
//   "YYYY-MM", across year ends;
// - longer spans count years, then decades, then centuries, each keyed by
//   its first year ("2010", "1900", "0000"), empty ones included;
// - whatever the dates (0001-01 and 9999-12 included), there are never more
//   than kTimelineMaxBuckets buckets and no match is lost;
// - no months, or only keys that are not months, make no buckets.
#include "searcher/timeline.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace pundit {
namespace {

using Counts = std::map<int, long>;
using Buckets = std::vector<std::pair<std::string, long>>;

struct Built {
  std::string unit;
  Buckets buckets;
};

Built Build(const Counts& by_month) {
  Built out;
  std::vector<TimelineBucket> buckets = {{"stale", 9}};
  BuildTimeline(by_month, &out.unit, &buckets);
  for (const TimelineBucket& b : buckets)
    out.buckets.push_back({b.key, b.count});
  return out;
}

long Sum(const Buckets& buckets) {
  long n = 0;
  for (const auto& b : buckets) n += b.second;
  return n;
}

TEST(TimelineTest, ShortSpansCountMonthsWithTheEmptyOnes) {
  Built t = Build({{201811, 2}, {201902, 1}});
  EXPECT_EQ(t.unit, "month");
  EXPECT_EQ(
      t.buckets,
      (Buckets{
          {"2018-11", 2}, {"2018-12", 0}, {"2019-01", 0}, {"2019-02", 1}}));
  // 120 months exactly are still months.
  t = Build({{201001, 1}, {201912, 1}});
  EXPECT_EQ(t.unit, "month");
  EXPECT_EQ(t.buckets.size(), 120u);
}

TEST(TimelineTest, LongerSpansCountYearsDecadesCenturies) {
  Built years = Build({{201001, 1}, {202001, 3}});  // 121 months
  EXPECT_EQ(years.unit, "year");
  ASSERT_EQ(years.buckets.size(), 11u);
  EXPECT_EQ(years.buckets.front(), (std::pair<std::string, long>{"2010", 1}));
  EXPECT_EQ(years.buckets[1], (std::pair<std::string, long>{"2011", 0}));
  EXPECT_EQ(years.buckets.back(), (std::pair<std::string, long>{"2020", 3}));

  // 1800 to 2026: 227 years, too many; 23 decades.
  Built decades = Build({{180003, 1}, {180912, 2}, {201905, 4}, {202601, 1}});
  EXPECT_EQ(decades.unit, "decade");
  ASSERT_EQ(decades.buckets.size(), 23u);
  EXPECT_EQ(decades.buckets.front(), (std::pair<std::string, long>{"1800", 3}));
  EXPECT_EQ(decades.buckets[1], (std::pair<std::string, long>{"1810", 0}));
  EXPECT_EQ(decades.buckets[21], (std::pair<std::string, long>{"2010", 4}));
  EXPECT_EQ(decades.buckets.back(), (std::pair<std::string, long>{"2020", 1}));

  // An old index with 0001-01-01 and 9999-12-31 in it.
  Built centuries = Build({{101, 5}, {201901, 7}, {999912, 1}});
  EXPECT_EQ(centuries.unit, "century");
  ASSERT_EQ(centuries.buckets.size(), 100u);
  EXPECT_EQ(centuries.buckets.front(),
            (std::pair<std::string, long>{"0000", 5}));
  EXPECT_EQ(centuries.buckets[20], (std::pair<std::string, long>{"2000", 7}));
  EXPECT_EQ(centuries.buckets.back(),
            (std::pair<std::string, long>{"9900", 1}));
}

TEST(TimelineTest, NeverMoreThanTheBoundAndNoMatchLost) {
  // Every span from one month to the whole calendar, starting early and late.
  for (int first_year : {1, 1800, 1999, 9999}) {
    for (int span_years = 0; first_year + span_years <= 9999;
         span_years = span_years * 2 + 1) {
      const int last_year = first_year + span_years;
      Counts counts = {{first_year * 100 + 1, 3}, {last_year * 100 + 12, 4}};
      Built t = Build(counts);
      SCOPED_TRACE(std::to_string(first_year) + ".." +
                   std::to_string(last_year) + " " + t.unit);
      EXPECT_LE(t.buckets.size(), static_cast<size_t>(kTimelineMaxBuckets));
      EXPECT_GE(t.buckets.size(), 1u);
      EXPECT_EQ(Sum(t.buckets), 7);
    }
  }
  // A match in every month of the calendar.
  Counts all;
  for (int y = 1; y <= 9999; ++y) {
    for (int m = 1; m <= 12; ++m) all[y * 100 + m] = 1;
  }
  Built t = Build(all);
  EXPECT_EQ(t.unit, "century");
  EXPECT_EQ(t.buckets.size(), 100u);
  EXPECT_EQ(Sum(t.buckets), 9999L * 12);
}

TEST(TimelineTest, NothingToCountIsNoBuckets) {
  Built none = Build({});
  EXPECT_EQ(none.unit, "month");
  EXPECT_TRUE(none.buckets.empty());
  // Keys that are not months of years 1..9999, and empty counts.
  Built odd = Build({{0, 1},
                     {201913, 1},
                     {201900, 2},
                     {-201901, 1},
                     {1000001, 1},
                     {201905, 0}});
  EXPECT_EQ(odd.unit, "month");
  EXPECT_TRUE(odd.buckets.empty());
  Built mixed = Build({{201913, 1}, {201905, 2}, {99999999, 1}});
  EXPECT_EQ(mixed.unit, "month");
  EXPECT_EQ(mixed.buckets, (Buckets{{"2019-05", 2}}));
}

}  // namespace
}  // namespace pundit
