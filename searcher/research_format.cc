#include "searcher/research_format.h"

#include <cmath>
#include <cstdio>
#include <vector>

namespace pundit::api {
namespace {

// Appends `field` as one CSV field, quoted when it must be.
void AppendCsvField(std::string_view field, std::string* out) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

std::string Joined(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) {
    if (!out.empty()) out += "; ";
    out += v;
  }
  return out;
}

// `value` with at most `digits` decimals, no trailing zeros ("1.25", "0").
std::string Decimal(double value, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, value);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

double Round(double value, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

nlohmann::json StringOrNull(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

}  // namespace

std::optional<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "jsonl") return ExportFormat::kJsonl;
  return std::nullopt;
}

std::string ExportCsvHeader(const ExportOptions& options) {
  std::string header = "id,title,authors,date,regions,themes,source,url,score";
  if (options.text) header += ",text";
  if (options.context > 0) header += ",left,match,right";
  return header + "\r\n";
}

void AppendExportCsv(const Hit& hit, const ExportOptions& options,
                     std::string* out) {
  std::string fields;
  for (const std::string& field :
       {hit.id, hit.title, Joined(hit.authors), hit.date, Joined(hit.regions),
        Joined(hit.themes), hit.source, hit.url}) {
    AppendCsvField(field, &fields);
    fields.push_back(',');
  }
  fields.append(Decimal(hit.score, 4));
  if (options.text) {
    fields.push_back(',');
    AppendCsvField(hit.text, &fields);
  }
  if (options.context <= 0) {
    out->append(fields);
    out->append("\r\n");
    return;
  }
  for (const InContext& m : hit.in_context) {
    out->append(fields);
    for (const std::string* part : {&m.left, &m.match, &m.right}) {
      out->push_back(',');
      AppendCsvField(*part, out);
    }
    out->append("\r\n");
  }
}

void AppendExportJsonl(const Hit& hit, const ExportOptions& options,
                       std::string* out) {
  nlohmann::json row = {
      {"id", hit.id},
      {"title", StringOrNull(hit.title)},
      {"authors", hit.authors},
      {"date", StringOrNull(hit.date)},
      {"regions", hit.regions},
      {"themes", hit.themes},
      {"source", StringOrNull(hit.source)},
      {"url", StringOrNull(hit.url)},
      {"score", Round(hit.score, 4)},
  };
  if (options.text) row["text"] = hit.text;
  auto append = [out](const nlohmann::json& object) {
    out->append(
        object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    out->push_back('\n');
  };
  if (options.context <= 0) return append(row);
  for (const InContext& m : hit.in_context) {
    row["left"] = m.left;
    row["match"] = m.match;
    row["right"] = m.right;
    append(row);
  }
}

std::string ExportStart(ExportFormat format, const ExportOptions& options) {
  return format == ExportFormat::kCsv ? ExportCsvHeader(options) : "";
}

void AppendExportRows(const std::vector<Hit>& batch, ExportFormat format,
                      const ExportOptions& options, std::string* out) {
  for (const Hit& hit : batch) {
    if (format == ExportFormat::kCsv) {
      AppendExportCsv(hit, options, out);
    } else {
      AppendExportJsonl(hit, options, out);
    }
  }
}

nlohmann::json AttentionToJson(const AttentionResponse& response) {
  nlohmann::json series = nlohmann::json::array();
  for (const AttentionSeries& s : response.series) {
    nlohmann::json buckets = nlohmann::json::array();
    for (const AttentionBucket& b : s.buckets) {
      buckets.push_back({{"key", b.key},
                         {"count", b.count},
                         {"all", b.all},
                         {"share", Round(b.share, 6)}});
    }
    series.push_back(
        {{"q", s.q}, {"total", s.total}, {"buckets", std::move(buckets)}});
  }
  return {{"interval", std::string(IntervalName(response.interval))},
          {"series", std::move(series)}};
}

std::string AttentionToCsv(const AttentionResponse& response) {
  std::string out = "q,key,count,all,share\r\n";
  for (const AttentionSeries& s : response.series) {
    for (const AttentionBucket& b : s.buckets) {
      AppendCsvField(s.q, &out);
      out += ',' + b.key + ',' + std::to_string(b.count) + ',' +
             std::to_string(b.all) + ',' + Decimal(b.share, 6) + "\r\n";
    }
  }
  return out;
}

}  // namespace pundit::api
