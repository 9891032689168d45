#include "web/metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <utility>
#include <vector>

namespace pundit {
namespace {

constexpr int kMinStatus = 100;
constexpr int kMaxStatus = 599;
constexpr size_t kStatusSlots = kMaxStatus - kMinStatus + 2;  // + "0"

// Route labels with a parameter: the path prefix and the label.
constexpr std::pair<std::string_view, std::string_view> kPatterns[] = {
    {"/api/articles/", "/api/articles/:id"},
    {"/api/facets/", "/api/facets/:name"},
    {"/article/", "/article/:id"},
};

// A number as Prometheus reads it: integers without a fraction, others with
// 15 significant digits (so 0.0025 stays "0.0025").
std::string Number(double value) {
  char buf[40];
  if (value == static_cast<double>(static_cast<long long>(value)) &&
      value < 1e15 && value > -1e15) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(value));
  } else {
    std::snprintf(buf, sizeof buf, "%.15g", value);
  }
  return buf;
}

// A label value with \, " and newline escaped.
std::string Escaped(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void Header(std::string* out, const char* name, const char* type,
            const char* help) {
  *out += "# HELP ";
  *out += name;
  *out += ' ';
  *out += help;
  *out += "\n# TYPE ";
  *out += name;
  *out += ' ';
  *out += type;
  *out += '\n';
}

// One family of one unlabelled sample; left out when `value` < 0.
void Gauge(std::string* out, const char* name, const char* type,
           const char* help, double value) {
  if (value < 0) return;
  Header(out, name, type, help);
  *out += name;
  *out += ' ';
  *out += Number(value);
  *out += '\n';
}

// Fields of /proc/self/stat after the command name, numbered as in proc(5)
// (field 3, the state, is fields[0]).
std::vector<std::string> ProcSelfStatFields() {
  std::ifstream in("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  std::vector<std::string> fields;
  size_t close = text.rfind(')');
  if (close == std::string::npos) return fields;
  std::istringstream rest(text.substr(close + 1));
  std::string field;
  while (rest >> field) fields.push_back(field);
  return fields;
}

// Seconds since the epoch at boot, from /proc/stat's btime; -1 when absent.
double BootTime() {
  std::ifstream in("/proc/stat");
  std::string key;
  while (in >> key) {
    if (key == "btime") {
      double value = -1;
      in >> value;
      return value;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return -1;
}

double OpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  double count = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the descriptor reading the folder
}

}  // namespace

std::string RouteLabel(std::string_view path, int status) {
  if (path.starts_with("/static/")) return "static";
  for (const auto& [prefix, label] : kPatterns) {
    if (path.starts_with(prefix)) return std::string(label);
  }
  if (status == 404) return "other";
  return std::string(path);
}

void LatencyHistogram::Add(double seconds) {
  size_t bucket = 0;
  while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) {
    ++bucket;
  }
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  timed_.fetch_add(1, std::memory_order_relaxed);
  nanoseconds_.fetch_add(static_cast<uint64_t>(seconds * 1e9),
                         std::memory_order_relaxed);
}

void LatencyHistogram::Render(std::string* out, std::string_view name,
                              std::string_view labels) const {
  if (timed_.load(std::memory_order_relaxed) == 0) return;
  const std::string n(name);
  const std::string l(labels);
  uint64_t cumulative = 0;
  for (size_t b = 0; b <= kLatencyBuckets.size(); ++b) {
    cumulative += buckets_[b].load(std::memory_order_relaxed);
    std::string le =
        b < kLatencyBuckets.size() ? Number(kLatencyBuckets[b]) : "+Inf";
    *out += n + "_bucket{" + l + ",le=\"" + le + "\"} " +
            std::to_string(cumulative) + "\n";
  }
  *out += n + "_sum{" + l + "} " +
          Number(nanoseconds_.load(std::memory_order_relaxed) / 1e9) + "\n";
  // The count is the +Inf bucket, read once, so the two always agree.
  *out += n + "_count{" + l + "} " + std::to_string(cumulative) + "\n";
}

void SearchStageMetrics::Observe(const SearchStageTimes& stages) {
  match_.Add(stages.match_ms / 1e3);
  facets_.Add(stages.facets_ms / 1e3);
  page_.Add(stages.page_ms / 1e3);
  suggest_.Add(stages.suggest_ms / 1e3);
}

void SearchStageMetrics::Render(std::string* out) const {
  static constexpr char kName[] = "pundit_search_stage_duration_seconds";
  Header(out, kName, "histogram",
         "Time searches spent in each stage: match (the match set and the "
         "best under the filters), facets (counts and timeline), page (its "
         "documents and snippets), suggest (did-you-mean).");
  match_.Render(out, kName, "stage=\"match\"");
  facets_.Render(out, kName, "stage=\"facets\"");
  page_.Render(out, kName, "stage=\"page\"");
  suggest_.Render(out, kName, "stage=\"suggest\"");
}

struct HttpMetrics::Route {
  std::string name;  // written before the route is published, then constant
  std::array<std::atomic<uint64_t>, kStatusSlots> statuses{};
  LatencyHistogram latency;
};

HttpMetrics::HttpMetrics(size_t max_routes)
    : max_routes_(std::max<size_t>(1, max_routes)),
      routes_(new Route[max_routes_ + 1]) {
  routes_[max_routes_].name = "other";
}

HttpMetrics::~HttpMetrics() = default;

HttpMetrics::Route& HttpMetrics::Find(std::string_view route) {
  size_t n = count_.load(std::memory_order_acquire);
  for (size_t i = 0; i < n; ++i) {
    if (routes_[i].name == route) return routes_[i];
  }
  MutexLock lock(&add_mu_);
  n = count_.load(std::memory_order_relaxed);
  for (size_t i = 0; i < n; ++i) {
    if (routes_[i].name == route) return routes_[i];
  }
  if (n == max_routes_ || route == "other") return routes_[max_routes_];
  routes_[n].name = std::string(route);
  count_.store(n + 1, std::memory_order_release);
  return routes_[n];
}

void HttpMetrics::Observe(std::string_view route, int status, double seconds) {
  Route& r = Find(route);
  size_t slot = status >= kMinStatus && status <= kMaxStatus
                    ? static_cast<size_t>(status - kMinStatus + 1)
                    : 0;
  r.statuses[slot].fetch_add(1, std::memory_order_relaxed);
  if (seconds >= 0) r.latency.Add(seconds);
}

void HttpMetrics::Render(std::string* out) const {
  size_t n = count_.load(std::memory_order_acquire);
  auto each_route = [&](auto&& fn) {
    for (size_t i = 0; i < n; ++i) fn(routes_[i]);
    fn(routes_[max_routes_]);
  };
  Header(out, "pundit_http_requests_total", "counter",
         "HTTP requests answered, by route pattern and status code.");
  each_route([&](const Route& r) {
    for (size_t slot = 0; slot < kStatusSlots; ++slot) {
      uint64_t count = r.statuses[slot].load(std::memory_order_relaxed);
      if (count == 0) continue;
      int status = slot == 0 ? 0 : static_cast<int>(slot) + kMinStatus - 1;
      *out += "pundit_http_requests_total{route=\"" + Escaped(r.name) +
              "\",status=\"" + std::to_string(status) + "\"} " +
              std::to_string(count) + "\n";
    }
  });
  Header(out, "pundit_http_request_duration_seconds", "histogram",
         "Time from routing a complete request to its response, by route "
         "pattern.");
  each_route([&](const Route& r) {
    r.latency.Render(out, "pundit_http_request_duration_seconds",
                     "route=\"" + Escaped(r.name) + "\"");
  });
}

ProcessStats ReadProcessStats() {
  ProcessStats stats;
  std::vector<std::string> f = ProcSelfStatFields();
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  // proc(5): utime 14, stime 15, num_threads 20, starttime 22, vsize 23,
  // rss 24; fields[0] is field 3.
  auto field = [&](size_t number) {
    return f.size() > number - 3 ? std::stod(f[number - 3]) : -1.0;
  };
  if (f.size() > 21 && ticks > 0) {
    stats.cpu_seconds = (field(14) + field(15)) / ticks;
    stats.threads = field(20);
    double boot = BootTime();
    if (boot >= 0) stats.start_time_seconds = boot + field(22) / ticks;
    stats.virtual_bytes = field(23);
    stats.resident_bytes = field(24) * page;
  }
  stats.open_fds = OpenFds();
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 &&
      files.rlim_cur != RLIM_INFINITY) {
    stats.max_fds = static_cast<double>(files.rlim_cur);
  }
  return stats;
}

double SecondsSince(const std::string& iso) {
  std::tm tm{};
  char z = 0;
  if (iso.size() != 20 ||
      std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year,
                  &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
                  &z) != 7 ||
      z != 'Z') {
    return -1;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  time_t then = timegm(&tm);
  double age = std::difftime(std::time(nullptr), then);
  return age < 0 ? 0 : age;
}

std::string RenderMetrics(const HttpMetrics& http,
                          const SearchStageMetrics& stages,
                          const IndexGauges& index,
                          const ProcessStats& process) {
  std::string out;
  out.reserve(8192);
  http.Render(&out);
  stages.Render(&out);
  Gauge(&out, "pundit_index_up", "gauge",
        "1 when the index could be read for these metrics, else 0.",
        index.ok ? 1 : 0);
  if (index.ok) {
    Gauge(&out, "pundit_index_articles", "gauge", "Articles in the live index.",
          static_cast<double>(index.articles));
    Gauge(&out, "pundit_index_generation_age_seconds", "gauge",
          "Seconds since the last indexing run committed.",
          index.generation_age_seconds);
    if (index.bytes >= 0) {
      Gauge(&out, "pundit_index_bytes", "gauge",
            "Bytes of the live generation's files (over a stub, of its "
            "shards; left out when a shard is a server's).",
            static_cast<double>(index.bytes));
    }
  }
  Gauge(&out, "pundit_searchers_open", "gauge",
        "Searchers (index handles) open in the pool.",
        static_cast<double>(index.searchers_open));
  Gauge(&out, "pundit_searchers_capacity", "gauge",
        "Searches that may run at once (--searchers).",
        static_cast<double>(index.searchers_capacity));
  Gauge(&out, "process_cpu_seconds_total", "counter",
        "User and system CPU time spent, in seconds.", process.cpu_seconds);
  Gauge(&out, "process_resident_memory_bytes", "gauge",
        "Resident memory size in bytes.", process.resident_bytes);
  Gauge(&out, "process_virtual_memory_bytes", "gauge",
        "Virtual memory size in bytes.", process.virtual_bytes);
  Gauge(&out, "process_open_fds", "gauge", "Open file descriptors.",
        process.open_fds);
  Gauge(&out, "process_max_fds", "gauge",
        "Limit of open file descriptors (RLIMIT_NOFILE).", process.max_fds);
  Gauge(&out, "process_start_time_seconds", "gauge",
        "Start time of the process since the Unix epoch, in seconds.",
        process.start_time_seconds);
  Gauge(&out, "process_threads", "gauge", "Threads of the process.",
        process.threads);
  Header(&out, "pundit_build_info", "gauge",
         "Always 1; the version is a label.");
  out += "pundit_build_info{version=\"" PUNDIT_VERSION "\"} 1\n";
  return out;
}

}  // namespace pundit
