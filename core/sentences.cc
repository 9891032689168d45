#include "core/sentences.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace pundit {
namespace {

bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Titles and months that ICU's list misses where a text starts with them
// ("Dr. Lee met ..."), without their full stop, sorted.
constexpr std::array<std::string_view, 26> kAbbreviations = {
    "Apr", "Aug", "Capt", "Col",  "Dec", "Dr", "Feb", "Gen", "Gov",
    "Jan", "Jr",  "Lt",   "Mr",   "Mrs", "Ms", "Nov", "Oct", "Prof",
    "Rep", "Sen", "Sep",  "Sept", "Sgt", "Sr", "St",  "vs"};

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Whether a word starts at `begin`: the start of the text, or after a
// space, an opening parenthesis or a quote.
bool WordStart(std::string_view text, size_t begin) {
  return begin == 0 || IsSpace(text[begin - 1]) || text[begin - 1] == '(' ||
         text[begin - 1] == '"';
}

// Whether the sentence text[0, end) ends with an abbreviation: its last
// word (before trailing spaces) is one or more "X." with X a single letter
// ("U.S.", "J.", "e.g."), or one of kAbbreviations with its full stop.
bool EndsWithAbbreviation(std::string_view text, size_t end) {
  while (end > 0 && IsSpace(text[end - 1])) --end;
  if (end == 0 || text[end - 1] != '.') return false;
  size_t begin = end - 1;
  while (begin > 0 && IsAsciiLetter(text[begin - 1])) --begin;
  if (WordStart(text, begin) &&
      std::binary_search(kAbbreviations.begin(), kAbbreviations.end(),
                         text.substr(begin, end - 1 - begin))) {
    return true;
  }
  size_t pairs = 0;
  while (end >= 2 && text[end - 1] == '.' && IsAsciiLetter(text[end - 2])) {
    end -= 2;
    ++pairs;
  }
  return pairs > 0 && WordStart(text, end);
}

}  // namespace

struct SentenceBreaker::Impl {
  std::unique_ptr<icu::BreakIterator> iterator;
};

SentenceBreaker::SentenceBreaker() : impl_(std::make_unique<Impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  // "ss=standard" keeps "Mr. Putin" and "Jan. 5" in one sentence.
  impl_->iterator.reset(icu::BreakIterator::createSentenceInstance(
      icu::Locale("en@ss=standard"), status));
  if (U_FAILURE(status)) {
    status = U_ZERO_ERROR;
    impl_->iterator.reset(icu::BreakIterator::createSentenceInstance(
        icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) impl_->iterator.reset();
  }
}

SentenceBreaker::~SentenceBreaker() = default;

std::vector<size_t> SentenceBreaker::Split(std::string_view text) {
  std::vector<size_t> bounds;
  if (impl_->iterator && !text.empty()) {
    UErrorCode status = U_ZERO_ERROR;
    UText* ut = utext_openUTF8(nullptr, text.data(),
                               static_cast<int64_t>(text.size()), &status);
    if (U_SUCCESS(status)) {
      impl_->iterator->setText(ut, status);
      if (U_SUCCESS(status)) {
        for (int32_t p = impl_->iterator->first();
             p != icu::BreakIterator::DONE; p = impl_->iterator->next()) {
          const auto at = static_cast<size_t>(p);
          if (at > 0 && at < text.size() && EndsWithAbbreviation(text, at)) {
            continue;
          }
          bounds.push_back(at);
        }
      }
    }
    utext_close(ut);
  }
  if (bounds.empty() || bounds.front() != 0) bounds.insert(bounds.begin(), 0);
  if (bounds.back() != text.size()) bounds.push_back(text.size());
  return bounds;
}

}  // namespace pundit
