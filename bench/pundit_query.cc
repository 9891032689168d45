// pundit_query: pundit measured in-process through searcher/searcher.h, with
// the same interface and output as the baselines (bench/xapian_ref.cc,
// bench/sqlite_fts5.cc). Indexing is `pundit index --full`.
//
//   pundit_query search DB WORKLOAD.jsonl [--warmup] [--json]
//                [--facet-limit N] [--per-page N] [--op and|or]
//                [--match-threads N] [--split-min-postings N]
//       Every workload query as a full search page: facets, timeline, 10
//       hits with snippets (SearchRequest defaults; words ANDed unless
//       --op or, which ranks any of them). Prints per-query latency
//       and a median/p95/p99 summary; --json prints JSON Lines with the facet
//       counts shown (facet_limit of them) for bench/compare_facets.py.
//   pundit_query rank DB TOPICS.tsv [--op or|and] [--k 1000] [--tag NAME]
//       Ranks each "id<TAB>text" topic, no facets or snippets, paging
//       kMaxPerPage at a time up to k, and prints a TREC run. The article id
//       is printed without pundit's "<file>:" prefix, so it matches the
//       collection's own ids.
#include <cstdio>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "searcher/searcher.h"

namespace pundit::bench {
namespace {

constexpr const char* kUsage =
    "usage: pundit_query search DB WORKLOAD.jsonl [--warmup] [--json] "
    "[--facet-limit N] [--per-page N] [--op and|or] [--match-threads N]\n"
    "       [--split-min-postings N]\n"
    "       pundit_query rank DB TOPICS.tsv [--op or|and] [--k 1000] "
    "[--tag NAME]\n";

// "path/docs:17" -> "17": the id as the JSON Lines file wrote it.
std::string RawId(const std::string& id) {
  size_t colon = id.rfind(':');
  return colon == std::string::npos ? id : id.substr(colon + 1);
}

QueryOutcome RunOne(Searcher& searcher, const WorkloadQuery& w, DefaultOp op,
                    int facet_limit, int per_page) {
  QueryOutcome out;
  SearchRequest req;
  req.q = w.q;
  req.op = op;
  req.filters = w.filters;
  req.from = w.from;
  req.to = w.to;
  req.sort = w.newest ? SortOrder::kNewest : SortOrder::kRelevance;
  req.per_page = per_page;
  req.facet_limit = facet_limit;
  Result<SearchResponse> r = searcher.Search(req);
  if (!r.ok()) {
    out.error = r.status().ToString();
    return out;
  }
  out.total = r->total;
  for (const Hit& h : r->hits) {
    out.top_ids.push_back(RawId(h.id));
    out.snippet_bytes += h.title_html.size();
    for (const auto& s : h.snippets) out.snippet_bytes += s.size();
  }
  for (const auto& [name, values] : r->facets) {
    auto& dst = out.facets[name];
    for (const FacetValue& v : values) dst[v.value] = v.count;
  }
  for (const TimelineBucket& b : r->timeline) out.timeline[b.key] = b.count;
  return out;
}

void Rank(Searcher& searcher, const std::vector<Topic>& topics, DefaultOp op,
          int k, const std::string& tag) {
  for (const auto& t : topics) {
    SearchRequest req;
    req.q = t.text;
    req.op = op;
    req.want_facets = false;
    req.want_snippets = false;
    req.per_page = kMaxPerPage;
    // A run ranks every document: each syndicated copy is judged on its own.
    req.collapse = false;
    int rank = 0;
    for (req.page = 1; rank < k; ++req.page) {
      Result<SearchResponse> r = searcher.Search(req);
      if (!r.ok()) {
        std::fprintf(stderr, "pundit_query: topic %s: %s\n", t.id.c_str(),
                     r.status().ToString().c_str());
        break;
      }
      for (const Hit& h : r->hits) {
        if (rank >= k) break;
        PrintRunLine(stdout, t.id, RawId(h.id), ++rank, h.score, tag);
      }
      if (static_cast<long>(req.page) * kMaxPerPage >= r->total ||
          r->hits.empty()) {
        break;
      }
    }
  }
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() < 3) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string cmd = args[0], db = args[1];
  bool warmup = false, json = false;
  std::string op, tag = "pundit";  // op: "and" for search, "or" for rank
  int k = 1000, facet_limit = 10, per_page = 10;
  unsigned match_threads = 0;
  uint64_t split_min_postings = kSplitMinPostings;
  OptionTable()
      .Workload(&warmup, &json)
      .Ranking(&op, &k, &tag)
      .Int("--facet-limit", &facet_limit)
      .Int("--per-page", &per_page)
      .Value("--match-threads",
             [&](const std::string& v) {
               match_threads = static_cast<unsigned>(std::stoul(v));
             })
      .Value("--split-min-postings",
             [&](const std::string& v) { split_min_postings = std::stoull(v); })
      .Parse(args, 3, kUsage);
  SearcherOptions options;
  options.db_dir = db;
  options.match_threads = match_threads;
  options.split_min_postings = split_min_postings;
  Result<std::unique_ptr<Searcher>> opened = Searcher::Open(options);
  if (!opened.ok()) throw BenchError(opened.status().ToString());
  Searcher& searcher = **opened;
  if (op.empty()) op = cmd == "rank" ? "or" : "and";
  if (op != "or" && op != "and") {
    throw BenchError("error: --op must be \"or\" or \"and\", got \"" + op +
                     "\"");
  }
  const DefaultOp default_op = op == "or" ? DefaultOp::kOr : DefaultOp::kAnd;
  if (cmd == "search") {
    auto workload = ReadWorkload(args[2]);
    auto outcomes = RunWorkload(workload, warmup, [&](const WorkloadQuery& w) {
      return RunOne(searcher, w, default_op, facet_limit, per_page);
    });
    PrintOutcomes(outcomes, "pundit", json);
    return 0;
  }
  if (cmd == "rank") {
    Rank(searcher, ReadTopics(args[2]), default_op, k, tag);
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
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pundit_query: %s\n", e.what());
  }
  return 1;
}
