#include "web/access_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

namespace pundit {
namespace {

std::string OrDash(std::string_view text) {
  return text.empty() ? "-" : Printable(text);
}

// Inside a quoted field of the combined format: `"` and `\` escaped, as
// nginx does.
std::string Quoted(std::string_view text) {
  std::string out;
  for (char c : Printable(text)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out.empty() ? "-" : out;
}

std::string Milliseconds(double ms) {
  if (ms < 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", ms);
  return buf;
}

std::string CombinedTime(long long now) {
  std::time_t t = static_cast<std::time_t>(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "[%d/%b/%Y:%H:%M:%S +0000]", &tm);
  return buf;
}

std::string IsoTime(long long now) {
  std::time_t t = static_cast<std::time_t>(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<int> OpenAppend(const std::string& path) {
  int fd =
      ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    return Status::IoError("cannot open access log " + path + ": " +
                           std::strerror(errno) +
                           "; check the folder exists and is writable");
  }
  return fd;
}

}  // namespace

Result<AccessLogFormat> ParseAccessLogFormat(std::string_view name) {
  if (name == "combined") return AccessLogFormat::kCombined;
  if (name == "json") return AccessLogFormat::kJson;
  return Status::InvalidArgument("unknown access log format \"" +
                                 Printable(name) +
                                 "\": use \"combined\" or \"json\"");
}

std::string Printable(std::string_view text) {
  constexpr size_t kMax = 2048;
  std::string out;
  out.reserve(std::min(text.size(), kMax));
  for (char c : text.substr(0, kMax)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7F) ? '?' : c;
  }
  if (text.size() > kMax) out += "...";
  return out;
}

AccessLog::AccessLog(AccessLogFormat format) : format_(format) {}

AccessLog::~AccessLog() {
  if (fd_ > 2) ::close(fd_);
}

Status AccessLog::Open(const std::string& path, AccessLogFormat format) {
  Result<int> fd = OpenAppend(path);
  if (!fd.ok()) return fd.status();
  MutexLock lock(&mu_);
  if (fd_ > 2) ::close(fd_);
  fd_ = *fd;
  path_ = path;
  format_ = format;
  return Status::Ok();
}

Status AccessLog::Reopen() {
  MutexLock lock(&mu_);
  if (path_.empty()) return Status::Ok();
  Result<int> fd = OpenAppend(path_);
  if (!fd.ok()) return fd.status();
  if (fd_ > 2) ::close(fd_);
  fd_ = *fd;
  return Status::Ok();
}

void AccessLog::Write(const AccessEntry& entry) {
  std::string line = Format(format_, entry, std::time(nullptr));
  MutexLock lock(&mu_);
  ssize_t n = ::write(fd_, line.data(), line.size());
  (void)n;
}

std::string AccessLog::Format(AccessLogFormat format, const AccessEntry& e,
                              long long now) {
  switch (format) {
    case AccessLogFormat::kShort:
      return OrDash(e.remote_addr) + " " + OrDash(e.method) + " " +
             OrDash(e.target) + " " + std::to_string(e.status) + " " +
             Milliseconds(e.duration_ms) + " ms\n";
    case AccessLogFormat::kCombined: {
      std::string request_line(e.method);
      request_line.append(" ").append(e.target);
      if (!e.version.empty()) request_line.append(" ").append(e.version);
      std::string request = e.method.empty() ? "-" : Quoted(request_line);
      return OrDash(e.remote_addr) + " - - " + CombinedTime(now) + " \"" +
             request + "\" " + std::to_string(e.status) + " " +
             (e.bytes < 0 ? "-" : std::to_string(e.bytes)) + " \"" +
             Quoted(e.referer) + "\" \"" + Quoted(e.user_agent) + "\"\n";
    }
    case AccessLogFormat::kJson: {
      auto text = [](std::string_view s) {
        return nlohmann::json(Printable(s));
      };
      nlohmann::json line = {
          {"time", IsoTime(now)},
          {"remote_addr", text(e.remote_addr)},
          {"method", text(e.method)},
          {"target", text(e.target)},
          {"protocol", text(e.version)},
          {"status", e.status},
          {"bytes",
           e.bytes < 0 ? nlohmann::json(nullptr) : nlohmann::json(e.bytes)},
          {"referer", text(e.referer)},
          {"user_agent", text(e.user_agent)},
          {"duration_ms", e.duration_ms < 0 ? nlohmann::json(nullptr)
                                            : nlohmann::json(e.duration_ms)},
      };
      return line.dump(-1, ' ', false,
                       nlohmann::json::error_handler_t::replace) +
             "\n";
    }
  }
  return "\n";
}

}  // namespace pundit
