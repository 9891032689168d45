// libFuzzer target: the query language. Each input is a query run through
// Searcher::Search over a small index of tests/testdata built once at start.
// A query must never crash or fail: syntax errors are searched as plain words
// (kInvalidArgument is allowed only for over-long queries).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "indexer/indexer.h"
#include "searcher/searcher.h"

namespace {
std::unique_ptr<pundit::Searcher> g_searcher;
std::string g_dir;

// libFuzzer ends a run with exit(): the index goes with it.
void RemoveIndex() {
  std::error_code ec;
  std::filesystem::remove_all(g_dir, ec);
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_dir = std::filesystem::temp_directory_path() /
          ("pundit-fuzz-query-" + std::to_string(getpid()));
  const std::string& dir = g_dir;
  std::atexit(RemoveIndex);
  pundit::IndexerOptions options;
  options.db_dir = dir;
  options.inputs = {std::string(PUNDIT_SOURCE_DIR) + "/corpus"};
  options.full = true;
  options.jobs = 1;
  auto summary = pundit::RunIndex(options);
  if (!summary.ok()) std::abort();
  auto searcher = pundit::Searcher::Open(pundit::SearcherOptions{dir});
  if (!searcher.ok()) std::abort();
  g_searcher = std::move(*searcher);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pundit::SearchRequest request;
  request.q.assign(reinterpret_cast<const char*>(data), size);
  request.op = size % 2 ? pundit::DefaultOp::kOr : pundit::DefaultOp::kAnd;
  auto response = g_searcher->Search(request);
  // The only errors allowed: a query over the length or word limits.
  if (!response.ok() &&
      (response.status().code() != pundit::Status::Code::kInvalidArgument ||
       (request.q.size() <= pundit::kMaxQueryLength &&
        response.status().message().find(" words; ") == std::string::npos))) {
    std::abort();
  }
  return 0;
}
