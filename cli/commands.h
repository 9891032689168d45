// The commands of the `pundit` program (index, search, serve, compact,
// stats, shard-serve, replicate-serve, follow). Each one is a function that
// adds the command's options to its CLI11 subcommand, already named and
// described by main.cc's table, and returns what runs the command once the
// command line is parsed. Options, help texts, messages and exit statuses are
// the program's interface: tests (tests/cli_test.cc, tests/indexer_test.cc)
// and scripts rely on them.
//
// Everything a command prints goes to stdout (its results) or stderr
// (`pundit: error: ...`, notices); a command never exits the process itself.
#ifndef PUNDIT_CLI_COMMANDS_H_
#define PUNDIT_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "core/status.h"

namespace pundit::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;      // an error, or a usage error
inline constexpr int kExitSomeSkipped = 2;  // `index`: some input skipped

// What every command shares.
struct CommandContext {
  std::string default_db;  // the database folder when --db is not given
  std::string db_help;     // the help text of --db
};

// Runs the command with the options as parsed; returns the exit status.
using CommandRun = std::function<int()>;

// Adds a command's options to `command` and returns what runs it. The
// returned function owns the values the options are parsed into.
using CommandDefine = CommandRun (*)(CLI::App& command,
                                     const CommandContext& context);

CommandRun DefineIndex(CLI::App& command, const CommandContext& context);
CommandRun DefineSearch(CLI::App& command, const CommandContext& context);
// `export` and `attention` (cli/commands_research.cc).
CommandRun DefineExport(CLI::App& command, const CommandContext& context);
CommandRun DefineAttention(CLI::App& command, const CommandContext& context);
CommandRun DefineServe(CLI::App& command, const CommandContext& context);
CommandRun DefineCompact(CLI::App& command, const CommandContext& context);
CommandRun DefineStats(CLI::App& command, const CommandContext& context);
CommandRun DefineShardServe(CLI::App& command, const CommandContext& context);

// Adds `--shard-timeout MS` (how long a shard server may take before the
// command fails naming it) to a command that reads the index.
void AddShardTimeoutOption(CLI::App& command, int* ms);
CommandRun DefineReplicateServe(CLI::App& command,
                                const CommandContext& context);
CommandRun DefineFollow(CLI::App& command, const CommandContext& context);

// Prints `pundit: error: MESSAGE` on stderr; returns kExitFailure.
int PrintError(const Status& status);

}  // namespace pundit::cli

#endif  // PUNDIT_CLI_COMMANDS_H_
