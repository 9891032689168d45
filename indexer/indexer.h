// Indexer: walks input files and folders, parses them in parallel and writes
// a pundit database (core/store.h), incrementally by default or as a fresh
// generation swapped in atomically with `full`.
//
// One Indexer run per database at a time (enforced by store::WriteLock across
// processes). RunIndex is safe to call from any thread; it starts and joins
// its own worker threads.
#ifndef PUNDIT_INDEXER_INDEXER_H_
#define PUNDIT_INDEXER_INDEXER_H_

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/parsers.h"
#include "core/shard.h"
#include "core/status.h"

namespace pundit {

struct IndexerOptions {
  std::string db_dir;               // database folder; created if missing
  std::vector<std::string> inputs;  // files or folders (walked recursively)
  bool full = false;      // build a new generation and swap it in when complete
  int jobs = 0;           // parse/analyse threads; 0 = all cores
  int batch_size = 1000;  // documents per Xapian commit batch
  // Draw a progress bar on stderr (indexer/progress.h): articles done,
  // articles/s and time left from the input bytes read, then the final
  // commit or merge. Set it only when stderr is a terminal.
  bool progress = false;
  // Redraw interval of that bar in milliseconds; -1 = the default (100).
  // `pundit index` reads it from PUNDIT_PROGRESS_INTERVAL_MS (tests).
  int progress_interval_ms = -1;
  // A full run writes shards in parallel and merges them (see
  // indexer/shard_build.h): documents per shard, documents between a
  // shard's commits, databases merged at once; 0 = the default (4000, 100,
  // 64). Larger shards use more memory, smaller ones make a larger index.
  int shard_docs = 0;
  int shard_commit_docs = 0;
  int shard_fan_in = 0;
  // CSV/TSV: "--map COLUMN=FIELD" (core/readers/reader.h ReaderOptions).
  std::vector<std::pair<std::string, std::string>> column_map;
  // `--shard I/N`: keep only the articles whose id routes to shard I of N
  // (core/shard.h); the others are read, counted and left out.
  ShardSpec shard;
};

struct IndexSummary {
  long indexed = 0;        // new articles added
  long updated = 0;        // articles whose content changed
  long deleted = 0;        // articles whose source (or JSONL line) is gone
  long unchanged = 0;      // articles seen and identical (or files skipped by
                           // size+mtime)
  long skipped = 0;        // inputs that could not be read as articles
  long copies = 0;         // records read again with the same id and content
  long passed_over = 0;    // files not read (README.md, images), each noticed
  long files = 0;          // files read
  long archives = 0;       // of them archives (their members are in formats)
  long archive_files = 0;  // files read inside archives
  long other_shards = 0;   // articles read that belong to other shards
  // Per format ("jsonl", "csv", ...): the files read and the articles
  // read from them (before comparison with the index, and whichever
  // shard keeps them).
  struct FormatCount {
    long files = 0;
    long articles = 0;
  };
  std::map<std::string, FormatCount> formats;
  double seconds = 0;
  std::vector<ParseError> errors;    // one per skipped input, in input order
  std::vector<std::string> notices;  // files passed over (README.md, images)

  double ArticlesPerSecond() const;
  // "indexed 1,204, updated 3, deleted 1, unchanged 0, skipped 2 in 1.5 s
  // (803 articles/s)"
  std::string SummaryLine() const;
  // "read jsonl 1,200 articles in 2 files, csv 4 articles in 1 file; 3
  // copies indexed once; 2 files passed over; 2,400 articles left to other
  // shards"; "" when nothing was read. Files inside archives count as
  // files of their format, then "; 2,225 of the files inside 1 archive".
  std::string FormatsLine() const;
  // The same as a JSON object: {"indexed":..,"updated":..,"deleted":..,
  // "unchanged":..,"skipped":..,"copies":..,"passed_over":..,"archives":..,
  // "archive_files":..,
  // "other_shards":..,"seconds":..,
  // "articles_per_second":..,"formats":{"jsonl":{"files":..,"articles":..}},
  // "errors":["path:line: error: ..."]}
  std::string ToJson() const;
};

// Runs one indexing pass. Returns the summary even when some inputs were
// skipped (each in summary.errors). A non-OK Status means the run could not
// finish: kLocked (another writer), kIoError (the folder cannot be written,
// disk full), kNotFound (an input path does not exist), kVersionMismatch
// (incremental run over an index of another schema version; use full). A
// failed --full run leaves the previous live index untouched; a failed
// incremental run keeps the batches it committed before the failure (each
// consistent: every article is its old or its new version) and a rerun
// completes it.
Result<IndexSummary> RunIndex(const IndexerOptions& options);

struct CompactSummary {
  std::string generation;  // the new live generation ("gen-000004")
  long articles = 0;
  unsigned long long bytes_before = 0;  // the files of the generation it
  unsigned long long bytes_after = 0;   // replaced, and of the new one
  double seconds = 0;
  // "compacted 101,000 articles: 2,517.3 MB -> 1,829.0 MB in 15.5 s"
  std::string SummaryLine() const;
};

// Rewrites the live index of `db_dir` ("" = store::DefaultDbDir()) with every
// B-tree block full, as a --full run leaves it, keeping its document ids,
// into a new generation that is fsynced and then made live atomically;
// searchers pick it up as they do a --full run's. Adding articles splits
// full blocks, so the first incremental runs after a --full one grow the
// index (by 42% for 1,000 articles added to 100,000); this gives that space
// back without reading any article again. Errors: kNotFound (no index),
// kLocked (a `pundit index` is running), kVersionMismatch, kCorruption,
// kIoError (disk full...); the live index is then untouched and the partial
// generation removed.
Result<CompactSummary> RunCompact(const std::string& db_dir);

}  // namespace pundit

#endif  // PUNDIT_INDEXER_INDEXER_H_
