// Phrases and NEAR, checked against the articles' position records.
//
// pundit keeps word positions in one record per article (core/positions.h),
// so Xapian's OP_PHRASE and OP_NEAR, which read its position table, find
// nothing. PositionMatch is a Xapian::PostingSource that stands in for
// them: it matches the articles whose record has the words in order and
// adjacent (a phrase) or all within a window (NEAR). It carries no weight
// and is meant to filter the AND of the same words, which gives the BM25
// weights Xapian's phrase would have given:
//
//   Query(OP_FILTER, Query(OP_AND, words...), PositionMatch::Query(...))
//
// Inside that AND it is asked about each article the other parts match
// (check()); on its own it walks the words' posting lists (next(),
// skip_to()). Like any PostingSource it is used by one match at a time;
// the matcher clones it per match, and Registry() unserialises it in
// queries sent to other threads.
#ifndef PUNDIT_SEARCHER_POSITION_MATCH_H_
#define PUNDIT_SEARCHER_POSITION_MATCH_H_

#include <xapian.h>

#include <string>
#include <utility>
#include <vector>

namespace pundit::query {

class PositionMatch : public Xapian::PostingSource {
 public:
  enum class Kind : char { kPhrase = 'p', kNear = 'n' };

  // `operands`: for each place of the phrase (or each NEAR operand), the
  // terms any one of which may stand there (a word gives one term, a
  // prefix its expansions). A phrase's operands stand at consecutive
  // positions in this order; NEAR's at distinct positions, in any order,
  // the first and last at most `window` - 1 apart. Needs at least two
  // operands, each with at least one term.
  PositionMatch(Kind kind, std::vector<std::vector<std::string>> operands,
                Xapian::termcount window);

  // The filter described above, as a query.
  static Xapian::Query Query(Kind kind,
                             std::vector<std::vector<std::string>> operands,
                             Xapian::termcount window);

  // A registry that unserialises queries holding PositionMatch sources.
  static const Xapian::Registry& Registry();
  // Adds PositionMatch to `registry` (a shard server's, with more classes).
  static void RegisterIn(Xapian::Registry& registry);

  void init(const Xapian::Database& db) override;
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return doccount_; }
  Xapian::doccount get_termfreq_max() const override { return doccount_; }
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool check(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return at_end_; }
  Xapian::docid get_docid() const override { return did_; }

  PositionMatch* clone() const override;
  std::string name() const override;
  std::string serialise() const override;
  PositionMatch* unserialise(const std::string& bytes) const override;
  // "phrase(a b)", "near/10(a b|c)".
  std::string get_description() const override;

 private:
  // The first article at or after `from` holding every operand whose
  // record matches; at_end_ when none.
  void Search(Xapian::docid from);
  // True when `did` holds every operand and its record matches.
  bool Matches(Xapian::docid did);
  // The positions of operand `i` in `did`, ascending; false when the
  // article holds none of its terms.
  bool OperandPositions(size_t i, Xapian::docid did,
                        std::vector<uint32_t>* out);
  // Part `part` of `did`'s positions (core/positions.h), null when absent.
  const std::string* Part(Xapian::docid did, unsigned part);
  bool PhraseIn(const std::vector<std::vector<uint32_t>>& lists) const;
  bool NearIn(const std::vector<std::vector<uint32_t>>& lists) const;
  void OpenPostings();

  Kind kind_;
  std::vector<std::vector<std::string>> operands_;
  Xapian::termcount window_;

  Xapian::Database db_;
  Xapian::doccount doccount_ = 0;
  // Per part, its value stream, opened when first read.
  std::vector<Xapian::ValueIterator> values_;
  std::vector<char> values_open_;
  // The parts read for the article being checked.
  std::vector<std::pair<unsigned, std::string>> parts_;
  // Per operand, per term: its posting list (opened by next()/skip_to(),
  // and for operands of several terms, to tell which ones an article has).
  std::vector<std::vector<Xapian::PostingIterator>> postings_;
  bool postings_open_ = false;
  Xapian::docid did_ = 0;
  bool valid_ = false;  // did_ is a match (not just the last one checked)
  bool at_end_ = false;
  std::vector<std::vector<uint32_t>> lists_;  // scratch, one per operand
};

}  // namespace pundit::query

#endif  // PUNDIT_SEARCHER_POSITION_MATCH_H_
