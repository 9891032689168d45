// copy_signatures: the per-article cost of the syndicated-copy signature
// (core/dedup.h, Signature) on real inputs, apart from the rest of a build.
//
//   copy_signatures FILE [--limit N]
//
// Reads the articles of FILE (any input format pundit indexes) with pundit's
// readers, up to N (default 20,000), then computes each one's signature on
// one thread, timed alone. Prints one JSON line: {"articles", "seconds"
// (wall), "cpu_seconds", "us_per_article" (CPU), "with_signature"}. The cost of
// a build is the per-article time times the articles, spread over the parse
// threads.
#include <chrono>
#include <ctime>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "core/dedup.h"
#include "core/readers/formats.h"
#include "nlohmann/json.hpp"

namespace {

constexpr char kUsage[] = "usage: copy_signatures FILE [--limit N]";

int Run(const std::vector<std::string>& args) {
  if (args.size() < 2) throw pundit::bench::BenchError(kUsage);
  int limit = 20000;
  pundit::bench::OptionTable().Int("--limit", &limit).Parse(args, 2, kUsage);
  pundit::Result<pundit::readers::OpenedInput> in =
      pundit::readers::OpenInput(args[1], nullptr, {});
  if (!in.ok()) throw pundit::bench::BenchError(in.status().ToString());
  if (!in->reader) throw pundit::bench::BenchError(in->passed_over);
  std::vector<pundit::Article> articles;
  pundit::readers::ReadItem item;
  while (static_cast<int>(articles.size()) < limit && in->reader->Next(&item)) {
    if (item.kind == pundit::readers::ReadItem::Kind::kArticle) {
      articles.push_back(std::move(item.article));
    }
  }
  size_t with_signature = 0;
  const std::clock_t cpu_start = std::clock();
  const auto start = std::chrono::steady_clock::now();
  for (const pundit::Article& a : articles) {
    with_signature += !pundit::dedup::Signature(a).empty();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  const double cpu_seconds =
      static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  nlohmann::json j;
  j["articles"] = articles.size();
  j["seconds"] = seconds;
  j["cpu_seconds"] = cpu_seconds;
  j["us_per_article"] =
      articles.empty()
          ? 0.0
          : cpu_seconds * 1e6 / static_cast<double>(articles.size());
  j["with_signature"] = with_signature;
  std::cout << j.dump() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(std::vector<std::string>(argv, argv + argc));
  } catch (const std::exception& e) {
    std::cerr << "copy_signatures: " << e.what() << "\n";
    return 1;
  }
}
