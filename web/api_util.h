// Small text helpers of the JSON API and the HTTP server: UTF-8 and date
// validation, HTML escaping, URL encoding, quoting user input inside error
// messages, and the one way JSON is serialised for HTTP responses.
//
// All functions are pure and thread-safe.
#ifndef PUNDIT_WEB_API_UTIL_H_
#define PUNDIT_WEB_API_UTIL_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/html.h"
#include "core/status.h"
#include "core/text.h"

namespace pundit::api {

// Longest facet value accepted in a filter or a facet prefix (bytes).
inline constexpr size_t kMaxFacetValueLength = 200;

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates).
using ::pundit::IsValidUtf8;  // core/text.h

// True for "YYYY-MM-DD" naming a real day of the Gregorian calendar, year
// 0001-9999 ("2019-02-29" is false, "2020-02-29" true).
using ::pundit::IsValidIsoDate;  // core/date.h

// True for exactly four ASCII digits, "0001".."9999".
bool IsYear(std::string_view text);

// `text` for an error message: JSON-quoted ("\"abc\""), cut to 40 bytes at a
// UTF-8 boundary with "..." when longer; unquoted when `quote` is false.
std::string QuoteForMessage(std::string_view text, bool quote = true);

// Escapes & < > " ' for HTML text and attribute values (core/html.h).
using ::pundit::EscapeHtml;

// The one value of query parameter `name` in `params` (a multimap, as
// httplib::Params and api::Params), or "" when absent. When it is given more
// than once, sets *error to kInvalidArgument ("page is given 2 times; give it
// once") and returns "".
std::string SingleParam(const std::multimap<std::string, std::string>& params,
                        std::string_view name, Status* error);

// Parses `text` as a whole number in [low, high] into *out; `text` == ""
// leaves *out unchanged. kInvalidArgument: "page must be a whole number, got
// \"abc\"", "per_page must be between 1 and 100, got 1000".
Status ParseIntParam(std::string_view name, const std::string& text, int low,
                     int high, int* out);

// Percent-encodes everything but RFC 3986 unreserved characters and those in
// `keep` (e.g. "/:" for article ids in a path).
std::string UrlEncode(std::string_view s, std::string_view keep = "");

// The article page's path: "/article/" and the id, then `q` (marks the
// matches) and `back` (the query string of the search the article was found
// by, without "?", for the page's back link), each when not empty.
std::string ArticleUrl(const std::string& id, const std::string& q,
                       const std::string& back = "");

// Serialises `value` compactly; invalid UTF-8 in strings is replaced with
// U+FFFD instead of throwing.
std::string DumpJson(const nlohmann::json& value);

}  // namespace pundit::api

#endif  // PUNDIT_WEB_API_UTIL_H_
