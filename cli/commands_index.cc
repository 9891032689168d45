// `pundit index` and `pundit compact`: the commands that write the index.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "core/files.h"
#include "core/readers/fields.h"
#include "core/shard.h"
#include "indexer/indexer.h"
#include "indexer/progress.h"
#include "searcher/index_handle.h"

namespace pundit::cli {
namespace {

struct IndexArgs {
  IndexerOptions options;
  bool json = false;
  std::vector<std::string> column_maps;
  std::string shard;  // --shard I/N
  int shards = 0;     // --shards N
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

// Writes DIR/shards.stub naming shard-1 ... shard-N, unless it already
// says exactly that (a rewrite would make readers reopen for nothing).
Status WriteShardsStub(const std::string& dir, int count) {
  std::string text =
      "# The shards of this index, one Xapian database per line (written by\n"
      "# `pundit index --shards`); replace a line by `remote HOST:PORT` to\n"
      "# read that shard from a `pundit shard-serve`.\n";
  for (int i = 1; i <= count; ++i) {
    text += "auto shard-" + std::to_string(i) + "\n";
  }
  const std::string path = dir + "/" + kShardsStubName;
  if (ReadWholeFile(path) == text) return Status::Ok();
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.flush()) return Status::IoError("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::IoError("cannot write " + path + ": " + ec.message());
  return Status::Ok();
}

// `--shards N`: N indexers at once, shard I of N into DIR/shard-I, sharing
// the cores; their errors, read by every shard, printed once.
int RunShardsCommand(IndexerOptions options, int count, bool json) {
  for (const std::string& input : options.inputs) {
    if (input == "-") {
      return PrintError(Status::InvalidArgument(
          "--shards cannot read standard input, which every shard would "
          "need whole: give files, or pipe into `pundit index --shard I/N "
          "-` once per shard"));
    }
  }
  const std::string dir = options.db_dir;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return PrintError(
        Status::IoError("cannot create " + dir + ": " + ec.message()));
  }
  if (std::filesystem::exists(dir + "/CURRENT", ec)) {
    return PrintError(Status::InvalidArgument(
        dir + " holds one whole index: give --shards another folder"));
  }
  const int cores =
      static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (options.jobs == 0) options.jobs = std::max(1, cores / count);
  options.progress = false;
  std::vector<Result<IndexSummary>> results(count, Status::Internal("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      IndexerOptions shard = options;
      shard.shard = ShardSpec{i + 1, count};
      shard.db_dir = dir + "/shard-" + std::to_string(i + 1);
      results[i] = RunIndex(shard);
    });
  }
  for (std::thread& t : threads) t.join();
  int status = kExitOk;
  std::set<std::string> printed;
  for (int i = 0; i < count; ++i) {
    const std::string name =
        "shard " + std::to_string(i + 1) + "/" + std::to_string(count);
    if (!results[i].ok()) {
      status = PrintError(
          Status::IoError(name + ": " + results[i].status().message()));
      continue;
    }
    const IndexSummary& summary = *results[i];
    for (const std::string& notice : summary.notices) {
      if (printed.insert(notice).second) {
        std::fprintf(stderr, "%s\n", notice.c_str());
      }
    }
    for (const ParseError& error : summary.errors) {
      if (printed.insert(error.ToString()).second) {
        std::fprintf(stderr, "%s\n", error.ToString().c_str());
      }
    }
    if (json) {
      std::printf("{\"shard\":\"%d/%d\",\"summary\":%s}\n", i + 1, count,
                  summary.ToJson().c_str());
    } else {
      std::printf("%s: %s\n", name.c_str(), summary.SummaryLine().c_str());
    }
    if (summary.skipped > 0 && status == kExitOk) status = kExitSomeSkipped;
  }
  if (status == kExitFailure) return status;
  if (Status s = WriteShardsStub(dir, count); !s.ok()) return PrintError(s);
  if (!json) {
    std::printf("%d shards in %s; search them with --db %s\n", count,
                dir.c_str(), dir.c_str());
  }
  return status;
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
                  std::string("CSV, TSV and JSON: read the column or key "
                              "COLUMN as FIELD (") +
                      readers::MapFieldNames() + "); repeatable")
      ->type_name("COLUMN=FIELD")
      ->each([args](const std::string& pair) {
        const size_t eq = pair.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
          throw CLI::ValidationError("takes COLUMN=FIELD, not \"" + pair +
                                     "\"");
        }
        const std::string field = pair.substr(eq + 1);
        if (readers::FieldForMapName(field) == readers::Field::kNone) {
          throw CLI::ValidationError("\"" + field +
                                     "\" is no field: FIELD is one of " +
                                     readers::MapFieldNames());
        }
        args->options.column_map.emplace_back(pair.substr(0, eq), field);
      });
  command
      .add_option("--shard", args->shard,
                  "keep only the articles whose id routes to shard I of N "
                  "(the same on every machine: each can index its own shard "
                  "from the same inputs)")
      ->type_name("I/N");
  command
      .add_option("--shards", args->shards,
                  "build N shards at once into --db's shard-1 ... shard-N "
                  "folders, sharing the cores, and write its shards.stub "
                  "(search, serve and stats read the folder as one index)")
      ->check(CLI::Range(1, 64))
      ->excludes("--shard");
  command
      .add_option("PATH", args->options.inputs,
                  "files or folders of articles, or - for JSON Lines on "
                  "standard input")
      ->required();
  return [args] {
    if (!args->shard.empty()) {
      Result<ShardSpec> spec = ParseShardSpec(args->shard);
      if (!spec.ok()) return PrintError(spec.status());
      args->options.shard = *spec;
    }
    if (args->shards > 0) {
      return RunShardsCommand(args->options, args->shards, args->json);
    }
    return RunIndexCommand(args->options, args->json);
  };
}

CommandRun DefineCompact(CLI::App& command, const CommandContext& context) {
  auto db = std::make_shared<std::string>(context.default_db);
  command.add_option("--db", *db, context.db_help);
  return [db] { return RunCompactCommand(*db); };
}

}  // namespace pundit::cli
