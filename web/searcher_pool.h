// SearcherPool: a bounded set of Searchers lent to request handlers.
//
// Searching is CPU-bound, so running more searches at once than there are
// cores only makes each slower and multiplies per-Searcher memory (a Xapian
// read handle, an Analyzer with its stem cache, the ICU break iterators).
// The pool therefore holds at most `capacity` Searchers, created on demand
// and reused most-recently-returned first (their caches stay warm); a
// handler that finds all of them lent waits for one to come back, first come
// first served (a returned Searcher is handed to the longest waiter, so no
// request can be overtaken indefinitely when the machine is busy). Connections
// stay open on cpp-httplib's (larger) thread pool meanwhile, so many clients
// are served, `capacity` at a time.
//
// Thread-safe: Acquire() may be called from any number of threads at once.
// A Lease must not outlive its pool.
#ifndef PUNDIT_WEB_SEARCHER_POOL_H_
#define PUNDIT_WEB_SEARCHER_POOL_H_

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <vector>

#include "core/mutex.h"
#include "core/status.h"
#include "searcher/searcher.h"

namespace pundit {

class SearcherPool {
 public:
  // A Searcher on loan; returned to the pool when the Lease is destroyed.
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept
        : pool_(other.pool_), searcher_(std::move(other.searcher_)) {
      other.pool_ = nullptr;
    }
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { Return(); }

    Searcher* get() const { return searcher_.get(); }
    Searcher* operator->() const { return searcher_.get(); }
    Searcher& operator*() const { return *searcher_; }
    explicit operator bool() const { return searcher_ != nullptr; }

   private:
    friend class SearcherPool;
    Lease(SearcherPool* pool, std::unique_ptr<Searcher> searcher)
        : pool_(pool), searcher_(std::move(searcher)) {}
    void Return();

    SearcherPool* pool_ = nullptr;
    std::unique_ptr<Searcher> searcher_;
  };

  // capacity 0 means the default: 2 x the number of cores (at least 2).
  explicit SearcherPool(
      SearcherOptions options, size_t capacity = 0,
      std::chrono::milliseconds max_wait = std::chrono::seconds(30));

  // A Searcher of its own for the caller. Errors: the Status of
  // Searcher::Open (retried once, and again on the next call, so an index
  // that appears later is found); Status::Busy (Code::kBusy) when none came
  // back within `max_wait` (the server is overloaded).
  Result<Lease> Acquire() EXCLUDES(mu_);

  size_t capacity() const { return capacity_; }
  // Searchers created so far (never more than capacity()).
  size_t created() const EXCLUDES(mu_);

 private:
  // A handler waiting its turn; what it is given arrives here. Its fields
  // are guarded by the pool's mu_ (the analysis cannot name it from here).
  struct Waiter {
    CondVar cv;
    std::unique_ptr<Searcher> handed;  // a returned Searcher, or
    bool may_create = false;           // a free slot to open one in
  };

  void Give(std::unique_ptr<Searcher> searcher) EXCLUDES(mu_);
  // Opens a Searcher in a slot already counted in created_.
  Result<Lease> Create() EXCLUDES(mu_);

  const SearcherOptions options_;
  const size_t capacity_;
  const std::chrono::milliseconds max_wait_;
  mutable Mutex mu_;
  std::vector<std::unique_ptr<Searcher>> idle_ GUARDED_BY(mu_);
  std::deque<Waiter*> waiters_ GUARDED_BY(mu_);  // oldest first
  size_t created_ GUARDED_BY(mu_) = 0;
};

}  // namespace pundit

#endif  // PUNDIT_WEB_SEARCHER_POOL_H_
