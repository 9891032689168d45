#include "indexer/shard_build.h"

#include <pthread.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iterator>
#include <string>
#include <utility>

#include "core/analyzer.h"
#include "core/document.h"
#include "core/schema.h"

namespace pundit::indexer {
namespace {

namespace fs = std::filesystem;

// Passes the table Xapian is compacting to a step callback.
class StepReporter : public Xapian::Compactor {
 public:
  StepReporter(const std::function<void(const std::string&)>& on_step,
               std::string step)
      : on_step_(on_step), step_(std::move(step)) {}
  void set_status(const std::string& table,
                  const std::string& /*status*/) override {
    if (table != table_) {
      table_ = table;
      on_step_(step_ + ": " + table);
    }
  }

 private:
  const std::function<void(const std::string&)>& on_step_;
  const std::string step_;
  std::string table_;
};

// Merges `inputs` (in this order: the ids of each are offset by those
// before it) into a new database at `output`. Reports each table to
// `on_step` (as "merging N databases: TABLE") when it is not empty.
// First checks that the disk has room for a copy of the inputs.
void Merge(const std::vector<std::string>& inputs, const std::string& output,
           const DiskRoom& room,
           const std::function<void(const std::string&)>& on_step = {}) {
  uint64_t input_bytes = 0;
  for (const std::string& input : inputs) {
    input_bytes += DiskRoom::FolderBytes(input);
  }
  room.Check(0, input_bytes);
  Xapian::Database all;
  for (const std::string& input : inputs) {
    all.add_database(Xapian::Database(input, Xapian::DB_BACKEND_GLASS));
  }
  if (!on_step) {
    all.compact(output, kCompactFlags);
    return;
  }
  std::string step = "merging " + std::to_string(inputs.size()) + " databases";
  on_step(step);
  StepReporter reporter(on_step, std::move(step));
  all.compact(output, kCompactFlags, /*block_size=*/0, reporter);
}

}  // namespace

std::string OverlongTermError(const Article& article) {
  const std::string term = schema::IdTerm(article.id);
  if (term.size() <= kMaxTermBytes) return "";
  return "cannot be indexed: the term \"" + term.substr(0, 40) +
         "...\" is longer than " + std::to_string(kMaxTermBytes) + " bytes";
}

ShardBuild::ShardBuild(std::string dir, const Options& options)
    : dir_(std::move(dir)),
      shards_dir_(dir_ + "/shards"),
      options_{std::max(1, options.threads),
               std::max<size_t>(1, options.shard_docs),
               std::max<size_t>(1, options.commit_docs),
               std::max<size_t>(2, options.fan_in),
               options.on_finish_step,
               options.on_documents_done},
      room_(dir_),
      levels_(1) {
  fs::create_directories(shards_dir_);
  current_.reserve(options_.shard_docs);
  try {
    for (int t = 0; t < options_.threads; ++t) {
      threads_.emplace_back([this] { Loop(); });
    }
  } catch (...) {
    // A thread that cannot be started (std::system_error): those started
    // must be joined before the exception leaves the constructor.
    StopThreads();
    throw;
  }
}

ShardBuild::~ShardBuild() { StopThreads(); }

void ShardBuild::StopThreads() {
  {
    MutexLock lock(&mu_);
    stop_ = true;
    tasks_.clear();
  }
  cv_work_.SignalAll();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void ShardBuild::Add(Article article, const std::string& abs_path, size_t tag) {
  current_.push_back(Pending{std::move(article), &abs_path, tag});
  if (current_.size() < options_.shard_docs) return;
  Task task;
  task.articles = std::move(current_);
  current_.clear();
  current_.reserve(options_.shard_docs);
  MutexLock lock(&mu_);
  while (error_ == nullptr &&
         queued_shards_ >= static_cast<size_t>(options_.threads)) {
    cv_done_.Wait(&mu_);
  }
  RethrowIfFailed();
  Submit(std::move(task));
}

void ShardBuild::SetMetadata(const std::string& key, const std::string& value) {
  metadata_[key] = value;
}

std::vector<ShardBuild::Rejected> ShardBuild::Finish() {
  // The metadata database first, then the rest (filled under the lock).
  const std::string meta = shards_dir_ + "/meta";
  std::vector<std::string> inputs = {meta};
  std::vector<Rejected> rejected;
  {
    MutexLock lock(&mu_);
    RethrowIfFailed();
    SubmitTail();
    if (options_.on_finish_step && (!tasks_.empty() || running_ > 0)) {
      lock.Unlock();
      options_.on_finish_step("writing the last shards");
      lock.Lock();
    }
    while (error_ == nullptr && (!tasks_.empty() || running_ > 0)) {
      cv_done_.Wait(&mu_);
    }
    RethrowIfFailed();
    // The databases not merged into a level above, in document order: those
    // of the highest level cover the first documents.
    for (size_t level = levels_.size(); level-- > 0;) {
      const Level& l = levels_[level];
      for (size_t i = l.merged * options_.fan_in; i < l.done.size(); ++i) {
        inputs.push_back(PathOf(level, i));
      }
    }
    rejected = std::move(rejected_);
  }
  // The metadata: a database with no documents, merged first.
  {
    room_.Check(0);
    Xapian::WritableDatabase db(meta, kShardFlags);
    for (const auto& [key, value] : metadata_) db.set_metadata(key, value);
    db.commit();
    db.close();
  }
  Merge(inputs, dir_, room_, options_.on_finish_step);
  fs::remove_all(shards_dir_);
  std::sort(rejected.begin(), rejected.end(),
            [](const Rejected& a, const Rejected& b) { return a.tag < b.tag; });
  return rejected;
}

void ShardBuild::SubmitTail() {
  // The shards no thread has taken yet are the last ones submitted: at the
  // back of the queue, with the highest numbers.
  std::vector<Pending> tail;
  std::vector<Task> waiting;
  while (!tasks_.empty() && tasks_.back().level == 0) {
    waiting.push_back(std::move(tasks_.back()));
    tasks_.pop_back();
  }
  for (auto task = waiting.rbegin(); task != waiting.rend(); ++task) {
    for (Pending& p : task->articles) tail.push_back(std::move(p));
  }
  for (Pending& p : current_) tail.push_back(std::move(p));
  current_.clear();
  levels_[0].done.resize(levels_[0].done.size() - waiting.size());
  queued_shards_ -= waiting.size();
  // Cut into two pieces per thread, so that the threads finish at about
  // the same time rather than one writing a whole shard alone at the end.
  const size_t pieces = 2 * static_cast<size_t>(options_.threads);
  const size_t piece = std::max<size_t>(options_.commit_docs,
                                        (tail.size() + pieces - 1) / pieces);
  for (size_t begin = 0; begin < tail.size(); begin += piece) {
    Task task;
    const size_t end = std::min(tail.size(), begin + piece);
    task.articles.assign(std::make_move_iterator(tail.begin() + begin),
                         std::make_move_iterator(tail.begin() + end));
    Submit(std::move(task));
  }
}

void ShardBuild::Submit(Task task) {
  if (task.level == 0) {
    task.index = levels_[0].done.size();
    levels_[0].done.push_back(false);
    ++queued_shards_;
    tasks_.push_back(std::move(task));
  } else {
    // Merges first: they free disk space and file handles.
    tasks_.push_front(std::move(task));
  }
  cv_work_.Signal();
}

void ShardBuild::Done(size_t level, size_t index) {
  levels_[level].done[index] = true;
  for (;;) {
    Level& l = levels_[level];
    const size_t begin = l.merged * options_.fan_in;
    const size_t end = begin + options_.fan_in;
    if (end > l.done.size() ||
        !std::all_of(l.done.begin() + begin, l.done.begin() + end,
                     [](bool done) { return done; })) {
      return;
    }
    Task merge;
    merge.level = level + 1;
    merge.index = l.merged++;
    if (levels_.size() <= merge.level) levels_.emplace_back();
    levels_[merge.level].done.push_back(false);
    Submit(std::move(merge));
  }
}

void ShardBuild::RethrowIfFailed() {
  if (error_ != nullptr) std::rethrow_exception(error_);
}

void ShardBuild::Loop() {
  pthread_setname_np(pthread_self(), "pundit-shard");
  // Nothing may leave a thread's function (std::terminate): an error in a
  // task, or outside one (this thread's Analyzer, the bookkeeping after a
  // task, both only when memory runs out), fails the build.
  try {
    Analyzer analyzer;  // this thread's, with its cache of stems
    for (;;) {
      Task task;
      {
        MutexLock lock(&mu_);
        while (!stop_ && tasks_.empty()) cv_work_.Wait(&mu_);
        if (stop_) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
        if (task.level == 0) --queued_shards_;
        ++running_;
      }
      std::vector<Rejected> rejected;
      std::exception_ptr error;
      try {
        Run(task, analyzer, &rejected);
      } catch (...) {
        error = std::current_exception();
      }
      {
        MutexLock lock(&mu_);
        --running_;
        if (error != nullptr) {
          FailLocked(error);
        } else {
          for (Rejected& r : rejected) rejected_.push_back(std::move(r));
          Done(task.level, task.index);
        }
      }
      cv_done_.SignalAll();
    }
  } catch (...) {
    {
      MutexLock lock(&mu_);
      FailLocked(std::current_exception());
    }
    cv_done_.SignalAll();
  }
}

void ShardBuild::FailLocked(std::exception_ptr error) {
  if (error_ == nullptr) error_ = std::move(error);
  tasks_.clear();
}

void ShardBuild::Run(Task& task, Analyzer& analyzer,
                     std::vector<Rejected>* rejected) {
  const std::string path = PathOf(task.level, task.index);
  if (task.level == 0) {
    Xapian::WritableDatabase db(path, kShardFlags);
    // Documents are written in transactions: when a commit fails (a full
    // disk), the database's destructor then drops what is buffered instead
    // of committing it again, which Xapian 1.4 cannot fail from without
    // ending the process.
    db.begin_transaction(true);
    size_t buffered = 0;
    size_t uncounted = 0;  // done, not yet in documents_done_
    auto count = [&] {
      size_t done = documents_done_ += uncounted;
      uncounted = 0;
      if (options_.on_documents_done) options_.on_documents_done(done);
    };
    for (Pending& pending : task.articles) {
      ++uncounted;
      if (std::string error = OverlongTermError(pending.article);
          !error.empty()) {
        rejected->push_back(Rejected{pending.tag, std::move(error)});
        continue;
      }
      Xapian::Document doc =
          BuildDocument(pending.article, *pending.abs_path, analyzer);
      pending.article = Article();  // the document holds what is needed
      db.add_document(doc);
      if (++buffered == options_.commit_docs) {
        Commit(db, path, buffered);
        buffered = 0;
        count();
      }
    }
    Commit(db, path, buffered);
    db.cancel_transaction();  // the one Commit opened holds nothing
    db.close();
    count();
    return;
  }
  std::vector<std::string> inputs;
  const size_t first = task.index * options_.fan_in;
  for (size_t i = first; i < first + options_.fan_in; ++i) {
    inputs.push_back(PathOf(task.level - 1, i));
  }
  Merge(inputs, path, room_);
  for (const std::string& input : inputs) fs::remove_all(input);
}

void ShardBuild::Commit(Xapian::WritableDatabase& db, const std::string& path,
                        size_t documents) {
  room_.Check(documents);
  const uint64_t before = DiskRoom::FolderBytes(path);
  db.commit_transaction();
  room_.Committed(documents, before, DiskRoom::FolderBytes(path));
  db.begin_transaction(true);
}

std::string ShardBuild::PathOf(size_t level, size_t index) const {
  char name[32];
  std::snprintf(name, sizeof name, "L%zu-%06zu", level, index);
  return shards_dir_ + "/" + name;
}

}  // namespace pundit::indexer
