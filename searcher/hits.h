// Stage "hits and snippets" of a search: a Hit from a stored article, its
// title and snippets marked by the query's highlighter. Internal to the
// searcher library.
//
// Pure functions of their arguments; the Highlighter is not thread-safe.
#ifndef PUNDIT_SEARCHER_HITS_H_
#define PUNDIT_SEARCHER_HITS_H_

#include <string>

#include "core/article.h"
#include "core/status.h"
#include "searcher/highlight.h"
#include "searcher/searcher.h"

namespace pundit {

// The fields of `a` as a Hit, title_html escaped, no score or snippets.
Hit HitFromArticle(const Article& a);

// The hit of a document from its stored data (core/document.h), with no
// score or snippets. Reads only what precedes the lede: ArticleToData
// writes id, title, authors, date, regions, themes, source and url first,
// so the text, most of the bytes, is not parsed (data in another order is
// read whole). Errors: those of ArticleFromData (kCorruption).
Result<Hit> HitFromData(const std::string& data);

// The hit an export sends (Searcher::Export): HitFromData when `options`
// asks for nothing more; else with the whole article read, its text in
// Hit::text (the lede and each block of the body, separated by blank
// lines) when options.text, and when options.context every match of
// `highlighter` (which must then be given) in its title, lede and body, one
// paragraph at a time, with options.context words either side
// (Hit::in_context); not in a title that is the start of the text (as one
// derived from it is), whose matches the text gives.
Result<Hit> ExportHitFromData(const std::string& data,
                              const ExportOptions& options,
                              Highlighter* highlighter);

// The lede, or else the first paragraph, escaped and cut to a snippet's
// length; "" when the article has neither.
std::string LedeSnippet(const Article& a);

// The hit for `a` ranked with `weight`. With a highlighter (the query's),
// the title and up to three snippets mark its matches; an article in which
// nothing is marked gets its lede as snippet. Without one, no snippets.
Hit MakeHit(const Article& a, double weight, Highlighter* highlighter);

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_HITS_H_
