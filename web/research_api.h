// The query parameters of GET /api/export and GET /api/attention (and of
// the compare page, which takes those of attention), read into what the
// searcher takes. docs/API.md documents each parameter.
//
// All functions are pure and thread-safe.
#ifndef PUNDIT_WEB_RESEARCH_API_H_
#define PUNDIT_WEB_RESEARCH_API_H_

#include <string>

#include "core/status.h"
#include "searcher/research.h"
#include "searcher/research_format.h"
#include "searcher/searcher.h"
#include "web/api.h"

namespace pundit::api {

struct ExportParams {
  SearchRequest search;  // as for /api/search; page and per_page unused
  ExportFormat format = ExportFormat::kCsv;
  ExportOptions options;  // text=1, context=N, limit=N
};

// The /api/search parameters (ParseSearchParams) plus format=csv|jsonl
// (default csv), text=0|1 (default 0) and context=0..kMaxExportContext
// (default 0: one row per article; else one per match with that many words
// either side) and limit=0..kMaxExportLimit (default 0: every match; else
// the first N articles). kInvalidArgument naming the parameter, and what
// Searcher::ValidateExport refuses.
Result<ExportParams> ParseExportParams(const Params& params);

// "attachment; filename=\"pundit-export.csv\"" (or .jsonl), the
// Content-Disposition of an export.
std::string ExportDisposition(ExportFormat format);
// "text/csv; charset=utf-8" or "application/x-ndjson; charset=utf-8".
std::string ExportContentType(ExportFormat format);

struct AttentionParams {
  AttentionRequest request;
  bool csv = false;  // format=csv, else JSON
};

// q (repeatable: 1 to kMaxAttentionQueries queries, each non-empty after
// trimming spaces), interval=day|week|month|year (default month), the
// filters of /api/search (author, region, theme, source, year, from, to,
// op), format=json|csv (default json). kInvalidArgument naming the
// parameter: "give 1 to 10 queries as q=..., got 11".
Result<AttentionParams> ParseAttentionParams(const Params& params);

}  // namespace pundit::api

#endif  // PUNDIT_WEB_RESEARCH_API_H_
