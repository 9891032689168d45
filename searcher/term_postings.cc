#include "searcher/term_postings.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "searcher/index_handle.h"
#include "searcher/snapshot.h"
#include "searcher/spy_fields.h"

namespace pundit {
namespace {

[[noreturn]] void Unreadable() {
  throw Xapian::NetworkError("a shard sent term postings pundit cannot read");
}

// The documents of `term` in `db`, increasing.
std::vector<uint32_t> ReadList(Xapian::Database& db, const std::string& term) {
  std::vector<uint32_t> ids;
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
    ids.push_back(*p);
  }
  return ids;
}

// Calls f(term, documents) for the terms of `db` with `prefix` ("": the
// list of every document, as the term "").
template <typename F>
void ForEachList(Xapian::Database& db, const std::string& prefix, F&& f) {
  if (prefix.empty()) {
    f(std::string(), ReadList(db, ""));
    return;
  }
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
    const std::string term = *t;
    f(term, ReadList(db, term));
  }
}

}  // namespace

PostingsReader::PostingsReader(Xapian::Database& db,
                               const std::vector<Xapian::Database>& shards)
    : db_(db), shards_(shards) {
  for (const Xapian::Database& shard : shards_) {
    Xapian::Database handle = shard;
    remote_.push_back(IsShardServer(handle));
    any_remote_ = any_remote_ || remote_.back();
  }
}

std::vector<uint32_t> PostingsReader::AllDocuments() {
  if (!any_remote_) return ReadList(db_, "");
  return std::move(FromShards("")[""]);
}

PrefixPostings PostingsReader::Prefixed(const std::string& prefix) {
  PrefixPostings out;
  auto add = [&](const std::string& term, std::vector<uint32_t> ids) {
    out.values.push_back(term.substr(prefix.size()));
    out.docs.push_back(std::move(ids));
  };
  if (!any_remote_) {
    ForEachList(db_, prefix, add);
    return out;
  }
  for (auto& [term, ids] : FromShards(prefix)) add(term, std::move(ids));
  return out;
}

std::map<std::string, std::vector<uint32_t>> PostingsReader::FromShards(
    const std::string& prefix) {
  // One match carries the spy to every shard server at once.
  TermPostingsSpy spy(prefix);
  CarryToShardServers(db_, spy);

  std::map<std::string, std::vector<uint32_t>> merged;
  const uint32_t n = static_cast<uint32_t>(shards_.size());
  // Xapian interleaves shards: merged = (local - 1) * n + index + 1. Each
  // shard's list is increasing, and merged into those of the shards before.
  auto add = [&](uint32_t index, const std::string& term,
                 const std::vector<uint32_t>& ids) {
    std::vector<uint32_t>& to = merged[term];
    const size_t before = to.size();
    for (uint32_t local : ids) to.push_back((local - 1) * n + index + 1);
    std::inplace_merge(to.begin(), to.begin() + static_cast<long>(before),
                       to.end());
  };
  for (uint32_t i = 0; i < n; ++i) {
    Xapian::Database shard = shards_[i];
    if (!remote_[i]) {
      ForEachList(shard, prefix,
                  [&](const std::string& term,
                      const std::vector<uint32_t>& ids) { add(i, term, ids); });
      continue;
    }
    auto lists = spy.From(shard.get_uuid(), IndexHandle::ContentsKey(shard));
    if (!lists) {
      throw Xapian::NetworkError("shard " + shard.get_description() +
                                 " sent no term postings");
    }
    for (const auto& [term, ids] : *lists) add(i, term, ids);
  }
  return merged;
}

TermPostingsSpy* TermPostingsSpy::unserialise(const std::string& bytes,
                                              const Xapian::Registry&) const {
  auto spy = std::make_unique<TermPostingsSpy>(bytes);
  spy->uuid_ = uuid_;
  spy->db_ = db_;
  // The connection's database was reopened by the front's last refresh.
  if (spy->db_) spy->db_->reopen();
  return spy.release();
}

TermPostingsSpy* TermPostingsSpy::clone() const {
  auto spy = std::make_unique<TermPostingsSpy>(prefix_);
  spy->uuid_ = uuid_;
  spy->db_ = db_;
  return spy.release();
}

std::string TermPostingsSpy::serialise_results() const {
  // Fields: uuid, state, then each term and its bitmap.
  std::string out;
  PutField(out, uuid_);
  if (!db_) return out;
  Xapian::Database db = *db_;
  PutField(out, IndexHandle::ContentsKey(db));
  ForEachList(db, prefix_,
              [&](const std::string& term, const std::vector<uint32_t>& ids) {
                PutField(out, term);
                PutField(out, Bitmap(ids).Serialize());
              });
  return out;
}

void TermPostingsSpy::merge_results(const std::string& bytes) {
  size_t pos = 0;
  std::string_view uuid;
  if (!GetField(bytes, pos, uuid)) Unreadable();
  merged_[std::string(uuid)] = bytes.substr(pos);
}

std::optional<std::map<std::string, std::vector<uint32_t>>>
TermPostingsSpy::From(const std::string& uuid, const std::string& state) const {
  auto it = merged_.find(uuid);
  if (it == merged_.end()) return std::nullopt;
  const std::string_view in = it->second;
  size_t pos = 0;
  std::string_view sent_state;
  if (!GetField(in, pos, sent_state)) Unreadable();
  if (sent_state != state) {
    throw Xapian::DatabaseModifiedError(
        "a shard changed while its term postings were read");
  }
  std::map<std::string, std::vector<uint32_t>> lists;
  while (pos < in.size()) {
    std::string_view term, bytes;
    if (!GetField(in, pos, term) || !GetField(in, pos, bytes)) Unreadable();
    if (term.substr(0, prefix_.size()) != prefix_) Unreadable();
    std::vector<uint32_t>& ids = lists[std::string(term)];
    std::optional<Bitmap> docs = Bitmap::Parse(bytes);
    if (!docs) Unreadable();
    docs->ForEach([&](uint32_t id) {
      if (id == 0) Unreadable();
      ids.push_back(id);
    });
  }
  return lists;
}

}  // namespace pundit
