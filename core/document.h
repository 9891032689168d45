// Converting between an Article and the Xapian document that stores it.
//
// BuildDocument writes every term, value and the document data described in
// core/schema.h; ArticleFromData reads the stored data back. Both are pure
// functions of their arguments (the Analyzer is used, not shared): call them
// from any thread with that thread's own Analyzer.
#ifndef PUNDIT_CORE_DOCUMENT_H_
#define PUNDIT_CORE_DOCUMENT_H_

#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/analyzer.h"
#include "core/article.h"
#include "core/status.h"

namespace pundit {

// Builds the Xapian document for `article`: Q id term, XF file term for
// `absolute_path`, facet terms (authors, regions, themes, source, Y/M/D date
// terms; values longer than 200 bytes are cut at a character boundary), text
// terms of title, lede and body blocks (not the bio), the date and content
// hash values, the copy signature and its band terms (core/dedup.h; the
// group is added by indexer/copy_groups.h) and the JSON document data.
// Every term but the Q id term is at most kMaxTermBytesButId bytes long, by
// construction (text words of at most 64 bytes, facet values cut at 200):
// only an id can give a term longer than Xapian accepts (245 bytes), and
// callers check it before (schema::IdTerm(id).size()).
inline constexpr size_t kMaxTermBytesButId = 210;
Xapian::Document BuildDocument(const Article& article,
                               const std::string& absolute_path,
                               Analyzer& analyzer);

// The hash stored in schema::kContentHash for `article` (all parsed fields
// except path and line).
std::string ContentHash(const Article& article);

// The id of a record that has neither an id nor a url of its own, in a file
// of many records (corpus/README.md "Article ids"): 16 hex digits hashing
// every parsed field except id, path and line, so that it does not depend
// on where the record stands, in which file, or in what order.
std::string ContentId(const Article& article);

// JSON document data <-> Article. ArticleFromData returns kCorruption for
// data that is not such JSON.
std::string ArticleToData(const Article& article);
Result<Article> ArticleFromData(const std::string& data);

// The positions of `term` in `doc`, read from its position records
// (core/positions.h); empty when it has none. `doc` must hold `term`.
std::vector<uint32_t> PositionsOf(const Xapian::Document& doc,
                                  const std::string& term);

// A readable, sorted dump of a document's terms for tests:
// "A:Andrew Korybko Sastana[1] Zastana:4 astana[1,57] ..." (positions in
// brackets where present; ":wdf" where it differs from the position count).
std::string TermDump(const Xapian::Document& doc);

}  // namespace pundit

#endif  // PUNDIT_CORE_DOCUMENT_H_
