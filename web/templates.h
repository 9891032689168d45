// Templates: the mustache templates of the pages, read once; parsed copies
// kept in a free list so that concurrent renders never share a
// kainjow::mustache object (its render is not const). Internal to the web
// library.
//
// Thread-safe: Render may be called from any number of threads once Load
// has returned.
#ifndef PUNDIT_WEB_TEMPLATES_H_
#define PUNDIT_WEB_TEMPLATES_H_

#include <filesystem>
#include <iostream>
#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/files.h"
#include "core/mutex.h"

namespace pundit::pages {

using Mustache = kainjow::mustache::mustache;

inline constexpr const char* kTemplateNames[] = {
    "layout",  "search", "fragment",   "facets",  "timeline",  "results",
    "article", "error",  "opensearch", "compare", "in_context"};

class Templates {
 public:
  // Reads <dir>/<name>.mustache for every name; false and *error on failure.
  bool Load(const std::filesystem::path& dir, std::string* error) {
    for (const char* name : kTemplateNames) {
      std::filesystem::path path = dir / (std::string(name) + ".mustache");
      bool ok = true;
      std::string text = ReadWholeFile(path, &ok);
      if (!ok) {
        *error = path.string() + ": error: cannot read template";
        return false;
      }
      Mustache parsed(text);
      if (!parsed.is_valid()) {
        *error = path.string() + ": error: " + parsed.error_message();
        return false;
      }
      sources_[name] = std::move(text);
    }
    return true;
  }

  std::string Render(const std::string& name,
                     const kainjow::mustache::data& data) {
    std::unique_ptr<Set> set = Acquire();
    auto it = set->parsed.find(name);
    std::string out;
    if (it != set->parsed.end()) {
      out = it->second->render(data);
      if (!it->second->is_valid()) {
        std::cerr << "pundit: error: template " << name << ": "
                  << it->second->error_message() << "\n";
        out.clear();
      }
    }
    Release(std::move(set));
    return out;
  }

 private:
  struct Set {
    std::map<std::string, std::unique_ptr<Mustache>> parsed;
  };

  std::unique_ptr<Set> Acquire() {
    {
      MutexLock lock(&mu_);
      if (!free_.empty()) {
        std::unique_ptr<Set> set = std::move(free_.back());
        free_.pop_back();
        return set;
      }
    }
    auto set = std::make_unique<Set>();
    for (const auto& [name, text] : sources_) {
      set->parsed[name] = std::make_unique<Mustache>(text);
    }
    return set;
  }

  void Release(std::unique_ptr<Set> set) {
    MutexLock lock(&mu_);
    free_.push_back(std::move(set));
  }

  std::map<std::string, std::string> sources_;  // immutable after Load
  Mutex mu_;
  std::vector<std::unique_ptr<Set>> free_ GUARDED_BY(mu_);
};

}  // namespace pundit::pages

#endif  // PUNDIT_WEB_TEMPLATES_H_
