// ProgressBar: the one-line progress display of `pundit index` on stderr.
// While files are read and indexed:
//   "[####........]  35%  12,345 articles  803 articles/s  1 min 2 s left"
// where the bar, the percentage and the time left come from the bytes of
// input done (a single 1 GB JSON Lines file moves the bar as its lines are
// written, not when the file is over; in a full run, as the shard threads
// turn them into documents); during a named phase such as the final merge
// of a full run (indexer::ShardBuild::Finish):
//   "[############] 100%  31,410 articles  merging 9 databases  14 s /"
// with the phase's elapsed time and a turning spinner, so a long merge never
// looks frozen.
//
// The line is drawn when the bar is created, then redrawn in place ('\r',
// then "\033[K" to clear what is left of the previous one) every `interval`
// by a thread of the bar's own, whether or not Update was called, and at
// once when the phase changes; it is cut to the terminal's width. Finish()
// erases it. A bar whose thread cannot be started (no thread to spare), or
// whose line cannot be made on it (out of memory), is redrawn only when the
// phase changes: it never fails the run. A disabled bar starts no thread and
// writes nothing at all, ever: the caller enables it only when `out` is a
// terminal (cli/main.cc: stderr is a tty and --json is not given).
//
// Redraw interval: kDefaultInterval. `pundit index` takes another from the
// environment variable PUNDIT_PROGRESS_INTERVAL_MS (milliseconds, 0 = as
// often as possible, about every millisecond), a hook for tests that must
// see the bar drawn, or prove it absent, within a short run.
//
// Thread-safe: Update and SetPhase may be called from any thread (the
// indexer's writer thread and, in a full run, the shard threads of
// indexer::ShardBuild as they commit documents). Finish and the destructor
// must not race with other calls.
#ifndef PUNDIT_INDEXER_PROGRESS_H_
#define PUNDIT_INDEXER_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>

#include "core/mutex.h"
#include "core/text.h"

namespace pundit::indexer {

class ProgressBar {
 public:
  static constexpr std::chrono::milliseconds kDefaultInterval{100};

  struct Options {
    bool enabled = false;      // false: print nothing, start no thread
    uint64_t total_bytes = 0;  // input bytes the run will read
    std::FILE* out = nullptr;  // not owned; stderr when null
    std::chrono::milliseconds interval = kDefaultInterval;  // between redraws
  };

  // What one line shows (see Render).
  struct State {
    long articles = 0;         // articles done
    uint64_t bytes_done = 0;   // input bytes done
    uint64_t total_bytes = 0;  // input bytes in all
    double seconds = 0;        // since the bar was created
    std::string phase;         // "" while indexing, else e.g. "merging ..."
    double phase_seconds = 0;  // since the phase began
    unsigned tick = 0;         // redraw count, turns the phase's spinner
  };

  explicit ProgressBar(const Options& options);
  ~ProgressBar();  // Finish()
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Records progress (totals so far, not increments; a total smaller than
  // one already recorded is ignored, as reports from several threads may
  // arrive out of order). Never draws: the bar's thread does, at the next
  // interval.
  void Update(long articles_done, uint64_t bytes_done) EXCLUDES(mu_);

  // Starts a named phase ("" = back to plain progress) and redraws at once.
  void SetPhase(const std::string& phase) EXCLUDES(mu_);

  // Stops the thread and erases the line if one was drawn. Idempotent.
  void Finish() EXCLUDES(mu_);

  // The text of the bar for `state`, without '\r' or escape codes.
  static std::string Render(const State& state);

 private:
  void Loop() EXCLUDES(mu_);
  void DrawLocked() REQUIRES(mu_);

  const Options options_;
  const std::chrono::steady_clock::time_point start_;
  Mutex mu_;
  CondVar cv_;
  bool stop_ GUARDED_BY(mu_) = false;
  bool drawn_ GUARDED_BY(mu_) = false;
  long articles_ GUARDED_BY(mu_) = 0;
  uint64_t bytes_done_ GUARDED_BY(mu_) = 0;
  std::string phase_ GUARDED_BY(mu_);
  std::chrono::steady_clock::time_point phase_start_ GUARDED_BY(mu_);
  unsigned tick_ GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

// "1,234,567": n with thousands separators.
using ::pundit::WithThousands;  // core/text.h

// The redraw interval PUNDIT_PROGRESS_INTERVAL_MS asks for (an integer of
// milliseconds, 0 or more), or kDefaultInterval when it is unset or not
// such a number.
std::chrono::milliseconds ProgressIntervalFromEnv(const char* value);

}  // namespace pundit::indexer

#endif  // PUNDIT_INDEXER_PROGRESS_H_
