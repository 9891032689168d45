#include "indexer/walk.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <system_error>

namespace pundit::indexer {
namespace {

namespace fs = std::filesystem;

class Walker {
 public:
  Walker(WalkOutput* out, const std::string& skip_folder) : out_(out) {
    std::error_code ec;
    if (!skip_folder.empty()) {
      fs::path canonical = fs::canonical(skip_folder, ec);
      if (!ec) visited_dirs_.insert(canonical.string());
    }
  }

  // A file named on the command line: its root is its own folder.
  void AddInputFile(const std::string& input) {
    if (input == "-") {
      InputFile file;
      file.path = "-";
      file.abs_path = "-";
      file.id_base = "stdin";
      file.format = readers::FormatByName("jsonl");
      file.is_stdin = true;
      out_->files.push_back(std::move(file));
      return;
    }
    fs::path path(input);
    if (readers::FormatForFileName(path.filename().string()) == nullptr) {
      out_->errors.push_back(ParseError{
          input, 1,
          "not an article file: pundit reads " + readers::ExtensionList()});
      return;
    }
    AddFile(input, path.filename().string(), path.filename(), "");
  }

  void AddInputFolder(const std::string& input) {
    std::error_code ec;
    fs::path canonical = fs::canonical(input, ec);
    if (ec) {
      Notice(input, "cannot read folder (" + ec.message() + ")");
      return;
    }
    if (!visited_dirs_.insert(canonical.string()).second) return;
    AddRoot(canonical.string());
    WalkFolder(fs::path(input), canonical.string(), fs::path());
  }

 private:
  void Notice(const std::string& path, const std::string& what) {
    out_->notices.push_back(path + ": note: " + what + ", passed over");
    ++out_->passed_over;
  }

  void AddRoot(const std::string& canonical) {
    std::string root = canonical;
    if (root.empty() || root.back() != '/') root += '/';
    out_->roots.push_back(root);
  }

  // `display` is what messages show, `name` the file name, `relative` the
  // path below the indexed root. `canonical_folder`: the canonical path of
  // the folder holding the file when the file is not a symbolic link (its
  // canonical path is then that folder's and its name, with no system call
  // for each part of the path), else "".
  void AddFile(const std::string& display, const std::string& name,
               const fs::path& relative, const std::string& canonical_folder) {
    const readers::Format* format = readers::FormatForFileName(name);
    if (format == nullptr) {
      Notice(display, "not an article file");
      return;
    }
    std::string abs;
    if (!canonical_folder.empty()) {
      abs = (fs::path(canonical_folder) / name).string();
    } else {
      std::error_code ec;
      fs::path canonical = fs::canonical(display, ec);
      abs = ec ? fs::absolute(display, ec).lexically_normal().string()
               : canonical.string();
    }
    if (!seen_files_.insert(abs).second) return;
    InputFile file;
    file.path = display;
    file.abs_path = abs;
    file.id_base = IdBase(relative);
    // Ids never contain white space (core/article.h).
    for (char& c : file.id_base) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
          c == '\f') {
        c = '_';
      }
    }
    file.format = format;
    struct stat st;
    if (stat(display.c_str(), &st) == 0) {
      file.size = static_cast<uint64_t>(st.st_size);
      file.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 +
                      st.st_mtim.tv_nsec;
    }
    out_->files.push_back(std::move(file));
  }

  // Walks `folder`, whose canonical path is `canonical`.
  void WalkFolder(const fs::path& folder, const std::string& canonical,
                  const fs::path& relative) {
    std::error_code ec;
    std::vector<fs::directory_entry> entries;
    fs::directory_iterator it(
        folder, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
      Notice(folder.string(), "cannot read folder (" + ec.message() + ")");
      return;
    }
    for (fs::directory_iterator end; it != end; it.increment(ec)) {
      if (ec) break;
      entries.push_back(*it);
    }
    std::sort(entries.begin(), entries.end(),
              [](const fs::directory_entry& a, const fs::directory_entry& b) {
                return a.path().filename() < b.path().filename();
              });
    for (const fs::directory_entry& entry : entries) {
      std::string name = entry.path().filename().string();
      std::string display = (folder / name).string();
      fs::path child_relative = relative / name;
      bool is_dir = entry.is_directory(ec);
      if (!ec && is_dir) {
        if (name.front() == '.') {
          Notice(display, "hidden folder");
          continue;
        }
        fs::path child_canonical = fs::canonical(entry.path(), ec);
        if (ec) {
          Notice(display, "cannot read folder (" + ec.message() + ")");
          continue;
        }
        // Each folder once: a symlink back up the tree or a second link to
        // the same folder is not walked again.
        if (!visited_dirs_.insert(child_canonical.string()).second) continue;
        if (entry.is_symlink(ec)) AddRoot(child_canonical.string());
        WalkFolder(folder / name, child_canonical.string(), child_relative);
        continue;
      }
      bool is_file = entry.is_regular_file(ec);
      if (ec || !is_file) {
        if (readers::FormatForFileName(name) != nullptr) {
          Notice(display, "not a regular file");
        } else {
          Notice(display, "not an article file");
        }
        continue;
      }
      bool is_link = entry.is_symlink(ec);
      AddFile(display, name, child_relative,
              !ec && !is_link ? canonical : std::string());
    }
  }

  // The path-scheme id: the relative path without its extensions
  // ("wire/dump.jsonl.gz" -> "wire/dump").
  static std::string IdBase(const fs::path& relative) {
    fs::path p = relative;
    std::string ext = p.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(c));
    if (ext == ".gz" || ext == ".zst" || ext == ".zstd") p.replace_extension();
    return p.replace_extension().generic_string();
  }

  WalkOutput* out_;
  std::set<std::string> visited_dirs_;
  std::set<std::string> seen_files_;
};

}  // namespace

Result<WalkOutput> WalkInputs(const std::vector<std::string>& inputs,
                              const std::string& skip_folder) {
  std::vector<bool> is_folder;
  for (const std::string& input : inputs) {
    std::error_code ec;
    fs::file_status status = fs::status(input, ec);
    if (input == "-") {
      is_folder.push_back(false);
      continue;
    }
    if (ec || !fs::exists(status)) {
      return Status::NotFound("cannot index " + input +
                              ": no such file or folder");
    }
    is_folder.push_back(fs::is_directory(status));
  }
  WalkOutput out;
  Walker walker(&out, skip_folder);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (is_folder[i]) {
      walker.AddInputFolder(inputs[i]);
    } else {
      walker.AddInputFile(inputs[i]);
    }
  }
  return out;
}

bool ParseFileState(const std::string& state, uint64_t* size, int64_t* mtime_ns,
                    std::string* hash) {
  size_t a = state.find(' ');
  if (a == std::string::npos) return false;
  size_t b = state.find(' ', a + 1);
  if (b == std::string::npos) return false;
  try {
    *size = std::stoull(state.substr(0, a));
    *mtime_ns = std::stoll(state.substr(a + 1, b - a - 1));
  } catch (...) {
    return false;
  }
  *hash = state.substr(b + 1);
  return true;
}

std::string FormatFileState(uint64_t size, int64_t mtime_ns,
                            const std::string& hash) {
  return std::to_string(size) + " " + std::to_string(mtime_ns) + " " + hash;
}

}  // namespace pundit::indexer
