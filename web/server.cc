#include "web/server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>

#include "core/schema.h"
#include "searcher/results_json.h"
#include "web/api.h"
#include "web/api_util.h"
#include "web/pages.h"
#include "web/searcher_pool.h"

// Request-size limits. The packaged cpp-httplib is a compiled library whose
// request-line (CPPHTTPLIB_REQUEST_URI_MAX_LENGTH, answered with 414) and
// header-line (CPPHTTPLIB_HEADER_MAX_LENGTH) limits are fixed at 8192 bytes
// when it is built; defining the macros here would not change them. The
// limits set at run time are below (payload, timeouts, keep-alive).

namespace pundit {
namespace {

constexpr size_t kMaxPayloadBytes = 64 * 1024;
constexpr time_t kReadTimeoutSeconds = 5;
constexpr time_t kWriteTimeoutSeconds = 5;
constexpr time_t kKeepAliveTimeoutSeconds = 5;
constexpr size_t kKeepAliveMaxRequests = 100;
constexpr int kMaxThreads = 1024;
// Connections the kernel queues before pundit accepts them.
constexpr int kListenBacklog = 1024;

constexpr int kDefaultFacetValues = 20;
constexpr int kMaxFacetValues = kMaxFacetLimit;
constexpr int kDefaultRelated = 5;
constexpr int kMaxRelated = 50;

constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'";
constexpr char kJsonType[] = "application/json; charset=utf-8";

bool IsApiPath(const std::string& path) {
  return path == "/api" || path.starts_with("/api/") || path == "/healthz";
}

// Replaces bytes that could upset a terminal (controls, DEL) with '?', and
// cuts very long text, for the access log and error lines.
std::string Printable(std::string_view text) {
  constexpr size_t kMax = 2048;
  std::string out;
  out.reserve(std::min(text.size(), kMax));
  for (char c : text.substr(0, kMax)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7F) ? '?' : c;
  }
  if (text.size() > kMax) out += "...";
  return out;
}

// Start of the request being handled by this worker thread (httplib runs the
// pre-routing handler, the route and the logger of one request on one
// thread).
thread_local std::chrono::steady_clock::time_point t_request_start;
thread_local bool t_request_timed = false;

const char* ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 416:
      return "Range Not Satisfiable";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
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
    case 413:
      return Status::InvalidArgument("request body larger than " +
                                     std::to_string(kMaxPayloadBytes) +
                                     " bytes; the API only serves GET");
    case 414:
      return Status::InvalidArgument(
          "request line longer than 8192 bytes; shorten the query");
    case 500:
      return Status::Internal("internal error");
    default:
      if (status >= 500) return Status::Internal("internal error");
      return Status::InvalidArgument(std::string("bad request: ") +
                                     ReasonPhrase(status));
  }
}

SearcherOptions SearcherOptionsOf(const ServerOptions& options) {
  SearcherOptions o{options.db_dir};
  o.shard_timeout_ms = options.shard_timeout_ms;
  o.match_threads = static_cast<unsigned>(std::max(0, options.match_threads));
  return o;
}

}  // namespace

struct Server::Impl {
  explicit Impl(ServerOptions o)
      : options(std::move(o)),
        pool(SearcherOptionsOf(options),
             static_cast<size_t>(std::max(0, options.searchers))) {}

  void AddApiHeaders(httplib::Response& res) const {
    res.set_header("Cache-Control", "no-store");
    if (!options.cors_origin.empty()) {
      res.set_header("Access-Control-Allow-Origin", options.cors_origin);
      res.set_header("Vary", "Origin");
    }
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

  void SendMethodNotAllowed(const httplib::Request& req,
                            httplib::Response& res) const {
    res.set_header("Allow", "GET, HEAD");
    SendJson(res, 405,
             {{"error",
               {{"code", "method_not_allowed"},
                {"message", "method " + Printable(req.method) +
                                " is not allowed on " + Printable(req.path) +
                                "; the API is read-only: use GET"}}}});
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
  void HandleArticle(const httplib::Request& req, httplib::Response& res);
  void HandleFacet(const httplib::Request& req, httplib::Response& res);
  void HandleStats(const httplib::Request& req, httplib::Response& res);
  void HandleHealth(const httplib::Request& req, httplib::Response& res);
  void RegisterRoutes();

  ServerOptions options;
  SearcherPool pool;
  httplib::Server http;
  int port = -1;

  // Coordinates Stop() with a Listen() that may not have started yet.
  std::mutex mu;
  bool stop_requested = false;  // guarded by mu
  bool listen_started = false;  // guarded by mu
  std::atomic<bool> listen_done{false};
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
  SendJson(res, 200, api::SearchResponseToJson(*response));
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

void Server::Impl::RegisterRoutes() {
  http.set_tcp_nodelay(true);
  // Only SO_REUSEADDR (a restart binds at once over TIME_WAIT connections).
  // cpp-httplib's default also sets SO_REUSEPORT, with which a second server
  // binds a port already in use and the kernel splits the connections
  // between the two.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  http.set_payload_max_length(kMaxPayloadBytes);
  http.set_read_timeout(kReadTimeoutSeconds, 0);
  http.set_write_timeout(kWriteTimeoutSeconds, 0);
  http.set_keep_alive_timeout(kKeepAliveTimeoutSeconds);
  http.set_keep_alive_max_count(kKeepAliveMaxRequests);

  const size_t threads =
      options.threads > 0
          ? static_cast<size_t>(options.threads)
          // cpp-httplib ties a keep-alive connection to one worker, so the
          // default must cover many concurrent clients, not just the cores;
          // a worker's Searcher is created on its first request only.
          : std::max<size_t>(64, 8 * std::thread::hardware_concurrency());
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

  http.set_default_headers({
      {"Content-Security-Policy", kContentSecurityPolicy},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
  });

  http.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) {
        t_request_start = std::chrono::steady_clock::now();
        t_request_timed = true;
        if (!IsApiPath(req.path))
          return httplib::Server::HandlerResponse::Unhandled;
        if (req.method == "GET" || req.method == "HEAD") {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        if (req.method == "OPTIONS" && !options.cors_origin.empty()) {
          res.status = 204;
          AddApiHeaders(res);
          res.set_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
          res.set_header("Access-Control-Allow-Headers", "Content-Type");
          res.set_header("Access-Control-Max-Age", "600");
          return httplib::Server::HandlerResponse::Handled;
        }
        if (req.method == "POST" || req.method == "PUT" ||
            req.method == "PATCH" || req.method == "DELETE") {
          // Answered by the routes below, once httplib has read the body
          // (left unread, it would be taken for the next request).
          return httplib::Server::HandlerResponse::Unhandled;
        }
        SendMethodNotAllowed(req, res);
        return httplib::Server::HandlerResponse::Handled;
      });

  using httplib::Request;
  using httplib::Response;
  http.Get("/healthz", [this](const Request& req, Response& res) {
    HandleHealth(req, res);
  });
  http.Get("/api/search", [this](const Request& req, Response& res) {
    HandleSearch(req, res);
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
  const std::string api_paths = R"(/api(/.*)?|/healthz)";
  auto not_allowed = [this](const Request& req, Response& res) {
    SendMethodNotAllowed(req, res);
  };
  http.Post(api_paths, not_allowed);
  http.Put(api_paths, not_allowed);
  http.Patch(api_paths, not_allowed);
  http.Delete(api_paths, not_allowed);
  // Every other /api path is a JSON 404, whatever the pages register.
  http.Get(R"(/api(/.*)?)", [this](const Request& req, Response& res) {
    SendError(res, StatusForHttpError(404, req));
  });

  // httplib calls this for every status >= 400 before writing; a response a
  // route already filled is left alone.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const Request& req, Response& res) {
        if (!res.body.empty())
          return httplib::Server::HandlerResponse::Unhandled;
        if (IsApiPath(req.path)) {
          int status = res.status;
          SendJson(res, status,
                   api::ErrorToJson(StatusForHttpError(status, req)));
        } else {
          res.set_content(std::to_string(res.status) + " " +
                              ReasonPhrase(res.status) + "\n",
                          "text/plain; charset=utf-8");
        }
        return httplib::Server::HandlerResponse::Handled;
      }));

  http.set_exception_handler([this](const Request& req, Response& res,
                                    std::exception_ptr ep) {
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

  if (options.access_log) {
    http.set_logger([](const Request& req, const Response& res) {
      std::string duration = "-";
      if (t_request_timed) {
        double ms = std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - t_request_start)
                        .count();
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", ms);
        duration = buf;
        t_request_timed = false;
      }
      std::string line =
          (req.remote_addr.empty() ? "-" : req.remote_addr) + " " +
          (req.method.empty() ? "-" : Printable(req.method)) + " " +
          (req.target.empty() ? "-" : Printable(req.target)) + " " +
          std::to_string(res.status) + " " + duration + " ms\n";
      std::fwrite(line.data(), 1, line.size(), stderr);
    });
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
  if (resolved.web_dir.empty()) resolved.web_dir = PUNDIT_WEB_DIR;
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

  auto impl = std::make_unique<Impl>(std::move(resolved));
  impl->RegisterRoutes();
  if (!RegisterPageRoutes(impl->http, impl->pool, impl->options.web_dir)) {
    return Status::InvalidArgument("cannot load the page templates from " +
                                   impl->options.web_dir +
                                   "/templates (see the message above)");
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

namespace {

// cpp-httplib (Debian builds it as a shared library) listens with a backlog
// of 5: when many keep-alive clients reconnect at once the kernel drops
// their SYNs, and they retry after 1 s or 3 s (the 10 s load check saw a
// 2.5 s p99 and timeouts; TcpExtListenOverflows counted thousands). listen()
// on a listening socket only changes its backlog, so after the bind this
// finds the socket listening on `port` among the process's descriptors and
// raises it.
void RaiseListenBacklog(int port) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end;
       !ec && it != end; it.increment(ec)) {
    int fd = -1;
    try {
      fd = std::stoi(it->path().filename().string());
    } catch (...) {
      continue;
    }
    int listening = 0;
    socklen_t len = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 ||
        !listening) {
      continue;
    }
    sockaddr_storage addr{};
    socklen_t addr_len = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &addr_len) != 0) {
      continue;
    }
    int bound = -1;
    if (addr.ss_family == AF_INET) {
      bound = ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      bound = ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
    }
    if (bound == port) ::listen(fd, kListenBacklog);
  }
}

// Why binding host:port failed, found by trying it again the way httplib
// does: "address in use", or the system's reason.
std::string BindFailure(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  int gai = getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (gai != 0) return std::string("unknown host: ") + gai_strerror(gai);
  int error = 0;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) {
      error = errno;
      continue;
    }
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    int bound = ::bind(fd, ai->ai_addr, ai->ai_addrlen);
    error = bound == 0 ? 0 : errno;
    ::close(fd);
    if (error == EADDRINUSE) break;
  }
  freeaddrinfo(found);
  if (error == EADDRINUSE) return "address in use";
  if (error == 0) return "the address could not be bound";
  return std::strerror(error);
}

}  // namespace

Result<int> Server::Bind() {
  Impl& impl = *impl_;
  const std::string& host = impl.options.host;
  int port = impl.options.port;
  if (port == 0) {
    port = impl.http.bind_to_any_port(host);
  } else if (!impl.http.bind_to_port(host, port)) {
    port = -1;
  }
  if (port < 0) {
    std::string reason = BindFailure(host, impl.options.port);
    std::string shown = host.find(':') == std::string::npos
                            ? host
                            : "[" + host + "]";  // an IPv6 address
    return Status::IoError(
        "cannot listen on " + shown + ":" + std::to_string(impl.options.port) +
        ": " + reason +
        (reason == "address in use"
             ? "; stop the server using it or choose another --port"
             : "; choose another --port or --host"));
  }
  RaiseListenBacklog(port);
  impl.port = port;
  return port;
}

Status Server::Listen() {
  Impl& impl = *impl_;
  if (impl.port < 0) {
    return Status::Internal("Server::Listen called before a successful Bind");
  }
  {
    std::lock_guard<std::mutex> lock(impl.mu);
    if (impl.stop_requested) return Status::Ok();
    impl.listen_started = true;
  }
  bool ok = impl.http.listen_after_bind();
  impl.listen_done = true;
  {
    std::lock_guard<std::mutex> lock(impl.mu);
    if (impl.stop_requested) return Status::Ok();
  }
  if (!ok) {
    return Status::IoError("the server on " + impl.options.host + ":" +
                           std::to_string(impl.port) + " stopped accepting");
  }
  return Status::Ok();
}

void Server::Stop() {
  Impl& impl = *impl_;
  bool started;
  {
    std::lock_guard<std::mutex> lock(impl.mu);
    impl.stop_requested = true;
    started = impl.listen_started;
  }
  if (started) {
    // Listen() is entering httplib's accept loop: wait until it runs so that
    // stop() reaches it.
    while (!impl.http.is_running() && !impl.listen_done) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  impl.http.stop();
}

Status Serve(const ServerOptions& options) {
  // Block SIGINT and SIGTERM in this thread before any other thread exists,
  // so every thread inherits the mask and only the waiter below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
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
    sigwait(&signals, &signal_number);
    if (!listening_ended) {
      std::fprintf(stderr, "pundit: %s received, stopping\n",
                   signal_number == SIGINT ? "SIGINT" : "SIGTERM");
      (*server)->Stop();
    }
  });

  std::string host = options.host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  std::fprintf(stderr, "pundit: serving %s on http://%s:%d/\n",
               options.db_dir.c_str(), host.c_str(), *port);
  Status status = (*server)->Listen();
  listening_ended = true;
  // Wakes the waiter if no signal came (a SIGTERM aimed at that thread only).
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  server->reset();
  restore();
  return status;
}

}  // namespace pundit
