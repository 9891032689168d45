#include "searcher/position_match.h"

#include <algorithm>
#include <utility>

#include "core/positions.h"
#include "core/schema.h"

namespace pundit::query {
namespace {

void PutNumber(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

uint64_t GetNumber(const char** p, const char* end) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64 && *p < end; shift += 7) {
    const auto byte = static_cast<unsigned char>(**p);
    ++*p;
    v |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if (byte < 0x80) return v;
  }
  throw Xapian::SerialisationError("pundit::PositionMatch: bad number");
}

// Kuhn's augmenting path: can operand `i` take a position of its own among
// `options[i]`, moving others as needed? `owner` maps a position's index in
// `slots` to the operand holding it (or -1).
bool Assign(size_t i, const std::vector<std::vector<size_t>>& options,
            std::vector<int>& owner, std::vector<char>& seen) {
  for (size_t slot : options[i]) {
    if (seen[slot]) continue;
    seen[slot] = 1;
    if (owner[slot] < 0 ||
        Assign(static_cast<size_t>(owner[slot]), options, owner, seen)) {
      owner[slot] = static_cast<int>(i);
      return true;
    }
  }
  return false;
}

}  // namespace

PositionMatch::PositionMatch(Kind kind,
                             std::vector<std::vector<std::string>> operands,
                             Xapian::termcount window)
    : kind_(kind), operands_(std::move(operands)), window_(window) {}

Xapian::Query PositionMatch::Query(
    Kind kind, std::vector<std::vector<std::string>> operands,
    Xapian::termcount window) {
  return Xapian::Query(
      (new PositionMatch(kind, std::move(operands), window))->release());
}

const Xapian::Registry& PositionMatch::Registry() {
  static const Xapian::Registry* registry = [] {
    auto* r = new Xapian::Registry;
    RegisterIn(*r);
    return r;
  }();
  return *registry;
}

void PositionMatch::RegisterIn(Xapian::Registry& registry) {
  PositionMatch prototype(Kind::kPhrase, {}, 0);
  registry.register_posting_source(prototype);
}

void PositionMatch::init(const Xapian::Database& db) {
  db_ = db;
  doccount_ = db.get_doccount();
  values_.assign(kPositionParts, Xapian::ValueIterator());
  values_open_.assign(kPositionParts, 0);
  parts_.clear();
  postings_.clear();
  postings_open_ = false;
  did_ = 0;
  valid_ = false;
  at_end_ = false;
  lists_.assign(operands_.size(), {});
}

void PositionMatch::OpenPostings() {
  if (postings_open_) return;
  postings_.clear();
  for (const auto& terms : operands_) {
    std::vector<Xapian::PostingIterator> its;
    for (const std::string& t : terms) its.push_back(db_.postlist_begin(t));
    postings_.push_back(std::move(its));
  }
  postings_open_ = true;
}

void PositionMatch::next(double) {
  if (at_end_) return;
  Search(did_ + 1);
}

void PositionMatch::skip_to(Xapian::docid did, double) {
  if (at_end_) return;
  if (valid_ && did_ >= did) return;
  Search(std::max<Xapian::docid>(did, did_ + 1));
}

bool PositionMatch::check(Xapian::docid did, double) {
  if (at_end_) return true;
  // Already on a match at or after `did`: where skip_to() would stay.
  if (valid_ && did_ >= did) return true;
  did_ = did;
  valid_ = Matches(did);
  return valid_;
}

void PositionMatch::Search(Xapian::docid from) {
  OpenPostings();
  Xapian::docid target = from;
  while (true) {
    bool all_at_target = true;
    for (auto& its : postings_) {
      Xapian::docid lowest = 0;
      for (auto& it : its) {
        if (it == Xapian::PostingIterator()) continue;
        if (*it < target) it.skip_to(target);
        if (it == Xapian::PostingIterator()) continue;
        if (lowest == 0 || *it < lowest) lowest = *it;
      }
      if (lowest == 0) {
        at_end_ = true;
        valid_ = false;
        return;
      }
      if (lowest > target) {
        target = lowest;
        all_at_target = false;
        break;
      }
    }
    if (!all_at_target) continue;
    if (Matches(target)) {
      did_ = target;
      valid_ = true;
      return;
    }
    ++target;
  }
}

bool PositionMatch::Matches(Xapian::docid did) {
  if (operands_.size() < 2) return false;
  parts_.clear();
  for (size_t i = 0; i < operands_.size(); ++i) {
    lists_[i].clear();
    if (!OperandPositions(i, did, &lists_[i])) return false;
  }
  return kind_ == Kind::kPhrase ? PhraseIn(lists_) : NearIn(lists_);
}

const std::string* PositionMatch::Part(Xapian::docid did, unsigned part) {
  for (const auto& [p, bytes] : parts_) {
    if (p == part) return &bytes;
  }
  Xapian::ValueIterator& it = values_[part];
  if (!values_open_[part]) {
    it = db_.valuestream_begin(schema::kPositionsFirstValue + part);
    values_open_[part] = 1;
  }
  const Xapian::ValueIterator end;
  if (it == end) return nullptr;
  if (!it.check(did) || it == end || it.get_docid() != did) return nullptr;
  parts_.emplace_back(part, *it);
  return &parts_.back().second;
}

bool PositionMatch::OperandPositions(size_t i, Xapian::docid did,
                                     std::vector<uint32_t>* out) {
  const std::vector<std::string>& terms = operands_[i];
  if (terms.size() == 1) {
    const std::string* part = Part(did, PositionPart(terms[0]));
    return part != nullptr && PositionRecord(*part).Find(terms[0], out);
  }
  // Of several terms, only those the article holds may be looked up: a part
  // could give another term's positions for one it lacks.
  OpenPostings();
  for (size_t j = 0; j < terms.size(); ++j) {
    Xapian::PostingIterator& it = postings_[i][j];
    if (it == Xapian::PostingIterator()) continue;
    if (*it < did) it.skip_to(did);
    if (it == Xapian::PostingIterator() || *it != did) continue;
    const std::string* part = Part(did, PositionPart(terms[j]));
    if (part != nullptr) PositionRecord(*part).Find(terms[j], out);
  }
  if (out->empty()) return false;
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
  return true;
}

bool PositionMatch::PhraseIn(
    const std::vector<std::vector<uint32_t>>& lists) const {
  // Walk the shortest list; word i of the phrase must stand at
  // start + i in every other.
  size_t anchor = 0;
  for (size_t i = 1; i < lists.size(); ++i) {
    if (lists[i].size() < lists[anchor].size()) anchor = i;
  }
  std::vector<std::vector<uint32_t>::const_iterator> from;
  from.reserve(lists.size());
  for (const auto& l : lists) from.push_back(l.begin());
  for (uint32_t at : lists[anchor]) {
    if (at < anchor) continue;
    const uint32_t start = at - static_cast<uint32_t>(anchor);
    bool all = true;
    for (size_t i = 0; i < lists.size() && all; ++i) {
      if (i == anchor) continue;
      // Starts only grow: each list is searched from where it stopped.
      from[i] = std::lower_bound(from[i], lists[i].end(),
                                 start + static_cast<uint32_t>(i));
      if (from[i] == lists[i].end()) return false;
      all = *from[i] == start + i;
    }
    if (all) return true;
  }
  return false;
}

bool PositionMatch::NearIn(
    const std::vector<std::vector<uint32_t>>& lists) const {
  const size_t n = lists.size();
  if (window_ < n) return false;
  // Each window starting at a position of some operand: can every operand
  // take a distinct position inside it?
  std::vector<uint32_t> starts;
  for (const auto& l : lists) starts.insert(starts.end(), l.begin(), l.end());
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  std::vector<uint32_t> slots;
  std::vector<std::vector<size_t>> options(n);
  for (uint32_t start : starts) {
    const uint32_t last = start + window_ - 1;
    slots.clear();
    for (const auto& l : lists) {
      for (auto it = std::lower_bound(l.begin(), l.end(), start);
           it != l.end() && *it <= last; ++it) {
        slots.push_back(*it);
      }
    }
    std::sort(slots.begin(), slots.end());
    slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
    bool every = true;
    for (size_t i = 0; i < n && every; ++i) {
      options[i].clear();
      for (auto it = std::lower_bound(lists[i].begin(), lists[i].end(), start);
           it != lists[i].end() && *it <= last; ++it) {
        options[i].push_back(static_cast<size_t>(
            std::lower_bound(slots.begin(), slots.end(), *it) - slots.begin()));
      }
      every = !options[i].empty();
    }
    if (!every) continue;
    std::vector<int> owner(slots.size(), -1);
    bool all = true;
    for (size_t i = 0; i < n && all; ++i) {
      std::vector<char> seen(slots.size(), 0);
      all = Assign(i, options, owner, seen);
    }
    if (all) return true;
  }
  return false;
}

PositionMatch* PositionMatch::clone() const {
  return new PositionMatch(kind_, operands_, window_);
}

std::string PositionMatch::name() const { return "pundit::PositionMatch"; }

std::string PositionMatch::serialise() const {
  std::string out(1, static_cast<char>(kind_));
  PutNumber(out, window_);
  PutNumber(out, operands_.size());
  for (const auto& terms : operands_) {
    PutNumber(out, terms.size());
    for (const std::string& t : terms) {
      PutNumber(out, t.size());
      out += t;
    }
  }
  return out;
}

PositionMatch* PositionMatch::unserialise(const std::string& bytes) const {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  if (p == end || (*p != static_cast<char>(Kind::kPhrase) &&
                   *p != static_cast<char>(Kind::kNear))) {
    throw Xapian::SerialisationError("pundit::PositionMatch: bad kind");
  }
  const Kind kind = static_cast<Kind>(*p++);
  const auto window = static_cast<Xapian::termcount>(GetNumber(&p, end));
  std::vector<std::vector<std::string>> operands(GetNumber(&p, end));
  for (auto& terms : operands) {
    terms.resize(GetNumber(&p, end));
    for (std::string& t : terms) {
      const uint64_t size = GetNumber(&p, end);
      if (size > static_cast<uint64_t>(end - p)) {
        throw Xapian::SerialisationError("pundit::PositionMatch: truncated");
      }
      t.assign(p, size);
      p += size;
    }
  }
  return new PositionMatch(kind, std::move(operands), window);
}

std::string PositionMatch::get_description() const {
  std::string out = kind_ == Kind::kPhrase
                        ? "phrase("
                        : "near/" + std::to_string(window_) + "(";
  for (size_t i = 0; i < operands_.size(); ++i) {
    if (i > 0) out += ' ';
    for (size_t j = 0; j < operands_[i].size(); ++j) {
      if (j > 0) out += '|';
      out += operands_[i][j];
    }
  }
  out += ')';
  return out;
}

}  // namespace pundit::query
