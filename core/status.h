// Status and Result<T>: how every fallible function in pundit reports failure.
//
// A Status is either OK or carries a Code and a one-line, human-readable
// message that says what went wrong and how to fix it, compiler-style where a
// place is known ("corpus/a.md:7: error: ..."). Result<T> holds either a T or a
// non-OK Status. Both are cheap value types, safe to copy and move; they are
// not synchronised (like std::string).
//
// Xapian reports by exceptions and ICU by UErrorCode: both are converted to a
// Status at the library boundary (FromXapianError, FromIcuError) so callers of
// pundit's public headers only ever see Status.
#ifndef PUNDIT_CORE_STATUS_H_
#define PUNDIT_CORE_STATUS_H_

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace pundit {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // bad input from a user: a query, a flag, an article
    kNotFound,         // no such article, file, route or database
    kCorruption,       // a database or input that cannot be read as it should
    kIoError,          // the operating system refused (disk full, permission)
    kLocked,           // another process holds the database's write lock
    kVersionMismatch,  // database written by another schema version
    kBusy,             // overloaded: every worker stayed busy; retry later
    kUnavailable,      // a shard server could not be reached or timed out
    kInternal,         // a bug: never caused by input alone
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status NotFound(std::string msg) {
    return Status(Code::kNotFound, std::move(msg));
  }
  static Status Corruption(std::string msg) {
    return Status(Code::kCorruption, std::move(msg));
  }
  static Status IoError(std::string msg) {
    return Status(Code::kIoError, std::move(msg));
  }
  static Status Locked(std::string msg) {
    return Status(Code::kLocked, std::move(msg));
  }
  static Status VersionMismatch(std::string msg) {
    return Status(Code::kVersionMismatch, std::move(msg));
  }
  static Status Busy(std::string msg) {
    return Status(Code::kBusy, std::move(msg));
  }
  static Status Unavailable(std::string msg) {
    return Status(Code::kUnavailable, std::move(msg));
  }
  static Status Internal(std::string msg) {
    return Status(Code::kInternal, std::move(msg));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid argument: <message>", or "OK".
  std::string ToString() const;
  // Stable lower-case name of a code, e.g. "invalid_argument"; used in JSON.
  static const char* CodeName(Code code);

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Holds a T or a non-OK Status. Accessing value() of an error is a bug
// (asserted in debug builds).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

// Converts whatever a Xapian call threw (Xapian::Error or std::exception)
// into a Status. Call from inside a catch block:
//   try { ... } catch (...) { return FromCurrentException("opening db"); }
// DatabaseLockError becomes kLocked, DatabaseVersionError and
// DatabaseCorruptError kCorruption, DatabaseOpeningError kNotFound, others
// kIoError; std::bad_alloc kInternal "out of memory", other exceptions
// kInternal with their what(); `context` is prepended to the message.
Status FromCurrentException(const std::string& context);

}  // namespace pundit

#endif  // PUNDIT_CORE_STATUS_H_
