#include "web/attention_chart.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "core/html.h"

namespace pundit {
namespace {

constexpr int kWidth = 800, kHeight = 320;
constexpr int kLeft = 56, kRight = 16, kTop = 16, kBottom = 40;

// Colour-blind-safe categorical palette (Tableau 10).
constexpr const char* kPalette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
                                    "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                                    "#9c755f", "#bab0ac"};

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// `v` as an axis label: a count, or a share as a percentage.
std::string AxisLabel(double v, bool share) {
  char buf[32];
  if (share) {
    std::snprintf(buf, sizeof buf, "%.3g%%", 100 * v);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  }
  return buf;
}

void Text(std::string* out, double x, double y, std::string_view anchor,
          const std::string& text) {
  *out += "<text x=\"" + Num(x) + "\" y=\"" + Num(y) +
          "\" font-size=\"12\" fill=\"currentColor\" text-anchor=\"" +
          std::string(anchor) + "\">" + EscapeHtml(text) + "</text>";
}

}  // namespace

const char* SeriesColour(size_t i) { return kPalette[i % std::size(kPalette)]; }

std::string AttentionSvg(const AttentionResponse& r, bool share) {
  std::string out =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"attention-chart\" "
      "viewBox=\"0 0 " +
      std::to_string(kWidth) + " " + std::to_string(kHeight) +
      "\" role=\"img\" aria-label=\"" +
      std::string(share ? "Share" : "Number") + " of articles per " +
      std::string(IntervalName(r.interval)) + "\">";
  const size_t n = r.series.empty() ? 0 : r.series[0].buckets.size();
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = kHeight - kTop - kBottom;
  if (n == 0) {
    Text(&out, kWidth / 2.0, kHeight / 2.0, "middle", "No dated articles");
    return out + "</svg>";
  }
  double max = 0;
  for (const AttentionSeries& s : r.series) {
    for (const AttentionBucket& b : s.buckets) {
      max = std::max(max, share ? b.share : static_cast<double>(b.count));
    }
  }
  if (max <= 0) max = share ? 0.01 : 1;
  auto x_of = [&](size_t i) {
    return kLeft + (n == 1 ? plot_w / 2 : plot_w * i / (n - 1));
  };
  auto y_of = [&](double v) { return kTop + plot_h * (1 - v / max); };

  // Axes, a grid line at half and full height, and their labels.
  out += "<g stroke=\"currentColor\" stroke-opacity=\"0.25\">";
  for (double f : {0.0, 0.5, 1.0}) {
    out += "<line x1=\"" + Num(kLeft) + "\" x2=\"" + Num(kLeft + plot_w) +
           "\" y1=\"" + Num(y_of(max * f)) + "\" y2=\"" + Num(y_of(max * f)) +
           "\"/>";
  }
  out += "</g>";
  for (double f : {0.0, 0.5, 1.0}) {
    Text(&out, kLeft - 6, y_of(max * f) + 4, "end", AxisLabel(max * f, share));
  }
  const std::vector<AttentionBucket>& keys = r.series[0].buckets;
  std::vector<size_t> ticks{0};
  if (n > 2) ticks.push_back(n / 2);
  if (n > 1) ticks.push_back(n - 1);
  for (size_t i : ticks) {
    Text(&out, x_of(i), kHeight - kBottom + 18,
         i == 0       ? "start"
         : i + 1 == n ? "end"
                      : "middle",
         keys[i].key);
  }

  // One line per series, and a point per period with its values on hover.
  const bool points = n <= 400;
  for (size_t s = 0; s < r.series.size(); ++s) {
    const AttentionSeries& series = r.series[s];
    const std::string colour = SeriesColour(s);
    out += "<g class=\"series\" data-series=\"" + std::to_string(s) + "\">";
    out += "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" + colour +
           "\" points=\"";
    for (size_t i = 0; i < series.buckets.size(); ++i) {
      const AttentionBucket& b = series.buckets[i];
      if (i) out += ' ';
      out += Num(x_of(i)) + "," +
             Num(y_of(share ? b.share : static_cast<double>(b.count)));
    }
    out += "\"/>";
    if (points) {
      for (size_t i = 0; i < series.buckets.size(); ++i) {
        const AttentionBucket& b = series.buckets[i];
        char share_text[32];
        std::snprintf(share_text, sizeof share_text, "%.2f%%", 100 * b.share);
        out += "<circle r=\"3\" fill=\"" + colour + "\" cx=\"" + Num(x_of(i)) +
               "\" cy=\"" +
               Num(y_of(share ? b.share : static_cast<double>(b.count))) +
               "\"><title>" +
               EscapeHtml(series.q + " · " + b.key + ": " +
                          std::to_string(b.count) + " of " +
                          std::to_string(b.all) + " (" + share_text + ")") +
               "</title></circle>";
      }
    }
    out += "</g>";
  }
  return out + "</svg>";
}

}  // namespace pundit
