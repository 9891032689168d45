#include "searcher/facet_counts.h"

#include <algorithm>
#include <map>

#include "core/schema.h"
#include "searcher/timeline.h"

namespace pundit {

std::vector<std::pair<std::string, std::vector<FacetValue>>> CountFacets(
    const Snapshot& s, const RequestFilters& filters, const MatchSet& m,
    int limit) {
  std::vector<std::pair<std::string, std::vector<FacetValue>>> facets;
  for (const auto& def : schema::kFacets) {
    const FacetIndex& f = *s.Facet(def.name);
    const Selection* own = nullptr;
    for (const Selection& sel : filters.selections) {
      if (sel.facet == &f) own = &sel;
    }
    // Every filter but this facet's own (disjunctive facets).
    std::optional<Bitmap> base_storage;
    const Bitmap* base = &m.filtered;
    if (own) {
      base_storage.emplace(filters.AllBut(m.match, own));
      base = &*base_storage;
    }
    std::vector<uint32_t> counts = f.Count(*base);
    std::vector<uint32_t> order;
    for (uint32_t v = 0; v < counts.size(); ++v) {
      if (counts[v] > 0) order.push_back(v);
    }
    auto by_count = [&](uint32_t a, uint32_t b) {
      return counts[a] != counts[b] ? counts[a] > counts[b]
                                    : f.values[a] < f.values[b];
    };
    size_t n = static_cast<size_t>(limit);
    if (order.size() > n) {
      std::partial_sort(order.begin(), order.begin() + n, order.end(),
                        by_count);
      order.resize(n);
    } else {
      std::sort(order.begin(), order.end(), by_count);
    }
    std::vector<FacetValue> values;
    for (uint32_t v : order) values.push_back({f.values[v], counts[v], false});
    if (own) {
      for (size_t i = 0; i < own->shown.size(); ++i) {
        auto it = std::find_if(
            values.begin(), values.end(),
            [&](const FacetValue& fv) { return fv.value == own->shown[i]; });
        if (it != values.end()) {
          it->selected = true;
        } else {
          long c = own->ids[i] >= 0 ? counts[own->ids[i]] : 0;
          values.push_back({own->shown[i], c, true});
        }
      }
    }
    facets.emplace_back(std::string(def.name), std::move(values));
  }
  return facets;
}

void CountTimeline(const Snapshot& s, const Bitmap& docs, std::string* unit,
                   std::vector<TimelineBucket>* buckets) {
  // Months between the first and last month with a match, or longer units
  // over long spans (timeline.h).
  const FacetIndex& months = s.months();
  std::vector<uint32_t> counts = months.Count(docs);
  std::map<int, long> by_month;  // yyyymm -> count
  for (size_t v = 0; v < counts.size(); ++v) {
    if (counts[v] > 0) by_month[std::stoi(months.values[v])] += counts[v];
  }
  BuildTimeline(by_month, unit, buckets);
}

}  // namespace pundit
