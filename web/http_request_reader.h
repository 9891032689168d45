// RequestReader: reads one HTTP/1.x request from bytes as they arrive, under
// the limits of HttpLimits (web/http_guard.h), without doing any I/O. It keeps
// only the line being read and the request head rewritten for cpp-httplib;
// body bytes are counted against the body limit and dropped (no route of
// pundit takes a body).
//
// The head handed on ("forward") is the request line and the headers with
// CRLF line ends, without Content-Length, Transfer-Encoding and Expect: the
// request reaches httplib as one without a body, so httplib never reads from
// the network itself.
//
// Errors, with the status an EarlyError carries:
//   400 malformed request line or header, bare CR, obsolete line folding,
//       a bad or conflicting Content-Length, Content-Length together with
//       Transfer-Encoding, a bad chunk, an HTTP/1.1 request without one Host
//   405 a method of HTTP that the MethodPolicy does not allow for the target
//   413 a declared Content-Length, or the chunks so far, over max_body
//   414 a request line over max_request_line
//   431 a header line over max_header_line, or more than max_header_count
//       lines, or more than max_header_bytes in all (trailers count too)
//   501 a method HTTP does not define (PROPFIND), a transfer coding other
//       than chunked
//   505 a version other than HTTP/1.0 and HTTP/1.1
// Each is raised as soon as the bytes read show it: a too long line is
// refused when its first max bytes have come, a method before the headers.
//
// Not thread-safe: one reader per connection, used by one thread at a time.
#ifndef PUNDIT_WEB_HTTP_REQUEST_READER_H_
#define PUNDIT_WEB_HTTP_REQUEST_READER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "web/http_guard.h"

namespace pundit {

class RequestReader {
 public:
  // `limits` and `allowed_methods` must outlive the reader.
  RequestReader(const HttpLimits& limits,
                const HttpGuard::MethodPolicy& allowed_methods);

  // Reads from `data` until the request is complete, an error is found or
  // the bytes run out. Returns how many bytes it used: the rest belongs to
  // the next request (pipelining) and must be given again after Reset().
  size_t Feed(const char* data, size_t size);

  // Whether any byte of this request has been read.
  bool started() const { return started_; }
  bool complete() const { return phase_ == Phase::kComplete; }
  bool failed() const { return phase_ == Phase::kError; }
  // The head to hand to httplib; valid once complete().
  const std::string& forward() const { return forward_; }
  // What went wrong; valid once failed(). remote_addr is left empty.
  const EarlyError& error() const { return error_; }
  // The method and target as sent, once the request line is read ("" before).
  const std::string& method() const { return method_; }
  const std::string& target() const { return target_; }
  // True once when the client sent "Expect: 100-continue" and a body is
  // to come: it waits for "HTTP/1.1 100 Continue" before sending it.
  bool TakeContinue();

  // Forgets the request, to read the next one of the connection.
  void Reset();

 private:
  enum class Phase {
    kRequestLine,
    kHeaders,
    kLengthBody,
    kChunkSize,
    kChunkData,
    kChunkEnd,
    kTrailers,
    kComplete,
    kError,
  };

  bool InLinePhase() const;
  size_t FeedBody(const char* data, size_t size);
  // Checks the limits on a line that has not ended yet.
  void CheckPartialLine();
  void EndLine();
  void RequestLine(std::string_view line);
  void HeaderLine(std::string_view line);
  void EndOfHead();
  void ChunkSizeLine(std::string_view line);
  void TrailerLine(std::string_view line);
  // Counts a header or trailer line against the header limits; false (and
  // the error raised) past one.
  bool CountHeaderLine(std::string_view line);
  void Fail(int status, std::string reason);

  const HttpLimits& limits_;
  const HttpGuard::MethodPolicy& allowed_methods_;

  Phase phase_ = Phase::kRequestLine;
  bool started_ = false;
  std::string line_;  // the line being read, with its line end once whole
  size_t empty_lines_ = 0;
  std::string method_, target_, version_;
  std::string forward_;
  size_t header_count_ = 0;
  size_t header_bytes_ = 0;
  bool has_length_ = false;
  uint64_t length_ = 0;
  std::string transfer_encoding_;
  bool expect_continue_ = false;
  bool continue_pending_ = false;
  size_t hosts_ = 0;
  uint64_t body_read_ = 0;  // body bytes so far (chunk data only)
  uint64_t body_left_ = 0;  // of the Content-Length body or of this chunk
  EarlyError error_;
};

}  // namespace pundit

#endif  // PUNDIT_WEB_HTTP_REQUEST_READER_H_
