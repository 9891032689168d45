// The HTTP front end: `pundit serve`. Serves the JSON API (docs/API.md), the
// server-rendered search and article pages (web/templates) and static files
// (web/static). Never includes <xapian.h>; talks to the index only through
// searcher/searcher.h.
//
// Threads: HttpGuard (web/http_guard.h) keeps the connections on one
// event-loop thread and reads every request under its limits; complete
// requests go to `threads` workers, which route them with cpp-httplib and
// write the responses. A handler borrows a Searcher from a bounded pool
// (web/searcher_pool.h), so at most `searchers` searches run at once and the
// others wait their turn. Nothing served here writes to the index.
#ifndef PUNDIT_WEB_SERVER_H_
#define PUNDIT_WEB_SERVER_H_

#include <memory>
#include <string>

#include "core/status.h"
#include "web/access_log.h"
#include "web/http_guard.h"

namespace pundit {

struct ServerOptions {
  std::string db_dir;              // pundit database folder
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  int port = 8080;                 // 0 = any free port (tests)
  int threads = 0;                 // worker threads answering complete
                                   // requests; 0 = 8 x cores, at least 64
  int searchers = 0;               // searches run at once; 0 = 2 x cores
  int shard_timeout_ms = 4000;     // SearcherOptions::shard_timeout_ms
  int shard_refresh_ms = 1000;     // SearcherOptions::shard_refresh_ms
  int match_threads = 0;           // threads one search may use (see
                                   // SearcherOptions); 0 = one per core
  std::string web_dir;             // folder holding templates/ and static/;
                                   // "" = BIN/../share/pundit when there,
                                   // else the source tree's web/ folder
  std::string cors_origin;         // "" = no CORS headers (the default)
  std::string public_url;          // absolute http(s) URL the server is
                                   // reached at, for the links of the feed
                                   // and OpenSearch (web/feed.h); "" =
                                   // relative links
  bool access_log = true;          // one line per request on stderr, or
                                   // in access_log_file when it is set
  std::string access_log_file;     // "" = stderr; reopened by ReopenLog()
  AccessLogFormat access_log_format =
      AccessLogFormat::kCombined;  // of
                                   // the file (stderr: the short format)
  bool metrics = true;             // count requests, serve /metrics
  std::string metrics_addr;        // "" = /metrics on the main port, to
                                   // loopback clients only; "HOST:PORT" =
                                   // only there, to any client
  HttpLimits limits;               // request and connection limits; its
                                   // `workers` is set from `threads`
};

class Server {
 public:
  // kNotFound when there is no index at options.db_dir (with the command that
  // makes one), kInvalidArgument for bad options (a metrics_addr that is not
  // HOST:PORT, a public_url that NormalizePublicUrl refuses) or a missing
  // web_dir, kIoError when access_log_file cannot be
  // opened. An empty web_dir means share/pundit beside the executable's
  // folder (an installed pundit), else the source tree's web/.
  static Result<std::unique_ptr<Server>> Create(const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds metrics_addr when set (errors prefixed "--metrics-addr: "), then
  // host:port (port 0 picks a free one) with SO_REUSEADDR only, never
  // SO_REUSEPORT: a port another server listens on is refused rather than
  // shared. kIoError "cannot listen on HOST:PORT: address in use; stop the
  // server using it or choose another --port" then, or "cannot listen on
  // HOST:PORT: <system reason>; choose another --port or --host" when the
  // address cannot be bound. Returns the bound port.
  Result<int> Bind();
  // Serves until Stop() is called (from any thread or a signal handler
  // thread), then returns once the requests being answered are finished.
  // Bind() first; kInternal otherwise.
  Status Listen();
  // Thread-safe, also before Listen() (which then returns at once); makes
  // Listen() return after in-flight requests finish.
  void Stop();
  // After Bind(): "http://HOST:PORT/metrics" of the --metrics-addr
  // listener, or "" when /metrics is served on the main port (or not at all).
  std::string MetricsUrl() const;
  // Reopens access_log_file (after logrotate moved it). Thread-safe. The
  // AccessLog::Reopen error when it cannot be opened; the old file stays in
  // use then.
  Status ReopenLog();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Create + Bind + Listen, stopping cleanly on SIGINT or SIGTERM (requests
// being answered are finished first) and reopening the access log file on
// SIGHUP. Prints "pundit: serving DIR on http://HOST:PORT/" on stderr once
// listening, and "pundit: metrics on http://HOST:PORT/metrics" when
// metrics_addr is set.
Status Serve(const ServerOptions& options);

}  // namespace pundit

#endif  // PUNDIT_WEB_SERVER_H_
