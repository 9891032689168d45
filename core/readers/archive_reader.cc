// The archive reader (core/readers/archive_reader.h) over libarchive.
#include "core/readers/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/readers/formats.h"
#include "core/text.h"

namespace pundit::readers {
namespace {

constexpr size_t kReadBytes = 64 << 10;

bool Hidden(std::string_view name);

class ArchiveReader : public ArticleReader {
 public:
  ArchiveReader(std::unique_ptr<ByteStream> in, const ReaderOptions& options)
      : in_(std::move(in)), options_(options), buffer_(kReadBytes) {
    archive_ = archive_read_new();
    if (archive_ == nullptr) throw std::bad_alloc();
    archive_read_support_filter_all(archive_);
    archive_read_support_format_zip_streamable(archive_);
    archive_read_support_format_tar(archive_);
    opened_ = archive_read_open(archive_, this, nullptr, ReadCallback,
                                nullptr) == ARCHIVE_OK;
    const size_t slash = options_.id_base.rfind('/');
    id_folder_ =
        slash == std::string::npos ? "" : options_.id_base.substr(0, slash + 1);
  }

  ~ArchiveReader() override {
    member_.reset();  // it reads from archive_
    archive_read_free(archive_);
  }

  bool Next(ReadItem* item) override {
    for (;;) {
      if (member_ != nullptr) {
        if (member_->Next(item)) {
          if (item->kind == ReadItem::Kind::kArticle ||
              item->kind == ReadItem::Kind::kOtherShard) {
            ++member_count_->articles;
          }
          return true;
        }
        AddNested(member_->inner_files());
        member_.reset();
      }
      if (ended_) return false;
      if (NextMember(item)) return true;
    }
  }

 private:
  // libarchive's read callback: the next raw bytes of the archive file.
  static la_ssize_t ReadCallback(struct archive* a, void* self,
                                 const void** buffer) {
    auto* reader = static_cast<ArchiveReader*>(self);
    size_t n =
        reader->in_->Read(reader->buffer_.data(), reader->buffer_.size());
    *buffer = reader->buffer_.data();
    if (n == 0 && !reader->in_->error().empty()) {
      archive_set_error(a, EIO, "%s", reader->in_->error().c_str());
      return ARCHIVE_FATAL;
    }
    return static_cast<la_ssize_t>(n);
  }

  // What went wrong, in the words of a ParseError: the stream's own message
  // when the file itself is damaged (the indexer reports that once).
  std::string Damage(std::string_view what) const {
    if (!in_->error().empty()) return in_->error();
    const char* why = archive_error_string(archive_);
    return std::string(what) + (why != nullptr ? why : "unknown error") +
           ": the members before it were read; download or copy it again";
  }

  // Moves to the next member: opens its reader (false, go on reading), or
  // fills *item with a note or an error about it (true), or ends.
  bool NextMember(ReadItem* item) {
    struct archive_entry* entry = nullptr;
    int r = at_end_   ? ARCHIVE_EOF
            : opened_ ? archive_read_next_header(archive_, &entry)
                      : ARCHIVE_FATAL;
    if (r == ARCHIVE_EOF) {
      at_end_ = true;
      return End(item);
    }
    if (r < ARCHIVE_WARN) {
      ended_ = true;
      // Said by that member's reader, or by the error about that member
      // (in a zip read as a stream, an encrypted member's end cannot be
      // found).
      if (member_damaged_ || last_encrypted_) return false;
      if (members_ == 0 && in_->error().empty()) {
        const char* why = archive_error_string(archive_);
        return Error(item, options_.path, 1,
                     std::string("not a zip or tar archive (") +
                         (why != nullptr ? why : "unreadable") +
                         "): give the file the extension of what it holds");
      }
      return Error(item, options_.path, 1,
                   Damage("damaged archive after " +
                          WithThousands(static_cast<long long>(members_)) +
                          " members: "));
    }
    ++members_;
    if (archive_entry_filetype(entry) != AE_IFREG) return false;
    const char* raw_name = archive_entry_pathname_utf8(entry);
    if (raw_name == nullptr) raw_name = archive_entry_pathname(entry);
    const std::string name =
        NormalMemberName(raw_name != nullptr ? raw_name : "");
    if (name.empty()) return false;
    if (name.starts_with("__MACOSX/")) {
      ++mac_metadata_;
      return false;
    }
    const std::string path = options_.path + "/" + name;
    const Format* format = Hidden(name) ? nullptr : FormatForFileName(name);
    if (format == nullptr) {
      ++inner_.passed_over;
      return Notice(item, path + ": note: not an article file, passed over");
    }
    // This archive is number archive_depth + 1 from the outside, the
    // member would be the next.
    if (std::string_view(format->name) == "archive" &&
        options_.archive_depth + 2 > kMaxArchiveDepth) {
      ++inner_.passed_over;
      return Notice(item, path + ": note: an archive inside " +
                              std::to_string(kMaxArchiveDepth) +
                              " archives, passed over: unpack it");
    }
    ++article_files_;
    last_encrypted_ = archive_entry_is_encrypted(entry) != 0;
    if (last_encrypted_) {
      return Error(item, path, 1,
                   "encrypted: pundit cannot read it; unpack the archive "
                   "with its password and index what it holds");
    }
    ReaderOptions options = options_;
    options.path = path;
    options.id_base = PathIdBase(id_folder_ + name);
    ++options.archive_depth;
    const uint64_t size = archive_entry_size_is_set(entry)
                              ? static_cast<uint64_t>(archive_entry_size(entry))
                              : 0;
    member_damaged_ = false;
    auto source = [this](char* buf, size_t n, std::string* error) -> size_t {
      la_ssize_t got = archive_read_data(archive_, buf, n);
      if (got >= 0) return static_cast<size_t>(got);
      member_damaged_ = true;
      *error = Damage("damaged archive member: ");
      return 0;
    };
    Result<OpenedInput> opened =
        OpenStream(ByteStream::FromSource(source, size), format, name, options);
    if (!opened.ok()) return Error(item, path, 1, opened.status().message());
    if (!opened->passed_over.empty()) {
      ++inner_.passed_over;
      return Notice(item,
                    path + ": note: " + opened->passed_over + ", passed over");
    }
    member_ = std::move(opened->reader);
    // An archive inside counts what it holds (AddNested), not itself.
    if (member_->inner_files() != nullptr) {
      member_count_ = &ignored_;
    } else {
      member_count_ = &inner_.formats[format->name];
      ++member_count_->files;
    }
    return false;
  }

  // At the end of the archive: the notes about what it did not hold.
  bool End(ReadItem* item) {
    if (mac_metadata_ > 0) {
      const long long n = static_cast<long long>(mac_metadata_);
      mac_metadata_ = 0;
      return Notice(item, options_.path + ": note: " + WithThousands(n) +
                              " macOS metadata files (__MACOSX/) passed over");
    }
    ended_ = true;
    if (article_files_ == 0) {
      return Notice(item, options_.path +
                              ": note: holds no article file (pundit reads " +
                              ExtensionList() + ")");
    }
    return false;
  }

  const InnerFiles* inner_files() const override { return &inner_; }

  // Counts what a nested archive that ended read.
  void AddNested(const InnerFiles* nested) {
    if (nested == nullptr) return;
    for (const auto& [name, count] : nested->formats) {
      inner_.formats[name].files += count.files;
      inner_.formats[name].articles += count.articles;
    }
    inner_.passed_over += nested->passed_over;
  }

  static bool Notice(ReadItem* item, std::string notice) {
    item->kind = ReadItem::Kind::kNotice;
    item->notice = std::move(notice);
    return true;
  }

  static bool Error(ReadItem* item, const std::string& path, int line,
                    std::string message) {
    item->kind = ReadItem::Kind::kError;
    item->error = ParseError{path, line, std::move(message)};
    return true;
  }

  std::unique_ptr<ByteStream> in_;
  const ReaderOptions options_;
  std::vector<char> buffer_;
  struct archive* archive_ = nullptr;
  bool opened_ = false;
  std::string id_folder_;  // the archive's folder in path-scheme ids
  std::unique_ptr<ArticleReader> member_;
  bool member_damaged_ = false;
  bool last_encrypted_ = false;
  bool at_end_ = false;       // libarchive said the archive ended
  bool ended_ = false;        // nothing more to say
  size_t members_ = 0;        // headers read
  size_t article_files_ = 0;  // members read as article files
  size_t mac_metadata_ = 0;   // __MACOSX/ members
  InnerFiles inner_;
  InnerFiles::Count* member_count_ = nullptr;  // the member being read
  InnerFiles::Count ignored_;  // a nested archive's own articles
};

// True when a step of `name` starts with '.' (".git/x.json", "a/.draft.md"):
// hidden, as the folder walk passes such files over.
bool Hidden(std::string_view name) {
  return name.starts_with('.') || name.find("/.") != std::string_view::npos;
}

}  // namespace

std::string NormalMemberName(std::string_view name) {
  std::vector<std::string_view> steps;
  std::string slashed(name);
  for (char& c : slashed) {
    if (c == '\\') c = '/';
  }
  std::string_view rest(slashed);
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view step = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
    if (step.empty() || step == ".") continue;
    if (step == "..") {
      if (!steps.empty()) steps.pop_back();
      continue;
    }
    steps.push_back(step);
  }
  std::string out;
  for (std::string_view step : steps) {
    if (!out.empty()) out += '/';
    out.append(step);
  }
  return out;
}

std::unique_ptr<ArticleReader> OpenArchiveReader(std::unique_ptr<ByteStream> in,
                                                 const ReaderOptions& options) {
  return std::make_unique<ArchiveReader>(std::move(in), options);
}

}  // namespace pundit::readers
