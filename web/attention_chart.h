// The line chart of the compare page: attention over time
// (searcher/research.h) drawn as an SVG document fragment on the server, so
// that it shows without JavaScript. Each point carries a <title> (its
// period, count and share), which browsers show on hover; no script needed.
// Colours are SVG presentation attributes (no inline style), which the
// page's Content-Security-Policy allows.
//
// Pure functions; thread-safe.
#ifndef PUNDIT_WEB_ATTENTION_CHART_H_
#define PUNDIT_WEB_ATTENTION_CHART_H_

#include <cstddef>
#include <string>

#include "searcher/research.h"

namespace pundit {

// The colour of series `i` (cycles through a palette of 10).
const char* SeriesColour(size_t i);

// An <svg> element of the series of `r`, one line each, y the count or (with
// `share`) the share of all articles, x the periods. Every text (queries,
// keys) is escaped. An empty response gives an <svg> saying "no dated
// articles".
std::string AttentionSvg(const AttentionResponse& r, bool share);

}  // namespace pundit

#endif  // PUNDIT_WEB_ATTENTION_CHART_H_
