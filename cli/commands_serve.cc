// `pundit serve`: the search page and the JSON API over HTTP (web/server.h).
#include <memory>

#include "cli/commands.h"
#include "web/server.h"

namespace pundit::cli {
namespace {

struct ServeArgs {
  ServerOptions options;
  bool quiet = false;
  bool no_metrics = false;
  std::string access_log_format = "combined";
};

int RunServeCommand(const ServeArgs& args) {
  ServerOptions options = args.options;
  options.access_log = !args.quiet;
  options.metrics = !args.no_metrics;
  Result<AccessLogFormat> format = ParseAccessLogFormat(args.access_log_format);
  if (!format.ok()) return PrintError(format.status());
  options.access_log_format = *format;
  Status status = Serve(options);
  if (!status.ok()) return PrintError(status);
  return kExitOk;
}

}  // namespace

CommandRun DefineServe(CLI::App& command, const CommandContext& context) {
  auto args = std::make_shared<ServeArgs>();
  ServerOptions& options = args->options;
  options.db_dir = context.default_db;
  command.add_option("--db", options.db_dir, context.db_help);
  AddShardTimeoutOption(command, &options.shard_timeout_ms);
  command
      .add_option("--shard-refresh", options.shard_refresh_ms,
                  "with a stub file of shard servers as --db: a shard's new "
                  "commits are seen within MS milliseconds (default 1000; 0 = "
                  "ask every shard before each request); a swapped "
                  "generation, a restart or a failure at once")
      ->check(CLI::Range(0, 3600000))
      ->type_name("MS");
  command.add_option("--host", options.host,
                     "address to bind (default 127.0.0.1: this machine only)");
  command
      .add_option("--port", options.port,
                  "port (default 8080; 0 = any free port)")
      ->check(CLI::Range(0, 65535));
  command
      .add_option("--threads", options.threads,
                  "worker threads answering complete requests (default: 8 x "
                  "cores, at least 64)")
      ->check(CLI::Range(0, 1024));
  command
      .add_option("--searchers", options.searchers,
                  "searches run at once, the others wait their turn "
                  "(default: 2 x cores)")
      ->check(CLI::Range(0, 1024));
  command
      .add_option("--match-threads", options.match_threads,
                  "threads one big search may use, each reading a share of "
                  "the index (default: one per core, at most 4; 1 = one)")
      ->check(CLI::Range(0, 4));
  command.add_option(
      "--web-dir", options.web_dir,
      "folder with templates/ and static/ (default: share/pundit beside the "
      "binary's folder when installed, else the source tree's web/)");
  command.add_option(
      "--cors-origin", options.cors_origin,
      "allow this origin to call the API from a browser (default: CORS off)");
  command.add_option(
      "--public-url", options.public_url,
      "absolute http(s) URL the server is reached at, for the links of "
      "/feed.atom and /opensearch.xml (default: relative links)");
  command.add_flag("--quiet", args->quiet, "no access log");
  command.add_option("--access-log", options.access_log_file,
                     "write the access log to FILE (appended; reopened on "
                     "SIGHUP) instead of stderr");
  command
      .add_option("--access-log-format", args->access_log_format,
                  "format of the --access-log file: combined (default, as "
                  "Apache and nginx) or json (one object a line)")
      ->check(CLI::IsMember({"combined", "json"}));
  command.add_option(
      "--metrics-addr", options.metrics_addr,
      "serve Prometheus /metrics on HOST:PORT, to any client that reaches it "
      "(default: on the main port, to this machine only)");
  command.add_flag("--no-metrics", args->no_metrics,
                   "neither count requests nor serve /metrics");
  return [args] { return RunServeCommand(*args); };
}

}  // namespace pundit::cli
