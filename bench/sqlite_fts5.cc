// sqlite_fts5: the SQLite FTS5 baseline, written as the SQLite documentation
// shows (fts5.html: external tables for metadata, bm25(), snippet()), with no
// tuning beyond one transaction for the bulk load.
//
//   sqlite_fts5 index DB FILE.jsonl...
//       One transaction: docs(docid, id, title, authors, date, regions,
//       themes, source, url), an FTS5 table fts(title, body) with the
//       "porter unicode61" tokenizer, and facets(facet, value, docid) for
//       author, region, theme, source and year (one row per value, so
//       multi-valued facets count right). Indexes created after the load,
//       then FTS5 'optimize'.
//   sqlite_fts5 search DB WORKLOAD.jsonl [--warmup] [--json]
//       Each workload query: words ANDed (phrases kept) in an FTS5 MATCH,
//       facet filters as `rowid IN (SELECT docid FROM facets ...)` (ORed
//       within a facet, ANDed across), the date range on docs.date; the match
//       set goes into a temporary table once, from which come the exact
//       total, the facet counts (GROUP BY facet, value) and the month
//       timeline; then the top 10 by bm25() (or date for "newest") with
//       highlight() of the title and snippet() of the body. Same output as
//       xapian_ref search.
//   sqlite_fts5 rank DB TOPICS.tsv [--op or|and] [--k 1000] [--tag NAME]
//       Ranks each topic by bm25() and prints a TREC run (score = -bm25).
#include <sqlite3.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_util.h"

namespace pundit::bench {
namespace {

constexpr const char* kUsage =
    "usage: sqlite_fts5 index DB FILE.jsonl...\n"
    "       sqlite_fts5 search DB WORKLOAD.jsonl [--warmup] [--json]\n"
    "       sqlite_fts5 rank DB TOPICS.tsv [--op or|and] [--k 1000] "
    "[--tag NAME]\n";

constexpr int kHitsPerPage = 10;
constexpr int kSnippetTokens = 40;

class Db {
 public:
  explicit Db(const std::string& path, bool create) {
    int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                       : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw BenchError(path + ": error: cannot open SQLite database: " + msg);
    }
  }
  ~Db() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw BenchError("error: SQL failed: " + msg + " in: " + sql);
    }
  }

  // A prepared statement for `sql`, reset and unbound, cached by its text.
  sqlite3_stmt* Prepare(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      sqlite3_reset(it->second);
      sqlite3_clear_bindings(it->second);
      return it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw BenchError("error: cannot prepare SQL: " +
                       std::string(sqlite3_errmsg(db_)) + " in: " + sql);
    }
    cache_[sql] = stmt;
    return stmt;
  }

  // Steps `stmt`: true for a row, false when done; throws on error.
  bool Step(sqlite3_stmt* stmt) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw BenchError("error: SQL step failed: " +
                     std::string(sqlite3_errmsg(db_)));
  }

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*> cache_;
};

void Bind(sqlite3_stmt* stmt, int i, const std::string& s) {
  sqlite3_bind_text(stmt, i, s.data(), static_cast<int>(s.size()),
                    SQLITE_TRANSIENT);
}

std::string Col(sqlite3_stmt* stmt, int i) {
  const unsigned char* p = sqlite3_column_text(stmt, i);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         sqlite3_column_bytes(stmt, i))
           : std::string();
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += '\n';
    out += s;
  }
  return out;
}

int Index(const std::string& path, const std::vector<std::string>& files) {
  std::filesystem::remove(path);
  Db db(path, true);
  db.Exec(
      "CREATE TABLE docs(docid INTEGER PRIMARY KEY, id TEXT, title TEXT, "
      "authors TEXT, date TEXT, regions TEXT, themes TEXT, source TEXT, "
      "url TEXT);"
      "CREATE VIRTUAL TABLE fts USING fts5(title, body, "
      "tokenize='porter unicode61');"
      "CREATE TABLE facets(facet TEXT, value TEXT, docid INTEGER);");
  long count = 0;
  double t0 = NowMs();
  db.Exec("BEGIN");
  for (const auto& file : files) {
    ForEachArticle(file, [&](JsonArticle& a) {
      ++count;
      sqlite3_stmt* s = db.Prepare(
          "INSERT INTO docs VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
      sqlite3_bind_int64(s, 1, count);
      Bind(s, 2, a.id);
      Bind(s, 3, a.title);
      Bind(s, 4, Join(a.authors));
      Bind(s, 5, a.date);
      Bind(s, 6, Join(a.regions));
      Bind(s, 7, Join(a.themes));
      Bind(s, 8, a.source);
      Bind(s, 9, a.url);
      db.Step(s);
      s = db.Prepare("INSERT INTO fts(rowid, title, body) VALUES(?1, ?2, ?3)");
      sqlite3_bind_int64(s, 1, count);
      Bind(s, 2, a.title);
      Bind(s, 3, a.body);
      db.Step(s);
      auto facet = [&](const char* name, const std::string& value) {
        if (value.empty()) return;
        sqlite3_stmt* f = db.Prepare("INSERT INTO facets VALUES(?1, ?2, ?3)");
        Bind(f, 1, name);
        Bind(f, 2, value);
        sqlite3_bind_int64(f, 3, count);
        db.Step(f);
      };
      for (const auto& v : a.authors) facet("author", v);
      for (const auto& v : a.regions) facet("region", v);
      for (const auto& v : a.themes) facet("theme", v);
      facet("source", a.source);
      if (a.date.size() >= 4) facet("year", a.date.substr(0, 4));
    });
  }
  db.Exec(
      "CREATE INDEX facets_by_value ON facets(facet, value, docid);"
      "CREATE INDEX facets_by_doc ON facets(docid, facet, value);"
      "CREATE INDEX docs_by_date ON docs(date);"
      "CREATE INDEX docs_by_id ON docs(id);"
      "INSERT INTO fts(fts) VALUES('optimize');");
  db.Exec("COMMIT");
  double s = (NowMs() - t0) / 1000.0;
  std::fprintf(
      stderr, "sqlite_fts5: indexed %ld articles in %.1f s (%.0f articles/s)\n",
      count, s, s > 0 ? count / s : 0.0);
  return 0;
}

// Reads `q` as words and "quoted phrases" and writes an FTS5 query: each
// word or phrase quoted (so no word is FTS5 syntax), joined by `op` (" " for
// AND, " OR "). Parts with no letter or digit are dropped. "" when nothing
// is left.
std::string Fts5Query(const std::string& q, const std::string& op) {
  std::vector<std::string> parts;
  auto add = [&](const std::string& text) {
    bool has_alnum = false;
    for (unsigned char c : text) {
      if (std::isalnum(c) || c >= 0x80) has_alnum = true;
    }
    if (has_alnum) parts.push_back("\"" + text + "\"");
  };
  std::string cur;
  bool in_phrase = false;
  for (char c : q) {
    if (c == '"') {
      add(cur);
      cur.clear();
      in_phrase = !in_phrase;
    } else if (!in_phrase && std::isspace(static_cast<unsigned char>(c))) {
      add(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  add(cur);
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += op;
    out += p;
  }
  return out;
}

class FtsSearcher {
 public:
  explicit FtsSearcher(const std::string& path) : db_(path, false) {
    db_.Exec("CREATE TEMP TABLE hits(docid INTEGER PRIMARY KEY)");
  }

  QueryOutcome Run(const WorkloadQuery& w) {
    QueryOutcome out;
    const std::string match = Fts5Query(w.q, " ");
    // WHERE clause and its parameters, shared by the match-set and the
    // top-10 statements. ?1 is always the MATCH expression.
    std::string where;
    std::vector<std::string> params;
    if (!match.empty()) {
      where = "fts MATCH ?1";
      params.push_back(match);
    } else {
      where = "1";
      params.push_back("");
    }
    for (const auto& [name, values] : w.filters) {
      where += " AND d.docid IN (SELECT docid FROM facets WHERE facet = ?" +
               std::to_string(params.size() + 1) + " AND value IN (";
      params.push_back(name);
      for (size_t i = 0; i < values.size(); ++i) {
        where += (i ? ", ?" : "?") + std::to_string(params.size() + 1);
        params.push_back(values[i]);
      }
      where += "))";
    }
    if (!w.from.empty()) {
      where += " AND d.date >= ?" + std::to_string(params.size() + 1);
      params.push_back(w.from);
    }
    if (!w.to.empty()) {
      where += " AND d.date <= ?" + std::to_string(params.size() + 1) +
               " AND d.date != ''";
      params.push_back(w.to);
    }
    auto bind_all = [&](sqlite3_stmt* s) {
      for (size_t i = 0; i < params.size(); ++i) {
        Bind(s, static_cast<int>(i + 1), params[i]);
      }
    };
    const std::string from =
        match.empty() ? " FROM docs d "
                      : " FROM fts JOIN docs d ON d.docid = fts.rowid ";

    db_.Exec("DELETE FROM temp.hits");
    sqlite3_stmt* s = db_.Prepare("INSERT INTO temp.hits SELECT d.docid" +
                                  from + "WHERE " + where);
    bind_all(s);
    db_.Step(s);

    s = db_.Prepare("SELECT count(*) FROM temp.hits");
    if (db_.Step(s)) out.total = sqlite3_column_int64(s, 0);
    s = db_.Prepare(
        "SELECT f.facet, f.value, count(*) FROM temp.hits h "
        "JOIN facets f ON f.docid = h.docid GROUP BY f.facet, f.value");
    while (db_.Step(s))
      out.facets[Col(s, 0)][Col(s, 1)] = sqlite3_column_int64(s, 2);
    s = db_.Prepare(
        "SELECT substr(d.date, 1, 7), count(*) FROM temp.hits h "
        "JOIN docs d ON d.docid = h.docid WHERE d.date != '' GROUP BY 1");
    while (db_.Step(s)) out.timeline[Col(s, 0)] = sqlite3_column_int64(s, 1);

    std::string order = match.empty() ? "d.date DESC" : "bm25(fts)";
    if (w.newest && !match.empty()) order = "d.date DESC, bm25(fts)";
    std::string cols = match.empty()
                           ? "d.id, d.title, d.authors, d.date, d.regions, "
                             "d.themes, d.source, "
                             "d.url, d.title, ''"
                           : "d.id, d.title, d.authors, d.date, d.regions, "
                             "d.themes, d.source, "
                             "d.url, highlight(fts, 0, '<mark>', '</mark>'), "
                             "snippet(fts, 1, '<mark>', '</mark>', '…', " +
                                 std::to_string(kSnippetTokens) + ")";
    s = db_.Prepare("SELECT " + cols + from + "WHERE " + where + " ORDER BY " +
                    order + " LIMIT " + std::to_string(kHitsPerPage));
    bind_all(s);
    while (db_.Step(s)) {
      out.top_ids.push_back(Col(s, 0));
      for (int i = 1; i < 10; ++i)
        out.snippet_bytes += sqlite3_column_bytes(s, i);
    }
    return out;
  }

  void Rank(const std::vector<Topic>& topics, const std::string& op, int k,
            const std::string& tag) {
    for (const auto& t : topics) {
      std::string match = Fts5Query(t.text, op == "or" ? " OR " : " ");
      if (match.empty()) continue;
      sqlite3_stmt* s = db_.Prepare(
          "SELECT d.id, bm25(fts) FROM fts JOIN docs d ON d.docid = fts.rowid "
          "WHERE fts MATCH ?1 ORDER BY bm25(fts) LIMIT ?2");
      Bind(s, 1, match);
      sqlite3_bind_int(s, 2, k);
      int rank = 0;
      while (db_.Step(s)) {
        PrintRunLine(stdout, t.id, Col(s, 0), ++rank,
                     -sqlite3_column_double(s, 1), tag);
      }
    }
  }

 private:
  Db db_;
};

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() < 3) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string cmd = args[0], db = args[1];
  if (cmd == "index") {
    return Index(db, std::vector<std::string>(args.begin() + 2, args.end()));
  }
  bool warmup = false, json = false;
  std::string op = "or", tag = "sqlite_fts5";
  int k = 1000;
  OptionTable()
      .Workload(&warmup, &json)
      .Ranking(&op, &k, &tag)
      .Parse(args, 3, kUsage);
  if (!std::filesystem::exists(db)) {
    throw BenchError(db + ": error: no database; run `sqlite_fts5 index " + db +
                     " FILE.jsonl` first");
  }
  FtsSearcher searcher(db);
  if (cmd == "search") {
    auto workload = ReadWorkload(args[2]);
    auto outcomes = RunWorkload(workload, warmup, [&](const WorkloadQuery& w) {
      return searcher.Run(w);
    });
    PrintOutcomes(outcomes, "sqlite_fts5", json);
    return 0;
  }
  if (cmd == "rank") {
    if (op != "or" && op != "and") {
      throw BenchError("error: --op must be \"or\" or \"and\", got \"" + op +
                       "\"");
    }
    searcher.Rank(ReadTopics(args[2]), op, k, tag);
    return 0;
  }
  std::fputs(kUsage, stderr);
  return 2;
}

}  // namespace
}  // namespace pundit::bench

int main(int argc, char** argv) {
  try {
    return pundit::bench::Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sqlite_fts5: %s\n", e.what());
  }
  return 1;
}
