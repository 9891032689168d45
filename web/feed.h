// Following a search: the Atom 1.0 feed of its newest matches (GET
// /feed.atom with the parameters of /api/search, docs/API.md), and the
// public URL that the feed and the OpenSearch description make absolute
// links from (`pundit serve --public-url`). Without a public URL their links
// are relative paths ("/article/ID"): they are never made from the
// request's Host header, which a client chooses.
//
// All functions are pure and thread-safe.
#ifndef PUNDIT_WEB_FEED_H_
#define PUNDIT_WEB_FEED_H_

#include <string>
#include <string_view>

#include "core/status.h"
#include "searcher/searcher.h"

namespace pundit {

// Entries of a feed: its search's newest matches.
inline constexpr int kFeedEntries = 50;

// Checks and normalises a --public-url: an absolute http or https URL with a
// host, and no user name, query or fragment; the scheme and host are
// lower-cased and trailing slashes removed ("HTTPS://News.Example.org/s/" ->
// "https://news.example.org/s"). kInvalidArgument with what is wrong and an
// example otherwise. "" stays "" (no public URL).
Result<std::string> NormalizePublicUrl(std::string_view url);

// The search `request` names as a canonical query string, without "?": q,
// the filters in schema::kFacets order, from, to, and op when it is "or";
// values percent-encoded. Page, sort and the other presentation options are
// left out: every page of one search has one feed.
std::string FeedQueryString(const SearchRequest& request);

// `request` as its feed runs it: the first kFeedEntries matches, newest
// first, with snippets and without facets.
SearchRequest FeedRequest(SearchRequest request);

// The Atom 1.0 document of `response`, the answer to FeedRequest(request).
// The feed's id is a URN of its canonical query string; each entry's is
// "urn:pundit:article:" and the percent-encoded article id, so an article
// keeps its id in every feed and across reindexing. An entry's <updated> is
// the article's date at midnight UTC; undated articles and a feed without
// dated entries use `fallback_updated` (RFC 3339, e.g. the time of the
// last indexing). Links start with `public_url` (NormalizePublicUrl) or are
// relative; an article's original url is linked (rel="related") only when
// it is http or https. The summary is the first snippet as plain text.
// Text is escaped by libxml2's writer; control characters XML cannot hold
// are dropped.
std::string RenderAtomFeed(const SearchRequest& request,
                           const SearchResponse& response,
                           const std::string& public_url,
                           const std::string& fallback_updated);

}  // namespace pundit

#endif  // PUNDIT_WEB_FEED_H_
