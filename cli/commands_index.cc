// `pundit index` and `pundit compact`: the commands that write the index.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "indexer/indexer.h"
#include "indexer/progress.h"

namespace pundit::cli {
namespace {

struct IndexArgs {
  IndexerOptions options;
  bool json = false;
  std::vector<std::string> column_maps;
};

int RunIndexCommand(IndexerOptions options, bool json) {
  options.progress = !json && isatty(STDERR_FILENO);
  if (const char* interval = std::getenv("PUNDIT_PROGRESS_INTERVAL_MS")) {
    options.progress_interval_ms =
        static_cast<int>(indexer::ProgressIntervalFromEnv(interval).count());
  }
  Result<IndexSummary> result = RunIndex(options);
  if (!result.ok()) return PrintError(result.status());
  const IndexSummary& summary = *result;
  for (const std::string& notice : summary.notices) {
    std::fprintf(stderr, "%s\n", notice.c_str());
  }
  for (const ParseError& error : summary.errors) {
    std::fprintf(stderr, "%s\n", error.ToString().c_str());
  }
  if (json) {
    std::printf("%s\n", summary.ToJson().c_str());
  } else {
    std::printf("%s\n", summary.SummaryLine().c_str());
    if (std::string formats = summary.FormatsLine(); !formats.empty()) {
      std::printf("%s\n", formats.c_str());
    }
  }
  return summary.skipped > 0 ? kExitSomeSkipped : kExitOk;
}

int RunCompactCommand(const std::string& db) {
  Result<CompactSummary> summary = RunCompact(db);
  if (!summary.ok()) return PrintError(summary.status());
  std::printf("%s\n", summary->SummaryLine().c_str());
  return kExitOk;
}

}  // namespace

CommandRun DefineIndex(CLI::App& command, const CommandContext& context) {
  auto args = std::make_shared<IndexArgs>();
  args->options.db_dir = context.default_db;
  command.add_option("--db", args->options.db_dir, context.db_help);
  command.add_flag("--full", args->options.full,
                   "build a fresh index beside the live one and swap it in "
                   "atomically when complete");
  command
      .add_option("--jobs,-j", args->options.jobs,
                  "parsing threads (default: all cores)")
      ->check(CLI::Range(0, 256));
  command
      .add_option("--batch-size", args->options.batch_size,
                  "articles per commit batch (default: 1000)")
      ->check(CLI::Range(1, 1000000));
  command.add_flag("--json", args->json, "print the summary as JSON");
  command
      .add_option("--map", args->column_maps,
                  "CSV/TSV: read column COLUMN as FIELD (id, title, authors, "
                  "date, body, source, url, themes, regions, lede); "
                  "repeatable")
      ->type_name("COLUMN=FIELD")
      ->each([args](const std::string& pair) {
        const size_t eq = pair.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
          throw CLI::ValidationError(
              "--map", "takes COLUMN=FIELD, not \"" + pair + "\"");
        }
        args->options.column_map.emplace_back(pair.substr(0, eq),
                                              pair.substr(eq + 1));
      });
  command
      .add_option("PATH", args->options.inputs,
                  "files or folders of articles, or - for JSON Lines on "
                  "standard input")
      ->required();
  return [args] { return RunIndexCommand(args->options, args->json); };
}

CommandRun DefineCompact(CLI::App& command, const CommandContext& context) {
  auto db = std::make_shared<std::string>(context.default_db);
  command.add_option("--db", *db, context.db_help);
  return [db] { return RunCompactCommand(*db); };
}

}  // namespace pundit::cli
