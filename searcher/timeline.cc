#include "searcher/timeline.h"

#include <cstdio>

namespace pundit {
namespace {

static_assert(kTimelineMaxMonths <= kTimelineMaxBuckets);

bool ValidMonth(int yyyymm) {
  const int year = yyyymm / 100, month = yyyymm % 100;
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12;
}

// One bucket per month from `first` to `last` (yyyymm).
void MonthBuckets(const std::map<int, long>& counts, int first, int last,
                  std::vector<TimelineBucket>* buckets) {
  char key[16];
  for (int m = first; m <= last; m = m % 100 == 12 ? m + 89 : m + 1) {
    std::snprintf(key, sizeof key, "%04d-%02d", m / 100, m % 100);
    auto it = counts.find(m);
    buckets->push_back({key, it == counts.end() ? 0 : it->second});
  }
}

// One bucket per `years` years (1, 10 or 100), aligned on multiples of
// `years`, from the one holding year `first` to the one holding `last`.
void YearBuckets(const std::map<int, long>& counts, int first, int last,
                 int years, std::vector<TimelineBucket>* buckets) {
  std::map<int, long> by_start;
  for (const auto& [m, n] : counts) by_start[m / 100 / years * years] += n;
  char key[16];
  for (int y = first / years * years; y <= last; y += years) {
    std::snprintf(key, sizeof key, "%04d", y);
    auto it = by_start.find(y);
    buckets->push_back({key, it == by_start.end() ? 0 : it->second});
  }
}

}  // namespace

void BuildTimeline(const std::map<int, long>& by_month, std::string* unit,
                   std::vector<TimelineBucket>* buckets) {
  buckets->clear();
  *unit = "month";
  std::map<int, long> counts;
  for (const auto& [m, n] : by_month) {
    if (n > 0 && ValidMonth(m)) counts[m] += n;
  }
  if (counts.empty()) return;
  const int first = counts.begin()->first, last = counts.rbegin()->first;
  const int first_year = first / 100, last_year = last / 100;
  const int months =
      (last_year - first_year) * 12 + (last % 100 - first % 100) + 1;
  auto spans = [&](int years) {
    return last_year / years - first_year / years + 1;
  };
  if (months <= kTimelineMaxMonths) {
    MonthBuckets(counts, first, last, buckets);
  } else if (spans(1) <= kTimelineMaxBuckets) {
    *unit = "year";
    YearBuckets(counts, first_year, last_year, 1, buckets);
  } else if (spans(10) <= kTimelineMaxBuckets) {
    *unit = "decade";
    YearBuckets(counts, first_year, last_year, 10, buckets);
  } else {
    *unit = "century";
    YearBuckets(counts, first_year, last_year, 100, buckets);
  }
}

}  // namespace pundit
