// Server-rendered HTML pages: GET /, GET /search (the parameters of
// /api/search; &fragment=1 renders only the regions app.js swaps in),
// GET /article/{id} (?q= marks the matches; ?back= is the query string of
// the search the article was opened from, for its back link),
// GET /opensearch.xml (links to the page and to the search's Atom feed,
// web/feed.h), and static files under /static/. Rendered from the
// mustache templates in <web_dir>/templates; every value from articles and
// queries is HTML-escaped. Works with JavaScript off; web/static/app.js
// enhances it.
#ifndef PUNDIT_WEB_PAGES_H_
#define PUNDIT_WEB_PAGES_H_

#include <string>

namespace httplib {
class Server;
}

namespace pundit {

class SearcherPool;
class SearchStageMetrics;

// Registers the page and static routes on `server`. `web_dir` holds
// templates/ and static/; templates are read once here. `public_url`
// (normalised by NormalizePublicUrl, web/feed.h) starts the OpenSearch
// description's links; "" leaves them relative. `stage_metrics`, when not
// null, receives the stage times of the search page's searches. Returns
// false (and prints why on stderr) when a template is missing or does not
// parse.
bool RegisterPageRoutes(httplib::Server& server, SearcherPool& pool,
                        const std::string& web_dir,
                        const std::string& public_url,
                        SearchStageMetrics* stage_metrics = nullptr);

}  // namespace pundit

#endif  // PUNDIT_WEB_PAGES_H_
