#include "core/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <xapian.h>

#include <cstdint>
#include <optional>
#include <unordered_map>

#include "core/fast_words.h"
#include "core/stem_cache.h"
#include "core/text.h"

namespace pundit {
namespace {

// Texts longer than this are analysed in pieces (ICU indexes with int32_t).
constexpr size_t kMaxChunkBytes = size_t{1} << 26;
// Characters whose compatibility form Compatibility() remembers.
constexpr size_t kMaxCachedForms = 50000;

// Typographic apostrophes and quotes, folded to their ASCII forms.
// Returns `c` itself for any other character.
inline char16_t FoldQuote(char16_t c) {
  switch (c) {
    case 0x2018:  // LEFT SINGLE QUOTATION MARK
    case 0x2019:  // RIGHT SINGLE QUOTATION MARK
    case 0x201A:  // SINGLE LOW-9 QUOTATION MARK
    case 0x201B:  // SINGLE HIGH-REVERSED-9 QUOTATION MARK
    case 0x2032:  // PRIME
    case 0x02BC:  // MODIFIER LETTER APOSTROPHE
    case 0xFF07:  // FULLWIDTH APOSTROPHE
      return u'\'';
    case 0x201C:  // LEFT DOUBLE QUOTATION MARK
    case 0x201D:  // RIGHT DOUBLE QUOTATION MARK
    case 0x201E:  // DOUBLE LOW-9 QUOTATION MARK
    case 0x201F:  // DOUBLE HIGH-REVERSED-9 QUOTATION MARK
    case 0x2033:  // DOUBLE PRIME
    case 0xFF02:  // FULLWIDTH QUOTATION MARK
      return u'"';
    default:
      return c;
  }
}

inline bool IsHyphen(char16_t c) {
  return c == u'-' || c == 0x2010 /* HYPHEN */ ||
         c == 0x2011 /* NON-BREAKING HYPHEN */;
}

inline char AsciiLower(char16_t c) {
  return static_cast<char>(c >= u'A' && c <= u'Z' ? c + ('a' - 'A') : c);
}

// True for scripts written without spaces whose words are never stemmed.
bool IsCjk(UChar32 c) {
  UErrorCode ec = U_ZERO_ERROR;
  switch (uscript_getScript(c, &ec)) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_HANGUL:
      return true;
    default:
      return false;
  }
}

// Decodes UTF-8 into `out`, each invalid sequence becoming one space.
// When `offsets` is not null it receives, for each UTF-16 unit, the byte
// offset of the character it belongs to, plus a final entry text.size().
void DecodeUtf8(std::string_view text, icu::UnicodeString& out,
                std::vector<uint32_t>* offsets) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  char16_t* buf = out.getBuffer(length + 1);
  if (buf == nullptr) {  // out of memory: analyse nothing rather than crash
    out.remove();
    if (offsets != nullptr) offsets->assign(1, 0);
    return;
  }
  if (offsets != nullptr) offsets->resize(text.size() + 1);
  int32_t n = 0;
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    if (s[i] < 0x80) {
      buf[n] = s[i++];
      if (offsets != nullptr) (*offsets)[n] = start;
      ++n;
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) c = u' ';
    if (c <= 0xFFFF) {
      buf[n] = static_cast<char16_t>(c);
      if (offsets != nullptr) (*offsets)[n] = start;
      ++n;
    } else {
      buf[n] = U16_LEAD(c);
      buf[n + 1] = U16_TRAIL(c);
      if (offsets != nullptr) (*offsets)[n] = (*offsets)[n + 1] = start;
      n += 2;
    }
  }
  if (offsets != nullptr) (*offsets)[n] = static_cast<uint32_t>(length);
  out.releaseBuffer(n);
}

// Appends `text` to `out` as UTF-8 with runs of white space (and control
// characters) collapsed to one space and no space at either end.
void AppendCollapsed(const icu::UnicodeString& text, std::string& out) {
  bool pending_space = false;
  const int32_t length = text.length();
  for (int32_t i = 0; i < length;) {
    const UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    if (c < 0x20 || c == 0x7F || u_isUWhiteSpace(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    char bytes[U8_MAX_LENGTH];
    int32_t n = 0;
    UBool error = false;
    U8_APPEND(bytes, n, U8_MAX_LENGTH, c, error);
    if (!error) out.append(bytes, n);
  }
}

bool HasLetterOrDigit(std::string_view utf8) {
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c >= 0 && u_isalnum(c)) return true;
  }
  return false;
}

}  // namespace

struct Analyzer::Impl {
  // A word found by the break iterator, as UTF-16 indexes into text16.
  struct Word {
    int32_t begin;
    int32_t end;
    bool has_letter;  // a letter, kana or ideograph word (not a number)
  };

  Impl() {
    UErrorCode ec = U_ZERO_ERROR;
    words.reset(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), ec));
    if (U_FAILURE(ec)) words.reset();
    ec = U_ZERO_ERROR;
    nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(ec);
    if (U_FAILURE(ec)) nfkc_cf = nullptr;
    ec = U_ZERO_ERROR;
    nfd = icu::Normalizer2::getNFDInstance(ec);
    if (U_FAILURE(ec)) nfd = nullptr;
    ec = U_ZERO_ERROR;
    nfc = icu::Normalizer2::getNFCInstance(ec);
    if (U_FAILURE(ec)) nfc = nullptr;
    ec = U_ZERO_ERROR;
    nfkc = icu::Normalizer2::getNFKCInstance(ec);
    if (U_FAILURE(ec)) nfkc = nullptr;
    ec = U_ZERO_ERROR;
    simplified.reset(icu::Transliterator::createInstance(
        "Traditional-Simplified", UTRANS_FORWARD, ec));
    if (U_FAILURE(ec)) simplified.reset();
  }

  // Rewrites text16 (and `offsets`, when `with_offsets`) with every
  // character in its compatibility form (NFKC: "CO₂" -> "CO2", "ﬁ" -> "fi",
  // full-width letters and digits -> ASCII) before words are found, so
  // that both spellings give the same words. Each character's replacement
  // keeps the character's byte offset.
  void Compatibility(bool with_offsets);
  // The replacement of `c` for Compatibility(), or nullptr when it stays.
  const icu::UnicodeString* CompatibilityForm(UChar32 c);
  // The simplified form of traditional Chinese character `c` (ICU's
  // Traditional-Simplified transform), or nullptr when it has none.
  const icu::UnicodeString* SimplifiedForm(UChar32 c);
  // FoldUnicode without the simplified forms.
  const icu::UnicodeString& FoldCaseAndMarks(const icu::UnicodeString& src);

  void TokenizeChunk(std::string_view text, size_t base, unsigned& position,
                     std::vector<Token>& out);
  // Fills `found` with the words of text16 by FindFastWords, when the text
  // allows it and ICU's rules are there; returns false otherwise.
  bool FindFastWords();
  // Fills `found` with the words of text16 by ICU's break iterator (runs of
  // letters and digits when ICU's rules are missing).
  void FindWords();
  // Adds the segment text16[begin, end) with ICU rule status `status` to
  // `found` (nothing for a segment of no word).
  void AddWord(int32_t begin, int32_t end, int32_t status);
  // Appends letter word text16[begin, end) to `found`, as several words
  // when it is words joined by full stops.
  void SplitAtFullStops(int32_t begin, int32_t end);
  // Folds text16[begin, end) into `out`.
  void FoldRange(int32_t begin, int32_t end, std::string& out);
  // Full Unicode fold of `src` (NFKC_Casefold, quotes, diacritics,
  // simplified Chinese). The result is scratch_a, scratch_b or scratch_c,
  // valid until the next call; `src` must be none of them.
  const icu::UnicodeString& FoldUnicode(const icu::UnicodeString& src);

  std::unique_ptr<icu::BreakIterator> words;  // null if ICU data is missing
  const icu::Normalizer2* nfkc_cf = nullptr;  // owned by ICU
  const icu::Normalizer2* nfd = nullptr;
  const icu::Normalizer2* nfc = nullptr;
  const icu::Normalizer2* nfkc = nullptr;
  std::unique_ptr<icu::Transliterator> simplified;  // null if ICU lacks it
  std::unordered_map<UChar32, std::optional<icu::UnicodeString>> forms;
  std::unordered_map<UChar32, std::optional<icu::UnicodeString>>
      simplified_forms;
  Xapian::Stem stemmer{"english"};
  StemCache stems;  // folded -> stem, of recent words

  // Reused between calls so that analysis allocates only the tokens.
  icu::UnicodeString text16;
  std::vector<uint32_t> offsets;  // UTF-16 index -> byte offset in the chunk
  std::vector<Word> found;
  std::vector<FastWord> fast_words;
  bool use_fast_words = true;
  icu::UnicodeString scratch_a;
  icu::UnicodeString scratch_b;
  icu::UnicodeString scratch_c;
  icu::UnicodeString rewritten;
  std::vector<uint32_t> rewritten_offsets;
  std::string joined;
};

const icu::UnicodeString* Analyzer::Impl::CompatibilityForm(UChar32 c) {
  if (c < 0x80) return nullptr;
  auto it = forms.find(c);
  if (it == forms.end()) {
    if (forms.size() >= kMaxCachedForms) forms.clear();
    icu::UnicodeString form(c);
    UErrorCode ec = U_ZERO_ERROR;
    if (nfkc != nullptr && !nfkc->isInert(c)) {
      icu::UnicodeString normal;
      nfkc->normalize(form, normal, ec);
      if (U_SUCCESS(ec)) form = normal;
    }
    std::optional<icu::UnicodeString> kept;
    if (form != icu::UnicodeString(c)) kept = std::move(form);
    it = forms.emplace(c, std::move(kept)).first;
  }
  return it->second ? &*it->second : nullptr;
}

void Analyzer::Impl::Compatibility(bool with_offsets) {
  const int32_t length = text16.length();
  const char16_t* buf = text16.getBuffer();
  int32_t first = 0;  // the first character that changes
  while (first < length) {
    const UChar32 c = text16.char32At(first);
    if (c >= 0x80 && CompatibilityForm(c) != nullptr) break;
    first += U16_LENGTH(c);
  }
  if (first == length) return;
  rewritten.setTo(buf, first);
  if (with_offsets) {
    rewritten_offsets.assign(offsets.begin(), offsets.begin() + first);
  }
  for (int32_t i = first; i < length;) {
    const UChar32 c = text16.char32At(i);
    const int32_t n = U16_LENGTH(c);
    const icu::UnicodeString* form = CompatibilityForm(c);
    if (form == nullptr) {
      rewritten.append(buf + i, n);
      if (with_offsets) {
        for (int32_t k = 0; k < n; ++k) {
          rewritten_offsets.push_back(offsets[i + k]);
        }
      }
    } else {
      rewritten.append(*form);
      if (with_offsets) {
        rewritten_offsets.insert(rewritten_offsets.end(), form->length(),
                                 offsets[i]);
      }
    }
    i += n;
  }
  text16 = rewritten;
  if (with_offsets) {
    rewritten_offsets.push_back(offsets[length]);
    offsets.swap(rewritten_offsets);
  }
}

// UAX #29 keeps "Kong.Three" together (a full stop between letters, as in
// "U.S"), but in text it is mostly a missing space after a sentence: split a
// letter word at its full stops when every piece has at least two
// characters; "U.S", "e.g" and "Ph.D" stay whole.
void Analyzer::Impl::SplitAtFullStops(int32_t begin, int32_t end) {
  const char16_t* buf = text16.getBuffer();
  auto is_stop = [](char16_t c) { return c == u'.' || c == 0xFF0E; };
  bool any = false;
  int32_t piece = begin;
  for (int32_t i = begin; i < end; ++i) {
    if (!is_stop(buf[i])) continue;
    if (i - piece < 2) {
      found.push_back({begin, end, true});
      return;
    }
    any = true;
    piece = i + 1;
  }
  if (!any || end - piece < 2) {
    found.push_back({begin, end, true});
    return;
  }
  piece = begin;
  for (int32_t i = begin; i <= end; ++i) {
    if (i < end && !is_stop(buf[i])) continue;
    bool has_letter = false;
    for (int32_t k = piece; k < i && !has_letter; ++k) {
      has_letter = u_isalpha(buf[k]) != 0;
    }
    found.push_back({piece, i, has_letter});
    piece = i + 1;
  }
}

void Analyzer::Impl::AddWord(int32_t begin, int32_t end, int32_t status) {
  if (status >= UBRK_WORD_NONE && status < UBRK_WORD_NONE_LIMIT) return;
  if (status >= UBRK_WORD_LETTER && status < UBRK_WORD_LETTER_LIMIT) {
    SplitAtFullStops(begin, end);
  } else {
    found.push_back({begin, end, status >= UBRK_WORD_LETTER});
  }
}

bool Analyzer::Impl::FindFastWords() {
  if (!use_fast_words || words == nullptr) return false;
  const std::u16string_view text(text16.getBuffer(), text16.length());
  if (!pundit::FindFastWords(text, &fast_words)) return false;
  found.clear();
  for (const FastWord& w : fast_words) AddWord(w.begin, w.end, w.status);
  return true;
}

void Analyzer::Impl::FindWords() {
  found.clear();
  const int32_t length = text16.length();
  if (words != nullptr) {
    words->setText(text16);
    int32_t begin = words->first();
    for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
         begin = end, end = words->next()) {
      AddWord(begin, end, words->getRuleStatus());
    }
    return;
  }
  // Without ICU's break rules: runs of letters and digits.
  int32_t i = 0;
  while (i < length) {
    UChar32 c = text16.char32At(i);
    if (!u_isalnum(c)) {
      i += U16_LENGTH(c);
      continue;
    }
    const int32_t begin = i;
    bool has_letter = false;
    while (i < length && u_isalnum(c = text16.char32At(i))) {
      has_letter = has_letter || u_isalpha(c);
      i += U16_LENGTH(c);
    }
    found.push_back({begin, i, has_letter});
  }
}

const icu::UnicodeString& Analyzer::Impl::FoldUnicode(
    const icu::UnicodeString& src) {
  const icu::UnicodeString& folded = FoldCaseAndMarks(src);
  if (simplified == nullptr) return folded;
  // Traditional Chinese characters as simplified ones, word by word (after
  // segmentation, which knows words in both scripts).
  const int32_t length = folded.length();
  int32_t i = 0;
  while (i < length && SimplifiedForm(folded.char32At(i)) == nullptr) {
    i += U16_LENGTH(folded.char32At(i));
  }
  if (i == length) return folded;
  scratch_c.setTo(folded, 0, i);
  while (i < length) {
    const UChar32 c = folded.char32At(i);
    const icu::UnicodeString* form = SimplifiedForm(c);
    if (form != nullptr) {
      scratch_c.append(*form);
    } else {
      scratch_c.append(c);
    }
    i += U16_LENGTH(c);
  }
  return scratch_c;
}

const icu::UnicodeString* Analyzer::Impl::SimplifiedForm(UChar32 c) {
  if (c < 0x2E80) return nullptr;  // below the CJK blocks
  UErrorCode ec = U_ZERO_ERROR;
  if (uscript_getScript(c, &ec) != USCRIPT_HAN) return nullptr;
  auto it = simplified_forms.find(c);
  if (it == simplified_forms.end()) {
    if (simplified_forms.size() >= kMaxCachedForms) simplified_forms.clear();
    icu::UnicodeString form(c);
    simplified->transliterate(form);
    std::optional<icu::UnicodeString> kept;
    if (form != icu::UnicodeString(c)) kept = std::move(form);
    it = simplified_forms.emplace(c, std::move(kept)).first;
  }
  return it->second ? &*it->second : nullptr;
}

const icu::UnicodeString& Analyzer::Impl::FoldCaseAndMarks(
    const icu::UnicodeString& src) {
  UErrorCode ec = U_ZERO_ERROR;
  if (nfkc_cf != nullptr) {
    nfkc_cf->normalize(src, scratch_a, ec);
  }
  if (nfkc_cf == nullptr || U_FAILURE(ec)) {
    scratch_a = src;
    scratch_a.foldCase();
  }
  bool may_have_marks = false;
  const int32_t length = scratch_a.length();
  for (int32_t i = 0; i < length; ++i) {
    const char16_t c = scratch_a.charAt(i);
    const char16_t q = FoldQuote(c);
    if (q != c) {
      scratch_a.setCharAt(i, q);
    } else if (c >= 0xC0) {
      may_have_marks = true;
    }
  }
  if (!may_have_marks || nfd == nullptr || nfc == nullptr) return scratch_a;
  ec = U_ZERO_ERROR;
  nfd->normalize(scratch_a, scratch_b, ec);
  if (U_FAILURE(ec)) return scratch_a;
  // Remove non-spacing marks (diacritics), but keep the kana voicing marks:
  // without them distinct Japanese words would fold together.
  scratch_a.remove();
  const int32_t decomposed_length = scratch_b.length();
  for (int32_t i = 0; i < decomposed_length;) {
    const UChar32 c = scratch_b.char32At(i);
    i += U16_LENGTH(c);
    if (c >= 0x300 && c != 0x3099 && c != 0x309A &&
        u_charType(c) == U_NON_SPACING_MARK) {
      continue;
    }
    scratch_a.append(c);
  }
  nfc->normalize(scratch_a, scratch_b, ec);
  if (U_FAILURE(ec)) return scratch_a;
  return scratch_b;
}

void Analyzer::Impl::FoldRange(int32_t begin, int32_t end, std::string& out) {
  out.clear();
  const char16_t* buf = text16.getBuffer();
  // Fast path: ASCII, possibly with typographic apostrophes.
  bool simple = true;
  for (int32_t i = begin; i < end; ++i) {
    if (buf[i] >= 0x80 && FoldQuote(buf[i]) == buf[i]) {
      simple = false;
      break;
    }
  }
  if (simple) {
    out.reserve(end - begin);
    for (int32_t i = begin; i < end; ++i) {
      out.push_back(AsciiLower(FoldQuote(buf[i])));
    }
    return;
  }
  const icu::UnicodeString word(false, buf + begin, end - begin);  // aliases
  FoldUnicode(word).toUTF8String(out);
}

void Analyzer::Impl::TokenizeChunk(std::string_view text, size_t base,
                                   unsigned& position,
                                   std::vector<Token>& out) {
  DecodeUtf8(text, text16, &offsets);
  // The characters FindFastWords knows give the same words with or without
  // their compatibility forms (core/fast_words.h).
  if (!FindFastWords()) {
    Compatibility(/*with_offsets=*/true);
    FindWords();
  }
  const char16_t* buf = text16.getBuffer();
  const size_t count = found.size();
  for (size_t first = 0; first < count;) {
    // A run of words joined by single hyphens: "Afro-Eurasia".
    size_t last = first;
    while (last + 1 < count && found[last + 1].begin == found[last].end + 1 &&
           IsHyphen(buf[found[last].end])) {
      ++last;
    }
    const unsigned first_position = position;
    const size_t first_token = out.size();
    bool has_letter = false;
    for (size_t w = first; w <= last; ++w) {
      Token token;
      FoldRange(found[w].begin, found[w].end, token.term);
      if (token.term.empty()) continue;
      token.begin = base + offsets[found[w].begin];
      token.end = base + offsets[found[w].end];
      token.position = position++;
      has_letter = has_letter || found[w].has_letter;
      out.push_back(std::move(token));
    }
    if (out.size() - first_token >= 2 && has_letter) {
      Token whole;
      for (size_t t = first_token; t < out.size(); ++t) {
        whole.term += out[t].term;
      }
      whole.begin = out[first_token].begin;
      whole.end = out.back().end;
      whole.position = first_position;
      whole.compound = true;
      out.push_back(std::move(whole));
    }
    first = last + 1;
  }
}

Analyzer::Analyzer(WordBreaks word_breaks) : impl_(std::make_unique<Impl>()) {
  impl_->use_fast_words = word_breaks == WordBreaks::kFast;
}

Analyzer::~Analyzer() = default;

std::vector<Token> Analyzer::Tokenize(std::string_view text,
                                      unsigned first_position) {
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 6 + 1);
  unsigned position = first_position;
  size_t base = 0;
  while (base < text.size()) {
    size_t size = text.size() - base;
    if (size > kMaxChunkBytes) {
      // Cut at the last ASCII space of the piece, else at a character start.
      size = kMaxChunkBytes;
      size_t cut = size;
      while (cut > size / 2 && text[base + cut] != ' ') --cut;
      if (cut == size / 2) {
        cut = Utf8Boundary(text.substr(base), size);
      }
      size = cut > 0 ? cut : kMaxChunkBytes;
    }
    impl_->TokenizeChunk(text.substr(base, size), base, position, tokens);
    base += size;
  }
  return tokens;
}

std::string Analyzer::Fold(std::string_view word) {
  if (word.size() > kMaxChunkBytes) word = word.substr(0, kMaxChunkBytes);
  DecodeUtf8(word, impl_->text16, nullptr);
  impl_->Compatibility(/*with_offsets=*/false);
  std::string out;
  impl_->FoldRange(0, impl_->text16.length(), out);
  if (!HasLetterOrDigit(out)) out.clear();
  return out;
}

namespace {

// Whether `folded` is its own stem: empty, or with a digit or a CJK
// character.
bool IsOwnStem(const std::string& folded) {
  if (folded.empty()) return true;
  const auto* s = reinterpret_cast<const uint8_t*>(folded.data());
  const auto length = static_cast<int32_t>(folded.size());
  for (int32_t i = 0; i < length;) {
    if (s[i] < 0x80) {
      if (s[i] >= '0' && s[i] <= '9') return true;
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c >= 0 && (u_isdigit(c) || IsCjk(c))) return true;
  }
  return false;
}

}  // namespace

std::string Analyzer::Stem(const std::string& folded) {
  if (IsOwnStem(folded)) return folded;
  // Text repeats its words: remember recent stems (bounded memory).
  return impl_->stems.Get(folded, impl_->stemmer);
}

std::vector<std::string> Analyzer::Stems(
    const std::vector<const std::string*>& folded) {
  std::vector<std::string> out(folded.size());
  std::vector<const std::string*> to_stem;
  std::vector<size_t> at;  // of each of to_stem in `folded`
  to_stem.reserve(folded.size());
  at.reserve(folded.size());
  for (size_t i = 0; i < folded.size(); ++i) {
    if (IsOwnStem(*folded[i])) {
      out[i] = *folded[i];
    } else {
      to_stem.push_back(folded[i]);
      at.push_back(i);
    }
  }
  std::vector<std::string> stems;
  impl_->stems.GetAll(to_stem, impl_->stemmer, &stems);
  for (size_t j = 0; j < at.size(); ++j) out[at[j]] = std::move(stems[j]);
  return out;
}

std::string Analyzer::NormalizeDisplay(std::string_view text) {
  if (text.size() > kMaxChunkBytes) text = text.substr(0, kMaxChunkBytes);
  icu::UnicodeString decoded;
  DecodeUtf8(text, decoded, nullptr);
  UErrorCode ec = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(ec);
  std::string out;
  out.reserve(text.size());
  if (U_SUCCESS(ec)) {
    icu::UnicodeString composed = nfc->normalize(decoded, ec);
    if (U_SUCCESS(ec)) {
      AppendCollapsed(composed, out);
      return out;
    }
  }
  AppendCollapsed(decoded, out);
  return out;
}

std::string Analyzer::FoldKey(std::string_view text) {
  if (text.size() > kMaxChunkBytes) text = text.substr(0, kMaxChunkBytes);
  DecodeUtf8(text, impl_->text16, nullptr);
  std::string out;
  out.reserve(text.size());
  AppendCollapsed(impl_->FoldUnicode(impl_->text16), out);
  return out;
}

}  // namespace pundit
