#include "searcher/index_handle.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "core/files.h"
#include "core/schema.h"
#include "core/store.h"

namespace pundit {
namespace {

namespace fs = std::filesystem;

bool SameStat(const struct stat& a, const struct stat& b) {
  return a.st_ino == b.st_ino && a.st_mtim.tv_sec == b.st_mtim.tv_sec &&
         a.st_mtim.tv_nsec == b.st_mtim.tv_nsec && a.st_size == b.st_size;
}

bool IsDatabaseFolder(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(path) / "CURRENT", ec);
}

// "HOST:PORT" or "[V6]:PORT" into host and port; false when malformed.
bool SplitHostPort(const std::string& text, std::string* host, int* port) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  std::string h = text.substr(0, colon);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') {
    h = h.substr(1, h.size() - 2);
  }
  const char* b = text.data() + colon + 1;
  const char* e = text.data() + text.size();
  auto [p, err] = std::from_chars(b, e, *port);
  if (err != std::errc() || p != e || *port < 1 || *port > 65535) return false;
  *host = h;
  return !h.empty();
}

}  // namespace

std::string StubLine::Name() const {
  return kind == Kind::kRemote ? host + ":" + std::to_string(port) : path;
}

Result<std::vector<StubLine>> ReadStubFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open stub file " + path);
  const fs::path base = fs::path(path).parent_path();
  std::vector<StubLine> lines;
  std::string text;
  for (int n = 1; std::getline(in, text); ++n) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    std::istringstream words(text);
    std::string kind, arg, extra;
    words >> kind;
    if (kind.empty() || kind[0] == '#') continue;
    words >> arg >> extra;
    auto bad = [&](const std::string& what) {
      return Status::InvalidArgument(path + ":" + std::to_string(n) +
                                     ": error: " + what);
    };
    if (!extra.empty()) {
      return bad(
          "one database per line, as `remote HOST:PORT` or `auto "
          "PATH`; this line has more");
    }
    StubLine line;
    line.line = n;
    if (kind == "remote") {
      line.kind = StubLine::Kind::kRemote;
      if (!SplitHostPort(arg, &line.host, &line.port)) {
        return bad("`remote` takes HOST:PORT (port 1-65535), not \"" + arg +
                   "\"");
      }
    } else if (kind == "auto" || kind == "glass") {
      if (arg.empty()) return bad("`" + kind + "` takes a PATH");
      line.path = fs::path(arg).is_absolute() ? arg : (base / arg).string();
    } else if (arg.empty()) {
      line.path = fs::path(kind).is_absolute() ? kind : (base / kind).string();
    } else {
      return bad("unknown database type \"" + kind +
                 "\"; pundit reads `remote HOST:PORT`, `auto PATH` and "
                 "`glass PATH` lines");
    }
    lines.push_back(std::move(line));
  }
  if (lines.empty()) {
    return Status::InvalidArgument("stub file " + path +
                                   " names no database: add lines such as "
                                   "`remote HOST:PORT`");
  }
  return lines;
}

std::string StubFileFor(const std::string& db_path) {
  std::error_code ec;
  if (fs::is_regular_file(db_path, ec)) return db_path;
  if (fs::is_directory(db_path, ec) && !IsDatabaseFolder(db_path)) {
    fs::path stub = fs::path(db_path) / kShardsStubName;
    if (fs::is_regular_file(stub, ec)) return stub.string();
  }
  return "";
}

Status IndexHandle::Open(const std::string& db_path, int timeout_ms) {
  path_ = db_path;
  remote_keys_.clear();
  timeout_ms_ = timeout_ms > 0 ? timeout_ms : kDefaultShardTimeoutMs;
  std::string stub = StubFileFor(db_path);
  return stub.empty() ? OpenFolder(db_path) : OpenStub(stub);
}

Status IndexHandle::OpenFolder(const std::string& dir) {
  struct stat st {};
  bool have = ::stat((dir + "/CURRENT").c_str(), &st) == 0;
  Result<std::string> gen = store::LiveGenerationPath(dir);
  if (!gen.ok()) return gen.status();
  Result<Xapian::Database> opened = store::OpenForReading(dir);
  if (!opened.ok()) return opened.status();
  db_ = std::move(opened.value());
  shards_ = {db_};
  sharded_ = false;
  generation_path_ = gen.value();
  current_stat_ = st;
  have_stat_ = have;
  return Status::Ok();
}

Status IndexHandle::OpenStub(const std::string& stub) {
  Result<std::vector<StubLine>> lines = ReadStubFile(stub);
  if (!lines.ok()) return lines.status();
  Xapian::Database merged;
  std::vector<Xapian::Database> shards;
  std::vector<std::pair<std::string, struct stat>> currents;
  for (const StubLine& line : *lines) {
    Xapian::Database shard;
    try {
      if (line.kind == StubLine::Kind::kRemote) {
        shard = Xapian::Remote::open(line.host, line.port, timeout_ms_,
                                     timeout_ms_);
      } else if (IsDatabaseFolder(line.path)) {
        std::string current = line.path + "/CURRENT";
        struct stat st {};
        if (::stat(current.c_str(), &st) == 0) {
          currents.emplace_back(current, st);
        }
        Result<Xapian::Database> opened = store::OpenForReading(line.path);
        if (!opened.ok()) return opened.status();
        shard = std::move(opened.value());
      } else {
        shard = Xapian::Database(line.path);
      }
      if (Status s = store::CheckSchemaVersion(shard, line.Name()); !s.ok()) {
        return s;
      }
    } catch (...) {
      return FromCurrentException("opening " + stub + ":" +
                                  std::to_string(line.line));
    }
    merged.add_database(shard);
    shards.push_back(std::move(shard));
  }
  db_ = std::move(merged);
  shards_ = std::move(shards);
  shard_currents_ = std::move(currents);
  sharded_ = true;
  all_remote_ = std::all_of(
      lines->begin(), lines->end(),
      [](const StubLine& l) { return l.kind == StubLine::Kind::kRemote; });
  any_remote_ = std::any_of(
      lines->begin(), lines->end(),
      [](const StubLine& l) { return l.kind == StubLine::Kind::kRemote; });
  local_lines_.clear();
  for (const StubLine& line : *lines) {
    if (line.kind == StubLine::Kind::kLocal) local_lines_.push_back(line);
  }
  generation_path_.clear();
  have_stat_ = ::stat(stub.c_str(), &current_stat_) == 0;
  return Status::Ok();
}

Status IndexHandle::Refresh(bool force) {
  if (sharded_) {
    // A changed stub file means other shards; otherwise each shard
    // reopens its latest revision (a shard server reopens its own).
    struct stat st {};
    std::string stub = StubFileFor(path_);
    bool have = ::stat(stub.c_str(), &st) == 0;
    bool changed = have != have_stat_ || (have && !SameStat(st, current_stat_));
    for (const auto& [current, seen] : shard_currents_) {
      struct stat now {};
      changed =
          changed || ::stat(current.c_str(), &now) != 0 || !SameStat(now, seen);
    }
    if (changed) return Open(path_, timeout_ms_);
    if (all_remote_) {
      const auto now = std::chrono::steady_clock::now();
      if (!force && !remote_keys_.empty() &&
          now - remote_reopened_ <
              std::chrono::milliseconds(remote_refresh_ms_)) {
        return Status::Ok();
      }
      remote_keys_.clear();
      ReopenRemoteShards();
      remote_reopened_ = now;
    } else {
      db_.reopen();
    }
    return Status::Ok();
  }
  struct stat st {};
  bool have = ::stat((path_ + "/CURRENT").c_str(), &st) == 0;
  if (!have || !have_stat_ || !SameStat(st, current_stat_)) {
    return OpenFolder(path_);
  }
  db_.reopen();
  return Status::Ok();
}

std::string IndexHandle::ShardKey(Xapian::Database& shard) {
  std::string key = shard.get_uuid() + "@";
  try {
    key += std::to_string(shard.get_revision());
  } catch (const Xapian::UnimplementedError&) {
    // A remote shard tells no revision: its size and the time of its last
    // indexing run change with every run that changes it.
    key += ContentsKey(shard);
  }
  return key;
}

std::string IndexHandle::ContentsKey(Xapian::Database& db) {
  return std::to_string(db.get_doccount()) + "/" +
         std::to_string(db.get_lastdocid()) + "/" +
         std::to_string(db.get_total_length()) + "/" +
         db.get_metadata(std::string(schema::kLastIndexedKey));
}

std::string IndexHandle::Key() {
  if (!remote_keys_.empty()) return remote_keys_;
  std::string key;
  for (Xapian::Database& shard : shards_) {
    if (!key.empty()) key += ',';
    key += ShardKey(shard);
  }
  return key;
}

void IndexHandle::ReopenRemoteShards() {
  // One thread per shard, each using only its shard's handle: the round
  // trips to the shards overlap instead of adding up.
  std::vector<std::string> keys(shards_.size());
  std::vector<std::future<void>> done;
  for (size_t i = 0; i < shards_.size(); ++i) {
    done.push_back(std::async(std::launch::async, [this, &keys, i] {
      Xapian::Database shard = shards_[i];
      shard.reopen();
      keys[i] = ShardKey(shard);
    }));
  }
  for (auto& d : done) d.wait();
  for (auto& d : done) d.get();  // rethrows a shard's failure
  std::string key;
  for (const std::string& k : keys) {
    if (!key.empty()) key += ',';
    key += k;
  }
  remote_keys_ = key;
}

std::optional<long long> IndexHandle::Bytes() const {
  if (!sharded_) return static_cast<long long>(PathBytes(generation_path_));
  if (any_remote_) return std::nullopt;
  long long bytes = 0;
  for (const StubLine& line : local_lines_) {
    if (!IsDatabaseFolder(line.path)) {
      bytes += static_cast<long long>(PathBytes(line.path));
      continue;
    }
    // The generation live now: an index run may have swapped in another
    // since the shard was opened.
    Result<std::string> live = store::LiveGenerationPath(line.path);
    if (live.ok()) bytes += static_cast<long long>(PathBytes(*live));
  }
  return bytes;
}

std::string IndexHandle::GenerationName() const {
  if (sharded_) return std::to_string(shards_.size()) + " shards";
  return fs::path(generation_path_).filename().string();
}

std::string IndexHandle::LastIndexed() {
  std::string latest;
  for (Xapian::Database& shard : shards_) {
    latest = std::max(latest,
                      shard.get_metadata(std::string(schema::kLastIndexedKey)));
  }
  return latest;
}

}  // namespace pundit
