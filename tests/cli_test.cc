// The `pundit search` command line, run as the real binary over an index of
// corpus/ and tests/testdata built in the test's own temp dir:
//   - --author, --region, --theme, --source and --year take exactly one
//     value per use: `--author "Andrew Korybko" venezuela` filters by the
//     author AND searches venezuela (the word is not taken as a second
//     author); repeated, `--theme A --theme B` ORs the values;
//   - --json prints exactly what the JSON API returns for the same request
//     (computed in-process with api::ParseSearchParams, Searcher::Search and
//     api::SearchResponseToJson), took_ms aside, including --facet-limit,
//     --sort, --op, --page, --limit, --from and --to;
//   - --facet-limit is bound to the request and refused outside 0..1000;
//     --page below 1 and --limit outside 1..1000 are refused with messages
//     that name the options; --limit takes more than the API's 100;
//   - the --facets --snippets view is readable text: decoded entities, the
//     facets and the timeline, and no escape codes when stdout is piped;
//     matches in bold on a terminal (a real pseudo-terminal) unless
//     NO_COLOR is set;
//   - usage errors (a missing PATH, an unknown option or command, a value
//     that is not a number) exit 1 with `pundit: error: ...` and the --help
//     to run, while --help exits 0.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "indexer/indexer.h"
#include "searcher/results_json.h"
#include "searcher/searcher.h"
#include "tests/test_util.h"
#include "web/api.h"

namespace pundit {
namespace {

using nlohmann::json;

constexpr char kSampleTitle[] =
    "Russia Might be Planning an Astana-Like Conference for Venezuela";

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = tmp_.Sub("db");
    IndexerOptions options;
    options.db_dir = db_;
    options.inputs = {testing::CorpusPath(""), testing::TestData("")};
    options.jobs = 2;
    Result<IndexSummary> summary = RunIndex(options);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    ASSERT_GT(summary->indexed, 30);
  }

  // `pundit search --db DB ARGS...` with output piped.
  testing::CommandResult Search(std::vector<std::string> args) const {
    args.insert(args.begin(), {testing::PunditBinary(), "search", "--db", db_});
    return testing::RunCommand(args);
  }

  // The JSON of `pundit search --json ARGS...`, took_ms removed.
  json CliJson(std::vector<std::string> args) const {
    args.insert(args.begin(), "--json");
    testing::CommandResult r = Search(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(j.is_object()) << r.out;
    if (j.is_object()) j.erase("took_ms");
    return j;
  }

  // What GET /api/search returns for these query parameters, took_ms
  // removed.
  json ApiJson(const api::Params& params) const {
    Result<SearchRequest> request = api::ParseSearchParams(params);
    EXPECT_TRUE(request.ok()) << request.status().ToString();
    if (!request.ok()) return json();
    auto searcher = Searcher::Open(SearcherOptions{db_});
    EXPECT_TRUE(searcher.ok()) << searcher.status().ToString();
    if (!searcher.ok()) return json();
    Result<SearchResponse> response = (*searcher)->Search(*request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    if (!response.ok()) return json();
    json j = api::SearchResponseToJson(*response);
    j.erase("took_ms");
    return j;
  }

  static bool HasTitle(const json& response, const std::string& title) {
    for (const json& hit : response["hits"]) {
      if (hit["title"] == title) return true;
    }
    return false;
  }

  testing::TempDir tmp_;
  std::string db_;
};

TEST_F(CliTest, FilterOptionTakesOneValueAndTheRestIsTheQuery) {
  struct Case {
    std::string option, value;
  };
  const Case cases[] = {
      {"--author", "Andrew Korybko"}, {"--region", "Latin America & Caribbean"},
      {"--region", "Russia and FSU"}, {"--theme", "Intelligence"},
      {"--source", "Eurasia Future"}, {"--year", "2019"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.option + " \"" + c.value + "\" venezuela");
    json cli = CliJson({c.option, c.value, "venezuela"});
    std::string facet = c.option.substr(2);
    EXPECT_EQ(cli, ApiJson({{"q", "venezuela"}, {facet, c.value}}));
    EXPECT_EQ(cli["query"]["q"], "venezuela");
    EXPECT_TRUE(HasTitle(cli, kSampleTitle)) << cli.dump();
    // The filter was applied: the word alone finds more, and the filter
    // alone finds what the word does not narrow.
    json word_only = CliJson({"venezuela"});
    json filter_only = CliJson({c.option, c.value});
    EXPECT_LE(cli["total"], word_only["total"]);
    EXPECT_LE(cli["total"], filter_only["total"]);
    EXPECT_GT(cli["total"], 0);
    bool narrower = cli["total"] < word_only["total"] ||
                    cli["total"] < filter_only["total"];
    EXPECT_TRUE(narrower) << "neither the filter nor the word counted";
  }
  // Before the fix the word became a second author and the query was empty.
  json korybko = CliJson({"--author", "Andrew Korybko", "venezuela"});
  EXPECT_EQ(korybko["total"], 1);
}

TEST_F(CliTest, RepeatedFilterOptionsAreOred) {
  json both = CliJson({"--theme", "Intelligence", "--theme", "Economy"});
  json intelligence = CliJson({"--theme", "Intelligence"});
  json economy = CliJson({"--theme", "Economy"});
  EXPECT_EQ(both, ApiJson({{"theme", "Intelligence"}, {"theme", "Economy"}}));
  EXPECT_EQ(both["query"]["q"], "");
  EXPECT_GT(both["total"], intelligence["total"]);
  EXPECT_GT(both["total"], economy["total"]);
  EXPECT_LE(both["total"].get<long>(),
            intelligence["total"].get<long>() + economy["total"].get<long>());
}

TEST_F(CliTest, JsonIsWhatTheApiReturns) {
  struct Case {
    std::vector<std::string> cli;
    api::Params api;
  };
  const Case cases[] = {
      {{"venezuela"}, {{"q", "venezuela"}}},
      {{"compromise", "Venezuela"}, {{"q", "compromise Venezuela"}}},
      {{"--facet-limit", "2", "--op", "or", "oil", "gas", "grain"},
       {{"q", "oil gas grain"}, {"facet_limit", "2"}, {"op", "or"}}},
      {{"--facet-limit", "0", "election"},
       {{"q", "election"}, {"facet_limit", "0"}}},
      {{"--sort", "newest", "--limit", "3", "--page", "2"},
       {{"sort", "newest"}, {"per_page", "3"}, {"page", "2"}}},
      {{"--from", "2018-01-01", "--to", "2020-12-31", "--region", "Asia",
        "--region", "Europe"},
       {{"from", "2018-01-01"},
        {"to", "2020-12-31"},
        {"region", "Asia"},
        {"region", "Europe"}}},
      {{"author:\"Andrew Korybko\" year:2019"},
       {{"q", "author:\"Andrew Korybko\" year:2019"}}},
  };
  for (const Case& c : cases) {
    std::string trace;
    for (const std::string& a : c.cli) trace += a + " ";
    SCOPED_TRACE(trace);
    json cli = CliJson(c.cli);
    EXPECT_EQ(cli, ApiJson(c.api));
    EXPECT_TRUE(cli.contains("facets"));
  }
  // --facet-limit is the number of values per facet.
  json limited = CliJson({"--facet-limit", "1"});
  for (const auto& [name, values] : limited["facets"].items()) {
    EXPECT_LE(values.size(), 1u) << name;
  }
}

TEST_F(CliTest, FacetLimitOutsideTheApiRangeIsAnError) {
  for (const char* limit : {"-1", "1001"}) {
    testing::CommandResult r = Search({"--facet-limit", limit, "venezuela"});
    EXPECT_EQ(r.exit_code, 1) << limit;
    EXPECT_EQ(r.err, std::string("pundit: error: --facet-limit must be "
                                 "between 0 and 1000, got ") +
                         limit + "\n");
    EXPECT_EQ(r.out, "");
  }
}

TEST_F(CliTest, PageAndLimitErrorsNameTheOptions) {
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  for (const Case& c : std::vector<Case>{
           {{"--page", "0", "oil"},
            "pundit: error: --page must be 1 or more, got 0\n"},
           {{"--limit", "0", "oil"},
            "pundit: error: --limit must be between 1 and 1000, got 0\n"},
           {{"--limit", "1001", "oil"},
            "pundit: error: --limit must be between 1 and 1000, got 1001\n"},
       }) {
    testing::CommandResult r = Search(c.args);
    EXPECT_EQ(r.exit_code, 1) << c.args[1];
    EXPECT_EQ(r.err, c.err);
    EXPECT_EQ(r.out, "");
  }
}

TEST_F(CliTest, LimitGoesPastTheApiCap) {
  // Every article of the index on one page: more than the API's 100 only
  // when the index has that many, so compare with the total.
  json all = CliJson({"--limit", "1000", "--op", "or", "the", "a", "of"});
  ASSERT_TRUE(all["total"].is_number());
  long total = all["total"].get<long>();
  EXPECT_GT(total, 30);
  EXPECT_EQ(all["hits"].size(), static_cast<size_t>(std::min(total, 1000L)));
  EXPECT_EQ(all["per_page"], 1000);
}

TEST_F(CliTest, FacetsAndSnippetsAreReadableWithoutEscapeCodesWhenPiped) {
  testing::CommandResult r = Search(
      {"--facets", "--snippets", "--author", "Andrew Korybko", "venezuela"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out.find('\033'), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("<mark>"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("&amp;"), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.starts_with("1 articles for venezuela\n")) << r.out;
  EXPECT_NE(r.out.find("  1. " + std::string(kSampleTitle) + "\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("russia-astana-venezuela | 2019-01-31 | Andrew "
                       "Korybko | Eurasia Future | score "),
            std::string::npos)
      << r.out;
  // A snippet: the matched word as plain text.
  EXPECT_NE(r.out.find("in Venezuela"), std::string::npos) << r.out;
  // The selected author is starred; the others (disjunctive counts) follow.
  EXPECT_NE(r.out.find("\nauthor: *Andrew Korybko (1); "), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\nregion: Latin America & Caribbean (1); Russia and "
                       "FSU (1);\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\ntheme: Intelligence (1);\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\ntimeline (month): 2019-01:1\n"), std::string::npos)
      << r.out;
}

TEST_F(CliTest, SnippetMatchesAreBoldOnATerminal) {
  testing::CommandResult r = testing::RunInTerminal(
      {testing::PunditBinary(), "search", "--db", db_, "--snippets", "--author",
       "Andrew Korybko", "venezuela"},
      {"NO_COLOR="});  // empty: styles stay on (no-color.org)
  ASSERT_NE(r.exit_code, -1) << "no pseudo-terminal";
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\033[1mVenezuela\033[0m"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\033[1m" + std::string(kSampleTitle) + "\033[0m"),
            std::string::npos)
      << r.out;

  r = testing::RunInTerminal({testing::PunditBinary(), "search", "--db", db_,
                              "--snippets", "venezuela"},
                             {"NO_COLOR=1"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find(kSampleTitle), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\033'), std::string::npos) << r.out;
}

TEST_F(CliTest, UsageErrorsExitOneWithAHint) {
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  const Case cases[] = {
      {{"index"},
       "pundit: error: PATH is required\n"
       "Run `pundit index --help` for usage.\n"},
      {{"search", "--bogus", "venezuela"},
       "pundit: error: The following argument was not expected: --bogus\n"
       "Run `pundit search --help` for usage.\n"},
      {{"search", "--limit", "many", "venezuela"},
       "pundit: error: Could not convert: --limit = many\n"
       "Run `pundit search --help` for usage.\n"},
      {{"search", "--sort", "sideways"},
       "pundit: error: --sort: sideways not in {relevance,newest,oldest}\n"
       "Run `pundit search --help` for usage.\n"},
      {{"attention", "--interval", "hour", "oil"},
       "pundit: error: --interval: hour not in {day,week,month,year}\n"
       "Run `pundit attention --help` for usage.\n"},
      {{"frobnicate"},
       "pundit: error: unknown command \"frobnicate\": use index, search, "
       "export, attention, serve, compact, stats, shard-serve, "
       "replicate-serve or follow\n"
       "Run `pundit --help` for usage.\n"},
      {{},
       "pundit: error: a command is required: index, search, export, "
       "attention, serve, compact, stats, shard-serve, replicate-serve or "
       "follow\n"
       "Run `pundit --help` for usage.\n"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {testing::PunditBinary()};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    testing::CommandResult r = testing::RunCommand(argv);
    EXPECT_EQ(r.exit_code, 1) << c.err;
    EXPECT_EQ(r.err, c.err);
    EXPECT_EQ(r.out, "");
  }
}

TEST_F(CliTest, HelpExitsZeroAndDescribesExitStatus) {
  testing::CommandResult r =
      testing::RunCommand({testing::PunditBinary(), "--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Exit status: 0 on success; 1 on an error, including "
                       "a usage error"),
            std::string::npos)
      << r.out;
  r = testing::RunCommand({testing::PunditBinary(), "search", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("--facet-limit"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--theme THEME"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(--theme A --theme B)"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace pundit
