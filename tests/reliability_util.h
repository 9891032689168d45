// Helpers shared by the reliability tests (crash_test, hostile_input_test,
// serve_during_reindex_test): a deterministic generator of small synthetic
// articles, child processes that can be killed or bounded in time, and a
// fingerprint of a pundit database that two indexes can be compared by.
//
// Header-only (tests/CMakeLists.txt builds only *_test.cc and test_util.cc).
// Not thread-safe except where a function says so; ChildProcess::Start is
// safe to call while other threads run (the child only calls
// async-signal-safe functions before exec).
#ifndef PUNDIT_TESTS_RELIABILITY_UTIL_H_
#define PUNDIT_TESTS_RELIABILITY_UTIL_H_

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/schema.h"
#include "core/store.h"
#include "tests/test_util.h"

namespace pundit::testing {

// ---- synthetic articles ----

// Deterministic pseudo-random source: std::mt19937_64 is specified bit for
// bit by the standard (distributions are not, so none is used).
class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  uint64_t Next() { return gen_(); }
  // Uniform in [0, n).
  size_t Below(size_t n) { return n == 0 ? 0 : Next() % n; }
  // Skewed towards 0 (a few values are frequent, as real facets are).
  size_t Skewed(size_t n) {
    double u = static_cast<double>(Next() >> 11) / 9007199254740992.0;
    return std::min(n - 1, static_cast<size_t>(u * u * u * n));
  }

 private:
  std::mt19937_64 gen_;
};

inline const std::vector<std::string>& Vocabulary() {
  static const std::vector<std::string> words = [] {
    static const char* kOnsets[] = {"b", "c", "d",  "f",  "g",  "h",
                                    "l", "m", "n",  "p",  "r",  "s",
                                    "t", "v", "st", "tr", "pl", "gr"};
    static const char* kVowels[] = {"a", "e", "i", "o", "u", "ai", "ou"};
    static const char* kCodas[] = {"", "n", "r", "s", "l", "t", "m", "x"};
    Rng rng(7);
    std::vector<std::string> out;
    std::map<std::string, bool> seen;
    while (out.size() < 800) {
      std::string w;
      size_t syllables = 2 + rng.Below(2);
      for (size_t s = 0; s < syllables; ++s) {
        w += kOnsets[rng.Below(std::size(kOnsets))];
        w += kVowels[rng.Below(std::size(kVowels))];
      }
      w += kCodas[rng.Below(std::size(kCodas))];
      if (!seen.emplace(w, true).second) continue;
      out.push_back(w);
    }
    return out;
  }();
  return words;
}

inline const std::vector<std::string>& Authors() {
  static const std::vector<std::string> names = [] {
    static const char* kFirst[] = {"Anna", "Boris", "Chen",  "Dara",
                                   "Emil", "Fatou", "Gita",  "Hugo",
                                   "Ines", "Jonas", "Kemal", "Lena"};
    static const char* kLast[] = {"Abara",  "Berg",   "Costa", "Dimitrov",
                                  "Eklund", "Farouk", "Garcia"};
    std::vector<std::string> out;
    for (const char* l : kLast) {
      for (const char* f : kFirst) out.push_back(std::string(f) + " " + l);
    }
    return out;
  }();
  return names;
}

inline const std::vector<std::string>& Regions() {
  static const std::vector<std::string> v = {
      "Asia",    "Europe", "Latin America", "Middle East", "Africa",
      "Oceania", "Russia", "USA",           "Canada"};
  return v;
}

inline const std::vector<std::string>& Themes() {
  static const std::vector<std::string> v = {
      "Economy",     "Trade",     "Energy",    "Environment", "Health",
      "Media",       "Elections", "Migration", "Technology",  "Security",
      "Agriculture", "Labour",    "Law",       "Education",   "Culture",
      "Religion",    "History",   "Science",   "Transport"};
  return v;
}

inline const std::vector<std::string>& Sources() {
  static const std::vector<std::string> v = {
      "Global Research",     "The Meridian Review", "Andes Observer",
      "Northwind Quarterly", "Equator Dispatch",    "Steppe Monitor",
      "Civic Ledger",        "Open Square",         "Pacific Rim Letters",
      "Lantern Post"};
  return v;
}

inline std::string Words(Rng& rng, size_t n) {
  const auto& vocab = Vocabulary();
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i) out += ' ';
    out += vocab[rng.Skewed(vocab.size())];
  }
  return out;
}

// One article as a JSON Lines line (no newline), derived only from `seed`
// and `id`. `title_word`, when not empty, is put first in the title (a
// marker that queries can count).
inline std::string SyntheticJsonLine(uint64_t seed, const std::string& id,
                                     const std::string& title_word = "") {
  Rng rng(seed);
  nlohmann::ordered_json j;
  j["id"] = id;
  std::string title = Words(rng, 4 + rng.Below(5));
  if (!title_word.empty()) title = title_word + " " + title;
  title[0] = static_cast<char>(title[0] - 'a' + 'A');
  j["title"] = title;
  std::vector<std::string> authors;
  size_t n_authors = 1 + (rng.Below(5) == 0);
  for (size_t i = 0; i < n_authors; ++i) {
    const std::string& a = Authors()[rng.Skewed(Authors().size())];
    if (std::find(authors.begin(), authors.end(), a) == authors.end()) {
      authors.push_back(a);
    }
  }
  j["author"] = authors;
  char date[16];
  std::snprintf(date, sizeof date, "%04zu-%02zu-%02zu", 2001 + rng.Below(24),
                1 + rng.Below(12), 1 + rng.Below(28));
  j["date"] = date;
  std::vector<std::string> regions, themes;
  for (size_t i = 0, n = 1 + rng.Below(2); i < n; ++i) {
    const std::string& r = Regions()[rng.Skewed(Regions().size())];
    if (std::find(regions.begin(), regions.end(), r) == regions.end()) {
      regions.push_back(r);
    }
  }
  for (size_t i = 0, n = 1 + rng.Below(2); i < n; ++i) {
    const std::string& t = Themes()[rng.Skewed(Themes().size())];
    if (std::find(themes.begin(), themes.end(), t) == themes.end()) {
      themes.push_back(t);
    }
  }
  j["region"] = regions;
  j["theme"] = themes;
  j["source"] = Sources()[rng.Skewed(Sources().size())];
  std::string body;
  for (size_t p = 0, n = 2 + rng.Below(3); p < n; ++p) {
    if (p) body += "\n\n";
    std::string para = Words(rng, 20 + rng.Below(40));
    para[0] = static_cast<char>(para[0] - 'a' + 'A');
    body += para + ".";
  }
  j["body"] = body;
  return j.dump();
}

// Writes `files` JSON Lines files of `per_file` articles under `dir`
// (dir/part-0000.jsonl ...), ids "<prefix>NNNNNNN" numbered from 0 across
// files. Returns the number of articles written.
inline long WriteSyntheticCorpus(const std::string& dir, int files,
                                 int per_file, uint64_t seed,
                                 const std::string& prefix = "a") {
  std::filesystem::create_directories(dir);
  long n = 0;
  for (int f = 0; f < files; ++f) {
    char name[32];
    std::snprintf(name, sizeof name, "/part-%04d.jsonl", f);
    std::ofstream out(dir + name, std::ios::binary | std::ios::trunc);
    for (int a = 0; a < per_file; ++a, ++n) {
      char id[32];
      std::snprintf(id, sizeof id, "%s%07ld", prefix.c_str(), n);
      out << SyntheticJsonLine(seed * 1000003 + static_cast<uint64_t>(n), id)
          << '\n';
    }
  }
  return n;
}

// ---- child processes ----

// A child process running argv with stdin from /dev/null and stdout and
// stderr appended to files. Not copyable; the destructor SIGKILLs and reaps
// a child that is still running.
struct ChildLimits {
  rlim_t max_file_bytes = 0;  // RLIMIT_FSIZE (SIGXFSZ ignored); 0 = none
  // RLIMIT_AS: threads (their stacks) and allocations beyond it fail;
  // 0 = none. Not usable under AddressSanitizer (its shadow memory).
  rlim_t max_address_bytes = 0;
  // RLIMIT_STACK, which is also the stack size of every new thread: with
  // max_address_bytes, a way to let only so many threads start; 0 = as is.
  rlim_t stack_bytes = 0;
};

class ChildProcess {
 public:
  using Limits = ChildLimits;

  ChildProcess(const std::vector<std::string>& argv, const std::string& out,
               const std::string& err, ChildLimits limits = ChildLimits()) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out_fd =
        open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int err_fd =
        open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in_fd, 0);
      dup2(out_fd, 1);
      dup2(err_fd, 2);
      if (limits.max_file_bytes > 0) {
        signal(SIGXFSZ, SIG_IGN);  // write() then fails with EFBIG
        struct rlimit rl = {limits.max_file_bytes, limits.max_file_bytes};
        setrlimit(RLIMIT_FSIZE, &rl);
      }
      if (limits.stack_bytes > 0) {
        struct rlimit rl = {limits.stack_bytes, limits.stack_bytes};
        setrlimit(RLIMIT_STACK, &rl);
      }
      if (limits.max_address_bytes > 0) {
        struct rlimit rl = {limits.max_address_bytes, limits.max_address_bytes};
        setrlimit(RLIMIT_AS, &rl);
      }
      execv(args[0], args.data());
      _exit(127);
    }
    close(in_fd);
    close(out_fd);
    close(err_fd);
  }
  ~ChildProcess() {
    if (running()) {
      kill(pid_, SIGKILL);
      Wait(std::chrono::seconds(60));
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0 && !reaped_; }
  // Exit status, or 128 + signal; -1 while running.
  int exit_code() const { return exit_code_; }
  bool killed_by_signal() const { return signaled_; }

  // Reaps the child if it has ended; true when it has.
  bool Poll() {
    if (!running()) return reaped_;
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) Record(status);
    return reaped_;
  }
  // Waits at most `limit`; true when the child ended (and was reaped).
  bool Wait(std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!Poll()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }
  // SIGKILL and reap.
  void Kill() {
    if (!running()) return;
    kill(pid_, SIGKILL);
    int status = 0;
    if (waitpid(pid_, &status, 0) == pid_) Record(status);
  }

 private:
  void Record(int status) {
    reaped_ = true;
    if (WIFEXITED(status)) {
      exit_code_ = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      signaled_ = true;
      exit_code_ = 128 + WTERMSIG(status);
    }
  }

  pid_t pid_ = -1;
  bool reaped_ = false;
  bool signaled_ = false;
  int exit_code_ = -1;
};

struct BoundedResult {
  bool finished = false;  // false: killed after the time limit (a hang)
  bool signaled = false;  // ended by a signal (a crash, when not killed)
  int exit_code = -1;
  std::string out, err;
};

// Runs argv to completion, but SIGKILLs it after `limit`. Output goes
// through files in `scratch_dir`.
inline BoundedResult RunBounded(const std::vector<std::string>& argv,
                                const std::string& scratch_dir,
                                std::chrono::milliseconds limit,
                                ChildLimits limits = ChildLimits()) {
  static int counter = 0;
  std::string base = scratch_dir + "/run-" + std::to_string(++counter);
  BoundedResult r;
  {
    ChildProcess child(argv, base + ".out", base + ".err", limits);
    r.finished = child.Wait(limit);
    if (!r.finished) child.Kill();
    r.signaled = r.finished && child.killed_by_signal();
    r.exit_code = child.exit_code();
  }
  r.out = ReadFile(base + ".out");
  r.err = ReadFile(base + ".err");
  std::error_code ec;
  std::filesystem::remove(base + ".out", ec);
  std::filesystem::remove(base + ".err", ec);
  return r;
}

inline std::chrono::milliseconds Seconds(double s) {
  return std::chrono::milliseconds(static_cast<long>(s * 1000));
}

// Starts `pundit serve --db DB --host 127.0.0.1 --port 0 --quiet` (with
// `extra` arguments) as `*server`, its output in scratch_dir/serve.out and
// serve.err. Returns the port it listens on once it says so, or 0 with a
// test failure recorded when it exits or is not listening within 60 s.
inline int StartServe(const std::string& binary, const std::string& db,
                      const std::string& scratch_dir,
                      std::unique_ptr<ChildProcess>* server) {
  const std::string err_path = scratch_dir + "/serve.err";
  server->reset(new ChildProcess({binary, "serve", "--db", db, "--host",
                                  "127.0.0.1", "--port", "0", "--quiet"},
                                 scratch_dir + "/serve.out", err_path));
  const std::regex listening(
      "pundit: serving .* on http://127\\.0\\.0\\.1:([0-9]+)/");
  for (auto deadline = std::chrono::steady_clock::now() + Seconds(60);
       std::chrono::steady_clock::now() < deadline;) {
    std::smatch m;
    std::string err = ReadFile(err_path);
    if (std::regex_search(err, m, listening)) return std::stoi(m[1]);
    if ((*server)->Poll()) {
      ADD_FAILURE() << "pundit serve exited: " << err;
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "pundit serve did not listen: " << ReadFile(err_path);
  return 0;
}

// PUNDIT_LONG=1 scales the reliability tests up.
inline bool LongRun() {
  const char* v = std::getenv("PUNDIT_LONG");
  return v != nullptr && *v != '\0' && std::string_view(v) != "0";
}

// ---- comparing indexes ----

// What an index holds, independent of document ids: per article id, a hash
// of its stored data, values and terms (with wdf); and the number of
// documents carrying each facet, year, month and day term.
struct IndexFingerprint {
  long doccount = 0;
  std::map<std::string, std::string> docs;   // article id -> content hash
  std::map<std::string, long> facet_counts;  // term -> termfreq
  long duplicate_ids = 0;  // Q terms on more than one document (a bug)
  long docs_without_id = 0;
};

// Throws what Xapian throws; the caller has opened `db` with
// store::OpenForReading.
inline IndexFingerprint FingerprintOf(Xapian::Database db) {
  IndexFingerprint fp;
  fp.doccount = static_cast<long>(db.get_doccount());
  const std::string id_prefix(schema::kIdPrefix);
  long with_id = 0;
  for (auto t = db.allterms_begin(id_prefix); t != db.allterms_end(id_prefix);
       ++t) {
    if (t.get_termfreq() != 1) ++fp.duplicate_ids;
    Xapian::docid did = *db.postlist_begin(*t);
    Xapian::Document doc = db.get_document(did);
    std::string all = doc.get_data();
    all += '\x01';
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
      all += std::to_string(v.get_valueno()) + "=" + *v + '\x01';
    }
    for (auto dt = doc.termlist_begin(); dt != doc.termlist_end(); ++dt) {
      all += *dt + ":" + std::to_string(dt.get_wdf()) + '\x01';
    }
    fp.docs[(*t).substr(id_prefix.size())] = schema::HashHex(all);
    ++with_id;
  }
  fp.docs_without_id = fp.doccount - with_id;
  std::vector<std::string> prefixes = {std::string(schema::kMonthPrefix),
                                       std::string(schema::kDayPrefix)};
  for (const auto& f : schema::kFacets) prefixes.emplace_back(f.prefix);
  for (const std::string& p : prefixes) {
    for (auto t = db.allterms_begin(p); t != db.allterms_end(p); ++t) {
      fp.facet_counts[*t] = static_cast<long>(t.get_termfreq());
    }
  }
  return fp;
}

// "" when equal, else a description of the first differences.
inline std::string DiffFingerprints(const IndexFingerprint& got,
                                    const IndexFingerprint& want) {
  std::string out;
  if (got.doccount != want.doccount) {
    out += "doccount " + std::to_string(got.doccount) +
           " != " + std::to_string(want.doccount) + "; ";
  }
  int shown = 0;
  for (const auto& [id, hash] : want.docs) {
    auto it = got.docs.find(id);
    if (it == got.docs.end()) {
      if (shown++ < 5) out += "missing " + id + "; ";
    } else if (it->second != hash) {
      if (shown++ < 5) out += "differs " + id + "; ";
    }
  }
  for (const auto& [id, hash] : got.docs) {
    if (!want.docs.count(id) && shown++ < 10) out += "extra " + id + "; ";
  }
  for (const auto& [term, n] : want.facet_counts) {
    auto it = got.facet_counts.find(term);
    long g = it == got.facet_counts.end() ? 0 : it->second;
    if (g != n && shown++ < 15) {
      out += term + " " + std::to_string(g) + " != " + std::to_string(n) + "; ";
    }
  }
  if (got.facet_counts.size() != want.facet_counts.size()) {
    out += "facet terms " + std::to_string(got.facet_counts.size()) +
           " != " + std::to_string(want.facet_counts.size()) + "; ";
  }
  if (got.duplicate_ids) {
    out += std::to_string(got.duplicate_ids) + " duplicate ids; ";
  }
  if (got.docs_without_id) {
    out += std::to_string(got.docs_without_id) + " documents without id; ";
  }
  return out;
}

// Copies a database folder (its CURRENT and live generation) to `to`.
inline void CopyDatabase(const std::string& from, const std::string& to) {
  std::filesystem::remove_all(to);
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
  std::filesystem::remove(to + "/LOCK");
}

}  // namespace pundit::testing

#endif  // PUNDIT_TESTS_RELIABILITY_UTIL_H_
