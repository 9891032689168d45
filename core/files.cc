#include "core/files.h"

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

}  // namespace pundit
