#include "web/api_util.h"

#include <cctype>
#include <charconv>
#include <iterator>

namespace pundit::api {

bool IsYear(std::string_view text) {
  return text.size() == 4 && AllDigits(text) && text != "0000";
}

std::string QuoteForMessage(std::string_view text, bool quote) {
  constexpr size_t kMax = 40;
  std::string cut(Utf8Prefix(text, kMax));
  if (cut.size() < text.size()) cut += "...";
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
