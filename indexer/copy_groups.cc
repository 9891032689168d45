#include "indexer/copy_groups.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/dedup.h"
#include "core/schema.h"

namespace pundit::indexer {
namespace {

using dedup::kMaxBandRepresentatives;

// Finds copies and joins them, reading signatures and keys once each.
class Grouper {
 public:
  explicit Grouper(Xapian::WritableDatabase& db) : db_(db) {}

  const std::string& SignatureOf(Xapian::docid did) {
    auto [it, inserted] = signatures_.try_emplace(did);
    if (inserted) {
      try {
        it->second = db_.get_document(did).get_value(schema::kSignatureValue);
      } catch (const Xapian::DocNotFoundError&) {
        // Deleted since it was written: no signature, never a copy.
      }
    }
    return it->second;
  }

  // Compares a and b once; joins them when they are copies.
  void Check(Xapian::docid a, Xapian::docid b) {
    if (a == b) return;
    const uint64_t pair =
        a < b ? (uint64_t{a} << 32) | b : (uint64_t{b} << 32) | a;
    if (!checked_.insert(pair).second) return;
    ++counts_.pairs_checked;
    if (dedup::Resemblance(SignatureOf(a), SignatureOf(b)) <
        dedup::kCopyResemblance) {
      return;
    }
    ++counts_.copies_found;
    Union(a, b);
  }

  // Checks `did` against every other document holding one of its bands.
  void CheckAgainstIndex(Xapian::docid did) {
    const std::string& signature = SignatureOf(did);
    for (const std::string& band : dedup::BandTerms(signature)) {
      if (db_.get_termfreq(band) < 2) continue;
      std::vector<Xapian::docid> holders;
      for (auto p = db_.postlist_begin(band); p != db_.postlist_end(band);
           ++p) {
        holders.push_back(*p);
      }
      CheckAgainstHolders(did, holders);
    }
  }

  // Checks the documents holding one band against each other: each
  // against the distinct texts met before it (at most
  // kMaxBandRepresentatives of them).
  void CheckBand(const std::vector<Xapian::docid>& holders) {
    std::vector<Xapian::docid> representatives;
    for (Xapian::docid did : holders) {
      bool joined = false;
      for (Xapian::docid r : representatives) {
        Check(did, r);
        if (Find(did) == Find(r)) {
          joined = true;
          break;
        }
      }
      if (!joined && representatives.size() < kMaxBandRepresentatives) {
        representatives.push_back(did);
      }
    }
  }

  // Writes the key of each group found into its members that have none.
  CopyGroupCounts WriteKeys() {
    std::unordered_map<Xapian::docid, std::vector<Xapian::docid>> groups;
    for (const auto& entry : parent_) groups[Find(entry.first)];
    for (const auto& entry : parent_) {
      groups[Find(entry.first)].push_back(entry.first);
    }
    for (auto& [root, members] : groups) {
      std::sort(members.begin(), members.end());
      std::string key;  // the least key a member has, else from content
      std::vector<std::string> keys;
      for (Xapian::docid m : members) {
        keys.push_back(db_.get_document(m).get_value(schema::kGroupValue));
        if (!keys.back().empty() && (key.empty() || keys.back() < key)) {
          key = keys.back();
        }
      }
      if (key.empty()) {
        const std::string* least = &SignatureOf(members[0]);
        for (Xapian::docid m : members) {
          if (SignatureOf(m) < *least) least = &SignatureOf(m);
        }
        key = schema::HashHex(*least);
      }
      for (size_t i = 0; i < members.size(); ++i) {
        if (!keys[i].empty()) continue;
        Xapian::Document doc = db_.get_document(members[i]);
        doc.add_value(schema::kGroupValue, key);
        doc.add_boolean_term(schema::GroupTerm(key));
        db_.replace_document(members[i], doc);
        ++counts_.articles_keyed;
      }
    }
    return counts_;
  }

 private:
  void CheckAgainstHolders(Xapian::docid did,
                           const std::vector<Xapian::docid>& holders) {
    if (holders.size() <= kMaxBandRepresentatives) {
      for (Xapian::docid other : holders) Check(did, other);
      return;
    }
    // A template shared by many: compare with the holders that are not
    // known copies of one already compared.
    std::unordered_set<Xapian::docid> roots;
    for (Xapian::docid other : holders) {
      if (other == did) continue;
      if (!roots.insert(Find(other)).second) continue;
      Check(did, other);
      if (roots.size() >= kMaxBandRepresentatives) return;
    }
  }

  Xapian::docid Find(Xapian::docid did) {
    auto it = parent_.find(did);
    if (it == parent_.end()) return did;
    Xapian::docid root = did;
    while (parent_[root] != root) root = parent_[root];
    while (parent_[did] != root) {
      Xapian::docid next = parent_[did];
      parent_[did] = root;
      did = next;
    }
    return root;
  }

  void Union(Xapian::docid a, Xapian::docid b) {
    parent_.try_emplace(a, a);
    parent_.try_emplace(b, b);
    Xapian::docid ra = Find(a), rb = Find(b);
    if (ra != rb) parent_[std::max(ra, rb)] = std::min(ra, rb);
  }

  Xapian::WritableDatabase& db_;
  std::unordered_map<Xapian::docid, std::string> signatures_;
  std::unordered_set<uint64_t> checked_;
  std::unordered_map<Xapian::docid, Xapian::docid> parent_;  // joined only
  CopyGroupCounts counts_;
};

}  // namespace

CopyGroupCounts GroupCopiesOf(Xapian::WritableDatabase& db,
                              const std::vector<Xapian::docid>& docs) {
  Grouper grouper(db);
  for (Xapian::docid did : docs) grouper.CheckAgainstIndex(did);
  return grouper.WriteKeys();
}

CopyGroupCounts GroupAllCopies(Xapian::WritableDatabase& db) {
  Grouper grouper(db);
  const std::string prefix(schema::kBandPrefix);
  std::vector<Xapian::docid> holders;
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
    if (t.get_termfreq() < 2) continue;
    holders.clear();
    for (auto p = db.postlist_begin(*t); p != db.postlist_end(*t); ++p) {
      holders.push_back(*p);
    }
    grouper.CheckBand(holders);
  }
  return grouper.WriteKeys();
}

}  // namespace pundit::indexer
