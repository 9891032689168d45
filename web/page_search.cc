// GET / and /search: the search page (web/pages.h).
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/html.h"
#include "web/api.h"
#include "web/feed.h"
#include "web/page_state.h"
#include "web/page_util.h"
#include "web/searcher_pool.h"

namespace pundit::pages {

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
  Data copies(Data::type::list);
  for (size_t i = 0; i < hit.copies.size(); ++i) {
    const Copy& c = hit.copies[i];
    Data copy =
        Link(c.source.empty() ? c.id : c.source, ArticleUrl(c.id, q, back));
    copy.set("last", i + 1 == hit.copies.size());
    copies.push_back(copy);
  }
  d.set("copies", copies);
  d.set("has_copies", !hit.copies.empty());
  return d;
}

namespace {

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
  const long listed =
      response.collapsed ? response.total_groups : response.total;
  long pages = (listed + per_page - 1) / per_page;
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

}  // namespace

// "Words that stand out" (Searcher::SignificantTerms): each links to the
// search with the word, or the phrase in quotes, added to its query.
Data TermsModel(Searcher& searcher, const SearchRequest& request,
                const PageState& state) {
  constexpr int kPageTerms = 8;
  Data list(Data::type::list);
  Result<std::vector<SignificantTerm>> terms =
      searcher.SignificantTerms(request, kPageTerms);
  if (!terms.ok()) return list;
  for (const SignificantTerm& t : *terms) {
    const std::string word =
        t.term.find(' ') == std::string::npos ? t.term : "\"" + t.term + "\"";
    Data link = Link(
        t.term,
        state.WithQuery(state.q.empty() ? word : state.q + " " + word).Url());
    link.set("count", WithCommas(t.count));
    list.push_back(link);
  }
  return list;
}

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
      if (response.ok() && ctx.stage_metrics) {
        ctx.stage_metrics->Observe(response->stages);
      }
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
    if (r.total_groups != r.total) {
      count += " (" + WithCommas(r.total_groups) +
               " with syndicated copies counted once)";
    }
    const long listed = r.collapsed ? r.total_groups : r.total;
    const long pages =
        (listed + std::max(1, r.per_page) - 1) / std::max(1, r.per_page);
    if (pages > 1 && r.page <= pages) {
      count += " · Page " + WithCommas(r.page) + " of " + WithCommas(pages);
    }
    model.set("count_text", count);
    model.set("took", std::to_string(std::lround(r.took_ms)));
    model.set("interpreted", r.interpreted);
    model.set("show_interpreted",
              !r.interpreted.empty() && r.interpreted != state.q);
    if (r.showing) {
      // The typed query found nothing: these are its correction's results.
      const std::string url = state.Url();
      model.set("showing", *r.showing);
      model.set("typed", r.q);
      model.set("typed_url",
                url + (url.find('?') == std::string::npos ? "?" : "&") +
                    "as_typed=1");
    } else if (r.corrected) {
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
    if (r.total > 0) {
      // Every match as a file, and attention over time from /compare.
      PageState all = state;
      all.page = 1;
      all.per_page.clear();
      const std::string query = all.QueryString();
      const std::string sep = query.empty() ? "" : "&";
      model.set("export_csv_url", "/api/export?" + query + sep + "format=csv");
      model.set("export_jsonl_url",
                "/api/export?" + query + sep + "format=jsonl");
      model.set("export_text_csv_url",
                "/api/export?" + query + sep + "format=csv&text=1");
      model.set("export_text_jsonl_url",
                "/api/export?" + query + sep + "format=jsonl&text=1");
      if (has_q) {
        // Every match with the words around it: a concordance, read in a
        // page or downloaded.
        model.set("in_context_url", "/in-context?" + query);
        model.set("export_context_csv_url",
                  "/api/export?" + query + sep + "format=csv&context=10");
        model.set("export_context_jsonl_url",
                  "/api/export?" + query + sep + "format=jsonl&context=10");
        all.sort.clear();
        model.set("compare_url", "/compare?" + all.QueryString());
      }
    }
    Data active = ActiveFiltersModel(state);
    model.set("has_active_filters", !active.list_value().empty());
    model.set("active_filters", active);
    // Words that stand out cost a pass over the matches' term lists: on
    // request (&terms=1), not on every page.
    if (!home && r.total > 0) {
      if (raw.find("terms") != raw.end()) {
        Data terms = TermsModel(*searcher, *request, state);
        model.set("has_terms", !terms.list_value().empty());
        model.set("terms", terms);
      } else {
        const std::string url = state.Url();
        model.set(
            "terms_url",
            url + (url.find('?') == std::string::npos ? "?" : "&") + "terms=1");
      }
    }
  }
  if (request.ok()) {
    model.set("feed_url", "/feed.atom?" + FeedQueryString(*request));
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

}  // namespace pundit::pages
