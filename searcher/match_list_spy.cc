#include "searcher/match_list_spy.h"

namespace pundit {

void MatchListSpy::operator()(const Xapian::Document& doc, double) {
  ids_.push_back(doc.get_docid());
}

MatchListSpy* MatchListSpy::unserialise(const std::string&,
                                        const Xapian::Registry&) const {
  return new MatchListSpy(uuid_);
}

std::string MatchListSpy::serialise_results() const {
  // uuid, a NUL, then the bitmap.
  std::string out = uuid_;
  out += '\0';
  out += Bitmap(ids_).Serialize();
  return out;
}

void MatchListSpy::merge_results(const std::string& bytes) {
  const size_t nul = bytes.find('\0');
  if (nul == std::string::npos) {
    throw Xapian::NetworkError("a shard sent a match list pundit cannot read");
  }
  merged_[bytes.substr(0, nul)] = bytes.substr(nul + 1);
}

Bitmap MatchListSpy::Merged(const std::vector<Xapian::Database>& shards) const {
  const uint32_t n = static_cast<uint32_t>(shards.size());
  std::vector<uint32_t> ids;
  for (uint32_t i = 0; i < n; ++i) {
    auto it = merged_.find(shards[i].get_uuid());
    if (it == merged_.end()) continue;
    Bitmap::Deserialize(it->second).ForEach([&](uint32_t local) {
      ids.push_back((local - 1) * n + i + 1);
    });
  }
  return Bitmap(ids);
}

}  // namespace pundit
