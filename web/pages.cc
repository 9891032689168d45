// The server-rendered pages. See web/pages.h.
//
// Layout of this file: small text helpers (escaping, URLs, dates, numbers),
// the template set (read once, parsed per worker into a free list), the search
// page state and its URLs, the view models handed to mustache, and finally the
// route handlers.
#include "web/pages.h"

#include <httplib.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/html.h"
#include "web/api.h"
#include "web/searcher_pool.h"

namespace pundit {
namespace {

namespace fs = std::filesystem;
using Data = kainjow::mustache::data;
using Mustache = kainjow::mustache::mustache;

// ---------------------------------------------------------------------------
// Text helpers

// Percent-encodes everything but RFC 3986 unreserved characters and those in
// `keep` (e.g. "/:" for article ids in a path).
std::string UrlEncode(std::string_view s, std::string_view keep = "") {
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

// The article page's URL: `q` marks the matches; `back` (the query string of
// the search the article was found by, without "?") lets its back link
// restore that search, filters, sort and page included.
std::string ArticleUrl(const std::string& id, const std::string& q,
                       const std::string& back = "") {
  std::string url = "/article/" + UrlEncode(id, "/:");
  char sep = '?';
  if (!q.empty()) {
    url += sep + ("q=" + UrlEncode(q));
    sep = '&';
  }
  if (!back.empty()) url += sep + ("back=" + UrlEncode(back));
  return url;
}

// 1234567 -> "1,234,567".
std::string WithCommas(long n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  int count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (count > 0 && count % 3 == 0) out += ',';
    out += *it;
    ++count;
  }
  if (n < 0) out += '-';
  std::reverse(out.begin(), out.end());
  return out;
}

std::string Plural(long n, const char* one, const char* many) {
  return WithCommas(n) + " " + (n == 1 ? one : many);
}

constexpr const char* kMonthShort[] = {"Jan", "Feb", "Mar", "Apr",
                                       "May", "Jun", "Jul", "Aug",
                                       "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kMonthLong[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isdigit(c);
  });
}

// "2019-01-31" -> "31 Jan 2019"; anything else is returned as it is.
std::string HumanDate(const std::string& iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return iso;
  int month = std::atoi(iso.substr(5, 2).c_str());
  int day = std::atoi(iso.substr(8, 2).c_str());
  if (month < 1 || month > 12 || day < 1) return iso;
  return std::to_string(day) + " " + kMonthShort[month - 1] + " " +
         iso.substr(0, 4);
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::string Pad(int n, int width) {
  std::string s = std::to_string(n);
  while (static_cast<int>(s.size()) < width) s = "0" + s;
  return s;
}

// Numbers the <mark> elements of searcher-made HTML: <mark id="m1">, ...
std::string NumberMarks(const std::string& html, int* counter) {
  static constexpr std::string_view kMark = "<mark>";
  std::string out;
  out.reserve(html.size() + 32);
  size_t pos = 0;
  while (true) {
    size_t hit = html.find(kMark, pos);
    if (hit == std::string::npos) break;
    out.append(html, pos, hit - pos);
    out += "<mark id=\"m" + std::to_string(++*counter) + "\">";
    pos = hit + kMark.size();
  }
  out.append(html, pos, std::string::npos);
  return out;
}

std::string ReadWholeFile(const fs::path& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *ok = false;
    return "";
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  *ok = static_cast<bool>(in) || in.eof();
  return ss.str();
}

std::string HexHash(const std::string& s) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016zx", std::hash<std::string>{}(s));
  return std::string(buf, 10);
}

// ---------------------------------------------------------------------------
// Templates: sources read once; parsed copies kept in a free list so that
// concurrent renders never share a kainjow::mustache object (its render is
// not const).

constexpr const char* kTemplateNames[] = {"layout",  "search",   "fragment",
                                          "facets",  "timeline", "results",
                                          "article", "error",    "opensearch"};

class Templates {
 public:
  // Reads <dir>/<name>.mustache for every name; false and *error on failure.
  bool Load(const fs::path& dir, std::string* error) {
    for (const char* name : kTemplateNames) {
      fs::path path = dir / (std::string(name) + ".mustache");
      bool ok = true;
      std::string text = ReadWholeFile(path, &ok);
      if (!ok) {
        *error = path.string() + ": error: cannot read template";
        return false;
      }
      Mustache parsed(text);
      if (!parsed.is_valid()) {
        *error = path.string() + ": error: " + parsed.error_message();
        return false;
      }
      sources_[name] = std::move(text);
    }
    return true;
  }

  std::string Render(const std::string& name, const Data& data) {
    std::unique_ptr<Set> set = Acquire();
    auto it = set->parsed.find(name);
    std::string out;
    if (it != set->parsed.end()) {
      out = it->second->render(data);
      if (!it->second->is_valid()) {
        std::cerr << "pundit: error: template " << name << ": "
                  << it->second->error_message() << "\n";
        out.clear();
      }
    }
    Release(std::move(set));
    return out;
  }

 private:
  struct Set {
    std::map<std::string, std::unique_ptr<Mustache>> parsed;
  };

  std::unique_ptr<Set> Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        std::unique_ptr<Set> set = std::move(free_.back());
        free_.pop_back();
        return set;
      }
    }
    auto set = std::make_unique<Set>();
    for (const auto& [name, text] : sources_) {
      set->parsed[name] = std::make_unique<Mustache>(text);
    }
    return set;
  }

  void Release(std::unique_ptr<Set> set) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(set));
  }

  std::map<std::string, std::string> sources_;  // immutable after Load
  std::mutex mu_;
  std::vector<std::unique_ptr<Set>> free_;
};

// ---------------------------------------------------------------------------
// Search page state: everything a search URL carries, in a canonical order.

constexpr std::string_view kFacetNames[] = {"author", "region", "theme",
                                            "source", "year"};

const char* FacetLabel(std::string_view name) {
  if (name == "author") return "Author";
  if (name == "region") return "Region";
  if (name == "theme") return "Theme";
  if (name == "source") return "Source";
  if (name == "year") return "Year";
  return "Filter";
}

constexpr int kDefaultFacetLimit = 20;  // values per facet asked for
constexpr int kFacetShown = 8;          // shown before "show more"

struct PageState {
  std::string q, from, to, sort, op, per_page;  // as given; "" = default
  int page = 1;
  std::map<std::string, std::vector<std::string>> filters;

  bool HasFilters() const {
    for (const auto& [name, values] : filters) {
      if (!values.empty()) return true;
    }
    return !from.empty() || !to.empty();
  }
  bool Selected(const std::string& facet, const std::string& value) const {
    auto it = filters.find(facet);
    return it != filters.end() &&
           std::find(it->second.begin(), it->second.end(), value) !=
               it->second.end();
  }
  // Returns a copy with `value` added to or removed from `facet`, page 1.
  PageState Toggled(const std::string& facet, const std::string& value) const {
    PageState s = *this;
    s.page = 1;
    auto& values = s.filters[facet];
    auto it = std::find(values.begin(), values.end(), value);
    if (it == values.end()) {
      values.push_back(value);
    } else {
      values.erase(it);
    }
    return s;
  }
  // Filters by `value` alone in `facet` (the other facets, the dates and the
  // query stay): what a click on an author or a chip of a card means.
  PageState WithOnly(const std::string& facet, const std::string& value) const {
    PageState s = *this;
    s.page = 1;
    s.filters[facet] = {value};
    return s;
  }
  PageState WithoutFacet(const std::string& facet) const {
    PageState s = *this;
    s.page = 1;
    s.filters.erase(facet);
    return s;
  }
  PageState WithDates(const std::string& f, const std::string& t) const {
    PageState s = *this;
    s.page = 1;
    s.from = f;
    s.to = t;
    return s;
  }
  PageState WithPage(int p) const {
    PageState s = *this;
    s.page = p;
    return s;
  }
  PageState WithQuery(const std::string& query) const {
    PageState s = *this;
    s.page = 1;
    s.q = query;
    return s;
  }

  // "/search" and the query string, canonical: parameters in a fixed order,
  // defaults left out, values percent-encoded.
  std::string Url() const {
    std::string query = QueryString();
    return query.empty() ? "/search" : "/search?" + query;
  }
  std::string QueryString() const {
    std::vector<std::pair<std::string, std::string>> params;
    if (!q.empty()) params.emplace_back("q", q);
    for (std::string_view name : kFacetNames) {
      auto it = filters.find(std::string(name));
      if (it == filters.end()) continue;
      for (const auto& v : it->second) params.emplace_back(name, v);
    }
    if (!from.empty()) params.emplace_back("from", from);
    if (!to.empty()) params.emplace_back("to", to);
    if (!sort.empty() && sort != "relevance") params.emplace_back("sort", sort);
    if (!op.empty()) params.emplace_back("op", op);
    if (!per_page.empty()) params.emplace_back("per_page", per_page);
    if (page > 1) params.emplace_back("page", std::to_string(page));
    std::string out;
    for (const auto& [k, v] : params) {
      if (!out.empty()) out += '&';
      out += k + "=" + UrlEncode(v);
    }
    return out;
  }
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding: '+' is a space (as HTML forms
// and URLSearchParams write it), %XX a byte; a malformed escape is kept.
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

// A query string ("a=1&b=x+y", no "?"), decoded as a form would be.
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

// The query string of the request target, decoded as a form would be
// (httplib's own parsing keeps '+' as it is).
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

// Search parameters without empty values (an HTML form sends every field)
// and without the page-only ones.
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

// The `back` parameter of the article links of a search in `state`: its
// canonical query string, or "" when the search is its words alone (the
// article's `q` then says as much).
std::string BackParam(const PageState& state) {
  PageState bare;
  bare.q = state.q;
  std::string query = state.QueryString();
  return query == bare.QueryString() ? std::string() : query;
}

// The search that an article page's `back` parameter names, re-read as the
// search page reads its own URL; nullopt unless it is a valid search.
std::optional<PageState> StateFromBack(const std::string& back) {
  constexpr size_t kMaxBack = 4096;
  if (back.empty() || back.size() > kMaxBack) return std::nullopt;
  api::Params params = CleanParams(ParseQueryString(back));
  if (!api::ParseSearchParams(params).ok()) return std::nullopt;
  return StateFromParams(params);
}

// ---------------------------------------------------------------------------
// View models

// Sets `key` only when `value` is not empty: kainjow renders a section over
// an empty string, so an empty optional string is stored as false instead
// (false, not absent: an absent key is looked up in the enclosing contexts).
void SetIf(Data& d, const std::string& key, const std::string& value) {
  if (value.empty()) {
    d.set(key, false);
  } else {
    d.set(key, value);
  }
}

Data Link(const std::string& text, const std::string& url) {
  Data d;
  d.set("text", text);
  d.set("url", url);
  return d;
}

// A result card. Its author, source and chip links filter by that value
// alone within the search `state` (replacing that facet's selection, so a
// click never broadens the results); its title links to the article page
// with `q` marked and `back` (BackParam) for the way back.
Data HitModel(const Hit& hit, const PageState& state, const std::string& q,
              const std::string& back, int rank) {
  Data d;
  d.set("id", hit.id);
  d.set("rank", std::to_string(rank));
  d.set("url", ArticleUrl(hit.id, q, back));
  d.set("title_html", hit.title_html.empty()
                          ? EscapeHtml(hit.title.empty() ? hit.id : hit.title)
                          : hit.title_html);
  d.set("title", hit.title);
  Data authors(Data::type::list);
  for (size_t i = 0; i < hit.authors.size(); ++i) {
    Data a =
        Link(hit.authors[i], state.WithOnly("author", hit.authors[i]).Url());
    a.set("last", i + 1 == hit.authors.size());
    authors.push_back(a);
  }
  d.set("authors", authors);
  d.set("has_authors", !hit.authors.empty());
  SetIf(d, "date", hit.date);
  d.set("date_human", HumanDate(hit.date));
  SetIf(d, "source", hit.source);
  if (!hit.source.empty()) {
    d.set("source_url", state.WithOnly("source", hit.source).Url());
  }
  Data chips(Data::type::list);
  for (const auto& r : hit.regions) {
    Data c = Link(r, state.WithOnly("region", r).Url());
    c.set("kind", "region");
    chips.push_back(c);
  }
  for (const auto& t : hit.themes) {
    Data c = Link(t, state.WithOnly("theme", t).Url());
    c.set("kind", "theme");
    chips.push_back(c);
  }
  d.set("chips", chips);
  d.set("has_chips", !hit.regions.empty() || !hit.themes.empty());
  Data snippets(Data::type::list);
  for (const auto& s : hit.snippets) snippets.push_back(Data("html", s));
  d.set("snippets", snippets);
  d.set("has_snippets", !hit.snippets.empty());
  return d;
}

Data FacetsModel(const SearchResponse& response, const PageState& state) {
  Data list(Data::type::list);
  int group = 0;
  for (const auto& [name, raw_values] : response.facets) {
    std::vector<FacetValue> values = raw_values;
    // Every selected value is listed, even one the limit cut off.
    auto sel = state.filters.find(name);
    if (sel != state.filters.end()) {
      for (const auto& v : sel->second) {
        bool present = std::any_of(values.begin(), values.end(),
                                   [&](const auto& f) { return f.value == v; });
        if (!present) values.push_back(FacetValue{v, 0, true});
      }
    }
    for (auto& v : values)
      v.selected = v.selected || state.Selected(name, v.value);
    std::stable_sort(
        values.begin(), values.end(),
        [is_year = name == "year"](const FacetValue& a, const FacetValue& b) {
          if (a.selected != b.selected) return a.selected;
          if (is_year) return a.value > b.value;
          return false;
        });
    ++group;
    Data f;
    f.set("name", name);
    f.set("label", FacetLabel(name));
    f.set("is_author", name == "author");
    f.set("clear_url", state.WithoutFacet(name).Url());
    bool any_selected = false;
    Data shown(Data::type::list), more(Data::type::list);
    int index = 0;
    for (const auto& v : values) {
      any_selected = any_selected || v.selected;
      Data d;
      d.set("name", name);
      d.set("value", v.value);
      d.set("count", WithCommas(v.count));
      d.set("selected", v.selected);
      d.set("id", "f-" + std::to_string(group) + "-" + std::to_string(index));
      d.set("toggle_url", state.Toggled(name, v.value).Url());
      if (index < kFacetShown || v.selected) {
        shown.push_back(d);
      } else {
        more.push_back(d);
      }
      ++index;
    }
    f.set("any_selected", any_selected);
    f.set("values", shown);
    f.set("more", more);
    f.set("has_more", !more.list_value().empty());
    f.set("more_count", std::to_string(more.list_value().size()));
    f.set("has_values", !values.empty());
    list.push_back(f);
  }
  return list;
}

struct Bucket {
  std::string key, from, to, label;
  long count = 0;
};

// The years a bucket of the searcher's timeline unit spans: 1 for "year",
// 10 for "decade", 100 for "century" (searcher/timeline.h); 0 for "month"
// and units this page does not know.
int UnitYears(const std::string& unit) {
  if (unit == "year") return 1;
  if (unit == "decade") return 10;
  if (unit == "century") return 100;
  return 0;
}

// The bucket of `years` years (1, 10 or 100) starting in year `y`.
Bucket YearsBucket(int y, int years) {
  Bucket b;
  b.key = Pad(y, 4);
  b.from = Pad(std::max(y, 1), 4) + "-01-01";
  b.to = Pad(std::min(y + years - 1, 9999), 4) + "-12-31";
  b.label = years == 1    ? b.key
            : years == 10 ? b.key + "s"
                          : b.key + "\u2013" + Pad(y + years - 1, 4);
  return b;
}

// Buckets from the first to the last key with the empty ones filled in.
std::vector<Bucket> TimelineBuckets(const SearchResponse& response) {
  std::vector<Bucket> out;
  const auto& tl = response.timeline;
  if (tl.empty()) return out;
  bool month = response.timeline_unit == "month";
  const int years = UnitYears(response.timeline_unit);
  if (!month && years == 0) return out;
  std::map<std::string, long> counts;
  for (const auto& b : tl) counts[b.key] += b.count;
  auto parse = [&](const std::string& key, int* y, int* m) {
    if (month) {
      if (key.size() != 7 || key[4] != '-' || !AllDigits(key.substr(0, 4)) ||
          !AllDigits(key.substr(5, 2))) {
        return false;
      }
      *y = std::stoi(key.substr(0, 4));
      *m = std::stoi(key.substr(5, 2));
      return *m >= 1 && *m <= 12;
    }
    if (key.size() != 4 || !AllDigits(key)) return false;
    *y = std::stoi(key);
    *m = 1;
    return *y % years == 0;
  };
  int y0, m0, y1, m1;
  if (!parse(counts.begin()->first, &y0, &m0) ||
      !parse(counts.rbegin()->first, &y1, &m1)) {
    return out;
  }
  constexpr int kMaxBuckets = 1200;
  int y = y0, m = m0;
  while ((y < y1 || (y == y1 && m <= m1)) &&
         static_cast<int>(out.size()) < kMaxBuckets) {
    Bucket b;
    if (month) {
      b.key = Pad(y, 4) + "-" + Pad(m, 2);
      b.from = b.key + "-01";
      b.to = b.key + "-" + Pad(DaysInMonth(y, m), 2);
      b.label = std::string(kMonthLong[m - 1]) + " " + Pad(y, 4);
    } else {
      b = YearsBucket(y, years);
    }
    auto it = counts.find(b.key);
    b.count = it == counts.end() ? 0 : it->second;
    out.push_back(b);
    if (month) {
      if (++m > 12) {
        m = 1;
        ++y;
      }
    } else {
      y += years;
    }
  }
  // Over many years, months make a comb of thin bars: show years instead.
  constexpr size_t kMaxMonths = 72;
  if (month && out.size() > kMaxMonths) {
    std::vector<Bucket> years_out;
    for (const Bucket& b : out) {
      const int year = std::stoi(b.key.substr(0, 4));
      if (years_out.empty() || years_out.back().key != Pad(year, 4)) {
        years_out.push_back(YearsBucket(year, 1));
      }
      years_out.back().count += b.count;
    }
    out = std::move(years_out);
  }
  return out;
}

// "month", "year", "decade" or "century": the unit of `buckets` (made by
// TimelineBuckets from `response`, which may turn months into years).
std::string BucketUnit(const SearchResponse& response,
                       const std::vector<Bucket>& buckets) {
  if (!buckets.empty() && buckets.front().key.size() == 7) return "month";
  return response.timeline_unit == "month" ? "year" : response.timeline_unit;
}

Data TimelineModel(const SearchResponse& response, const PageState& state) {
  Data d;
  std::vector<Bucket> buckets = TimelineBuckets(response);
  d.set("has_timeline", !buckets.empty());
  if (buckets.empty()) return d;
  // A floor on the scale keeps a handful of articles from looking like a
  // wall of full-height bars.
  long max = 3;
  for (const auto& b : buckets) max = std::max(max, b.count);
  // The SVG is stretched to the width of the panel (about 900 px on a
  // desktop): each bucket gets a slot of kBarWidth units.
  constexpr int kBarWidth = 100, kHeight = 64, kTop = 4;
  int n = static_cast<int>(buckets.size());
  // Many buckets: bars fill most of their slot. Few make wide slots: keep
  // their bars about 32 px wide rather than wide blocks.
  const int bar_w = std::max(2, std::min(n < 12   ? 40
                                         : n < 36 ? 60
                                                  : 80,
                                         32 * 100 * n / 900));
  d.set("width", std::to_string(n * kBarWidth));
  d.set("height", std::to_string(kHeight));
  d.set("base_y", std::to_string(kHeight - 1));
  const std::string unit = BucketUnit(response, buckets);
  const bool by_month = unit == "month";
  d.set("unit", unit);
  Data bars(Data::type::list);
  for (int i = 0; i < n; ++i) {
    const Bucket& b = buckets[i];
    int h =
        b.count == 0
            ? 0
            : std::max(2, static_cast<int>((kHeight - kTop) * b.count / max));
    bool in_range = (!state.from.empty() || !state.to.empty()) &&
                    (state.from.empty() || b.to >= state.from) &&
                    (state.to.empty() || b.from <= state.to);
    Data bar;
    bar.set("x", std::to_string(i * kBarWidth));
    bar.set("bar_x", std::to_string(i * kBarWidth + (kBarWidth - bar_w) / 2));
    bar.set("bar_w", std::to_string(bar_w));
    bar.set("y", std::to_string(kHeight - h));
    bar.set("h", std::to_string(h));
    bar.set("slot_w", std::to_string(kBarWidth));
    bar.set("full_h", std::to_string(kHeight));
    bar.set("key", b.key);
    bar.set("from", b.from);
    bar.set("to", b.to);
    bar.set("label", b.label);
    bar.set("count", Plural(b.count, "article", "articles"));
    bar.set("in_range", in_range);
    bar.set("empty", b.count == 0);
    bar.set("url", state.WithDates(b.from, b.to).Url());
    bars.push_back(bar);
  }
  d.set("bars", bars);
  auto label = [&](const Bucket& b) {
    if (!by_month) return b.label;
    return std::string(kMonthShort[std::stoi(b.key.substr(5, 2)) - 1]) + " " +
           b.key.substr(0, 4);
  };
  d.set("first_label", label(buckets.front()));
  d.set("last_label", label(buckets.back()));
  d.set("mid_label", n > 4 ? label(buckets[n / 2]) : std::string());
  d.set("single", n == 1);
  // The counts as a table for screen readers (the SVG is one image to them).
  Data rows(Data::type::list);
  for (const Bucket& b : buckets) {
    if (b.count == 0) continue;
    Data row;
    row.set("label", b.label);
    row.set("count", WithCommas(b.count));
    rows.push_back(row);
  }
  d.set("rows", rows);
  std::string unit_title = unit;
  unit_title[0] = static_cast<char>(unit_title[0] - 'a' + 'A');
  d.set("unit_title", unit_title);
  d.set("summary", "Articles per " + unit + ", " + label(buckets.front()) +
                       (n == 1 ? "" : " to " + label(buckets.back())));
  return d;
}

Data PaginationModel(const SearchResponse& response, const PageState& state) {
  Data d;
  int per_page = std::max(1, response.per_page);
  long pages = (response.total + per_page - 1) / per_page;
  int page = response.page;
  d.set("show", pages > 1);
  if (pages <= 1) return d;
  if (page > 1) d.set("prev_url", state.WithPage(page - 1).Url());
  if (page < pages) d.set("next_url", state.WithPage(page + 1).Url());
  Data list(Data::type::list);
  long last_shown = 0;
  for (long p = 1; p <= pages; ++p) {
    bool show = p == 1 || p == pages || (p >= page - 2 && p <= page + 2);
    if (!show) continue;
    if (last_shown != 0 && p > last_shown + 1) {
      Data gap;
      gap.set("gap", true);
      list.push_back(gap);
    }
    Data item;
    item.set("n", WithCommas(p));
    item.set("url", state.WithPage(static_cast<int>(p)).Url());
    item.set("current", p == page);
    item.set("gap", false);
    list.push_back(item);
    last_shown = p;
  }
  d.set("pages", list);
  d.set("page_of", "Page " + WithCommas(page) + " of " + WithCommas(pages));
  return d;
}

Data ActiveFiltersModel(const PageState& state) {
  Data list(Data::type::list);
  for (std::string_view name : kFacetNames) {
    auto it = state.filters.find(std::string(name));
    if (it == state.filters.end()) continue;
    for (const auto& v : it->second) {
      Data d = Link(v, state.Toggled(std::string(name), v).Url());
      d.set("label", FacetLabel(name));
      list.push_back(d);
    }
  }
  if (!state.from.empty() || !state.to.empty()) {
    std::string text = state.from.empty() ? "until " + HumanDate(state.to)
                       : state.to.empty() ? "since " + HumanDate(state.from)
                                          : HumanDate(state.from) + " – " +
                                                HumanDate(state.to);
    Data d = Link(text, state.WithDates("", "").Url());
    d.set("label", "Dates");
    list.push_back(d);
  }
  return list;
}

// Words of `q` split on spaces (quotes and operators are kept as they are).
std::vector<std::string> Words(const std::string& q) {
  std::vector<std::string> words;
  std::istringstream in(q);
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

struct Context {
  SearcherPool* pool = nullptr;
  fs::path web_dir, static_dir;  // static_dir is canonical
  Templates templates;
  std::string asset_version;
};

Data BaseModel(const Context& ctx, const std::string& title) {
  Data d;
  d.set("title", title);
  d.set("asset_version", ctx.asset_version);
  return d;
}

// Suggestions for an empty result: fewer words, any word, no filters, and
// popular themes and regions of the whole index.
Data EmptyStateModel(Searcher* searcher, const SearchResponse& response,
                     const PageState& state) {
  Data d;
  // Only searches that find something are suggested, with what they find.
  auto count = [&](const PageState& s) -> long {
    if (searcher == nullptr) return 0;
    Result<SearchRequest> request =
        api::ParseSearchParams(ParseQueryString(s.QueryString()));
    if (!request.ok()) return 0;
    request->want_facets = false;
    request->want_snippets = false;
    request->page = 1;
    request->per_page = 1;
    Result<SearchResponse> found = searcher->Search(*request);
    return found.ok() ? found->total : 0;
  };
  constexpr size_t kMaxFewer = 3;  // suggestions of fewer words
  constexpr size_t kMaxTried = 6;  // searches run to find them
  std::vector<std::string> words = Words(state.q);
  std::vector<Data> shorter_links;
  if (words.size() > 1) {
    size_t tried = 0;
    for (size_t drop = words.size();
         drop-- > 0 && tried < kMaxTried && shorter_links.size() < kMaxFewer;) {
      std::string rest;
      for (size_t i = 0; i < words.size(); ++i) {
        if (i == drop) continue;
        if (!rest.empty()) rest += ' ';
        rest += words[i];
      }
      ++tried;
      PageState shorter = state.WithQuery(rest);
      long n = count(shorter);
      if (n == 0) continue;
      Data link = Link(rest, shorter.Url());
      link.set("count", Plural(n, "article", "articles"));
      shorter_links.push_back(link);
    }
  }
  Data fewer(Data::type::list);
  for (size_t i = 0; i < shorter_links.size(); ++i) {
    shorter_links[i].set("last", i + 1 == shorter_links.size());
    fewer.push_back(shorter_links[i]);
  }
  d.set("fewer", fewer);
  d.set("has_fewer", !fewer.list_value().empty());
  if (words.size() > 1 && state.op != "or") {
    PageState any = state;
    any.op = "or";
    any.page = 1;
    if (long n = count(any); n > 0) {
      d.set("any_word_url", any.Url());
      d.set("any_word_count", Plural(n, "article", "articles"));
    }
  }
  if (state.HasFilters()) {
    PageState bare;
    bare.q = state.q;
    if (long n = count(bare); n > 0) {
      d.set("clear_filters_url", bare.Url());
      d.set("clear_filters_count", Plural(n, "article", "articles"));
    }
  }
  if (response.corrected) {
    d.set("corrected", *response.corrected);
    d.set("corrected_url", state.WithQuery(*response.corrected).Url());
  }
  Data samples(Data::type::list);
  if (searcher != nullptr) {
    for (const char* facet : {"theme", "region", "author"}) {
      auto values = searcher->FacetValues(facet, "", 4);
      if (!values.ok()) continue;
      for (const auto& v : *values) {
        if (samples.list_value().size() >= 8) break;
        PageState s;
        s.filters[facet].push_back(v.value);
        Data link = Link(v.value, s.Url());
        link.set("label", FacetLabel(facet));
        samples.push_back(link);
      }
    }
  }
  d.set("samples", samples);
  d.set("has_samples", !samples.list_value().empty());
  return d;
}

std::string ErrorTitle(int status) {
  switch (status) {
    case 400:
      return "That search could not be read";
    case 404:
      return "Not found";
    case 503:
      return "The index is not available";
    default:
      return "Something went wrong";
  }
}

// What the user may see of a failure: the message for their own mistakes,
// a fixed sentence for the server's.
std::string PublicMessage(const Status& status, int http_status) {
  if (http_status == 400 || http_status == 404) return status.message();
  if (status.code() == Status::Code::kUnavailable) {
    // Names the shard server (HOST:PORT) for whoever runs the cluster; the
    // page escapes it like any other text.
    return "Part of the index cannot be reached right now, so no answer "
           "would be complete: " +
           status.message() + ". Please try again in a moment.";
  }
  if (http_status == 503) {
    return "The search index cannot be opened right now. Please try again in "
           "a moment.";
  }
  return "The server could not answer this request.";
}

void SendHtml(httplib::Response& res, int status, const std::string& html) {
  res.status = status;
  res.set_header("Cache-Control", "no-cache");
  res.set_content(html, "text/html; charset=utf-8");
}

void SendErrorPage(Context& ctx, httplib::Response& res, int status,
                   const std::string& message, const std::string& q = "") {
  Data page = BaseModel(ctx, ErrorTitle(status) + " – pundit");
  page.set("status", std::to_string(status));
  page.set("heading", ErrorTitle(status));
  page.set("message", message);
  page.set("is_404", status == 404);
  page.set("q", q);
  page.set("content", ctx.templates.Render("error", page));
  page.set("page_kind", "error");
  SendHtml(res, status, ctx.templates.Render("layout", page));
}

// ---------------------------------------------------------------------------
// Handlers

void HandleSearch(Context& ctx, const httplib::Request& req,
                  httplib::Response& res) {
  const api::Params raw = QueryParams(req);
  const bool fragment = raw.find("fragment") != raw.end();
  api::Params params = CleanParams(raw);
  PageState state = StateFromParams(params);
  if (params.find("facet_limit") == params.end()) {
    params.emplace("facet_limit", std::to_string(kDefaultFacetLimit));
  }
  const bool home = state.q.empty() && !state.HasFilters();

  Data model =
      BaseModel(ctx, state.q.empty() ? "pundit – search opinion articles"
                                     : state.q + " – pundit");
  // Without words there is nothing to rank by: the menu offers newest (the
  // default then) and oldest, and shows relevance disabled.
  const bool has_q = Words(state.q).size() > 0;
  model.set("q", state.q);
  model.set("has_q", has_q);
  model.set("from", state.from);
  model.set("to", state.to);
  SetIf(model, "op", state.op);
  SetIf(model, "per_page", state.per_page);
  model.set("sort_relevance",
            has_q && (state.sort.empty() || state.sort == "relevance"));
  model.set("sort_newest", has_q && state.sort == "newest");
  model.set("sort_oldest", state.sort == "oldest");
  model.set("home", home);
  model.set("page_kind", "search");
  PageState bare;
  bare.q = state.q;
  model.set("clear_all_url", bare.Url());
  model.set("has_filters", state.HasFilters());
  model.set("has_dates", !state.from.empty() || !state.to.empty());

  int status = 200;
  Result<SearchRequest> request = api::ParseSearchParams(params);
  Result<SearchResponse> response = Status::Internal("not run");
  SearcherPool::Lease lease;  // held while `searcher` is in use
  Searcher* searcher = nullptr;
  if (!request.ok()) {
    response = request.status();
  } else {
    // Relevance means nothing without a query: list the newest first.
    if (state.q.empty() && state.sort.empty()) {
      request->sort = SortOrder::kNewest;
    }
    Result<SearcherPool::Lease> got = ctx.pool->Acquire();
    if (!got.ok()) {
      response = got.status();
    } else {
      lease = std::move(got).value();
      searcher = lease.get();
      response = searcher->Search(*request);
    }
  }

  if (!response.ok()) {
    status = api::HttpStatusFor(response.status());
    model.set("error", true);
    model.set("error_title", ErrorTitle(status));
    model.set("error_message", PublicMessage(response.status(), status));
    model.set("count_text", "");
    model.set("facets", Data(Data::type::list));
    model.set("timeline", Data());
  } else {
    const SearchResponse& r = *response;
    PageState shown = state;
    shown.page = r.page;
    model.set("total", WithCommas(r.total));
    std::string count =
        (home ? "All " : "") + Plural(r.total, "article", "articles");
    const long pages =
        (r.total + std::max(1, r.per_page) - 1) / std::max(1, r.per_page);
    if (pages > 1 && r.page <= pages) {
      count += " · Page " + WithCommas(r.page) + " of " + WithCommas(pages);
    }
    model.set("count_text", count);
    model.set("took", std::to_string(static_cast<long>(r.took_ms + 0.5)));
    model.set("interpreted", r.interpreted);
    model.set("show_interpreted",
              !r.interpreted.empty() && r.interpreted != state.q);
    if (r.corrected) {
      model.set("corrected", *r.corrected);
      model.set("corrected_url", state.WithQuery(*r.corrected).Url());
    }
    if (r.notice) model.set("notice", *r.notice);
    Data hits(Data::type::list);
    int rank = (r.page - 1) * r.per_page;
    const std::string back = BackParam(shown);
    for (const Hit& hit : r.hits) {
      hits.push_back(HitModel(hit, shown, state.q, back, ++rank));
    }
    model.set("hits", hits);
    model.set("has_hits", !r.hits.empty());
    model.set("empty", r.total == 0);
    if (r.total > 0 && r.hits.empty()) model.set("past_end", true);
    if (r.total == 0) model.set("suggest", EmptyStateModel(searcher, r, state));
    model.set("facets", FacetsModel(r, state));
    model.set("timeline", TimelineModel(r, state));
    model.set("pagination", PaginationModel(r, shown));
    Data active = ActiveFiltersModel(state);
    model.set("has_active_filters", !active.list_value().empty());
    model.set("active_filters", active);
  }

  model.set("facets_html", ctx.templates.Render("facets", model));
  model.set("timeline_html", ctx.templates.Render("timeline", model));
  model.set("results_html", ctx.templates.Render("results", model));
  if (fragment) {
    SendHtml(res, status, ctx.templates.Render("fragment", model));
    return;
  }
  model.set("content", ctx.templates.Render("search", model));
  SendHtml(res, status, ctx.templates.Render("layout", model));
}

void HandleArticle(Context& ctx, const httplib::Request& req,
                   httplib::Response& res) {
  const std::string id = req.matches[1];
  const api::Params params = QueryParams(req);
  const std::string q = OneParam(params, "q");
  // The search the reader came from; an invalid one is ignored.
  std::optional<PageState> from_search =
      StateFromBack(OneParam(params, "back"));
  Result<SearcherPool::Lease> got = ctx.pool->Acquire();
  if (!got.ok()) {
    int status = api::HttpStatusFor(got.status());
    SendErrorPage(ctx, res, status, PublicMessage(got.status(), status));
    return;
  }
  Searcher* searcher = got->get();
  Result<ArticleView> view = searcher->GetArticle(id, q);
  if (!view.ok()) {
    int status = api::HttpStatusFor(view.status());
    std::string message = status == 404
                              ? "There is no article with the id \"" + id +
                                    "\". It may have been removed from the "
                                    "index."
                              : PublicMessage(view.status(), status);
    SendErrorPage(ctx, res, status, message, q);
    return;
  }
  const Article& a = view->article;
  PageState none;
  Data model = BaseModel(ctx, (a.title.empty() ? a.id : a.title) + " – pundit");
  model.set("page_kind", "article");
  model.set("q", q);
  model.set("id", a.id);
  std::string back;  // passed on to the related articles' links
  if (from_search) {
    back = BackParam(*from_search);
    model.set("back_url", from_search->Url());
    SetIf(model, "back_q", from_search->q);
  } else {
    model.set("back_url", q.empty() ? "/" : none.WithQuery(q).Url());
    SetIf(model, "back_q", q);
  }
  model.set("back_search", from_search.has_value() || !q.empty());
  model.set("title_html",
            view->title_html.empty() ? EscapeHtml(a.title) : view->title_html);
  int marks = 0;
  if (!a.lede.empty()) {
    model.set("lede_html",
              NumberMarks(view->lede_html.empty() ? EscapeHtml(a.lede)
                                                  : view->lede_html,
                          &marks));
  }
  Data blocks(Data::type::list);
  for (const auto& [heading, html] : view->body_html) {
    Data b;
    b.set("heading", heading);
    b.set("html", NumberMarks(html, &marks));
    blocks.push_back(b);
  }
  if (view->body_html.empty()) {
    for (const Block& block : a.body) {
      Data b;
      b.set("heading", block.kind == Block::Kind::kHeading);
      b.set("html", EscapeHtml(block.text));
      blocks.push_back(b);
    }
  }
  model.set("blocks", blocks);
  model.set("match_count", marks > 0);
  model.set("match_text", Plural(marks, "match", "matches"));
  Data authors(Data::type::list);
  for (size_t i = 0; i < a.authors.size(); ++i) {
    Data l = Link(a.authors[i], none.WithOnly("author", a.authors[i]).Url());
    l.set("last", i + 1 == a.authors.size());
    authors.push_back(l);
  }
  model.set("authors", authors);
  model.set("has_authors", !a.authors.empty());
  SetIf(model, "date", a.date);
  model.set("date_human", HumanDate(a.date));
  SetIf(model, "source", a.source);
  if (!a.source.empty()) {
    model.set("source_filter_url", none.WithOnly("source", a.source).Url());
  }
  // Only http(s) links are followed; anything else is shown as text.
  if (a.url.rfind("http://", 0) == 0 || a.url.rfind("https://", 0) == 0) {
    model.set("url", a.url);
  } else {
    SetIf(model, "url_text", a.url);
  }
  if (!a.bio.empty()) {
    model.set("bio_html",
              view->bio_html.empty() ? EscapeHtml(a.bio) : view->bio_html);
  }
  Data chips(Data::type::list);
  for (const auto& r : a.regions) {
    Data c = Link(r, none.WithOnly("region", r).Url());
    c.set("kind", "region");
    chips.push_back(c);
  }
  for (const auto& t : a.themes) {
    Data c = Link(t, none.WithOnly("theme", t).Url());
    c.set("kind", "theme");
    chips.push_back(c);
  }
  model.set("chips", chips);
  model.set("has_chips", !a.regions.empty() || !a.themes.empty());

  Data related(Data::type::list);
  Result<std::vector<Hit>> rel = searcher->Related(a.id, 5);
  if (rel.ok()) {
    int rank = 0;
    for (const Hit& hit : *rel) {
      Hit plain = hit;
      plain.title_html.clear();  // related titles carry no query marks
      related.push_back(HitModel(plain, none, "", back, ++rank));
    }
  }
  model.set("related", related);
  model.set("has_related", !related.list_value().empty());

  model.set("content", ctx.templates.Render("article", model));
  SendHtml(res, 200, ctx.templates.Render("layout", model));
}

// A Host header we are willing to echo into a document: host[:port].
bool SafeHost(const std::string& host) {
  if (host.empty() || host.size() > 255) return false;
  return std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' ||
           c == ']';
  });
}

void HandleOpenSearch(Context& ctx, const httplib::Request& req,
                      httplib::Response& res) {
  std::string host = req.get_header_value("Host");
  if (!SafeHost(host)) host = "localhost";
  // Behind a TLS proxy the page is https: the proxy says so in
  // X-Forwarded-Proto (its first value when proxies are chained).
  std::string proto = req.get_header_value("X-Forwarded-Proto");
  proto = proto.substr(0, proto.find(','));
  proto.erase(0, proto.find_first_not_of(" \t"));
  proto.erase(proto.find_last_not_of(" \t") + 1);
  std::transform(proto.begin(), proto.end(), proto.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  const std::string scheme = proto == "https" ? "https" : "http";
  Data model;
  model.set("base", scheme + "://" + host);
  // The document differs by these two request headers: a shared cache must
  // not give one host's (or scheme's) copy to another.
  res.set_header("Cache-Control", "public, max-age=3600");
  res.set_header("Vary", "Host, X-Forwarded-Proto");
  res.set_content(ctx.templates.Render("opensearch", model),
                  "application/opensearchdescription+xml; charset=utf-8");
}

const char* ContentType(const std::string& ext) {
  static const std::map<std::string, const char*> kTypes = {
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml"},
  };
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? nullptr : it->second;
}

// True when `path` lies strictly inside `root` (both canonical).
bool Inside(const fs::path& root, const fs::path& path) {
  auto r = root.begin(), p = path.begin();
  for (; r != root.end(); ++r, ++p) {
    if (p == path.end() || *p != *r) return false;
  }
  return p != path.end();
}

// Whether the request target (still percent-encoded) or the decoded path
// tries to leave the folder: "..", encoded dots, slashes or backslashes, NUL.
bool SuspiciousPath(const std::string& raw, const std::string& decoded) {
  std::string lower = raw.substr(0, raw.find('?'));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const char* bad : {"..", "%2e", "%2f", "%5c", "%00", "\\"}) {
    if (lower.find(bad) != std::string::npos) return true;
  }
  if (decoded.empty() || decoded.front() == '/') return true;
  if (decoded.find("..") != std::string::npos) return true;
  for (char c : decoded) {
    if (c == '\\' || c == '\0' || static_cast<unsigned char>(c) < 0x20) {
      return true;
    }
  }
  // No hidden files or folders (".git", ".DS_Store").
  if (decoded.front() == '.' || decoded.find("/.") != std::string::npos) {
    return true;
  }
  return false;
}

void HandleStatic(Context& ctx, const httplib::Request& req,
                  httplib::Response& res) {
  const std::string rel = req.matches[1];
  auto not_found = [&] {
    SendErrorPage(ctx, res, 404, "There is no such file.");
  };
  if (SuspiciousPath(req.target, rel)) return not_found();
  std::error_code ec;
  fs::path full = fs::weakly_canonical(ctx.static_dir / rel, ec);
  if (ec || !Inside(ctx.static_dir, full)) return not_found();
  if (!fs::is_regular_file(full, ec) || ec) return not_found();
  const char* type = ContentType(full.extension().string());
  if (type == nullptr) return not_found();

  struct stat st;
  if (::stat(full.c_str(), &st) != 0) return not_found();
  std::string etag = "\"" + std::to_string(st.st_size) + "-" +
                     std::to_string(st.st_mtim.tv_sec) + "\"";
  res.set_header("Cache-Control", "public, max-age=3600");
  res.set_header("ETag", etag);
  if (req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    return;
  }
  bool ok = true;
  std::string body = ReadWholeFile(full, &ok);
  if (!ok) return not_found();
  res.status = 200;
  res.set_content(std::move(body), type);
}

}  // namespace

bool RegisterPageRoutes(httplib::Server& server, SearcherPool& pool,
                        const std::string& web_dir) {
  auto ctx = std::make_shared<Context>();
  ctx->pool = &pool;
  ctx->web_dir = web_dir;
  std::string error;
  if (!ctx->templates.Load(ctx->web_dir / "templates", &error)) {
    std::cerr << "pundit: " << error << "\n";
    return false;
  }
  std::error_code ec;
  ctx->static_dir = fs::canonical(ctx->web_dir / "static", ec);
  if (ec) {
    std::cerr << "pundit: " << (ctx->web_dir / "static").string()
              << ": error: static folder missing: " << ec.message() << "\n";
    return false;
  }
  // Asset URLs carry a hash of the files, so a new version is fetched at
  // once in spite of the hour of caching.
  std::string assets;
  for (const char* name : {"app.js", "style.css"}) {
    bool ok = true;
    assets += ReadWholeFile(ctx->static_dir / name, &ok);
  }
  ctx->asset_version = HexHash(assets);

  auto search = [ctx](const httplib::Request& req, httplib::Response& res) {
    HandleSearch(*ctx, req, res);
  };
  server.Get("/", search);
  server.Get("/search", search);
  server.Get(R"(/article/(.+))",
             [ctx](const httplib::Request& req, httplib::Response& res) {
               HandleArticle(*ctx, req, res);
             });
  server.Get("/opensearch.xml",
             [ctx](const httplib::Request& req, httplib::Response& res) {
               HandleOpenSearch(*ctx, req, res);
             });
  server.Get(R"(/static/(.*))",
             [ctx](const httplib::Request& req, httplib::Response& res) {
               HandleStatic(*ctx, req, res);
             });
  server.Get("/favicon.ico",
             [](const httplib::Request&, httplib::Response& res) {
               res.status = 301;
               res.set_header("Location", "/static/favicon.svg");
             });
  // Registered last, so it only answers paths no other route took (the
  // JSON API registers its own catch-all for /api first).
  server.Get(R"(/.*)", [ctx](const httplib::Request&, httplib::Response& res) {
    SendErrorPage(*ctx, res, 404, "There is no page at this address.");
  });
  return true;
}

}  // namespace pundit
