// The table of input formats (core/readers/formats.h). A new format is one
// reader file in this folder and one row in Table().
#include "core/readers/formats.h"

#include <algorithm>
#include <cstring>

#include "core/parse_text.h"
#include "core/readers/archive_reader.h"
#include "core/readers/csv_reader.h"
#include "core/readers/feed_reader.h"
#include "core/readers/html_reader.h"
#include "core/readers/json_reader.h"
#include "core/readers/jsonl_reader.h"
#include "core/readers/markdown_reader.h"
#include "core/readers/warc_reader.h"

namespace pundit::readers {
namespace {

constexpr size_t kSniffBytes = 4096;

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::unique_ptr<ArticleReader> OpenCsv(std::unique_ptr<ByteStream> in,
                                       const ReaderOptions& options) {
  return OpenCsvReader(std::move(in), options, kSniffDelimiter);
}

std::unique_ptr<ArticleReader> OpenTsv(std::unique_ptr<ByteStream> in,
                                       const ReaderOptions& options) {
  return OpenCsvReader(std::move(in), options, '\t');
}

// The rows. Extensions are unique across rows.
const std::vector<Format>& Table() {
  static const std::vector<Format> table = {
      {"markdown", {"md", "markdown"}, nullptr, OpenMarkdownReader},
      {"text", {"txt", "text"}, nullptr, OpenTextReader},
      {"jsonl", {"jsonl", "ndjson"}, nullptr, OpenJsonLinesReader, true},
      {"json", {"json"}, nullptr, OpenJsonReader, true},
      {"csv", {"csv"}, nullptr, OpenCsv, true},
      {"tsv", {"tsv", "tab"}, nullptr, OpenTsv, true},
      {"html", {"html", "htm", "xhtml"}, nullptr, OpenHtmlReader},
      {"feed",
       {"rss", "atom", "xml"},
       LooksLikeFeed,
       OpenFeedReader,
       false,
       {"xml"}},
      {"warc", {"warc"}, nullptr, OpenWarcReader},
      {"archive",
       {"zip", "tar", "tgz", "tbz", "tbz2", "txz"},
       nullptr,
       OpenArchiveReader},
  };
  return table;
}

// The extension that names the format: "x.jsonl.gz" -> "jsonl", and
// "x.tar.xz" -> "tar" (ByteStream decompresses what is under the archive).
std::string_view FormatExtension(std::string_view lower_base) {
  lower_base.remove_suffix(CompressionSuffix(lower_base).size());
  size_t dot = lower_base.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return lower_base.substr(dot + 1);
}

}  // namespace

const std::vector<Format>& Formats() { return Table(); }

const Format* FormatByName(std::string_view name) {
  for (const Format& f : Table()) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

const Format* FormatForFileName(std::string_view file_name) {
  size_t slash = file_name.find_last_of('/');
  std::string_view base =
      slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
  if (base.empty() || base.front() == '.') return nullptr;
  std::string lower = LowerAscii(base);
  for (std::string_view skipped :
       {"readme", "license", "licence", "changelog"}) {
    if (lower.starts_with(skipped)) return nullptr;
  }
  std::string_view ext = FormatExtension(lower);
  if (ext.empty()) return nullptr;
  for (const Format& f : Table()) {
    for (std::string_view e : f.extensions) {
      if (e == ext) return &f;
    }
  }
  return nullptr;
}

std::string ExtensionList() {
  std::string out;
  for (const Format& f : Table()) {
    for (std::string_view e : f.extensions) {
      if (!out.empty()) out += ", ";
      out += '.';
      out += e;
    }
  }
  return out + " (each also compressed: .gz, .zst, .xz or .bz2 after it)";
}

Result<OpenedInput> OpenInput(const std::string& path, const Format* format,
                              const ReaderOptions& options) {
  if (format == nullptr) {
    format = path == "-" ? FormatByName("jsonl") : FormatForFileName(path);
  }
  if (format == nullptr) {
    return Status::InvalidArgument("not an article: pundit reads " +
                                   ExtensionList());
  }
  Result<std::unique_ptr<ByteStream>> stream = ByteStream::OpenFile(path);
  if (!stream.ok()) return stream.status();
  return OpenStream(std::move(stream).value(), format, path, options);
}

Result<OpenedInput> OpenStream(std::unique_ptr<ByteStream> in,
                               const Format* format, std::string_view name,
                               const ReaderOptions& options) {
  const std::string lower = LowerAscii(name);
  const std::string_view ext = FormatExtension(
      std::string_view(lower).substr(lower.find_last_of('/') + 1));
  const bool sniff = format->sniff != nullptr &&
                     std::find(format->shared_extensions.begin(),
                               format->shared_extensions.end(),
                               ext) != format->shared_extensions.end();
  if (sniff || format->refuse_binary) {
    std::string_view head = in->Peek(kSniffBytes);
    if (format->refuse_binary) {
      if (const void* nul = std::memchr(head.data(), '\0', head.size())) {
        size_t offset =
            static_cast<size_t>(static_cast<const char*>(nul) - head.data());
        return Status::InvalidArgument("binary file (NUL byte at offset " +
                                       std::to_string(offset) +
                                       "): not an article");
      }
    }
    if (sniff && !head.empty() && !format->sniff(head)) {
      OpenedInput other;
      other.passed_over = std::string("not a ") + format->name +
                          " (its first element is not one)";
      return other;
    }
  }
  OpenedInput opened;
  opened.stream = in.get();
  opened.format = format;
  opened.reader =
      CheckDates(format->open(std::move(in), options), LatestArticleYear());
  return opened;
}

}  // namespace pundit::readers
