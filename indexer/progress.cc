#include "indexer/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <system_error>

namespace pundit::indexer {
namespace {

constexpr int kBarWidth = 12;  // the length of the strings in Render
constexpr char kSpinner[] = "|/-\\";

std::string Duration(double seconds) {
  long s = std::lround(seconds);
  if (s < 60) return std::to_string(s) + " s";
  if (s < 3600) {
    return std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
  }
  return std::to_string(s / 3600) + " h " + std::to_string(s % 3600 / 60) +
         " min";
}

// Columns of the terminal `out` is, or 0 when unknown.
size_t TerminalColumns(std::FILE* out) {
  struct winsize ws;
  if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    return ws.ws_col;
  }
  return 0;
}

// `text` cut to at most `columns` characters (counted as UTF-8 sequences).
std::string CutToColumns(const std::string& text, size_t columns) {
  return text.substr(0, Utf8ByteOfChar(text, columns));
}

}  // namespace

std::chrono::milliseconds ProgressIntervalFromEnv(const char* value) {
  if (value == nullptr || *value == '\0') return ProgressBar::kDefaultInterval;
  char* end = nullptr;
  errno = 0;
  long ms = std::strtol(value, &end, 10);
  if (errno != 0 || *end != '\0' || ms < 0) {
    return ProgressBar::kDefaultInterval;
  }
  return std::chrono::milliseconds(ms);
}

ProgressBar::ProgressBar(const Options& options)
    : options_{options.enabled, options.total_bytes,
               options.out != nullptr ? options.out : stderr,
               std::max(options.interval, std::chrono::milliseconds(0))},
      start_(std::chrono::steady_clock::now()),
      phase_start_(start_) {
  if (!options_.enabled) return;
  {
    // Drawn at once, so even a run shorter than the interval shows it.
    MutexLock lock(&mu_);
    DrawLocked();
  }
  try {
    thread_ = std::thread([this] { Loop(); });
  } catch (const std::system_error&) {
    // No thread to spare: the bar is drawn only when the phase changes.
  }
}

ProgressBar::~ProgressBar() { Finish(); }

std::string ProgressBar::Render(const State& s) {
  // With nothing to read (every file unchanged), a phase means the input
  // is done.
  double fraction = s.phase.empty() ? 0.0 : 1.0;
  if (s.total_bytes > 0) {
    fraction = std::min(1.0, static_cast<double>(s.bytes_done) /
                                 static_cast<double>(s.total_bytes));
  }
  const int filled =
      std::clamp(static_cast<int>(kBarWidth * fraction), 0, kBarWidth);
  char head[64];
  std::snprintf(head, sizeof head, "[%.*s%.*s] %3d%%", filled, "############",
                kBarWidth - filled, "............",
                static_cast<int>(std::floor(fraction * 100)));
  std::string text = head;
  text += "  " + WithThousands(s.articles) + " articles";
  if (!s.phase.empty()) {
    text += "  " + s.phase + "  " + Duration(s.phase_seconds) + " " +
            kSpinner[s.tick % 4];
    return text;
  }
  double rate = s.seconds > 0 ? static_cast<double>(s.articles) / s.seconds : 0;
  text += "  " + WithThousands(std::lround(rate)) + " articles/s";
  if (s.bytes_done > 0 && s.total_bytes >= s.bytes_done) {
    double left = s.seconds *
                  static_cast<double>(s.total_bytes - s.bytes_done) /
                  static_cast<double>(s.bytes_done);
    text += "  " + Duration(left) + " left";
  }
  return text;
}

void ProgressBar::Update(long articles_done, uint64_t bytes_done) {
  if (!options_.enabled) return;
  MutexLock lock(&mu_);
  articles_ = std::max(articles_, articles_done);
  bytes_done_ = std::max(bytes_done_, bytes_done);
}

void ProgressBar::SetPhase(const std::string& phase) {
  if (!options_.enabled) return;
  MutexLock lock(&mu_);
  if (stop_) return;
  // Steps of one phase ("merging 9 databases", then "merging 9
  // databases: postlist") keep its clock.
  if (phase.substr(0, phase.find(':')) != phase_.substr(0, phase_.find(':'))) {
    phase_start_ = std::chrono::steady_clock::now();
  }
  phase_ = phase;
  DrawLocked();
}

void ProgressBar::Finish() {
  if (!options_.enabled) return;
  {
    MutexLock lock(&mu_);
    stop_ = true;
  }
  cv_.SignalAll();
  if (thread_.joinable()) thread_.join();
  MutexLock lock(&mu_);
  if (!drawn_) return;
  std::fputs("\r\033[K", options_.out);
  std::fflush(options_.out);
  drawn_ = false;
}

void ProgressBar::Loop() {
  const auto interval =
      std::max(options_.interval, std::chrono::milliseconds(1));
  MutexLock lock(&mu_);
  for (;;) {
    const auto deadline = std::chrono::steady_clock::now() + interval;
    while (!stop_ && cv_.WaitUntil(&mu_, deadline)) {
    }
    if (stop_) return;
    // Nothing may leave a thread's function (std::terminate): a line that
    // cannot be made (out of memory) ends the redrawing, not the run.
    try {
      DrawLocked();
    } catch (...) {
      return;
    }
  }
}

void ProgressBar::DrawLocked() {
  auto now = std::chrono::steady_clock::now();
  State state;
  state.articles = articles_;
  state.bytes_done = bytes_done_;
  state.total_bytes = options_.total_bytes;
  state.seconds = std::chrono::duration<double>(now - start_).count();
  state.phase = phase_;
  state.phase_seconds =
      std::chrono::duration<double>(now - phase_start_).count();
  state.tick = tick_++;
  std::string text = Render(state);
  if (size_t columns = TerminalColumns(options_.out); columns > 1) {
    text = CutToColumns(text, columns - 1);
  }
  std::string line = "\r" + text + "\033[K";
  std::fputs(line.c_str(), options_.out);
  std::fflush(options_.out);
  drawn_ = true;
}

}  // namespace pundit::indexer
