#include "core/schema.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iterator>

namespace pundit::schema {

std::string FacetTerm(std::string_view prefix, std::string_view value) {
  std::string term(prefix);
  term.append(value);
  return term;
}

std::string IdTerm(std::string_view id) {
  std::string term(kIdPrefix);
  term.append(id);
  return term;
}

bool IsPairWord(std::string_view folded_word) {
  // Called for every word of every article: a few equality tests (a length
  // compare first) cost less than a search calling memcmp.
  return std::any_of(
      std::begin(kPairWords), std::end(kPairWords),
      [&](std::string_view pair_word) { return pair_word == folded_word; });
}

std::string PairTerm(std::string_view first, std::string_view second) {
  std::string term(kPairPrefix);
  term.append(first);
  term += ' ';
  term.append(second);
  return term;
}

std::string GroupTerm(std::string_view key) {
  std::string term(kGroupPrefix);
  term.append(key);
  return term;
}

std::string HashHex(std::string_view bytes) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string(buf, 16);
}

std::string FileTerm(std::string_view absolute_path) {
  return std::string(kFilePrefix) + HashHex(absolute_path);
}

}  // namespace pundit::schema
