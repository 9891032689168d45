// Metrics of `pundit serve` in Prometheus' text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/), served on
// /metrics: requests by route and status, a latency histogram by route, the
// time searches spend in each stage, the index's size and freshness, the
// searchers open, and the process's memory, CPU time and files read from
// /proc/self.
//
// HttpMetrics counts; RenderMetrics writes the exposition text. Route labels
// come from RouteLabel(), which maps a request path to the pattern of the
// route that answers it, so the number of series stays bounded whatever
// paths clients send.
#ifndef PUNDIT_WEB_METRICS_H_
#define PUNDIT_WEB_METRICS_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/mutex.h"
#include "searcher/searcher.h"

namespace pundit {

// The Content-Type of RenderMetrics' text.
inline constexpr char kMetricsContentType[] =
    "text/plain; version=0.0.4; charset=utf-8";

// The label of the route answering `path` (the request path without its
// query) with HTTP `status`: the route's pattern for routes with parameters
// ("/api/articles/:id", "/api/facets/:name", "/article/:id"), "static" for
// files under /static/, "other" for any path no route took (a 404 outside
// those patterns), else the path itself (the routes without parameters:
// "/", "/api/search", ...). Thread-safe.
std::string RouteLabel(std::string_view path, int status);

// Upper bounds of the latency buckets, in seconds (+Inf is added).
inline constexpr std::array<double, 12> kLatencyBuckets = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

// A Prometheus histogram of durations over kLatencyBuckets. Thread-safe and
// lock-free: Add() may run on every worker at once, Render() meanwhile.
class LatencyHistogram {
 public:
  void Add(double seconds);
  // Appends NAME_bucket{LABELS,le=".."} (cumulative), NAME_sum{LABELS} and
  // NAME_count{LABELS}; nothing before the first Add(). `labels` is
  // `key="value"` pairs, already escaped.
  void Render(std::string* out, std::string_view name,
              std::string_view labels) const;

 private:
  std::array<std::atomic<uint64_t>, kLatencyBuckets.size() + 1> buckets_{};
  std::atomic<uint64_t> timed_{0};
  std::atomic<uint64_t> nanoseconds_{0};
};

// Counters of answered requests. Thread-safe: Observe() is lock-free once a
// route has been seen (relaxed atomics) and may run on every worker at once;
// Render() may run meanwhile and sees each counter at some recent value.
class HttpMetrics {
 public:
  // At most `max_routes` distinct route labels are kept; requests of any
  // further label are counted under "other".
  explicit HttpMetrics(size_t max_routes = 64);
  ~HttpMetrics();
  HttpMetrics(const HttpMetrics&) = delete;
  HttpMetrics& operator=(const HttpMetrics&) = delete;

  // Counts one request of `route` answered with `status` (100..599; others
  // count as 0) after `seconds` (negative: counted, not timed).
  void Observe(std::string_view route, int status, double seconds);

  // Appends pundit_http_requests_total{route,status} and
  // pundit_http_request_duration_seconds{route} (histogram) to `out`.
  void Render(std::string* out) const;

 private:
  struct Route;
  Route& Find(std::string_view route);

  const size_t max_routes_;
  std::unique_ptr<Route[]> routes_;  // [0, count_) published; the last slot
                                     // is "other", made at construction
  std::atomic<size_t> count_{0};
  Mutex add_mu_;  // serializes adding a route
};

// Time spent in each stage of the searches answered (the API's and the
// page's), from SearchResponse::stages: match, facets, page, suggest.
// Thread-safe as LatencyHistogram.
class SearchStageMetrics {
 public:
  void Observe(const SearchStageTimes& stages);
  // Appends pundit_search_stage_duration_seconds{stage} (histogram).
  void Render(std::string* out) const;

 private:
  LatencyHistogram match_, facets_, page_, suggest_;
};

// What the index looks like now; `ok` false when it could not be read (the
// gauges are then left out and pundit_index_up is 0).
struct IndexGauges {
  bool ok = false;
  long articles = 0;
  double generation_age_seconds = -1;  // < 0: unknown (not written)
  long long bytes = -1;                // < 0: unknown (not written)
  size_t searchers_open = 0;
  size_t searchers_capacity = 0;
};

// The process's figures from /proc/self; a figure that cannot be read is
// negative and left out.
struct ProcessStats {
  double cpu_seconds = -1;
  double resident_bytes = -1;
  double virtual_bytes = -1;
  double open_fds = -1;
  double max_fds = -1;
  double start_time_seconds = -1;  // since the Unix epoch
  double threads = -1;
};

// Reads /proc/self/stat, /proc/self/fd, /proc/stat (boot time) and the file
// limit. Never fails: what cannot be read stays negative.
ProcessStats ReadProcessStats();

// Seconds from `iso` ("2026-12-04T08:53:41Z", as written in
// pundit:last_indexed) to now; -1 when `iso` is empty or not of that form.
double SecondsSince(const std::string& iso);

// The whole exposition: HttpMetrics, the search stages, the index gauges,
// the process figures and pundit_build_info{version}.
std::string RenderMetrics(const HttpMetrics& http,
                          const SearchStageMetrics& stages,
                          const IndexGauges& index,
                          const ProcessStats& process);

}  // namespace pundit

#endif  // PUNDIT_WEB_METRICS_H_
