// The CSV and TSV reader (core/readers/csv_reader.h).
#include "core/readers/csv_reader.h"

#include <simdjson.h>

#include <array>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/parse_text.h"
#include "core/parsers.h"
#include "core/readers/fields.h"
#include "core/readers/plain_text.h"

namespace pundit::readers {
namespace {

// One row: its cells and the line it starts on.
struct Row {
  std::vector<std::string> cells;
  int line = 0;
  uint64_t bytes = 0;
  bool too_large = false;
  bool unclosed_quote = false;  // the file ended inside a quoted field
};

// Splits a multi-valued cell on ';' or '|'; `names` also splits "A and B".
std::vector<std::string> SplitCell(std::string_view cell, bool names) {
  std::vector<std::string> out;
  std::string decoded = parse::DecodeEntities(cell);
  if (decoded.find_first_of(";|") == std::string::npos) {
    if (names) return parse::SplitNameList(decoded);
    std::string one = parse::CleanText(decoded);
    if (!one.empty()) out.push_back(std::move(one));
    return out;
  }
  size_t start = 0;
  while (start <= decoded.size()) {
    size_t end = decoded.find_first_of(";|", start);
    if (end == std::string::npos) end = decoded.size();
    std::string value =
        parse::CleanText(std::string_view(decoded).substr(start, end - start));
    if (!value.empty()) out.push_back(std::move(value));
    start = end + 1;
  }
  return out;
}

class CsvReader : public ArticleReader {
 public:
  CsvReader(std::unique_ptr<ByteStream> in, const ReaderOptions& options,
            char delimiter)
      : in_(std::move(in)), options_(options), delimiter_(delimiter) {}

  bool Next(ReadItem* item) override {
    if (!started_) Start();
    for (;;) {
      if (!pending_.empty()) {
        *item = std::move(pending_.front());
        pending_.pop_front();
        return true;
      }
      if (done_) return false;
      Row row;
      if (!ReadRow(&row)) {
        done_ = true;
        if (!in_->error().empty()) AddError(line_ + 1, in_->error());
        continue;
      }
      if (IsBlank(row)) continue;
      DecodeWindows1252(&row);
      ToItem(row);
    }
  }

 private:
  // ---- the rows ----

  // Where the scanner is within a row.
  enum class State {
    kFieldStart,     // at the start of a field
    kUnquoted,       // inside a field that did not start with a quote
    kQuoted,         // inside a quoted field
    kQuoteInQuoted,  // after a quote inside a quoted field: "" or the end
  };

  // Reads the next row into *row; false at the end of the input.
  bool ReadRow(Row* row) {
    row->cells.assign(1, std::string());
    row->line = line_;
    State state = State::kFieldStart;
    bool any = false;
    for (;;) {
      std::string_view b = in_->Buffered();
      if (b.empty()) {
        if (state == State::kQuoted) row->unclosed_quote = true;
        return any;
      }
      any = true;
      for (size_t i = 0; i < b.size(); ++i) {
        const char c = b[i];
        if (++row->bytes > options_.max_record_bytes && !row->too_large) {
          row->too_large = true;
          row->cells.assign(1, std::string());
        }
        if (c == '\n') ++line_;
        if (state == State::kQuoted) {
          if (c == '"') {
            state = State::kQuoteInQuoted;
          } else {
            Append(row, c);
          }
          continue;
        }
        if (state == State::kQuoteInQuoted) {
          if (c == '"') {  // a doubled quote is one quote
            Append(row, '"');
            state = State::kQuoted;
            continue;
          }
          state = State::kUnquoted;  // the quoted part ended
        }
        if (c == '"' && state == State::kFieldStart) {
          state = State::kQuoted;
        } else if (c == delimiter_) {
          if (!row->too_large) row->cells.emplace_back();
          state = State::kFieldStart;
        } else if (c == '\n') {
          in_->Consume(i + 1);
          StripCarriageReturn(row);
          return true;
        } else {
          Append(row, c);
          state = State::kUnquoted;
        }
      }
      in_->Consume(b.size());
    }
  }

  void Append(Row* row, char c) {
    if (!row->too_large) row->cells.back() += c;
  }

  // A CRLF row end leaves '\r' at the end of its last unquoted cell.
  static void StripCarriageReturn(Row* row) {
    std::string& last = row->cells.back();
    if (!last.empty() && last.back() == '\r') last.pop_back();
  }

  static bool IsBlank(const Row& row) {
    return !row.too_large && !row.unclosed_quote && row.cells.size() == 1 &&
           row.cells[0].find_first_not_of(" \t\r") == std::string::npos;
  }

  // ---- the header ----

  void Start() {
    started_ = true;
    if (in_->Peek(3) == "\xEF\xBB\xBF") in_->Consume(3);
    if (delimiter_ == kSniffDelimiter) delimiter_ = HeaderDelimiter();
    Row header;
    for (;;) {
      if (!ReadRow(&header)) {
        done_ = true;
        AddError(1, in_->error().empty()
                        ? "file is empty: write a header row and articles in "
                          "it or delete it"
                        : in_->error());
        return;
      }
      if (!IsBlank(header)) break;
    }
    if (header.too_large || header.unclosed_quote) {
      done_ = true;
      AddError(header.line + 1,
               "the header row cannot be read (" +
                   std::string(header.too_large ? "it is too long"
                                                : "a quote never closes") +
                   "): the first row must name the columns");
      return;
    }
    MapColumns(header.cells);
  }

  // The delimiter of a .csv: ',' unless the header row (its first 64 KiB)
  // has none outside quotes and has ';' (as spreadsheets write CSV where
  // ',' is the decimal mark) or a tab.
  char HeaderDelimiter() {
    std::string_view head = in_->Peek(64 << 10);
    size_t commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false;
    for (char c : head) {
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == '\n') break;
      commas += c == ',';
      semicolons += c == ';';
      tabs += c == '\t';
    }
    if (commas > 0) return ',';
    if (semicolons > 0) return ';';
    if (tabs > 0) return '\t';
    return ',';
  }

  void MapColumns(const std::vector<std::string>& names) {
    columns_.assign(names.size(), Field::kNone);
    for (const auto& [column, field_name] : options_.column_map) {
      bool found = false;
      for (const std::string& name : names) {
        found = found || NameKey(name) == NameKey(column);
      }
      if (!found) {
        AddNotice("--map " + column + "=" + field_name +
                  " names a column this file's header does not have (it has " +
                  JoinNames(names) + ")");
      }
    }
    std::vector<std::string> unread;
    for (size_t i = 0; i < names.size(); ++i) {
      bool mapped = false;
      columns_[i] =
          FieldForColumn(names[i], options_.column_map, &mapped).field;
      if (mapped || NameKey(names[i]).empty()) continue;  // pandas' index
      if (columns_[i] == Field::kNone) unread.push_back(names[i]);
    }
    bool title = false, body = false;
    for (Field f : columns_) {
      title = title || f == Field::kTitle;
      body = body || f == Field::kBody;
    }
    if (!title && !body) {
      done_ = true;
      AddError(1, "no title and no body column: the header has " +
                      JoinNames(names) +
                      "; name one column title or body, or map one with "
                      "--map COLUMN=title");
      return;
    }
    if (!unread.empty()) {
      AddNotice("columns " + JoinNames(unread) +
                " are not read (map one with " +
                "--map COLUMN=FIELD, FIELD one of " + MapFieldNames() + ")");
    }
  }

  static std::string JoinNames(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) {
      if (!out.empty()) out += ", ";
      out += n.empty() ? "(unnamed)" : parse::CleanText(n);
    }
    return out;
  }

  // ---- a row as an article ----

  // The id RecordId gives `row` from its id or url column, read as ToItem
  // reads them; nullopt when both are empty (its id is its content's).
  std::optional<std::string> EarlyId(const Row& row) const {
    Article bare;
    std::string own_id;
    for (size_t i = 0; i < row.cells.size(); ++i) {
      if (columns_[i] == Field::kId) own_id = parse::CleanText(row.cells[i]);
      if (columns_[i] == Field::kUrl) bare.url = parse::CleanText(row.cells[i]);
    }
    if (own_id.empty() && bare.url.empty()) return std::nullopt;
    return RecordId(own_id, bare, "");
  }

  void ToItem(const Row& row) {
    const int line = row.line + 1;
    if (row.unclosed_quote) {
      AddError(line,
               "unbalanced quote: a field opened on this row never closes; "
               "close it with \" (and write a quote inside a field as \"\")");
      return;
    }
    if (row.too_large) {
      AddError(line, RecordTooLargeMessage(row.bytes, options_.max_record_bytes,
                                           "row"));
      return;
    }
    if (row.cells.size() > columns_.size()) {
      AddError(line, "row has " + std::to_string(row.cells.size()) +
                         " fields, the header has " +
                         std::to_string(columns_.size()) +
                         ": quote fields that hold the delimiter");
      return;
    }
    ReadItem item;
    Article& a = item.article;
    a.path = options_.path;
    a.line = line;
    if (options_.shard.sharded()) {
      std::optional<std::string> early = EarlyId(row);
      if (early && !options_.shard.Keeps(*early)) {
        a.id = std::move(*early);
        item.kind = ReadItem::Kind::kOtherShard;
        pending_.push_back(std::move(item));
        return;
      }
    }
    std::string own_id, body, date;
    for (size_t i = 0; i < row.cells.size(); ++i) {
      std::string_view cell = row.cells[i];
      switch (columns_[i]) {
        case Field::kNone:
          break;
        case Field::kId:
          own_id = parse::CleanText(cell);
          break;
        case Field::kTitle:
          a.title = parse::CleanText(parse::DecodeEntities(cell));
          break;
        case Field::kAuthors:
          for (std::string& s : SplitCell(cell, /*names=*/true)) {
            a.authors.push_back(std::move(s));
          }
          break;
        case Field::kDate:
          date = parse::CleanText(cell);
          break;
        case Field::kBody:
          if (!body.empty()) body += "\n\n";
          body += parse::DecodeEntities(cell);
          break;
        case Field::kSource:
          a.source = parse::CleanText(parse::DecodeEntities(cell));
          break;
        case Field::kUrl:
          a.url = parse::CleanText(cell);
          break;
        case Field::kThemes:
          for (std::string& s : SplitCell(cell, /*names=*/false)) {
            a.themes.push_back(std::move(s));
          }
          break;
        case Field::kRegions:
          for (std::string& s : SplitCell(cell, /*names=*/false)) {
            a.regions.push_back(std::move(s));
          }
          break;
        case Field::kLede:
          a.lede = parse::CleanText(parse::DecodeEntities(cell));
          break;
        case Field::kBio:
          a.bio = parse::CleanText(parse::DecodeEntities(cell));
          break;
      }
    }
    a.body = PlainTextBlocks(body);
    if (a.title.empty()) {
      a.title = TitleFromBody(parse::CleanText(body));
      if (a.title.empty()) {
        AddError(line,
                 "no title and no body: every row needs a title or a "
                 "body");
        return;
      }
    }
    if (!date.empty()) {
      std::string error;
      a.date = NormalizeDate(date, &error);
      if (a.date.empty()) {
        AddError(line, error);
        return;
      }
    }
    a.id = RecordId(own_id, a, "");
    item.kind = ReadItem::Kind::kArticle;
    pending_.push_back(std::move(item));
  }

  // Spreadsheet programs save CSV in the code page of the machine, on
  // Windows mostly Windows-1252: a field read that is not UTF-8 is read
  // as Windows-1252, with one note for the file at the first such field.
  void DecodeWindows1252(Row* row) {
    for (size_t i = 0; i < row->cells.size() && i < columns_.size(); ++i) {
      std::string& cell = row->cells[i];
      if (columns_[i] == Field::kNone ||
          simdjson::validate_utf8(cell.data(), cell.size())) {
        continue;
      }
      cell = FromWindows1252(cell);
      if (!noted_windows1252_) {
        noted_windows1252_ = true;
        AddNotice("not UTF-8 (first in line " + std::to_string(row->line + 1) +
                  ", field " + std::to_string(i + 1) +
                  "), read as Windows-1252 (Latin-1), as spreadsheet "
                  "programs save CSV; save it as UTF-8 if that is wrong");
      }
    }
  }

  void AddError(int line, std::string message) {
    ReadItem item;
    item.kind = ReadItem::Kind::kError;
    item.error = ParseError{options_.path, line, std::move(message)};
    pending_.push_back(std::move(item));
  }

  void AddNotice(const std::string& text) {
    ReadItem item;
    item.kind = ReadItem::Kind::kNotice;
    item.notice = options_.path + ": note: " + text;
    pending_.push_back(std::move(item));
  }

  std::unique_ptr<ByteStream> in_;
  const ReaderOptions options_;
  char delimiter_;
  bool started_ = false;
  bool done_ = false;
  int line_ = 0;  // newlines read so far (0-based line of the next byte)
  bool noted_windows1252_ = false;
  std::vector<Field> columns_;
  std::deque<ReadItem> pending_;
};

}  // namespace

std::unique_ptr<ArticleReader> OpenCsvReader(std::unique_ptr<ByteStream> in,
                                             const ReaderOptions& options,
                                             char delimiter) {
  return std::make_unique<CsvReader>(std::move(in), options, delimiter);
}

}  // namespace pundit::readers
