// `pundit search` and `pundit stats`: the commands that read the index.
// `search` prints readable text, or with --json exactly the JSON of
// GET /api/search; `stats` prints the JSON of GET /api/stats.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/search_options.h"
#include "searcher/index_handle.h"
#include "searcher/results_json.h"
#include "searcher/searcher.h"

namespace pundit::cli {
namespace {

struct SearchArgs {
  SearchRequest request;
  std::string db;
  int shard_timeout_ms = kDefaultShardTimeoutMs;
  std::vector<std::string> query_words;
  bool json = false, show_facets = false, show_snippets = false;
  std::string op = "and", sort = "relevance";
  FacetFilterArgs facets;
  std::string collapse = "group";
};

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

// "also published by Site B (2019-03-05), b/12 (no source)".
std::string AlsoPublished(const Hit& hit) {
  std::string out = "also published by";
  for (size_t i = 0; i < hit.copies.size(); ++i) {
    const Copy& c = hit.copies[i];
    out += i == 0 ? " " : ", ";
    out += c.source.empty() ? c.id : c.source;
    if (!c.date.empty()) out += " (" + c.date + ")";
  }
  return out;
}

void PrintHitsReadable(const SearchResponse& r, bool facets, bool snippets,
                       const Style& style) {
  std::printf("%ld articles for %s", r.total, r.interpreted.c_str());
  if (r.total_groups != r.total) {
    std::printf(" (%ld with syndicated copies counted once)", r.total_groups);
  }
  if (r.notice) std::printf("  (%s)", r.notice->c_str());
  std::printf("\n");
  if (r.showing) {
    std::printf("no results for %s: showing results for %s\n", r.q.c_str(),
                r.showing->c_str());
  } else if (r.corrected) {
    std::printf("did you mean: %s\n", r.corrected->c_str());
  }
  int rank = (r.page - 1) * r.per_page;
  for (const Hit& hit : r.hits) {
    std::printf("\n%3d. %s%s%s\n     %s", ++rank, style.bold, hit.title.c_str(),
                style.reset, hit.id.c_str());
    if (!hit.date.empty()) std::printf(" | %s", hit.date.c_str());
    if (!hit.authors.empty()) std::printf(" | %s", Join(hit.authors).c_str());
    if (!hit.source.empty()) std::printf(" | %s", hit.source.c_str());
    std::printf(" | score %.3f\n", hit.score);
    if (!hit.copies.empty())
      std::printf("     %s\n", AlsoPublished(hit).c_str());
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

// True when min <= value <= max; otherwise prints `pundit: error: FLAG must
// be ...` naming the command-line option and returns false.
bool InRange(const char* flag, int value, int min, int max) {
  if (value >= min && value <= max) return true;
  if (max == std::numeric_limits<int>::max()) {
    std::fprintf(stderr, "pundit: error: %s must be %d or more, got %d\n", flag,
                 min, value);
  } else {
    std::fprintf(stderr,
                 "pundit: error: %s must be between %d and %d, got %d\n", flag,
                 min, max, value);
  }
  return false;
}

int RunSearchCommand(const SearchArgs& args) {
  SearchRequest request = args.request;
  request.q = Join(args.query_words);
  request.op = args.op == "or" ? DefaultOp::kOr : DefaultOp::kAnd;
  request.sort = args.sort == "newest"   ? SortOrder::kNewest
                 : args.sort == "oldest" ? SortOrder::kOldest
                                         : SortOrder::kRelevance;
  ApplyFacetFilters(args.facets, &request);
  // The searcher's rules, named by the options as typed here.
  if (!InRange("--page", request.page, 1, std::numeric_limits<int>::max()) ||
      !InRange("--limit", request.per_page, 1, kMaxSearchPerPage) ||
      !InRange("--facet-limit", request.facet_limit, 0, kMaxFacetLimit)) {
    return kExitFailure;
  }
  request.collapse = args.collapse != "none";
  request.want_facets = args.json || args.show_facets;
  request.want_snippets = args.json || args.show_snippets;
  SearcherOptions options{args.db};
  options.shard_timeout_ms = args.shard_timeout_ms;
  auto searcher = Searcher::Open(options);
  if (!searcher.ok()) return PrintError(searcher.status());
  auto response = (*searcher)->Search(request);
  if (!response.ok()) return PrintError(response.status());
  if (args.json) {
    std::printf("%s\n", api::SearchResponseToJson(*response).dump().c_str());
  } else {
    Style style;
    // https://no-color.org: a non-empty NO_COLOR turns styles off.
    const char* no_color = std::getenv("NO_COLOR");
    if (isatty(STDOUT_FILENO) && (no_color == nullptr || *no_color == 0)) {
      style = Style{"\033[1m", "\033[0m"};
    }
    PrintHitsReadable(*response, args.show_facets, args.show_snippets, style);
  }
  return kExitOk;
}

int RunStatsCommand(const SearcherOptions& options) {
  auto searcher = Searcher::Open(options);
  if (!searcher.ok()) return PrintError(searcher.status());
  auto s = (*searcher)->Stats();
  if (!s.ok()) return PrintError(s.status());
  std::printf("%s\n", api::StatsToJson(*s).dump(2).c_str());
  return kExitOk;
}

}  // namespace

CommandRun DefineSearch(CLI::App& command, const CommandContext& context) {
  auto args = std::make_shared<SearchArgs>();
  args->db = context.default_db;
  SearchRequest& request = args->request;
  command.add_option("--db", args->db, context.db_help);
  AddShardTimeoutOption(command, &args->shard_timeout_ms);
  command.add_flag("--json", args->json,
                   "print exactly the JSON of GET /api/search");
  command.add_option("--limit,-n", request.per_page,
                     "hits per page (1-1000, default 10)");
  command.add_option("--page", request.page, "page number (default 1)");
  command
      .add_option("--op", args->op,
                  "and (default) or or: how plain words combine")
      ->check(CLI::IsMember({"and", "or"}));
  command
      .add_option("--sort", args->sort, "relevance (default), newest or oldest")
      ->check(CLI::IsMember({"relevance", "newest", "oldest"}));
  AddFacetFilterOptions(command, &args->facets);
  command
      .add_option("--collapse", args->collapse,
                  "group (default): one hit per group of syndicated copies, "
                  "the others listed under it; none: every copy")
      ->check(CLI::IsMember({"group", "none"}));
  command.add_option("--from", request.from, "earliest date, YYYY-MM-DD");
  command.add_option("--to", request.to, "latest date, YYYY-MM-DD");
  command.add_option("--facet-limit", request.facet_limit,
                     "values shown per facet (0-1000, default 10; 0 = none)");
  command.add_flag("--facets", args->show_facets,
                   "show facet counts and the timeline");
  command.add_flag("--snippets", args->show_snippets,
                   "show snippets, matches in bold on a terminal (plain text "
                   "when piped or when NO_COLOR is set)");
  command.add_option("QUERY", args->query_words,
                     "the query (words are joined with spaces)");
  return [args] { return RunSearchCommand(*args); };
}

CommandRun DefineStats(CLI::App& command, const CommandContext& context) {
  auto options = std::make_shared<SearcherOptions>();
  options->db_dir = context.default_db;
  command.add_option("--db", options->db_dir, context.db_help);
  AddShardTimeoutOption(command, &options->shard_timeout_ms);
  return [options] { return RunStatsCommand(*options); };
}

}  // namespace pundit::cli
