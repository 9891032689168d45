// HttpGuard: the front of `pundit serve`, between the network and
// cpp-httplib's routing. It owns the listening socket and every client
// connection. One event-loop thread (epoll) reads each request head, and any
// body, under the limits of HttpLimits and a deadline for the whole request;
// whatever breaks a limit, or cannot be served at all (a method no route
// takes, an unknown method, a malformed request line), is answered there at
// once with an error response and the connection is closed without reading
// the rest. Only a complete, bounded request is handed to a worker thread,
// which answers it through the RequestHandler (httplib's process_request).
//
// Why: the packaged cpp-httplib 0.11 buffers request lines, headers and
// chunked bodies without bound, gives each read its own timeout (a request
// may be dribbled for ever), ties one worker thread to each open connection
// (slow clients starve the rest) and drops pipelined requests; none of that
// can be changed from outside the compiled library (docs/RELIABILITY.md).
//
// Guarantees:
//  - memory: a connection holds at most its request head (request line and
//    headers, limited below) plus one read of 16 KiB; bodies are read, counted
//    against max_body and dropped (no route takes a body), so the server's
//    memory for connections is bounded by max_connections times that;
//  - time: a request must arrive whole within request_deadline of its first
//    byte (408 otherwise); a connection waits idle_timeout for the next
//    request, then is closed;
//  - fairness: slow clients cost a few bytes of state on the event loop, not
//    a thread; at most max_connections_per_address connections per client
//    address (429) and max_connections in all (503);
//  - order: a connection's requests are answered one at a time in the order
//    sent; pipelined requests wait in the connection's buffer.
//
// Threads: Run() is the event loop and blocks; Stop() may be called from any
// thread. The callbacks are called on the event-loop thread (ErrorRenderer,
// MethodPolicy) or on worker threads (RequestHandler, for different
// connections at once) and must be thread-safe accordingly.
#ifndef PUNDIT_WEB_HTTP_GUARD_H_
#define PUNDIT_WEB_HTTP_GUARD_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace httplib {
class Stream;
}

namespace pundit {

// Every limit of the HTTP layer, with its default and the status a client
// gets past it. docs/RELIABILITY.md lists them with the tests that check
// them.
struct HttpLimits {
  size_t max_request_line = 8192;   // bytes with its CRLF; 414
  size_t max_header_line = 8192;    // bytes of one header line with CRLF; 431
  size_t max_header_count = 100;    // header lines (and chunk trailers); 431
  size_t max_header_bytes = 16384;  // all header lines together; 431
  size_t max_body = 64 * 1024;      // declared or chunked body; 413
  std::chrono::milliseconds request_deadline{10000};  // first byte to last:
                                                      // 408
  std::chrono::milliseconds idle_timeout{5000};       // waiting for a request:
                                                      // closed without answer
  std::chrono::milliseconds write_timeout{10000};     // a response's next
                                                      // write: closed
  size_t max_requests_per_connection = 100;           // then Connection: close
  size_t max_connections = 1024;             // open at once; 503 (capped by the
                                             // process's file limit)
  size_t max_connections_per_address = 128;  // from one client address; 429
  size_t workers = 64;  // threads answering complete requests
};

// An error answered by the guard itself, before any route ran.
struct EarlyError {
  // 400 malformed request, 405 method no route takes, 408 deadline, 413 body
  // too large, 414 request line too long, 429 too many connections from the
  // address, 431 headers too large, 501 unknown method or transfer coding,
  // 503 too many connections, 505 HTTP version other than 1.0 and 1.1.
  int status = 400;
  std::string method;       // as sent; "" when the request line was not read
  std::string target;       // as sent; "" when the request line was not read
  std::string remote_addr;  // the client's address
  std::string reason;       // what was wrong, for a person to read
  std::string allow;        // for a 405: the methods allowed, "GET, HEAD"
};

// What to send for an EarlyError: the guard adds the status line,
// Content-Length and Connection: close.
struct EarlyResponse {
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class HttpGuard {
 public:
  // Answers one complete request read from `stream` and writes the response
  // to it; `close_connection` asks for a "Connection: close" answer; sets
  // `connection_closed` when the request asked to close. Returns false when
  // the connection must be closed (a write failed). httplib::Server's
  // process_request has this shape.
  using RequestHandler = std::function<bool(
      httplib::Stream& stream, bool close_connection, bool& connection_closed)>;
  // The body and headers of an early error.
  using ErrorRenderer = std::function<EarlyResponse(const EarlyError& error)>;
  // The methods served for a request target, as an Allow header value
  // ("GET, HEAD"); any other method of HTTP (POST, PUT, DELETE, PATCH,
  // OPTIONS, CONNECT, TRACE) gets a 405 before its body is read.
  using MethodPolicy = std::function<std::string(std::string_view target)>;

  struct Callbacks {
    RequestHandler handle;
    ErrorRenderer render_error;
    MethodPolicy allowed_methods;
  };

  HttpGuard(const HttpLimits& limits, Callbacks callbacks);
  // Stops and waits for Run() to return if it runs in another thread.
  ~HttpGuard();
  HttpGuard(const HttpGuard&) = delete;
  HttpGuard& operator=(const HttpGuard&) = delete;

  // Binds host:port (port 0 picks a free one) with SO_REUSEADDR only, never
  // SO_REUSEPORT, and listens with a backlog of 1024. Returns the bound port,
  // or kIoError "cannot listen on HOST:PORT: address in use; stop the server
  // using it or choose another --port", or "cannot listen on HOST:PORT:
  // <reason>; choose another --port or --host".
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(): returns Ok then, once the requests being answered
  // are finished and every connection is closed; kInternal when called
  // before a successful Bind(), kIoError when the event loop cannot be set
  // up.
  Status Run();
  // Thread-safe, also before Run() (which then returns at once).
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pundit

#endif  // PUNDIT_WEB_HTTP_GUARD_H_
