// The WARC reader (core/readers/warc_reader.h): record headers read line by
// line from the ByteStream, payloads read or skipped by Content-Length.
#include "core/readers/warc_reader.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/parse_text.h"
#include "core/parsers.h"
#include "core/readers/html_extract.h"

namespace pundit::readers {
namespace {

constexpr size_t kMaxHeaderLine = 64u << 10;
constexpr size_t kMaxHeaderBlock = 1u << 20;
constexpr size_t kMaxHttpHead = 64u << 10;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  size_t begin = s.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(" \t\r");
  return s.substr(begin, end - begin + 1);
}

// A decimal number of at most 19 digits, nothing else.
bool ParseNumber(std::string_view s, uint64_t* n) {
  if (s.empty() || s.size() > 19) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *n);
  return ec == std::errc() && end == s.data() + s.size();
}

// "Name: value" lines; names compared without case.
struct Headers {
  std::vector<std::pair<std::string, std::string>> fields;

  // Adds one header line (a line starting with white space continues the
  // last value).
  void AddLine(std::string_view line) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      if (!fields.empty()) {
        fields.back().second += ' ';
        fields.back().second += Trim(line);
      }
      return;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return;
    fields.emplace_back(Lower(Trim(line.substr(0, colon))),
                        std::string(Trim(line.substr(colon + 1))));
  }
  // The first value of `name` (lower case), "" when absent.
  std::string_view Get(std::string_view name) const {
    for (const auto& [key, value] : fields) {
      if (key == name) return value;
    }
    return {};
  }
};

// "text/html; charset=utf-8" -> "text/html".
std::string MediaType(std::string_view content_type) {
  return Lower(Trim(content_type.substr(0, content_type.find(';'))));
}

// The status line and headers of an HTTP response.
struct HttpHead {
  int status = 0;
  Headers headers;
  size_t size = 0;  // bytes up to and including the empty line
};

// False when `bytes` does not start with "HTTP/" status line and headers
// ending in an empty line.
bool ParseHttpHead(std::string_view bytes, HttpHead* head) {
  if (!bytes.starts_with("HTTP/")) return false;
  size_t pos = 0;
  bool first = true;
  while (pos < bytes.size()) {
    size_t eol = bytes.find('\n', pos);
    if (eol == std::string_view::npos) return false;
    std::string_view line = bytes.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = eol + 1;
    if (first) {
      first = false;
      size_t space = line.find(' ');
      if (space == std::string_view::npos) return false;
      std::string_view code = Trim(line.substr(space + 1)).substr(0, 3);
      uint64_t status = 0;
      if (code.size() != 3 || !ParseNumber(code, &status)) return false;
      head->status = static_cast<int>(status);
      continue;
    }
    if (line.empty()) {
      head->size = pos;
      return true;
    }
    head->headers.AddLine(line);
  }
  return false;
}

// Joins the chunks of a Transfer-Encoding: chunked body; false when it is
// malformed (a size that is not hex, a chunk longer than what remains).
bool Dechunk(std::string_view body, std::string* out) {
  out->clear();
  size_t pos = 0;
  for (;;) {
    size_t eol = body.find('\n', pos);
    if (eol == std::string_view::npos) return false;
    std::string_view size_text = Trim(body.substr(pos, eol - pos));
    size_text = Trim(size_text.substr(0, size_text.find(';')));
    uint64_t size = 0;
    auto [end, ec] = std::from_chars(
        size_text.data(), size_text.data() + size_text.size(), size, 16);
    if (size_text.empty() || ec != std::errc() ||
        end != size_text.data() + size_text.size()) {
      return false;
    }
    pos = eol + 1;
    if (size == 0) return true;
    if (size > body.size() - pos) return false;
    out->append(body.substr(pos, size));
    pos += size;
    if (body.substr(pos).starts_with("\r\n")) {
      pos += 2;
    } else if (body.substr(pos).starts_with("\n")) {
      pos += 1;
    }
  }
}

// The order of the counts in the notice.
int ReasonRank(std::string_view reason) {
  static constexpr std::string_view kTypes[] = {
      "request", "warcinfo",   "metadata",    "resource",
      "revisit", "conversion", "continuation"};
  for (size_t i = 0; i < std::size(kTypes); ++i) {
    if (reason == kTypes[i]) return static_cast<int>(i);
  }
  return reason.starts_with("response ") ? 20 : 10;
}

class WarcReader : public ArticleReader {
 public:
  WarcReader(std::unique_ptr<ByteStream> in, const ReaderOptions& options)
      : in_(std::move(in)), options_(options) {}

  bool Next(ReadItem* item) override {
    while (out_.empty() && !done_) ReadRecord();
    if (out_.empty()) return false;
    *item = std::move(out_.front());
    out_.pop_front();
    return true;
  }

 private:
  enum class Line { kLine, kTooLong, kEnd };

  // The next line without its line end, at most kMaxHeaderLine bytes (a
  // longer one is consumed and kTooLong). line_number_ is its line.
  Line ReadLine(std::string* line) {
    line->clear();
    line_number_ = next_line_;
    bool too_long = false;
    bool any = false;
    for (;;) {
      std::string_view b = in_->Buffered();
      if (b.empty()) break;
      any = true;
      size_t eol = b.find('\n');
      size_t take = eol == std::string_view::npos ? b.size() : eol;
      if (!too_long && line->size() + take > kMaxHeaderLine) {
        too_long = true;
        line->clear();
      }
      if (!too_long) line->append(b.data(), take);
      in_->Consume(eol == std::string_view::npos ? take : take + 1);
      if (eol != std::string_view::npos) {
        ++next_line_;
        break;
      }
    }
    if (!any) return Line::kEnd;
    if (too_long) return Line::kTooLong;
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return Line::kLine;
  }

  // Consumes up to `n` bytes, appending them to *out unless it is null;
  // returns how many there were.
  uint64_t Take(uint64_t n, std::string* out) {
    uint64_t done = 0;
    while (done < n) {
      std::string_view b = in_->Buffered();
      if (b.empty()) break;
      size_t take = static_cast<size_t>(std::min<uint64_t>(b.size(), n - done));
      b = b.substr(0, take);
      next_line_ += static_cast<int>(std::count(b.begin(), b.end(), '\n'));
      if (out != nullptr) out->append(b);
      in_->Consume(take);
      done += take;
    }
    return done;
  }

  void ReadRecord() {
    int record_line = 0;
    if (pending_line_ > 0) {
      record_line = pending_line_;
      pending_line_ = 0;
    } else if (!FindRecordStart(&record_line)) {
      return;
    }
    Headers warc;
    if (!ReadHeaderBlock(record_line, &warc)) return;
    std::string_view length_text = warc.Get("content-length");
    uint64_t length = 0;
    if (!ParseNumber(length_text, &length)) {
      Resync(record_line,
             length_text.empty()
                 ? std::string("record has no Content-Length: every WARC "
                               "record needs one")
                 : "Content-Length \"" + std::string(length_text) +
                       "\" is not a number of bytes");
      return;
    }
    std::string type = Lower(warc.Get("warc-type"));
    if (type != "response" ||
        !MediaType(warc.Get("content-type")).starts_with("application/http")) {
      PassOver(record_line, length,
               type.empty()         ? std::string("without WARC-Type")
               : type == "response" ? std::string("response not HTTP")
                                    : type);
      return;
    }
    ReadResponse(record_line, length, warc);
  }

  // Past blank lines to a "WARC/1." line; false (and the record is
  // handled) when there is none.
  bool FindRecordStart(int* record_line) {
    std::string line;
    for (;;) {
      Line r = ReadLine(&line);
      if (r == Line::kEnd) {
        Finish();
        return false;
      }
      if (r == Line::kLine && line.empty()) continue;
      *record_line = line_number_;
      if (r == Line::kLine && line.starts_with("WARC/1.")) return true;
      Resync(line_number_,
             "no WARC/ line where a record starts: a record begins with "
             "\"WARC/1.0\" or \"WARC/1.1\"",
             /*skip_current=*/true);
      return false;
    }
  }

  // The header lines up to the empty line.
  bool ReadHeaderBlock(int record_line, Headers* headers) {
    std::string line;
    size_t total = 0;
    for (;;) {
      Line r = ReadLine(&line);
      if (r == Line::kEnd) {
        AddError(record_line,
                 "record header never ends: the file ends before the empty "
                 "line after the headers of this record");
        Finish();
        return false;
      }
      total += line.size();
      if (r == Line::kTooLong || total > kMaxHeaderBlock) {
        Resync(record_line, "record header is longer than 1 MiB");
        return false;
      }
      if (line.empty()) return true;
      headers->AddLine(line);
    }
  }

  // Consumes a record that is not read.
  void PassOver(int record_line, uint64_t length, std::string reason) {
    if (!Consume(record_line, length, nullptr)) return;
    Count(std::move(reason));
  }

  // Takes `length` bytes of payload (kept in *out unless null) and its
  // trailing line ends; false (and the error added) when the file ends
  // first or the record does not end there.
  bool Consume(int record_line, uint64_t length, std::string* out) {
    uint64_t got = Take(length, out);
    if (got < length) {
      AddError(record_line,
               "Content-Length says " + parse::WithThousands(length) +
                   " bytes but the file ends after " +
                   parse::WithThousands(got) +
                   ": the record is cut off; fix its Content-Length or "
                   "download the file again");
      Finish();
      return false;
    }
    if (!ConsumeTrailer()) {
      Resync(record_line,
             "record does not end where its Content-Length of " +
                 parse::WithThousands(length) +
                 " bytes says (no empty line follows the payload): fix its "
                 "Content-Length");
      return false;
    }
    return true;
  }

  // The two line ends after a payload; true when what follows is the end,
  // more empty lines or the next record.
  bool ConsumeTrailer() {
    for (int i = 0; i < 2; ++i) {
      std::string_view p = in_->Peek(2);
      if (p.starts_with("\r\n")) {
        Take(2, nullptr);
      } else if (p.starts_with("\n")) {
        Take(1, nullptr);
      } else {
        break;
      }
    }
    std::string_view next = in_->Peek(5);
    return next.empty() || next == "WARC/" || next.starts_with("\n") ||
           next.starts_with("\r\n");
  }

  void ReadResponse(int record_line, uint64_t length, const Headers& warc) {
    HttpHead http;
    std::string_view head = in_->Peek(
        static_cast<size_t>(std::min<uint64_t>(length, kMaxHttpHead)));
    if (!ParseHttpHead(head, &http)) {
      PassOver(record_line, length, "response not HTTP");
      return;
    }
    if (http.status < 200 || http.status > 299) {
      PassOver(record_line, length, "response not 2xx");
      return;
    }
    std::string media = MediaType(http.headers.Get("content-type"));
    if (media != "text/html" && media != "application/xhtml+xml") {
      PassOver(record_line, length, "response not HTML");
      return;
    }
    if (length > options_.max_record_bytes) {
      if (!Consume(record_line, length, nullptr)) return;
      AddError(record_line,
               RecordTooLargeMessage(length, options_.max_record_bytes,
                                     "WARC record"));
      return;
    }
    std::string payload;
    payload.reserve(static_cast<size_t>(length));
    if (!Consume(record_line, length, &payload)) return;
    std::string body;
    if (!HttpBody(record_line, std::string_view(payload).substr(http.size),
                  http.headers, &body)) {
      return;
    }
    payload.clear();
    payload.shrink_to_fit();
    AddPage(record_line, body, warc);
  }

  // The HTTP body de-chunked and decompressed; false (and the error added)
  // when it cannot be.
  bool HttpBody(int record_line, std::string_view raw, const Headers& http,
                std::string* body) {
    if (Lower(http.Get("transfer-encoding")).find("chunked") !=
        std::string::npos) {
      if (!Dechunk(raw, body)) {
        AddError(record_line,
                 "HTTP body is marked Transfer-Encoding: chunked but its "
                 "chunks are malformed: the page is skipped; fix or "
                 "re-record it");
        return false;
      }
    } else {
      body->assign(raw);
    }
    std::string encoding = Lower(Trim(http.Get("content-encoding")));
    if (encoding.empty() || encoding == "identity") return true;
    if (encoding != "gzip" && encoding != "x-gzip") {
      AddError(record_line, "HTTP body has Content-Encoding " + encoding +
                                ", which is not read (only gzip is): the "
                                "page is skipped; re-record it uncompressed "
                                "or gzip");
      return false;
    }
    std::unique_ptr<ByteStream> gz = ByteStream::FromString(std::move(*body));
    uint64_t total = 0;
    if (!ReadWhole(gz.get(), options_.max_record_bytes, body, &total)) {
      AddError(record_line,
               RecordTooLargeMessage(total, options_.max_record_bytes,
                                     "decompressed page"));
      return false;
    }
    if (!gz->error().empty()) {
      AddError(record_line, "HTTP body is gzip but damaged (" + gz->error() +
                                "): the page is skipped; re-record it");
      return false;
    }
    return true;
  }

  void AddPage(int record_line, std::string_view html, const Headers& warc) {
    HtmlPage page;
    std::string error;
    if (!ReadHtmlPage(html, &page, &error)) {
      AddError(record_line, error);
      return;
    }
    Article& a = page.article;
    std::string_view target = Trim(warc.Get("warc-target-uri"));
    if (target.size() >= 2 && target.front() == '<' && target.back() == '>') {
      target = target.substr(1, target.size() - 2);
    }
    if (!target.empty()) a.url = parse::CleanText(target);
    if (a.date.empty()) {
      a.date = NormalizeDate(Trim(warc.Get("warc-date")), nullptr);
    }
    a.id = RecordId(page.own_id, a, "");
    a.path = options_.path;
    a.line = record_line;
    ReadItem item;
    item.kind = ReadItem::Kind::kArticle;
    item.article = std::move(a);
    out_.push_back(std::move(item));
  }

  // One error for the record at `record_line`: the lines up to the next
  // "WARC/1." line are skipped (with the line just read when
  // `skip_current`) and the message says which.
  void Resync(int record_line, const std::string& what,
              bool skip_current = false) {
    int first = skip_current ? line_number_ : next_line_;
    int last = skip_current ? line_number_ : first - 1;
    std::string line;
    for (;;) {
      Line r = ReadLine(&line);
      if (r == Line::kEnd) break;
      if (r == Line::kLine && line.starts_with("WARC/1.")) {
        pending_line_ = line_number_;
        break;
      }
      last = line_number_;
    }
    std::string skipped;
    if (last < first) {
      skipped = "nothing was skipped";
    } else if (last == first) {
      skipped = "line " + std::to_string(first) + " was skipped";
    } else {
      skipped = "lines " + std::to_string(first) + "-" + std::to_string(last) +
                " were skipped";
    }
    AddError(record_line, what + "; " + skipped +
                              (pending_line_ > 0 ? ", up to the next record"
                                                 : ", to the end of the file"));
    if (pending_line_ == 0) Finish();
  }

  void Count(std::string reason) {
    ++passed_;
    for (auto& [name, n] : counts_) {
      if (name == reason) {
        ++n;
        return;
      }
    }
    counts_.emplace_back(std::move(reason), 1);
  }

  void Finish() {
    if (done_) return;
    done_ = true;
    if (passed_ > 0) {
      std::stable_sort(counts_.begin(), counts_.end(),
                       [](const auto& a, const auto& b) {
                         return ReasonRank(a.first) < ReasonRank(b.first);
                       });
      std::string list;
      for (const auto& [name, n] : counts_) {
        if (!list.empty()) list += ", ";
        list += std::to_string(n) + " " + name;
      }
      ReadItem item;
      item.kind = ReadItem::Kind::kNotice;
      item.notice = options_.path + ": note: " + std::to_string(passed_) +
                    (passed_ == 1 ? " record" : " records") + " passed over (" +
                    list + ")";
      out_.push_back(std::move(item));
    }
    if (!in_->error().empty()) AddError(next_line_, in_->error());
  }

  void AddError(int line, std::string message) {
    ReadItem item;
    item.kind = ReadItem::Kind::kError;
    item.error = ParseError{options_.path, line, std::move(message)};
    out_.push_back(std::move(item));
  }

  std::unique_ptr<ByteStream> in_;
  ReaderOptions options_;
  std::deque<ReadItem> out_;
  bool done_ = false;
  int next_line_ = 1;     // the line of the next byte
  int line_number_ = 0;   // the line last read by ReadLine
  int pending_line_ = 0;  // a "WARC/1." line already read by Resync
  int passed_ = 0;
  std::vector<std::pair<std::string, int>> counts_;
};

}  // namespace

std::unique_ptr<ArticleReader> OpenWarcReader(std::unique_ptr<ByteStream> in,
                                              const ReaderOptions& options) {
  return std::make_unique<WarcReader>(std::move(in), options);
}

}  // namespace pundit::readers
