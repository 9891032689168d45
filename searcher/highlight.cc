#include "searcher/highlight.h"

#include <algorithm>
#include <utility>

#include "core/text.h"

namespace pundit {
namespace {

constexpr std::string_view kEllipsis = "…";

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

// [begin, end) without leading and trailing ASCII white space.
void Trim(std::string_view text, size_t* begin, size_t* end) {
  while (*begin < *end && IsSpace(text[*begin])) ++*begin;
  while (*end > *begin && IsSpace(text[*end - 1])) --*end;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80;
  });
}

}  // namespace

size_t CharCount(std::string_view text) { return Utf8Length(text); }

std::string EscapedPrefix(std::string_view text, size_t max_chars) {
  size_t b = 0, e = text.size();
  Trim(text, &b, &e);
  text = text.substr(b, e - b);
  if (CharCount(text) <= max_chars) return EscapeHtml(text);
  size_t cut = Utf8ByteOfChar(text, max_chars);
  size_t space = cut;
  while (space > 0 && !IsSpace(text[space])) --space;
  if (space > 0) cut = space;
  size_t end = cut;
  size_t begin = 0;
  Trim(text, &begin, &end);
  return EscapeHtml(text.substr(0, end)) + std::string(kEllipsis);
}

// ---- Highlighter ----

Highlighter::Highlighter(Analyzer& analyzer, SentenceBreaker& breaker,
                         std::vector<query::HighlightUnit> units)
    : analyzer_(analyzer), breaker_(breaker), units_(std::move(units)) {
  // Needles: text that any match must contain, lower-cased. A word matches
  // exactly (it contains the word) or by stem; Snowball English stems are a
  // prefix of the word but for their last letter (happi <- happy, crise <-
  // crises), except for dying, lying and tying.
  auto add_needle = [&](const std::string& text) {
    if (text.empty()) return;
    std::string needle = text.substr(0, std::min<size_t>(6, text.size()));
    if (!IsAscii(needle)) {
      always_tokenize_ = true;
      return;
    }
    needles_.push_back(needle);
  };
  for (auto& u : units_) {
    if (u.weight <= 0) u.weight = 1e-3;
    if (u.words.empty()) continue;
    if (u.kind == query::HighlightUnit::Kind::kPattern) {
      // Its letters before the first wildcard; none: any text may match.
      std::string literal =
          u.words[0].substr(0, u.words[0].find_first_of("*?"));
      if (literal.empty()) always_tokenize_ = true;
      add_needle(literal);
      continue;
    }
    add_needle(u.words[0]);
    if (u.kind != query::HighlightUnit::Kind::kWord || u.stem.empty()) continue;
    const std::string& stem = u.stem;
    add_needle(stem.size() > 1 ? stem.substr(0, stem.size() - 1) : stem);
    if (stem == "die" || stem == "lie" || stem == "tie") {
      add_needle(stem.substr(0, 1) + "y");
    }
  }
}

bool Highlighter::MayMatch(std::string_view text) const {
  if (units_.empty()) return false;
  if (always_tokenize_ || !IsAscii(text)) return true;
  // In ASCII text every folded word is the lower-cased text itself, so a
  // word whose first letters appear nowhere cannot match.
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (const std::string& n : needles_) {
    if (lower.find(n) != std::string::npos) return true;
  }
  return false;
}

bool Highlighter::WordMatches(const query::HighlightUnit& unit,
                              const std::string& term) {
  if (term == unit.words[0]) return true;
  if (unit.stem.empty() || term.empty() || term[0] != unit.stem[0]) {
    return false;
  }
  return analyzer_.Stem(term) == unit.stem;
}

std::vector<Highlighter::Match> Highlighter::FindMatches(
    std::string_view text, std::vector<Token>* tokens) {
  tokens->clear();
  std::vector<Match> raw;
  if (!MayMatch(text)) return raw;
  *tokens = analyzer_.Tokenize(text);
  std::vector<size_t> plain;  // indexes of the non-compound tokens
  for (size_t k = 0; k < tokens->size(); ++k) {
    const Token& tok = (*tokens)[k];
    if (!tok.compound) plain.push_back(k);
    for (size_t u = 0; u < units_.size(); ++u) {
      const query::HighlightUnit& unit = units_[u];
      bool hit = false;
      if (unit.kind == query::HighlightUnit::Kind::kWord) {
        hit = WordMatches(unit, tok.term);
      } else if (unit.kind == query::HighlightUnit::Kind::kPrefix) {
        hit = tok.term.compare(0, unit.words[0].size(), unit.words[0]) == 0;
      } else if (unit.kind == query::HighlightUnit::Kind::kPattern) {
        hit = query::WildcardMatches(unit.words[0], tok.term);
      }
      if (hit) raw.push_back({tok.begin, tok.end, {static_cast<int>(u)}});
    }
  }
  for (size_t u = 0; u < units_.size(); ++u) {
    const query::HighlightUnit& unit = units_[u];
    if (unit.kind != query::HighlightUnit::Kind::kPhrase) continue;
    size_t n = unit.words.size();
    for (size_t j = 0; j + n <= plain.size(); ++j) {
      bool all = true;
      for (size_t i = 0; i < n && all; ++i) {
        all = (*tokens)[plain[j + i]].term == unit.words[i];
      }
      if (all) {
        raw.push_back({(*tokens)[plain[j]].begin,
                       (*tokens)[plain[j + n - 1]].end,
                       {static_cast<int>(u)}});
      }
    }
  }
  std::sort(raw.begin(), raw.end(), [](const Match& a, const Match& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<Match> merged;
  for (Match& m : raw) {
    if (!merged.empty() && m.begin < merged.back().end) {
      Match& last = merged.back();
      last.end = std::max(last.end, m.end);
      for (int u : m.units) {
        if (std::find(last.units.begin(), last.units.end(), u) ==
            last.units.end()) {
          last.units.push_back(u);
        }
      }
    } else {
      merged.push_back(std::move(m));
    }
  }
  return merged;
}

std::string Highlighter::Render(std::string_view text, size_t begin, size_t end,
                                const std::vector<Match>& matches, int* marks) {
  std::string out;
  size_t pos = begin;
  for (const Match& m : matches) {
    if (m.begin < pos || m.end > end) continue;
    out += EscapeHtml(text.substr(pos, m.begin - pos));
    out += "<mark>";
    out += EscapeHtml(text.substr(m.begin, m.end - m.begin));
    out += "</mark>";
    pos = m.end;
    if (marks) ++*marks;
  }
  out += EscapeHtml(text.substr(pos, end - pos));
  return out;
}

std::string Highlighter::Mark(std::string_view text, int* marks) {
  std::vector<Token> tokens;
  std::vector<Match> matches = FindMatches(text, &tokens);
  return Render(text, 0, text.size(), matches, marks);
}

namespace {

// `text` with runs of white space made one space and none at either end.
std::string OneLine(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::vector<InContext> Highlighter::InContexts(std::string_view text,
                                               size_t words) {
  std::vector<Token> tokens;
  const std::vector<Match> matches = FindMatches(text, &tokens);
  std::vector<InContext> out;
  if (matches.empty()) return out;
  std::vector<const Token*> plain;  // the words, in text order
  for (const Token& t : tokens) {
    if (!t.compound) plain.push_back(&t);
  }
  std::stable_sort(
      plain.begin(), plain.end(),
      [](const Token* a, const Token* b) { return a->begin < b->begin; });
  out.reserve(matches.size());
  for (const Match& m : matches) {
    // The first word ending after the match's start, the first starting at
    // or after its end.
    auto before = std::lower_bound(
        plain.begin(), plain.end(), m.begin,
        [](const Token* t, size_t at) { return t->end <= at; });
    auto after = std::lower_bound(
        plain.begin(), plain.end(), m.end,
        [](const Token* t, size_t at) { return t->begin < at; });
    const size_t lefts = std::min<size_t>(words, before - plain.begin());
    const size_t rights = std::min<size_t>(words, plain.end() - after);
    const size_t left_begin = lefts ? (*(before - lefts))->begin : m.begin;
    const size_t right_end = rights ? (*(after + rights - 1))->end : m.end;
    out.push_back({OneLine(text.substr(left_begin, m.begin - left_begin)),
                   OneLine(text.substr(m.begin, m.end - m.begin)),
                   OneLine(text.substr(m.end, right_end - m.end))});
  }
  return out;
}

std::vector<std::string> Highlighter::Snippets(
    const std::vector<std::string_view>& paragraphs, size_t max_fragments,
    size_t max_chars) {
  struct Para {
    std::string_view text;
    std::vector<Match> matches;
    size_t end = 0;  // end of the paragraph's text without trailing space
  };
  struct Candidate {
    size_t para = 0, begin = 0, end = 0;
    bool cut_start = false;
    std::vector<std::pair<int, int>> units;  // (unit, occurrences)
  };
  std::vector<Para> paras;
  std::vector<Candidate> cands;
  std::vector<Token> tokens;
  // Which units a candidate holds, and how often.
  auto count_units = [&](Candidate& c) {
    for (const Match& m : paras[c.para].matches) {
      if (m.begin < c.begin || m.end > c.end) continue;
      for (int u : m.units) {
        auto it = std::find_if(c.units.begin(), c.units.end(),
                               [u](const auto& p) { return p.first == u; });
        if (it == c.units.end()) {
          c.units.push_back({u, 1});
        } else {
          ++it->second;
        }
      }
    }
  };
  bool complete = false;  // some candidate holds every unit
  for (std::string_view text : paragraphs) {
    // Enough candidates and one of them holds everything: the rest of a
    // long article need not be analysed.
    if (complete && cands.size() >= max_fragments) break;
    size_t first_new = cands.size();
    std::vector<Match> matches = FindMatches(text, &tokens);
    if (matches.empty()) continue;
    size_t pb = 0, pe = text.size();
    Trim(text, &pb, &pe);
    size_t p = paras.size();
    paras.push_back({text, std::move(matches), pe});
    const std::vector<Match>& ms = paras.back().matches;
    std::vector<size_t> bounds = breaker_.Split(text);
    size_t n = bounds.size() - 1;
    auto has_match = [&](size_t s) {
      return std::any_of(ms.begin(), ms.end(), [&](const Match& m) {
        return m.begin >= bounds[s] && m.begin < bounds[s + 1];
      });
    };
    for (size_t s = 0; s < n; ++s) {
      if (!has_match(s)) continue;
      size_t tb = bounds[s], te = bounds[s + 1];
      Trim(text, &tb, &te);
      if (CharCount(text.substr(tb, te - tb)) <= max_chars) {
        // Whole sentences: this one, then the next while they fit and
        // either hold matches or the fragment is still short.
        size_t end = te;
        for (size_t e = s + 1; e < n; ++e) {
          size_t nb = bounds[e], ne = bounds[e + 1];
          Trim(text, &nb, &ne);
          if (CharCount(text.substr(tb, ne - tb)) > max_chars) break;
          if (!has_match(e) &&
              CharCount(text.substr(tb, end - tb)) >= max_chars / 2) {
            break;
          }
          end = ne;
        }
        cands.push_back({p, tb, end, false, {}});
        continue;
      }
      // A sentence too long to show whole: windows of words around its
      // matches, starting a little before the match.
      size_t covered_to = tb;
      for (const Match& m : ms) {
        if (m.begin < tb || m.begin >= te || m.begin < covered_to) continue;
        size_t lead =
            std::min(max_chars / 4, CharCount(text.substr(tb, m.begin - tb)));
        size_t back = m.begin;
        for (size_t chars = 0; back > tb && chars < lead;) {
          --back;
          if ((static_cast<unsigned char>(text[back]) & 0xC0) != 0x80) ++chars;
        }
        size_t start = m.begin;
        if (back <= tb) {
          start = tb;
        } else {
          for (const Token& t : tokens) {
            if (t.begin >= back && t.begin <= m.begin) {
              start = t.begin;
              break;
            }
          }
        }
        size_t end = m.end;
        if (CharCount(text.substr(start, te - start)) <= max_chars) {
          end = te;
        } else {
          for (const Token& t : tokens) {
            if (t.end > te) break;
            if (t.end > end &&
                CharCount(text.substr(start, t.end - start)) <= max_chars) {
              end = t.end;
            }
          }
        }
        cands.push_back({p, start, end, start > tb, {}});
        covered_to = end;
      }
    }
    for (size_t i = first_new; i < cands.size(); ++i) {
      count_units(cands[i]);
      complete = complete || cands[i].units.size() == units_.size();
    }
  }
  if (cands.empty()) return {};

  // Greedy choice: the fragment with the most weight of not yet shown units
  // (rare words weigh more), then the next; ties go to the earlier one.
  std::vector<bool> covered(units_.size(), false);
  std::vector<size_t> chosen;
  for (size_t round = 0; round < max_fragments; ++round) {
    double best_score = 0;
    size_t best = cands.size();
    for (size_t i = 0; i < cands.size(); ++i) {
      const Candidate& c = cands[i];
      bool overlaps = std::any_of(chosen.begin(), chosen.end(), [&](size_t j) {
        const Candidate& o = cands[j];
        return o.para == c.para && o.begin < c.end && c.begin < o.end;
      });
      if (overlaps) continue;
      double score = 0;
      bool adds = false;
      for (auto [u, count] : c.units) {
        double w = units_[u].weight;
        score += (covered[u] ? 0.2 : 1.0) * w + 0.1 * w * (count - 1);
        adds = adds || !covered[u];
      }
      // A third fragment must show something new.
      if (round >= 2 && !adds) continue;
      if (score > best_score) {
        best_score = score;
        best = i;
      }
    }
    if (best == cands.size()) break;
    chosen.push_back(best);
    for (auto [u, count] : cands[best].units) covered[u] = true;
  }
  std::sort(chosen.begin(), chosen.end(), [&](size_t a, size_t b) {
    return cands[a].para != cands[b].para ? cands[a].para < cands[b].para
                                          : cands[a].begin < cands[b].begin;
  });
  std::vector<std::string> out;
  for (size_t i : chosen) {
    const Candidate& c = cands[i];
    const Para& p = paras[c.para];
    std::string frag;
    if (c.cut_start) frag += kEllipsis;
    frag += Render(p.text, c.begin, c.end, p.matches, nullptr);
    if (c.end < p.end) frag += kEllipsis;
    out.push_back(std::move(frag));
  }
  return out;
}

}  // namespace pundit
