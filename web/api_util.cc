#include "web/api_util.h"

#include <cctype>
#include <charconv>
#include <iterator>

namespace pundit::api {

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int extra = 0;
    unsigned min = 0;
    unsigned cp = 0;
    if ((c & 0xE0) == 0xC0) {
      extra = 1;
      min = 0x80;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      min = 0x800;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      min = 0x10000;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (n - i <= static_cast<size_t>(extra)) return false;  // truncated
    for (int k = 1; k <= extra; ++k) {
      unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

bool IsYear(std::string_view text) {
  if (text.size() != 4) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return text != "0000";
}

bool IsValidIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  int year = num(0, 4), month = num(5, 2), day = num(8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int max_day = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= max_day;
}

std::string QuoteForMessage(std::string_view text, bool quote) {
  constexpr size_t kMax = 40;
  std::string cut(text);
  if (cut.size() > kMax) {
    size_t end = kMax;
    // Back up to the start of a UTF-8 sequence.
    while (end > 0 && (static_cast<unsigned char>(cut[end]) & 0xC0) == 0x80) {
      --end;
    }
    cut = cut.substr(0, end) + "...";
  }
  if (!quote) return cut;
  return nlohmann::json(cut).dump(-1, ' ', false,
                                  nlohmann::json::error_handler_t::replace);
}

std::string SingleParam(const std::multimap<std::string, std::string>& params,
                        std::string_view name, Status* error) {
  auto [begin, end] = params.equal_range(std::string(name));
  if (begin == end) return "";
  if (std::next(begin) != end) {
    *error = Status::InvalidArgument(std::string(name) + " is given " +
                                     std::to_string(std::distance(begin, end)) +
                                     " times; give it once");
    return "";
  }
  return begin->second;
}

Status ParseIntParam(std::string_view name, const std::string& text, int low,
                     int high, int* out) {
  if (text.empty()) return Status::Ok();
  long value = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec == std::errc::invalid_argument || ptr != last) {
    return Status::InvalidArgument(std::string(name) +
                                   " must be a whole number, got " +
                                   QuoteForMessage(text));
  }
  if (ec == std::errc::result_out_of_range || value < low || value > high) {
    return Status::InvalidArgument(std::string(name) + " must be between " +
                                   std::to_string(low) + " and " +
                                   std::to_string(high) + ", got " +
                                   QuoteForMessage(text, false));
  }
  *out = static_cast<int>(value);
  return Status::Ok();
}

std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string UrlEncode(std::string_view s, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() + 8);
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        keep.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string ArticleUrl(const std::string& id, const std::string& q,
                       const std::string& back) {
  std::string url = "/article/" + UrlEncode(id, "/:");
  char sep = '?';
  if (!q.empty()) {
    url += sep + ("q=" + UrlEncode(q));
    sep = '&';
  }
  if (!back.empty()) url += sep + ("back=" + UrlEncode(back));
  return url;
}

}  // namespace pundit::api
