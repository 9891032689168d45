#include "web/searcher_pool.h"

#include <utility>

namespace pundit {

Result<Searcher*> SearcherPool::Get() {
  const std::thread::id id = std::this_thread::get_id();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = searchers_.find(id);
    if (it != searchers_.end()) return it->second.get();
  }
  // Opened outside the lock: opening reads the index and may take a while,
  // and other threads only ever touch their own entry.
  Result<std::unique_ptr<Searcher>> opened = Searcher::Open(options_);
  if (!opened.ok()) {
    // Once more: a transient condition (a --full swap removing the
    // generation just read from CURRENT, a commit in progress) must not fail
    // a request.
    opened = Searcher::Open(options_);
  }
  if (!opened.ok()) return opened.status();
  std::lock_guard<std::mutex> lock(mu_);
  std::unique_ptr<Searcher>& slot = searchers_[id];
  slot = std::move(opened).value();
  return slot.get();
}

}  // namespace pundit
