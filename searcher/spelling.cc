#include "searcher/spelling.h"

#include <algorithm>
#include <vector>

namespace pundit {
namespace {

// The code points of UTF-8 `s` (malformed bytes taken one by one).
std::u32string Decode(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80         ? 1
                 : c >> 5 == 0x6  ? 2
                 : c >> 4 == 0xE  ? 3
                 : c >> 3 == 0x1E ? 4
                                  : 1;
    if (i + len > s.size()) len = 1;
    char32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (size_t k = 1; k < len; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

int Distance(const std::u32string& a, const std::u32string& b,
             int max_distance) {
  int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > max_distance) return max_distance + 1;
  // Three rows of the dynamic programme: i-2, i-1, i.
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (int j = 0; j <= m; ++j) prev[j] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > max_distance) return max_distance + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[m], max_distance + 1);
}

}  // namespace

int EditDistance(std::string_view a, std::string_view b, int max_distance) {
  return Distance(Decode(a), Decode(b), max_distance);
}

std::optional<std::string> SuggestSpelling(const std::string& word,
                                           unsigned freq,
                                           const Snapshot& snapshot,
                                           Xapian::Database& db) {
  std::u32string w = Decode(word);
  if (w.size() < 3) return std::nullopt;
  // A word with a digit (co2, 1897, b52) is a code, a number or a name
  // typed on purpose: the nearest word ("co", "1987") is another thing.
  if (std::any_of(word.begin(), word.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  int max_distance = w.size() <= 4 ? 1 : 2;
  unsigned char lead = static_cast<unsigned char>(word[0]);
  size_t first_len = lead < 0x80        ? 1
                     : lead >> 5 == 0x6 ? 2
                     : lead >> 4 == 0xE ? 3
                                        : 4;
  auto vocabulary =
      snapshot.Vocabulary(db, word.substr(0, std::min(first_len, word.size())));
  const std::string* best = nullptr;
  int best_distance = max_distance + 1;
  uint32_t best_freq = 0;
  for (const auto& [candidate, cfreq] : *vocabulary) {
    if (candidate == word) continue;
    if (freq > 0 && cfreq < 10 * freq) continue;
    // Cheap length test on bytes before decoding: each edit changes the
    // length by at most 4 bytes.
    if (candidate.size() + 4 * max_distance < word.size() ||
        word.size() + 4 * max_distance < candidate.size()) {
      continue;
    }
    int d = Distance(w, Decode(candidate), max_distance);
    if (d > max_distance) continue;
    if (d < best_distance || (d == best_distance && cfreq > best_freq)) {
      best = &candidate;
      best_distance = d;
      best_freq = cfreq;
    }
  }
  if (!best) return std::nullopt;
  return *best;
}

}  // namespace pundit
