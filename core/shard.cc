#include "core/shard.h"

#include <charconv>

namespace pundit {

uint64_t ShardHash(std::string_view id) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : id) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

int ShardOf(std::string_view id, int count) {
  return static_cast<int>(ShardHash(id) % static_cast<uint64_t>(count)) + 1;
}

bool ShardSpec::Keeps(std::string_view id) const {
  return !sharded() || ShardOf(id, count) == index;
}

std::string ShardSpec::ToString() const {
  return std::to_string(index) + "/" + std::to_string(count);
}

Result<ShardSpec> ParseShardSpec(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument(
        "--shard takes I/N with 1 <= I <= N <= " + std::to_string(kMaxShards) +
        ", not \"" + std::string(text) + "\"");
  };
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return bad();
  ShardSpec spec;
  const char* b = text.data();
  auto [p1, e1] = std::from_chars(b, b + slash, spec.index);
  auto [p2, e2] = std::from_chars(b + slash + 1, b + text.size(), spec.count);
  if (e1 != std::errc() || p1 != b + slash || e2 != std::errc() ||
      p2 != b + text.size() || spec.index < 1 || spec.count < 1 ||
      spec.index > spec.count || spec.count > kMaxShards) {
    return bad();
  }
  return spec;
}

}  // namespace pundit
