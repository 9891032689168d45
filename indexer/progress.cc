#include "indexer/progress.h"

#include <cmath>

namespace pundit::indexer {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
constexpr int kBarWidth = 20;

std::string Duration(double seconds) {
  long s = std::lround(seconds);
  if (s < 60) return std::to_string(s) + " s";
  if (s < 3600) {
    return std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
  }
  return std::to_string(s / 3600) + " h " + std::to_string(s % 3600 / 60) +
         " min";
}

}  // namespace

std::string WithThousands(long n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out = n < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

ProgressBar::ProgressBar(bool enabled, long total_files, std::FILE* out)
    : enabled_(enabled),
      total_files_(total_files),
      out_(out != nullptr ? out : stderr),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { Finish(); }

std::string ProgressBar::Render(long files_done, long total_files,
                                double articles_per_second,
                                double seconds_left) {
  int filled = total_files > 0
                   ? static_cast<int>(kBarWidth * files_done / total_files)
                   : 0;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kBarWidth - filled), '.');
  std::string text = WithThousands(files_done) + "/" +
                     WithThousands(total_files) + " files [" + bar + "]  " +
                     WithThousands(std::lround(articles_per_second)) +
                     " articles/s";
  if (seconds_left >= 0) text += "  " + Duration(seconds_left) + " left";
  return text;
}

void ProgressBar::Update(long files_done, long articles_done) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double rate = elapsed > 0 ? articles_done / elapsed : 0;
  double left = files_done > 0
                    ? elapsed * static_cast<double>(total_files_ - files_done) /
                          static_cast<double>(files_done)
                    : -1;
  std::string line =
      "\r" + Render(files_done, total_files_, rate, left) + "\033[K";
  std::fputs(line.c_str(), out_);
  std::fflush(out_);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (!drawn_) return;
  std::fputs("\r\033[K", out_);
  std::fflush(out_);
  drawn_ = false;
}

}  // namespace pundit::indexer
