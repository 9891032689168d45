// AccessLog: one line per answered request, on stderr or in a file that
// can be reopened (after logrotate moved it, on SIGHUP).
//
// Formats:
//  - kShort (stderr default): `ADDR METHOD TARGET STATUS MS ms`;
//  - kCombined: Apache/nginx "combined", readable by every log tool:
//    `ADDR - - [04/Dec/2026:08:53:41 +0000] "GET /x HTTP/1.1" 200 512 "REFERER"
//    "USER-AGENT"`;
//  - kJson: one JSON object per line with the same fields and
//    "duration_ms".
//
// Thread-safe: Write() and Reopen() may be called from any thread at once;
// each line is written with one write() on a descriptor opened O_APPEND, so
// lines of concurrent requests never interleave.
#ifndef PUNDIT_WEB_ACCESS_LOG_H_
#define PUNDIT_WEB_ACCESS_LOG_H_

#include <mutex>
#include <string>
#include <string_view>

#include "core/mutex.h"
#include "core/status.h"

namespace pundit {

enum class AccessLogFormat { kShort, kCombined, kJson };

// "combined" or "json" (the formats of a log file); kInvalidArgument
// naming both otherwise.
Result<AccessLogFormat> ParseAccessLogFormat(std::string_view name);

// One answered request.
struct AccessEntry {
  std::string_view remote_addr;  // "" = unknown
  std::string_view method;       // "" when the request line was not read
  std::string_view target;
  std::string_view version;  // "HTTP/1.1"; "" when unknown
  int status = 0;
  long long bytes = -1;  // body bytes sent; < 0 = unknown
  std::string_view referer;
  std::string_view user_agent;
  double duration_ms = -1;  // < 0: not timed
};

// Replaces bytes that could upset a terminal or a log reader (controls, DEL)
// with '?' and cuts text past 2048 bytes with "...".
std::string Printable(std::string_view text);

class AccessLog {
 public:
  // Writes to stderr in `format`.
  explicit AccessLog(AccessLogFormat format = AccessLogFormat::kShort);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  // Appends to `path` (created 0640 when missing) from now on. kIoError
  // "cannot open access log PATH: REASON; check the folder exists and is
  // writable" when it cannot be opened (the previous target stays).
  Status Open(const std::string& path, AccessLogFormat format);
  // Opens the file's path again (a new file after the old one was moved);
  // Ok and nothing done when writing to stderr. On failure the old
  // descriptor stays in use and the error says why.
  Status Reopen();

  // Formats and writes one line; a failed write is dropped.
  void Write(const AccessEntry& entry);

  // The line Write() would write for `entry`, with its newline; `now` is
  // the time in seconds since the epoch (for kCombined and kJson).
  static std::string Format(AccessLogFormat format, const AccessEntry& entry,
                            long long now);

 private:
  Mutex mu_;
  int fd_ GUARDED_BY(mu_) = 2;
  std::string path_;
  AccessLogFormat format_;
};

}  // namespace pundit

#endif  // PUNDIT_WEB_ACCESS_LOG_H_
