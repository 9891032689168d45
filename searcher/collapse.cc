#include "searcher/collapse.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace pundit {

uint64_t ExtraCopies(const FacetIndex& groups, const Bitmap& set) {
  uint64_t extra = 0;
  for (uint32_t n : groups.Count(set)) {
    if (n > 1) extra += n - 1;
  }
  return extra;
}

int64_t GroupOf(const FacetIndex& groups, uint32_t did) {
  if (static_cast<size_t>(did) + 1 >= groups.offsets.size()) return -1;
  if (groups.offsets[did] == groups.offsets[did + 1]) return -1;
  return groups.value_ids[groups.offsets[did]];
}

Bitmap FirstOfEachGroup(const FacetIndex& groups, const Bitmap& set,
                        const std::function<uint32_t(uint32_t)>& date_of) {
  std::vector<uint32_t> kept;
  // group -> (date key, docid) of its first member so far; undated last.
  std::unordered_map<int64_t, std::pair<uint64_t, uint32_t>> first;
  set.ForEach([&](uint32_t did) {
    const int64_t group = GroupOf(groups, did);
    if (group < 0) {
      kept.push_back(did);
      return;
    }
    const uint32_t date = date_of(did);
    const uint64_t key = date == 0 ? UINT64_MAX : date;
    auto [it, added] = first.emplace(group, std::make_pair(key, did));
    if (!added && key < it->second.first) it->second = {key, did};
  });
  for (const auto& [group, best] : first) kept.push_back(best.second);
  std::sort(kept.begin(), kept.end());
  return Bitmap(kept);
}

std::vector<size_t> CollapsePage(const FacetIndex& groups,
                                 const std::vector<uint32_t>& ranked,
                                 uint64_t offset, uint64_t count) {
  std::vector<size_t> page;
  std::unordered_set<int64_t> seen;
  uint64_t shown = 0;
  for (size_t i = 0; i < ranked.size() && page.size() < count; ++i) {
    const int64_t group = GroupOf(groups, ranked[i]);
    if (group >= 0 && !seen.insert(group).second) continue;
    if (shown++ >= offset) page.push_back(i);
  }
  return page;
}

std::vector<uint32_t> CopiesIn(const FacetIndex& groups, const Bitmap& set,
                               uint32_t did) {
  std::vector<uint32_t> copies;
  const int64_t group = GroupOf(groups, did);
  if (group < 0) return copies;
  Bitmap members = groups.docs[static_cast<size_t>(group)];
  members.And(set);
  members.ForEach([&](uint32_t m) {
    if (m != did) copies.push_back(m);
  });
  return copies;
}

}  // namespace pundit
