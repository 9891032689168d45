// `pundit replicate-serve` and `pundit follow`: a master serving its index
// to replicas, and a replica pulling it (remote/replica.h).
//
// Both wait for SIGINT and SIGTERM with sigtimedwait() (blocked in this,
// the only thread), so a signal is never lost between two checks.
#include <signal.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "remote/replica.h"

namespace pundit::cli {
namespace {

// Blocks SIGINT and SIGTERM for the rest of the command; WaitForStop then
// takes them.
void BlockStopSignals() {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigprocmask(SIG_BLOCK, &stop, nullptr);
}

// Waits `seconds`; true when SIGINT or SIGTERM came meanwhile.
bool WaitForStop(double seconds) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  timespec left{};
  left.tv_sec = static_cast<time_t>(seconds);
  left.tv_nsec = static_cast<long>((seconds - std::floor(seconds)) * 1e9);
  while (true) {
    int signal = sigtimedwait(&stop, nullptr, &left);
    if (signal == SIGINT || signal == SIGTERM) return true;
    if (signal < 0 && errno == EINTR) continue;  // another signal: go on
    return false;                                // EAGAIN: the time is up
  }
}

int RunReplicateServe(const remote::ServeOptions& options) {
  BlockStopSignals();
  Result<std::unique_ptr<remote::ReplicationServer>> server =
      remote::ReplicationServer::Start(options);
  if (!server.ok()) return PrintError(server.status());
  std::fprintf(stderr,
               "pundit: serving %s to replicas on %s (Ctrl-C to stop)\n",
               options.db_dir.c_str(), (*server)->address().c_str());
  while (!WaitForStop(1.0)) {
    Result<std::string> said = (*server)->Check();
    if (!said.ok()) return PrintError(said.status());
    if (!said->empty()) std::fputs(said->c_str(), stderr);
  }
  std::fprintf(stderr, "pundit: stopped serving %s to replicas\n",
               options.db_dir.c_str());
  return kExitOk;
}

// One pull; prints what it did on stdout or the error on stderr.
bool PullAndReport(remote::Follower& follower) {
  Result<remote::PullResult> pulled = follower.Pull();
  if (!pulled.ok()) {
    PrintError(pulled.status());
    return false;
  }
  std::printf("%s %s: %ld articles (%s)\n",
              pulled->changed ? "pulled from" : "up to date with",
              follower.master().c_str(), pulled->articles,
              pulled->generation.c_str());
  std::fflush(stdout);
  return true;
}

struct FollowArgs {
  remote::FollowOptions options;
  double interval = 10;
  bool once = false;
};

int RunFollow(const FollowArgs& args) {
  BlockStopSignals();
  Result<std::unique_ptr<remote::Follower>> follower =
      remote::Follower::Open(args.options);
  if (!follower.ok()) return PrintError(follower.status());
  if (args.once) return PullAndReport(**follower) ? kExitOk : kExitFailure;
  // A failed pull (master down, a copy overtaken) is reported and retried
  // at the next interval.
  do {
    PullAndReport(**follower);
  } while (!WaitForStop(args.interval));
  return kExitOk;
}

// "HOST:PORT" (or "[v6-address]:PORT") into the options.
void ParseMaster(const std::string& text, remote::FollowOptions& options) {
  const size_t colon = text.rfind(':');
  std::string host = colon == std::string::npos ? "" : text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port =
      colon == std::string::npos ? "" : text.substr(colon + 1);
  int value = 0;
  bool numeric = !port.empty() && port.size() <= 5;
  for (char c : port) {
    numeric = numeric && c >= '0' && c <= '9';
    if (numeric) value = value * 10 + (c - '0');
  }
  if (host.empty() || !numeric || value < 1 || value > 65535) {
    throw CLI::ValidationError("takes HOST:PORT (e.g. 10.0.0.5:7010), not \"" +
                               text + "\"");
  }
  options.host = host;
  options.port = value;
}

}  // namespace

CommandRun DefineReplicateServe(CLI::App& command,
                                const CommandContext& context) {
  auto options = std::make_shared<remote::ServeOptions>();
  options->db_dir = context.default_db;
  command.add_option("--db", options->db_dir, context.db_help);
  command.add_option("--host", options->host,
                     "address to listen on (default 127.0.0.1: this machine "
                     "only; 0.0.0.0 for every interface)");
  command.add_option("--port", options->port, "port to listen on")
      ->required()
      ->check(CLI::Range(1, 65535));
  return [options] { return RunReplicateServe(*options); };
}

CommandRun DefineFollow(CLI::App& command, const CommandContext& context) {
  auto args = std::make_shared<FollowArgs>();
  args->options.db_dir = context.default_db;
  command.add_option("--from", "the master's `pundit replicate-serve` address")
      ->type_name("HOST:PORT")
      ->required()
      ->each([args](const std::string& text) {
        ParseMaster(text, args->options);
      });
  command.add_option("--db", args->options.db_dir,
                     "the replica's database folder, created if missing "
                     "(default: $PUNDIT_DB, else data/index; now " +
                         context.default_db + ")");
  command
      .add_option("--interval", args->interval,
                  "seconds between pulls (default 10)")
      ->check(CLI::Range(0.1, 86400.0));
  command.add_flag("--once", args->once,
                   "pull once and exit: 0 when up to date, 1 on an error");
  return [args] { return RunFollow(*args); };
}

}  // namespace pundit::cli
