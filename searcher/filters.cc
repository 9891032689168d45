#include "searcher/filters.h"

#include <set>
#include <utility>

#include "core/schema.h"
#include "searcher/query.h"

namespace pundit {
namespace {

// Resolves the values `raw` of facet `def` (an entry of schema::kFacets).
template <typename FacetDef>
Selection Select(const FacetDef& def, const std::vector<std::string>& raws,
                 const Snapshot& s, Analyzer& analyzer) {
  Selection sel;
  sel.facet = s.Facet(def.name);
  std::vector<Xapian::Query> terms;
  std::set<int> seen;
  for (const std::string& raw : raws) {
    std::vector<int> ids;
    if (auto e = sel.facet->ids.find(raw); e != sel.facet->ids.end()) {
      ids.push_back(static_cast<int>(e->second));
    } else {
      // Same value but for case or accents ("andrew korybko").
      std::string key = analyzer.FoldKey(raw);
      for (size_t v = 0; v < sel.facet->keys.size(); ++v) {
        if (!key.empty() && sel.facet->keys[v] == key) {
          ids.push_back(static_cast<int>(v));
        }
      }
    }
    if (ids.empty()) {
      sel.shown.push_back(raw);
      sel.ids.push_back(-1);
      continue;
    }
    for (int v : ids) {
      if (!seen.insert(v).second) continue;
      sel.shown.push_back(sel.facet->values[v]);
      sel.ids.push_back(v);
      sel.docs.Or(sel.facet->docs[v]);
      terms.emplace_back(schema::FacetTerm(def.prefix, sel.facet->values[v]));
    }
  }
  sel.query = terms.empty() ? Xapian::Query::MatchNothing
                            : Xapian::Query(Xapian::Query::OP_OR, terms.begin(),
                                            terms.end());
  return sel;
}

}  // namespace

RequestFilters ResolveFilters(const SearchRequest& request, const Snapshot& s,
                              Analyzer& analyzer) {
  RequestFilters f;
  for (const auto& def : schema::kFacets) {
    auto it = request.filters.find(std::string(def.name));
    if (it == request.filters.end() || it->second.empty()) continue;
    f.selections.push_back(Select(def, it->second, s, analyzer));
  }

  if (!request.from.empty() || !request.to.empty()) {
    std::string lo =
        request.from.empty() ? "" : *query::DateBound(request.from, false);
    std::string hi =
        request.to.empty() ? "" : *query::DateBound(request.to, true);
    f.dated = s.DateRange(lo.empty() ? 0 : std::stoul(lo),
                          hi.empty() ? 0 : std::stoul(hi));
    if (!lo.empty() && !hi.empty()) {
      f.date_query = Xapian::Query(Xapian::Query::OP_VALUE_RANGE,
                                   schema::kDateValue, lo, hi);
    } else if (!lo.empty()) {
      f.date_query =
          Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateValue, lo);
    } else {
      f.date_query =
          Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kDateValue, hi);
    }
  }

  if (f.dated) f.docs.emplace(*f.dated);
  for (const Selection& sel : f.selections) {
    if (f.docs) {
      f.docs->And(sel.docs);
    } else {
      f.docs.emplace(sel.docs);
    }
  }
  return f;
}

Bitmap RequestFilters::Apply(const Bitmap& match) const {
  Bitmap out = match;
  if (docs) out.And(*docs);
  return out;
}

Bitmap RequestFilters::AllBut(const Bitmap& match, const Selection* own) const {
  if (!own) return Apply(match);
  Bitmap out = match;
  if (dated) out.And(*dated);
  for (const Selection& sel : selections) {
    if (&sel != own) out.And(sel.docs);
  }
  return out;
}

Xapian::Query RequestFilters::Restrict(const Xapian::Query& text) const {
  Xapian::Query q = text.empty() ? Xapian::Query(std::string()) : text;
  for (const Selection& sel : selections) {
    q = Xapian::Query(Xapian::Query::OP_FILTER, q, sel.query);
  }
  if (!date_query.empty()) {
    q = Xapian::Query(Xapian::Query::OP_FILTER, q, date_query);
  }
  return q;
}

}  // namespace pundit
