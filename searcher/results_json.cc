#include "searcher/results_json.h"

#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "core/html.h"

namespace pundit::api {
namespace {

nlohmann::json StringOrNull(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

nlohmann::json OptionalOrNull(const std::optional<std::string>& s) {
  return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}

// Rounds to `digits` decimals so that JSON shows 1.25 rather than
// 1.2500000000000002.
double Round(double value, int digits) {
  double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

}  // namespace

nlohmann::json HitToJson(const Hit& hit) {
  nlohmann::json copies = nlohmann::json::array();
  for (const Copy& c : hit.copies) {
    copies.push_back({{"id", c.id},
                      {"source", StringOrNull(c.source)},
                      {"url", StringOrNull(c.url)},
                      {"date", StringOrNull(c.date)}});
  }
  return {
      {"id", hit.id},
      {"title", hit.title},
      {"title_html",
       hit.title_html.empty() ? EscapeHtml(hit.title) : hit.title_html},
      {"authors", hit.authors},
      {"date", StringOrNull(hit.date)},
      {"regions", hit.regions},
      {"themes", hit.themes},
      {"source", StringOrNull(hit.source)},
      {"url", StringOrNull(hit.url)},
      {"score", Round(hit.score, 4)},
      {"snippets", hit.snippets},
      {"copies", std::move(copies)},
  };
}

nlohmann::json SearchResponseToJson(const SearchResponse& response) {
  nlohmann::json hits = nlohmann::json::array();
  for (const Hit& hit : response.hits) hits.push_back(HitToJson(hit));

  nlohmann::json facets = nlohmann::json::object();
  for (const auto& [name, values] : response.facets) {
    nlohmann::json list = nlohmann::json::array();
    for (const FacetValue& v : values) {
      list.push_back(
          {{"value", v.value}, {"count", v.count}, {"selected", v.selected}});
    }
    facets[name] = std::move(list);
  }

  nlohmann::json buckets = nlohmann::json::array();
  for (const TimelineBucket& b : response.timeline) {
    buckets.push_back({{"key", b.key}, {"count", b.count}});
  }

  return {
      {"query",
       {{"q", response.q},
        {"interpreted", response.interpreted},
        {"corrected", OptionalOrNull(response.corrected)},
        {"showing", OptionalOrNull(response.showing)},
        {"notice", OptionalOrNull(response.notice)}}},
      {"total", response.total},
      {"total_groups", response.total_groups},
      {"page", response.page},
      {"per_page", response.per_page},
      {"took_ms", Round(response.took_ms, 2)},
      {"hits", std::move(hits)},
      {"facets", std::move(facets)},
      {"timeline",
       {{"unit", StringOrNull(response.timeline_unit)},
        {"buckets", std::move(buckets)}}},
  };
}

nlohmann::json ArticleViewToJson(const ArticleView& view) {
  const Article& a = view.article;
  nlohmann::json body = nlohmann::json::array();
  for (size_t i = 0; i < a.body.size(); ++i) {
    const Block& block = a.body[i];
    const std::string html = i < view.body_html.size()
                                 ? view.body_html[i].second
                                 : EscapeHtml(block.text);
    body.push_back({{"type", block.kind == Block::Kind::kHeading ? "heading"
                                                                 : "paragraph"},
                    {"text", block.text},
                    {"html", html}});
  }
  auto html_or_escaped = [](const std::string& html, const std::string& text) {
    if (text.empty()) return nlohmann::json(nullptr);
    return nlohmann::json(html.empty() ? EscapeHtml(text) : html);
  };
  return {
      {"id", a.id},
      {"title", a.title},
      {"title_html", html_or_escaped(view.title_html, a.title)},
      {"authors", a.authors},
      {"date", StringOrNull(a.date)},
      {"regions", a.regions},
      {"themes", a.themes},
      {"source", StringOrNull(a.source)},
      {"url", StringOrNull(a.url)},
      {"lede", StringOrNull(a.lede)},
      {"lede_html", html_or_escaped(view.lede_html, a.lede)},
      {"body", std::move(body)},
      {"bio", StringOrNull(a.bio)},
      {"bio_html", html_or_escaped(view.bio_html, a.bio)},
      {"match_count", view.match_count},
  };
}

nlohmann::json StatsToJson(const IndexStats& stats) {
  nlohmann::json cardinality = nlohmann::json::object();
  for (const auto& [name, count] : stats.facet_cardinality) {
    cardinality[name] = count;
  }
  return {
      {"articles", stats.articles},
      {"date_range",
       {{"first", StringOrNull(stats.first_date)},
        {"last", StringOrNull(stats.last_date)}}},
      {"facet_cardinality", std::move(cardinality)},
      {"index_bytes", stats.index_bytes ? nlohmann::json(*stats.index_bytes)
                                        : nlohmann::json(nullptr)},
      {"last_indexed", StringOrNull(stats.last_indexed)},
      {"generation", StringOrNull(stats.generation)},
  };
}

nlohmann::json TermsToJson(const std::vector<SignificantTerm>& terms) {
  nlohmann::json list = nlohmann::json::array();
  for (const SignificantTerm& t : terms) {
    list.push_back(
        {{"term", t.term}, {"count", t.count}, {"score", Round(t.score, 4)}});
  }
  return {{"terms", std::move(list)}};
}
}  // namespace pundit::api
