// Clang's thread-safety annotations (as leveldb's port/thread_annotations.h
// and Abseil's base/thread_annotations.h): they state which mutex guards a
// member and which locks a function needs, and clang's -Wthread-safety
// checks every access at compile time. Other compilers see empty macros.
//
// Use them with pundit::Mutex (core/mutex.h), whose Lock/Unlock carry the
// capability annotations; a raw std::mutex is invisible to the analysis.
//   Mutex mu_;
//   int count_ GUARDED_BY(mu_);            // read/written only under mu_
//   void BumpLocked() REQUIRES(mu_);       // caller holds mu_
//   void Bump() EXCLUDES(mu_);             // takes mu_ itself
#ifndef PUNDIT_CORE_THREAD_ANNOTATIONS_H_
#define PUNDIT_CORE_THREAD_ANNOTATIONS_H_

#if defined(__clang__)
#define PUNDIT_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define PUNDIT_THREAD_ANNOTATION(x)
#endif

// A class whose objects are locks (a mutex).
#define CAPABILITY(x) PUNDIT_THREAD_ANNOTATION(capability(x))
// A class whose objects hold a lock for their lifetime (a scoped lock).
#define SCOPED_CAPABILITY PUNDIT_THREAD_ANNOTATION(scoped_lockable)

// The member is read and written only while the given mutex is held.
#define GUARDED_BY(x) PUNDIT_THREAD_ANNOTATION(guarded_by(x))
// The data the pointer member points to is guarded by the given mutex.
#define PT_GUARDED_BY(x) PUNDIT_THREAD_ANNOTATION(pt_guarded_by(x))

// The caller must hold the given mutexes when calling the function.
#define REQUIRES(...) PUNDIT_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
// The caller must not hold the given mutexes (the function takes them).
#define EXCLUDES(...) PUNDIT_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))

// The function acquires / releases the given mutex (or `this`).
#define ACQUIRE(...) PUNDIT_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) PUNDIT_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
// The function checks at run time that the mutex is held (no-op for us).
#define ASSERT_CAPABILITY(x) PUNDIT_THREAD_ANNOTATION(assert_capability(x))
// The function returns a reference to the given mutex.
#define RETURN_CAPABILITY(x) PUNDIT_THREAD_ANNOTATION(lock_returned(x))

// Turns the analysis off for one function; say why beside each use.
#define NO_THREAD_SAFETY_ANALYSIS \
  PUNDIT_THREAD_ANNOTATION(no_thread_safety_analysis)

#endif  // PUNDIT_CORE_THREAD_ANNOTATIONS_H_
