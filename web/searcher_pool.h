// SearcherPool: one Searcher per calling thread, created on first use.
//
// Thread-safe: Get() may be called from any number of threads at once; each
// thread gets its own Searcher (Searchers are not thread-safe) and keeps it
// for the pool's lifetime.
#ifndef PUNDIT_WEB_SEARCHER_POOL_H_
#define PUNDIT_WEB_SEARCHER_POOL_H_

#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "searcher/searcher.h"

namespace pundit {

class SearcherPool {
 public:
  explicit SearcherPool(SearcherOptions options)
      : options_(std::move(options)) {}
  // The calling thread's Searcher; the Status of Searcher::Open on failure
  // (retried on the next call, so an index that appears later is found).
  Result<Searcher*> Get();

 private:
  SearcherOptions options_;
  std::mutex mu_;
  std::map<std::thread::id, std::unique_ptr<Searcher>> searchers_;
};

}  // namespace pundit

#endif  // PUNDIT_WEB_SEARCHER_POOL_H_
