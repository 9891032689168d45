// GET /article/{id}: the article page (web/pages.h).
#include <string>
#include <vector>

#include "core/html.h"
#include "web/api.h"
#include "web/page_state.h"
#include "web/page_util.h"
#include "web/searcher_pool.h"

namespace pundit::pages {

void HandleArticle(Context& ctx, const httplib::Request& req,
                   httplib::Response& res) {
  const std::string id = req.matches[1];
  const api::Params params = QueryParams(req);
  const std::string q = OneParam(params, "q");
  // The search the reader came from; an invalid one is ignored.
  std::optional<PageState> from_search =
      StateFromBack(OneParam(params, "back"));
  Result<SearcherPool::Lease> got = ctx.pool->Acquire();
  if (!got.ok()) {
    int status = api::HttpStatusFor(got.status());
    SendErrorPage(ctx, res, status, PublicMessage(got.status(), status));
    return;
  }
  Searcher* searcher = got->get();
  Result<ArticleView> view = searcher->GetArticle(id, q);
  if (!view.ok()) {
    int status = api::HttpStatusFor(view.status());
    std::string message = status == 404
                              ? "There is no article with the id \"" + id +
                                    "\". It may have been removed from the "
                                    "index."
                              : PublicMessage(view.status(), status);
    SendErrorPage(ctx, res, status, message, q);
    return;
  }
  const Article& a = view->article;
  PageState none;
  Data model = BaseModel(ctx, (a.title.empty() ? a.id : a.title) + " – pundit");
  model.set("page_kind", "article");
  model.set("q", q);
  model.set("id", a.id);
  std::string back;  // passed on to the related articles' links
  if (from_search) {
    back = BackParam(*from_search);
    model.set("back_url", from_search->Url());
    SetIf(model, "back_q", from_search->q);
  } else {
    model.set("back_url", q.empty() ? "/" : none.WithQuery(q).Url());
    SetIf(model, "back_q", q);
  }
  model.set("back_search", from_search.has_value() || !q.empty());
  model.set("title_html",
            view->title_html.empty() ? EscapeHtml(a.title) : view->title_html);
  int marks = 0;
  if (!a.lede.empty()) {
    model.set("lede_html",
              NumberMarks(view->lede_html.empty() ? EscapeHtml(a.lede)
                                                  : view->lede_html,
                          &marks));
  }
  Data blocks(Data::type::list);
  for (const auto& [heading, html] : view->body_html) {
    Data b;
    b.set("heading", heading);
    b.set("html", NumberMarks(html, &marks));
    blocks.push_back(b);
  }
  if (view->body_html.empty()) {
    for (const Block& block : a.body) {
      Data b;
      b.set("heading", block.kind == Block::Kind::kHeading);
      b.set("html", EscapeHtml(block.text));
      blocks.push_back(b);
    }
  }
  model.set("blocks", blocks);
  model.set("match_count", marks > 0);
  model.set("match_text", Plural(marks, "match", "matches"));
  Data authors(Data::type::list);
  for (size_t i = 0; i < a.authors.size(); ++i) {
    Data l = Link(a.authors[i], none.WithOnly("author", a.authors[i]).Url());
    l.set("last", i + 1 == a.authors.size());
    authors.push_back(l);
  }
  model.set("authors", authors);
  model.set("has_authors", !a.authors.empty());
  SetIf(model, "date", a.date);
  model.set("date_human", HumanDate(a.date));
  SetIf(model, "source", a.source);
  if (!a.source.empty()) {
    model.set("source_filter_url", none.WithOnly("source", a.source).Url());
  }
  // Only http(s) links are followed; anything else is shown as text.
  if (a.url.rfind("http://", 0) == 0 || a.url.rfind("https://", 0) == 0) {
    model.set("url", a.url);
  } else {
    SetIf(model, "url_text", a.url);
  }
  if (!a.bio.empty()) {
    model.set("bio_html",
              view->bio_html.empty() ? EscapeHtml(a.bio) : view->bio_html);
  }
  Data chips(Data::type::list);
  for (const auto& r : a.regions) {
    Data c = Link(r, none.WithOnly("region", r).Url());
    c.set("kind", "region");
    chips.push_back(c);
  }
  for (const auto& t : a.themes) {
    Data c = Link(t, none.WithOnly("theme", t).Url());
    c.set("kind", "theme");
    chips.push_back(c);
  }
  model.set("chips", chips);
  model.set("has_chips", !a.regions.empty() || !a.themes.empty());

  Data related(Data::type::list);
  Result<std::vector<Hit>> rel = searcher->Related(a.id, 5);
  if (rel.ok()) {
    int rank = 0;
    for (const Hit& hit : *rel) {
      Hit plain = hit;
      plain.title_html.clear();  // related titles carry no query marks
      related.push_back(HitModel(plain, none, "", back, ++rank));
    }
  }
  model.set("related", related);
  model.set("has_related", !related.list_value().empty());

  model.set("content", ctx.templates.Render("article", model));
  SendHtml(res, 200, ctx.templates.Render("layout", model));
}

}  // namespace pundit::pages
