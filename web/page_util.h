// What the server-rendered pages (web/pages.h) share: text helpers (URLs,
// dates, numbers), the handler context with its templates, the base view
// model and the error page. Internal to the web library.
//
// Functions are pure and thread-safe unless they take a Response; Context is
// immutable once built but for its Templates, which are thread-safe.
#ifndef PUNDIT_WEB_PAGE_UTIL_H_
#define PUNDIT_WEB_PAGE_UTIL_H_

#include <httplib.h>

#include <filesystem>
#include <initializer_list>
#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/files.h"
#include "core/status.h"
#include "core/text.h"
#include "web/api.h"
#include "web/api_util.h"
#include "web/metrics.h"
#include "web/searcher_pool.h"
#include "web/templates.h"

namespace pundit::pages {

namespace fs = std::filesystem;
using Data = kainjow::mustache::data;

// ---------------------------------------------------------------------------
// Text helpers

// Percent-encoding and the article page's URL (web/api_util.h).
using api::ArticleUrl;
using api::UrlEncode;

// 1234567 -> "1,234,567" (core/text.h).
inline std::string WithCommas(long n) { return WithThousands(n); }

// "1 article", "1,234 articles".
std::string Plural(long n, const char* one, const char* many);

// Month names by month - 1.
inline constexpr const char* kMonthShort[] = {"Jan", "Feb", "Mar", "Apr",
                                              "May", "Jun", "Jul", "Aug",
                                              "Sep", "Oct", "Nov", "Dec"};

inline constexpr const char* kMonthLong[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// "2019-01-31" -> "31 Jan 2019"; anything else is returned as it is.
std::string HumanDate(const std::string& iso);

// `n` zero-padded to `width` digits.
std::string Pad(int n, int width);

// Numbers the <mark> elements of searcher-made HTML: <mark id="m1">, ...
std::string NumberMarks(const std::string& html, int* counter);

// A short hex hash of `s` (10 digits), for asset URLs.
std::string HexHash(const std::string& s);

// Sets `key` only when `value` is not empty: kainjow renders a section over
// an empty string, so an empty optional string is stored as false instead
// (false, not absent: an absent key is looked up in the enclosing contexts).
void SetIf(Data& d, const std::string& key, const std::string& value);

// {"text", "url"}, a link of a template.
Data Link(const std::string& text, const std::string& url);

// The query string of `params` but for the parameters named in `drop`,
// with `extra` ("a=b&c=d", already encoded) appended.
std::string QueryWithout(const api::Params& params,
                         std::initializer_list<std::string_view> drop,
                         const std::string& extra = "");

// {"name", "value"} of each parameter not named in `skip`: the hidden
// inputs by which a page's form carries the search's filters along.
Data HiddenInputs(const api::Params& params,
                  std::initializer_list<std::string_view> skip);

// {"value", "label", "selected"} of each of `values` (each its own label),
// the one equal to `selected` selected: the options of a <select>.
Data SelectOptions(std::initializer_list<const char*> values,
                   const std::string& selected);
// The same with a label shown for each value: {value, label} pairs.
Data SelectOptions(
    std::initializer_list<std::pair<const char*, const char*>> labelled,
    const std::string& selected);

// Words of `q` split on spaces (quotes and operators are kept as they are).
std::vector<std::string> Words(const std::string& q);

// What every page handler shares, built once by RegisterPageRoutes.
struct Context {
  SearcherPool* pool = nullptr;
  fs::path web_dir, static_dir;  // static_dir is canonical
  Templates templates;
  std::string asset_version;
  std::string public_url;  // "" = relative links (web/feed.h)
  SearchStageMetrics* stage_metrics = nullptr;  // null: not counted
};

// The model every page starts from: title and asset version.
Data BaseModel(const Context& ctx, const std::string& title);

// The heading of an error page for HTTP `status`.
std::string ErrorTitle(int status);

// What the user may see of a failure: the message for their own mistakes,
// a fixed sentence for the server's.
std::string PublicMessage(const Status& status, int http_status);

// Shows `status` in the page `model` (its "error"), and sets *http_status
// to the HTTP status it maps to.
void SetPageError(Data& model, const Status& status, int* http_status);

// Sends `html` with `status`, not cached without revalidation.
void SendHtml(httplib::Response& res, int status, const std::string& html);

// Sends the error page for `status` saying `message`; `q` refills the
// search box.
void SendErrorPage(Context& ctx, httplib::Response& res, int status,
                   const std::string& message, const std::string& q = "");

// ---------------------------------------------------------------------------
// The pages, one file each: each renders its page into `res`.

// GET / and /search (web/page_search.cc).
void HandleSearch(Context& ctx, const httplib::Request& req,
                  httplib::Response& res);
// GET /article/{id} (web/page_article.cc).
void HandleArticle(Context& ctx, const httplib::Request& req,
                   httplib::Response& res);
// GET /in-context (web/page_in_context.cc).
void HandleInContext(Context& ctx, const httplib::Request& req,
                     httplib::Response& res);
// GET /compare (web/page_compare.cc).
void HandleCompare(Context& ctx, const httplib::Request& req,
                   httplib::Response& res);

}  // namespace pundit::pages

#endif  // PUNDIT_WEB_PAGE_UTIL_H_
