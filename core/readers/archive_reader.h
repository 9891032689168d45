// The archive reader: a zip or tar file (tar also gzip, bzip2, xz or zstd
// compressed) read member by member, without unpacking it to disk, each
// member by the reader its name chooses (formats.h), as if the archive had
// been unpacked where it lies: a dataset downloaded as `news.zip` or
// `bbc-fulltext.tar.gz` is indexed as it came.
//
// Reading is a stream through libarchive (the zip's local headers, not its
// central directory), so an archive of any size is read in the memory of
// one record, and the bytes go through the archive's own ByteStream (its
// progress and its hash for incremental runs are those of the file).
//
// Per member (corpus/README.md "Format 8: archives"):
//   - its path is the archive's path, '/', the member's name with ".",
//     ".." and empty steps resolved ("news.zip/2019/a.jsonl"): messages and
//     Article::path say it;
//   - its path-scheme id is the one it would have unpacked next to the
//     archive ("data/news.zip" holding "2019/a.jsonl": "data/2019/a:LINE"),
//     so unpacking it later, or indexing both, keeps the ids;
//   - a member that is no article file (README, dotfiles, other names) is
//     passed over with a note, macOS metadata (`__MACOSX/`) with one note
//     for all; links and folders are no files and are skipped;
//   - an archive inside an archive is read the same way, up to
//     kMaxArchiveDepth archives in all (one inside them: a note);
//   - an encrypted member is an error of its own; the others are read
//     (in a zip whose members' sizes follow their data, those after an
//     encrypted one cannot be found: the archive ends there).
// Damage (a cut-off or corrupt archive) ends the archive with one error
// after the members read before it; a file that is no archive at all is
// one error on line 1. An archive without any article file gets a note.
#ifndef PUNDIT_CORE_READERS_ARCHIVE_READER_H_
#define PUNDIT_CORE_READERS_ARCHIVE_READER_H_

#include <memory>

#include "core/readers/byte_stream.h"
#include "core/readers/reader.h"

namespace pundit::readers {

inline constexpr int kMaxArchiveDepth = 3;

std::unique_ptr<ArticleReader> OpenArchiveReader(std::unique_ptr<ByteStream> in,
                                                 const ReaderOptions& options);

// "2019/./x/../a.jsonl" -> "2019/a.jsonl"; '\' as '/'; never above the top
// ("../../a" -> "a").
std::string NormalMemberName(std::string_view name);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_ARCHIVE_READER_H_
