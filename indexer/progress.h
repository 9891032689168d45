// ProgressBar: the one-line progress display of `pundit index` on stderr:
//   "  120/1,000 files [###.......]  803 articles/s  12 s left"
// redrawn in place with '\r' at most 10 times a second and erased by
// Finish(). A disabled bar (stderr not a terminal) prints nothing.
//
// Not thread-safe: owned and updated by the indexer's writer thread.
#ifndef PUNDIT_INDEXER_PROGRESS_H_
#define PUNDIT_INDEXER_PROGRESS_H_

#include <chrono>
#include <cstdio>
#include <string>

namespace pundit::indexer {

class ProgressBar {
 public:
  // `out` is not owned; stderr when null.
  ProgressBar(bool enabled, long total_files, std::FILE* out = nullptr);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Records progress; redraws when 100 ms have passed since the last draw.
  void Update(long files_done, long articles_done);
  // Erases the bar (once; the destructor calls it too).
  void Finish();

  // The text of the bar, without '\r' (for tests).
  static std::string Render(long files_done, long total_files,
                            double articles_per_second, double seconds_left);

 private:
  bool enabled_;
  bool drawn_ = false;
  long total_files_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

// "1,234,567": n with thousands separators.
std::string WithThousands(long n);

}  // namespace pundit::indexer

#endif  // PUNDIT_INDEXER_PROGRESS_H_
