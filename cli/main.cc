// pundit: the command-line entry point. A table names each command, says
// what it does and gives the function that defines its options and runs it
// (cli/commands.h); Main builds the CLI11 app from the table, parses and
// runs the one command given. All the work is in the libraries.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "core/store.h"

namespace pundit {
namespace {

using cli::CommandContext;
using cli::CommandRun;

struct Command {
  const char* name;
  const char* desc;  // in `pundit --help`, and atop `pundit NAME --help`
  cli::CommandDefine define;
};

// In the order of `pundit --help`.
constexpr Command kCommands[] = {
    {"index",
     "Index article files and folders (recursively). Incremental by default:\n"
     "new articles are added, changed ones replaced, vanished ones deleted.\n"
     "Formats, by extension (corpus/README.md has an example of each):\n"
     "  .md .markdown       Markdown: the seed layout, or YAML front matter\n"
     "  .txt                plain text (a first line alone is the title), or\n"
     "                      Markdown as above\n"
     "  .jsonl .ndjson      JSON Lines, one article object per line\n"
     "  .json               an array of article objects, one object, one per\n"
     "                      line, or an API response holding a list of them\n"
     "  .csv .tsv           a header row, then one article per row\n"
     "CSV columns and JSON keys are read by the names datasets use (title or\n"
     "headline, body or content or text, ...); --map NAME=FIELD for others.\n"
     "  .html .htm          saved web pages (JSON-LD, OpenGraph, <article>)\n"
     "  .rss .atom .xml     RSS 2.0 and Atom feeds: one article per item\n"
     "  .warc               web archives: one article per HTML response\n"
     "  .zip .tar .tgz .tar.xz .tar.bz2 .tar.zst\n"
     "                      archives: each file inside read by its name,\n"
     "                      with the ids it would have unpacked\n"
     "each also gzip, zstd, xz or bzip2 compressed (.gz .zst .xz .bz2);\n"
     "`-` reads JSON Lines from standard input. Any file may be of any\n"
     "size; one record (a line, a row, an element, a page) is read up to\n"
     "16 MiB.\n"
     "On a terminal, a progress bar on stderr shows the articles done,\n"
     "articles/s and the time left; nothing of it when stderr is not one.\n"
     "Exit status: 0 all indexed, 2 some input skipped (the rest is "
     "indexed),\n"
     "1 the index could not be written (batches committed before the failure\n"
     "are kept and consistent; run again to finish) or a usage error.",
     cli::DefineIndex},
    {"search",
     "Search the index. Query language: words (all must match), \"phrases\",\n"
     "-word, NOT, OR, ( ), a NEAR b, prefix*, title:, author:\"Name\",\n"
     "region:, theme:, source:, date:2019-01-01..2019-03-31, year:2019.",
     cli::DefineSearch},
    {"export",
     "Write every match of a search (the options of search) to stdout as\n"
     "CSV (id,title,authors,date,regions,themes,source,url,score) or JSON\n"
     "Lines, in the order of the search.",
     cli::DefineExport},
    {"attention",
     "Count the matches of up to 10 queries per day, week, month or year,\n"
     "against all articles under the same filters (share), from the first\n"
     "to the last dated article; empty periods included.",
     cli::DefineAttention},
    {"serve", "Serve the search page and the JSON API (docs/API.md) over HTTP.",
     cli::DefineServe},
    {"compact",
     "Rewrite the index with every B-tree block full, as `pundit index\n"
     "--full` leaves it, into a new generation swapped in atomically\n"
     "(searches go on meanwhile; article ids and answers do not change).\n"
     "Adding articles splits full blocks, so the first incremental runs\n"
     "after a --full one grow the index; this gives the space back without\n"
     "reading any article again.\n"
     "Exit status: 0 compacted, 1 an error (the live index is kept).",
     cli::DefineCompact},
    {"stats", "Print what the index holds, as JSON.", cli::DefineStats},
    {"shard-serve",
     "Serve one database folder as a shard over Xapian's remote protocol.\n"
     "Other machines name it in a stub file (`remote HOST:PORT`, one line\n"
     "per shard) given as --db to search, serve and stats, which then\n"
     "answer as one index of every shard's articles (docs/CLUSTER.md).\n"
     "Runs until interrupted (SIGINT or SIGTERM).",
     cli::DefineShardServe},
    {"replicate-serve",
     "Serve the index to replicas (`pundit follow`) over Xapian's replication\n"
     "protocol, with Debian's xapian-replicate-server, until SIGINT or\n"
     "SIGTERM. Incremental runs then keep changesets that replicas apply;\n"
     "after `index --full` or `compact` replicas copy the new generation.",
     cli::DefineReplicateServe},
    {"follow",
     "Keep --db a replica of a master's index (`pundit replicate-serve`),\n"
     "pulling every --interval seconds until SIGINT or SIGTERM, or once with\n"
     "--once; search, serve and stats read it as any index, and a running\n"
     "`pundit serve` picks up each pull.\n"
     "Exit status: 0 up to date (--once) or stopped by a signal, 1 an error\n"
     "(with --once: the master could not be reached or read).",
     cli::DefineFollow},
};

// A usage error (unknown option, missing argument, bad value): one line on
// stderr naming it and the help to read, exit status 1.
int PrintUsageError(const CLI::App& app, const CLI::Error& e, int argc,
                    char** argv) {
  std::string help = "pundit --help";
  std::string message = e.what();
  const std::vector<const CLI::App*> all = app.get_subcommands({});
  std::string commands;  // "index, search, ... or follow"
  for (size_t i = 0; i < all.size(); ++i) {
    if (i > 0) commands += i + 1 == all.size() ? " or " : ", ";
    commands += all[i]->get_name();
  }
  if (app.get_subcommands().empty()) {
    // No command recognised: CLI11 would say "A subcommand is required".
    if (argc < 2) {
      message = "a command is required: " + commands;
    } else if (argv[1][0] != '-') {
      message =
          std::string("unknown command \"") + argv[1] + "\": use " + commands;
    }
  }
  for (const CLI::App* sub : app.get_subcommands()) {
    help = "pundit " + sub->get_name() + " --help";
  }
  std::fprintf(stderr, "pundit: error: %s\nRun `%s` for usage.\n",
               message.c_str(), help.c_str());
  return cli::kExitFailure;
}

}  // namespace

namespace cli {

int PrintError(const Status& status) {
  std::fprintf(stderr, "pundit: error: %s\n", status.message().c_str());
  return kExitFailure;
}

}  // namespace cli

int Main(int argc, char** argv) {
  CLI::App app{
      "pundit: full-text search for opinion articles.\n"
      "Index Markdown and JSON Lines articles into a Xapian database, search\n"
      "them from the command line or serve a web page and JSON API."};
  app.footer(
      "Exit status: 0 on success; 1 on an error, including a usage error\n"
      "(an unknown option, a missing argument), which prints\n"
      "`pundit: error: ...` and the --help to read; `pundit index` also\n"
      "exits 2 when some input was skipped.");
  app.require_subcommand(1);
  CommandContext context;
  context.default_db = store::DefaultDbDir();
  context.db_help =
      "database folder, or a stub file of shards (default: $PUNDIT_DB, else "
      "data/index; now " +
      context.default_db + ")";
  std::vector<std::pair<const CLI::App*, CommandRun>> commands;
  for (const Command& command : kCommands) {
    CLI::App* sub = app.add_subcommand(command.name, command.desc);
    commands.emplace_back(sub, command.define(*sub, context));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help (and its kin) are "errors" with exit code 0: print them as
    // CLI11 does; every real usage error exits 1.
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      return app.exit(e);
    }
    return PrintUsageError(app, e, argc, argv);
  }
  for (const auto& [sub, run] : commands) {
    if (sub->parsed()) return run();
  }
  return cli::kExitFailure;
}

}  // namespace pundit

int main(int argc, char** argv) {
  try {
    return pundit::Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pundit: error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "pundit: error: unexpected failure\n");
  }
  return 1;
}
