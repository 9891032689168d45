// Indexer: one pass of `pundit index` (see indexer/indexer.h).
//
// A run:
//   1. checks every input exists and walks them (indexer/walk.h);
//   2. takes the database's WriteLock and removes stale generation folders;
//   3. opens the live generation for an incremental run, or creates a new
//      generation for a full run (and for the first run of a folder);
//   4. runs a pipeline: `jobs` worker threads read and parse files, compare
//      their articles with the index being replaced (each thread with its
//      own read-only handle on it) and, in an incremental run, turn them
//      into Xapian documents (each with its own Analyzer), while the calling
//      thread is the single writer, applying files in input order: into the
//      live generation (incremental), or handing the articles to
//      indexer::ShardBuild (full), whose threads build the documents, write
//      them into shard databases in parallel and merge those into the new
//      generation;
//   5. removes the documents of files that are gone, groups syndicated
//      copies (indexer/copy_groups.h: before each commit for the articles
//      of the batch, or over the whole new generation once it is merged),
//      records the schema version and the time, commits, and for a new
//      generation makes it live.
//
// Incremental decisions, per file:
//   - size and mtime equal to the stored state: the file is not read, its
//     articles count as unchanged;
//   - bytes equal to the stored hash (a touched file): not parsed either, the
//     new mtime is recorded;
//   - otherwise the file is parsed; an article is analysed and written
//     (replace_document on its Q term) only when its ContentHash differs from
//     the stored one or it was stored from another file; when only its line
//     moved (a JSONL line inserted above it) just its document data is
//     rewritten; articles of the file whose ids are gone are deleted.
//
// What is kept when input is bad (nothing is lost because of one bad edit):
//   - a file that cannot be read, or that now fails to parse as a whole
//     (became binary, lost its title), keeps all its previous articles;
//   - a file where some articles fail (a JSONL line with a syntax error, a
//     duplicate id) has its good articles written, but NONE of its previously
//     stored articles is deleted in this run: the id of a failing line is not
//     known, so a vanished article cannot be told from a failing one;
//   - such a file's state is stored with mtime -1, so the next run reads it
//     again and reports its errors until it is fixed, those found while
//     writing (an id too long, an id of another file) as well as parse
//     errors (while its bytes stay the same its articles compare as
//     unchanged and are not rewritten).
//   - two inputs giving the same id: the first one in input order keeps it,
//     the second is an error ("duplicate id"); an id whose stored file is no
//     longer among the inputs is simply taken over.
//
// Commits: an incremental run applies its changes in transactions of
// `batch_size` documents; a file's state is recorded after all of its
// documents, so a run stopped halfway leaves a consistent index that the
// next run completes. A full run writes a generation nobody reads yet, in
// shards (indexer/shard_build.h) without fsync; the merged generation is
// fsynced once at the end, before CURRENT is switched to it. Unchanged files
// of an incremental run are recognised when the run opens (size and mtime
// as stored) and never reach a worker, so a rerun over an unchanged tree
// costs one metadata lookup and one term frequency per file.
//
// Counts of a full run are relative to the generation it replaces (an
// article identical to the old one counts as unchanged, old articles not
// found again as deleted), so the summary says what changed for searchers.
#include "indexer/indexer.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/analyzer.h"
#include "core/document.h"
#include "core/mutex.h"
#include "core/readers/byte_stream.h"
#include "core/readers/formats.h"
#include "core/schema.h"
#include "core/store.h"
#include "indexer/copy_groups.h"
#include "indexer/disk_room.h"
#include "indexer/progress.h"
#include "indexer/shard_build.h"
#include "indexer/walk.h"
#include "remote/replica.h"

namespace pundit {

double IndexSummary::ArticlesPerSecond() const {
  if (seconds <= 0) return 0;
  return static_cast<double>(indexed + updated) / seconds;
}

std::string IndexSummary::SummaryLine() const {
  using indexer::WithThousands;
  char secs[32];
  // Two decimals under a second, so a small run does not read "in 0.0 s".
  std::snprintf(secs, sizeof secs, seconds < 0.995 ? "%.2f" : "%.1f", seconds);
  return "indexed " + WithThousands(indexed) + ", updated " +
         WithThousands(updated) + ", deleted " + WithThousands(deleted) +
         ", unchanged " + WithThousands(unchanged) + ", skipped " +
         WithThousands(skipped) + " in " + secs + " s (" +
         WithThousands(std::lround(ArticlesPerSecond())) + " articles/s)";
}

std::string IndexSummary::FormatsLine() const {
  using indexer::WithThousands;
  std::string out;
  for (const auto& [name, count] : formats) {
    out += out.empty() ? "read " : ", ";
    out += name + " " + WithThousands(count.articles) +
           (count.articles == 1 ? " article" : " articles") + " in " +
           WithThousands(count.files) + (count.files == 1 ? " file" : " files");
  }
  if (archives > 0) {
    if (!out.empty()) out += "; ";
    out += WithThousands(archive_files) + " of the files inside " +
           WithThousands(archives) + (archives == 1 ? " archive" : " archives");
  }
  if (copies > 0) {
    if (!out.empty()) out += "; ";
    out += WithThousands(copies) + (copies == 1 ? " copy" : " copies") +
           " indexed once";
  }
  if (passed_over > 0) {
    if (!out.empty()) out += "; ";
    out += WithThousands(passed_over) +
           (passed_over == 1 ? " file" : " files") + " passed over";
  }
  if (other_shards > 0) {
    if (!out.empty()) out += "; ";
    out += WithThousands(other_shards) +
           (other_shards == 1 ? " article" : " articles") +
           " left to other shards";
  }
  return out;
}

std::string IndexSummary::ToJson() const {
  nlohmann::ordered_json j;
  j["indexed"] = indexed;
  j["updated"] = updated;
  j["deleted"] = deleted;
  j["unchanged"] = unchanged;
  j["skipped"] = skipped;
  j["copies"] = copies;
  j["passed_over"] = passed_over;
  j["archives"] = archives;
  j["archive_files"] = archive_files;
  j["other_shards"] = other_shards;
  j["seconds"] = std::round(seconds * 1000) / 1000;
  j["articles_per_second"] = std::round(ArticlesPerSecond() * 10) / 10;
  nlohmann::ordered_json fmts = nlohmann::ordered_json::object();
  for (const auto& [name, count] : formats) {
    fmts[name] = {{"files", count.files}, {"articles", count.articles}};
  }
  j["formats"] = std::move(fmts);
  nlohmann::ordered_json errs = nlohmann::ordered_json::array();
  for (const ParseError& e : errors) errs.push_back(e.ToString());
  j["errors"] = std::move(errs);
  return j.dump();
}

namespace {

namespace fs = std::filesystem;
using indexer::InputFile;

constexpr size_t kChunkArticles = 16;  // articles per document-building job
constexpr int64_t kErrorMtime = -1;    // state of a file read with errors
constexpr int kMaxJobs = 256;
// Files are parsed ahead of the writer only while fewer parsed articles than
// this wait to be built (a JSON Lines file may hold tens of thousands).
constexpr size_t kMaxUnbuiltArticles =
    2048;  // more threads than this only wait
using indexer::kMaxTermBytes;

enum class Mode { kIncremental, kFull };

// What a worker found out about one article, compared with the index.
enum class Change {
  kNew,        // id not stored
  kUpdated,    // stored with another content hash
  kUnchanged,  // stored with the same hash (a full run still rewrites it)
  kRelocated,  // same hash and file, another path or line (a JSONL line
               // moved): only the document data is rewritten; unchanged
  kMoved,      // same hash but stored from another file: rewritten,
               // counted as unchanged
};

struct BuiltArticle {
  std::string id;
  int line = 0;
  // The member of an archive it was read from (Article::path), "" when it
  // is the file's own path.
  std::string member_path;
  Change change = Change::kNew;
  bool has_doc = false;
  Xapian::Document doc;
  Article article;              // full run: built by indexer::ShardBuild
  Xapian::docid old_docid = 0;  // kUnchanged, kRelocated (incremental)
  std::string new_data;         // kRelocated: the document data to store
  std::string error;            // not indexable: the message of a ParseError
  uint64_t content_hash = 0;    // full run: tells a copy from another record
};

// Where an id was first read: a later record with the same id and content
// is a copy (kept once), with other content an error naming this place.
struct WrittenId {
  uint32_t file;
  uint32_t member;  // Indexer::Where
  int line;
  uint64_t content_hash;
};

// A piece of one input file: up to kChunkArticles articles in file order,
// read by one worker, then built (by any worker) and written by the writer.
struct Chunk {
  std::vector<Article> articles;  // read, waiting to be built
  std::vector<BuiltArticle> built;
  bool done = false;           // built: the writer may take it
  uint64_t end_raw_bytes = 0;  // raw bytes of the file read up to here
};

// The work on one input file. Its reader is pulled by one worker at a time
// (`reading`), a chunk at a time, so a file of any size is held only a few
// chunks at once. Flags, `chunks` and the counters are guarded by the run's
// mutex; `errors`, `notices`, `new_state` and `same_with_errors` are
// written by the reading worker and read by the writer once `eof` is set.
struct FileWork {
  bool opened = false;            // the first read decided what follows
  bool not_read = false;          // size and mtime unchanged
  bool same_bytes = false;        // identical to the stored bytes
  bool same_with_errors = false;  // identical to stored bytes that gave errors
  bool read_failed = false;       // nothing usable: keep what is stored
  bool passed_over = false;       // not of its format after all (a notice)
  bool reading = false;           // a worker is pulling from `reader`
  bool eof = false;               // every chunk is made; errors are final
  std::string new_state;
  std::vector<ParseError> errors;
  std::vector<std::string> notices;
  std::unique_ptr<readers::ArticleReader> reader;
  readers::ByteStream* stream = nullptr;  // owned by reader
  const readers::Format* format = nullptr;
  int last_line = 0;  // of the last item read, for a stream error after it
  bool stream_error_reported = false;
  // Chunks made and not yet written: chunk k is chunks[k - first_chunk].
  std::deque<std::unique_ptr<Chunk>> chunks;
  size_t first_chunk = 0;
  size_t chunks_made = 0;
  long articles_read = 0;
  long other_shards = 0;  // articles read and left to other shards
  // An archive: the files it held, by format (taken from the reader when
  // the file ends).
  std::optional<readers::InnerFiles> inner;

  Chunk* At(size_t k) { return chunks[k - first_chunk].get(); }
};

struct StoredArticle {
  Xapian::docid docid = 0;
  std::string hash;
  // Filled only when the hash matches and a file term was given:
  bool same_file = false;    // stored from this file (XF term)
  bool same_source = false;  // ... and with this path and line
};

// A worker's read-only view of the index the run compares against (the live
// generation). Reopens when the writer's commits overtake it.
class Comparator {
 public:
  explicit Comparator(std::string path) : path_(std::move(path)) {}

  // The stored article with `id_term`, or nullopt. When its hash equals
  // `hash` and `file_term` is not empty, also checks that it was stored from
  // the same file, path and line.
  std::optional<StoredArticle> Lookup(const std::string& id_term,
                                      const std::string& hash,
                                      const std::string& file_term,
                                      const Article& article) {
    if (path_.empty()) return std::nullopt;
    for (int attempt = 0;; ++attempt) {
      try {
        if (!db_) db_.emplace(path_);
        return LookupIn(*db_, id_term, hash, file_term, article);
      } catch (const Xapian::DatabaseModifiedError&) {
        // The writer committed twice while this lookup read the older
        // revision. Each retry reads the newest one; only a thread kept off
        // the CPU through two commits every time fails again (seen with a
        // commit every 10 articles on a machine busy with other work).
        if (attempt >= kMaxLookupAttempts) throw;
        db_->reopen();
      } catch (const Xapian::DatabaseError&) {
        // Xapian does not always see that a block it read for the older
        // revision has since been reused by the writer's commits: a pointer
        // read from it then names a block past the end ("EOF reading block
        // 808465200") rather than raising DatabaseModifiedError. The
        // writer's own view is intact; a fresh handle reads the newest
        // revision. A database that is really damaged fails every attempt.
        if (attempt >= kMaxLookupAttempts) throw;
        db_.reset();
      }
    }
  }

 private:
  static std::optional<StoredArticle> LookupIn(const Xapian::Database& db,
                                               const std::string& id_term,
                                               const std::string& hash,
                                               const std::string& file_term,
                                               const Article& article) {
    Xapian::PostingIterator p = db.postlist_begin(id_term);
    if (p == db.postlist_end(id_term)) return std::nullopt;
    StoredArticle stored;
    stored.docid = *p;
    Xapian::Document doc = db.get_document(stored.docid);
    stored.hash = doc.get_value(schema::kContentHash);
    if (stored.hash != hash || file_term.empty()) return stored;
    Xapian::PostingIterator f = db.postlist_begin(file_term);
    f.skip_to(stored.docid);
    if (f == db.postlist_end(file_term) || *f != stored.docid) return stored;
    stored.same_file = true;
    Result<Article> old = ArticleFromData(doc.get_data());
    stored.same_source =
        old.ok() && old->path == article.path && old->line == article.line;
    return stored;
  }

  static constexpr int kMaxLookupAttempts = 100;

  std::string path_;
  std::optional<Xapian::Database> db_;
};

std::string NowIso8601() {
  std::time_t now = std::time(nullptr);
  std::tm tm;
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// fsyncs every file of a generation folder, then the folder.
Status SyncFolder(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> paths;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    paths.push_back(it->path().string());
  }
  if (ec) return Status::IoError("cannot list " + dir + ": " + ec.message());
  paths.push_back(dir);
  for (const std::string& path : paths) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return Status::IoError("cannot open " + path + ": " +
                             std::strerror(errno));
    }
    int rc = fsync(fd);
    int err = errno;
    close(fd);
    if (rc != 0) {
      return Status::IoError("cannot sync " + path + ": " + std::strerror(err));
    }
  }
  return Status::Ok();
}

// A Xapian failure while writing DIR, as a Status. Call from a catch block.
Status WriteFailure(const std::string& dir) {
  try {
    throw;
  } catch (const Xapian::DatabaseCorruptError& e) {
    return Status::Corruption("index at " + dir + " is damaged (" +
                              e.get_msg() +
                              "): rebuild it with `pundit index --full`");
  } catch (const Xapian::DatabaseLockError& e) {
    return Status::Locked("database " + dir +
                          " is locked by another writer: " + e.get_msg());
  } catch (const Xapian::Error& e) {
    std::string msg = e.get_msg();
    if (e.get_error_string() != nullptr) {
      msg += std::string(" (") + e.get_error_string() + ")";
    }
    return Status::IoError("cannot write the index in " + dir + ": " + msg);
  } catch (...) {
    return FromCurrentException("indexing into " + dir);
  }
}

class IndexRun {
 public:
  IndexRun(const IndexerOptions& options, std::string db_dir,
           indexer::WalkOutput walk)
      : options_(options),
        db_dir_(std::move(db_dir)),
        files_(std::move(walk.files)),
        roots_(std::move(walk.roots)),
        work_(files_.size()) {
    summary_.notices = std::move(walk.notices);
    summary_.passed_over = walk.passed_over;
    summary_.errors = std::move(walk.errors);
    jobs_ = options.jobs > 0
                ? std::min(options.jobs, kMaxJobs)
                : std::max(
                      1, static_cast<int>(std::thread::hardware_concurrency()));
    batch_size_ = options.batch_size > 0 ? options.batch_size : 1000;
    parse_window_ = static_cast<size_t>(jobs_) + 2;
    // A built document takes a few hundred KB (terms and positions).
    inflight_limit_ = static_cast<size_t>(jobs_) * 2 * kChunkArticles;
    for (size_t i = 0; i < files_.size(); ++i) {
      file_terms_.push_back(schema::FileTerm(files_[i].abs_path));
      file_by_term_.emplace(file_terms_.back(), i);
    }
  }

  // `start`: when the run began (the walk and the lock count too).
  Result<IndexSummary> Run(std::chrono::steady_clock::time_point start) {
    Result<std::string> live = store::LiveGenerationPath(db_dir_);
    if (!live.ok() && live.status().code() != Status::Code::kNotFound &&
        !options_.full) {
      return live.status();
    }
    mode_ = options_.full || !live.ok() ? Mode::kFull : Mode::kIncremental;
    Status status = mode_ == Mode::kFull
                        ? OpenNewGeneration(live.ok() ? *live : "")
                        : OpenLiveGeneration(*live);
    if (!status.ok()) return status;

    StartProgress();

    std::vector<std::thread> workers;
    try {
      for (int j = 0; j < jobs_; ++j) {
        workers.emplace_back([this] { WorkerLoop(); });
      }
      status = WriteAll();
    } catch (...) {  // a thread that cannot be started: stop those that run
      status = FromCurrentException("starting the indexing threads");
    }
    {
      MutexLock lock(&mu_);
      stop_ = true;
      if (status.ok() && !failure_.ok()) status = failure_;
    }
    cv_work_.SignalAll();
    for (std::thread& t : workers) t.join();

    if (status.ok()) status = Finish();
    progress_->Finish();
    if (!status.ok()) {
      Abandon();
      return status;
    }
    summary_.skipped = static_cast<long>(summary_.errors.size());
    summary_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    return std::move(summary_);
  }

 private:
  // ---- opening ----

  Status OpenLiveGeneration(const std::string& live) {
    remote::KeepChangesetsIfServed(db_dir_);
    try {
      db_.emplace(live, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    } catch (const Xapian::DatabaseLockError&) {
      return WriteFailure(db_dir_);
    } catch (const Xapian::DatabaseOpeningError& e) {
      return Status::Corruption("index at " + db_dir_ + " is damaged (" +
                                e.get_msg() +
                                "): rebuild it with `pundit index --full`");
    } catch (...) {
      return WriteFailure(db_dir_);
    }
    std::string version = db_->get_metadata(std::string(schema::kSchemaKey));
    if (version.empty()) version = "0";
    if (version != std::to_string(schema::kSchemaVersion)) {
      return Status::VersionMismatch("index at " + db_dir_ +
                                     " has schema version " + version +
                                     ", this pundit writes version " +
                                     std::to_string(schema::kSchemaVersion) +
                                     ": rebuild it with `pundit index --full`");
    }
    compare_path_ = live;
    // Until a commit is measured, a document takes what the live index
    // takes an article.
    const uint64_t live_docs = db_->get_doccount();
    room_.emplace(
        live, live_docs > 0
                  ? std::max<uint64_t>(
                        indexer::DiskRoom::FolderBytes(live) / live_docs, 4096)
                  : indexer::DiskRoom::kGuessBytesPerDocument);
    try {
      stored_states_.reserve(files_.size());
      // Files read when records were named by their line are read again.
      const bool line_ids = db_->get_metadata(std::string(schema::kIdsKey)) !=
                            schema::kIdsContent;
      for (size_t i = 0; i < files_.size(); ++i) {
        stored_states_.push_back(
            line_ids
                ? std::string()
                : db_->get_metadata(std::string(schema::kFileStateKeyPrefix) +
                                    files_[i].abs_path));
        // Size and mtime as stored: not read, no worker needed (a rerun
        // over an unchanged tree then costs one lookup per file).
        if (NotChanged(i)) work_[i].not_read = work_[i].opened = true;
      }
      db_->begin_transaction(true);
    } catch (...) {
      return WriteFailure(db_dir_);
    }
    return Status::Ok();
  }

  Status OpenNewGeneration(const std::string& old_live) {
    // The generation being replaced, if it is readable and of this schema,
    // is what the counts are relative to.
    if (!old_live.empty()) {
      try {
        Xapian::Database old(old_live);
        if (old.get_metadata(std::string(schema::kSchemaKey)) ==
            std::to_string(schema::kSchemaVersion)) {
          compare_path_ = old_live;
          old_doccount_ = old.get_doccount();
        }
      } catch (const Xapian::Error&) {
        // A damaged old generation is simply replaced.
      }
    }
    gen_name_ = store::NextGenerationName(db_dir_);
    gen_path_ = db_dir_ + "/" + gen_name_;
    try {
      indexer::ShardBuild::Options shard_options;
      shard_options.threads = jobs_;
      if (options_.shard_docs > 0) {
        shard_options.shard_docs = static_cast<size_t>(options_.shard_docs);
      }
      if (options_.shard_commit_docs > 0) {
        shard_options.commit_docs =
            static_cast<size_t>(options_.shard_commit_docs);
      }
      if (options_.shard_fan_in > 0) {
        shard_options.fan_in = static_cast<size_t>(options_.shard_fan_in);
      }
      // Finish() runs on this (the writer) thread, the counts come from
      // the shard threads; progress_ outlives build_ (and its threads).
      if (options_.progress) {
        shard_options.on_finish_step = [this](const std::string& step) {
          progress_->SetPhase(step);
        };
        shard_options.on_documents_done = [this](size_t done) {
          ReportShardProgress(done);
        };
      }
      build_.emplace(gen_path_, shard_options);
    } catch (...) {
      Status s = WriteFailure(db_dir_);
      Abandon();
      return s;
    }
    return Status::Ok();
  }

  // Creates the progress bar (drawing nothing unless options_.progress):
  // its total is the bytes of the files this run reads; those found
  // unchanged when the run opened cost nothing and are left out.
  void StartProgress() {
    uint64_t total = 0;
    for (size_t i = 0; i < files_.size(); ++i) {
      if (!work_[i].not_read) total += files_[i].size;
    }
    indexer::ProgressBar::Options bar;
    bar.enabled = options_.progress;
    bar.total_bytes = total;
    if (options_.progress_interval_ms >= 0) {
      bar.interval = std::chrono::milliseconds(options_.progress_interval_ms);
    }
    progress_.emplace(bar);
  }

  // Reports the progress of the writer through the input: the articles
  // it wrote (incremental run) or handed to build_ (full run) and the
  // input bytes they stand for (the files done, plus the raw bytes of the
  // current file read up to the chunk just written).
  void ReportProgress(uint64_t raw_bytes_of_file) {
    const uint64_t bytes = bytes_done_ + raw_bytes_of_file;
    if (!build_) {
      progress_->Update(articles_done_, bytes);
      return;
    }
    handed_bytes_ = bytes;
    handed_articles_ = articles_done_;
    ReportShardProgress(build_->DocumentsDone());
  }

  // A full run: the writer is ahead of the shard threads by up to a few
  // shards, so the bar counts the documents they made, and the bytes in
  // that proportion of those handed over. Called from any thread.
  void ReportShardProgress(size_t documents_done) {
    const long handed = handed_articles_.load();
    const uint64_t bytes = handed_bytes_.load();
    const long done = std::min(handed, static_cast<long>(documents_done));
    progress_->Update(
        done, handed > 0 ? static_cast<uint64_t>(static_cast<double>(bytes) *
                                                 static_cast<double>(done) /
                                                 static_cast<double>(handed))
                         : 0);
  }

  // Undoes what a failed run wrote: cancels the open transaction of an
  // incremental run (the live generation keeps its last commit), removes
  // the unfinished generation of a full run.
  void Abandon() {
    build_.reset();  // stops its threads; the files go with gen_path_
    if (db_) {
      try {
        if (mode_ == Mode::kIncremental) db_->cancel_transaction();
      } catch (const Xapian::Error&) {
      }
      try {
        db_->close();
      } catch (const Xapian::Error&) {
      }
      db_.reset();
    }
    if (!gen_path_.empty()) {
      std::error_code ec;
      fs::remove_all(gen_path_, ec);
    }
  }

  // ---- workers ----

  struct Job {
    bool read = true;  // else build chunk `chunk` of `file`
    size_t file = 0;
    size_t chunk = 0;
  };

  // Picks the next job; called with mu_ held. Chunks are built in (file,
  // chunk) order; the one the writer waits for is never held back, the
  // others wait while too many built documents are waiting for the writer.
  // Files are read a chunk at a time: the writer's own file whenever the
  // writer waits for a chunk not yet read, and the files in a window ahead
  // of it only while few read articles wait to be built, so memory holds a
  // few chunks of a file, never the file.
  bool NextJob(Job* job) REQUIRES(mu_) {
    if (!chunk_queue_.empty()) {
      auto [file, chunk] = *chunk_queue_.begin();
      bool writer_waits = file == writer_file_ && chunk == writer_chunk_;
      if (writer_waits || inflight_ < inflight_limit_) {
        chunk_queue_.erase(chunk_queue_.begin());
        const size_t n = work_[file].At(chunk)->articles.size();
        inflight_ += n;
        unbuilt_ -= n;
        *job = Job{false, file, chunk};
        return true;
      }
    }
    const size_t end =
        std::min(files_.size(), writer_file_ + parse_window_ + 1);
    for (size_t f = writer_file_; f < end; ++f) {
      FileWork& w = work_[f];
      if (w.not_read || w.eof || w.reading) continue;
      const bool writer_waits =
          f == writer_file_ && w.chunks_made <= writer_chunk_;
      if (!writer_waits && unbuilt_ >= kMaxUnbuiltArticles) return false;
      w.reading = true;
      *job = Job{true, f, 0};
      return true;
    }
    return false;
  }

  void WorkerLoop() {
    pthread_setname_np(pthread_self(), "pundit-parse");
    try {
      Analyzer analyzer;
      Comparator comparator(compare_path_);
      for (;;) {
        Job job;
        {
          MutexLock lock(&mu_);
          while (!stop_ && !NextJob(&job)) cv_work_.Wait(&mu_);
          if (stop_) return;
        }
        if (job.read) {
          bool finished = false;
          std::unique_ptr<Chunk> chunk = ReadChunk(job.file, &finished);
          {
            MutexLock lock(&mu_);
            FileWork& w = work_[job.file];
            w.opened = true;
            w.reading = false;
            w.eof = finished;
            if (chunk) {
              const size_t k = w.chunks_made++;
              unbuilt_ += chunk->articles.size();
              w.chunks.push_back(std::move(chunk));
              chunk_queue_.emplace(job.file, k);
            }
          }
          cv_writer_.Signal();
          cv_work_.SignalAll();
          continue;
        }
        Chunk* chunk;
        {
          MutexLock lock(&mu_);
          chunk = work_[job.file].At(job.chunk);
        }
        BuildChunk(job.file, chunk, analyzer, comparator);
        {
          MutexLock lock(&mu_);
          chunk->done = true;
        }
        cv_writer_.Signal();
      }
    } catch (...) {
      Fail(FromCurrentException("indexing"));
    }
  }

  void Fail(Status status) {
    {
      MutexLock lock(&mu_);
      if (failure_.ok()) failure_ = std::move(status);
      stop_ = true;
    }
    cv_work_.SignalAll();
    cv_writer_.SignalAll();
  }

  // True when file i has the size and mtime stored by an incremental run's
  // index (and was read without errors then).
  bool NotChanged(size_t i) const {
    uint64_t old_size = 0;
    int64_t old_mtime = 0;
    std::string old_hash;
    return mode_ == Mode::kIncremental &&
           indexer::ParseFileState(stored_states_[i], &old_size, &old_mtime,
                                   &old_hash) &&
           old_mtime != kErrorMtime && old_size == files_[i].size &&
           old_mtime == files_[i].mtime_ns;
  }

  // Decides, on the first read of file i, whether it needs reading at all
  // (bytes identical to the stored ones) and opens its reader. False when
  // there is nothing to read.
  bool OpenFile(size_t i) {
    const InputFile& f = files_[i];
    FileWork& w = work_[i];
    uint64_t old_size = 0;
    int64_t old_mtime = 0;
    std::string old_hash;
    const bool have_state =
        mode_ == Mode::kIncremental && !f.is_stdin &&
        indexer::ParseFileState(stored_states_[i], &old_size, &old_mtime,
                                &old_hash);
    if (have_state && old_mtime != kErrorMtime && old_size == f.size) {
      // A touched file: compare its bytes with the stored hash before
      // parsing anything.
      Result<std::string> hash = readers::HashFile(f.path);
      if (hash.ok() && *hash == old_hash) {
        w.same_bytes = true;
        w.new_state = indexer::FormatFileState(f.size, f.mtime_ns, *hash);
        return false;
      }
    }
    readers::ReaderOptions options;
    options.path = f.path;
    options.id_base = f.id_base;
    options.column_map = options_.column_map;
    options.shard = options_.shard;
    Result<readers::OpenedInput> opened =
        readers::OpenInput(f.path, f.format, options);
    if (!opened.ok()) {
      w.read_failed = true;
      w.errors.push_back(ParseError{f.path, 1, opened.status().message()});
      return false;
    }
    if (!opened->passed_over.empty()) {
      w.notices.push_back(f.path + ": note: " + opened->passed_over +
                          ", passed over");
      w.passed_over = true;
      return false;
    }
    w.reader = std::move(opened->reader);
    w.stream = opened->stream;
    w.format = opened->format;
    w.same_with_errors = have_state && old_mtime == kErrorMtime;
    return true;
  }

  // Reads the next chunk of file i: up to kChunkArticles articles, with the
  // errors and notices met on the way. Returns null when the file ended
  // with no article left; sets *finished at the end of the file, after
  // recording its state.
  std::unique_ptr<Chunk> ReadChunk(size_t i, bool* finished) {
    FileWork& w = work_[i];
    if (!w.reader && !OpenFile(i)) {
      *finished = true;
      return nullptr;
    }
    auto chunk = std::make_unique<Chunk>();
    readers::ReadItem item;
    bool more = true;
    while (chunk->articles.size() < kChunkArticles) {
      more = w.reader->Next(&item);
      if (!more) break;
      switch (item.kind) {
        case readers::ReadItem::Kind::kArticle:
          w.last_line = item.article.line;
          ++w.articles_read;  // counted as read whichever shard keeps it
          if (!options_.shard.Keeps(item.article.id)) {
            ++w.other_shards;
            break;
          }
          chunk->articles.push_back(std::move(item.article));
          break;
        case readers::ReadItem::Kind::kOtherShard:  // read no further
          w.last_line = item.article.line;
          ++w.articles_read;
          ++w.other_shards;
          break;
        case readers::ReadItem::Kind::kError:
          w.last_line = item.error.line;
          if (item.error.message == w.stream->error()) {
            w.stream_error_reported = true;
          }
          w.errors.push_back(std::move(item.error));
          break;
        case readers::ReadItem::Kind::kNotice:
          w.notices.push_back(std::move(item.notice));
          break;
      }
    }
    chunk->end_raw_bytes = w.stream->raw_bytes_read();
    if (!more) {
      FinishReading(i);
      *finished = true;
    }
    if (chunk->articles.empty()) return nullptr;
    return chunk;
  }

  // The reader of file i is done: reads what it left of the stream (so the
  // hash covers the whole file), reports a damaged stream the reader did
  // not, and records the file's state (which the writer reads only once
  // the file's eof is set).
  void FinishReading(size_t i) {
    FileWork& w = work_[i];
    const InputFile& f = files_[i];
    while (!w.stream->Buffered().empty()) {
      w.stream->Consume(w.stream->Buffered().size());
    }
    if (!w.stream->error().empty() && !w.stream_error_reported) {
      w.errors.push_back(
          ParseError{f.path, w.last_line + 1, w.stream->error()});
    }
    const std::string hash = w.stream->RawHashHex();
    uint64_t old_size = 0;
    int64_t old_mtime = 0;
    std::string old_hash;
    w.same_with_errors =
        w.same_with_errors &&
        indexer::ParseFileState(
            stored_states_.empty() ? std::string() : stored_states_[i],
            &old_size, &old_mtime, &old_hash) &&
        old_hash == hash;
    w.new_state = indexer::FormatFileState(
        f.size, w.errors.empty() ? f.mtime_ns : kErrorMtime, hash);
    if (const readers::InnerFiles* inner = w.reader->inner_files()) {
      w.inner = *inner;
    }
    w.reader.reset();
    w.stream = nullptr;
  }

  void BuildChunk(size_t i, Chunk* chunk, Analyzer& analyzer,
                  Comparator& comparator) {
    const std::string& file_term = file_terms_[i];
    std::vector<BuiltArticle> built;
    for (Article& article : chunk->articles) {
      BuiltArticle b;
      b.id = article.id;
      b.line = article.line;
      if (article.path != files_[i].path) b.member_path = article.path;
      if (schema::IdTerm(article.id).size() > kMaxTermBytes) {
        b.error = "id \"" + article.id + "\" is " +
                  std::to_string(article.id.size()) +
                  " bytes long, more than the " +
                  std::to_string(kMaxTermBytes - 1) +
                  " an id may have: use a shorter id, file or folder name";
        article = Article();
        built.push_back(std::move(b));
        continue;
      }
      std::string hash = ContentHash(article);
      b.content_hash = std::hash<std::string>{}(hash);
      std::optional<StoredArticle> stored = comparator.Lookup(
          schema::IdTerm(article.id), hash,
          mode_ == Mode::kIncremental ? file_term : std::string(), article);
      if (!stored) {
        b.change = Change::kNew;
      } else if (stored->hash != hash) {
        b.change = Change::kUpdated;
      } else if (mode_ == Mode::kFull || stored->same_source) {
        b.change = Change::kUnchanged;
        b.old_docid = stored->docid;
      } else if (stored->same_file) {
        b.change = Change::kRelocated;
        b.old_docid = stored->docid;
        b.new_data = ArticleToData(article);
      } else {
        b.change = Change::kMoved;
      }
      if (mode_ == Mode::kFull) {
        // The shard that writes it builds the document: an article takes
        // far less memory while it waits.
        b.article = std::move(article);
      } else if (b.change != Change::kUnchanged &&
                 b.change != Change::kRelocated) {
        // Its id was checked above: every other term is short enough
        // (core/document.h).
        b.doc = BuildDocument(article, files_[i].abs_path, analyzer);
        b.has_doc = true;
      }
      article = Article();  // the document holds what is needed now
      built.push_back(std::move(b));
    }
    chunk->articles.clear();
    chunk->articles.shrink_to_fit();
    chunk->built = std::move(built);
  }

  // ---- the writer ----

  Status WriteAll() {
    try {
      for (size_t i = 0; i < files_.size(); ++i) {
        {
          MutexLock lock(&mu_);
          writer_file_ = i;
          writer_chunk_ = 0;
          // Workers are woken when the writer moves to a file it must read
          // (its chunks may be queued behind the in-flight limit, which
          // only the writer's own chunk may pass, and no worker re-checks
          // the queue on its own), and now and then for the files ahead;
          // not once per unchanged file.
          if (!work_[i].not_read || i % 64 == 0) cv_work_.SignalAll();
          while (!stop_ && !work_[i].opened) cv_writer_.Wait(&mu_);
          if (stop_) return failure_;
        }
        Status s = WriteFile(i);
        if (!s.ok()) return s;
        if (!work_[i].not_read) bytes_done_ += files_[i].size;
        ReportProgress(0);  // file i is all in bytes_done_ now
      }
      if (mode_ == Mode::kIncremental) {
        progress_->SetPhase("removing the articles of deleted files");
        RemoveGoneFiles();
      }
    } catch (...) {
      return WriteFailure(db_dir_);
    }
    return Status::Ok();
  }

  Status WriteFile(size_t i) {
    FileWork& w = work_[i];
    const InputFile& f = files_[i];
    const std::string& file_term = file_terms_[i];
    const std::string state_key =
        std::string(schema::kFileStateKeyPrefix) + f.abs_path;
    if (w.not_read || w.same_bytes) {
      long n = static_cast<long>(db_->get_termfreq(file_term));
      summary_.unchanged += n;
      articles_done_ += n;
      if (w.same_bytes) {
        ++summary_.files;
        SetMetadata(state_key, w.new_state);
        for (ParseError& e : w.errors) summary_.errors.push_back(std::move(e));
      }
      return Status::Ok();
    }
    if (w.read_failed) {
      for (ParseError& e : w.errors) summary_.errors.push_back(std::move(e));
      return Status::Ok();
    }
    if (w.passed_over) {  // what it held before stays as it was
      for (std::string& n : w.notices) summary_.notices.push_back(std::move(n));
      ++summary_.passed_over;
      return Status::Ok();
    }
    ++summary_.files;
    std::unordered_map<std::string, WrittenId> ids_in_file;
    std::unordered_set<Xapian::docid> kept;
    std::vector<ParseError> errors;
    for (size_t k = 0;; ++k) {
      Chunk* chunk = nullptr;
      {
        MutexLock lock(&mu_);
        if (writer_chunk_ != k) {
          writer_chunk_ = k;
          cv_work_.SignalAll();
        }
        while (!stop_ && !(k < w.chunks_made && w.At(k)->done) &&
               !(w.eof && k == w.chunks_made)) {
          cv_writer_.Wait(&mu_);
        }
        if (stop_) return failure_;
        if (k == w.chunks_made) break;  // the file is done
        chunk = w.At(k);
      }
      for (BuiltArticle& b : chunk->built) {
        WriteArticle(i, b, &ids_in_file, &kept, &errors);
        ++articles_done_;
      }
      const uint64_t raw_bytes = chunk->end_raw_bytes;
      {
        MutexLock lock(&mu_);
        inflight_ -= chunk->built.size();
        w.chunks.pop_front();
        ++w.first_chunk;
      }
      cv_work_.SignalAll();
      ReportProgress(raw_bytes);
    }
    // Read by the worker that finished the file, seen after its eof.
    for (ParseError& e : w.errors) errors.push_back(std::move(e));
    w.errors.clear();
    for (std::string& n : w.notices) summary_.notices.push_back(std::move(n));
    if (w.inner) {
      ++summary_.archives;
      for (const auto& [name, inner] : w.inner->formats) {
        IndexSummary::FormatCount& count = summary_.formats[name];
        count.files += inner.files;
        count.articles += inner.articles;
        summary_.archive_files += inner.files;
      }
      summary_.passed_over += w.inner->passed_over;
    } else if (w.format != nullptr) {
      IndexSummary::FormatCount& count = summary_.formats[w.format->name];
      ++count.files;
      count.articles += w.articles_read;
    }
    summary_.other_shards += w.other_shards;

    if (copies_of_file_ > 0) {
      summary_.notices.push_back(
          f.path + ": note: " +
          (copies_of_file_ == 1 ? std::string("1 article is a copy")
                                : indexer::WithThousands(copies_of_file_) +
                                      " articles are copies") +
          " (same id, same content) of one read before, indexed once");
      summary_.copies += copies_of_file_;
      copies_of_file_ = 0;
    }
    // Standard input adds and updates; it never stands for a whole file,
    // so nothing is deleted for what it did not send.
    if (errors.empty() && mode_ == Mode::kIncremental && !f.is_stdin) {
      std::vector<Xapian::docid> gone;
      for (Xapian::PostingIterator p = db_->postlist_begin(file_term);
           p != db_->postlist_end(file_term); ++p) {
        if (kept.count(*p) == 0) gone.push_back(*p);
      }
      for (Xapian::docid did : gone) {
        db_->delete_document(did);
        ++summary_.deleted;
        CountWrite();
      }
    } else if (w.same_with_errors) {
      // The stored articles its failing lines gave are kept as they are.
      for (Xapian::PostingIterator p = db_->postlist_begin(file_term);
           p != db_->postlist_end(file_term); ++p) {
        if (kept.count(*p) == 0) ++summary_.unchanged;
      }
    }
    // In line order; an archive's by member, then line.
    std::stable_sort(errors.begin(), errors.end(),
                     [](const ParseError& a, const ParseError& b) {
                       return a.path != b.path ? a.path < b.path
                                               : a.line < b.line;
                     });
    if (!errors.empty()) {
      // Errors found while building (an over-long id) count like parse
      // errors: the file is read again next run so they are reported again.
      uint64_t size = 0;
      int64_t mtime = 0;
      std::string hash;
      if (indexer::ParseFileState(w.new_state, &size, &mtime, &hash)) {
        w.new_state = indexer::FormatFileState(size, kErrorMtime, hash);
      }
    }
    for (ParseError& e : errors) summary_.errors.push_back(std::move(e));
    if (!f.is_stdin) SetMetadata(state_key, w.new_state);
    return Status::Ok();
  }

  void WriteArticle(size_t i, BuiltArticle& b,
                    std::unordered_map<std::string, WrittenId>* ids_in_file,
                    std::unordered_set<Xapian::docid>* kept,
                    std::vector<ParseError>* errors) {
    const uint32_t member = MemberOf(i, b.member_path);
    const std::string& path = Where(i, member);
    if (!b.error.empty()) {
      errors->push_back(ParseError{path, b.line, std::move(b.error)});
      return;
    }
    if (build_) {  // written_ids_ sees the ids of this file too
      WriteToNewGeneration(i, member, b, errors);
      return;
    }
    auto [it, inserted] = ids_in_file->emplace(
        b.id,
        WrittenId{static_cast<uint32_t>(i), member, b.line, b.content_hash});
    if (!inserted) {
      if (it->second.content_hash == b.content_hash) {
        ++copies_of_file_;
      } else {
        errors->push_back(DuplicateIdError(
            path, b.line, b.id, Where(i, it->second.member), it->second.line));
      }
      return;
    }
    if (!b.has_doc) {  // unchanged or relocated, incremental
      kept->insert(b.old_docid);
      ++summary_.unchanged;
      if (b.change == Change::kRelocated) {
        // Only the data changes: Xapian rewrites just that.
        Xapian::Document doc = db_->get_document(b.old_docid);
        doc.set_data(b.new_data);
        db_->replace_document(b.old_docid, doc);
        CountWrite();
      }
      return;
    }
    const std::string id_term = schema::IdTerm(b.id);
    // term_exists first: opening a postlist of a WritableDatabase flushes
    // buffered changes, and most ids of a new generation are new.
    bool existed = db_->term_exists(id_term);
    if (existed) {
      const Xapian::docid owner_doc = *db_->postlist_begin(id_term);
      std::string owner = OwnerFileTerm(owner_doc);
      auto other = file_by_term_.find(owner);
      if (owner != file_terms_[i] && other != file_by_term_.end() &&
          other->second != i) {
        if (b.change == Change::kMoved) {
          ++copies_of_file_;  // the same record, read again: kept once
          kept->insert(owner_doc);
          return;
        }
        Result<Article> first =
            ArticleFromData(db_->get_document(owner_doc).get_data());
        errors->push_back(DuplicateIdError(
            path, b.line, b.id,
            first.ok() ? first->path : files_[other->second].path,
            first.ok() ? first->line : 1));
        return;
      }
    }
    Xapian::docid did = db_->replace_document(id_term, b.doc);
    kept->insert(did);
    written_docs_.push_back(did);
    b.doc = Xapian::Document();
    CountWrite();
    if (b.change == Change::kMoved) {
      ++summary_.unchanged;
    } else if (existed) {
      ++summary_.updated;
    } else {
      ++summary_.indexed;
    }
  }

  // "duplicate id "X": already used by other.jsonl:7; ..." for the record
  // at path:line.
  static ParseError DuplicateIdError(const std::string& path, int line,
                                     const std::string& id,
                                     const std::string& first_path,
                                     int first_line) {
    return ParseError{path, line,
                      "duplicate id \"" + id + "\": already used by " +
                          first_path + ":" + std::to_string(first_line) +
                          " for another article; give one of them another "
                          "id"};
  }

  // A full run: the new generation holds only this run's articles, so an
  // id already written came from an earlier file of this run.
  void WriteToNewGeneration(size_t i, uint32_t member, BuiltArticle& b,
                            std::vector<ParseError>* errors) {
    auto [it, inserted] = written_ids_.emplace(
        b.id,
        WrittenId{static_cast<uint32_t>(i), member, b.line, b.content_hash});
    if (!inserted) {
      if (it->second.content_hash == b.content_hash) {
        ++copies_of_file_;  // the same record, read again: kept once
        return;
      }
      errors->push_back(DuplicateIdError(
          Where(i, member), b.line, b.id,
          Where(it->second.file, it->second.member), it->second.line));
      return;
    }
    build_->Add(std::move(b.article), files_[i].abs_path, written_.size());
    b.article = Article();
    written_.push_back(
        Written{static_cast<uint32_t>(i), member, b.line, b.change});
    CountWritten(b.change, +1);
  }

  // Counts an article written to (+1) or rejected from (-1) a new
  // generation, by what it is compared with the old one.
  void CountWritten(Change change, int n) {
    switch (change) {
      case Change::kNew:
        summary_.indexed += n;
        break;
      case Change::kUpdated:
        summary_.updated += n;
        old_seen_ += n;
        break;
      case Change::kUnchanged:
      case Change::kRelocated:
      case Change::kMoved:
        summary_.unchanged += n;
        old_seen_ += n;
        break;
    }
  }

  // Counts and reports the articles a new generation could not hold, each
  // among the errors of its file in line order.
  void AddRejected(std::vector<indexer::ShardBuild::Rejected> rejected) {
    if (rejected.empty()) return;
    std::unordered_map<std::string, size_t> file_of_path;
    for (size_t i = 0; i < files_.size(); ++i) file_of_path[files_[i].path] = i;
    for (const Member& m : member_paths_) file_of_path[m.path] = m.file;
    for (indexer::ShardBuild::Rejected& r : rejected) {
      const Written& w = written_[r.tag];
      CountWritten(w.change, -1);
      summary_.errors.push_back(
          ParseError{Where(w.file, w.member), w.line, std::move(r.message)});
    }
    std::stable_sort(summary_.errors.begin(), summary_.errors.end(),
                     [&](const ParseError& a, const ParseError& b) {
                       size_t fa = file_of_path[a.path];
                       size_t fb = file_of_path[b.path];
                       return fa != fb           ? fa < fb
                              : a.path != b.path ? a.path < b.path
                                                 : a.line < b.line;
                     });
  }

  void SetMetadata(const std::string& key, const std::string& value) {
    if (build_) {
      build_->SetMetadata(key, value);
    } else {
      db_->set_metadata(key, value);
    }
  }

  // The XF term of document `did`, or "".
  std::string OwnerFileTerm(Xapian::docid did) {
    Xapian::Document doc = db_->get_document(did);
    Xapian::TermIterator t = doc.termlist_begin();
    t.skip_to(std::string(schema::kFilePrefix));
    if (t == doc.termlist_end()) return "";
    std::string term = *t;
    return term.starts_with(schema::kFilePrefix) ? term : "";
  }

  // Counts one document change of an incremental run and commits its
  // transaction every batch_size changes.
  void CountWrite() {
    if (++changes_since_commit_ < batch_size_) return;
    CommitBatch();
    db_->begin_transaction(true);
  }

  // Commits the open transaction of an incremental run, after checking the
  // disk has room for it (indexer/disk_room.h).
  void CommitBatch() {
    const uint64_t documents = static_cast<uint64_t>(changes_since_commit_);
    room_->Check(documents);
    // The batch's new and changed articles join their copies' groups, so
    // each committed batch has its groups.
    indexer::GroupCopiesOf(*db_, written_docs_);
    written_docs_.clear();
    const uint64_t before = indexer::DiskRoom::FolderBytes(compare_path_);
    db_->commit_transaction();
    room_->Committed(documents, before,
                     indexer::DiskRoom::FolderBytes(compare_path_));
    changes_since_commit_ = 0;
  }

  bool UnderRoot(const std::string& path) const {
    for (const std::string& root : roots_) {
      if (path.starts_with(root)) return true;
    }
    return false;
  }

  // Removes the documents and state of stored files that were under an
  // indexed folder and are no longer article files there.
  void RemoveGoneFiles() {
    const std::string prefix(schema::kFileStateKeyPrefix);
    std::unordered_set<std::string> walked;
    for (const InputFile& f : files_) walked.insert(f.abs_path);
    std::vector<std::string> gone;
    for (Xapian::TermIterator t = db_->metadata_keys_begin(prefix);
         t != db_->metadata_keys_end(prefix); ++t) {
      std::string path = (*t).substr(prefix.size());
      if (walked.count(path) != 0 || !UnderRoot(path)) continue;
      std::error_code ec;
      fs::file_status st = fs::status(path, ec);
      bool missing = ec == std::errc::no_such_file_or_directory ||
                     ec == std::errc::not_a_directory ||
                     (!ec && !fs::exists(st));
      bool still_article = !ec && fs::exists(st) &&
                           readers::FormatForFileName(
                               fs::path(path).filename().string()) != nullptr;
      if (ec && !missing) continue;  // cannot tell: keep it
      if (!missing && still_article) continue;
      gone.push_back(path);
    }
    for (const std::string& path : gone) {
      std::string file_term = schema::FileTerm(path);
      std::vector<Xapian::docid> docs;
      for (Xapian::PostingIterator p = db_->postlist_begin(file_term);
           p != db_->postlist_end(file_term); ++p) {
        docs.push_back(*p);
      }
      for (Xapian::docid did : docs) {
        db_->delete_document(did);
        ++summary_.deleted;
        CountWrite();
      }
      db_->set_metadata(prefix + path, "");
    }
  }

  // Groups the copies of a full run's merged generation. Keying a few
  // hundred articles rewrites the B-tree blocks that hold them (Reuters:
  // 800 articles made the index 96 MB instead of 76 MB), so a generation where
  // any were keyed is compacted again, through a folder inside it whose files
  // then replace its own. Throws what Xapian throws.
  void GroupCopiesOfNewGeneration() {
    progress_->SetPhase("grouping syndicated copies");
    indexer::CopyGroupCounts counts;
    {
      Xapian::WritableDatabase generation(gen_path_, Xapian::DB_OPEN);
      counts = indexer::GroupAllCopies(generation);
      generation.commit();
      generation.close();
    }
    if (counts.articles_keyed == 0) return;
    progress_->SetPhase("compacting after grouping copies");
    const std::string compacted = gen_path_ + "/compacted";
    Xapian::Database(gen_path_).compact(
        compacted, indexer::kCompactFlags | Xapian::DBCOMPACT_NO_RENUMBER);
    for (const fs::directory_entry& file : fs::directory_iterator(gen_path_)) {
      if (file.is_regular_file()) fs::remove(file.path());
    }
    for (const fs::directory_entry& file : fs::directory_iterator(compacted)) {
      fs::rename(file.path(),
                 gen_path_ + "/" + file.path().filename().string());
    }
    fs::remove(compacted);
  }

  // Records the schema, the id scheme and the time, commits, and for a full
  // run makes the new generation live.
  Status Finish() {
    try {
      SetMetadata(std::string(schema::kSchemaKey),
                  std::to_string(schema::kSchemaVersion));
      SetMetadata(std::string(schema::kLastIndexedKey), NowIso8601());
      SetMetadata(std::string(schema::kIdsKey),
                  std::string(schema::kIdsContent));
      if (build_) {
        std::vector<indexer::ShardBuild::Rejected> rejected = build_->Finish();
        build_.reset();
        AddRejected(std::move(rejected));
        GroupCopiesOfNewGeneration();
      } else {
        progress_->SetPhase("committing");
        CommitBatch();
        db_->close();
        db_.reset();
      }
    } catch (...) {
      return WriteFailure(db_dir_);
    }
    if (mode_ == Mode::kFull) {
      if (old_doccount_ > old_seen_) {
        summary_.deleted += static_cast<long>(old_doccount_ - old_seen_);
      }
      progress_->SetPhase("writing the new index to disk");
      if (Status s = SyncFolder(gen_path_); !s.ok()) return s;
      remote::ServeGeneration(db_dir_, gen_name_);
      if (Status s = store::MakeLive(db_dir_, gen_name_); !s.ok()) return s;
      gen_path_.clear();  // live now: not to be removed
    }
    return Status::Ok();
  }

  const IndexerOptions& options_;
  const std::string db_dir_;
  const std::vector<InputFile> files_;
  const std::vector<std::string> roots_;
  std::vector<std::string> file_terms_;
  std::unordered_map<std::string, size_t> file_by_term_;
  std::vector<std::string> stored_states_;  // incremental only
  std::vector<FileWork> work_;

  Mode mode_ = Mode::kIncremental;
  int jobs_ = 1;
  int batch_size_ = 1000;
  std::string compare_path_;  // the index articles are compared against
  std::optional<Xapian::WritableDatabase> db_;  // incremental run
  std::optional<indexer::ShardBuild> build_;    // full run
  std::optional<indexer::DiskRoom> room_;       // incremental run
  // Full run: where each written id came from (a later record with the
  // same id and content is a copy, with other content an error), and each
  // article handed to build_, in order.
  std::unordered_map<std::string, WrittenId> written_ids_;
  long copies_of_file_ = 0;  // copies met in the file being written
  struct Written {
    uint32_t file;
    uint32_t member;  // Where
    int line;
    Change change;
  };
  // The members of archives that articles were written from, in the order
  // met (a member's articles come one after another): Where(file, k) is
  // member_paths_[k - 1].
  struct Member {
    std::string path;
    size_t file;
  };
  std::vector<Member> member_paths_;

  // The number Where knows `member_path` of file i by, 0 for "" (the file
  // itself). Called by the writer in the order articles are written.
  uint32_t MemberOf(size_t i, const std::string& member_path) {
    if (member_path.empty()) return 0;
    if (member_paths_.empty() || member_paths_.back().path != member_path ||
        member_paths_.back().file != i) {
      member_paths_.push_back(Member{member_path, i});
    }
    return static_cast<uint32_t>(member_paths_.size());
  }

  // The path errors name for an article of file i: the file's own, or that
  // of the archive member it came from.
  const std::string& Where(size_t i, uint32_t member) const {
    return member == 0 ? files_[i].path : member_paths_[member - 1].path;
  }
  std::vector<Written> written_;
  std::string gen_name_, gen_path_;  // full run: the generation being built
  Xapian::doccount old_doccount_ = 0;
  Xapian::doccount old_seen_ = 0;

  // Writer-only state.
  IndexSummary summary_;
  std::optional<indexer::ProgressBar> progress_;
  long articles_done_ = 0;
  uint64_t bytes_done_ = 0;  // input bytes of the files written
  // Full run: what the writer handed to build_, for the shard threads'
  // progress reports.
  std::atomic<long> handed_articles_{0};
  std::atomic<uint64_t> handed_bytes_{0};
  int changes_since_commit_ = 0;
  // Incremental run: documents written since the last commit, to group
  // with their copies before it (indexer/copy_groups.h).
  std::vector<Xapian::docid> written_docs_;

  // Shared between the writer and the workers, guarded by mu_ (and so are
  // the flags and chunks of each FileWork in work_, see FileWork).
  Mutex mu_;
  CondVar cv_work_;    // workers: a job may be available
  CondVar cv_writer_;  // writer: a file or chunk is ready
  bool stop_ GUARDED_BY(mu_) = false;
  Status failure_ GUARDED_BY(mu_);
  size_t writer_file_ GUARDED_BY(mu_) = 0;   // the file the writer is at
  size_t writer_chunk_ GUARDED_BY(mu_) = 0;  // ... and its awaited chunk
  size_t inflight_ GUARDED_BY(mu_) = 0;      // built documents not yet written
  size_t unbuilt_ GUARDED_BY(mu_) = 0;       // parsed articles of queued chunks
  std::set<std::pair<size_t, size_t>> chunk_queue_
      GUARDED_BY(mu_);  // (file, chunk)
  // Set by the constructor, before any worker starts; read-only after.
  size_t parse_window_ = 4;
  size_t inflight_limit_ = 64;
};

}  // namespace

Result<IndexSummary> RunIndex(const IndexerOptions& options) {
  auto start = std::chrono::steady_clock::now();
  if (options.inputs.empty()) {
    return Status::InvalidArgument(
        "nothing to index: give the files or folders of articles to index");
  }
  std::string db_dir =
      options.db_dir.empty() ? store::DefaultDbDir() : options.db_dir;
  Result<indexer::WalkOutput> walk =
      indexer::WalkInputs(options.inputs, db_dir);
  if (!walk.ok()) return walk.status();
  Result<std::unique_ptr<store::WriteLock>> lock =
      store::WriteLock::Acquire(db_dir);
  if (!lock.ok()) return lock.status();
  store::RemoveStaleGenerations(db_dir);
  IndexRun run(options, db_dir, std::move(walk).value());
  return run.Run(start);
}

std::string CompactSummary::SummaryLine() const {
  auto mb = [](unsigned long long bytes) {
    const long tenths = std::lround(static_cast<double>(bytes) / 1e5);
    return indexer::WithThousands(tenths / 10) + "." +
           std::to_string(tenths % 10) + " MB";
  };
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.1f", seconds);
  return "compacted " + indexer::WithThousands(articles) +
         " articles: " + mb(bytes_before) + " -> " + mb(bytes_after) + " in " +
         secs + " s";
}

Result<CompactSummary> RunCompact(const std::string& db_dir_in) {
  const auto start = std::chrono::steady_clock::now();
  const std::string db_dir =
      db_dir_in.empty() ? store::DefaultDbDir() : db_dir_in;
  // No index: say so before creating DIR for the lock.
  if (Result<std::string> live = store::LiveGenerationPath(db_dir);
      !live.ok()) {
    return live.status();
  }
  Result<std::unique_ptr<store::WriteLock>> lock =
      store::WriteLock::Acquire(db_dir);
  if (!lock.ok()) return lock.status();
  store::RemoveStaleGenerations(db_dir);
  Result<std::string> live = store::LiveGenerationPath(db_dir);
  if (!live.ok()) return live.status();
  Result<Xapian::Database> db = store::OpenForReading(db_dir);
  if (!db.ok()) return db.status();

  CompactSummary summary;
  summary.generation = store::NextGenerationName(db_dir);
  const std::string out = db_dir + "/" + summary.generation;
  auto remove_out = [&out] {
    std::error_code ec;
    fs::remove_all(out, ec);
  };
  try {
    summary.articles = static_cast<long>(db->get_doccount());
    db->compact(out, indexer::kCompactFlags | Xapian::DBCOMPACT_NO_RENUMBER);
  } catch (...) {
    Status failure = WriteFailure(db_dir);
    remove_out();
    return failure;
  }
  if (Status s = SyncFolder(out); !s.ok()) {
    remove_out();
    return s;
  }
  auto folder_bytes = [](const std::string& dir) {
    unsigned long long total = 0;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
         it.increment(ec)) {
      std::error_code size_ec;
      const auto size = fs::file_size(it->path(), size_ec);
      if (!size_ec) total += size;
    }
    return total;
  };
  summary.bytes_before = folder_bytes(*live);
  summary.bytes_after = folder_bytes(out);
  remote::ServeGeneration(db_dir, summary.generation);
  if (Status s = store::MakeLive(db_dir, summary.generation); !s.ok()) {
    remove_out();
    return s;
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return summary;
}

}  // namespace pundit
