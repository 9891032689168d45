// pundit: the command-line entry point. Parses flags into the Options structs
// of the libraries and dispatches to `index`, `search`, `serve` and `stats`.
// All the work is in the libraries; this file only translates between the
// command line and them.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "core/store.h"
#include "indexer/indexer.h"
#include "indexer/progress.h"
#include "searcher/searcher.h"
#include "web/api.h"
#include "web/server.h"

namespace pundit {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitSomeSkipped = 2;

int PrintError(const Status& status) {
  std::fprintf(stderr, "pundit: error: %s\n", status.message().c_str());
  return kExitFailure;
}

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

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// Terminal styles, or "" when stdout is not a terminal (piped output stays
// plain text for grep and files).
struct Style {
  const char* bold = "";
  const char* reset = "";
};

// Snippet HTML (escaped text, <mark> the only markup) as terminal text:
// entities decoded, marks bold when styled and dropped otherwise.
std::string SnippetText(const std::string& s, const Style& style) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    auto starts = [&](const char* p) {
      return s.compare(i, std::strlen(p), p) == 0;
    };
    if (starts("<mark>")) {
      out += style.bold;
      i += 6;
    } else if (starts("</mark>")) {
      out += style.reset;
      i += 7;
    } else if (starts("&amp;")) {
      out += '&';
      i += 5;
    } else if (starts("&lt;")) {
      out += '<';
      i += 4;
    } else if (starts("&gt;")) {
      out += '>';
      i += 4;
    } else if (starts("&quot;")) {
      out += '"';
      i += 6;
    } else if (starts("&#39;")) {
      out += '\'';
      i += 5;
    } else {
      out += s[i++];
    }
  }
  return out;
}

void PrintHitsReadable(const SearchResponse& r, bool facets, bool snippets,
                       const Style& style) {
  std::printf("%ld articles for %s", r.total, r.interpreted.c_str());
  if (r.notice) std::printf("  (%s)", r.notice->c_str());
  std::printf("\n");
  if (r.corrected) std::printf("did you mean: %s\n", r.corrected->c_str());
  int rank = (r.page - 1) * r.per_page;
  for (const Hit& hit : r.hits) {
    std::printf("\n%3d. %s%s%s\n     %s", ++rank, style.bold, hit.title.c_str(),
                style.reset, hit.id.c_str());
    if (!hit.date.empty()) std::printf(" | %s", hit.date.c_str());
    if (!hit.authors.empty()) std::printf(" | %s", Join(hit.authors).c_str());
    if (!hit.source.empty()) std::printf(" | %s", hit.source.c_str());
    std::printf(" | score %.3f\n", hit.score);
    if (snippets) {
      for (const std::string& s : hit.snippets) {
        std::printf("     %s\n", SnippetText(s, style).c_str());
      }
    }
  }
  if (facets) {
    for (const auto& [name, values] : r.facets) {
      std::printf("\n%s%s:%s", style.bold, name.c_str(), style.reset);
      for (const FacetValue& v : values) {
        std::printf(" %s%s (%ld);", v.selected ? "*" : "", v.value.c_str(),
                    v.count);
      }
      std::printf("\n");
    }
    if (!r.timeline.empty()) {
      std::printf("\n%stimeline (%s):%s", style.bold, r.timeline_unit.c_str(),
                  style.reset);
      for (const TimelineBucket& b : r.timeline) {
        if (b.count) std::printf(" %s:%ld", b.key.c_str(), b.count);
      }
      std::printf("\n");
    }
  }
}

// A usage error (unknown option, missing argument, bad value): one line on
// stderr naming it and the help to read, exit status 1.
int PrintUsageError(const CLI::App& app, const CLI::Error& e, int argc,
                    char** argv) {
  std::string help = "pundit --help";
  std::string message = e.what();
  const std::vector<const CLI::App*> all = app.get_subcommands({});
  std::string commands;  // "index, search, serve or stats"
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
  return kExitFailure;
}

}  // namespace

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
  const std::string default_db = store::DefaultDbDir();
  const std::string db_help =
      "database folder (default: $PUNDIT_DB, else data/index; now " +
      default_db + ")";

  // ---- index ----
  IndexerOptions index_options;
  index_options.db_dir = default_db;
  bool index_json = false;
  CLI::App* index = app.add_subcommand(
      "index",
      "Index article files and folders (recursively). Incremental by default:\n"
      "new articles are added, changed ones replaced, vanished ones deleted.\n"
      "Formats, by extension (corpus/README.md has an example of each):\n"
      "  .md .markdown .txt  Markdown: the seed layout, or YAML front matter\n"
      "  .jsonl .ndjson      JSON Lines, one article object per line\n"
      "  .csv .tsv           a header row, then one article per row (--map)\n"
      "  .html .htm          saved web pages (JSON-LD, OpenGraph, <article>)\n"
      "  .rss .atom .xml     RSS 2.0 and Atom feeds: one article per item\n"
      "  .warc               web archives: one article per HTML response\n"
      "each also gzip or zstd compressed (.gz, .zst); `-` reads JSON Lines\n"
      "from standard input. Any file may be of any size; one record (a line,\n"
      "a row, a page) is read up to 16 MiB.\n"
      "On a terminal, a progress bar on stderr shows the articles done,\n"
      "articles/s and the time left; nothing of it when stderr is not one.\n"
      "Exit status: 0 all indexed, 2 some input skipped (the rest is "
      "indexed),\n"
      "1 the index could not be written (batches committed before the failure\n"
      "are kept and consistent; run again to finish) or a usage error.");
  index->add_option("--db", index_options.db_dir, db_help);
  index->add_flag("--full", index_options.full,
                  "build a fresh index beside the live one and swap it in "
                  "atomically when complete");
  index
      ->add_option("--jobs,-j", index_options.jobs,
                   "parsing threads (default: all cores)")
      ->check(CLI::Range(0, 256));
  index
      ->add_option("--batch-size", index_options.batch_size,
                   "articles per commit batch (default: 1000)")
      ->check(CLI::Range(1, 1000000));
  index->add_flag("--json", index_json, "print the summary as JSON");
  std::vector<std::string> column_maps;
  index
      ->add_option("--map", column_maps,
                   "CSV/TSV: read column COLUMN as FIELD (id, title, authors, "
                   "date, body, source, url, themes, regions, lede); "
                   "repeatable")
      ->type_name("COLUMN=FIELD")
      ->each([&index_options](const std::string& pair) {
        const size_t eq = pair.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
          throw CLI::ValidationError(
              "--map", "takes COLUMN=FIELD, not \"" + pair + "\"");
        }
        index_options.column_map.emplace_back(pair.substr(0, eq),
                                              pair.substr(eq + 1));
      });
  index
      ->add_option("PATH", index_options.inputs,
                   "files or folders of articles, or - for JSON Lines on "
                   "standard input")
      ->required();

  // ---- search ----
  SearchRequest request;
  std::string search_db = default_db;
  std::vector<std::string> query_words;
  bool search_json = false, show_facets = false, show_snippets = false;
  std::string op = "and", sort = "relevance";
  std::vector<std::string> authors, regions, themes, sources, years;
  CLI::App* search = app.add_subcommand(
      "search",
      "Search the index. Query language: words (all must match), \"phrases\",\n"
      "-word, NOT, OR, ( ), a NEAR b, prefix*, title:, author:\"Name\",\n"
      "region:, theme:, source:, date:2019-01-01..2019-03-31, year:2019.");
  search->add_option("--db", search_db, db_help);
  search->add_flag("--json", search_json,
                   "print exactly the JSON of GET /api/search");
  search->add_option("--limit,-n", request.per_page,
                     "hits per page (1-100, default 10)");
  search->add_option("--page", request.page, "page number (default 1)");
  search->add_option("--op", op, "and (default) or or: how plain words combine")
      ->check(CLI::IsMember({"and", "or"}));
  search->add_option("--sort", sort, "relevance (default), newest or oldest")
      ->check(CLI::IsMember({"relevance", "newest", "oldest"}));
  // One value per use (`--theme A --theme B`): a vector option would
  // otherwise swallow the query words that follow it.
  struct FilterOption {
    const char* name;
    const char* value;
    std::vector<std::string>* values;
  };
  for (const FilterOption& f : {FilterOption{"author", "NAME", &authors},
                                FilterOption{"region", "REGION", &regions},
                                FilterOption{"theme", "THEME", &themes},
                                FilterOption{"source", "SOURCE", &sources},
                                FilterOption{"year", "YYYY", &years}}) {
    const std::string flag = std::string("--") + f.name;
    search
        ->add_option(flag, *f.values,
                     std::string("only articles with this ") + f.name +
                         "; repeat to allow several (" + flag + " A " + flag +
                         " B)")
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->type_name(f.value);
  }
  search->add_option("--from", request.from, "earliest date, YYYY-MM-DD");
  search->add_option("--to", request.to, "latest date, YYYY-MM-DD");
  search->add_option("--facet-limit", request.facet_limit,
                     "values shown per facet (0-1000, default 10; 0 = none)");
  search->add_flag("--facets", show_facets,
                   "show facet counts and the timeline");
  search->add_flag("--snippets", show_snippets,
                   "show snippets, matches in bold on a terminal (plain text "
                   "when piped or when NO_COLOR is set)");
  search->add_option("QUERY", query_words,
                     "the query (words are joined with spaces)");

  // ---- serve ----
  ServerOptions server_options;
  server_options.db_dir = default_db;
  CLI::App* serve = app.add_subcommand(
      "serve",
      "Serve the search page and the JSON API (docs/API.md) over HTTP.");
  serve->add_option("--db", server_options.db_dir, db_help);
  serve->add_option("--host", server_options.host,
                    "address to bind (default 127.0.0.1: this machine only)");
  serve
      ->add_option("--port", server_options.port,
                   "port (default 8080; 0 = any free port)")
      ->check(CLI::Range(0, 65535));
  serve
      ->add_option("--threads", server_options.threads,
                   "worker threads, one per open connection (default: 8 x "
                   "cores, at least 64)")
      ->check(CLI::Range(0, 1024));
  serve
      ->add_option("--searchers", server_options.searchers,
                   "searches run at once, the others wait their turn "
                   "(default: 2 x cores)")
      ->check(CLI::Range(0, 1024));
  serve
      ->add_option("--match-threads", server_options.match_threads,
                   "threads one big search may use, each reading a share of "
                   "the index (default: one per core, at most 4; 1 = one)")
      ->check(CLI::Range(0, 4));
  serve->add_option(
      "--web-dir", server_options.web_dir,
      "folder with templates/ and static/ (default: the built-in web/ folder)");
  serve->add_option(
      "--cors-origin", server_options.cors_origin,
      "allow this origin to call the API from a browser (default: CORS off)");
  bool quiet = false;
  serve->add_flag("--quiet", quiet, "no access log");

  // ---- compact ----
  std::string compact_db = default_db;
  CLI::App* compact = app.add_subcommand(
      "compact",
      "Rewrite the index with every B-tree block full, as `pundit index\n"
      "--full` leaves it, into a new generation swapped in atomically\n"
      "(searches go on meanwhile; article ids and answers do not change).\n"
      "Adding articles splits full blocks, so the first incremental runs\n"
      "after a --full one grow the index; this gives the space back without\n"
      "reading any article again.\n"
      "Exit status: 0 compacted, 1 an error (the live index is kept).");
  compact->add_option("--db", compact_db, db_help);

  // ---- stats ----
  std::string stats_db = default_db;
  CLI::App* stats =
      app.add_subcommand("stats", "Print what the index holds, as JSON.");
  stats->add_option("--db", stats_db, db_help);

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

  if (index->parsed()) return RunIndexCommand(index_options, index_json);

  if (search->parsed()) {
    request.q = Join(query_words);
    request.op = op == "or" ? DefaultOp::kOr : DefaultOp::kAnd;
    request.sort = sort == "newest"   ? SortOrder::kNewest
                   : sort == "oldest" ? SortOrder::kOldest
                                      : SortOrder::kRelevance;
    if (!authors.empty()) request.filters["author"] = authors;
    if (!regions.empty()) request.filters["region"] = regions;
    if (!themes.empty()) request.filters["theme"] = themes;
    if (!sources.empty()) request.filters["source"] = sources;
    if (!years.empty()) request.filters["year"] = years;
    // The API's rule (facet_limit, docs/API.md), named as typed here.
    if (request.facet_limit < 0 || request.facet_limit > kMaxFacetLimit) {
      std::fprintf(stderr,
                   "pundit: error: --facet-limit must be between 0 and %d, "
                   "got %d\n",
                   kMaxFacetLimit, request.facet_limit);
      return kExitFailure;
    }
    request.want_facets = search_json || show_facets;
    request.want_snippets = search_json || show_snippets;
    auto searcher = Searcher::Open(SearcherOptions{search_db});
    if (!searcher.ok()) return PrintError(searcher.status());
    auto response = (*searcher)->Search(request);
    if (!response.ok()) return PrintError(response.status());
    if (search_json) {
      std::printf("%s\n", api::SearchResponseToJson(*response).dump().c_str());
    } else {
      Style style;
      // https://no-color.org: a non-empty NO_COLOR turns styles off.
      const char* no_color = std::getenv("NO_COLOR");
      if (isatty(STDOUT_FILENO) && (no_color == nullptr || *no_color == 0)) {
        style = Style{"\033[1m", "\033[0m"};
      }
      PrintHitsReadable(*response, show_facets, show_snippets, style);
    }
    return kExitOk;
  }

  if (serve->parsed()) {
    server_options.access_log = !quiet;
    Status status = Serve(server_options);
    if (!status.ok()) return PrintError(status);
    return kExitOk;
  }

  if (compact->parsed()) {
    Result<CompactSummary> summary = RunCompact(compact_db);
    if (!summary.ok()) return PrintError(summary.status());
    std::printf("%s\n", summary->SummaryLine().c_str());
    return kExitOk;
  }

  if (stats->parsed()) {
    auto searcher = Searcher::Open(SearcherOptions{stats_db});
    if (!searcher.ok()) return PrintError(searcher.status());
    auto s = (*searcher)->Stats();
    if (!s.ok()) return PrintError(s.status());
    std::printf("%s\n", api::StatsToJson(*s).dump(2).c_str());
    return kExitOk;
  }
  return kExitFailure;
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
