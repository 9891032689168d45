#include "searcher/query.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>
#include <string>
#include <utility>

#include "core/schema.h"
#include "core/text.h"
#include "searcher/position_match.h"

namespace pundit::query {
namespace {

// OP_NEAR window: the words must all lie within this many positions.
constexpr Xapian::termcount kNearWindow = 10;
// `interpreted` lists at most this many of the values a field names.
constexpr size_t kMaxShownValues = 5;
// Parentheses and NOTs nest at most this deep.
constexpr int kMaxDepth = 64;
// A plain word matches its stem (Z prefix) at full weight plus its exact
// form at this fraction of the exact term's own BM25 weight: exact forms rank
// first without the word counting twice. Measured on CISI and Cranfield
// (docs/BENCHMARKS.md, "Relevance"): 0.25 ranked best overall against 0
// (stem only), 0.1, 0.4, 0.5, 1.0 (the plain OR of both terms) and
// OP_SYNONYM of both; 0.1 was within 0.001 MAP.
constexpr double kExactFormWeight = 0.25;
// In a group of OR'ed words, stop words are dropped when at least this many
// distinct other words remain: "what is the effect of x on y" searches for
// effect, x and y, but "the who" still searches for both words.
constexpr size_t kMinWordsForStopping = 3;
// A group of at least this many plain words reads as a pasted passage: the
// articles holding its words as one phrase, in the order typed, get the
// phrase's weight on top of the group's, so the source of a pasted sentence
// ranks above articles that only share its words. On the news known-item
// sets a sentence's source came first far more often (Reuters MRR 0.944 ->
// 0.985, BBC 0.972 -> 0.990; docs/BENCHMARKS.md, "Relevance") and no query
// of CISI, Cranfield or the headline sets changed rank, since none occurs
// verbatim. Four words keep the phrase check to few candidates (an AND of
// four exact forms) on short queries.
constexpr size_t kMinPassageWords = 4;

// Snowball's English stop list (snowballstem.org/algorithms/english/stop.txt),
// in the folded form the analyzer gives (ASCII apostrophes), sorted.
constexpr std::array<std::string_view, 174> kStopWords = {
    "a",          "about",   "above",    "after",     "again",
    "against",    "all",     "am",       "an",        "and",
    "any",        "are",     "aren't",   "as",        "at",
    "be",         "because", "been",     "before",    "being",
    "below",      "between", "both",     "but",       "by",
    "can't",      "cannot",  "could",    "couldn't",  "did",
    "didn't",     "do",      "does",     "doesn't",   "doing",
    "don't",      "down",    "during",   "each",      "few",
    "for",        "from",    "further",  "had",       "hadn't",
    "has",        "hasn't",  "have",     "haven't",   "having",
    "he",         "he'd",    "he'll",    "he's",      "her",
    "here",       "here's",  "hers",     "herself",   "him",
    "himself",    "his",     "how",      "how's",     "i",
    "i'd",        "i'll",    "i'm",      "i've",      "if",
    "in",         "into",    "is",       "isn't",     "it",
    "it's",       "its",     "itself",   "let's",     "me",
    "more",       "most",    "mustn't",  "my",        "myself",
    "no",         "nor",     "not",      "of",        "off",
    "on",         "once",    "only",     "or",        "other",
    "ought",      "our",     "ours",     "ourselves", "out",
    "over",       "own",     "same",     "shan't",    "she",
    "she'd",      "she'll",  "she's",    "should",    "shouldn't",
    "so",         "some",    "such",     "than",      "that",
    "that's",     "the",     "their",    "theirs",    "them",
    "themselves", "then",    "there",    "there's",   "these",
    "they",       "they'd",  "they'll",  "they're",   "they've",
    "this",       "those",   "through",  "to",        "too",
    "under",      "until",   "up",       "very",      "was",
    "wasn't",     "we",      "we'd",     "we'll",     "we're",
    "we've",      "were",    "weren't",  "what",      "what's",
    "when",       "when's",  "where",    "where's",   "which",
    "while",      "who",     "who's",    "whom",      "why",
    "why's",      "with",    "won't",    "would",     "wouldn't",
    "you",        "you'd",   "you'll",   "you're",    "you've",
    "your",       "yours",   "yourself", "yourselves"};

}  // namespace

bool IsStopWord(std::string_view folded) {
  return std::binary_search(kStopWords.begin(), kStopWords.end(), folded);
}

std::set<std::string> StopWordStems(Analyzer& analyzer) {
  std::set<std::string> out;
  for (std::string_view w : kStopWords)
    out.insert(analyzer.Stem(std::string(w)));
  return out;
}

namespace {

// ---- characters ----

// Length in bytes of a quote character at q[i] (ASCII or typographic double
// quote), or 0.
size_t QuoteAt(std::string_view q, size_t i) {
  if (q[i] == '"') return 1;
  if (i + 2 < q.size() && static_cast<unsigned char>(q[i]) == 0xE2 &&
      static_cast<unsigned char>(q[i + 1]) == 0x80) {
    unsigned char c = static_cast<unsigned char>(q[i + 2]);
    if (c == 0x9C || c == 0x9D || c == 0x9E) return 3;  // “ ” „
  }
  return 0;
}

// Length in bytes of a space character at q[i], or 0.
size_t SpaceAt(std::string_view q, size_t i) {
  unsigned char c = static_cast<unsigned char>(q[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
      c == '\v') {
    return 1;
  }
  if (c == 0xC2 && i + 1 < q.size() &&
      static_cast<unsigned char>(q[i + 1]) == 0xA0) {
    return 2;  // no-break space
  }
  if (c == 0xE3 && i + 2 < q.size() &&
      static_cast<unsigned char>(q[i + 1]) == 0x80 &&
      static_cast<unsigned char>(q[i + 2]) == 0x80) {
    return 3;  // ideographic space
  }
  return 0;
}

// 1-based character (code point) position of byte offset `byte` in q.
size_t CharPos(std::string_view q, size_t byte) {
  return 1 + Utf8Length(q.substr(0, byte));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsFacetField(std::string_view f) {
  return f == "author" || f == "region" || f == "theme" || f == "source";
}

bool IsField(std::string_view f) {
  return f == "title" || IsFacetField(f) || f == "date" || f == "year";
}

bool IsOperatorWord(std::string_view w) {
  return w == "AND" || w == "OR" || w == "NOT" || w == "NEAR";
}

std::string_view FacetPrefix(std::string_view facet) {
  for (const auto& def : schema::kFacets) {
    if (def.name == facet) return def.prefix;
  }
  return {};
}

// "20190131" -> "2019-01-31".
std::string ShowDate(const std::string& d) {
  if (d.size() != 8) return d;
  return d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
}

// ---- tokens of the query syntax ----

enum class TokType {
  kWord,
  kPhrase,
  kLParen,
  kRParen,
  kAnd,
  kOr,
  kNot,
  kNear,
  kMinus,
  kField,
  kEnd
};

struct Tok {
  TokType type = TokType::kEnd;
  std::string text;           // word or phrase text; field name
  size_t begin = 0, end = 0;  // byte span (a phrase's text, without quotes)
  size_t at = 0;              // byte offset where the token starts
  bool glued = false;         // no space before it
  long near_words = 0;        // kNear: n of NEAR/n, else 0
};

struct SyntaxError {
  std::string message;
};

class Lexer {
 public:
  explicit Lexer(std::string_view q) : q_(q) {}

  // n of "NEAR/n" (digits after the slash), 1..kMaxNearWords.
  long NearWords(std::string_view digits, size_t at) const {
    bool ok = !digits.empty() && digits.size() <= 3 &&
              std::all_of(digits.begin(), digits.end(),
                          [](char c) { return c >= '0' && c <= '9'; });
    long n = ok ? std::stol(std::string(digits)) : 0;
    if (n < 1 || n > kMaxNearWords) {
      throw SyntaxError{"NEAR/ needs a number of words from 1 to " +
                        std::to_string(kMaxNearWords) + " at " +
                        std::to_string(CharPos(q_, at))};
    }
    return n;
  }

  std::vector<Tok> Run() {
    std::vector<Tok> toks;
    size_t i = 0;
    bool glued = false;
    while (i < q_.size()) {
      if (size_t s = SpaceAt(q_, i)) {
        i += s;
        glued = false;
        continue;
      }
      Tok t;
      t.at = i;
      t.glued = glued;
      glued = true;
      char c = q_[i];
      if (c == '(' || c == ')') {
        t.type = c == '(' ? TokType::kLParen : TokType::kRParen;
        t.begin = i;
        t.end = ++i;
        toks.push_back(t);
        continue;
      }
      if (size_t ql = QuoteAt(q_, i)) {
        size_t j = i + ql;
        size_t close = std::string_view::npos, close_len = 0;
        for (size_t k = j; k < q_.size(); ++k) {
          if (size_t l = QuoteAt(q_, k)) {
            close = k;
            close_len = l;
            break;
          }
        }
        if (close == std::string_view::npos) {
          throw SyntaxError{"unclosed quote at " +
                            std::to_string(CharPos(q_, i))};
        }
        t.type = TokType::kPhrase;
        t.text = std::string(q_.substr(j, close - j));
        t.begin = j;
        t.end = close;
        toks.push_back(t);
        i = close + close_len;
        continue;
      }
      if ((c == '-' || c == '+') && i + 1 < q_.size() &&
          SpaceAt(q_, i + 1) == 0) {
        ++i;
        if (c == '-') {
          t.type = TokType::kMinus;
          t.begin = t.at;
          t.end = i;
          toks.push_back(t);
        }
        continue;  // '+' (required) is the default already
      }
      size_t j = i;
      while (j < q_.size() && SpaceAt(q_, j) == 0 && q_[j] != '(' &&
             q_[j] != ')' && QuoteAt(q_, j) == 0) {
        ++j;
      }
      std::string_view word = q_.substr(i, j - i);
      t.begin = i;
      t.end = j;
      if (word == "AND" || word == "&&") {
        t.type = TokType::kAnd;
      } else if (word == "OR" || word == "||") {
        t.type = TokType::kOr;
      } else if (word == "NOT") {
        t.type = TokType::kNot;
      } else if (word == "NEAR") {
        t.type = TokType::kNear;
      } else if (word.starts_with("NEAR/")) {
        t.type = TokType::kNear;
        t.near_words = NearWords(word.substr(5), i);
      } else {
        size_t colon = word.find(':');
        if (colon != std::string_view::npos && colon > 0 &&
            IsField(Lower(word.substr(0, colon)))) {
          t.type = TokType::kField;
          t.text = Lower(word.substr(0, colon));
          t.end = i + colon + 1;
          toks.push_back(t);
          if (colon + 1 < word.size()) {
            Tok v;
            v.type = TokType::kWord;
            v.text = std::string(word.substr(colon + 1));
            v.at = v.begin = i + colon + 1;
            v.end = j;
            v.glued = true;
            toks.push_back(v);
          }
          i = j;
          continue;
        }
        t.type = TokType::kWord;
        t.text = std::string(word);
      }
      toks.push_back(t);
      i = j;
    }
    Tok end;
    end.type = TokType::kEnd;
    end.at = end.begin = end.end = q_.size();
    toks.push_back(end);
    return toks;
  }

 private:
  std::string_view q_;
};

// ---- parser ----

Node MakeGroup(Node::Kind kind, std::vector<Node> children) {
  if (children.size() == 1) return std::move(children[0]);
  Node n;
  n.kind = kind;
  n.children = std::move(children);
  return n;
}

bool IsFilterOrNot(const Node& n) {
  switch (n.kind) {
    case Node::Kind::kFacet:
    case Node::Kind::kDate:
    case Node::Kind::kYear:
    case Node::Kind::kNot:
      return true;
    case Node::Kind::kOr:
    case Node::Kind::kAnd:
      return std::all_of(
          n.children.begin(), n.children.end(), [](const Node& c) {
            return c.kind == Node::Kind::kFacet ||
                   c.kind == Node::Kind::kDate || c.kind == Node::Kind::kYear;
          });
    default:
      return false;
  }
}

class Parser {
 public:
  Parser(std::string_view q, std::vector<Tok> toks, DefaultOp op)
      : q_(q), toks_(std::move(toks)), op_(op) {}

  Node Run() {
    Node n = ParseOr();
    const Tok& t = Peek();
    if (t.type == TokType::kRParen) Fail("unmatched closing parenthesis", t.at);
    if (t.type != TokType::kEnd) Fail("unexpected text", t.at);
    return n;
  }

  bool empty() const { return toks_.size() == 1; }

 private:
  const Tok& Peek() const { return toks_[pos_]; }
  Tok Next() {
    Tok t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  [[noreturn]] void Fail(const std::string& what, size_t byte) const {
    throw SyntaxError{what + " at " + std::to_string(CharPos(q_, byte))};
  }
  void Deeper(size_t at) {
    if (++depth_ > kMaxDepth) Fail("query nested too deeply", at);
  }
  static bool StartsUnary(const Tok& t) {
    switch (t.type) {
      case TokType::kWord:
      case TokType::kPhrase:
      case TokType::kLParen:
      case TokType::kMinus:
      case TokType::kNot:
      case TokType::kField:
        return true;
      default:
        return false;
    }
  }

  Node ParseOr() {
    // Each item with whether an explicit OR stands before / after it.
    struct Item {
      Node node;
      bool explicit_before = false, explicit_after = false;
    };
    std::vector<Item> items;
    items.push_back({ParseAnd(), false, false});
    while (true) {
      const Tok& t = Peek();
      if (t.type == TokType::kOr) {
        size_t at = t.at;
        Next();
        if (!StartsUnary(Peek())) Fail("OR with nothing after it", at);
        items.back().explicit_after = true;
        items.push_back({ParseAnd(), true, false});
      } else if (op_ == DefaultOp::kOr && StartsUnary(t)) {
        items.push_back({ParseAnd(), false, false});
      } else {
        break;
      }
    }
    if (items.size() == 1) return std::move(items[0].node);
    // With OR as the default, juxtaposed filters and negations still
    // restrict the whole query: "putin -oil author:korybko" is
    // (putin) AND NOT oil, by korybko.
    std::vector<Node> alternatives, restrictions;
    for (Item& item : items) {
      if (op_ == DefaultOp::kOr && !item.explicit_before &&
          !item.explicit_after && IsFilterOrNot(item.node)) {
        restrictions.push_back(std::move(item.node));
      } else {
        alternatives.push_back(std::move(item.node));
      }
    }
    if (restrictions.empty())
      return MakeGroup(Node::Kind::kOr, std::move(alternatives));
    std::vector<Node> all;
    if (!alternatives.empty()) {
      all.push_back(MakeGroup(Node::Kind::kOr, std::move(alternatives)));
    }
    for (Node& r : restrictions) all.push_back(std::move(r));
    return MakeGroup(Node::Kind::kAnd, std::move(all));
  }

  Node ParseAnd() {
    std::vector<Node> items;
    items.push_back(ParseUnary());
    while (true) {
      const Tok& t = Peek();
      if (t.type == TokType::kAnd) {
        size_t at = t.at;
        Next();
        if (!StartsUnary(Peek())) Fail("AND with nothing after it", at);
        items.push_back(ParseUnary());
      } else if (op_ == DefaultOp::kAnd && StartsUnary(t)) {
        items.push_back(ParseUnary());
      } else {
        break;
      }
    }
    return MakeGroup(Node::Kind::kAnd, std::move(items));
  }

  Node ParseUnary() {
    const Tok& t = Peek();
    if (t.type == TokType::kMinus || t.type == TokType::kNot) {
      std::string name = t.type == TokType::kMinus ? "-" : "NOT";
      size_t at = t.at;
      Next();
      if (!StartsUnary(Peek())) Fail(name + " with nothing after it", at);
      Node n;
      n.kind = Node::Kind::kNot;
      Deeper(at);
      n.children.push_back(ParseUnary());
      --depth_;
      return n;
    }
    return ParseNear();
  }

  Node ParseNear() {
    Node first = ParsePrimary();
    if (Peek().type != TokType::kNear) return first;
    std::vector<Node> operands;
    operands.push_back(std::move(first));
    size_t at = Peek().at;
    long near_words = 0;
    while (Peek().type == TokType::kNear) {
      at = Peek().at;
      // a NEAR/2 b NEAR/5 c: all within the widest window asked for.
      if (Peek().near_words > 0) {
        near_words = std::max(near_words, Peek().near_words);
      }
      Next();
      const Tok& t = Peek();
      if (t.type != TokType::kWord && t.type != TokType::kPhrase &&
          t.type != TokType::kField) {
        Fail("NEAR with nothing after it", at);
      }
      operands.push_back(ParsePrimary());
    }
    for (const Node& n : operands) {
      if (n.kind != Node::Kind::kWord && n.kind != Node::Kind::kPhrase &&
          n.kind != Node::Kind::kPrefix && n.kind != Node::Kind::kWildcard) {
        Fail("NEAR needs words or phrases on both sides", at);
      }
    }
    Node n;
    n.kind = Node::Kind::kNear;
    n.near_words = near_words;
    n.children = std::move(operands);
    return n;
  }

  Node ParsePrimary() {
    Tok t = Peek();
    switch (t.type) {
      case TokType::kLParen: {
        Next();
        if (Peek().type == TokType::kRParen) Fail("empty parentheses", t.at);
        if (Peek().type == TokType::kEnd) Fail("unclosed parenthesis", t.at);
        Deeper(t.at);
        Node n = ParseOr();
        --depth_;
        if (Peek().type != TokType::kRParen) Fail("unclosed parenthesis", t.at);
        Next();
        return n;
      }
      case TokType::kPhrase: {
        Next();
        Node n;
        n.kind = Node::Kind::kPhrase;
        n.text = t.text;
        n.title = title_;
        n.begin = t.begin;
        n.end = t.end;
        return n;
      }
      case TokType::kWord: {
        Next();
        Node n;
        n.kind = Node::Kind::kWord;
        n.text = t.text;
        n.title = title_;
        n.begin = t.begin;
        n.end = t.end;
        size_t stars = 0;
        while (stars < n.text.size() &&
               n.text[n.text.size() - 1 - stars] == '*') {
          ++stars;
        }
        // A '?' ending a word is a question mark ("why oil?").
        size_t marks = 0;
        while (stars == 0 && marks < n.text.size() &&
               n.text[n.text.size() - 1 - marks] == '?') {
          ++marks;
        }
        std::string_view inner(n.text.data(), n.text.size() - stars - marks);
        bool has_letter = inner.find_first_not_of("*?") != std::string::npos;
        if (has_letter && inner.find_first_of("*?") != std::string::npos) {
          n.kind = Node::Kind::kWildcard;  // wom?n, colo*r, *stan
          n.text.resize(n.text.size() - marks);
          n.end -= marks;
        } else if (stars > 0 && stars < n.text.size()) {
          n.kind = Node::Kind::kPrefix;
          n.text.resize(n.text.size() - stars);
          n.end -= stars;
        }
        return n;
      }
      case TokType::kField:
        Next();
        return ParseField(t);
      case TokType::kRParen:
        Fail("unmatched closing parenthesis", t.at);
      case TokType::kOr:
        Fail("OR with nothing before it", t.at);
      case TokType::kAnd:
        Fail("AND with nothing before it", t.at);
      case TokType::kNear:
        Fail("NEAR with nothing before it", t.at);
      default:
        Fail("unexpected end of query", t.at);
    }
  }

  Node ParseField(const Tok& field) {
    const Tok& v = Peek();
    bool has_value =
        v.glued && (v.type == TokType::kWord || v.type == TokType::kPhrase ||
                    v.type == TokType::kLParen);
    if (!has_value || (v.type == TokType::kPhrase && v.text.empty())) {
      Fail(field.text + ": has no value", field.at);
    }
    if (field.text == "title") {
      bool saved = title_;
      title_ = true;
      Node n = ParsePrimary();
      title_ = saved;
      return n;
    }
    if (title_) Fail(field.text + ": inside title:", field.at);
    if (IsFacetField(field.text)) {
      if (v.type != TokType::kLParen) {
        Tok value = Next();
        return FacetNode(field.text, value.text);
      }
      // author:(korybko OR escobar): any of the values.
      Tok open = Next();
      std::vector<Node> values;
      while (true) {
        Tok t = Peek();
        if (t.type == TokType::kWord || t.type == TokType::kPhrase) {
          Next();
          if (!t.text.empty()) values.push_back(FacetNode(field.text, t.text));
        } else if (t.type == TokType::kOr) {
          Next();
        } else if (t.type == TokType::kRParen) {
          Next();
          break;
        } else {
          Fail("unclosed parenthesis", open.at);
        }
      }
      if (values.empty()) Fail(field.text + ": has no value", field.at);
      return MakeGroup(Node::Kind::kOr, std::move(values));
    }
    // year:2019, year:"2019", date:2019-01..2019-03, date:"2019-01-31".
    if (v.type != TokType::kWord && v.type != TokType::kPhrase) {
      Fail(field.text == "year"
               ? "year: needs a year such as 2019 or a range 2018..2020"
               : field.text + ": needs a date such as 2019-01-31",
           field.at);
    }
    Tok value = Next();
    if (field.text == "year") {
      const std::string& y = value.text;
      bool four_digits =
          y.size() == 4 && std::all_of(y.begin(), y.end(), [](char c) {
            return c >= '0' && c <= '9';
          });
      if (four_digits) {
        Node n;
        n.kind = Node::Kind::kYear;
        n.text = y;
        return n;
      }
      if (y.find("..") == std::string::npos) {
        Fail("invalid year \"" + y + "\"", value.at);
      }
    }
    return DateNode(value);
  }

  static Node FacetNode(const std::string& field, const std::string& value) {
    Node n;
    n.kind = Node::Kind::kFacet;
    n.field = field;
    n.text = value;
    return n;
  }

  Node DateNode(const Tok& value) {
    const std::string& text = value.text;
    Node n;
    n.kind = Node::Kind::kDate;
    size_t dots = text.find("..");
    std::optional<std::string> lo, hi;
    if (dots == std::string::npos) {
      lo = DateBound(text, false);
      hi = DateBound(text, true);
      if (!lo || !hi) Fail("invalid date \"" + text + "\"", value.at);
    } else {
      std::string a = text.substr(0, dots), b = text.substr(dots + 2);
      if (a.empty() && b.empty()) {
        Fail("invalid date range \"" + text + "\"", value.at);
      }
      if (!a.empty()) {
        lo = DateBound(a, false);
        if (!lo) Fail("invalid date \"" + a + "\"", value.at);
      }
      if (!b.empty()) {
        hi = DateBound(b, true);
        if (!hi) Fail("invalid date \"" + b + "\"", value.at + dots + 2);
      }
      if (lo && hi && *lo > *hi) {
        Fail("date range \"" + text + "\" ends before it starts", value.at);
      }
    }
    n.lo = lo.value_or("");
    n.hi = hi.value_or("");
    return n;
  }

  std::string_view q_;
  std::vector<Tok> toks_;
  DefaultOp op_;
  size_t pos_ = 0;
  int depth_ = 0;
  bool title_ = false;
};

// ---- compiler ----

enum class Role { kNone, kText, kFilter, kNeg };

struct Part {
  Role role = Role::kNone;
  Xapian::Query q;
  std::string str;
  bool composite = false;
};

std::string Wrap(const Part& p) {
  return p.composite ? "(" + p.str + ")" : p.str;
}

std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

Xapian::Query ZeroWeight(const Xapian::Query& q) {
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, 0.0);
}

// A part as a query usable among alternatives: filters and negations carry
// no weight.
Xapian::Query AsAlternative(const Part& p) {
  switch (p.role) {
    case Role::kFilter:
      return ZeroWeight(p.q);
    case Role::kNeg:
      return ZeroWeight(Xapian::Query(Xapian::Query::OP_AND_NOT,
                                      Xapian::Query(std::string()), p.q));
    default:
      return p.q;
  }
}

Xapian::Query Combine(Xapian::Query::op op,
                      const std::vector<Xapian::Query>& qs) {
  if (qs.size() == 1) return qs[0];
  return Xapian::Query(op, qs.begin(), qs.end());
}

// The words as a phrase. Each adjacent pair with a pair word is also
// indexed as an XP term (core/schema.h), which a phrase in the text (not
// title:) uses: two words are then just that term's articles, weighted as
// the two words are, with no position read; a longer phrase is checked only
// in the articles holding all of its pairs.
Xapian::Query PhraseQuery(const std::vector<std::string>& words, bool title) {
  std::vector<Xapian::Query> terms;
  for (const std::string& w : words) {
    terms.emplace_back(title ? std::string(schema::kTitlePrefix) + w : w);
  }
  if (terms.size() == 1) return terms[0];
  std::vector<Xapian::Query> pairs;
  if (!title) {
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      if (schema::IsPairWord(words[i]) || schema::IsPairWord(words[i + 1])) {
        pairs.emplace_back(schema::PairTerm(words[i], words[i + 1]));
      }
    }
  }
  if (terms.size() == 2 && pairs.size() == 1) {
    return Xapian::Query(
        Xapian::Query::OP_FILTER,
        Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()),
        pairs[0]);
  }
  // The AND of the words gives the weights; the articles' position records
  // say where they stand (core/positions.h).
  std::vector<std::vector<std::string>> places;
  for (const Xapian::Query& t : terms) places.push_back({*t.get_terms_begin()});
  Xapian::Query phrase(
      Xapian::Query::OP_FILTER,
      Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()),
      PositionMatch::Query(PositionMatch::Kind::kPhrase, std::move(places),
                           static_cast<Xapian::termcount>(terms.size())));
  if (pairs.empty()) return phrase;
  return Xapian::Query(Xapian::Query::OP_FILTER, phrase,
                       Combine(Xapian::Query::OP_AND, pairs));
}

class Compiler {
 public:
  Compiler(Analyzer& analyzer, const FacetResolver& resolver,
           const PrefixExpander& expander, Compiled* out)
      : analyzer_(analyzer),
        resolver_(resolver),
        expander_(expander),
        out_(out) {}

  Part Compile(const Node& n) {
    switch (n.kind) {
      case Node::Kind::kWord:
        return CompileWord(n);
      case Node::Kind::kPhrase:
        return CompilePhrase(n);
      case Node::Kind::kPrefix:
      case Node::Kind::kWildcard:
        return CompileWildcard(n);
      case Node::Kind::kFacet:
        return CompileFacet(n);
      case Node::Kind::kDate:
        return CompileDate(n);
      case Node::Kind::kYear: {
        Part p;
        p.role = Role::kFilter;
        p.q = Xapian::Query(std::string(schema::kYearPrefix) + n.text);
        p.str = "year:" + n.text;
        return p;
      }
      case Node::Kind::kNot:
        return CompileNot(n);
      case Node::Kind::kNear:
        return CompileNear(n);
      case Node::Kind::kAnd:
        return CompileAnd(n);
      case Node::Kind::kOr:
        return CompileOr(n);
    }
    return {};
  }

  std::vector<std::string> notices;

 private:
  // Folded words of `text`: the plain parts and the joined whole of a
  // hyphenated compound ("" when none).
  void Words(const std::string& text, std::vector<std::string>* parts,
             std::string* compound) {
    for (const Token& t : analyzer_.Tokenize(text)) {
      if (t.compound) {
        if (compound->empty()) *compound = t.term;
      } else {
        parts->push_back(t.term);
      }
    }
  }

  void AddWordUnit(const std::string& word, bool stemmed, bool title) {
    if (negated_ > 0) return;
    HighlightUnit u;
    u.kind = HighlightUnit::Kind::kWord;
    u.words = {word};
    if (stemmed) {
      u.stem = analyzer_.Stem(word);
      u.weight_term = std::string(title ? "ZS" : "Z") + u.stem;
    } else {
      u.weight_term = title ? std::string(schema::kTitlePrefix) + word : word;
    }
    out_->units.push_back(std::move(u));
  }

  void AddPhraseUnit(const std::vector<std::string>& words, bool title) {
    if (negated_ > 0) return;
    HighlightUnit u;
    u.kind = HighlightUnit::Kind::kPhrase;
    u.words = words;
    // A phrase is at least as rare as its rarest word; the searcher takes
    // the last word as a cheap stand-in.
    u.weight_term =
        title ? std::string(schema::kTitlePrefix) + words.back() : words.back();
    out_->units.push_back(std::move(u));
  }

  Part CompileWord(const Node& n) {
    std::vector<std::string> parts;
    std::string compound;
    Words(n.text, &parts, &compound);
    Part p;
    if (parts.empty()) return p;
    p.role = Role::kText;
    std::string prefix = n.title ? "title:" : "";
    if (parts.size() == 1 && compound.empty()) {
      p.q = WordQuery(parts[0], analyzer_, n.title);
      p.str = prefix + parts[0];
      AddWordUnit(parts[0], true, n.title);
      if (negated_ == 0) out_->words.push_back({parts[0], n.begin, n.end});
    } else if (!compound.empty()) {
      // Afro-Eurasia: the parts as a phrase, or the joined whole.
      p.q = Xapian::Query(Xapian::Query::OP_OR, PhraseQuery(parts, n.title),
                          WordQuery(compound, analyzer_, n.title));
      p.str = prefix + Join(parts, "-");
      AddPhraseUnit(parts, n.title);
      AddWordUnit(compound, true, n.title);
    } else {
      // Several words in one (CJK text, "and/or"): they must be adjacent.
      p.q = PhraseQuery(parts, n.title);
      p.str = prefix + "\"" + Join(parts, " ") + "\"";
      AddPhraseUnit(parts, n.title);
    }
    return p;
  }

  Part CompilePhrase(const Node& n) {
    std::vector<std::string> parts;
    std::string compound;
    Words(n.text, &parts, &compound);
    Part p;
    if (parts.empty()) return p;
    p.role = Role::kText;
    p.q = PhraseQuery(parts, n.title);
    p.str = (n.title ? "title:\"" : "\"") + Join(parts, " ") + "\"";
    if (parts.size() == 1) {
      AddWordUnit(parts[0], false, n.title);
    } else {
      AddPhraseUnit(parts, n.title);
    }
    return p;
  }

  // The folded pattern of a kPrefix (without its '*') or kWildcard node:
  // each run between wildcard characters folded as a word. "" when no
  // letter or digit is left.
  std::string FoldPattern(const Node& n) {
    if (n.kind == Node::Kind::kPrefix) return analyzer_.Fold(n.text);
    std::string out;
    size_t i = 0;
    while (i < n.text.size()) {
      size_t j = n.text.find_first_of("*?", i);
      if (j == std::string::npos) j = n.text.size();
      if (j > i)
        out += analyzer_.Fold(std::string_view(n.text).substr(i, j - i));
      if (j < n.text.size()) out += n.text[j];
      i = j + 1;
    }
    if (out.find_first_not_of("*?") == std::string::npos) out.clear();
    return out;
  }

  // The index terms a kPrefix or kWildcard node stands for, over the whole
  // index, with a notice when there are more than kWildcardLimit. Empty
  // without an expander.
  std::vector<std::string> Expand(const Node& n, const std::string& folded,
                                  const std::string& shown) {
    if (!expander_) return {};
    std::string tp = n.title ? std::string(schema::kTitlePrefix) : "";
    Expansion e;
    if (n.kind == Node::Kind::kPrefix) {
      e = expander_(tp + folded, "", kWildcardLimit);
    } else {
      e = expander_(tp + folded.substr(0, folded.find_first_of("*?")),
                    tp + folded, kWildcardLimit);
    }
    if (e.matched > e.terms.size()) {
      notices.push_back(shown + " matches " + std::to_string(e.matched) +
                        " words: searched for the " +
                        std::to_string(e.terms.size()) + " most frequent");
    }
    return std::move(e.terms);
  }

  void AddPatternUnit(const Node& n, const std::string& folded) {
    if (negated_ > 0) return;
    HighlightUnit u;
    u.kind = n.kind == Node::Kind::kPrefix ? HighlightUnit::Kind::kPrefix
                                           : HighlightUnit::Kind::kPattern;
    u.words = {folded};
    out_->units.push_back(std::move(u));
  }

  static std::string ShowPattern(const Node& n, const std::string& folded) {
    return (n.title ? "title:" : "") + folded +
           (n.kind == Node::Kind::kPrefix ? "*" : "");
  }

  Part CompileWildcard(const Node& n) {
    std::string folded = FoldPattern(n);
    Part p;
    if (folded.empty()) return p;
    p.role = Role::kText;
    std::string pattern =
        (n.title ? std::string(schema::kTitlePrefix) : std::string()) + folded;
    p.str = ShowPattern(n, folded);
    // Expanded here, over the whole index, rather than by OP_WILDCARD:
    // over shards, each shard would expand it alone and keep its own most
    // frequent terms, and the weights would differ from one index's.
    std::vector<std::string> expanded = Expand(n, folded, p.str);
    if (expander_ && expanded.empty()) {
      p.q = Xapian::Query::MatchNothing;
    } else if (expander_) {
      p.q = Xapian::Query(Xapian::Query::OP_SYNONYM, expanded.begin(),
                          expanded.end());
    } else if (n.kind == Node::Kind::kPrefix) {
      p.q = Xapian::Query(Xapian::Query::OP_WILDCARD, pattern,
                          static_cast<Xapian::termcount>(kWildcardLimit),
                          Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    } else {
      p.q = Xapian::Query(pattern);
    }
    AddPatternUnit(n, folded);
    return p;
  }

  Part CompileFacet(const Node& n) {
    Part p;
    p.role = Role::kFilter;
    std::vector<std::string> values = resolver_(n.field, n.text);
    std::string_view prefix = FacetPrefix(n.field);
    if (values.empty()) {
      // A term no document has (the resolver would have found it): unlike
      // Query::MatchNothing it is not an empty query, which means "all".
      p.q = Xapian::Query(schema::FacetTerm(prefix, n.text));
      p.str = n.field + ":\"" + n.text + "\"";
      notices.push_back("no " + n.field + " matches \"" + n.text + "\"");
      return p;
    }
    std::vector<Xapian::Query> terms;
    std::vector<std::string> shown;
    for (const std::string& v : values) {
      terms.emplace_back(schema::FacetTerm(prefix, v));
      shown.push_back("\"" + v + "\"");
    }
    p.q = Combine(Xapian::Query::OP_OR, terms);
    if (shown.size() > kMaxShownValues) {
      size_t more = shown.size() - kMaxShownValues;
      shown.resize(kMaxShownValues);
      shown.push_back("\u2026" + std::to_string(more) + " more");
    }
    p.str = n.field + ":" +
            (shown.size() == 1 ? shown[0] : "(" + Join(shown, " OR ") + ")");
    return p;
  }

  Part CompileDate(const Node& n) {
    Part p;
    p.role = Role::kFilter;
    if (!n.lo.empty() && !n.hi.empty()) {
      p.q = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kDateValue,
                          n.lo, n.hi);
    } else if (!n.lo.empty()) {
      p.q = Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateValue, n.lo);
    } else {
      p.q = Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kDateValue, n.hi);
    }
    p.str = "date:" + ShowDate(n.lo) + ".." + ShowDate(n.hi);
    return p;
  }

  Part CompileNot(const Node& n) {
    ++negated_;
    Part c = Compile(n.children[0]);
    --negated_;
    Part p;
    if (c.role == Role::kNone) return p;
    p.role = Role::kNeg;
    p.q = c.role == Role::kNeg ? AsAlternative(c) : c.q;
    p.str = "NOT " + Wrap(c);
    return p;
  }

  Part CompileNear(const Node& n) {
    std::vector<Xapian::Query> terms;
    std::vector<std::vector<std::string>> operands;
    std::vector<std::string> shown;
    for (const Node& op : n.children) {
      std::string tp = op.title ? std::string(schema::kTitlePrefix) : "";
      if (op.kind == Node::Kind::kPrefix || op.kind == Node::Kind::kWildcard) {
        std::string folded = FoldPattern(op);
        if (folded.empty()) continue;
        shown.push_back(ShowPattern(op, folded));
        // OP_NEAR takes only terms (or ORs of terms): expand here.
        std::vector<std::string> expanded = Expand(op, folded, shown.back());
        if (expanded.empty()) expanded.push_back(tp + folded);
        terms.push_back(Xapian::Query(Xapian::Query::OP_OR, expanded.begin(),
                                      expanded.end()));
        operands.push_back(expanded);
        AddPatternUnit(op, folded);
        continue;
      }
      std::vector<std::string> parts;
      std::string compound;
      Words(op.text, &parts, &compound);
      if (parts.empty()) continue;
      for (const std::string& w : parts) {
        terms.emplace_back(tp + w);
        operands.push_back({tp + w});
        AddWordUnit(w, false, op.title);
      }
      std::string s = parts.size() == 1 && op.kind == Node::Kind::kWord
                          ? parts[0]
                          : "\"" + Join(parts, " ") + "\"";
      shown.push_back((op.title ? "title:" : "") + s);
    }
    Part p;
    if (terms.empty()) return p;
    p.role = Role::kText;
    if (terms.size() == 1) {
      p.q = terms[0];
      p.str = shown[0];
      return p;
    }
    // NEAR/n: at most n other words among the terms; NEAR: all within
    // kNearWindow positions.
    Xapian::termcount window =
        n.near_words > 0
            ? static_cast<Xapian::termcount>(n.near_words + terms.size())
            : std::max<Xapian::termcount>(
                  kNearWindow, static_cast<Xapian::termcount>(terms.size()));
    p.q = Xapian::Query(
        Xapian::Query::OP_FILTER,
        Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()),
        PositionMatch::Query(PositionMatch::Kind::kNear, std::move(operands),
                             window));
    p.str = Join(shown, n.near_words > 0
                            ? " NEAR/" + std::to_string(n.near_words) + " "
                            : std::string(" NEAR "));
    p.composite = true;
    return p;
  }

  Part CompileAnd(const Node& n) {
    std::vector<Part> parts;
    for (const Node& c : n.children) {
      Part p = Compile(c);
      if (p.role != Role::kNone) parts.push_back(std::move(p));
    }
    if (parts.empty()) return {};
    if (parts.size() == 1) return std::move(parts[0]);
    std::vector<Xapian::Query> texts, filters, negs;
    std::vector<std::string> text_strs, filter_strs;
    for (const Part& p : parts) {
      if (p.role == Role::kText) {
        texts.push_back(p.q);
        text_strs.push_back(Wrap(p));
      } else if (p.role == Role::kFilter) {
        filters.push_back(p.q);
        filter_strs.push_back(Wrap(p));
      } else {
        negs.push_back(p.q);
        text_strs.push_back(Wrap(p));
      }
    }
    Part out;
    out.composite = true;
    Xapian::Query q;
    if (!texts.empty()) {
      q = WithPassageBonus(n, Combine(Xapian::Query::OP_AND, texts));
    }
    if (!filters.empty()) {
      Xapian::Query f = Combine(Xapian::Query::OP_AND, filters);
      q = texts.empty() ? f : Xapian::Query(Xapian::Query::OP_FILTER, q, f);
    }
    if (!negs.empty()) {
      Xapian::Query base = q.empty() ? Xapian::Query(std::string()) : q;
      q = Xapian::Query(Xapian::Query::OP_AND_NOT, base,
                        Combine(Xapian::Query::OP_OR, negs));
    }
    out.q = q;
    out.role = texts.empty() ? Role::kFilter : Role::kText;
    std::string text = Join(text_strs, " AND ");
    if (filter_strs.empty()) {
      out.str = text;
    } else if (text_strs.empty()) {
      out.str = Join(filter_strs, " ");
    } else {
      out.str = (text_strs.size() > 1 ? "(" + text + ")" : text) + " " +
                Join(filter_strs, " ");
    }
    return out;
  }

  // The folded word of a node that is one plain word outside title:, or ""
  // for anything else (phrases, compounds, prefixes, fields...).
  std::string PlainWord(const Node& n) {
    if (n.kind != Node::Kind::kWord || n.title) return "";
    std::vector<std::string> parts;
    std::string compound;
    Words(n.text, &parts, &compound);
    if (parts.size() != 1 || !compound.empty()) return "";
    return parts[0];
  }

  // Whether the OR group `n` has enough distinct plain words that are not
  // stop words for its plain stop words to be dropped.
  bool DropsStopWords(const Node& n) {
    std::set<std::string> others;
    for (const Node& c : n.children) {
      std::string w = PlainWord(c);
      if (!w.empty() && !IsStopWord(w)) others.insert(std::move(w));
    }
    return others.size() >= kMinWordsForStopping;
  }

  // The words of a group typed as running text, in order (the parts of a
  // hyphenated compound as they stand in the text), when its items are
  // plain words outside title:, kMinPassageWords or more of them, and
  // filters (author:, date:, year:), which are passed over; empty when any
  // other item (a phrase, pattern, NEAR, negation or group) is in it, and
  // inside a negation.
  std::vector<std::string> PassageWords(const Node& n) {
    if (negated_ > 0) return {};
    std::vector<std::string> words;
    for (const Node& c : n.children) {
      if (c.kind == Node::Kind::kFacet || c.kind == Node::Kind::kDate ||
          c.kind == Node::Kind::kYear) {
        continue;
      }
      if (c.kind != Node::Kind::kWord || c.title) return {};
      std::vector<std::string> parts;
      std::string compound;
      Words(c.text, &parts, &compound);
      words.insert(words.end(), parts.begin(), parts.end());
    }
    if (words.size() < kMinPassageWords) return {};
    return words;
  }

  // `q` with the passage bonus of group `n`, when it reads as a passage.
  Xapian::Query WithPassageBonus(const Node& n, Xapian::Query q) {
    std::vector<std::string> words = PassageWords(n);
    if (words.empty()) return q;
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                         PhraseQuery(words, false));
  }

  Part CompileOr(const Node& n) {
    // A word repeated in the group is kept each time: on long questions
    // the repetition says what matters (merging repeats lost 0.02-0.04 MAP
    // on CISI).
    bool drop_stop_words = DropsStopWords(n);
    std::vector<Part> parts;
    for (const Node& c : n.children) {
      if (drop_stop_words && IsStopWord(PlainWord(c))) continue;
      Part p = Compile(c);
      if (p.role != Role::kNone) parts.push_back(std::move(p));
    }
    if (parts.empty()) return {};
    if (parts.size() == 1) return std::move(parts[0]);
    bool all_filters =
        std::all_of(parts.begin(), parts.end(),
                    [](const Part& p) { return p.role == Role::kFilter; });
    std::vector<Xapian::Query> qs;
    std::vector<std::string> strs;
    for (const Part& p : parts) {
      qs.push_back(all_filters ? p.q : AsAlternative(p));
      strs.push_back(Wrap(p));
    }
    Part out;
    out.role = all_filters ? Role::kFilter : Role::kText;
    out.q = Combine(Xapian::Query::OP_OR, qs);
    if (!all_filters) out.q = WithPassageBonus(n, out.q);
    out.str = Join(strs, " OR ");
    out.composite = true;
    return out;
  }

  Analyzer& analyzer_;
  const FacetResolver& resolver_;
  const PrefixExpander& expander_;
  Compiled* out_;
  int negated_ = 0;
};

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view term) {
  // Iterative matching with one backtrack point: the last '*' seen.
  auto char_len = [](std::string_view s, size_t i) {
    size_t n = 1;
    while (i + n < s.size() &&
           (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) {
      ++n;
    }
    return n;
  };
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, star_t = 0;
  while (t < term.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_t = t;
    } else if (p < pattern.size() && pattern[p] == '?') {
      ++p;
      t += char_len(term, t);
    } else if (p < pattern.size() && pattern[p] == term[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      star_t += char_len(term, star_t);
      t = star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool WildcardMatches(std::string_view pattern, std::string_view term) {
  if (GlobMatch(pattern, term)) return true;
  return term.ends_with("'s") &&
         GlobMatch(pattern, term.substr(0, term.size() - 2));
}

Xapian::Query WordQuery(const std::string& folded, Analyzer& analyzer,
                        bool title) {
  std::string stem = analyzer.Stem(folded);
  std::string stem_prefix(schema::kStemPrefix);
  std::string exact_prefix;
  if (title) {
    stem_prefix += schema::kTitlePrefix;
    exact_prefix = schema::kTitlePrefix;
  }
  // Every form of the word matches through its stem; the exact form adds a
  // fraction of its own weight, so that it ranks first.
  return Xapian::Query(
      Xapian::Query::OP_OR, Xapian::Query(stem_prefix + stem),
      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                    Xapian::Query(exact_prefix + folded), kExactFormWeight));
}

ParseResult Parse(std::string_view q, DefaultOp op) {
  ParseResult result;
  try {
    Parser parser(q, Lexer(q).Run(), op);
    if (parser.empty()) return result;
    result.root = parser.Run();
  } catch (const SyntaxError& e) {
    result.root.reset();
    result.error = e.message;
  }
  return result;
}

std::optional<Node> PlainWords(std::string_view q, DefaultOp op) {
  std::vector<Node> words;
  auto is_separator = [&](size_t i) -> size_t {
    if (size_t s = SpaceAt(q, i)) return s;
    if (size_t s = QuoteAt(q, i)) return s;
    char c = q[i];
    return c == '(' || c == ')' || c == ':' ? 1 : 0;
  };
  size_t i = 0;
  while (i < q.size()) {
    if (size_t s = is_separator(i)) {
      i += s;
      continue;
    }
    size_t j = i;
    while (j < q.size() && is_separator(j) == 0) ++j;
    size_t b = i, e = j;
    while (b < e && (q[b] == '-' || q[b] == '+')) ++b;
    while (e > b && q[e - 1] == '*') --e;
    std::string_view w = q.substr(b, e - b);
    if (!w.empty() && !IsOperatorWord(w) && w != "&&" && w != "||") {
      Node n;
      n.kind = Node::Kind::kWord;
      n.text = std::string(w);
      n.begin = b;
      n.end = e;
      words.push_back(std::move(n));
    }
    i = j;
  }
  if (words.empty()) return std::nullopt;
  return MakeGroup(op == DefaultOp::kOr ? Node::Kind::kOr : Node::Kind::kAnd,
                   std::move(words));
}

Compiled ParseAndCompile(std::string_view q, DefaultOp op, Analyzer& analyzer,
                         const FacetResolver& resolver,
                         const PrefixExpander& expander) {
  Compiled out;
  ParseResult parsed = Parse(q, op);
  std::optional<Node> root = std::move(parsed.root);
  std::vector<std::string> notices;
  if (!parsed.error.empty()) {
    root = PlainWords(q, op);
    notices.push_back("could not read the query (" + parsed.error +
                      "): searched as plain words");
  }
  if (root) {
    Compiler compiler(analyzer, resolver, expander, &out);
    Part p = compiler.Compile(*root);
    for (std::string& n : compiler.notices) notices.push_back(std::move(n));
    if (p.role == Role::kNone) {
      notices.push_back(
          "the query has no words to search for: showing all articles");
    } else {
      out.interpreted = p.str;
      switch (p.role) {
        case Role::kFilter:
          out.query = ZeroWeight(p.q);
          break;
        case Role::kNeg:
          out.query = AsAlternative(p);
          break;
        default:
          out.query = p.q;
      }
    }
  }
  out.has_text = !out.units.empty();
  if (!notices.empty()) out.notice = Join(notices, "; ");
  return out;
}

}  // namespace pundit::query
