#include "searcher/bool_match.h"

#include <algorithm>
#include <string>
#include <vector>

namespace pundit {
namespace {

Bitmap PostingList(const Xapian::Database& db, const std::string& term) {
  std::vector<uint32_t> ids;
  ids.reserve(db.get_termfreq(term));
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
    ids.push_back(*p);
  }
  return Bitmap(ids);
}

}  // namespace

std::optional<Bitmap> BoolMatch(const Xapian::Database& db,
                                const Xapian::Query& q, const Bitmap& all) {
  const size_t n = q.get_num_subqueries();
  // The subqueries' bitmaps, or nothing as soon as one has none.
  auto subs = [&]() -> std::optional<std::vector<Bitmap>> {
    std::vector<Bitmap> out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      std::optional<Bitmap> b = BoolMatch(db, q.get_subquery(i), all);
      if (!b) return std::nullopt;
      out.push_back(std::move(*b));
    }
    return out;
  };
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
      return PostingList(db, *q.get_terms_begin());
    case Xapian::Query::LEAF_MATCH_ALL:
      return all;
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return Bitmap();
    case Xapian::Query::OP_SCALE_WEIGHT:
    case Xapian::Query::OP_AND_MAYBE:
      // The weight of the right side of AND_MAYBE never decides a match.
      return n == 0 ? std::nullopt : BoolMatch(db, q.get_subquery(0), all);
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER: {
      auto b = subs();
      if (!b || b->empty()) return std::nullopt;
      // Smallest first: each intersection is then cheapest.
      std::sort(b->begin(), b->end(), [](const Bitmap& x, const Bitmap& y) {
        return x.Cardinality() < y.Cardinality();
      });
      Bitmap out = std::move((*b)[0]);
      for (size_t i = 1; i < b->size(); ++i) out.And((*b)[i]);
      return out;
    }
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX: {
      auto b = subs();
      if (!b) return std::nullopt;
      Bitmap out;
      for (const Bitmap& x : *b) out.Or(x);
      return out;
    }
    case Xapian::Query::OP_XOR: {
      auto b = subs();
      if (!b) return std::nullopt;
      Bitmap out;
      for (const Bitmap& x : *b) out.Xor(x);
      return out;
    }
    case Xapian::Query::OP_AND_NOT: {
      auto b = subs();
      if (!b || b->empty()) return std::nullopt;
      Bitmap out = std::move((*b)[0]);
      for (size_t i = 1; i < b->size(); ++i) out.AndNot((*b)[i]);
      return out;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace pundit
