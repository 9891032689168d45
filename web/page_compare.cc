// GET /compare: attention over time of several queries, as a line chart
// drawn on the server (web/attention_chart.h), a legend with totals, links
// to each query's search and export, and the counts as CSV and JSON. Takes
// the parameters of GET /api/attention, and y=share for shares.
#include <string>
#include <vector>

#include "searcher/research.h"
#include "web/attention_chart.h"
#include "web/page_state.h"
#include "web/page_util.h"
#include "web/research_api.h"
#include "web/searcher_pool.h"

namespace pundit::pages {

void HandleCompare(Context& ctx, const httplib::Request& req,
                   httplib::Response& res) {
  const api::Params params = CleanParams(QueryParams(req));
  const bool share = OneParam(params, "y") == "share";
  Data model = BaseModel(ctx, "Compare – pundit");
  model.set("page_kind", "compare");
  model.set("share", share);

  std::vector<std::string> queries;
  auto [qb, qe] = params.equal_range("q");
  for (auto it = qb; it != qe; ++it) queries.push_back(it->second);
  Data inputs(Data::type::list);
  for (size_t i = 0;
       i < std::max<size_t>(2, queries.size() + 1) && i < kMaxAttentionQueries;
       ++i) {
    Data input;
    input.set("n", std::to_string(i + 1));
    input.set("value", i < queries.size() ? queries[i] : "");
    inputs.push_back(input);
  }
  model.set("inputs", inputs);
  // The filters the form carries along.
  model.set("hidden", HiddenInputs(params, {"q", "interval", "y"}));
  const std::string interval = OneParam(params, "interval");
  model.set("intervals", SelectOptions({"day", "week", "month", "year"},
                                       interval.empty() ? "month" : interval));

  int status = 200;
  auto fail = [&](const Status& s) { SetPageError(model, s, &status); };
  if (!queries.empty()) {
    Result<api::AttentionParams> parsed = api::ParseAttentionParams(params);
    if (!parsed.ok()) {
      fail(parsed.status());
    } else if (Result<SearcherPool::Lease> lease = ctx.pool->Acquire();
               !lease.ok()) {
      fail(lease.status());
    } else if (Result<AttentionResponse> r =
                   (*lease)->Attention(parsed->request);
               !r.ok()) {
      fail(r.status());
    } else {
      const std::string scope =
          QueryWithout(params, {"q", "interval", "y", "format"});
      model.set("has_chart", true);
      model.set("svg", AttentionSvg(*r, share));
      model.set("interval", std::string(IntervalName(r->interval)));
      model.set("caption",
                std::string(share ? "Share of all articles" : "Articles") +
                    " per " + std::string(IntervalName(r->interval)) +
                    " matching each query; hover a point for its values.");
      model.set("count_url", "/compare?" + QueryWithout(params, {"y"}));
      model.set("share_url",
                "/compare?" + QueryWithout(params, {"y"}, "y=share"));
      const std::string counts = QueryWithout(params, {"y", "format"});
      model.set("csv_url", "/api/attention?" + counts + "&format=csv");
      model.set("json_url", "/api/attention?" + counts);
      Data series(Data::type::list);
      for (size_t i = 0; i < r->series.size(); ++i) {
        const AttentionSeries& s = r->series[i];
        const std::string one =
            "q=" + UrlEncode(s.q) + (scope.empty() ? "" : "&" + scope);
        Data d;
        d.set("q", s.q);
        d.set("colour", SeriesColour(i));
        d.set("total", WithCommas(s.total));
        d.set("search_url", "/search?" + one);
        d.set("export_csv_url", "/api/export?" + one + "&format=csv");
        d.set("export_jsonl_url", "/api/export?" + one + "&format=jsonl");
        d.set("export_text_csv_url",
              "/api/export?" + one + "&format=csv&text=1");
        d.set("export_text_jsonl_url",
              "/api/export?" + one + "&format=jsonl&text=1");
        d.set("in_context_url", "/in-context?" + one);
        series.push_back(d);
      }
      model.set("series", series);
      std::string title;
      for (const AttentionSeries& s : r->series) {
        title += (title.empty() ? "" : " vs ") + s.q;
      }
      model.set("title", title + " – compare – pundit");
    }
  }
  model.set("content", ctx.templates.Render("compare", model));
  SendHtml(res, status, ctx.templates.Render("layout", model));
}

}  // namespace pundit::pages
