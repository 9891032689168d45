// libFuzzer target: the position records (core/positions.h). Each input is
// read two ways:
// - as the bytes of a part, which Valid() and Find() must read without a
//   read outside them (ASan) and without undefined behaviour (UBSan);
// - as a list of terms and positions, which are built into a record and must
//   each be found again with exactly their positions.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/positions.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  // As a part: any bytes.
  const pundit::PositionRecord part(bytes);
  (void)part.Valid();
  for (std::string_view term : {"the", "a", "talks", "Speace", ""}) {
    std::vector<uint32_t> out;
    part.Find(term, &out);
    if (out.size() > size) std::abort();
  }

  // As terms and positions: a term is a run of bytes up to a 0 byte, then
  // two bytes of position.
  std::map<std::string, std::set<uint32_t>> want;
  pundit::PositionRecordBuilder builder;
  size_t i = 0;
  while (i < size) {
    size_t end = bytes.find('\0', i);
    if (end == std::string_view::npos || end + 2 >= size) break;
    const std::string term(bytes.substr(i, end - i));
    const uint32_t pos = data[end + 1] | (uint32_t{data[end + 2]} << 8);
    builder.Add(term, pos);
    want[term].insert(pos);
    i = end + 3;
  }
  const std::vector<std::string> parts = builder.Finish();
  if (parts.size() != pundit::kPositionParts) std::abort();
  for (const std::string& p : parts) {
    if (!p.empty() && !pundit::PositionRecord(p).Valid()) std::abort();
  }
  for (const auto& [term, positions] : want) {
    std::vector<uint32_t> out;
    if (!pundit::PositionRecord(parts[pundit::PositionPart(term)])
             .Find(term, &out)) {
      std::abort();
    }
    if (out != std::vector<uint32_t>(positions.begin(), positions.end())) {
      std::abort();
    }
  }
  return 0;
}
