// `pundit shard-serve`: one database folder served as a shard over Xapian's
// remote protocol (remote/shard_server.h); and the option that bounds how
// long the commands reading an index wait for a shard.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "remote/shard_server.h"
#include "searcher/index_handle.h"

namespace pundit::cli {
namespace {

int RunShardServe(const ShardServerOptions& options) {
  // Block SIGINT and SIGTERM before any thread starts, then wait for one.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  Result<std::unique_ptr<ShardServer>> server = ShardServer::Start(options);
  if (!server.ok()) return PrintError(server.status());
  std::printf("pundit: serving shard %s on %s:%d (Xapian remote protocol)\n",
              options.db_dir.c_str(), options.host.c_str(), (*server)->port());
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::fprintf(stderr, "pundit: %s: stopping\n",
               signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  (*server)->Stop();
  return kExitOk;
}

}  // namespace

void AddShardTimeoutOption(CLI::App& command, int* ms) {
  command
      .add_option("--shard-timeout", *ms,
                  "with a stub file of shards as --db: milliseconds a shard "
                  "server may take to connect or answer before the command "
                  "fails naming it (default " +
                      std::to_string(kDefaultShardTimeoutMs) + ")")
      ->check(CLI::Range(1, 600000))
      ->type_name("MS");
}

CommandRun DefineShardServe(CLI::App& command, const CommandContext& context) {
  auto options = std::make_shared<ShardServerOptions>();
  options->db_dir = context.default_db;
  options->port = 7001;
  command.add_option("--db", options->db_dir,
                     "database folder to serve (default: $PUNDIT_DB, else "
                     "data/index; now " +
                         context.default_db + ")");
  command.add_option("--host", options->host,
                     "address to bind (default 127.0.0.1: this machine only)");
  command
      .add_option("--port", options->port,
                  "port (default 7001; 0 = any free port)")
      ->check(CLI::Range(0, 65535));
  command
      .add_option("--idle-timeout", options->idle_timeout_s,
                  "seconds before an idle connection is closed (default 60; "
                  "clients reconnect)")
      ->check(CLI::Range(1.0, 86400.0));
  command
      .add_option("--active-timeout", options->active_timeout_s,
                  "seconds a client may take within one exchange (default "
                  "15)")
      ->check(CLI::Range(1.0, 3600.0));
  command
      .add_option("--max-connections", options->max_connections,
                  "open connections at most (default 256)")
      ->check(CLI::Range(1, 65536));
  return [options] { return RunShardServe(*options); };
}

}  // namespace pundit::cli
