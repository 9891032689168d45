#include "indexer/walk.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "core/readers/reader.h"

namespace pundit::indexer {
namespace {

namespace fs = std::filesystem;

// "/a/b" -> "/a/b/": a folder's canonical path as a prefix of what it holds.
std::string AsPrefix(const std::string& folder) {
  return !folder.empty() && folder.back() == '/' ? folder : folder + '/';
}

class Walker {
 public:
  // `inputs`: the canonical paths of the files and folders given (a
  // symbolic link found in a folder is followed only into them).
  Walker(WalkOutput* out, const std::string& skip_folder,
         std::vector<std::string> input_files,
         std::vector<std::string> input_folders)
      : out_(out),
        input_files_(std::move(input_files)),
        input_folders_(std::move(input_folders)) {
    std::error_code ec;
    if (!skip_folder.empty()) {
      fs::path canonical = fs::canonical(skip_folder, ec);
      if (!ec) skip_folder_ = canonical.string();
    }
  }

  // A file named on the command line: its root is its own folder. Read
  // wherever it is, even through a link to anywhere.
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
    std::error_code ec;
    fs::path canonical = fs::canonical(input, ec);
    AddFile(input, path.filename().string(), path.filename(),
            ec ? fs::absolute(input, ec).lexically_normal().string()
               : canonical.string());
  }

  void AddInputFolder(const std::string& input) {
    std::error_code ec;
    fs::path canonical = fs::canonical(input, ec);
    if (ec) {
      Notice(input, "cannot read folder (" + ec.message() + ")");
      return;
    }
    if (!EnterFolder(input, canonical.string())) return;
    AddRoot(canonical.string());
    WalkFolder(fs::path(input), canonical.string(), fs::path());
  }

  // Follows the symbolic links met while walking, after every input has
  // been walked by its own paths (so a file reached both ways is read by
  // its own path, and keeps the id of that path). Links met in the folders
  // they lead to are followed in turn.
  void FollowLinks() {
    for (size_t i = 0; i < links_.size(); ++i) {
      const Link link = links_[i];  // links_ grows while walking
      if (!link.is_folder) {
        AddFile(link.display, link.name, link.relative, link.target);
        continue;
      }
      if (link.target == link.holder ||
          link.holder.starts_with(AsPrefix(link.target))) {
        Notice(link.display,
               "symbolic link loop (to " + link.target + ", which holds it)");
        continue;
      }
      if (!EnterFolder(link.display, link.target)) continue;
      AddRoot(link.target);
      WalkFolder(fs::path(link.display), link.target, link.relative);
    }
  }

 private:
  // A symbolic link found in a walked folder, followed once the inputs
  // are walked.
  struct Link {
    std::string display;  // the link's path as messages show it
    std::string name;     // its file name
    fs::path relative;    // below the indexed root
    std::string holder;   // canonical path of the folder holding it
    std::string target;   // canonical path of what it leads to
    bool is_folder = false;
  };

  void Notice(const std::string& path, const std::string& what) {
    out_->notices.push_back(path + ": note: " + what + ", passed over");
    ++out_->passed_over;
  }

  void AddRoot(const std::string& canonical) {
    out_->roots.push_back(AsPrefix(canonical));
  }

  // True when `canonical` is one of the files given or lies in one of the
  // folders given.
  bool InsideInputs(const std::string& canonical) const {
    for (const std::string& file : input_files_) {
      if (canonical == file) return true;
    }
    for (const std::string& folder : input_folders_) {
      if (canonical == folder || canonical.starts_with(AsPrefix(folder))) {
        return true;
      }
    }
    return false;
  }

  // Marks the folder `canonical` (reached as `display`) as walked. False,
  // with a note, when it was walked already; false, silently, for the
  // database folder.
  bool EnterFolder(const std::string& display, const std::string& canonical) {
    if (canonical == skip_folder_) return false;
    auto [it, inserted] = visited_folders_.emplace(canonical, display);
    if (!inserted) Notice(display, "folder already read as " + it->second);
    return inserted;
  }

  // `display` is what messages show, `name` the file name, `relative` the
  // path below the indexed root, `abs` its absolute canonical path.
  void AddFile(const std::string& display, const std::string& name,
               const fs::path& relative, const std::string& abs) {
    const readers::Format* format = readers::FormatForFileName(name);
    if (format == nullptr) {
      Notice(display, "not an article file");
      return;
    }
    auto [seen, inserted] = seen_files_.emplace(abs, display);
    if (!inserted) {
      Notice(display, "file already read as " + seen->second);
      return;
    }
    InputFile file;
    file.path = display;
    file.abs_path = abs;
    file.id_base = readers::PathIdBase(relative.generic_string());
    file.format = format;
    struct stat st;
    if (stat(display.c_str(), &st) == 0) {
      file.size = static_cast<uint64_t>(st.st_size);
      file.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 +
                      st.st_mtim.tv_nsec;
    }
    out_->files.push_back(std::move(file));
  }

  // The symbolic link `entry` (in the folder `holder`, canonical): queued
  // for FollowLinks when it leads to a folder or an article file inside the
  // inputs, else passed over with a note.
  void QueueLink(const fs::directory_entry& entry, const std::string& display,
                 const fs::path& relative, const std::string& holder) {
    std::error_code ec;
    fs::path target = fs::canonical(entry.path(), ec);
    if (ec == std::errc::too_many_symbolic_link_levels) {
      Notice(display, "symbolic link loop");
      return;
    }
    if (ec) {
      Notice(display, "symbolic link to nothing (" + ec.message() + ")");
      return;
    }
    if (!InsideInputs(target.string())) {
      Notice(display, "symbolic link to " + target.string() +
                          ", outside the files and folders given");
      return;
    }
    const std::string name = entry.path().filename().string();
    const bool is_folder = entry.is_directory(ec);
    const bool is_file = !ec && !is_folder && entry.is_regular_file(ec);
    if (ec || (!is_folder && !is_file)) {
      NotAFile(display, name);
      return;
    }
    if (is_folder && name.front() == '.') {
      Notice(display, "hidden folder");
      return;
    }
    links_.push_back(
        Link{display, name, relative, holder, target.string(), is_folder});
  }

  void NotAFile(const std::string& display, const std::string& name) {
    if (readers::FormatForFileName(name) != nullptr) {
      Notice(display, "not a regular file");
    } else {
      Notice(display, "not an article file");
    }
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
      if (entry.is_symlink(ec) && !ec) {
        QueueLink(entry, display, child_relative, canonical);
        continue;
      }
      bool is_dir = entry.is_directory(ec);
      if (!ec && is_dir) {
        if (name.front() == '.') {
          Notice(display, "hidden folder");
          continue;
        }
        // Not a link: its canonical path is this folder's and its name,
        // with no system call for each part of the path.
        const std::string child_canonical = AsPrefix(canonical) + name;
        if (!EnterFolder(display, child_canonical)) continue;
        WalkFolder(folder / name, child_canonical, child_relative);
        continue;
      }
      bool is_file = entry.is_regular_file(ec);
      if (ec || !is_file) {
        NotAFile(display, name);
        continue;
      }
      AddFile(display, name, child_relative, AsPrefix(canonical) + name);
    }
  }

  // The path-scheme id: the relative path without its extensions
  // ("wire/dump.jsonl.gz" -> "wire/dump").
  WalkOutput* out_;
  const std::vector<std::string> input_files_;
  const std::vector<std::string> input_folders_;
  std::string skip_folder_;
  // Canonical path -> the path it was first reached by.
  std::map<std::string, std::string> visited_folders_;
  std::map<std::string, std::string> seen_files_;
  std::vector<Link> links_;
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
  std::vector<std::string> input_files, input_folders;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i] == "-") continue;
    std::error_code ec;
    fs::path canonical = fs::canonical(inputs[i], ec);
    if (ec) continue;
    (is_folder[i] ? input_folders : input_files).push_back(canonical.string());
  }
  WalkOutput out;
  Walker walker(&out, skip_folder, std::move(input_files),
                std::move(input_folders));
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (is_folder[i]) {
      walker.AddInputFolder(inputs[i]);
    } else {
      walker.AddInputFile(inputs[i]);
    }
  }
  walker.FollowLinks();
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
