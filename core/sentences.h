// SentenceBreaker: sentence boundaries of English text, for snippets and
// for the titles derived from a body: ICU's sentence BreakIterator with
// its English abbreviation exceptions ("en@ss=standard": "Mr. Putin",
// "Jan. 5") plus what that list misses: a break after a word made only of
// single letters each followed by a full stop ("U.S.", "U.N.", "J.",
// "e.g.") or after a title or month ("Dr.", "Sen.", "Sept.", also at the
// start of a text) is not a sentence end.
//
// Thread-safety: NOT thread-safe (it holds an ICU iterator); give each
// thread its own. Construction costs an ICU iterator (tens of µs).
#ifndef PUNDIT_CORE_SENTENCES_H_
#define PUNDIT_CORE_SENTENCES_H_

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace pundit {

class SentenceBreaker {
 public:
  SentenceBreaker();
  ~SentenceBreaker();
  SentenceBreaker(const SentenceBreaker&) = delete;
  SentenceBreaker& operator=(const SentenceBreaker&) = delete;

  // Offsets 0 = b0 < b1 < ... < bn = text.size() of UTF-8 `text`: sentence
  // i is [bi, bi+1). Never fails: without ICU's rules, or for text ICU
  // cannot read, the whole text is one sentence.
  std::vector<size_t> Split(std::string_view text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pundit

#endif  // PUNDIT_CORE_SENTENCES_H_
