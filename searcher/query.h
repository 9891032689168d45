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
//   near    := primary ( ( "NEAR" | "NEAR/" n ) primary )*
//   primary := "(" or ")" | "phrase" | word | prefix* | pattern
//              | field ":" value
//   pattern := a word with "?" (one character) or "*" (any run of
//              characters) inside it: wom?n, colo*r, *stan
//   n       := 1..kMaxNearWords: at most n other words between the two
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
// phrases, NEAR, title: and compounds are never dropped. A group of four or
// more plain words (a pasted passage) also ranks the articles holding them
// as one phrase, in the order typed, above those that only share them.
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
#include "core/date.h"
#include "searcher/default_op.h"

namespace pundit::query {

// One node of the syntax tree.
struct Node {
  enum class Kind {
    kWord,      // text: the word as typed
    kPhrase,    // text: the words between the quotes
    kPrefix,    // text: the prefix, without '*'
    kWildcard,  // text: the pattern as typed, with its '?' and '*'
    kFacet,     // field: "author"...; text: the value as typed
    kDate,      // lo/hi: "YYYYMMDD" bounds, "" when open
    kYear,      // text: "2019"
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
  long near_words = 0;        // kNear: n of NEAR/n, 0 for plain NEAR
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
  // kPattern: a folded pattern with '?' and '*' (GlobMatch).
  enum class Kind { kWord, kPhrase, kPrefix, kPattern };
  Kind kind = Kind::kWord;
  std::vector<std::string> words;  // kPhrase: several; others: one
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

// The terms a wildcard stands for.
struct Expansion {
  std::vector<std::string> terms;  // at most the limit, most frequent first
  size_t matched = 0;              // how many terms matched in all
};

// The index terms that start with `literal` and, when `pattern` is not
// empty, match the glob `pattern` (GlobMatch; it starts with `literal`),
// the `limit` most frequent of them. An empty `literal` means the whole
// vocabulary of unprefixed terms. The searcher expands over the whole index
// (over shards too), so that every shard searches the same terms.
using PrefixExpander = std::function<Expansion(
    const std::string& literal, const std::string& pattern, size_t limit)>;

// At most this many terms stand for one wildcard; past it, the most
// frequent are kept and `notice` says so.
inline constexpr size_t kWildcardLimit = 5000;
// NEAR/n takes n up to this.
inline constexpr long kMaxNearWords = 100;

// Whether `term` matches the glob `pattern`: '?' is one character (a UTF-8
// code point), '*' any run of characters, anything else itself.
bool GlobMatch(std::string_view pattern, std::string_view term);

// Whether a pattern of the query matches folded word `term`: GlobMatch on
// the word, or on the word without its possessive "'s" (wom?n finds
// "women's", as the word women does through its stem).
bool WildcardMatches(std::string_view pattern, std::string_view term);

// Parses and compiles `q`. Never fails: a query that does not parse is read
// as plain words, and `notice` says so. Without `expander`, a prefix inside
// NEAR, and a pattern anywhere, stand for themselves as words.
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
using ::pundit::DateBound;  // core/date.h

}  // namespace pundit::query

#endif  // PUNDIT_SEARCHER_QUERY_H_
