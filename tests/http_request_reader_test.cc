// Properties of RequestReader (web/http_request_reader.h), without sockets:
//  - a table of requests, each read whole and byte by byte: the status of
//    the error it raises (400, 405, 413, 414, 431, 501, 505), or the head it
//    hands on (CRLF line ends; no Content-Length, Transfer-Encoding or
//    Expect);
//  - limits are raised as soon as the bytes show them, without the rest of
//    the line or request (a 414 after max_request_line bytes);
//  - bodies (declared or chunked) are consumed and dropped; the bytes after
//    a request are left for the next one (pipelining); Reset() reads it.
#include "web/http_request_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pundit {
namespace {

const HttpGuard::MethodPolicy kPolicy = [](std::string_view target) {
  return target.starts_with("/cors") ? std::string("GET, HEAD, OPTIONS")
                                     : std::string("GET, HEAD");
};

struct Outcome {
  int status = 0;       // 0: complete
  std::string forward;  // when complete
  size_t used = 0;
};

// Feeds `input` whole, or one byte at a time, until the reader stops.
Outcome Read(const HttpLimits& limits, const std::string& input,
             bool bytewise) {
  RequestReader reader(limits, kPolicy);
  Outcome out;
  if (!bytewise) {
    out.used = reader.Feed(input.data(), input.size());
  } else {
    for (size_t i = 0; i < input.size(); ++i) {
      if (reader.complete() || reader.failed()) break;
      out.used += reader.Feed(input.data() + i, 1);
    }
  }
  if (reader.failed()) out.status = reader.error().status;
  if (reader.complete()) out.forward = reader.forward();
  if (!reader.failed() && !reader.complete()) out.status = -1;  // incomplete
  return out;
}

TEST(RequestReaderTest, ReadsRequestsOrRaisesTheirStatus) {
  HttpLimits limits;
  limits.max_request_line = 64;
  limits.max_header_line = 64;
  limits.max_header_count = 4;
  limits.max_header_bytes = 100;
  limits.max_body = 16;
  const std::string h = "Host: x\r\n";
  struct Case {
    std::string input;
    int status;  // 0: complete, -1: needs more bytes
    std::string forward;
  };
  const std::vector<Case> cases = {
      {"GET /a?b=c HTTP/1.1\r\n" + h + "\r\n", 0,
       "GET /a?b=c HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"GET / HTTP/1.1\n" + std::string("Host:   x  \n\n"), 0,
       "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"\r\nGET / HTTP/1.0\r\n\r\n", 0, "GET / HTTP/1.0\r\n\r\n"},
      {"GET / HTTP/1.1\r\n" + h + "Content-Length: 3\r\n\r\nabc", 0,
       "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"GET / HTTP/1.1\r\n" + h +
           "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
           "3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: t\r\n\r\n",
       0, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"OPTIONS /cors HTTP/1.1\r\n" + h + "\r\n", 0,
       "OPTIONS /cors HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"GET / HTTP/1.1\r\n" + h, -1, ""},
      {"GARBAGE\r\n\r\n", 400, ""},
      {"GET  / HTTP/1.1\r\n" + h + "\r\n", 400, ""},
      {"GET / HTTP/1.1 x\r\n" + h + "\r\n", 400, ""},
      {"GET /\x01 HTTP/1.1\r\n" + h + "\r\n", 400, ""},
      {"GET / HTTP/1.1\r\n\r\n", 400, ""},  // no Host
      {"GET / HTTP/1.1\r\n" + h + h + "\r\n", 400, ""},
      {"GET / HTTP/1.1\r\n" + h + " folded\r\n\r\n", 400, ""},
      {"GET / HTTP/1.1\r\n" + h + "Bad Name: v\r\n\r\n", 400, ""},
      {"GET / HTTP/1.1\r\n" + h + "X: a\rb\r\n\r\n", 400, ""},
      {"GET / HTTP/1.1\r\n" + h + "Content-Length: -1\r\n\r\n", 400, ""},
      {"GET / HTTP/1.1\r\n" + h +
           "Content-Length: 1\r\nContent-Length: 2\r\n\r\n",
       400, ""},
      {"GET / HTTP/1.1\r\n" + h +
           "Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
       400, ""},
      {"GET / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\nzz\r\n",
       400, ""},
      {"GET / HTTP/1.1\r\n" + h +
           "Transfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
       400, ""},
      {"POST / HTTP/1.1\r\n", 405, ""},
      {"OPTIONS / HTTP/1.1\r\n", 405, ""},
      {"DELETE /cors HTTP/1.1\r\n", 405, ""},
      {"PROPFIND / HTTP/1.1\r\n", 405, ""},
      {"GET / HTTP/1.1\r\n" + h + "Content-Length: 17\r\n", 413, ""},
      {"GET / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n10\r\n" +
           std::string(16, 'a') + "\r\n1\r\n",
       413, ""},
      {"GET /" + std::string(70, 'a'), 414, ""},
      {"GET / HTTP/1.1\r\nX: " + std::string(70, 'a'), 431, ""},
      {"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n", 431, ""},
      {"GET / HTTP/1.1\r\nA: " + std::string(50, 'a') +
           "\r\nB: " + std::string(50, 'b') + "\r\n",
       431, ""},
      {"FROBNICATE / HTTP/1.1\r\n", 501, ""},
      {"GET / HTTP/1.1\r\n" + h + "Transfer-Encoding: gzip\r\n\r\n", 501, ""},
      {"GET / HTTP/2.0\r\n", 505, ""},
  };
  for (const Case& c : cases) {
    for (bool bytewise : {false, true}) {
      Outcome got = Read(limits, c.input, bytewise);
      EXPECT_EQ(got.status, c.status)
          << c.input << (bytewise ? " (bytes)" : "");
      EXPECT_EQ(got.forward, c.forward) << c.input;
    }
  }
}

TEST(RequestReaderTest, RefusesAnOverlongLineWithoutWaitingForItsEnd) {
  HttpLimits limits;
  const std::string line = "GET /" + std::string(1 << 20, 'a');
  RequestReader reader(limits, kPolicy);
  size_t used = reader.Feed(line.data(), line.size());
  ASSERT_TRUE(reader.failed());
  EXPECT_EQ(reader.error().status, 414);
  EXPECT_EQ(used, line.size());  // one piece: the reader stops at its end
  RequestReader bytes(limits, kPolicy);
  size_t fed = 0;
  while (!bytes.failed() && fed < line.size()) fed += bytes.Feed(&line[fed], 1);
  EXPECT_EQ(bytes.error().status, 414);
  EXPECT_LE(fed, limits.max_request_line);
}

TEST(RequestReaderTest, LeavesPipelinedBytesForTheNextRequest) {
  HttpLimits limits;
  const std::string first = "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string second = "GET /2 HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string both = first + second;
  RequestReader reader(limits, kPolicy);
  size_t used = reader.Feed(both.data(), both.size());
  ASSERT_TRUE(reader.complete());
  EXPECT_EQ(used, first.size());
  EXPECT_EQ(reader.forward(), first);
  reader.Reset();
  EXPECT_FALSE(reader.started());
  used = reader.Feed(both.data() + used, both.size() - used);
  ASSERT_TRUE(reader.complete());
  EXPECT_EQ(used, second.size());
  EXPECT_EQ(reader.forward(), second);
}

TEST(RequestReaderTest, AsksForContinueOnceWhenABodyIsAnnounced) {
  HttpLimits limits;
  const std::string head =
      "GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
      "Content-Length: 2\r\n\r\n";
  RequestReader reader(limits, kPolicy);
  reader.Feed(head.data(), head.size());
  EXPECT_FALSE(reader.complete());
  EXPECT_TRUE(reader.TakeContinue());
  EXPECT_FALSE(reader.TakeContinue());
  reader.Feed("ok", 2);
  EXPECT_TRUE(reader.complete());
}

}  // namespace
}  // namespace pundit
