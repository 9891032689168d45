// GET /in-context: every match of a search with the words around it (a
// keyword-in-context concordance), read in the page: the words before each
// match aligned against it, the words after, and the article it is in.
// Takes the parameters of GET /api/export with context=N (default 10), and
// `order` (found: the search's order; after / before: alphabetically by the
// words after the match, or by the words before it, nearest first) and
// `start` (the first match shown). Reads up to kGatheredMatches matches,
// shows kShownMatches of them a page, counts the words met right before and
// right after the match, and links the whole concordance as CSV and JSON
// Lines.
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/parse_text.h"
#include "searcher/query.h"
#include "searcher/searcher.h"
#include "web/page_state.h"
#include "web/page_util.h"
#include "web/research_api.h"
#include "web/searcher_pool.h"

namespace pundit::pages {
namespace {

constexpr size_t kShownMatches = 500;  // a page of rows
// Matches read for ordering and for the neighbouring words: a bound on the
// work and memory of one page (about 1 s and 5 MB for 20,000 matches).
constexpr size_t kGatheredMatches = 20000;
constexpr int kDefaultWords = 10;   // as the search page's download links
constexpr size_t kNeighbours = 12;  // words listed before and after

enum class Order { kFound, kAfter, kBefore };

// One match with its article, as read from the export.
struct Row {
  InContext m;
  std::string id, title, date, source;
  std::string key;  // what the order sorts by (folded words)
};

// The matches of an export, in the search's order.
struct Gathered {
  std::vector<Row> rows;
  size_t articles = 0;  // holding the rows
  bool more = false;    // matches past kGatheredMatches left out
};

// Lower-case, case-folded `text` (ICU full case folding).
std::string Folded(std::string_view text) {
  std::string out;
  icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), text.size()))
      .foldCase()
      .toUTF8String(out);
  return out;
}

// The words of `text` split on spaces, each without the punctuation around
// it (but an abbreviation's last dot), folded; tokens of punctuation alone
// are left out.
std::vector<std::string> KeyWords(std::string_view text) {
  auto punct = [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x80 && std::ispunct(u) != 0;
  };
  std::vector<std::string> words;
  for (std::string_view w : parse::SplitWords(text)) {
    while (!w.empty() && punct(w.front())) w.remove_prefix(1);
    while (!w.empty() && punct(w.back())) {
      // The dot of an abbreviation stays: "U.S." is not "u.s".
      if (w.back() == '.' &&
          w.substr(0, w.size() - 1).find('.') != std::string_view::npos) {
        break;
      }
      w.remove_suffix(1);
    }
    if (!w.empty()) words.push_back(Folded(w));
  }
  return words;
}

// The sort key of `m` under `order`: the words after the match in reading
// order, or the words before it from the nearest back; then the match.
std::string SortKey(const InContext& m, Order order) {
  std::vector<std::string> words =
      KeyWords(order == Order::kAfter ? m.right : m.left);
  if (order == Order::kBefore) std::reverse(words.begin(), words.end());
  std::string key;
  for (const std::string& w : words) key += w + '\x01';
  return key + '\x02' + Folded(m.match);
}

// Runs the export of `params` until kGatheredMatches matches are read.
Result<Gathered> GatherMatches(Searcher& searcher,
                               const api::ExportParams& params) {
  Gathered g;
  Status s = searcher.Export(
      params.search, params.options, [&](const std::vector<Hit>& batch) {
        for (const Hit& hit : batch) {
          if (!hit.in_context.empty()) ++g.articles;
          for (const InContext& m : hit.in_context) {
            if (g.rows.size() == kGatheredMatches) {
              g.more = true;
              return false;
            }
            g.rows.push_back({m, hit.id, hit.title, hit.date, hit.source, ""});
          }
        }
        return true;
      });
  if (!s.ok()) return s;
  return g;
}

// Orders `rows` (stable: equal keys keep the search's order).
void OrderRows(std::vector<Row>& rows, Order order) {
  if (order == Order::kFound) return;
  for (Row& r : rows) r.key = SortKey(r.m, order);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.key < b.key; });
}

// The words met most often right after (`after`) or right before the
// matches, stop words left out, as links to the in-context page of the
// two words as a phrase: {"word", "count", "url"}.
Data Neighbours(const std::vector<Row>& rows, bool after,
                const api::Params& params) {
  std::map<std::string, size_t> counts;
  std::map<std::string, std::string> match_of;  // a match each word follows
  for (const Row& r : rows) {
    std::vector<std::string> words = KeyWords(after ? r.m.right : r.m.left);
    if (words.empty()) continue;
    const std::string& w = after ? words.front() : words.back();
    if (query::IsStopWord(w)) continue;
    if (++counts[w] == 1) match_of[w] = Folded(r.m.match);
  }
  std::vector<std::pair<std::string, size_t>> sorted(counts.begin(),
                                                     counts.end());
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const auto& a, const auto& b) { return a.second > b.second; });
  if (sorted.size() > kNeighbours) sorted.resize(kNeighbours);
  Data list(Data::type::list);
  for (const auto& [word, count] : sorted) {
    if (count < 2) break;
    const std::string& match = match_of[word];
    const std::string phrase =
        "\"" + (after ? match + " " + word : word + " " + match) + "\"";
    Data item;
    item.set("word", word);
    item.set("count", WithCommas(static_cast<long>(count)));
    item.set("url", "/in-context?" + QueryWithout(params, {"q", "start"},
                                                  "q=" + UrlEncode(phrase)));
    list.push_back(item);
  }
  return list;
}

// The rows of the page: rows[start, start + kShownMatches), each linking
// its article with `q` marked and `back` as its back link.
Data PageRows(const std::vector<Row>& rows, size_t start, const std::string& q,
              const std::string& back) {
  Data out(Data::type::list);
  for (size_t i = start; i < rows.size() && i < start + kShownMatches; ++i) {
    const Row& r = rows[i];
    Data row;
    row.set("left", r.m.left);
    row.set("match", r.m.match);
    row.set("right", r.m.right);
    row.set("title", r.title.empty() ? r.id : r.title);
    row.set("url", ArticleUrl(r.id, q, back));
    SetIf(row, "date", HumanDate(r.date));
    SetIf(row, "source", r.source);
    out.push_back(row);
  }
  return out;
}

// "12 matches in 3 articles.", "4,616 matches in 1,547 articles. Shown:
// 501-1,000.", the bound when the search has more, or, for none, why.
std::string Summary(const Gathered& g, size_t start, Order order) {
  if (g.rows.empty()) {
    return "None of the query's words appears in the text of the articles "
           "it finds (a query of excluded words or authors alone has none to "
           "show).";
  }
  const auto total = static_cast<long>(g.rows.size());
  const std::string articles =
      Plural(static_cast<long>(g.articles), "article", "articles");
  std::string out;
  if (g.more) {
    out = "The search has more than " + WithCommas(total) +
          " matches; the first " + WithCommas(total) + " (in " + articles +
          ") are read" + (order == Order::kFound ? "" : " and ordered") +
          ": narrow the search to read them all here, or download every "
          "match.";
  } else {
    out = Plural(total, "match", "matches") + " in " + articles + ".";
  }
  if (g.rows.size() > kShownMatches && start < g.rows.size()) {
    const size_t last = std::min(g.rows.size(), start + kShownMatches);
    out += " Shown: " + WithCommas(static_cast<long>(start + 1)) + "-" +
           WithCommas(static_cast<long>(last)) + ".";
  }
  return out;
}

// Parses `order`: found (or empty), after, before.
Result<Order> ParseOrder(const std::string& order) {
  if (order.empty() || order == "found") return Order::kFound;
  if (order == "after") return Order::kAfter;
  if (order == "before") return Order::kBefore;
  return Status::InvalidArgument("order must be found, after or before, got " +
                                 api::QuoteForMessage(order));
}

// The links to the previous and next page of rows, when there are any.
void SetPaging(Data& model, const api::Params& params, size_t start,
               size_t rows) {
  auto at = [&](size_t s) {
    return "/in-context?" +
           QueryWithout(params, {"start"},
                        s == 0 ? "" : "start=" + std::to_string(s));
  };
  model.set("has_pages", start > 0 || start + kShownMatches < rows);
  if (start > 0) {
    model.set("prev_url",
              at(start > kShownMatches ? start - kShownMatches : 0));
  }
  if (start + kShownMatches < rows) {
    model.set("next_url", at(start + kShownMatches));
  }
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
  const std::string order_param = OneParam(params, "order");
  model.set("orders",
            SelectOptions({{"found", "as found"},
                           {"after", "by the words after"},
                           {"before", "by the words before"}},
                          order_param.empty() ? "found" : order_param));
  // The filters the form carries along.
  model.set("hidden", HiddenInputs(params, {"q", "context", "order", "start"}));

  int status = 200;
  auto fail = [&](const Status& s) { SetPageError(model, s, &status); };
  if (q.find_first_not_of(" \t\r\n") != std::string::npos) {
    Result<Order> order = ParseOrder(order_param);
    int start = 0;
    Status start_ok =
        api::ParseIntParam("start", OneParam(params, "start"), 0,
                           static_cast<int>(kGatheredMatches), &start);
    api::Params export_params = params;
    export_params.erase("order");
    export_params.erase("start");
    Result<api::ExportParams> parsed = api::ParseExportParams(export_params);
    if (!order.ok()) {
      fail(order.status());
    } else if (!start_ok.ok()) {
      fail(start_ok);
    } else if (!parsed.ok()) {
      fail(parsed.status());
    } else if (Result<SearcherPool::Lease> lease = ctx.pool->Acquire();
               !lease.ok()) {
      fail(lease.status());
    } else {
      const std::string back =
          QueryWithout(params, {"context", "order", "start"});
      Result<Gathered> g = GatherMatches(**lease, *parsed);
      if (!g.ok()) {
        fail(g.status());
      } else {
        const auto first = static_cast<size_t>(start);
        OrderRows(g->rows, *order);
        const std::string all = QueryWithout(params, {"order", "start"});
        model.set("has_rows", first < g->rows.size());
        model.set("rows", PageRows(g->rows, first, q, back));
        model.set("summary", Summary(*g, first, *order));
        SetPaging(model, params, first, g->rows.size());
        Data after = Neighbours(g->rows, true, params);
        Data before = Neighbours(g->rows, false, params);
        model.set("has_after", after.is_non_empty_list());
        model.set("has_before", before.is_non_empty_list());
        model.set("has_neighbours",
                  after.is_non_empty_list() || before.is_non_empty_list());
        model.set("after", after);
        model.set("before", before);
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
