// How the plain words of a query combine when no operator joins them: the
// one setting that both a SearchRequest (searcher.h) and the query parser
// (query.h) name, kept apart so that the parser's header need not include
// the Searcher's.
#ifndef PUNDIT_SEARCHER_DEFAULT_OP_H_
#define PUNDIT_SEARCHER_DEFAULT_OP_H_

namespace pundit {

// kAnd: every word must match ("a b" = a AND b); kOr: any may ("a b" = a OR
// b).
enum class DefaultOp { kAnd, kOr };

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_DEFAULT_OP_H_
