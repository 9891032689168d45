// The export and attention answers as text: CSV (RFC 4180), JSON Lines and
// JSON, in the shapes docs/API.md documents. GET /api/export and
// /api/attention (web/server.cc) send them, and `pundit export` and
// `pundit attention` print them, so the command line and the HTTP API
// always agree.
//
// Export CSV columns: id,title,authors,date,regions,themes,source,url,score,
// then text when asked for (the article's text, Hit::text); several
// authors, regions or themes are joined with "; ". With a context
// (ExportOptions::context) a row is one match, not one article: the
// article's columns, then left,match,right (Hit::in_context), an article
// giving as many rows as it holds matches and none when it holds none. A field
// holding a comma, a double quote, CR or LF is quoted, its quotes doubled. Rows
// end with CRLF (RFC 4180); line ends inside a text stay LF. Scores are rounded
// to 4 decimals.
//
// All functions are pure and thread-safe.
#ifndef PUNDIT_SEARCHER_RESEARCH_FORMAT_H_
#define PUNDIT_SEARCHER_RESEARCH_FORMAT_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "searcher/research.h"
#include "searcher/searcher.h"

namespace pundit::api {

enum class ExportFormat { kCsv, kJsonl };

// "csv" or "jsonl"; nullopt for anything else.
std::optional<ExportFormat> ParseExportFormat(std::string_view name);

// The CSV header line, CRLF included: the article's columns, then `text`
// when options.text, then `left,match,right` when options.context.
std::string ExportCsvHeader(const ExportOptions& options);
// Appends `hit` to *out as one CSV row (CRLF included), its text after
// the score when options.text; with options.context, one such row per
// match (Hit::in_context), its left, match and right last.
void AppendExportCsv(const Hit& hit, const ExportOptions& options,
                     std::string* out);
// Appends `hit` to *out as one JSON object and "\n": id, title, authors,
// date, regions, themes, source, url, score (absent strings null), and
// text (a string, "" for an article without one) when options.text; with
// options.context, one such object per match, with left, match and right.
void AppendExportJsonl(const Hit& hit, const ExportOptions& options,
                       std::string* out);

// What an export in `format` starts with: the CSV header, or nothing.
std::string ExportStart(ExportFormat format, const ExportOptions& options);
// Appends every hit of `batch` to *out as rows of `format`.
void AppendExportRows(const std::vector<Hit>& batch, ExportFormat format,
                      const ExportOptions& options, std::string* out);

// {"interval": "month", "series": [{"q", "total", "buckets": [{"key",
// "count", "all", "share"}]}]}; share rounded to 6 decimals.
nlohmann::json AttentionToJson(const AttentionResponse& response);
// CSV with header `q,key,count,all,share`: one row per query and period,
// the periods of the first query first.
std::string AttentionToCsv(const AttentionResponse& response);

}  // namespace pundit::api

#endif  // PUNDIT_SEARCHER_RESEARCH_FORMAT_H_
