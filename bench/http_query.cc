// http_query: unloaded HTTP latency of `pundit serve`: one client, one
// keep-alive connection, the workload's requests one after another.
//
//   http_query HOST:PORT PATHS.txt [--warmup] [--json]
//
// PATHS.txt holds one request path per line ("/api/search?q=...&theme=..."),
// as bench/workload_paths.py writes it from a workload; wrk's
// bench/wrk_workload.lua reads the same file for the loaded measurement.
// The time of a request is from sending it to having read the whole body;
// the body's "total" is read afterwards, outside the timing. A status other
// than 200 is counted as an error. Output as xapian_ref search.
#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "bench/bench_util.h"

namespace pundit::bench {
namespace {

constexpr const char* kUsage =
    "usage: http_query HOST:PORT PATHS.txt [--warmup] [--json]\n";

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  bool warmup = false, json = false;
  OptionTable().Workload(&warmup, &json).Parse(args, 2, kUsage);
  const std::string& addr = args[0];
  size_t colon = addr.rfind(':');
  if (colon == std::string::npos) {
    throw BenchError("error: expected HOST:PORT, got \"" + addr + "\"");
  }
  const std::string host = addr.substr(0, colon);
  const int port = std::stoi(addr.substr(colon + 1));

  std::ifstream in(args[1]);
  if (!in) throw BenchError(args[1] + ": error: cannot open for reading");
  std::vector<WorkloadQuery> paths;  // id = place in the file, q = path
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    WorkloadQuery w;
    w.id = std::to_string(paths.size() + 1);  // the line's place
    w.q = line;
    paths.push_back(std::move(w));
  }
  if (paths.empty()) throw BenchError(args[1] + ": error: no request paths");

  httplib::Client client(host, port);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  client.set_read_timeout(60, 0);
  std::vector<std::string> bodies(paths.size());
  size_t next = 0;
  auto outcomes = RunWorkload(paths, warmup, [&](const WorkloadQuery& w) {
    QueryOutcome o;
    auto res = client.Get(w.q.c_str());
    if (!res) {
      o.error = "request failed: " + httplib::to_string(res.error());
    } else if (res->status != 200) {
      o.error = "HTTP " + std::to_string(res->status);
    } else {
      bodies[next % bodies.size()] = std::move(res->body);
    }
    ++next;
    return o;
  });
  // Totals, read after the measured pass (the body of request i of the
  // measured pass is bodies[i] since each pass is paths.size() long).
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (!outcomes[i].error.empty()) continue;
    auto j = nlohmann::json::parse(bodies[i], nullptr, false);
    if (j.is_object() && j.contains("total") && j["total"].is_number()) {
      outcomes[i].total = j["total"].get<long>();
    }
  }
  PrintOutcomes(outcomes, "pundit_http", json);
  return 0;
}

}  // namespace
}  // namespace pundit::bench

int main(int argc, char** argv) {
  try {
    return pundit::bench::Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "http_query: %s\n", e.what());
  }
  return 1;
}
