#include "web/research_api.h"

#include <utility>

#include "web/api_util.h"

namespace pundit::api {
namespace {

// `params` without the parameters named in `names`.
Params Without(const Params& params,
               std::initializer_list<std::string_view> names) {
  Params out;
  for (const auto& [name, value] : params) {
    bool drop = false;
    for (std::string_view n : names) drop = drop || name == n;
    if (!drop) out.emplace(name, value);
  }
  return out;
}

}  // namespace

Result<ExportParams> ParseExportParams(const Params& params) {
  Status error;
  const std::string format = SingleParam(params, "format", &error);
  const std::string text = SingleParam(params, "text", &error);
  const std::string context = SingleParam(params, "context", &error);
  const std::string limit = SingleParam(params, "limit", &error);
  if (!error.ok()) return error;
  ExportParams out;
  if (Status s = ParseIntParam("context", context, 0, kMaxExportContext,
                               &out.options.context);
      !s.ok()) {
    return s;
  }
  if (Status s =
          ParseIntParam("limit", limit, 0, kMaxExportLimit, &out.options.limit);
      !s.ok()) {
    return s;
  }
  if (text == "1") {
    out.options.text = true;
  } else if (!text.empty() && text != "0") {
    return Status::InvalidArgument("text must be 0 or 1, got " +
                                   QuoteForMessage(text));
  }
  if (!format.empty()) {
    std::optional<ExportFormat> f = ParseExportFormat(format);
    if (!f) {
      return Status::InvalidArgument("format must be csv or jsonl, got " +
                                     QuoteForMessage(format));
    }
    out.format = *f;
  }
  Result<SearchRequest> search = ParseSearchParams(
      Without(params, {"format", "text", "context", "limit"}));
  if (!search.ok()) return search.status();
  out.search = std::move(*search);
  if (Status s = Searcher::ValidateExport(out.search, out.options); !s.ok()) {
    return s;
  }
  return out;
}

std::string ExportDisposition(ExportFormat format) {
  return format == ExportFormat::kCsv
             ? "attachment; filename=\"pundit-export.csv\""
             : "attachment; filename=\"pundit-export.jsonl\"";
}

std::string ExportContentType(ExportFormat format) {
  return format == ExportFormat::kCsv ? "text/csv; charset=utf-8"
                                      : "application/x-ndjson; charset=utf-8";
}

Result<AttentionParams> ParseAttentionParams(const Params& params) {
  Status error;
  const std::string interval = SingleParam(params, "interval", &error);
  const std::string format = SingleParam(params, "format", &error);
  const std::string dedup = SingleParam(params, "dedup", &error);
  if (!error.ok()) return error;
  AttentionParams out;
  if (dedup == "1") {
    out.request.dedup = true;
  } else if (!dedup.empty() && dedup != "0") {
    return Status::InvalidArgument("dedup must be 0 or 1, got " +
                                   QuoteForMessage(dedup));
  }
  if (!interval.empty()) {
    std::optional<Interval> i = ParseInterval(interval);
    if (!i) {
      return Status::InvalidArgument(
          "interval must be day, week, month or year, got " +
          QuoteForMessage(interval));
    }
    out.request.interval = *i;
  }
  if (format == "csv") {
    out.csv = true;
  } else if (!format.empty() && format != "json") {
    return Status::InvalidArgument("format must be json or csv, got " +
                                   QuoteForMessage(format));
  }
  auto [begin, end] = params.equal_range("q");
  for (auto it = begin; it != end; ++it) {
    if (it->second.find_first_not_of(' ') == std::string::npos) continue;
    if (!IsValidUtf8(it->second)) {
      return Status::InvalidArgument(
          "q is not valid UTF-8; percent-encode the UTF-8 bytes of the text");
    }
    if (it->second.size() > kMaxQueryLength) {
      return Status::InvalidArgument(
          "q must be at most " + std::to_string(kMaxQueryLength) +
          " bytes long, got " + std::to_string(it->second.size()));
    }
    out.request.queries.push_back(it->second);
  }
  if (out.request.queries.empty() ||
      out.request.queries.size() > kMaxAttentionQueries) {
    return Status::InvalidArgument(
        "give 1 to " + std::to_string(kMaxAttentionQueries) +
        " queries as q=..., got " + std::to_string(out.request.queries.size()));
  }
  Result<SearchRequest> scope = ParseSearchParams(
      Without(params, {"q", "interval", "format", "dedup", "page", "per_page",
                       "sort", "facet_limit"}));
  if (!scope.ok()) return scope.status();
  out.request.scope = std::move(*scope);
  return out;
}

}  // namespace pundit::api
