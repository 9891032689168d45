// The index schema: every Xapian term prefix, value slot and metadata key that
// pundit writes, in one place. docs/ARCHITECTURE.md mirrors this table; change
// both together and bump kSchemaVersion when the on-disk meaning changes.
//
// Prefixes follow Omega's conventions (docs/termprefixes). Facet terms hold
// the exact display form after a ':' ("A:Andrew Korybko"), so a facet's values
// and counts come straight from the term list with no side table.
//
// Text terms (all produced by core/analyzer.h, lower-cased, diacritic-folded):
//   <word>        unstemmed word, with positions (body, lede and title)
//   Z<stem>       English Snowball stem, no positions (body, lede and title)
//   S<word>       unstemmed title word, with positions
// "With positions" means in the article's position records (value slots
// from kPositionsFirstValue, core/positions.h), not in Xapian's position
// table, which pundit leaves empty: phrases and NEAR are checked against
// the records (searcher/position_match.h).
//   ZS<stem>      stemmed title word
//   XP<w1> <w2>   two adjacent words (body, lede or title), at least one of
//                 them a pair word (kPairWords); wdf 0, no positions. A phrase
//                 holding such a pair reads its one posting list instead of
//                 checking where the common word occurs in every article
//                 holding both (Lucene's "common grams").
// Title words are also indexed unprefixed with wdf x kTitleWdfBoost, which is
// how BM25 ranks title matches above body matches; author names likewise with
// kAuthorWdfBoost.
#ifndef PUNDIT_CORE_SCHEMA_H_
#define PUNDIT_CORE_SCHEMA_H_

#include <string>
#include <string_view>

namespace pundit::schema {

// Bumped whenever terms, values or document data change meaning. A database
// with another version is refused with Status::kVersionMismatch and a message
// telling the user to run `pundit index --full`.
inline constexpr int kSchemaVersion =
    6;  // 2: XP pair terms; 3: position records; 4: ids of records;
        // 5: author names as text, NFKC and Chinese folding
        // 6: copy signatures and groups

// ---- term prefixes ----
inline constexpr std::string_view kIdPrefix = "Q";  // Q<article id>
inline constexpr std::string_view kFilePrefix =
    "XF";  // XF<16 hex: hash of source path>
inline constexpr std::string_view kTitlePrefix = "S";  // S<word>
inline constexpr std::string_view kStemPrefix = "Z";   // Z<stem>, ZS<stem>
inline constexpr std::string_view kAuthorPrefix =
    "A:";  // A:<author display form>
inline constexpr std::string_view kRegionPrefix = "XREGION:";
inline constexpr std::string_view kThemePrefix = "XTHEME:";
inline constexpr std::string_view kSourcePrefix = "XSOURCE:";
inline constexpr std::string_view kPairPrefix = "XP";  // XP<w1> <w2>
inline constexpr std::string_view kYearPrefix = "Y";   // Y2019
inline constexpr std::string_view kMonthPrefix = "M";  // M201901
inline constexpr std::string_view kDayPrefix = "D";    // D20190131
// XMH<band: 1 hex digit><10 hex digits>: one LSH band of the article's copy
// signature (core/dedup.h); articles sharing one are candidate copies.
inline constexpr std::string_view kBandPrefix = "XMH";
// XGROUP:<16 hex digits>: the group of syndicated copies the article belongs
// to (the same key as kGroupValue); absent for an article with no copy.
inline constexpr std::string_view kGroupPrefix = "XGROUP:";

// The common words whose pairs with a neighbour are indexed as XP terms
// (folded forms, sorted). Each adds a term per neighbour to every article,
// which costs index size and the time of every add: "the" alone takes the
// slow phrases out of the workload for 4% of the index, the seven commonest
// words cost 14% and made adding articles 28% slower (docs/BENCHMARKS.md,
// "Phrases with common words").
inline constexpr std::string_view kPairWords[] = {"the"};

inline constexpr unsigned kTitleWdfBoost =
    3;  // title words count 3x in body terms
// Author names are also text words (after the body, with positions), with
// wdf x kAuthorWdfBoost: "vaughan" finds Lisa Vaughan's articles.
inline constexpr unsigned kAuthorWdfBoost = 2;
inline constexpr unsigned kParagraphGap =
    10;  // positions skipped between blocks

// ---- value slots (Omega values.h style: the encoding of each slot) ----
enum ValueSlot : unsigned {
  kDateValue = 0,    // "YYYYMMDD" (8 ASCII digits), absent when date unknown;
                     // string order is date order
  kContentHash = 1,  // 16 hex digits: hash of the article's parsed content,
                     // decides "updated" vs "unchanged" on reindex
  // Slots kPositionsFirstValue .. kPositionsFirstValue + 63 (the
  // kPositionParts of core/positions.h): the positions of the article's
  // words and S<word> terms, spread over the slots by hash; a slot is absent
  // when no term of the article falls in it.
  kPositionsFirstValue = 2,
  // 2 * dedup::kSignatureHashes bytes: the article's copy signature
  // (core/dedup.h), absent for a text too short to have one.
  kSignatureValue = 66,
  // 16 hex digits: the key of the article's group of copies, absent when
  // it has none. Made once, when the group is formed, from its first
  // members' content (indexer/copy_groups.h), and kept by every member, so
  // deleting any member leaves the others grouped under the same key.
  kGroupValue = 67,
};

// ---- document data ----
// The stored document is a JSON object holding everything the search page and
// the article page show, so nothing is reparsed from source:
// {"id","title","authors":[],"date","regions":[],"themes":[],"source","url",
//  "lede","body":[{"h":true|false,"t":"..."}],"bio","path","line"}

// ---- metadata keys ----
inline constexpr std::string_view kSchemaKey = "pundit:schema";  // "1"
inline constexpr std::string_view kLastIndexedKey =
    "pundit:last_indexed";  // ISO 8601 UTC
// "pundit:file:<absolute path>" -> "<size> <mtime ns> <hash of file bytes>"
inline constexpr std::string_view kFileStateKeyPrefix = "pundit:file:";
// kIdsContent: records without an id or url are named by their content
// (ContentId in core/document.h). An index without it named them by their
// line; an incremental run then reads every file again, so that they are
// renamed (the other articles count as unchanged).
inline constexpr std::string_view kIdsKey = "pundit:ids";
inline constexpr std::string_view kIdsContent = "content";

// Facets known to the searcher, by the name used in the API.
struct FacetDef {
  std::string_view name;    // "author"
  std::string_view prefix;  // "A:"
};
inline constexpr FacetDef kFacets[] = {
    {"author", kAuthorPrefix}, {"region", kRegionPrefix},
    {"theme", kThemePrefix},   {"source", kSourcePrefix},
    {"year", kYearPrefix},
};

// "A:" + value, etc. Facet values are used as they are (display form).
std::string FacetTerm(std::string_view prefix, std::string_view value);
std::string IdTerm(std::string_view id);
// "XF" + 16 hex digits of a 64-bit hash of `absolute_path`.
std::string FileTerm(std::string_view absolute_path);
// True for a word of kPairWords.
bool IsPairWord(std::string_view folded_word);
// "XP" + first + " " + second.
std::string PairTerm(std::string_view first, std::string_view second);
// "XGROUP:" + key.
std::string GroupTerm(std::string_view key);
// 16 lower-case hex digits of a stable 64-bit hash (FNV-1a) of `bytes`.
std::string HashHex(std::string_view bytes);

}  // namespace pundit::schema

#endif  // PUNDIT_CORE_SCHEMA_H_
