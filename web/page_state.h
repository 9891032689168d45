// The state of the search page: everything a search URL carries, in a
// canonical order, and the query parameters it is read from. Internal to
// the web library.
//
// Plain values and pure functions; thread-safe.
#ifndef PUNDIT_WEB_PAGE_STATE_H_
#define PUNDIT_WEB_PAGE_STATE_H_

#include <httplib.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "web/api.h"
#include "web/page_util.h"

namespace pundit::pages {

inline constexpr std::string_view kFacetNames[] = {"author", "region", "theme",
                                                   "source", "year"};

// "Author" for "author", and so on; "Filter" for an unknown name.
const char* FacetLabel(std::string_view name);

inline constexpr int kDefaultFacetLimit = 20;  // values per facet asked for
inline constexpr int kFacetShown = 8;          // shown before "show more"

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

// The value of hex digit `c`, -1 for any other character.
int HexValue(char c);

// application/x-www-form-urlencoded decoding: '+' is a space (as HTML forms
// and URLSearchParams write it), %XX a byte; a malformed escape is kept.
std::string FormDecode(std::string_view s);

// A query string ("a=1&b=x+y", no "?"), decoded as a form would be.
api::Params ParseQueryString(std::string_view query);

// The query string of the request target, decoded as a form would be
// (httplib's own parsing keeps '+' as it is).
api::Params QueryParams(const httplib::Request& req);

// The first value of `key`, or "".
std::string OneParam(const api::Params& params, const std::string& key);

// Search parameters without empty values (an HTML form sends every field)
// and without the page-only ones.
api::Params CleanParams(const api::Params& raw);

// The page state a search URL's (cleaned) parameters describe.
PageState StateFromParams(const api::Params& params);

// The `back` parameter of the article links of a search in `state`: its
// canonical query string, or "" when the search is its words alone (the
// article's `q` then says as much).
std::string BackParam(const PageState& state);

// The search that an article page's `back` parameter names, re-read as the
// search page reads its own URL; nullopt unless it is a valid search.
std::optional<PageState> StateFromBack(const std::string& back);

// A result card. Its author, source and chip links filter by that value
// alone within the search `state` (replacing that facet's selection, so a
// click never broadens the results); its title links to the article page
// with `q` marked and `back` (BackParam) for the way back.
Data HitModel(const Hit& hit, const PageState& state, const std::string& q,
              const std::string& back, int rank);

}  // namespace pundit::pages

#endif  // PUNDIT_WEB_PAGE_STATE_H_
