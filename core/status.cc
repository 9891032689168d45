#include "core/status.h"

#include <xapian.h>

#include <exception>
#include <new>
#include <string>

namespace pundit {

const char* Status::CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      return "invalid_argument";
    case Code::kNotFound:
      return "not_found";
    case Code::kCorruption:
      return "corruption";
    case Code::kIoError:
      return "io_error";
    case Code::kLocked:
      return "locked";
    case Code::kVersionMismatch:
      return "version_mismatch";
    case Code::kBusy:
      return "busy";
    case Code::kUnavailable:
      return "unavailable";
    case Code::kInternal:
      return "internal";
  }
  return "internal";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string s = CodeName(code_);
  for (char& c : s) {
    if (c == '_') c = ' ';
  }
  return s + ": " + message_;
}

Status FromCurrentException(const std::string& context) {
  std::string prefix = context.empty() ? "" : context + ": ";
  try {
    throw;
  } catch (const Xapian::DatabaseLockError& e) {
    return Status::Locked(prefix + e.get_msg());
  } catch (const Xapian::DatabaseVersionError& e) {
    return Status::VersionMismatch(prefix + e.get_msg());
  } catch (const Xapian::DatabaseCorruptError& e) {
    return Status::Corruption(prefix + e.get_msg());
  } catch (const Xapian::DatabaseOpeningError& e) {
    return Status::NotFound(prefix + e.get_msg());
  } catch (const Xapian::NetworkError& e) {
    // Xapian names the server in the context: "remote:tcp(HOST:PORT)".
    std::string where = e.get_context();
    if (where.rfind("remote:tcp(", 0) == 0 && where.back() == ')') {
      where = where.substr(11, where.size() - 12);
    }
    return Status::Unavailable(prefix + "shard " +
                               (where.empty() ? "server" : where) +
                               " is unavailable: " + e.get_msg());
  } catch (const Xapian::InvalidArgumentError& e) {
    // A shard server whose registry lacks a class the front sends (its
    // pundit is older than the front's, or newer and without a class an
    // older front still sends): "REMOTE:Match spy X not registered".
    const std::string& msg = e.get_msg();
    if (msg.rfind("REMOTE:", 0) == 0 &&
        msg.find(" not registered") != std::string::npos) {
      return Status::VersionMismatch(
          prefix +
          "a shard server runs another version of pundit than this one (" +
          msg.substr(7) +
          "): run the same version of pundit on every shard server and "
          "wherever it is searched from");
    }
    return Status::IoError(prefix + e.get_type() + ": " + msg);
  } catch (const Xapian::Error& e) {
    return Status::IoError(prefix + e.get_type() + ": " + e.get_msg());
  } catch (const std::bad_alloc&) {
    return Status::Internal(prefix + "out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(prefix + e.what());
  } catch (...) {
    return Status::Internal(prefix + "unknown exception");
  }
}

}  // namespace pundit
