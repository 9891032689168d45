#include "web/searcher_pool.h"

#include <algorithm>
#include <thread>
#include <utility>

namespace pundit {

SearcherPool::Lease& SearcherPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Return();
    pool_ = other.pool_;
    searcher_ = std::move(other.searcher_);
    other.pool_ = nullptr;
  }
  return *this;
}

void SearcherPool::Lease::Return() {
  if (pool_ != nullptr && searcher_ != nullptr) {
    pool_->Give(std::move(searcher_));
  }
  pool_ = nullptr;
  searcher_.reset();
}

SearcherPool::SearcherPool(SearcherOptions options, size_t capacity,
                           std::chrono::milliseconds max_wait)
    : options_(std::move(options)),
      capacity_(capacity > 0 ? capacity
                             : std::max<size_t>(
                                   2, 2 * std::thread::hardware_concurrency())),
      max_wait_(max_wait) {}

size_t SearcherPool::created() const {
  MutexLock lock(&mu_);
  return created_;
}

void SearcherPool::Give(std::unique_ptr<Searcher> searcher) {
  MutexLock lock(&mu_);
  if (!waiters_.empty()) {
    Waiter* w = waiters_.front();
    waiters_.pop_front();
    w->handed = std::move(searcher);
    w->cv.Signal();
    return;
  }
  idle_.push_back(std::move(searcher));
}

Result<SearcherPool::Lease> SearcherPool::Acquire() {
  {
    MutexLock lock(&mu_);
    if (waiters_.empty()) {
      if (!idle_.empty()) {
        // The most recently returned: its caches are the warmest.
        std::unique_ptr<Searcher> searcher = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(searcher));
      }
      if (created_ < capacity_) {
        ++created_;  // reserve the slot; opened outside the lock
        lock.Unlock();
        return Create();
      }
    }
    // Wait in line: Give() and a failed Create() serve the oldest waiter.
    Waiter me;
    waiters_.push_back(&me);
    const auto deadline = std::chrono::steady_clock::now() + max_wait_;
    while (me.handed == nullptr && !me.may_create) {
      if (!me.cv.WaitUntil(&mu_, deadline)) break;
    }
    if (me.handed == nullptr && !me.may_create) {
      waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &me));
      return Status::Busy(
          "all " + std::to_string(capacity_) + " searchers stayed busy for " +
          std::to_string(max_wait_.count()) + " ms; retry later");
    }
    if (me.handed != nullptr) return Lease(this, std::move(me.handed));
  }
  return Create();  // a slot was freed for this waiter
}

Result<SearcherPool::Lease> SearcherPool::Create() {
  // Opening reads the index and may take a while: never under the lock.
  Result<std::unique_ptr<Searcher>> opened = Searcher::Open(options_);
  if (!opened.ok()) {
    // Once more: a transient condition (a --full swap removing the
    // generation just read from CURRENT, a commit in progress) must not fail
    // a request.
    opened = Searcher::Open(options_);
  }
  if (!opened.ok()) {
    MutexLock lock(&mu_);
    if (!waiters_.empty()) {
      // The slot passes to the oldest waiter, who tries to open in turn.
      Waiter* w = waiters_.front();
      waiters_.pop_front();
      w->may_create = true;
      w->cv.Signal();
    } else {
      --created_;
    }
    return opened.status();
  }
  return Lease(this, std::move(opened).value());
}

}  // namespace pundit
