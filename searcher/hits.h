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

// As HitFromData, with the whole article read and its text in Hit::text:
// the lede and each block of the body, separated by blank lines.
Result<Hit> HitWithTextFromData(const std::string& data);

// The lede, or else the first paragraph, escaped and cut to a snippet's
// length; "" when the article has neither.
std::string LedeSnippet(const Article& a);

// The hit for `a` ranked with `weight`. With a highlighter (the query's),
// the title and up to three snippets mark its matches; an article in which
// nothing is marked gets its lede as snippet. Without one, no snippets.
Hit MakeHit(const Article& a, double weight, Highlighter* highlighter);

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_HITS_H_
