#include "web/page_state.h"

namespace pundit::pages {

const char* FacetLabel(std::string_view name) {
  if (name == "author") return "Author";
  if (name == "region") return "Region";
  if (name == "theme") return "Theme";
  if (name == "source") return "Source";
  if (name == "year") return "Year";
  return "Filter";
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string FormDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
               HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

api::Params ParseQueryString(std::string_view query) {
  api::Params out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view()
                                          : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key = FormDecode(pair.substr(0, eq));
    std::string value =
        eq == std::string_view::npos ? "" : FormDecode(pair.substr(eq + 1));
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

api::Params QueryParams(const httplib::Request& req) {
  const std::string& target = req.target;
  size_t start = target.find('?');
  if (start == std::string::npos) return {};
  std::string_view query(target);
  query = query.substr(start + 1);
  return ParseQueryString(query.substr(0, query.find('#')));
}

std::string OneParam(const api::Params& params, const std::string& key) {
  auto it = params.find(key);
  return it == params.end() ? std::string() : it->second;
}

api::Params CleanParams(const api::Params& raw) {
  api::Params out;
  for (const auto& [k, v] : raw) {
    if (k == "fragment") continue;
    if (v.empty()) continue;
    out.emplace(k, v);
  }
  return out;
}

PageState StateFromParams(const api::Params& params) {
  PageState s;
  auto one = [&](const char* key) {
    auto it = params.find(key);
    return it == params.end() ? std::string() : it->second;
  };
  s.q = one("q");
  s.from = one("from");
  s.to = one("to");
  s.sort = one("sort");
  s.op = one("op");
  s.per_page = one("per_page");
  std::string page = one("page");
  if (AllDigits(page) && page.size() < 7) s.page = std::max(1, std::stoi(page));
  for (std::string_view name : kFacetNames) {
    auto [b, e] = params.equal_range(std::string(name));
    for (auto it = b; it != e; ++it) {
      auto& values = s.filters[std::string(name)];
      if (std::find(values.begin(), values.end(), it->second) == values.end()) {
        values.push_back(it->second);
      }
    }
  }
  return s;
}

std::string BackParam(const PageState& state) {
  PageState bare;
  bare.q = state.q;
  std::string query = state.QueryString();
  return query == bare.QueryString() ? std::string() : query;
}

std::optional<PageState> StateFromBack(const std::string& back) {
  constexpr size_t kMaxBack = 4096;
  if (back.empty() || back.size() > kMaxBack) return std::nullopt;
  api::Params params = CleanParams(ParseQueryString(back));
  if (!api::ParseSearchParams(params).ok()) return std::nullopt;
  return StateFromParams(params);
}

}  // namespace pundit::pages
