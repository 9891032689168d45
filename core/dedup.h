// Syndicated copies: the MinHash signature of an article's text, the LSH band
// terms that find its candidate copies in an index, and the resemblance of
// two signatures.
//
// The text of an article is its lede and body blocks, without a short last
// block that says where the article first appeared (a repost footer: at
// most kMaxFooterWords words holding "originally published", "first
// appeared", "republished", ...). The title is left out, as reposts are
// often retitled (20 of Reuters' 313 sets of identical bodies were), unless
// that text has fewer than kMinWords words: then the title comes first (its
// longest part between " | ", so a prefix such as "Opinion | " or a suffix
// such as " | The Site" is dropped), since short texts differ mostly there.
// Its words are split at ICU word boundaries' simplest form (runs of letters
// and digits) and case-folded; each run of kShingleWords consecutive words is
// a shingle. The signature keeps, for each of kSignatureHashes hash
// functions, the high 16 bits of the least hash of any shingle (b-bit
// MinHash): the share of equal entries of two signatures estimates the
// resemblance (Jaccard similarity of the shingle sets) of the two texts, to
// within about +-0.04 near 0.9.
//
// Band terms: the signature cut into kBands bands of kBandRows entries, each
// band hashed into one boolean term (schema::kBandPrefix). Two texts of
// resemblance s share at least one band term with probability
// 1 - (1 - s^8)^8: 0.9998 at s = 0.95, 0.989 at s = 0.9, 0.03 at s = 0.5;
// the candidates are then checked with Resemblance(). Each band term costs
// index space (16 bands of 4 made Reuters' index 24% larger, 8 of 8 14%).
//
// All functions are pure and thread-safe.
#ifndef PUNDIT_CORE_DEDUP_H_
#define PUNDIT_CORE_DEDUP_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/article.h"

namespace pundit::dedup {

inline constexpr int kShingleWords = 5;
inline constexpr int kSignatureHashes = 64;
inline constexpr int kBands = 8;
inline constexpr int kBandRows = kSignatureHashes / kBands;  // 8
// Texts with fewer words get no signature and are never grouped: too short
// to tell a copy from a template ("Shr 10 cts vs 12 cts").
inline constexpr size_t kMinWords = 25;
inline constexpr size_t kMaxFooterWords = 60;
// Two articles whose estimated resemblance is at least this are copies.
inline constexpr double kCopyResemblance = 0.9;
// A band held by more documents than this is boilerplate shared by many (a
// template): its documents are compared with the first few distinct texts
// of it only.
inline constexpr size_t kMaxBandRepresentatives = 64;

// The words of the text described above, case-folded (for tests and tools).
std::vector<std::string> CopyWords(const Article& article);

// The signature of `article`: kSignatureHashes 16-bit entries, big-endian,
// 2 * kSignatureHashes bytes; "" when its text has fewer than kMinWords
// words.
std::string Signature(const Article& article);

// The band terms of a signature (kBands terms, "" signature: none).
std::vector<std::string> BandTerms(std::string_view signature);
// The same bands as numbers, ordered as their terms are (a term is
// schema::kBandPrefix and its number as 11 hex digits).
std::vector<uint64_t> BandKeys(std::string_view signature);

// The share of equal entries of two signatures, 0..1; 0 when either is not
// a signature (wrong length).
double Resemblance(std::string_view a, std::string_view b);

}  // namespace pundit::dedup

#endif  // PUNDIT_CORE_DEDUP_H_
