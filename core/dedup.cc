#include "core/dedup.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>

#include "core/schema.h"
#include "core/text.h"

namespace pundit::dedup {
namespace {

// Phrases (folded words) that mark a last block as a repost footer.
constexpr std::string_view kFooterPhrases[] = {"originally published",
                                               "originally appeared",
                                               "first published",
                                               "first appeared",
                                               "appeared first",
                                               "republished",
                                               "reprinted",
                                               "with permission",
                                               "creative commons",
                                               "was published in",
                                               "was published by",
                                               "syndicated"};

constexpr uint64_t Mix(uint64_t x) {  // splitmix64's finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr std::array<uint64_t, kSignatureHashes> MakeConstants(bool odd,
                                                               uint64_t seed) {
  std::array<uint64_t, kSignatureHashes> out{};
  for (int f = 0; f < kSignatureHashes; ++f) {
    out[f] = Mix(seed + static_cast<uint64_t>(f)) | (odd ? 1 : 0);
  }
  return out;
}
constexpr std::array<uint64_t, kSignatureHashes> kMultipliers =
    MakeConstants(true, 1);
constexpr std::array<uint64_t, kSignatureHashes> kAddends =
    MakeConstants(false, 1000);

uint64_t Fnv(std::string_view bytes) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// Calls on_word(word) for each case-folded run of letters and digits of
// `text`, in order; `word` is valid during the call only.
template <typename F>
void ForEachWord(std::string_view text, F&& on_word) {
  std::string word;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  auto flush = [&] {
    if (word.empty()) return;
    on_word(std::string_view(word));
    word.clear();
  };
  for (int32_t i = 0; i < n;) {
    if (s[i] < 0x80) {  // ASCII, most text: no ICU call
      const char c = static_cast<char>(s[i++]);
      if (IsAsciiAlnum(c)) {
        word += AsciiLower(c);
      } else if (c == '\'' && !word.empty() && i < n &&
                 IsAsciiAlnum(static_cast<char>(s[i]))) {
        // An apostrophe inside a word keeps it whole ("don't").
      } else {
        flush();
      }
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c >= 0 && (u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK)) {
      c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
      char buf[U8_MAX_LENGTH];
      int32_t len = 0;
      U8_APPEND_UNSAFE(buf, len, c);
      word.append(buf, static_cast<size_t>(len));
    } else if (c == 0x2019 && !word.empty() && i < n &&
               IsAsciiAlnum(static_cast<char>(s[i]))) {
      // A typographic apostrophe inside a word, likewise.
    } else {
      flush();
    }
  }
  flush();
}

std::string_view LongestTitlePart(std::string_view title) {
  std::string_view best;
  while (true) {
    size_t bar = title.find(" | ");
    std::string_view part = title.substr(0, bar);
    if (part.size() > best.size()) best = part;
    if (bar == std::string_view::npos) return best;
    title.remove_prefix(bar + 3);
  }
}

bool IsFooter(std::string_view block) {
  size_t words = 0;
  std::string joined;
  ForEachWord(block, [&](std::string_view w) {
    ++words;
    joined.append(w);
    joined += ' ';
  });
  if (words == 0 || words > kMaxFooterWords) return false;
  for (std::string_view phrase : kFooterPhrases) {
    if (joined.find(phrase) != std::string::npos) return true;
  }
  return false;
}

// The words of the article's copy text (core/dedup.h), each made into a T
// by make(word) as it is read.
template <typename T, typename Make>
std::vector<T> CopyTokens(const Article& article, Make make) {
  std::vector<T> tokens;
  auto add = [&](std::string_view w) { tokens.push_back(make(w)); };
  ForEachWord(article.lede, add);
  size_t blocks = article.body.size();
  if (blocks > 0 && IsFooter(article.body.back().text)) --blocks;
  for (size_t b = 0; b < blocks; ++b) ForEachWord(article.body[b].text, add);
  if (tokens.size() >= kMinWords) return tokens;
  // A short text is told apart by its title ("Qtly div 10 cts vs 10 cts").
  std::vector<T> text = std::move(tokens);
  tokens.clear();
  ForEachWord(LongestTitlePart(article.title), add);
  tokens.insert(tokens.end(), std::make_move_iterator(text.begin()),
                std::make_move_iterator(text.end()));
  return tokens;
}

}  // namespace

std::vector<std::string> CopyWords(const Article& article) {
  return CopyTokens<std::string>(
      article, [](std::string_view w) { return std::string(w); });
}

std::string Signature(const Article& article) {
  const std::vector<uint64_t> word_hashes = CopyTokens<uint64_t>(article, Fnv);
  if (word_hashes.size() < kMinWords) return "";
  std::vector<uint64_t> shingles;
  shingles.reserve(word_hashes.size());
  for (size_t i = 0; i + kShingleWords <= word_hashes.size(); ++i) {
    uint64_t shingle = 0;
    for (size_t k = 0; k < kShingleWords; ++k) {
      shingle = Mix(shingle ^ word_hashes[i + k]);
    }
    shingles.push_back(shingle);
  }
  // Hash function f: a multiply-add with odd a_f, a permutation of the
  // 64-bit values (Dietzfelbinger's multiply-shift scheme), one multiply
  // where a mixer per function took four times as long. Four functions a
  // pass over the shingles: four independent minima for each load.
  std::array<uint64_t, kSignatureHashes> mins;
  static_assert(kSignatureHashes % 4 == 0);
  for (int f = 0; f < kSignatureHashes; f += 4) {
    const uint64_t a0 = kMultipliers[f], a1 = kMultipliers[f + 1],
                   a2 = kMultipliers[f + 2], a3 = kMultipliers[f + 3];
    const uint64_t b0 = kAddends[f], b1 = kAddends[f + 1], b2 = kAddends[f + 2],
                   b3 = kAddends[f + 3];
    uint64_t m0 = ~0ULL, m1 = ~0ULL, m2 = ~0ULL, m3 = ~0ULL;
    for (uint64_t shingle : shingles) {
      m0 = std::min(m0, a0 * shingle + b0);
      m1 = std::min(m1, a1 * shingle + b1);
      m2 = std::min(m2, a2 * shingle + b2);
      m3 = std::min(m3, a3 * shingle + b3);
    }
    mins[f] = m0;
    mins[f + 1] = m1;
    mins[f + 2] = m2;
    mins[f + 3] = m3;
  }
  std::string signature;
  signature.reserve(2 * kSignatureHashes);
  for (uint64_t m : mins) {
    signature += static_cast<char>((m >> 56) & 0xff);
    signature += static_cast<char>((m >> 48) & 0xff);
  }
  return signature;
}

std::vector<uint64_t> BandKeys(std::string_view signature) {
  std::vector<uint64_t> keys;
  if (signature.size() != 2 * kSignatureHashes) return keys;
  const size_t band_bytes = 2 * kBandRows;
  for (int b = 0; b < kBands; ++b) {
    const uint64_t h = Fnv(signature.substr(b * band_bytes, band_bytes));
    keys.push_back((static_cast<uint64_t>(b) << 40) | (h >> 24));
  }
  return keys;
}

std::vector<std::string> BandTerms(std::string_view signature) {
  std::vector<std::string> terms;
  for (uint64_t key : BandKeys(signature)) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%011llx",
                  static_cast<unsigned long long>(key));
    terms.push_back(std::string(schema::kBandPrefix) + buf);
  }
  return terms;
}

double Resemblance(std::string_view a, std::string_view b) {
  if (a.size() != 2 * kSignatureHashes || b.size() != a.size()) return 0;
  int equal = 0;
  for (int i = 0; i < kSignatureHashes; ++i) {
    if (a[2 * i] == b[2 * i] && a[2 * i + 1] == b[2 * i + 1]) ++equal;
  }
  return static_cast<double>(equal) / kSignatureHashes;
}

}  // namespace pundit::dedup
