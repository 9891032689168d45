// The calendar (core/date.h): leap years, ISO dates and date bounds;
// NormalizeDate, the date forms articles use, checked for validity with
// <chrono>; and the plausible range of article dates.
#include "core/date.h"

#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"

namespace pundit {
namespace {

constexpr std::string_view kHowToFix = ": use YYYY-MM-DD or 'Month D, YYYY'";

struct Ymd {
  int year = 0;
  int month = 0;
  int day = 0;
};

int ToInt(std::string_view digits) {
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// 1..12 for "January", "jan", "Jan.", "Sept"; 0 otherwise.
int MonthFromName(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  if (!word.empty() && word.back() == '.') word.remove_suffix(1);
  std::string w = Lower(word);
  if (w.size() < 3) return 0;
  if (w == "sept") return 9;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (w == kMonths[i] || w == kMonths[i].substr(0, 3)) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '\t')) ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != ',' && s[j] != '\t') ++j;
    if (j > i) words.push_back(s.substr(i, j - i));
    i = j;
  }
  return words;
}

// Reads "HH:MM" with optional ":SS" and ".fraction" from the front of `s`,
// checking hours 0-23, minutes 0-59, seconds 0-60 (a leap second); moves
// `s` past it. False when it is not such a time.
bool ConsumeClock(std::string_view* s) {
  std::string_view t = *s;
  auto two = [&t](int max) {
    if (t.size() < 2 || !IsAsciiDigit(t[0]) || !IsAsciiDigit(t[1]))
      return false;
    if (ToInt(t.substr(0, 2)) > max) return false;
    t.remove_prefix(2);
    return true;
  };
  // One-digit hours ("9:30 AM") as well.
  if (t.size() >= 2 && IsAsciiDigit(t[0]) && t[1] == ':') {
    t.remove_prefix(1);
  } else if (!two(23)) {
    return false;
  }
  if (t.empty() || t[0] != ':') return false;
  t.remove_prefix(1);
  if (!two(59)) return false;
  if (!t.empty() && t[0] == ':') {
    t.remove_prefix(1);
    if (!two(60)) return false;
    if (!t.empty() && (t[0] == '.' || t[0] == ',')) {
      t.remove_prefix(1);
      size_t n = 0;
      while (n < t.size() && IsAsciiDigit(t[n])) ++n;
      if (n == 0) return false;
      t.remove_prefix(n);
    }
  }
  *s = t;
  return true;
}

// A time zone after a time: "Z", "+01:00", "-0500", "+01", or a name of
// letters ("UTC", "GMT", "EST", "CEST"); `s` is what follows the time.
bool IsZone(std::string_view s) {
  if (s == "Z" || s == "z") return true;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    s.remove_prefix(1);
    if (s.size() == 2 && AllDigits(s)) return ToInt(s) <= 23;
    if (s.size() == 4 && AllDigits(s)) {
      return ToInt(s.substr(0, 2)) <= 23 && ToInt(s.substr(2)) <= 59;
    }
    if (s.size() == 5 && s[2] == ':' && AllDigits(s.substr(0, 2)) &&
        AllDigits(s.substr(3))) {
      return ToInt(s.substr(0, 2)) <= 23 && ToInt(s.substr(3)) <= 59;
    }
    return false;
  }
  if (s.size() < 1 || s.size() > 5) return false;
  for (char c : s) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The time after a date: "T10:00", "T10:00:00Z", " 10:00:00 +0100",
// "T10:00:00.123+01:00", " 10:00 AM", " 10:00:00 GMT". An impossible
// time of day ("T25:00") is not one.
bool IsTimePart(std::string_view rest) {
  if (rest.empty() || (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ')) {
    return false;
  }
  rest.remove_prefix(1);
  while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  const bool one_digit_hour = rest.size() >= 2 && rest[1] == ':';
  const int hour =
      one_digit_hour ? rest[0] - '0'
      : rest.size() >= 2 && IsAsciiDigit(rest[0]) && IsAsciiDigit(rest[1])
          ? ToInt(rest.substr(0, 2))
          : -1;
  if (!ConsumeClock(&rest)) return false;
  while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  if (rest.empty()) return true;
  std::string lower = Lower(rest.substr(0, 2));
  if (lower == "am" || lower == "pm") {
    if (hour < 1 || hour > 12) return false;
    rest.remove_prefix(2);
    while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    if (rest.empty()) return true;
  }
  // "+0000 (UTC)" and the like: a zone, then a name in parentheses.
  if (size_t paren = rest.find(" (");
      paren != std::string_view::npos && rest.back() == ')') {
    rest = rest.substr(0, paren);
  }
  return IsZone(rest);
}

// "YYYY-MM-DD" or "YYYY/MM/DD" at the front of `s`, the rest nothing or a
// time.
std::optional<Ymd> RecogniseNumeric(std::string_view s) {
  if (s.size() < 10 || !AllDigits(s.substr(0, 4)) ||
      (s[4] != '-' && s[4] != '/') || s[7] != s[4] ||
      !AllDigits(s.substr(5, 2)) || !AllDigits(s.substr(8, 2))) {
    return std::nullopt;
  }
  if (s.size() > 10 && !IsTimePart(s.substr(10))) return std::nullopt;
  return Ymd{ToInt(s.substr(0, 4)), ToInt(s.substr(5, 2)),
             ToInt(s.substr(8, 2))};
}

// `digits` (at most 18 of them) as a number.
int64_t ToInt64(std::string_view digits) {
  int64_t n = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), n);
  return n;
}

// The UTC calendar date of `seconds` after 1970-01-01T00:00:00Z.
Ymd UtcDateOf(int64_t seconds) {
  const std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(
      std::chrono::sys_seconds{std::chrono::seconds{seconds}});
  const std::chrono::year_month_day ymd{day};
  return Ymd{static_cast<int>(ymd.year()),
             static_cast<int>(static_cast<unsigned>(ymd.month())),
             static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

// Digits alone, as dumps write dates: "20190131" (YYYYMMDD),
// "20190131102030" (YYYYMMDDhhmmss, as GDELT and web archive indexes do),
// a Unix time in seconds of 9 or 10 digits ("1548930030", optionally with
// a fraction, "1548930030.25") or in milliseconds of 12 or 13
// ("1548930030250"): its UTC date. Other lengths are not dates.
std::optional<Ymd> RecogniseDigits(std::string_view s) {
  std::string_view whole = s.substr(0, s.find('.'));
  if (whole.empty() || !AllDigits(whole)) return std::nullopt;
  if (whole.size() != s.size()) {  // a fraction: Unix seconds only
    std::string_view fraction = s.substr(whole.size() + 1);
    if (fraction.empty() || !AllDigits(fraction) ||
        (whole.size() != 9 && whole.size() != 10)) {
      return std::nullopt;
    }
  }
  switch (whole.size()) {
    case 8:
      return Ymd{ToInt(whole.substr(0, 4)), ToInt(whole.substr(4, 2)),
                 ToInt(whole.substr(6, 2))};
    case 14:
      if (ToInt(whole.substr(8, 2)) > 23 || ToInt(whole.substr(10, 2)) > 59 ||
          ToInt(whole.substr(12, 2)) > 60) {
        return std::nullopt;
      }
      return Ymd{ToInt(whole.substr(0, 4)), ToInt(whole.substr(4, 2)),
                 ToInt(whole.substr(6, 2))};
    case 9:
    case 10:
      return UtcDateOf(ToInt64(whole));
    case 12:
    case 13:
      return UtcDateOf(ToInt64(whole) / 1000);
    default:
      return std::nullopt;
  }
}

// True for "Sat", "Saturday" and "Sat." (a weekday in front of a date).
bool IsWeekday(std::string_view w) {
  static constexpr std::array<std::string_view, 7> kDays = {
      "monday", "tuesday",  "wednesday", "thursday",
      "friday", "saturday", "sunday"};
  if (!w.empty() && w.back() == '.') w.remove_suffix(1);
  std::string lower = Lower(w);
  if (lower.size() < 3) return false;
  for (std::string_view d : kDays) {
    if (lower == d || lower == d.substr(0, 3)) return true;
  }
  return false;
}

// Recognises the accepted shapes; says nothing yet about validity.
std::optional<Ymd> Recognise(std::string_view s) {
  if (std::optional<Ymd> numeric = RecogniseNumeric(s)) return numeric;
  if (std::optional<Ymd> digits = RecogniseDigits(s)) return digits;
  std::vector<std::string_view> w = Words(s);
  // "Sat, 31 Dec 2016 ..." (RFC 822, 1123, 2822): the weekday says nothing.
  if (!w.empty() && IsWeekday(w[0])) w.erase(w.begin());
  if (w.size() < 3) return std::nullopt;
  auto is_day = [](std::string_view d) {
    return AllDigits(d) && d.size() <= 2;
  };
  auto is_year = [](std::string_view y) {
    return AllDigits(y) && y.size() == 4;
  };
  std::optional<Ymd> ymd;
  if (int m = MonthFromName(w[0]); m != 0 && is_day(w[1]) && is_year(w[2])) {
    ymd = Ymd{ToInt(w[2]), m, ToInt(w[1])};  // "January 31, 2019"
  } else if (int m2 = MonthFromName(w[1]);
             m2 != 0 && is_day(w[0]) && is_year(w[2])) {
    ymd = Ymd{ToInt(w[2]), m2, ToInt(w[0])};  // "31 January 2019"
  }
  if (!ymd) return std::nullopt;
  if (w.size() == 3) return ymd;
  // A time after the year: the text from the fourth word on.
  std::string_view rest = s.substr(static_cast<size_t>(w[3].data() - s.data()));
  if (!IsTimePart(std::string(" ") + std::string(rest))) return std::nullopt;
  return ymd;
}

std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

bool IsValidIsoDate(std::string_view text) {
  return text.size() == 10 && text[4] == '-' && DateBound(text, false);
}

std::optional<std::string> DateBound(std::string_view text, bool upper) {
  // "YYYY", "YYYY-MM" or "YYYY-MM-DD", every field all digits.
  const bool shape =
      (text.size() == 4 || (text.size() == 7 && text[4] == '-') ||
       (text.size() == 10 && text[4] == '-' && text[7] == '-')) &&
      AllDigits(text.substr(0, 4)) &&
      (text.size() < 7 || AllDigits(text.substr(5, 2))) &&
      (text.size() < 10 || AllDigits(text.substr(8, 2)));
  if (!shape) return std::nullopt;
  const int year = ToInt(text.substr(0, 4));
  const int month = text.size() >= 7 ? ToInt(text.substr(5, 2))
                    : upper          ? 12
                                     : 1;
  const int last = DaysInMonth(year, month);
  if (year < 1 || last == 0) return std::nullopt;
  int day = upper ? last : 1;
  if (text.size() == 10) {
    day = ToInt(text.substr(8, 2));
    if (day < 1 || day > last) return std::nullopt;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", year, month, day);
  return std::string(buf);
}

std::string NormalizeDate(std::string_view text, std::string* error) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  std::optional<Ymd> ymd = Recognise(text);
  if (!ymd) {
    if (error) {
      *error =
          "date " + Quoted(text) + " is not a date" + std::string(kHowToFix);
    }
    return "";
  }
  std::chrono::year_month_day date{
      std::chrono::year{ymd->year},
      std::chrono::month{static_cast<unsigned>(ymd->month)},
      std::chrono::day{static_cast<unsigned>(ymd->day)}};
  if (ymd->year < 1 || ymd->year > 9999 || !date.ok()) {
    if (error) {
      *error = "date " + Quoted(text) + " is not a valid date" +
               std::string(kHowToFix);
    }
    return "";
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", ymd->year, ymd->month,
                ymd->day);
  if (error) error->clear();
  return buf;
}

int LatestArticleYear() {
  const auto today =
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return static_cast<int>(std::chrono::year_month_day{today}.year()) + 1;
}

std::string DateOutsideRangeError(std::string_view date, int latest_year) {
  if (date.size() < 4 || !AllDigits(date.substr(0, 4))) return "";
  const int year = ToInt(date.substr(0, 4));
  if (year >= kEarliestArticleYear && year <= latest_year) return "";
  char range[32];
  std::snprintf(range, sizeof range, "%04d-01-01..%04d-12-31",
                kEarliestArticleYear, latest_year);
  return "date " + std::string(date) + " is outside " + range +
         "; fix the date or leave it out";
}

}  // namespace pundit
