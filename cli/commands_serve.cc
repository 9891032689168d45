// `pundit serve`: the search page and the JSON API over HTTP (web/server.h).
#include <memory>

#include "cli/commands.h"
#include "web/server.h"

namespace pundit::cli {
namespace {

struct ServeArgs {
  ServerOptions options;
  bool quiet = false;
};

int RunServeCommand(ServerOptions options, bool quiet) {
  options.access_log = !quiet;
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
      "folder with templates/ and static/ (default: the built-in web/ folder)");
  command.add_option(
      "--cors-origin", options.cors_origin,
      "allow this origin to call the API from a browser (default: CORS off)");
  command.add_flag("--quiet", args->quiet, "no access log");
  return [args] { return RunServeCommand(args->options, args->quiet); };
}

}  // namespace pundit::cli
