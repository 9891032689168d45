#include "web/server.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/mutex.h"
#include "core/schema.h"
#include "searcher/results_json.h"
#include "web/api.h"
#include "web/api_util.h"
#include "web/feed.h"
#include "web/http_guard.h"
#include "web/metrics.h"
#include "web/pages.h"
#include "web/research_api.h"
#include "web/searcher_pool.h"

// Connections, request heads and bodies are read by HttpGuard
// (web/http_guard.h) under its limits; httplib only routes complete requests
// and writes the responses.

namespace pundit {
namespace {

constexpr int kMaxThreads = 1024;

constexpr int kDefaultFacetValues = 20;
constexpr int kMaxFacetValues = kMaxFacetLimit;
constexpr int kDefaultRelated = 5;
constexpr int kMaxRelated = 50;
constexpr int kDefaultTerms = 20;

constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'";
constexpr char kJsonType[] = "application/json; charset=utf-8";

bool IsApiPath(std::string_view path) {
  return path == "/api" || path.starts_with("/api/") || path == "/healthz";
}

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// On every response.
const HeaderList& SecurityHeaders() {
  static const HeaderList headers = {
      {"Content-Security-Policy", kContentSecurityPolicy},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
  };
  return headers;
}

// Whether httplib may compress a response of this Content-Type when the
// request's Accept-Encoding allows it (Debian builds it with zlib and
// brotli): its rule in detail::can_compress_content_type.
bool MayBeCompressed(const std::string& type) {
  for (const char* t :
       {"image/svg+xml", "application/javascript", "application/json",
        "application/xml", "application/protobuf", "application/xhtml+xml"}) {
    if (type == t) return true;
  }
  return type.starts_with("text/") && type != "text/event-stream";
}

// Adds `field` to the response's Vary header (one header, values merged).
void AddVary(httplib::Response& res, const std::string& field) {
  std::string vary;
  auto range = res.headers.equal_range("Vary");
  for (auto it = range.first; it != range.second; ++it) {
    if (!vary.empty()) vary += ", ";
    vary += it->second;
  }
  if (vary.find(field) != std::string::npos) return;
  res.headers.erase("Vary");
  res.set_header("Vary", vary.empty() ? field : vary + ", " + field);
}

// httplib::Server with its request processing opened to HttpGuard, which
// hands it requests already read (process_request is protected).
class Router : public httplib::Server {
 public:
  using httplib::Server::process_request;

  // httplib runs a response's content provider (a streamed export) only
  // while it believes it is listening (svr_sock_ valid); HttpGuard does the
  // listening, so the server marks the router as serving while the guard
  // runs, and not serving once it stops (a stream then ends early).
  void MarkServing(bool serving) { svr_sock_ = serving ? 0 : INVALID_SOCKET; }
};

// Start of the request being handled by this worker thread (httplib runs the
// pre-routing handler, the route and the logger of one request on one
// thread).
thread_local std::chrono::steady_clock::time_point t_request_start;
thread_local bool t_request_timed = false;

// Milliseconds since this worker's request was routed; -1 when not timed.
double ElapsedMs() {
  if (!t_request_timed) return -1;
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - t_request_start)
      .count();
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 416:
      return "Range Not Satisfiable";
    default:
      return "Error";
  }
}

// The Status code name used in JSON for an HTTP error httplib raised itself.
Status StatusForHttpError(int status, const httplib::Request& req) {
  switch (status) {
    case 404:
      return Status::NotFound("no route " + Printable(req.path) +
                              ": see docs/API.md for the endpoints");
    case 500:
      return Status::Internal("internal error");
    default:
      if (status >= 500) return Status::Internal("internal error");
      return Status::InvalidArgument(std::string("bad request: ") +
                                     ReasonPhrase(status));
  }
}

// The JSON "code" of an error the HTTP layer answers itself.
const char* EarlyErrorCode(int status) {
  switch (status) {
    case 405:
      return "method_not_allowed";
    case 408:
      return "request_timeout";
    case 429:
    case 503:
      return "busy";
    case 501:
    case 505:
      return "not_implemented";
    default:
      return "invalid_argument";
  }
}

// Whether a client address is this machine: 127.0.0.0/8, ::1, or either
// mapped into IPv6.
bool IsLoopback(std::string_view addr) {
  if (addr.starts_with("::ffff:")) addr.remove_prefix(7);
  return addr.starts_with("127.") || addr == "::1";
}

// HOST:PORT or [V6]:PORT of --metrics-addr; kInvalidArgument otherwise.
Status SplitHostPort(const std::string& text, std::string* host, int* port) {
  size_t colon = text.rfind(':');
  Status bad = Status::InvalidArgument(
      "--metrics-addr \"" + Printable(text) +
      "\" is not HOST:PORT: give an address such as 127.0.0.1:9108");
  if (colon == std::string::npos || colon == 0) return bad;
  std::string h = text.substr(0, colon);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') {
    h = h.substr(1, h.size() - 2);
  }
  const std::string p = text.substr(colon + 1);
  if (p.empty() || p.size() > 5 ||
      p.find_first_not_of("0123456789") != std::string::npos) {
    return bad;
  }
  int value = std::stoi(p);
  if (value > 65535) return bad;
  *host = h;
  *port = value;
  return Status::Ok();
}

// The folder holding templates/ and static/ when --web-dir is not given:
// share/pundit next to the executable's bin/ folder when installed
// (`cmake --install`, the .deb), else the source tree's web/ folder.
std::string DefaultWebDir() {
  std::error_code ec;
  std::filesystem::path exe =
      std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    std::filesystem::path installed =
        exe.parent_path().parent_path() / "share" / "pundit";
    if (std::filesystem::is_directory(installed / "templates", ec)) {
      return installed.string();
    }
  }
  return PUNDIT_WEB_DIR;
}

SearcherOptions SearcherOptionsOf(const ServerOptions& options) {
  SearcherOptions o{options.db_dir};
  o.shard_timeout_ms = options.shard_timeout_ms;
  o.shard_refresh_ms = options.shard_refresh_ms;
  o.match_threads = static_cast<unsigned>(std::max(0, options.match_threads));
  return o;
}

}  // namespace

struct Server::Impl {
  explicit Impl(ServerOptions o)
      : options(std::move(o)),
        pool(SearcherOptionsOf(options),
             static_cast<size_t>(std::max(0, options.searchers))) {}

  // Counts a request of route `label` answered with `status` for /metrics.
  void Count(std::string_view label, int status, double ms) {
    if (options.metrics) {
      http_metrics.Observe(label, status, ms < 0 ? -1 : ms / 1e3);
    }
  }

  // The index gauges, read through a Searcher of the metrics' own, so a
  // scrape never waits for the pool when the server is busy.
  IndexGauges ReadIndexGauges() {
    IndexGauges gauges;
    gauges.searchers_open = pool.created();
    gauges.searchers_capacity = pool.capacity();
    MutexLock lock(&metrics_mu);
    if (!metrics_searcher) {
      Result<std::unique_ptr<Searcher>> opened =
          Searcher::Open(SearcherOptionsOf(options));
      if (!opened.ok()) return gauges;
      metrics_searcher = std::move(opened).value();
    }
    Searcher* searcher = metrics_searcher.get();
    Result<IndexStats> stats = Retry([searcher] { return searcher->Stats(); });
    if (!stats.ok()) return gauges;
    gauges.ok = true;
    gauges.articles = stats->articles;
    gauges.bytes = stats->index_bytes.value_or(-1);
    gauges.generation_age_seconds = SecondsSince(stats->last_indexed);
    return gauges;
  }

  // Cache-Control, and the CORS headers when an origin is configured.
  HeaderList ApiHeaders() const {
    HeaderList headers = {{"Cache-Control", "no-store"}};
    if (!options.cors_origin.empty()) {
      headers.emplace_back("Access-Control-Allow-Origin", options.cors_origin);
      headers.emplace_back("Vary", "Origin");
    }
    return headers;
  }

  void AddApiHeaders(httplib::Response& res) const {
    for (const auto& [name, value] : ApiHeaders()) res.set_header(name, value);
  }

  // The methods served on `target`: GET and HEAD, and OPTIONS (CORS
  // preflight) on the API when an origin is configured.
  std::string AllowedMethods(std::string_view target) const {
    std::string_view path = target.substr(0, target.find('?'));
    if (!options.cors_origin.empty() && IsApiPath(path)) {
      return "GET, HEAD, OPTIONS";
    }
    return "GET, HEAD";
  }

  // An error HttpGuard answers before routing, as a JSON error body with the
  // headers of an API response.
  EarlyResponse RenderEarlyError(const EarlyError& error) {
    EarlyResponse response;
    response.content_type = kJsonType;
    response.body = api::DumpJson({{"error",
                                    {{"code", EarlyErrorCode(error.status)},
                                     {"message", error.reason}}}});
    response.headers = SecurityHeaders();
    for (auto& header : ApiHeaders()) response.headers.push_back(header);
    if (error.status == 405)
      response.headers.emplace_back("Allow", error.allow);
    if (error.status == 429 || error.status == 503) {
      response.headers.emplace_back("Retry-After", "1");
    }
    AccessEntry entry;
    entry.remote_addr = error.remote_addr;
    entry.method = error.method;
    entry.target = error.target;
    entry.status = error.status;
    entry.bytes = static_cast<long long>(response.body.size());
    // Refused before routing: its target may be anything, so no route.
    Count("other", error.status, -1);
    if (options.access_log) log.Write(entry);
    return response;
  }

  void SendJson(httplib::Response& res, int status,
                const nlohmann::json& body) const {
    res.status = status;
    AddApiHeaders(res);
    res.set_content(api::DumpJson(body), kJsonType);
  }

  void SendError(httplib::Response& res, const Status& status) const {
    SendJson(res, api::HttpStatusFor(status), api::ErrorToJson(status));
  }

  // A Searcher lent for this request, or an empty Lease and a 503 already
  // sent.
  SearcherPool::Lease GetSearcher(httplib::Response& res) {
    Result<SearcherPool::Lease> searcher = pool.Acquire();
    if (!searcher.ok()) {
      if (searcher.status().code() == Status::Code::kBusy) {
        res.set_header("Retry-After", "1");
      }
      SendJson(res, 503, api::ErrorToJson(searcher.status()));
      return SearcherPool::Lease();
    }
    return std::move(searcher).value();
  }

  // Runs `call` once more when it fails for a condition that a concurrent
  // reindex can cause, so that a swap never fails a request.
  template <typename Call>
  static auto Retry(Call&& call) -> decltype(call()) {
    auto result = call();
    if (!result.ok()) {
      Status::Code code = result.status().code();
      if (code == Status::Code::kIoError || code == Status::Code::kCorruption ||
          code == Status::Code::kLocked) {
        result = call();
      }
    }
    return result;
  }

  void HandleSearch(const httplib::Request& req, httplib::Response& res);
  void HandleExport(const httplib::Request& req, httplib::Response& res);
  void HandleAttention(const httplib::Request& req, httplib::Response& res);
  void HandleArticle(const httplib::Request& req, httplib::Response& res);
  void HandleFacet(const httplib::Request& req, httplib::Response& res);
  void HandleStats(const httplib::Request& req, httplib::Response& res);
  void HandleTerms(const httplib::Request& req, httplib::Response& res);
  void HandleFeed(const httplib::Request& req, httplib::Response& res);
  void HandleHealth(const httplib::Request& req, httplib::Response& res);
  void HandleMetrics(const httplib::Request& req, httplib::Response& res,
                     bool dedicated);
  void RegisterRoutes();
  void RegisterMetricsRoutes();
  // The post-routing handler of both routers: counts the response about to
  // be written (so a client that got it finds it counted).
  void CountRouted(const httplib::Request& req, const httplib::Response& res);
  // The logger of both routers, after the response was written.
  void Log(const httplib::Request& req, const httplib::Response& res);

  ServerOptions options;
  SearcherPool pool;
  Router http;
  std::unique_ptr<HttpGuard> guard;
  int port = -1;

  HttpMetrics http_metrics;
  SearchStageMetrics stage_metrics;
  AccessLog log;
  Mutex metrics_mu;
  std::unique_ptr<Searcher> metrics_searcher GUARDED_BY(metrics_mu);
  // --metrics-addr: a listener of its own serving /metrics only.
  std::string metrics_host;
  int metrics_port = -1;
  Router metrics_http;
  std::unique_ptr<HttpGuard> metrics_guard;
};

void Server::Impl::HandleSearch(const httplib::Request& req,
                                httplib::Response& res) {
  Result<SearchRequest> request = api::ParseSearchParams(req.params);
  if (!request.ok()) return SendError(res, request.status());
  SearcherPool::Lease searcher = GetSearcher(res);
  if (!searcher) return;
  Result<SearchResponse> response =
      Retry([&] { return searcher->Search(*request); });
  if (!response.ok()) return SendError(res, response.status());
  if (options.metrics) stage_metrics.Observe(response->stages);
  SendJson(res, 200, api::SearchResponseToJson(*response));
}

void Server::Impl::HandleExport(const httplib::Request& req,
                                httplib::Response& res) {
  Result<api::ExportParams> params = api::ParseExportParams(req.params);
  if (!params.ok()) return SendError(res, params.status());
  SearcherPool::Lease lease = GetSearcher(res);
  if (!lease) return;
  // The Searcher stays lent while the rows stream, batch by batch; a
  // failure after the headers went out cuts the response short (no final
  // chunk), which a client sees as an incomplete transfer.
  auto searcher = std::make_shared<SearcherPool::Lease>(std::move(lease));
  res.status = 200;
  AddApiHeaders(res);
  res.set_header("Content-Disposition", api::ExportDisposition(params->format));
  res.set_chunked_content_provider(
      api::ExportContentType(params->format),
      [searcher, params = std::move(*params)](size_t, httplib::DataSink& sink) {
        std::string out = api::ExportStart(params.format, params.options);
        Status s = (*searcher)->Export(
            params.search, params.options, [&](const std::vector<Hit>& batch) {
              api::AppendExportRows(batch, params.format, params.options, &out);
              bool written = sink.write(out.data(), out.size());
              out.clear();
              return written;
            });
        if (!s.ok()) return false;
        if (!out.empty() && !sink.write(out.data(), out.size())) return false;
        sink.done();
        return true;
      });
}

void Server::Impl::HandleAttention(const httplib::Request& req,
                                   httplib::Response& res) {
  Result<api::AttentionParams> params = api::ParseAttentionParams(req.params);
  if (!params.ok()) return SendError(res, params.status());
  SearcherPool::Lease searcher = GetSearcher(res);
  if (!searcher) return;
  Result<AttentionResponse> response =
      Retry([&] { return searcher->Attention(params->request); });
  if (!response.ok()) return SendError(res, response.status());
  if (!params->csv) return SendJson(res, 200, api::AttentionToJson(*response));
  res.status = 200;
  AddApiHeaders(res);
  res.set_header("Content-Disposition",
                 "attachment; filename=\"pundit-attention.csv\"");
  res.set_content(api::AttentionToCsv(*response), "text/csv; charset=utf-8");
}

void Server::Impl::HandleArticle(const httplib::Request& req,
                                 httplib::Response& res) {
  const std::string id = req.matches[1];
  Status error;
  const std::string q = api::SingleParam(req.params, "q", &error);
  const std::string limit_text = api::SingleParam(req.params, "limit", &error);
  if (!error.ok()) return SendError(res, error);
  if (!api::IsValidUtf8(q)) {
    return SendError(
        res, Status::InvalidArgument("q is not valid UTF-8; percent-encode the "
                                     "UTF-8 bytes of the text"));
  }
  if (q.size() > kMaxQueryLength) {
    return SendError(
        res, Status::InvalidArgument(
                 "q must be at most " + std::to_string(kMaxQueryLength) +
                 " bytes long, got " + std::to_string(q.size())));
  }
  SearcherPool::Lease searcher = GetSearcher(res);
  if (!searcher) return;

  constexpr std::string_view kRelatedSuffix = "/related";
  if (id.size() > kRelatedSuffix.size() && id.ends_with(kRelatedSuffix)) {
    int limit = kDefaultRelated;
    Status s = api::ParseIntParam("limit", limit_text, 1, kMaxRelated, &limit);
    if (!s.ok()) return SendError(res, s);
    const std::string base = id.substr(0, id.size() - kRelatedSuffix.size());
    Result<std::vector<Hit>> related =
        Retry([&] { return searcher->Related(base, limit); });
    if (related.ok()) {
      nlohmann::json hits = nlohmann::json::array();
      for (const Hit& hit : *related) hits.push_back(api::HitToJson(hit));
      return SendJson(res, 200, {{"id", base}, {"hits", std::move(hits)}});
    }
    if (related.status().code() != Status::Code::kNotFound) {
      return SendError(res, related.status());
    }
    // An article whose own id ends in "/related" is served below.
    Result<ArticleView> view =
        Retry([&] { return searcher->GetArticle(id, q); });
    if (!view.ok()) return SendError(res, related.status());
    return SendJson(res, 200, api::ArticleViewToJson(*view));
  }

  Result<ArticleView> view = Retry([&] { return searcher->GetArticle(id, q); });
  if (!view.ok()) return SendError(res, view.status());
  SendJson(res, 200, api::ArticleViewToJson(*view));
}

void Server::Impl::HandleFacet(const httplib::Request& req,
                               httplib::Response& res) {
  const std::string name = req.matches[1];
  bool known = false;
  std::string names;
  for (const schema::FacetDef& facet : schema::kFacets) {
    if (facet.name == name) known = true;
    if (!names.empty()) names += ", ";
    names += facet.name;
  }
  if (!known) {
    return SendError(
        res, Status::NotFound("unknown facet " + api::QuoteForMessage(name) +
                              "; facets are " + names));
  }
  Status error;
  const std::string prefix = api::SingleParam(req.params, "prefix", &error);
  const std::string limit_text = api::SingleParam(req.params, "limit", &error);
  if (!error.ok()) return SendError(res, error);
  if (!api::IsValidUtf8(prefix)) {
    return SendError(res, Status::InvalidArgument(
                              "prefix is not valid UTF-8; percent-encode the "
                              "UTF-8 bytes of the text"));
  }
  if (prefix.size() > api::kMaxFacetValueLength) {
    return SendError(
        res, Status::InvalidArgument("prefix must be at most " +
                                     std::to_string(api::kMaxFacetValueLength) +
                                     " bytes long, got " +
                                     std::to_string(prefix.size())));
  }
  int limit = kDefaultFacetValues;
  Status s =
      api::ParseIntParam("limit", limit_text, 1, kMaxFacetValues, &limit);
  if (!s.ok()) return SendError(res, s);

  // With any of the search's parameters, the values are counted over that
  // search, as its page counts them (the search box's filter box asks so).
  bool scoped = false;
  for (const char* key : {"q", "op", "from", "to", "author", "region", "theme",
                          "source", "year"}) {
    scoped = scoped || req.params.count(key) > 0;
  }
  Result<SearchRequest> scope = SearchRequest();
  if (scoped) {
    scope = api::ParseSearchParams(req.params);
    if (!scope.ok()) return SendError(res, scope.status());
  }

  SearcherPool::Lease searcher = GetSearcher(res);
  if (!searcher) return;
  Result<std::vector<FacetValue>> values = Retry([&] {
    return scoped ? searcher->FacetValues(name, prefix, limit, *scope)
                  : searcher->FacetValues(name, prefix, limit);
  });
  if (!values.ok()) return SendError(res, values.status());
  nlohmann::json list = nlohmann::json::array();
  for (const FacetValue& v : *values) {
    nlohmann::json value = {{"value", v.value}, {"count", v.count}};
    if (scoped) value["selected"] = v.selected;
    list.push_back(std::move(value));
  }
  SendJson(res, 200,
           {{"facet", name}, {"prefix", prefix}, {"values", std::move(list)}});
}

void Server::Impl::HandleStats(const httplib::Request&,
                               httplib::Response& res) {
  SearcherPool::Lease searcher = GetSearcher(res);
  if (!searcher) return;
  Result<IndexStats> stats = Retry([&] { return searcher->Stats(); });
  if (!stats.ok()) return SendError(res, stats.status());
  SendJson(res, 200, api::StatsToJson(*stats));
}

void Server::Impl::HandleTerms(const httplib::Request& req,
                               httplib::Response& res) {
  Result<SearchRequest> request = api::ParseSearchParams(req.params);
  if (!request.ok()) return SendError(res, request.status());
  Status error;
  const std::string limit_text = api::SingleParam(req.params, "limit", &error);
  if (!error.ok()) return SendError(res, error);
  int limit = kDefaultTerms;
  Status s = api::ParseIntParam("limit", limit_text, 1, kMaxTermsLimit, &limit);
  if (!s.ok()) return SendError(res, s);
  SearcherPool::Lease searcher = GetSearcher(res);
  if (!searcher) return;
  Result<std::vector<SignificantTerm>> terms =
      Retry([&] { return searcher->SignificantTerms(*request, limit); });
  if (!terms.ok()) return SendError(res, terms.status());
  SendJson(res, 200, api::TermsToJson(*terms));
}

// Errors are JSON, as the API's: a feed reader shows the status.
void Server::Impl::HandleFeed(const httplib::Request& req,
                              httplib::Response& res) {
  Result<SearchRequest> request = api::ParseSearchParams(req.params);
  if (!request.ok()) return SendError(res, request.status());
  SearcherPool::Lease searcher = GetSearcher(res);
  if (!searcher) return;
  const SearchRequest feed = FeedRequest(*request);
  Result<SearchResponse> response =
      Retry([&] { return searcher->Search(feed); });
  if (!response.ok()) return SendError(res, response.status());
  Result<IndexStats> stats = Retry([&] { return searcher->Stats(); });
  std::string indexed = stats.ok() ? stats->last_indexed : "";
  if (indexed.empty()) indexed = "1970-01-01T00:00:00Z";
  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  res.set_content(RenderAtomFeed(feed, *response, options.public_url, indexed),
                  "application/atom+xml; charset=utf-8");
}

void Server::Impl::HandleHealth(const httplib::Request&,
                                httplib::Response& res) {
  Result<SearcherPool::Lease> searcher = pool.Acquire();
  Status status;
  if (searcher.ok()) {
    Result<IndexStats> stats = Retry([&] { return (*searcher)->Stats(); });
    if (stats.ok()) {
      return SendJson(res, 200,
                      {{"status", "ok"}, {"articles", stats->articles}});
    }
    status = stats.status();
  } else {
    status = searcher.status();
  }
  nlohmann::json body = api::ErrorToJson(status);
  body["status"] = "unavailable";
  SendJson(res, 503, body);
}

void Server::Impl::HandleMetrics(const httplib::Request& req,
                                 httplib::Response& res, bool dedicated) {
  if (!options.metrics || (!dedicated && !options.metrics_addr.empty())) {
    return SendError(res, StatusForHttpError(404, req));
  }
  if (!dedicated && !IsLoopback(req.remote_addr)) {
    return SendJson(
        res, 403,
        {{"error",
          {{"code", "forbidden"},
           {"message",
            "/metrics is served to this machine only; start the server "
            "with --metrics-addr HOST:PORT to scrape it from elsewhere"}}}});
  }
  res.set_header("Cache-Control", "no-store");
  res.set_content(RenderMetrics(http_metrics, stage_metrics, ReadIndexGauges(),
                                ReadProcessStats()),
                  kMetricsContentType);
}

void Server::Impl::CountRouted(const httplib::Request& req,
                               const httplib::Response& res) {
  // A CORS preflight is answered for any /api path, before routing.
  Count(req.method == "OPTIONS" ? "other" : RouteLabel(req.path, res.status),
        res.status, ElapsedMs());
}

void Server::Impl::Log(const httplib::Request& req,
                       const httplib::Response& res) {
  double ms = ElapsedMs();
  t_request_timed = false;
  if (!options.access_log) return;
  AccessEntry entry;
  entry.remote_addr = req.remote_addr;
  entry.method = req.method;
  entry.target = req.target;
  entry.version = req.version;
  entry.status = res.status;
  entry.bytes = static_cast<long long>(res.body.size());
  const std::string& referer = req.get_header_value("Referer");
  const std::string& agent = req.get_header_value("User-Agent");
  entry.referer = referer;
  entry.user_agent = agent;
  entry.duration_ms = ms;
  log.Write(entry);
}

void Server::Impl::RegisterMetricsRoutes() {
  metrics_http.set_pre_routing_handler(
      [](const httplib::Request&, httplib::Response&) {
        t_request_start = std::chrono::steady_clock::now();
        t_request_timed = true;
        return httplib::Server::HandlerResponse::Unhandled;
      });
  metrics_http.Get("/metrics",
                   [this](const httplib::Request& req, httplib::Response& res) {
                     HandleMetrics(req, res, true);
                   });
  metrics_http.set_post_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) {
        CountRouted(req, res);
      });
  metrics_http.set_logger(
      [this](const httplib::Request& req, const httplib::Response& res) {
        Log(req, res);
      });
}

void Server::Impl::RegisterRoutes() {
  // Only the Keep-Alive header httplib writes reads these: HttpGuard keeps
  // the connections.
  http.set_keep_alive_timeout(std::chrono::duration_cast<std::chrono::seconds>(
                                  options.limits.idle_timeout)
                                  .count());
  http.set_keep_alive_max_count(options.limits.max_requests_per_connection);
  http.set_payload_max_length(options.limits.max_body);

  httplib::Headers defaults;
  for (const auto& header : SecurityHeaders()) defaults.insert(header);
  http.set_default_headers(std::move(defaults));

  // HttpGuard answers every method but GET, HEAD and (with CORS, on the API)
  // OPTIONS itself, with a 405 or 501.
  http.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) {
        t_request_start = std::chrono::steady_clock::now();
        t_request_timed = true;
        if (req.method == "OPTIONS") {
          res.status = 204;
          AddApiHeaders(res);
          res.set_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
          res.set_header("Access-Control-Allow-Headers", "Content-Type");
          res.set_header("Access-Control-Max-Age", "600");
          return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
      });
  // A response httplib may compress differs by Accept-Encoding.
  http.set_post_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) {
        if (MayBeCompressed(res.get_header_value("Content-Type"))) {
          AddVary(res, "Accept-Encoding");
        }
        CountRouted(req, res);
      });

  using httplib::Request;
  using httplib::Response;
  http.Get("/healthz", [this](const Request& req, Response& res) {
    HandleHealth(req, res);
  });
  http.Get("/api/search", [this](const Request& req, Response& res) {
    HandleSearch(req, res);
  });
  http.Get("/metrics", [this](const Request& req, Response& res) {
    HandleMetrics(req, res, false);
  });
  http.Get("/api/export", [this](const Request& req, Response& res) {
    HandleExport(req, res);
  });
  http.Get("/api/attention", [this](const Request& req, Response& res) {
    HandleAttention(req, res);
  });
  http.Get("/api/stats", [this](const Request& req, Response& res) {
    HandleStats(req, res);
  });
  http.Get(R"(/api/articles/(.+))", [this](const Request& req, Response& res) {
    HandleArticle(req, res);
  });
  http.Get(R"(/api/facets/([^/]+))", [this](const Request& req, Response& res) {
    HandleFacet(req, res);
  });
  http.Get("/api/terms", [this](const Request& req, Response& res) {
    HandleTerms(req, res);
  });
  http.Get("/feed.atom",
           [this](const Request& req, Response& res) { HandleFeed(req, res); });
  // Every other /api path is a JSON 404, whatever the pages register.
  http.Get(R"(/api(/.*)?)", [this](const Request& req, Response& res) {
    SendError(res, StatusForHttpError(404, req));
  });

  // httplib calls this for every status >= 400 before writing; a response a
  // route already filled (a JSON error, an HTML error page) is left alone.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const Request& req, Response& res) {
        if (!res.body.empty())
          return httplib::Server::HandlerResponse::Unhandled;
        int status = res.status;
        SendJson(res, status,
                 api::ErrorToJson(StatusForHttpError(status, req)));
        return httplib::Server::HandlerResponse::Handled;
      }));

  http.set_exception_handler([this](const Request& req, Response& res,
                                    const std::exception_ptr& ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::string line = "pundit: error: " + Printable(req.method) + " " +
                       Printable(req.path) + ": " + Printable(what) + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
    res.body.clear();
    SendJson(res, 500, api::ErrorToJson(Status::Internal("internal error")));
  });

  if (options.access_log || options.metrics) {
    http.set_logger(
        [this](const Request& req, const Response& res) { Log(req, res); });
  }
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options) {
  if (options.db_dir.empty()) {
    return Status::InvalidArgument(
        "no database folder given: pass --db DIR (a folder made by `pundit "
        "index`)");
  }
  if (options.host.empty()) {
    return Status::InvalidArgument(
        "empty --host: give an address such as 127.0.0.1");
  }
  if (options.port < 0 || options.port > 65535) {
    return Status::InvalidArgument("--port must be between 0 and 65535, got " +
                                   std::to_string(options.port));
  }
  if (options.threads < 0 || options.threads > kMaxThreads) {
    return Status::InvalidArgument("--threads must be between 0 and " +
                                   std::to_string(kMaxThreads) + ", got " +
                                   std::to_string(options.threads));
  }
  if (options.searchers < 0 || options.searchers > kMaxThreads) {
    return Status::InvalidArgument("--searchers must be between 0 and " +
                                   std::to_string(kMaxThreads) + ", got " +
                                   std::to_string(options.searchers));
  }
  ServerOptions resolved = options;
  Result<std::string> public_url = NormalizePublicUrl(options.public_url);
  if (!public_url.ok()) return public_url.status();
  resolved.public_url = *public_url;
  if (resolved.web_dir.empty()) resolved.web_dir = DefaultWebDir();
  std::error_code ec;
  if (!std::filesystem::is_directory(resolved.web_dir, ec)) {
    return Status::InvalidArgument(
        "web folder " + resolved.web_dir +
        " does not exist: it must hold templates/ and static/ (the source "
        "tree's web/ folder)");
  }

  // Refuse to start without a readable index, with the store's message
  // (which names the command that makes one).
  Result<std::unique_ptr<Searcher>> probe =
      Searcher::Open(SearcherOptionsOf(resolved));
  if (!probe.ok()) return probe.status();

  std::string metrics_host;
  int metrics_port = -1;
  if (!resolved.metrics_addr.empty()) {
    Status s =
        SplitHostPort(resolved.metrics_addr, &metrics_host, &metrics_port);
    if (!s.ok()) return s;
  }

  auto impl = std::make_unique<Impl>(std::move(resolved));
  if (impl->options.access_log && !impl->options.access_log_file.empty()) {
    Status s = impl->log.Open(impl->options.access_log_file,
                              impl->options.access_log_format);
    if (!s.ok()) return s;
  }
  impl->RegisterRoutes();
  if (!RegisterPageRoutes(
          impl->http, impl->pool, impl->options.web_dir,
          impl->options.public_url,
          impl->options.metrics ? &impl->stage_metrics : nullptr)) {
    return Status::InvalidArgument("cannot load the page templates from " +
                                   impl->options.web_dir +
                                   "/templates (see the message above)");
  }
  HttpLimits limits = impl->options.limits;
  limits.workers =
      impl->options.threads > 0
          ? static_cast<size_t>(impl->options.threads)
          // Workers answer complete requests only (slow clients wait in
          // HttpGuard's event loop), but one may wait up to 30 s for a
          // Searcher while pages and /healthz need none.
          : std::max<size_t>(64, 8 * std::thread::hardware_concurrency());
  Impl* raw = impl.get();
  impl->guard = std::make_unique<HttpGuard>(
      limits, HttpGuard::Callbacks{
                  [raw](httplib::Stream& stream, bool close_connection,
                        bool& connection_closed) {
                    return raw->http.process_request(
                        stream, close_connection, connection_closed, nullptr);
                  },
                  [raw](const EarlyError& error) {
                    return raw->RenderEarlyError(error);
                  },
                  [raw](std::string_view target) {
                    return raw->AllowedMethods(target);
                  }});
  if (metrics_port >= 0 && impl->options.metrics) {
    impl->metrics_host = metrics_host;
    impl->metrics_port = metrics_port;
    impl->RegisterMetricsRoutes();
    HttpLimits metrics_limits = impl->options.limits;
    metrics_limits.workers = 2;
    metrics_limits.max_connections = 64;
    impl->metrics_guard = std::make_unique<HttpGuard>(
        metrics_limits,
        HttpGuard::Callbacks{
            [raw](httplib::Stream& stream, bool close_connection,
                  bool& connection_closed) {
              return raw->metrics_http.process_request(
                  stream, close_connection, connection_closed, nullptr);
            },
            [raw](const EarlyError& error) {
              return raw->RenderEarlyError(error);
            },
            [](std::string_view) { return std::string("GET, HEAD"); }});
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Result<int> Server::Bind() {
  Impl& impl = *impl_;
  if (impl.metrics_guard) {
    Result<int> metrics_port =
        impl.metrics_guard->Bind(impl.metrics_host, impl.metrics_port);
    if (!metrics_port.ok()) {
      return Status::IoError("--metrics-addr: " +
                             metrics_port.status().message());
    }
    impl.metrics_port = *metrics_port;
  }
  Result<int> port = impl.guard->Bind(impl.options.host, impl.options.port);
  if (port.ok()) impl.port = *port;
  return port;
}

std::string Server::MetricsUrl() const {
  if (!impl_->metrics_guard) return "";
  std::string host = impl_->metrics_host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(impl_->metrics_port) +
         "/metrics";
}

Status Server::Listen() {
  Impl& impl = *impl_;
  if (impl.port < 0) {
    return Status::Internal("Server::Listen called before a successful Bind");
  }
  std::thread metrics;
  if (impl.metrics_guard) {
    metrics = std::thread([&impl] {
      Status s = impl.metrics_guard->Run();
      if (!s.ok()) {
        std::fprintf(stderr, "pundit: error: metrics listener: %s\n",
                     s.message().c_str());
      }
    });
  }
  impl.http.MarkServing(true);
  Status status = impl.guard->Run();
  impl.http.MarkServing(false);
  if (impl.metrics_guard) {
    impl.metrics_guard->Stop();
    metrics.join();
  }
  return status;
}

void Server::Stop() {
  impl_->http.MarkServing(false);
  impl_->guard->Stop();
  if (impl_->metrics_guard) impl_->metrics_guard->Stop();
}

Status Server::ReopenLog() { return impl_->log.Reopen(); }

Status Serve(const ServerOptions& options) {
  // Block SIGINT and SIGTERM in this thread before any other thread exists,
  // so every thread inherits the mask and only the waiter below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &signals, &previous);
  auto restore = [&] { pthread_sigmask(SIG_SETMASK, &previous, nullptr); };

  Result<std::unique_ptr<Server>> server = Server::Create(options);
  if (!server.ok()) {
    restore();
    return server.status();
  }
  Result<int> port = (*server)->Bind();
  if (!port.ok()) {
    restore();
    return port.status();
  }

  std::atomic<bool> listening_ended{false};
  std::thread waiter([&] {
    int signal_number = 0;
    while (sigwait(&signals, &signal_number) == 0 && signal_number == SIGHUP) {
      if (listening_ended) return;
      Status reopened = (*server)->ReopenLog();
      if (!reopened.ok()) {
        std::fprintf(stderr, "pundit: error: %s\n", reopened.message().c_str());
      }
    }
    if (!listening_ended) {
      std::fprintf(stderr,
                   "pundit: %s received, finishing the requests being "
                   "answered\n",
                   signal_number == SIGINT ? "SIGINT" : "SIGTERM");
      (*server)->Stop();
    }
  });

  std::string host = options.host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  const std::string metrics_url = (*server)->MetricsUrl();
  if (!metrics_url.empty()) {
    std::fprintf(stderr, "pundit: metrics on %s\n", metrics_url.c_str());
  }
  std::fprintf(stderr, "pundit: serving %s on http://%s:%d/\n",
               options.db_dir.c_str(), host.c_str(), *port);
  Status status = (*server)->Listen();
  listening_ended = true;
  // Wakes the waiter if no signal came (a SIGTERM aimed at that thread only):
  // the waiter blocks in sigwait for SIGTERM, so this wakes it and does not
  // kill it.
  // NOLINTNEXTLINE(bugprone-bad-signal-to-kill-thread)
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  server->reset();
  restore();
  return status;
}

}  // namespace pundit
