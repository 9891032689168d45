// xapian_ref: the plain Xapian reference that pundit is measured against,
// written as Xapian's own documentation shows ("Getting started with
// Xapian": indexing and searching, facets by match spies), with no tuning.
//
//   xapian_ref index DB FILE.jsonl...
//       TermGenerator with Stem("english") and default settings (positions,
//       STEM_SOME), one thread, default flush threshold, one commit at the
//       end. Title indexed with prefix S and unprefixed, body unprefixed.
//       Facets as boolean terms A:<author>, XREGION:, XTHEME:, XSOURCE:,
//       Y<year> (for filtering) and as values (for counting); date "YYYYMMDD"
//       in value slot 0; document data = the JSON line as read; unique id
//       term Q<id> with replace_document, so ids shared by two files replace
//       each other.
//   xapian_ref search DB WORKLOAD.jsonl [--warmup] [--json]
//       Every workload query as QueryParser reads it (default AND, STEM_SOME,
//       phrases, boolean, love/hate), filters as OP_FILTER of ORed boolean
//       terms, dates as a value range, "newest" sorted by the date value;
//       exact total and exact facet counts over the whole match set
//       (check_at_least = doccount, one MatchSpy), a month timeline
//       (ValueCountMatchSpy on the date slot), the top 10 documents' data and
//       title and body snippets from MSet::snippet(). Prints per-query
//       latency and a median/p95/p99 summary; --json prints JSON Lines with
//       every facet count (bench/compare_facets.py reads them).
//   xapian_ref rank DB TOPICS.tsv [--op or|and] [--k 1000] [--tag NAME]
//       Ranks each "id<TAB>text" topic and prints a TREC run (top k).
#include <xapian.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench/bench_util.h"

namespace pundit::bench {
namespace {

constexpr const char* kUsage =
    "usage: xapian_ref index DB FILE.jsonl...\n"
    "       xapian_ref search DB WORKLOAD.jsonl [--warmup] [--json]\n"
    "       xapian_ref rank DB TOPICS.tsv [--op or|and] [--k 1000] "
    "[--tag NAME]\n";

constexpr unsigned kDateSlot = 0;  // "YYYYMMDD"
constexpr size_t kSnippetBytes = 300;
constexpr int kHitsPerPage = 10;

// Facets: API name, boolean term prefix, value slot holding the values
// joined by '\n' (multi-valued facets), in the order pundit lists them.
struct Facet {
  const char* name;
  const char* prefix;
  unsigned slot;
};
constexpr Facet kFacets[] = {
    {"author", "A:", 1},     {"region", "XREGION:", 2},
    {"theme", "XTHEME:", 3}, {"source", "XSOURCE:", 4},
    {"year", "Y", 5},
};

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += '\n';
    out += s;
  }
  return out;
}

// "2019-01-31" -> "20190131"; "" for anything else.
std::string DateValue(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return "";
  return date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2);
}

int Index(const std::string& db_path, const std::vector<std::string>& files) {
  Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("english"));
  long count = 0;
  double t0 = NowMs();
  for (const auto& file : files) {
    ForEachArticle(file, [&](JsonArticle& a) {
      Xapian::Document doc;
      doc.set_data(a.raw);
      tg.set_document(doc);
      tg.index_text(a.title, 1, "S");
      tg.index_text(a.title);
      tg.increase_termpos();
      tg.index_text(a.body);

      const std::string year = a.date.size() >= 4 ? a.date.substr(0, 4) : "";
      const std::vector<std::string> sources =
          a.source.empty() ? std::vector<std::string>{}
                           : std::vector<std::string>{a.source};
      const std::vector<std::string> years =
          year.empty() ? std::vector<std::string>{}
                       : std::vector<std::string>{year};
      const std::vector<std::string>* values[] = {&a.authors, &a.regions,
                                                  &a.themes, &sources, &years};
      for (size_t i = 0; i < std::size(kFacets); ++i) {
        for (const auto& v : *values[i]) {
          doc.add_boolean_term(std::string(kFacets[i].prefix) + v);
        }
        if (!values[i]->empty())
          doc.add_value(kFacets[i].slot, Join(*values[i]));
      }
      std::string date = DateValue(a.date);
      if (!date.empty()) doc.add_value(kDateSlot, date);

      const std::string id_term = "Q" + a.id;
      doc.add_boolean_term(id_term);
      db.replace_document(id_term, doc);
      ++count;
    });
  }
  db.commit();
  double s = (NowMs() - t0) / 1000.0;
  std::fprintf(stderr,
               "xapian_ref: indexed %ld articles in %.1f s (%.0f articles/s)\n",
               count, s, s > 0 ? count / s : 0.0);
  return 0;
}

// Counts every value of the facet slots over the documents it sees. Plain
// ValueCountMatchSpy counts one value per slot; the multi-valued facets
// (authors, regions, themes) need the '\n'-joined value split, which is the
// only thing this adds.
class FacetSpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override {
    for (size_t i = 0; i < std::size(kFacets); ++i) {
      const std::string v = doc.get_value(kFacets[i].slot);
      if (v.empty()) continue;
      size_t start = 0;
      while (true) {
        size_t end = v.find('\n', start);
        ++counts_[i][v.substr(start, end - start)];
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
  }
  const std::unordered_map<std::string, long>& counts(size_t i) const {
    return counts_[i];
  }

 private:
  std::unordered_map<std::string, long> counts_[std::size(kFacets)];
};

class RefSearcher {
 public:
  explicit RefSearcher(const std::string& db_path)
      : db_(db_path), stem_("english") {
    qp_.set_stemmer(stem_);
    qp_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp_.set_database(db_);
  }

  Xapian::Query Parse(const std::string& q, Xapian::Query::op op) {
    if (q.find_first_not_of(" \t") == std::string::npos) {
      return Xapian::Query::MatchAll;
    }
    qp_.set_default_op(op);
    try {
      return qp_.parse_query(q, Xapian::QueryParser::FLAG_DEFAULT);
    } catch (const Xapian::QueryParserError&) {
      return qp_.parse_query(q, 0);  // as plain words
    }
  }

  QueryOutcome Run(const WorkloadQuery& w) {
    QueryOutcome out;
    Xapian::Query query = Parse(w.q, Xapian::Query::OP_AND);
    std::vector<Xapian::Query> filters;
    for (const auto& [name, values] : w.filters) {
      const Facet* facet = nullptr;
      for (const auto& f : kFacets) {
        if (name == f.name) facet = &f;
      }
      if (facet == nullptr) {
        out.error = "unknown facet " + name;
        return out;
      }
      std::vector<Xapian::Query> terms;
      for (const auto& v : values) terms.emplace_back(facet->prefix + v);
      filters.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
    }
    const std::string from = DateValue(w.from), to = DateValue(w.to);
    if (!from.empty() && !to.empty()) {
      filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, kDateSlot, from, to);
    } else if (!from.empty()) {
      filters.emplace_back(Xapian::Query::OP_VALUE_GE, kDateSlot, from);
    } else if (!to.empty()) {
      filters.emplace_back(Xapian::Query::OP_VALUE_LE, kDateSlot, to);
    }
    if (!filters.empty()) {
      query = Xapian::Query(
          Xapian::Query::OP_FILTER, query,
          Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
    }

    Xapian::Enquire enquire(db_);
    enquire.set_query(query);
    if (w.newest) enquire.set_sort_by_value_then_relevance(kDateSlot, true);
    FacetSpy facets;
    Xapian::ValueCountMatchSpy days(kDateSlot);
    enquire.add_matchspy(&facets);
    enquire.add_matchspy(&days);
    Xapian::MSet mset = enquire.get_mset(0, kHitsPerPage, db_.get_doccount());
    out.total = mset.get_matches_estimated();  // exact: check_at_least

    simdjson::dom::parser parser;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      Xapian::Document doc = it.get_document();
      std::string data = doc.get_data();
      simdjson::dom::element obj;
      if (parser.parse(data).get(obj) != simdjson::SUCCESS) continue;
      std::string title = internal::GetString(obj, "title");
      std::string body = internal::GetString(obj, "body");
      std::string title_html = mset.snippet(title, title.size() + 1, stem_, 0,
                                            "<mark>", "</mark>", "");
      std::string snippet =
          mset.snippet(body, kSnippetBytes, stem_,
                       Xapian::MSet::SNIPPET_BACKGROUND_MODEL |
                           Xapian::MSet::SNIPPET_EXHAUSTIVE,
                       "<mark>", "</mark>", "…");
      out.snippet_bytes += title_html.size() + snippet.size();
      out.top_ids.push_back(internal::GetString(obj, "id"));
    }

    for (size_t i = 0; i < std::size(kFacets); ++i) {
      auto& dst = out.facets[kFacets[i].name];
      for (const auto& [value, n] : facets.counts(i)) dst[value] = n;
    }
    for (auto it = days.values_begin(); it != days.values_end(); ++it) {
      const std::string day = *it;  // YYYYMMDD
      out.timeline[day.substr(0, 4) + "-" + day.substr(4, 2)] +=
          it.get_termfreq();
    }
    return out;
  }

  void Rank(const std::vector<Topic>& topics, Xapian::Query::op op, int k,
            const std::string& tag) {
    Xapian::Enquire enquire(db_);
    simdjson::dom::parser parser;
    for (const auto& t : topics) {
      enquire.set_query(Parse(t.text, op));
      Xapian::MSet mset = enquire.get_mset(0, k);
      int rank = 0;
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        std::string data = it.get_document().get_data();
        simdjson::dom::element obj;
        if (parser.parse(data).get(obj) != simdjson::SUCCESS) continue;
        PrintRunLine(stdout, t.id, internal::GetString(obj, "id"), ++rank,
                     it.get_weight(), tag);
      }
    }
  }

 private:
  Xapian::Database db_;
  Xapian::Stem stem_;
  Xapian::QueryParser qp_;
};

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() < 3) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string cmd = args[0], db = args[1];
  if (cmd == "index") {
    return Index(db, std::vector<std::string>(args.begin() + 2, args.end()));
  }
  bool warmup = false, json = false;
  std::string op = "or", tag = "xapian_ref";
  int k = 1000;
  OptionTable()
      .Workload(&warmup, &json)
      .Ranking(&op, &k, &tag)
      .Parse(args, 3, kUsage);
  RefSearcher searcher(db);
  if (cmd == "search") {
    auto workload = ReadWorkload(args[2]);
    auto outcomes = RunWorkload(workload, warmup, [&](const WorkloadQuery& w) {
      return searcher.Run(w);
    });
    PrintOutcomes(outcomes, "xapian_ref", json);
    return 0;
  }
  if (cmd == "rank") {
    if (op != "or" && op != "and") {
      throw BenchError("error: --op must be \"or\" or \"and\", got \"" + op +
                       "\"");
    }
    searcher.Rank(ReadTopics(args[2]),
                  op == "or" ? Xapian::Query::OP_OR : Xapian::Query::OP_AND, k,
                  tag);
    return 0;
  }
  std::fputs(kUsage, stderr);
  return 2;
}

}  // namespace
}  // namespace pundit::bench

int main(int argc, char** argv) {
  try {
    return pundit::bench::Main(argc, argv);
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xapian_ref: error: %s\n",
                 e.get_description().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xapian_ref: %s\n", e.what());
  }
  return 1;
}
