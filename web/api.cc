#include "web/api.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <string_view>

#include "web/api_util.h"

namespace pundit::api {
namespace {

// Page numbers beyond this are refused, so that (page - 1) * per_page always
// fits an int.
constexpr int kMaxPage = 100000;

constexpr std::string_view kFacetNames[] = {"author", "region", "theme",
                                            "source", "year"};

Status ParseDateParam(std::string_view name, const std::string& text,
                      std::string* out) {
  if (text.empty()) return Status::Ok();
  if (!IsValidIsoDate(text)) {
    return Status::InvalidArgument(std::string(name) +
                                   " must be a date as YYYY-MM-DD, got " +
                                   QuoteForMessage(text));
  }
  *out = text;
  return Status::Ok();
}

}  // namespace

Result<SearchRequest> ParseSearchParams(const Params& params) {
  for (const auto& [name, value] : params) {
    if (!IsValidUtf8(value)) {
      return Status::InvalidArgument(
          name +
          " is not valid UTF-8; percent-encode the UTF-8 bytes of "
          "the text");
    }
  }
  SearchRequest request;
  Status error;
  std::string q = SingleParam(params, "q", &error);
  std::string from = SingleParam(params, "from", &error);
  std::string to = SingleParam(params, "to", &error);
  std::string sort = SingleParam(params, "sort", &error);
  std::string page = SingleParam(params, "page", &error);
  std::string per_page = SingleParam(params, "per_page", &error);
  std::string op = SingleParam(params, "op", &error);
  std::string facet_limit = SingleParam(params, "facet_limit", &error);
  std::string as_typed = SingleParam(params, "as_typed", &error);
  std::string collapse = SingleParam(params, "collapse", &error);
  if (!error.ok()) return error;
  if (as_typed == "1") {
    request.correct_zero_hits = false;
  } else if (!as_typed.empty() && as_typed != "0") {
    return Status::InvalidArgument("as_typed must be 0 or 1, got " +
                                   QuoteForMessage(as_typed));
  }

  if (q.size() > kMaxQueryLength) {
    return Status::InvalidArgument(
        "q must be at most " + std::to_string(kMaxQueryLength) +
        " bytes long, got " + std::to_string(q.size()));
  }
  request.q = q;

  for (std::string_view facet : kFacetNames) {
    auto [begin, end] = params.equal_range(std::string(facet));
    for (auto it = begin; it != end; ++it) {
      const std::string& value = it->second;
      if (value.empty()) continue;  // an empty form field: no filter
      if (value.size() > kMaxFacetValueLength) {
        return Status::InvalidArgument(
            std::string(facet) + " values must be at most " +
            std::to_string(kMaxFacetValueLength) + " bytes long, got " +
            std::to_string(value.size()));
      }
      if (facet == "year" && !IsYear(value)) {
        return Status::InvalidArgument(
            "year must be a year of 4 digits such as 2019, got " +
            QuoteForMessage(value));
      }
      std::vector<std::string>& values = request.filters[std::string(facet)];
      if (std::find(values.begin(), values.end(), value) == values.end()) {
        values.push_back(value);
      }
    }
  }

  if (Status s = ParseDateParam("from", from, &request.from); !s.ok()) return s;
  if (Status s = ParseDateParam("to", to, &request.to); !s.ok()) return s;
  if (!request.from.empty() && !request.to.empty() &&
      request.from > request.to) {
    return Status::InvalidArgument("from (" + request.from + ") is after to (" +
                                   request.to + "); swap them");
  }

  if (sort.empty() || sort == "relevance") {
    request.sort = SortOrder::kRelevance;
  } else if (sort == "newest") {
    request.sort = SortOrder::kNewest;
  } else if (sort == "oldest") {
    request.sort = SortOrder::kOldest;
  } else {
    return Status::InvalidArgument(
        "sort must be relevance, newest or oldest, got " +
        QuoteForMessage(sort));
  }

  if (op.empty() || op == "and") {
    request.op = DefaultOp::kAnd;
  } else if (op == "or") {
    request.op = DefaultOp::kOr;
  } else {
    return Status::InvalidArgument("op must be and or or, got " +
                                   QuoteForMessage(op));
  }

  if (collapse.empty() || collapse == "group") {
    request.collapse = true;
  } else if (collapse == "none") {
    request.collapse = false;
  } else {
    return Status::InvalidArgument(
        "collapse must be group (the default: one hit per group of copies) "
        "or none (every copy), got " +
        QuoteForMessage(collapse));
  }

  if (Status s = ParseIntParam("page", page, 1, kMaxPage, &request.page);
      !s.ok()) {
    return s;
  }
  if (Status s = ParseIntParam("per_page", per_page, 1, kMaxPerPage,
                               &request.per_page);
      !s.ok()) {
    return s;
  }
  if (Status s = ParseIntParam("facet_limit", facet_limit, 0, kMaxFacetLimit,
                               &request.facet_limit);
      !s.ok()) {
    return s;
  }
  return request;
}

nlohmann::json ErrorToJson(const Status& status) {
  return {{"error",
           {{"code", Status::CodeName(status.code())},
            {"message", status.message()}}}};
}

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk:
      return 200;
    case Status::Code::kInvalidArgument:
      return 400;
    case Status::Code::kNotFound:
      return 404;
    case Status::Code::kCorruption:
    case Status::Code::kIoError:
    case Status::Code::kLocked:
    case Status::Code::kVersionMismatch:
    case Status::Code::kBusy:
    case Status::Code::kUnavailable:
      return 503;
    case Status::Code::kInternal:
      return 500;
  }
  return 500;
}

}  // namespace pundit::api
