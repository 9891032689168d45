#include "web/http_request_reader.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <utility>

namespace pundit {
namespace {

// A chunk-size line ("1a;name=value") longer than this is refused.
constexpr size_t kMaxChunkLine = 1024;
// Empty lines tolerated before a request line (RFC 9112 2.2).
constexpr size_t kMaxEmptyLines = 4;

// The methods HTTP defines (RFC 9110 9.3, RFC 5789) and WebDAV's (RFC
// 4918), all in IANA's method registry: pundit knows them and takes none but
// GET and HEAD, so they are a 405 with Allow; any other is a 501.
bool IsHttpMethod(std::string_view method) {
  for (std::string_view m :
       {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE",
        "PATCH", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK",
        "UNLOCK"}) {
    if (method == m) return true;
  }
  return false;
}

bool IsTokenChar(unsigned char c) {
  return std::isalnum(c) || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return c != '\0' && IsTokenChar(static_cast<unsigned char>(c));
  });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// Whether `method` is one of the comma-separated `allow` list.
bool Allowed(std::string_view allow, std::string_view method) {
  while (!allow.empty()) {
    size_t comma = allow.find(',');
    if (Trim(allow.substr(0, comma)) == method) return true;
    if (comma == std::string_view::npos) break;
    allow.remove_prefix(comma + 1);
  }
  return false;
}

// Printable text for messages: controls as '?', at most 80 bytes.
std::string Shown(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 80)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7F) ? '?' : c;
  }
  if (s.size() > 80) out += "...";
  return out;
}

}  // namespace

RequestReader::RequestReader(const HttpLimits& limits,
                             const HttpGuard::MethodPolicy& allowed_methods)
    : limits_(limits), allowed_methods_(allowed_methods) {}

void RequestReader::Reset() {
  phase_ = Phase::kRequestLine;
  started_ = false;
  line_.clear();
  empty_lines_ = 0;
  method_.clear();
  target_.clear();
  version_.clear();
  forward_.clear();
  header_count_ = 0;
  header_bytes_ = 0;
  has_length_ = false;
  length_ = 0;
  transfer_encoding_.clear();
  expect_continue_ = false;
  continue_pending_ = false;
  hosts_ = 0;
  body_read_ = 0;
  body_left_ = 0;
  error_ = EarlyError();
}

bool RequestReader::TakeContinue() {
  bool pending = continue_pending_;
  continue_pending_ = false;
  return pending;
}

bool RequestReader::InLinePhase() const {
  return phase_ == Phase::kRequestLine || phase_ == Phase::kHeaders ||
         phase_ == Phase::kChunkSize || phase_ == Phase::kChunkEnd ||
         phase_ == Phase::kTrailers;
}

size_t RequestReader::Feed(const char* data, size_t size) {
  size_t used = 0;
  if (size > 0) started_ = true;
  while (used < size && phase_ != Phase::kComplete && phase_ != Phase::kError) {
    if (!InLinePhase()) {
      used += FeedBody(data + used, size - used);
      continue;
    }
    const char* start = data + used;
    const void* nl = std::memchr(start, '\n', size - used);
    size_t take =
        nl == nullptr
            ? size - used
            : static_cast<size_t>(static_cast<const char*>(nl) - start) + 1;
    line_.append(start, take);
    used += take;
    if (nl == nullptr) {
      CheckPartialLine();
    } else {
      EndLine();
    }
  }
  return used;
}

size_t RequestReader::FeedBody(const char* /*data*/, size_t size) {
  size_t take = static_cast<size_t>(std::min<uint64_t>(body_left_, size));
  body_left_ -= take;
  if (body_left_ == 0) {
    phase_ = phase_ == Phase::kLengthBody ? Phase::kComplete : Phase::kChunkEnd;
  }
  return take;
}

void RequestReader::CheckPartialLine() {
  // The line will end with at least "\r\n" (a bare '\n' is counted as one).
  size_t length = line_.size() + (line_.ends_with('\r') ? 1 : 2);
  switch (phase_) {
    case Phase::kRequestLine:
      if (length > limits_.max_request_line) {
        Fail(414, "request line longer than " +
                      std::to_string(limits_.max_request_line) +
                      " bytes; shorten the query");
      }
      break;
    case Phase::kHeaders:
    case Phase::kTrailers:
      if (length > limits_.max_header_line) {
        Fail(431, "header line longer than " +
                      std::to_string(limits_.max_header_line) + " bytes");
      } else if (header_bytes_ + length > limits_.max_header_bytes) {
        Fail(431, "headers longer than " +
                      std::to_string(limits_.max_header_bytes) +
                      " bytes in all");
      }
      break;
    default:
      if (length > kMaxChunkLine) Fail(400, "chunk size line too long");
      break;
  }
}

void RequestReader::EndLine() {
  CheckPartialLine();  // the length with its line end
  if (phase_ == Phase::kError) return;
  std::string line = std::move(line_);
  line_.clear();
  line.pop_back();  // '\n'
  if (line.ends_with('\r')) line.pop_back();
  if (line.find('\r') != std::string::npos) {
    return Fail(400, "a bare CR inside a line");
  }
  switch (phase_) {
    case Phase::kRequestLine:
      return RequestLine(line);
    case Phase::kHeaders:
      return HeaderLine(line);
    case Phase::kChunkSize:
      return ChunkSizeLine(line);
    case Phase::kChunkEnd:
      if (!line.empty()) return Fail(400, "chunk data longer than its size");
      phase_ = Phase::kChunkSize;
      return;
    case Phase::kTrailers:
      return TrailerLine(line);
    default:
      return;
  }
}

void RequestReader::RequestLine(std::string_view line) {
  if (line.empty()) {
    if (++empty_lines_ > kMaxEmptyLines) {
      Fail(400, "empty lines instead of a request line");
    }
    return;
  }
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos ||
      line.find(' ', sp2 + 1) != std::string_view::npos) {
    return Fail(400, "malformed request line \"" + Shown(line) +
                         "\": expected METHOD TARGET HTTP/1.1");
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  bool target_ok =
      !target.empty() && std::none_of(target.begin(), target.end(), [](char c) {
        unsigned char u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7F;
      });
  bool version_ok = version.size() == 8 && version.starts_with("HTTP/") &&
                    std::isdigit(static_cast<unsigned char>(version[5])) &&
                    version[6] == '.' &&
                    std::isdigit(static_cast<unsigned char>(version[7]));
  if (!IsToken(method) || !target_ok || !version_ok) {
    return Fail(400, "malformed request line \"" + Shown(line) +
                         "\": expected METHOD TARGET HTTP/1.1");
  }
  method_ = method;
  target_ = target;
  version_ = version;
  if (version_ != "HTTP/1.1" && version_ != "HTTP/1.0") {
    return Fail(505, "HTTP version " + Shown(version_) +
                         " is not supported; use HTTP/1.1");
  }
  if (!IsHttpMethod(method_)) {
    return Fail(501, "method " + Shown(method_) + " is not implemented");
  }
  std::string allow = allowed_methods_ ? allowed_methods_(target_) : "";
  if (!Allowed(allow, method_)) {
    error_.allow = allow;
    return Fail(405, "method " + method_ + " is not allowed on " +
                         Shown(target_.substr(0, target_.find('?'))) +
                         "; allowed: " + allow);
  }
  forward_ = method_ + " " + target_ + " " + version_ + "\r\n";
  phase_ = Phase::kHeaders;
}

bool RequestReader::CountHeaderLine(std::string_view line) {
  if (++header_count_ > limits_.max_header_count) {
    Fail(431, "more than " + std::to_string(limits_.max_header_count) +
                  " header lines");
    return false;
  }
  header_bytes_ += line.size() + 2;
  return true;  // the byte limits were checked as the line came in
}

void RequestReader::HeaderLine(std::string_view line) {
  if (line.empty()) return EndOfHead();
  if (!CountHeaderLine(line)) return;
  if (line.front() == ' ' || line.front() == '\t') {
    return Fail(400, "folded header line (obsolete line folding)");
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || !IsToken(line.substr(0, colon))) {
    return Fail(400, "malformed header line \"" + Shown(line) + "\"");
  }
  std::string_view name = line.substr(0, colon);
  std::string_view value = Trim(line.substr(colon + 1));
  for (char c : value) {
    unsigned char u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7F) {
      return Fail(400, "control character in header " + Shown(name));
    }
  }
  const std::string key = Lower(name);
  if (key == "content-length") {
    bool digits = !value.empty() && value.size() <= 18 &&
                  std::all_of(value.begin(), value.end(),
                              [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) return Fail(400, "Content-Length is not a number");
    uint64_t length = std::stoull(std::string(value));
    if (has_length_ && length != length_) {
      return Fail(400, "two different Content-Length headers");
    }
    has_length_ = true;
    length_ = length;
    if (length_ > limits_.max_body) {
      return Fail(413, "request body of " + std::to_string(length_) +
                           " bytes is larger than " +
                           std::to_string(limits_.max_body) +
                           " bytes; the API only serves GET");
    }
    return;
  }
  if (key == "transfer-encoding") {
    if (!transfer_encoding_.empty()) transfer_encoding_ += ",";
    transfer_encoding_ += Lower(value);
    return;
  }
  if (key == "expect") {
    expect_continue_ = Lower(value) == "100-continue";
    return;
  }
  if (key == "host") ++hosts_;
  forward_.append(name).append(": ").append(value).append("\r\n");
}

void RequestReader::EndOfHead() {
  if (version_ == "HTTP/1.1" && hosts_ != 1) {
    return Fail(400, "an HTTP/1.1 request needs exactly one Host header");
  }
  const bool chunked = !transfer_encoding_.empty();
  if (chunked && has_length_) {
    return Fail(400, "both Content-Length and Transfer-Encoding given");
  }
  if (chunked && transfer_encoding_ != "chunked") {
    return Fail(501, "transfer coding \"" + Shown(transfer_encoding_) +
                         "\" is not supported; use chunked");
  }
  forward_ += "\r\n";
  continue_pending_ =
      expect_continue_ && version_ == "HTTP/1.1" && (chunked || length_ > 0);
  if (chunked) {
    phase_ = Phase::kChunkSize;
  } else if (length_ > 0) {
    body_left_ = length_;
    phase_ = Phase::kLengthBody;
  } else {
    phase_ = Phase::kComplete;
  }
}

void RequestReader::ChunkSizeLine(std::string_view line) {
  std::string_view size = Trim(line.substr(0, line.find(';')));
  if (size.empty() || size.size() > 15 ||
      !std::all_of(size.begin(), size.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c));
      })) {
    return Fail(400, "malformed chunk size \"" + Shown(line) + "\"");
  }
  uint64_t chunk = std::stoull(std::string(size), nullptr, 16);
  if (chunk == 0) {
    phase_ = Phase::kTrailers;
    return;
  }
  body_read_ += chunk;
  if (body_read_ > limits_.max_body) {
    return Fail(413, "chunked request body larger than " +
                         std::to_string(limits_.max_body) +
                         " bytes; the API only serves GET");
  }
  body_left_ = chunk;
  phase_ = Phase::kChunkData;
}

void RequestReader::TrailerLine(std::string_view line) {
  if (line.empty()) {
    phase_ = Phase::kComplete;
    return;
  }
  CountHeaderLine(line);
}

void RequestReader::Fail(int status, std::string reason) {
  phase_ = Phase::kError;
  error_.status = status;
  error_.method = method_;
  error_.target = target_;
  error_.reason = std::move(reason);
  line_.clear();
  line_.shrink_to_fit();
}

}  // namespace pundit
