// writer_floor: what Xapian's writer alone takes for the documents of a
// pundit index, written the way `pundit index` writes them.
//
//   writer_floor SOURCE_DB WORK_DIR [--first N] [--count N]
//                [--without words|stems|pairs|positions|data]...
//
// Reads documents FIRST to FIRST+COUNT-1 of SOURCE_DB (a Xapian database
// built by pundit: one shard, or one generation folder) into plain memory,
// untimed, one database's worth (ShardBuild's shard_docs) at a time, and
// then writes them again as indexer/shard_build.h does, timed: into fresh
// databases of shard_docs documents, each committed every commit_docs, every
// fan_in finished databases merged into one of the next level, and all that
// is left merged at the end, with the same flags (two levels: up to fan_in x
// fan_in databases, 16 million documents). Timed are only Xapian's
// parts of a build: the Xapian::Document made from each article's terms,
// values and data (add_term, add_value, set_data), add_document, commit
// and compact. Whatever pundit's own stages cost comes on top, so the time
// here is the least any build of these documents can take with this Xapian
// on this machine.
//
// --without leaves a family of terms or values out of every document (to
// see what indexing less would save): words (unprefixed terms), stems (Z),
// pairs (XP), positions (the position-record value slots), data.
//
// WORK_DIR must not exist; it is made, and removed at the end.
//
// Prints one JSON line: documents, cpu_seconds and seconds of each timed
// stage ("documents": Document construction and add_document; "commits";
// "merges"), their sums, and us_per_document (CPU).
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <exception>
#include <filesystem>
#include <functional>
#include <iostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bench/bench_util.h"
#include "core/positions.h"
#include "core/schema.h"
#include "indexer/shard_build.h"
#include "nlohmann/json.hpp"

namespace {

namespace fs = std::filesystem;
using pundit::bench::BenchError;

constexpr char kUsage[] =
    "usage: writer_floor SOURCE_DB WORK_DIR [--first N] [--count N] "
    "[--without words|stems|pairs|positions|data]...";

// One document as plain data: what Xapian::Document is made from.
struct PlainDocument {
  std::vector<std::pair<std::string, Xapian::termcount>> terms;
  std::vector<std::pair<Xapian::valueno, std::string>> values;
  std::string data;
};

// What --without leaves out.
struct Without {
  bool words = false, stems = false, pairs = false, positions = false,
       data = false;
  bool Drops(const std::string& term) const {
    if (term.empty()) return false;
    const char c = term[0];
    if (words && !(c >= 'A' && c <= 'Z')) return true;
    if (stems && c == 'Z') return true;
    return pairs && term.starts_with(pundit::schema::kPairPrefix);
  }
  bool DropsValue(Xapian::valueno slot) const {
    return positions && slot >= pundit::schema::kPositionsFirstValue &&
           slot < pundit::schema::kPositionsFirstValue + pundit::kPositionParts;
  }
};

// The terms in the order of a hash of each, as an article's hash table of
// words hands them to BuildDocument, not in the sorted order of the term
// list (which makes Document::add_term's map insertions unusually cheap).
void ShuffleTerms(PlainDocument* doc) {
  std::hash<std::string> hash;
  std::sort(doc->terms.begin(), doc->terms.end(),
            [&hash](const auto& a, const auto& b) {
              return hash(a.first) < hash(b.first);
            });
}

PlainDocument Load(const Xapian::Database& db, Xapian::docid did,
                   const Without& without) {
  PlainDocument plain;
  const Xapian::Document doc = db.get_document(did);
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    if (!without.Drops(*t)) plain.terms.emplace_back(*t, t.get_wdf());
  }
  ShuffleTerms(&plain);
  for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
    if (!without.DropsValue(v.get_valueno())) {
      plain.values.emplace_back(v.get_valueno(), *v);
    }
  }
  if (!without.data) plain.data = doc.get_data();
  return plain;
}

Xapian::Document Build(const PlainDocument& plain) {
  Xapian::Document doc;
  for (const auto& [term, wdf] : plain.terms) {
    if (wdf == 0) {
      doc.add_boolean_term(term);
    } else {
      doc.add_term(term, wdf);
    }
  }
  for (const auto& [slot, value] : plain.values) doc.add_value(slot, value);
  doc.set_data(plain.data);
  return doc;
}

// CPU (this thread) and wall seconds spent in one kind of work.
struct Stage {
  double cpu = 0, wall = 0;
};

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Runs `work`, adding its time to `stage`.
void Timed(Stage* stage, const std::function<void()>& work) {
  const double cpu = ThreadCpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  work();
  stage->wall +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  stage->cpu += ThreadCpuSeconds() - cpu;
}

void Merge(const std::vector<std::string>& inputs, const std::string& output) {
  Xapian::Database all;
  for (const std::string& input : inputs) {
    all.add_database(Xapian::Database(input, Xapian::DB_BACKEND_GLASS));
  }
  all.compact(output, pundit::indexer::kCompactFlags);
  for (const std::string& input : inputs) fs::remove_all(input);
}

class FloorRun {
 public:
  explicit FloorRun(std::string work) : work_(std::move(work)) {}

  void Write(const std::vector<PlainDocument>& docs) {
    const std::string path = work_ + "/0-" + std::to_string(level0_.size());
    Xapian::WritableDatabase db;
    Timed(&documents_, [&] {
      db = Xapian::WritableDatabase(path, pundit::indexer::kShardFlags);
    });
    for (size_t i = 0; i < docs.size(); ++i) {
      Timed(&documents_, [&] { db.add_document(Build(docs[i])); });
      if ((i + 1) % options_.commit_docs == 0 || i + 1 == docs.size()) {
        Timed(&commits_, [&] { db.commit(); });
      }
    }
    Timed(&commits_, [&] { db.close(); });
    level0_.push_back(path);
    if (level0_.size() - merged_ * options_.fan_in == options_.fan_in) {
      std::vector<std::string> inputs(level0_.end() - options_.fan_in,
                                      level0_.end());
      const std::string out = work_ + "/1-" + std::to_string(level1_.size());
      Timed(&merges_, [&] { Merge(inputs, out); });
      level1_.push_back(out);
      ++merged_;
    }
  }

  void Finish() {
    std::vector<std::string> inputs = level1_;
    inputs.insert(inputs.end(), level0_.begin() + merged_ * options_.fan_in,
                  level0_.end());
    Timed(&merges_, [&] { Merge(inputs, work_ + "/final"); });
  }

  const Stage& documents() const { return documents_; }
  const Stage& commits() const { return commits_; }
  const Stage& merges() const { return merges_; }

 private:
  const std::string work_;
  const pundit::indexer::ShardBuild::Options options_{};
  std::vector<std::string> level0_, level1_;
  size_t merged_ = 0;
  Stage documents_, commits_, merges_;
};

nlohmann::json StageJson(const Stage& s) {
  return {{"cpu_seconds", s.cpu}, {"seconds", s.wall}};
}

int Run(const std::vector<std::string>& args) {
  if (args.size() < 3) throw BenchError(kUsage);
  int first = 1, count = 20000;
  Without without;
  pundit::bench::OptionTable()
      .Int("--first", &first)
      .Int("--count", &count)
      .Value(
          "--without",
          [&without](const std::string& v) {
            if (v == "words") {
              without.words = true;
            } else if (v == "stems") {
              without.stems = true;
            } else if (v == "pairs") {
              without.pairs = true;
            } else if (v == "positions") {
              without.positions = true;
            } else if (v == "data") {
              without.data = true;
            } else {
              throw BenchError(std::string("--without ") + v + ": " + kUsage);
            }
          })
      .Parse(args, 3, kUsage);
  const Xapian::Database source(args[1]);
  const Xapian::docid last = std::min<Xapian::docid>(
      source.get_lastdocid(), static_cast<Xapian::docid>(first + count - 1));
  const std::string& work = args[2];
  if (fs::exists(work)) {
    throw BenchError(work + ": exists; WORK_DIR must be a new folder (" +
                     "it is removed at the end)");
  }
  fs::create_directories(work);
  FloorRun run(work);
  const size_t per_db = pundit::indexer::ShardBuild::Options{}.shard_docs;
  size_t written = 0;
  std::vector<PlainDocument> batch;
  for (Xapian::docid did = first; did <= last; ++did) {
    try {
      batch.push_back(Load(source, did, without));
    } catch (const Xapian::DocNotFoundError&) {
      continue;
    }
    if (batch.size() == per_db) {
      run.Write(batch);
      written += batch.size();
      batch.clear();
    }
  }
  if (!batch.empty()) {
    run.Write(batch);
    written += batch.size();
  }
  run.Finish();
  const double cpu = run.documents().cpu + run.commits().cpu + run.merges().cpu;
  nlohmann::json j;
  j["documents"] = written;
  j["documents_stage"] = StageJson(run.documents());
  j["commits"] = StageJson(run.commits());
  j["merges"] = StageJson(run.merges());
  j["cpu_seconds"] = cpu;
  j["seconds"] = run.documents().wall + run.commits().wall + run.merges().wall;
  j["us_per_document"] =
      written == 0 ? 0.0 : cpu * 1e6 / static_cast<double>(written);
  std::cout << j.dump() << "\n";
  fs::remove_all(work);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(std::vector<std::string>(argv, argv + argc));
  } catch (const std::exception& e) {
    std::cerr << "writer_floor: " << e.what() << "\n";
    return 1;
  } catch (const Xapian::Error& e) {
    std::cerr << "writer_floor: " << e.get_description() << "\n";
    return 1;
  }
}
