// The table of input formats: which reader reads a file, decided by its
// name (extension, after a .gz or .zst) and, where a name is shared with
// other contents (.xml), by its first bytes. Adding a format is one reader
// file in this folder and one row in kFormats (formats.cc).
//
// Pure functions over a constant table; thread-safe.
#ifndef PUNDIT_CORE_READERS_FORMATS_H_
#define PUNDIT_CORE_READERS_FORMATS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/readers/byte_stream.h"
#include "core/readers/reader.h"
#include "core/status.h"

namespace pundit::readers {

struct Format {
  const char* name;  // "markdown", "text", "jsonl", "json", "csv", "tsv",
                     // "html", "feed", "warc"
  // Extensions, lower case, without the dot.
  std::vector<std::string_view> extensions;
  // For the extensions in `shared_extensions` (names other contents use
  // too, as .xml): true when the first bytes (decompressed, up to 4 KiB)
  // are of this format. nullptr: the name decides alone.
  bool (*sniff)(std::string_view head);
  std::unique_ptr<ArticleReader> (*open)(std::unique_ptr<ByteStream> in,
                                         const ReaderOptions& options);
  // A text format read record by record: a NUL byte in its first 4 KiB
  // refuses the whole file as binary (instead of an error a line).
  bool refuse_binary = false;
  // Extensions (among `extensions`) whose files `sniff` checks.
  std::vector<std::string_view> shared_extensions = {};
};

// Every format, in the order of the table.
const std::vector<Format>& Formats();
const Format* FormatByName(std::string_view name);

// What a file name says: the format for its extension (".gz"/".zst"
// stripped first), or nullptr for README*, LICENSE*, LICENCE*, CHANGELOG*,
// dotfiles and other extensions. For ".xml" it returns the feed format,
// whose sniff decides at open time.
const Format* FormatForFileName(std::string_view file_name);

// ".md, .markdown, .txt, .text, .jsonl, ... .warc, .zip, .tar, ... (each
// also compressed: .gz or .zst after it)": for messages and --help.
std::string ExtensionList();

// An open input: the reader, and the stream it reads (owned by the reader)
// for the progress bar and the file's hash.
struct OpenedInput {
  std::unique_ptr<ArticleReader> reader;
  ByteStream* stream = nullptr;
  const Format* format = nullptr;
  // Set (and reader null) when the name says a format whose first bytes
  // decide (an .xml file) and the bytes are of another: what it is not, for
  // a "path: note: ..., passed over" line. Such a file is no error.
  std::string passed_over;
};

// Opens `path` ("-" = standard input) as `format` (nullptr: by its name;
// standard input: JSON Lines). The reader's articles pass through
// CheckDates (reader.h): one dated outside the plausible range is a kError.
// Errors: those of ByteStream::OpenFile, and
// kInvalidArgument for a text format whose first 4 KiB hold a NUL byte
// ("binary file ..."). A file whose first bytes are not of a sniffing
// format (an .xml that is not a feed) is no error: see `passed_over`.
Result<OpenedInput> OpenInput(const std::string& path, const Format* format,
                              const ReaderOptions& options);

// The second stage of OpenInput, over a stream already open (a member of an
// archive): `name` is the file name the format was chosen by (for the
// sniffing of shared extensions). The same errors but those of opening.
Result<OpenedInput> OpenStream(std::unique_ptr<ByteStream> in,
                               const Format* format, std::string_view name,
                               const ReaderOptions& options);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_FORMATS_H_
