// Helpers shared by the benchmark programs: reading JSON Lines articles and
// query workloads, reading TREC topics, timing and latency summaries, and the
// JSON shapes every engine prints so that bench/run.sh and the comparison
// scripts read all engines the same way.
//
// Header-only on purpose: each bench/*.cc is its own executable and the
// baselines (xapian_ref, sqlite_fts5) link no pundit library. Nothing here is
// synchronised; the programs are single-threaded.
#ifndef PUNDIT_BENCH_BENCH_UTIL_H_
#define PUNDIT_BENCH_BENCH_UTIL_H_

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pundit::bench {

// A bench program's failure: main() prints what() as one line and exits 1.
class BenchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The options a bench program reads after its positional arguments, as a
// table (the programs share one loop):
//   OptionTable()
//       .Flag("--warmup", &warmup)
//       .Int("--k", &k)
//       .Parse(args, 3, kUsage);
// Parse throws BenchError "error: --k needs a value" when a value is
// missing, "error: unknown option --x\n<usage>" for a name not in the table,
// and std::invalid_argument / std::out_of_range (from std::stoi) for a value
// that is not a number.
class OptionTable {
 public:
  // `name` given alone sets *out to true.
  OptionTable& Flag(std::string name, bool* out) {
    flags_.emplace_back(std::move(name), out);
    return *this;
  }
  // `name VALUE` hands VALUE to `set`.
  OptionTable& Value(std::string name,
                     std::function<void(const std::string&)> set) {
    values_.emplace_back(std::move(name), std::move(set));
    return *this;
  }
  OptionTable& String(std::string name, std::string* out) {
    return Value(std::move(name), [out](const std::string& v) { *out = v; });
  }
  OptionTable& Int(std::string name, int* out) {
    return Value(std::move(name),
                 [out](const std::string& v) { *out = std::stoi(v); });
  }
  // The options of every workload run: --warmup (one unmeasured pass
  // first) and --json (print JSON, not a table).
  OptionTable& Workload(bool* warmup, bool* json) {
    return Flag("--warmup", warmup).Flag("--json", json);
  }
  // The options of every ranking run: --op and|or, --k (results per
  // topic) and --tag (the run's name in TREC output).
  OptionTable& Ranking(std::string* op, int* k, std::string* tag) {
    return String("--op", op).Int("--k", k).String("--tag", tag);
  }

  // Reads args[first], args[first + 1], ... to the end.
  void Parse(const std::vector<std::string>& args, size_t first,
             const char* usage) const {
    for (size_t i = first; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (auto f = Find(flags_, a)) {
        *f->second = true;
      } else if (auto v = Find(values_, a)) {
        if (i + 1 >= args.size()) {
          throw BenchError("error: " + a + " needs a value");
        }
        v->second(args[++i]);
      } else {
        throw BenchError("error: unknown option " + a + "\n" + usage);
      }
    }
  }

 private:
  template <class T>
  static const std::pair<std::string, T>* Find(
      const std::vector<std::pair<std::string, T>>& table,
      const std::string& name) {
    for (const auto& entry : table) {
      if (entry.first == name) return &entry;
    }
    return nullptr;
  }

  std::vector<std::pair<std::string, bool*>> flags_;
  std::vector<std::pair<std::string, std::function<void(const std::string&)>>>
      values_;
};

// One article of the shared JSON Lines layout (shared/corpora/README.md).
struct JsonArticle {
  std::string id, title, date, source, url, body;
  std::vector<std::string> authors, regions, themes;
  std::string raw;  // the line as read
};

namespace internal {

inline std::string GetString(simdjson::dom::element obj, const char* key) {
  simdjson::dom::element e;
  if (obj[key].get(e) != simdjson::SUCCESS) return "";
  std::string_view sv;
  if (e.get(sv) == simdjson::SUCCESS) return std::string(sv);
  int64_t n;
  if (e.get(n) == simdjson::SUCCESS) return std::to_string(n);
  return "";
}

inline std::vector<std::string> GetStrings(simdjson::dom::element obj,
                                           const char* key) {
  std::vector<std::string> out;
  simdjson::dom::element e;
  if (obj[key].get(e) != simdjson::SUCCESS) return out;
  simdjson::dom::array arr;
  if (e.get(arr) == simdjson::SUCCESS) {
    for (simdjson::dom::element v : arr) {
      std::string_view sv;
      if (v.get(sv) == simdjson::SUCCESS && !sv.empty()) out.emplace_back(sv);
    }
  } else {
    std::string_view sv;
    if (e.get(sv) == simdjson::SUCCESS && !sv.empty()) out.emplace_back(sv);
  }
  return out;
}

}  // namespace internal

// Calls `fn` for every article of a JSON Lines file. Blank lines are passed
// over; a line that is not a JSON object throws BenchError
// "path:line: error: ...".
inline void ForEachArticle(const std::string& path,
                           const std::function<void(JsonArticle&)>& fn) {
  std::ifstream in(path);
  if (!in) throw BenchError(path + ": error: cannot open for reading");
  simdjson::dom::parser parser;
  std::string line;
  long line_no = 0;
  JsonArticle a;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    simdjson::dom::element obj;
    if (parser.parse(line).get(obj) != simdjson::SUCCESS || !obj.is_object()) {
      throw BenchError(path + ":" + std::to_string(line_no) +
                       ": error: not a JSON object");
    }
    a.id = internal::GetString(obj, "id");
    a.title = internal::GetString(obj, "title");
    a.date = internal::GetString(obj, "date");
    a.source = internal::GetString(obj, "source");
    a.url = internal::GetString(obj, "url");
    a.body = internal::GetString(obj, "body");
    a.authors = internal::GetStrings(obj, "author");
    a.regions = internal::GetStrings(obj, "region");
    a.themes = internal::GetStrings(obj, "theme");
    a.raw = line;
    fn(a);
  }
}

// One query of a shared/queries workload (shared/queries/README.md).
struct WorkloadQuery {
  std::string id, q;
  // facet API name ("theme", "region", "author") -> values, ORed; only
  // facets with at least one value are present.
  std::map<std::string, std::vector<std::string>> filters;
  std::string from, to;  // "YYYY-MM-DD" or ""
  bool newest = false;   // sort "newest" (else relevance)
};

inline std::vector<WorkloadQuery> ReadWorkload(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw BenchError(path + ": error: cannot open for reading");
  std::vector<WorkloadQuery> out;
  std::string line;
  long line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const std::exception& e) {
      throw BenchError(path + ":" + std::to_string(line_no) +
                       ": error: not JSON: " + e.what());
    }
    WorkloadQuery w;
    w.id = j.value("id", "line" + std::to_string(line_no));
    w.q = j.value("q", "");
    if (j.contains("filters") && j["filters"].is_object()) {
      for (auto& [name, values] : j["filters"].items()) {
        std::vector<std::string> v;
        for (auto& x : values) v.push_back(x.get<std::string>());
        if (!v.empty()) w.filters[name] = std::move(v);
      }
    }
    w.from = j.value("from", "");
    w.to = j.value("to", "");
    w.newest = j.value("sort", "relevance") == "newest";
    out.push_back(std::move(w));
  }
  return out;
}

// A TREC topic: "id<TAB>text" per line (shared/eval/*/queries.tsv).
struct Topic {
  std::string id, text;
};

inline std::vector<Topic> ReadTopics(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw BenchError(path + ": error: cannot open for reading");
  std::vector<Topic> out;
  std::string line;
  long line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      throw BenchError(path + ":" + std::to_string(line_no) +
                       ": error: expected \"id<TAB>query text\"");
    }
    out.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return out;
}

// One line of a TREC run file: "qid Q0 docno rank score tag".
inline void PrintRunLine(FILE* out, const std::string& qid,
                         const std::string& docno, int rank, double score,
                         const std::string& tag) {
  std::fprintf(out, "%s Q0 %s %d %.6f %s\n", qid.c_str(), docno.c_str(), rank,
               score, tag.c_str());
}

inline double NowMs() {
  using Clock = std::chrono::steady_clock;
  return std::chrono::duration<double, std::milli>(
             Clock::now().time_since_epoch())
      .count();
}

// Latency summary over one measured pass. Percentiles are nearest-rank:
// the smallest sample with at least p% of samples at or below it.
struct LatencySummary {
  size_t queries = 0;
  double median_ms = 0, p95_ms = 0, p99_ms = 0, mean_ms = 0, max_ms = 0;
  double total_s = 0;

  static double Percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * sorted.size()));
    rank = std::clamp<size_t>(rank, 1, sorted.size());
    return sorted[rank - 1];
  }

  static LatencySummary Of(std::vector<double> ms) {
    LatencySummary s;
    s.queries = ms.size();
    if (ms.empty()) return s;
    std::sort(ms.begin(), ms.end());
    s.median_ms = Percentile(ms, 50);
    s.p95_ms = Percentile(ms, 95);
    s.p99_ms = Percentile(ms, 99);
    s.max_ms = ms.back();
    double sum = 0;
    for (double x : ms) sum += x;
    s.mean_ms = sum / ms.size();
    s.total_s = sum / 1000.0;
    return s;
  }

  nlohmann::json ToJson(const std::string& engine) const {
    return {{"engine", engine},
            {"queries", queries},
            {"median_ms", median_ms},
            {"p95_ms", p95_ms},
            {"p99_ms", p99_ms},
            {"mean_ms", mean_ms},
            {"max_ms", max_ms},
            {"qps", total_s > 0 ? queries / total_s : 0.0}};
  }

  std::string ToText(const std::string& engine) const {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "%s: %zu queries  median %.3f ms  p95 %.3f ms  p99 %.3f ms  "
                  "mean %.3f ms  max %.3f ms",
                  engine.c_str(), queries, median_ms, p95_ms, p99_ms, mean_ms,
                  max_ms);
    return buf;
  }
};

// What one engine answered for one workload query, as dumped for the
// correctness comparison (bench/compare_facets.py): exact total, the facet
// counts over the whole match set and the timeline by month "YYYY-MM".
struct QueryOutcome {
  std::string id;
  double ms = 0;
  long total = 0;
  std::vector<std::string> top_ids;
  std::map<std::string, std::map<std::string, long>> facets;
  std::map<std::string, long> timeline;
  std::string error;         // non-empty when the engine refused the query
  size_t snippet_bytes = 0;  // bytes of title and body snippets made

  nlohmann::json ToJson() const {
    nlohmann::json j = {{"id", id},         {"ms", ms},
                        {"total", total},   {"top", top_ids},
                        {"facets", facets}, {"timeline", timeline}};
    if (!error.empty()) j["error"] = error;
    return j;
  }
};

// Runs `run` over the workload: once unmeasured when `warmup`, then once
// measured. Returns the outcomes of the measured pass (ms filled in).
inline std::vector<QueryOutcome> RunWorkload(
    const std::vector<WorkloadQuery>& workload, bool warmup,
    const std::function<QueryOutcome(const WorkloadQuery&)>& run) {
  if (warmup) {
    for (const auto& w : workload) run(w);
  }
  std::vector<QueryOutcome> out;
  out.reserve(workload.size());
  for (const auto& w : workload) {
    double t0 = NowMs();
    QueryOutcome o = run(w);
    o.ms = NowMs() - t0;
    o.id = w.id;
    out.push_back(std::move(o));
  }
  return out;
}

// Prints the outcomes: as JSON Lines (one object per query, then
// {"summary": {...}}) when `json`, else "id  ms  total" lines and a summary
// line. The summary also goes to stderr in JSON mode.
inline void PrintOutcomes(const std::vector<QueryOutcome>& outcomes,
                          const std::string& engine, bool json) {
  std::vector<double> ms;
  size_t errors = 0;
  for (const auto& o : outcomes) {
    ms.push_back(o.ms);
    if (!o.error.empty()) ++errors;
  }
  LatencySummary s = LatencySummary::Of(ms);
  if (json) {
    for (const auto& o : outcomes)
      std::printf("%s\n", o.ToJson().dump().c_str());
    nlohmann::json sj = s.ToJson(engine);
    sj["errors"] = errors;
    std::printf("%s\n", nlohmann::json{{"summary", sj}}.dump().c_str());
    std::fprintf(stderr, "%s\n", s.ToText(engine).c_str());
  } else {
    for (const auto& o : outcomes) {
      std::printf("%-8s %9.3f ms  total %ld%s%s\n", o.id.c_str(), o.ms, o.total,
                  o.error.empty() ? "" : "  error: ", o.error.c_str());
    }
    std::printf("%s\n", s.ToText(engine).c_str());
  }
  if (errors > 0) {
    std::fprintf(stderr, "%s: warning: %zu queries failed\n", engine.c_str(),
                 errors);
  }
}

}  // namespace pundit::bench

#endif  // PUNDIT_BENCH_BENCH_UTIL_H_
