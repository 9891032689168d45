// Shard routing: which of N shards holds an article. Every machine and every
// run routes an id the same way (FNV-1a over the id's bytes, a hash fixed
// here for good), so N machines can each index their own shard from the
// same inputs, and an article updated later lands where it was.
#ifndef PUNDIT_CORE_SHARD_H_
#define PUNDIT_CORE_SHARD_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace pundit {

// Shard `index` (1-based) of `count`; count 0 means "not sharded".
struct ShardSpec {
  int index = 0;
  int count = 0;

  bool sharded() const { return count > 0; }
  // True when this shard keeps the article with `id` (always when not
  // sharded).
  bool Keeps(std::string_view id) const;
  // "2/3"
  std::string ToString() const;
};

inline constexpr int kMaxShards = 1024;

// 64-bit FNV-1a of `id`; the shard of `id` among `count` is
// ShardHash(id) % count + 1.
uint64_t ShardHash(std::string_view id);
int ShardOf(std::string_view id, int count);

// Parses "I/N" (1 <= I <= N <= kMaxShards); kInvalidArgument otherwise
// ("--shard takes I/N with 1 <= I <= N, not \"4/3\"").
Result<ShardSpec> ParseShardSpec(std::string_view text);

}  // namespace pundit

#endif  // PUNDIT_CORE_SHARD_H_
