// GET /in-context: every match of a search with the words around it (a
// keyword-in-context concordance), read in the page: the words before each
// match aligned against it, the words after, and the article it is in.
// Takes the parameters of GET /api/export with context=N (default 10); shows
// the first kShownMatches matches and links the whole concordance as CSV
// and JSON Lines.
#include <string>
#include <vector>

#include "searcher/searcher.h"
#include "web/page_state.h"
#include "web/page_util.h"
#include "web/research_api.h"
#include "web/searcher_pool.h"

namespace pundit::pages {
namespace {

// Matches shown in the page; the downloads hold them all.
constexpr size_t kShownMatches = 500;
constexpr int kDefaultWords = 10;  // as the search page's download links

// The first kShownMatches matches of an export, as rows of the page.
struct Shown {
  Data rows{Data::type::list};
  size_t matches = 0;
  size_t articles = 0;  // holding the rows
  bool more = false;    // matches left out
};

// Runs the export of `params` until kShownMatches matches are shown; each
// row links its article with `q` marked and `back` as its back link.
Result<Shown> ShowMatches(Searcher& searcher, const api::ExportParams& params,
                          const std::string& q, const std::string& back) {
  Shown shown;
  Status s = searcher.Export(
      params.search, params.options, [&](const std::vector<Hit>& batch) {
        for (const Hit& hit : batch) {
          if (!hit.in_context.empty()) ++shown.articles;
          for (const InContext& m : hit.in_context) {
            if (shown.matches == kShownMatches) {
              shown.more = true;
              return false;
            }
            ++shown.matches;
            Data row;
            row.set("left", m.left);
            row.set("match", m.match);
            row.set("right", m.right);
            row.set("title", hit.title.empty() ? hit.id : hit.title);
            row.set("url", ArticleUrl(hit.id, q, back));
            SetIf(row, "date", HumanDate(hit.date));
            SetIf(row, "source", hit.source);
            shown.rows.push_back(row);
          }
        }
        return true;
      });
  if (!s.ok()) return s;
  return shown;
}

// "12 matches in 3 articles.", "The first 500 matches, from 40 articles,
// are shown." or, for none, why.
std::string Summary(const Shown& shown) {
  const auto matches = static_cast<long>(shown.matches);
  const std::string articles =
      Plural(static_cast<long>(shown.articles), "article", "articles");
  if (shown.matches == 0) {
    return "None of the query's words appears in the text of the articles "
           "it finds (a query of excluded words or authors alone has none to "
           "show).";
  }
  if (shown.more) {
    return "The first " + WithCommas(matches) + " matches, from " + articles +
           ", are shown.";
  }
  return Plural(matches, "match", "matches") + " in " + articles + ".";
}

}  // namespace

void HandleInContext(Context& ctx, const httplib::Request& req,
                     httplib::Response& res) {
  api::Params params = CleanParams(QueryParams(req));
  params.erase("format");
  params.erase("text");
  if (params.find("context") == params.end()) {
    params.emplace("context", std::to_string(kDefaultWords));
  }
  const std::string q = OneParam(params, "q");
  Data model = BaseModel(ctx, "In context – pundit");
  model.set("page_kind", "in-context");
  model.set("q", q);
  const std::string words = OneParam(params, "context");
  model.set("words", SelectOptions({"5", "10", "15", "20", "30"}, words));
  // The filters the form carries along.
  model.set("hidden", HiddenInputs(params, {"q", "context"}));

  int status = 200;
  auto fail = [&](const Status& s) { SetPageError(model, s, &status); };
  if (q.find_first_not_of(" \t\r\n") != std::string::npos) {
    Result<api::ExportParams> parsed = api::ParseExportParams(params);
    if (!parsed.ok()) {
      fail(parsed.status());
    } else if (Result<SearcherPool::Lease> lease = ctx.pool->Acquire();
               !lease.ok()) {
      fail(lease.status());
    } else {
      const std::string back = QueryWithout(params, {"context"});
      Result<Shown> shown = ShowMatches(**lease, *parsed, q, back);
      if (!shown.ok()) {
        fail(shown.status());
      } else {
        const std::string all = QueryWithout(params, {});
        model.set("has_rows", shown->matches > 0);
        model.set("rows", shown->rows);
        model.set("summary", Summary(*shown));
        model.set("search_url", "/search?" + back);
        model.set("csv_url", "/api/export?" + all + "&format=csv");
        model.set("jsonl_url", "/api/export?" + all + "&format=jsonl");
        model.set("title", q + " – in context – pundit");
      }
    }
  }
  model.set("content", ctx.templates.Render("in_context", model));
  SendHtml(res, status, ctx.templates.Render("layout", model));
}

}  // namespace pundit::pages
