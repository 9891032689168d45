// The article model: what every input format is parsed into, what the
// indexer stores and what the searcher shows.
//
// An Article is a plain value type (copyable, movable, not synchronised). All
// strings are valid UTF-8, NFC-normalised, with Markdown, HTML entities and
// inline HTML already resolved to plain text: nothing in an Article is markup.
#ifndef PUNDIT_CORE_ARTICLE_H_
#define PUNDIT_CORE_ARTICLE_H_

#include <string>
#include <vector>

namespace pundit {

// One block of the body: a paragraph of running text, or a sub-head.
struct Block {
  enum class Kind { kParagraph, kHeading };
  Kind kind = Kind::kParagraph;
  std::string text;

  bool operator==(const Block&) const = default;
};

struct Article {
  // Unique within one index (corpus/README.md "Article ids"): the record's
  // own id, else its url, else for the one article of a file its path
  // relative to the indexed root without extension ('/' kept), else for a
  // record of a file of many 16 hex digits of its content. Ids never
  // contain whitespace.
  std::string id;
  std::string title;
  std::vector<std::string> authors;  // display form, in byline order
  std::string date;                  // "YYYY-MM-DD", or "" when unknown
  std::vector<std::string> regions;  // display form, multi-valued facet
  std::vector<std::string> themes;   // display form, multi-valued facet
  std::string source;                // publisher, "" when unknown
  std::string url;                   // "" when unknown
  std::string lede;                  // standfirst, "" when none
  std::vector<Block> body;           // boilerplate already removed
  std::string bio;                   // author bio, "" when none

  // Provenance: the file (as given on the command line, joined with the
  // relative path) and the 1-based line where the article starts.
  std::string path;
  int line = 1;

  bool operator==(const Article&) const = default;
};

}  // namespace pundit

#endif  // PUNDIT_CORE_ARTICLE_H_
