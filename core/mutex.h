// Mutex, MutexLock and CondVar: std::mutex and std::condition_variable
// with clang's thread-safety annotations (core/thread_annotations.h), as
// leveldb's port::Mutex and Abseil's absl::Mutex. Every mutex in pundit is
// one of these, so -Wthread-safety checks each GUARDED_BY member.
//
// Thread safety: that is their purpose. None of them is copyable or movable.
#ifndef PUNDIT_CORE_MUTEX_H_
#define PUNDIT_CORE_MUTEX_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "core/thread_annotations.h"

namespace pundit {

// A non-recursive exclusive lock. Locking it twice from one thread, or
// unlocking it from a thread that does not hold it, is undefined.
class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }
  // Tells the analysis the caller holds the lock (it checks nothing at run
  // time): for code it cannot follow, such as callbacks run under the lock.
  void AssertHeld() ASSERT_CAPABILITY(this) {}

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds `mu` from construction to destruction (std::lock_guard). Unlock()
// and Lock() release it for a stretch and take it back; the destructor
// releases it only if held.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ACQUIRE(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() RELEASE() {
    if (held_) mu_->Unlock();
  }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  void Unlock() RELEASE() {
    mu_->Unlock();
    held_ = false;
  }
  void Lock() ACQUIRE() {
    mu_->Lock();
    held_ = true;
  }

 private:
  Mutex* const mu_;
  bool held_ = true;
};

// A condition variable. Wait in a loop over the condition, always with the
// same Mutex, as with std::condition_variable:
//   MutexLock lock(&mu_);
//   while (!ready_) cv_.Wait(&mu_);
// (a loop rather than a predicate lambda, whose body the analysis would
// check without the lock; the mutex is an argument so that the analysis
// checks the caller holds it).
class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // Releases `mu`, sleeps until signalled (or spuriously), and takes `mu`
  // back before returning.
  void Wait(Mutex* mu) REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu->mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }
  // As Wait(), but returns by `deadline` at the latest: false if the
  // deadline passed, true if woken before it.
  template <class Clock, class Duration>
  bool WaitUntil(Mutex* mu,
                 const std::chrono::time_point<Clock, Duration>& deadline)
      REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu->mu_, std::adopt_lock);
    const bool woken =
        cv_.wait_until(lock, deadline) == std::cv_status::no_timeout;
    lock.release();
    return woken;
  }
  // Wakes one waiter / every waiter. The mutex need not be held.
  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace pundit

#endif  // PUNDIT_CORE_MUTEX_H_
