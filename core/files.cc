#include "core/files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace pundit {

std::string ReadWholeFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (ok != nullptr) *ok = false;
    return "";
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (ok != nullptr) *ok = !in.bad();
  return ss.str();
}

uint64_t PathBytes(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    const uintmax_t size = fs::file_size(path, ec);
    return ec ? 0 : size;
  }
  uint64_t total = 0;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      const uintmax_t size = it->file_size(size_ec);
      if (!size_ec) total += size;
    }
  }
  return total;
}

}  // namespace pundit
