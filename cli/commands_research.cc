// `pundit export` and `pundit attention`: every match of a search as CSV or
// JSON Lines, and attention over time as a table; the same answers as
// GET /api/export and GET /api/attention (searcher/research_format.h).
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/search_options.h"
#include "searcher/index_handle.h"
#include "searcher/research.h"
#include "searcher/research_format.h"
#include "searcher/searcher.h"

namespace pundit::cli {
namespace {

// What export and attention share: the index and the filters.
struct ScopeArgs {
  std::string db;
  int shard_timeout_ms = kDefaultShardTimeoutMs;
  std::string op = "and";
  std::string from, to;
  FacetFilterArgs facets;
};

void AddScopeOptions(CLI::App& command, const CommandContext& context,
                     ScopeArgs* args) {
  args->db = context.default_db;
  command.add_option("--db", args->db, context.db_help);
  AddShardTimeoutOption(command, &args->shard_timeout_ms);
  command
      .add_option("--op", args->op,
                  "and (default) or or: how plain words combine")
      ->check(CLI::IsMember({"and", "or"}));
  AddFacetFilterOptions(command, &args->facets);
  command.add_option("--from", args->from, "earliest date, YYYY-MM-DD");
  command.add_option("--to", args->to, "latest date, YYYY-MM-DD");
}

SearchRequest ScopeRequest(const ScopeArgs& args) {
  SearchRequest request;
  request.op = args.op == "or" ? DefaultOp::kOr : DefaultOp::kAnd;
  request.from = args.from;
  request.to = args.to;
  ApplyFacetFilters(args.facets, &request);
  return request;
}

Result<std::unique_ptr<Searcher>> OpenSearcher(const ScopeArgs& args) {
  SearcherOptions options{args.db};
  options.shard_timeout_ms = args.shard_timeout_ms;
  return Searcher::Open(options);
}

struct ExportArgs {
  ScopeArgs scope;
  std::string sort = "relevance", format = "csv";
  ExportOptions options;  // --text, --context
  std::vector<std::string> query_words;
};

int RunExport(const ExportArgs& args) {
  SearchRequest request = ScopeRequest(args.scope);
  for (const std::string& w : args.query_words) {
    if (!request.q.empty()) request.q += ' ';
    request.q += w;
  }
  request.sort = args.sort == "newest"   ? SortOrder::kNewest
                 : args.sort == "oldest" ? SortOrder::kOldest
                                         : SortOrder::kRelevance;
  const api::ExportFormat format = args.format == "csv"
                                       ? api::ExportFormat::kCsv
                                       : api::ExportFormat::kJsonl;
  if (args.options.context > 0 &&
      request.q.find_first_not_of(" \t\r\n") == std::string::npos) {
    return PrintError(Status::InvalidArgument(
        "--context shows a query's matches in their text: give the words to "
        "find as QUERY"));
  }
  auto searcher = OpenSearcher(args.scope);
  if (!searcher.ok()) return PrintError(searcher.status());
  std::string out = api::ExportStart(format, args.options);
  bool write_failed = false;
  Status s = (*searcher)->Export(
      request, args.options, [&](const std::vector<Hit>& batch) {
        api::AppendExportRows(batch, format, args.options, &out);
        write_failed =
            std::fwrite(out.data(), 1, out.size(), stdout) != out.size();
        out.clear();
        return !write_failed;
      });
  if (!s.ok()) return PrintError(s);
  if (!out.empty()) {
    write_failed = std::fwrite(out.data(), 1, out.size(), stdout) != out.size();
  }
  if (write_failed || std::fflush(stdout) != 0) {
    return PrintError(Status::IoError("could not write the export to stdout"));
  }
  return kExitOk;
}

struct AttentionArgs {
  ScopeArgs scope;
  std::string interval = "month", format = "table";
  bool dedup = false;
  std::vector<std::string> queries;
};

// Periods down, queries across: each cell the count and its share of all
// articles of the period, then a row of totals.
void PrintAttentionTable(const AttentionResponse& r) {
  std::vector<std::string> heads{"period", "all"};
  for (const AttentionSeries& s : r.series) heads.push_back(s.q);
  std::vector<std::vector<std::string>> rows;
  const size_t periods = r.series.empty() ? 0 : r.series[0].buckets.size();
  long all_total = 0;
  for (size_t i = 0; i < periods; ++i) {
    const AttentionBucket& first = r.series[0].buckets[i];
    all_total += first.all;
    std::vector<std::string> row{first.key, std::to_string(first.all)};
    for (const AttentionSeries& s : r.series) {
      char cell[64];
      std::snprintf(cell, sizeof cell, "%ld (%.1f%%)", s.buckets[i].count,
                    100 * s.buckets[i].share);
      row.push_back(cell);
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::string> totals{"total", std::to_string(all_total)};
  for (const AttentionSeries& s : r.series) {
    totals.push_back(std::to_string(s.total));
  }
  rows.push_back(std::move(totals));
  std::vector<size_t> widths(heads.size());
  for (size_t c = 0; c < heads.size(); ++c) widths[c] = heads[c].size();
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  auto print = [&](const std::vector<std::string>& row) {
    for (size_t c = 0; c < row.size(); ++c) {
      std::printf(c == 0 ? "%-*s" : "  %*s", static_cast<int>(widths[c]),
                  row[c].c_str());
    }
    std::printf("\n");
  };
  print(heads);
  for (const auto& row : rows) print(row);
}

int RunAttention(const AttentionArgs& args) {
  AttentionRequest request;
  request.scope = ScopeRequest(args.scope);
  request.queries = args.queries;
  request.interval = *ParseInterval(args.interval);
  request.dedup = args.dedup;
  auto searcher = OpenSearcher(args.scope);
  if (!searcher.ok()) return PrintError(searcher.status());
  Result<AttentionResponse> r = (*searcher)->Attention(request);
  if (!r.ok()) return PrintError(r.status());
  if (args.format == "json") {
    std::printf("%s\n", api::AttentionToJson(*r).dump().c_str());
  } else if (args.format == "csv") {
    std::fputs(api::AttentionToCsv(*r).c_str(), stdout);
  } else {
    PrintAttentionTable(*r);
  }
  return kExitOk;
}

}  // namespace

CommandRun DefineExport(CLI::App& command, const CommandContext& context) {
  auto args = std::make_shared<ExportArgs>();
  AddScopeOptions(command, context, &args->scope);
  command
      .add_option("--sort", args->sort, "relevance (default), newest or oldest")
      ->check(CLI::IsMember({"relevance", "newest", "oldest"}));
  command
      .add_option("--format", args->format,
                  "csv (default) or jsonl: the rows of GET /api/export")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  command.add_flag("--text", args->options.text,
                   "add each article's text (its lede and body, paragraphs "
                   "separated by blank lines): a CSV column or a JSON key "
                   "`text`");
  command
      .add_option("--context", args->options.context,
                  "one row per match of the query instead of per article, "
                  "with this many words either side (1-50): columns or JSON "
                  "keys `left`, `match`, `right` (a concordance)")
      ->check(CLI::Range(0, kMaxExportContext));
  command
      .add_option("--limit", args->options.limit,
                  "only the first N articles in the order of --sort (the "
                  "best, newest or oldest; with --context, their matches); "
                  "0 (default): every match")
      ->check(CLI::Range(0, kMaxExportLimit));
  command.add_option("QUERY", args->query_words,
                     "the query (words are joined with spaces)");
  return [args] { return RunExport(*args); };
}

CommandRun DefineAttention(CLI::App& command, const CommandContext& context) {
  auto args = std::make_shared<AttentionArgs>();
  AddScopeOptions(command, context, &args->scope);
  command
      .add_option("--interval", args->interval,
                  "day, week (ISO 8601), month (default) or year")
      ->check(CLI::IsMember({"day", "week", "month", "year"}));
  command.add_flag("--dedup", args->dedup,
                   "count each group of syndicated copies once, in the "
                   "period of its first publication");
  command
      .add_option("--format", args->format,
                  "table (default), csv or json (that of GET /api/attention)")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  command
      .add_option("QUERY", args->queries,
                  "up to 10 queries, one per argument (quote a query of "
                  "several words)")
      ->required();
  return [args] { return RunAttention(*args); };
}

}  // namespace pundit::cli
