// The query language of the search box: a hand-written tokenizer and
// recursive-descent parser that turn the user's text into a syntax tree, and a
// compiler that turns the tree into a Xapian query, a readable normalised
// interpretation, the units to highlight in snippets and the words that
// did-you-mean may correct. Internal to the searcher library.
//
// Grammar (docs/API.md documents it for users):
//   query   := or
//   or      := and ( "OR" and )*          implicit juxtaposition here when
//   and     := unary ( "AND" unary )*     the default operator is OR, else
//                                         at the "and" level
//   unary   := ( "-" | "NOT" ) unary | near
//   near    := primary ( "NEAR" primary )*
//   primary := "(" or ")" | "phrase" | word | prefix* | field ":" value
//   field   := title | author | region | theme | source | date | year
// Quotes may be ASCII or typographic (“ ” „). Operators are upper case;
// lower-case "or" is a word.
//
// Every word goes through the same pundit::Analyzer as indexing, so folding,
// hyphenated compounds and CJK segmentation match what the index holds.
//
// Ranking (docs/ARCHITECTURE.md): BM25 over the stems, with a small bonus for
// the exact form; in a group of OR'ed words with at least three distinct
// plain words that are not English stop words, the plain stop words are
// dropped ("what is the effect of x on y" -> effect OR x OR y). Words in
// phrases, NEAR, title: and compounds are never dropped.
//
// Thread-safety: the functions are pure; the Analyzer passed in is used, not
// shared, and must be the calling thread's own.
#ifndef PUNDIT_SEARCHER_QUERY_H_
#define PUNDIT_SEARCHER_QUERY_H_

#include <xapian.h>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/analyzer.h"
#include "searcher/default_op.h"

namespace pundit::query {

// One node of the syntax tree.
struct Node {
  enum class Kind {
    kWord,    // text: the word as typed
    kPhrase,  // text: the words between the quotes
    kPrefix,  // text: the prefix, without '*'
    kFacet,   // field: "author"...; text: the value as typed
    kDate,    // lo/hi: "YYYYMMDD" bounds, "" when open
    kYear,    // text: "2019"
    kAnd,
    kOr,
    kNot,   // one child
    kNear,  // children: words, phrases or prefixes
  };
  Kind kind = Kind::kWord;
  std::string text;
  std::string field;
  std::string lo, hi;
  bool title = false;         // inside title:
  size_t begin = 0, end = 0;  // byte span in the query (words)
  std::vector<Node> children;
};

struct ParseResult {
  std::optional<Node> root;  // nullopt for a query with nothing in it
  // "" when the query parsed, else what went wrong and where (1-based
  // character position): "unclosed parenthesis at 12".
  std::string error;
};

// Parses `q` with `op` as the operator between juxtaposed items.
ParseResult Parse(std::string_view q, DefaultOp op);

// The fallback reading of a query that does not parse: every
// whitespace-separated chunk, stripped of syntax characters, is a plain word;
// operator words are dropped. nullopt when nothing is left.
std::optional<Node> PlainWords(std::string_view q, DefaultOp op);

// What snippets mark: a word (exact folded form, or any form with the same
// stem), a phrase (folded words in sequence, marked as one unit) or a prefix.
struct HighlightUnit {
  enum class Kind { kWord, kPhrase, kPrefix };
  Kind kind = Kind::kWord;
  std::vector<std::string> words;  // kWord/kPrefix: one; kPhrase: several
  std::string stem;                // kWord: its stem ("" = exact form only)
  std::string weight_term;         // the index term whose rarity weighs it
  double weight = 1.0;             // idf, filled in by the searcher
};

// A positive single word of the query, for did-you-mean.
struct WordRef {
  std::string term;           // folded form
  size_t begin = 0, end = 0;  // byte span in the query
};

// Finds the display values of facet `facet` ("author", ...) that a query
// value names (case- and accent-insensitively). Empty when none does.
using FacetResolver = std::function<std::vector<std::string>(
    std::string_view facet, std::string_view value)>;

struct Compiled {
  // The whole query; Xapian::Query() (empty) when it has no condition at all.
  Xapian::Query query;
  bool has_text = false;  // words, phrases or prefixes that rank documents
  std::string interpreted;
  std::optional<std::string> notice;
  std::vector<HighlightUnit> units;
  std::vector<WordRef> words;
};

// The index terms starting with `prefix`, at most `limit` of them, the most
// frequent first. Needed where Xapian cannot expand a wildcard itself
// (inside NEAR).
using PrefixExpander = std::function<std::vector<std::string>(
    const std::string& prefix, size_t limit)>;

// Parses and compiles `q`. Never fails: a query that does not parse is read
// as plain words, and `notice` says so. Without `expander`, a prefix inside
// NEAR stands for itself as a word.
Compiled ParseAndCompile(std::string_view q, DefaultOp op, Analyzer& analyzer,
                         const FacetResolver& resolver,
                         const PrefixExpander& expander = {});

// The Xapian query for one folded word: its stem (Z prefix) OR its exact
// form scaled to a quarter of its weight, so that every form matches and
// exact forms rank first. `title` uses the title prefixes.
Xapian::Query WordQuery(const std::string& folded, Analyzer& analyzer,
                        bool title);

// True for a word of Snowball's English stop list ("the", "what", "isn't"),
// given in the analyzer's folded form: the words OR groups drop.
bool IsStopWord(std::string_view folded);

// The stems of those stop words, as `analyzer` stems them (for weighing
// stem terms, as related articles do).
std::set<std::string> StopWordStems(Analyzer& analyzer);

// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" into a "YYYYMMDD" bound: the first
// day when `upper` is false, the last when true. nullopt when invalid.
std::optional<std::string> DateBound(std::string_view text, bool upper);

}  // namespace pundit::query

#endif  // PUNDIT_SEARCHER_QUERY_H_
