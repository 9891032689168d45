#include "searcher/match_list_spy.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <unordered_set>
#include <utility>

#include "searcher/spy_fields.h"

namespace pundit {
namespace {

[[noreturn]] void Unreadable() {
  throw Xapian::NetworkError("a shard sent a match list pundit cannot read");
}

}  // namespace

MatchListSpy::MatchListSpy(const std::vector<Xapian::Database>& shards,
                           const Bitmap* filter, size_t keep, size_t carry)
    : keep_(keep), carry_(std::min({carry, keep, kMaxCarriedDocs})) {
  if (!filter) return;
  const uint32_t n = static_cast<uint32_t>(shards.size());
  std::vector<std::vector<uint32_t>> local(n);
  filter->ForEach([&](uint32_t merged) {
    // Xapian interleaves shards: merged = (local - 1) * n + index + 1.
    local[(merged - 1) % n].push_back((merged - 1) / n + 1);
  });
  filters_.emplace();
  for (uint32_t i = 0; i < n; ++i) {
    (*filters_)[shards[i].get_uuid()] = Bitmap(local[i]).Serialize();
  }
}

MatchListSpy* MatchListSpy::clone() const {
  auto spy = std::make_unique<MatchListSpy>(uuid_, docs_);
  spy->keep_ = keep_;
  spy->carry_ = carry_;
  spy->filters_ = filters_;
  spy->filter_ = filter_;
  return spy.release();
}

void MatchListSpy::operator()(const Xapian::Document& doc, double wt) {
  const Xapian::docid did = doc.get_docid();
  ids_.push_back(did);
  if (keep_ == 0 || (filter_ && !filter_->Contains(did))) return;
  if (heap_.size() == keep_) {
    // Documents come in increasing order: on equal weights the earlier
    // one ranks first.
    if (wt <= heap_.front().weight) return;
    std::pop_heap(heap_.begin(), heap_.end(), Better);
    heap_.pop_back();
  }
  heap_.push_back({wt, did});
  std::push_heap(heap_.begin(), heap_.end(), Better);
}

std::string MatchListSpy::CarriedData(Xapian::docid did) const {
  for (int attempt = 0; docs_ && attempt < 2; ++attempt) {
    try {
      return docs_->get_document(did).get_data();
    } catch (const Xapian::DocNotFoundError&) {
      // Deleted by a commit the match did not see: the front reads it (and
      // finds it gone) as it would without carrying.
      return "";
    } catch (const Xapian::DatabaseModifiedError&) {
      docs_->reopen();  // a commit overwrote what this revision reads
    }
  }
  return "";
}

std::string MatchListSpy::serialise() const {
  // keep, carry, then "-" for no filter or "+" and uuid/bitmap field pairs.
  std::string out;
  PutField(out, std::to_string(keep_));
  PutField(out, std::to_string(carry_));
  if (!filters_) return out + "-";
  out += '+';
  for (const auto& [uuid, bitmap] : *filters_) {
    PutField(out, uuid);
    PutField(out, bitmap);
  }
  return out;
}

MatchListSpy* MatchListSpy::unserialise(const std::string& bytes,
                                        const Xapian::Registry&) const {
  auto spy = std::make_unique<MatchListSpy>(uuid_, docs_);
  if (bytes.empty()) return spy.release();  // only the match list
  std::string_view in = bytes;
  size_t pos = 0;
  std::string_view keep, carry;
  if (!GetField(in, pos, keep) || !GetField(in, pos, carry) ||
      pos >= in.size()) {
    throw Xapian::NetworkError("pundit's match list spy came malformed");
  }
  spy->keep_ = ToSize(keep);
  spy->carry_ = std::min({ToSize(carry), spy->keep_, kMaxCarriedDocs});
  // Carried data is read at the latest revision: the match's, or a newer
  // one when a commit landed since the front last asked the shard to
  // reopen (SearcherOptions::shard_refresh_ms).
  if (spy->carry_ > 0 && spy->docs_) spy->docs_->reopen();
  if (in[pos++] == '+') {
    spy->filter_.emplace();  // a shard not named has no document in it
    while (pos < in.size()) {
      std::string_view uuid, bitmap;
      if (!GetField(in, pos, uuid) || !GetField(in, pos, bitmap)) {
        throw Xapian::NetworkError("pundit's match list spy came malformed");
      }
      if (uuid == uuid_) spy->filter_ = Bitmap::Deserialize(bitmap);
    }
  }
  return spy.release();
}

std::string MatchListSpy::serialise_results() const {
  // uuid, a NUL, the bitmap as a field, then weight (8 bytes) and document
  // number (4 bytes) of each best match, best first, the first `carry`
  // each followed by its stored data as a field.
  std::string out = uuid_;
  out += '\0';
  PutField(out, Bitmap(ids_).Serialize());
  std::vector<Ranked> best = heap_;
  std::sort(best.begin(), best.end(), Better);
  for (size_t i = 0; i < best.size(); ++i) {
    char buf[12];
    std::memcpy(buf, &best[i].weight, 8);
    const uint32_t did = best[i].did;
    std::memcpy(buf + 8, &did, 4);
    out.append(buf, sizeof buf);
    if (i < carry_) PutField(out, CarriedData(did));
  }
  return out;
}

void MatchListSpy::merge_results(const std::string& bytes) {
  const size_t nul = bytes.find('\0');
  if (nul == std::string::npos) Unreadable();
  std::string_view in = bytes;
  size_t pos = nul + 1;
  std::string_view bitmap;
  if (!GetField(in, pos, bitmap)) Unreadable();
  ShardResult& result = merged_[bytes.substr(0, nul)];
  result.bitmap = bitmap;
  while (pos < in.size()) {
    if (in.size() - pos < 12) Unreadable();
    Ranked r{};
    std::memcpy(&r.weight, in.data() + pos, 8);
    uint32_t did = 0;
    std::memcpy(&did, in.data() + pos + 8, 4);
    r.did = did;
    pos += 12;
    result.best.push_back(r);
    if (result.best.size() > carry_) continue;
    std::string_view data;
    if (!GetField(in, pos, data)) Unreadable();
    result.data.emplace_back(data);
  }
}

Bitmap MatchListSpy::Merged(const std::vector<Xapian::Database>& shards) const {
  const uint32_t n = static_cast<uint32_t>(shards.size());
  std::vector<uint32_t> ids;
  for (uint32_t i = 0; i < n; ++i) {
    auto it = merged_.find(shards[i].get_uuid());
    if (it == merged_.end()) continue;
    Bitmap::Deserialize(it->second.bitmap).ForEach([&](uint32_t local) {
      ids.push_back((local - 1) * n + i + 1);
    });
  }
  return Bitmap(ids);
}

std::vector<MatchListSpy::Ranked> MatchListSpy::Best(
    const std::vector<Xapian::Database>& shards,
    std::unordered_map<Xapian::docid, std::string>* data) const {
  const uint32_t n = static_cast<uint32_t>(shards.size());
  std::vector<Ranked> best;
  for (uint32_t i = 0; i < n; ++i) {
    auto it = merged_.find(shards[i].get_uuid());
    if (it == merged_.end()) continue;
    for (const Ranked& r : it->second.best) {
      best.push_back({r.weight, (r.did - 1) * n + i + 1});
    }
  }
  std::sort(best.begin(), best.end(), Better);
  if (best.size() > keep_) best.resize(keep_);
  if (data) {
    // Only the data of what made the cut.
    std::unordered_set<Xapian::docid> wanted;
    for (const Ranked& r : best) wanted.insert(r.did);
    for (uint32_t i = 0; i < n; ++i) {
      auto it = merged_.find(shards[i].get_uuid());
      if (it == merged_.end()) continue;
      const ShardResult& result = it->second;
      for (size_t j = 0; j < result.data.size(); ++j) {
        const Xapian::docid merged = (result.best[j].did - 1) * n + i + 1;
        if (wanted.count(merged) && !result.data[j].empty()) {
          (*data)[merged] = result.data[j];
        }
      }
    }
  }
  return best;
}

}  // namespace pundit
