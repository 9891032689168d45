// NormalizeDate (declared in core/parsers.h): the date forms articles use,
// checked for validity with <chrono>.
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/parsers.h"

namespace pundit {
namespace {

constexpr std::string_view kHowToFix = ": use YYYY-MM-DD or 'Month D, YYYY'";

struct Ymd {
  int year = 0;
  int month = 0;
  int day = 0;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

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

// The time part of an ISO timestamp after the date: "T10:00", "T10:00:00Z",
// " 10:00:00 +0100", "T10:00:00.123+01:00".
bool IsTimePart(std::string_view rest) {
  if (rest.size() < 6 || (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ')) {
    return false;
  }
  rest.remove_prefix(1);
  if (!IsDigit(rest[0]) || !IsDigit(rest[1]) || rest[2] != ':') return false;
  for (char c : rest) {
    if (!IsDigit(c) && c != ':' && c != '.' && c != '+' && c != '-' &&
        c != 'Z' && c != 'z' && c != ' ') {
      return false;
    }
  }
  return true;
}

// Recognises the accepted shapes; says nothing yet about validity.
std::optional<Ymd> Recognise(std::string_view s) {
  // YYYY-MM-DD, optionally followed by a time.
  if (s.size() >= 10 && AllDigits(s.substr(0, 4)) && s[4] == '-' &&
      AllDigits(s.substr(5, 2)) && s[7] == '-' && AllDigits(s.substr(8, 2)) &&
      (s.size() == 10 || IsTimePart(s.substr(10)))) {
    return Ymd{ToInt(s.substr(0, 4)), ToInt(s.substr(5, 2)),
               ToInt(s.substr(8, 2))};
  }
  std::vector<std::string_view> w = Words(s);
  if (w.size() != 3) return std::nullopt;
  auto is_day = [](std::string_view d) {
    return AllDigits(d) && d.size() <= 2;
  };
  auto is_year = [](std::string_view y) {
    return AllDigits(y) && y.size() == 4;
  };
  // "January 31, 2019" / "Jan 31 2019"
  if (int m = MonthFromName(w[0]); m != 0 && is_day(w[1]) && is_year(w[2])) {
    return Ymd{ToInt(w[2]), m, ToInt(w[1])};
  }
  // "31 January 2019"
  if (int m = MonthFromName(w[1]); m != 0 && is_day(w[0]) && is_year(w[2])) {
    return Ymd{ToInt(w[2]), m, ToInt(w[0])};
  }
  return std::nullopt;
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

}  // namespace pundit
