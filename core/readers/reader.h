// ArticleReader: the one interface every input format is read through.
//
// A reader pulls bytes from a ByteStream (core/readers/byte_stream.h) and
// yields one item at a time: an Article, a ParseError for a record (or a
// whole file) that cannot be used, or a notice about something passed over
// that is not an error (a CSV column nobody reads, WARC records that are
// not pages). It holds at most one record in memory, never the file, so an
// input of any size is read in memory bounded by max_record_bytes.
//
// Formats (one file each in this folder, listed in formats.cc):
//   markdown  seed layout or YAML front matter (.md .markdown)
//   text      plain text, or Markdown as above (.txt .text)
//   jsonl     JSON Lines (.jsonl .ndjson; standard input)
//   json      an array of articles, one article, or one per line (.json)
//   csv, tsv  RFC 4180 with a header row (.csv .tsv)
//   html      a saved web page (.html .htm)
//   feed      RSS 2.0 or Atom 1.0 (.rss .atom, or .xml that is a feed)
//   warc      web archive responses (.warc)
// each plain, gzip or zstd (.gz or .zst after the extension, or none).
//
// Ids (corpus/README.md "Article ids"): a record's own id when it has one,
// else its url, else the file's path for the one article of a file, else
// the hash of its content for a record of a file of many (RecordId below),
// so a record keeps its id wherever it is read from.
//
// A reader is used by one thread at a time; different readers share nothing.
#ifndef PUNDIT_CORE_READERS_READER_H_
#define PUNDIT_CORE_READERS_READER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/article.h"
#include "core/parsers.h"
#include "core/readers/byte_stream.h"
#include "core/shard.h"

namespace pundit::readers {

// The largest record (a JSON line, a CSV row, one Markdown or HTML file, a
// feed item, a WARC record) that is read; a larger one is one ParseError
// and is skipped without being held in memory.
inline constexpr size_t kMaxRecordBytes = 16u << 20;

struct ReaderOptions {
  // Shown in messages and stored as Article::path.
  std::string path;
  // The path-scheme id (the file's path relative to the indexed folder,
  // without extensions): the id of the one article of a Markdown, text,
  // HTML or JSON file without its own id or url. (A record of a file of
  // many that has neither gets the id of its content: RecordId.)
  std::string id_base;
  // CSV/TSV: "--map COLUMN=FIELD" pairs, COLUMN as in the header
  // (case-insensitive), FIELD one of id title authors date body source url
  // themes regions lede.
  std::vector<std::pair<std::string, std::string>> column_map;
  size_t max_record_bytes = kMaxRecordBytes;
  // How many archives this input lies inside (core/readers/archive_reader.h).
  int archive_depth = 0;
  // The shard being indexed (`pundit index --shard I/N`). A reader that can
  // tell a record's id before reading the rest of it (JSON objects and CSV
  // rows with an id or url) returns a record that another shard keeps as
  // kOtherShard, its other fields neither read nor checked: the shard that
  // keeps it reads it whole and reports its errors.
  ShardSpec shard;
};

struct ReadItem {
  enum class Kind {
    kArticle,  // `article` is filled (its path and line too)
    kError,    // `error`: this record, or the whole file, is skipped
    kNotice,   // `notice`: "path: note: ..." (not an error, not counted)
    // `article` holds only the id, path and line of a record that another
    // shard keeps (ReaderOptions::shard).
    kOtherShard,
  };
  Kind kind = Kind::kArticle;
  Article article;
  ParseError error;
  std::string notice;
};

// What an input that holds files of its own (an archive) read from them.
struct InnerFiles {
  struct Count {
    long files = 0;
    long articles = 0;
  };
  std::map<std::string, Count> formats;  // by Format::name
  long passed_over = 0;                  // files that are no articles
};

class ArticleReader {
 public:
  virtual ~ArticleReader() = default;
  // Fills *item with the next item and returns true; returns false at the
  // end of the input, and keeps returning false. Damage to the stream
  // itself (a truncated gzip member) is reported as one last kError at the
  // line it was found on, after the records read before it. Throws
  // std::bad_alloc when memory runs out: that is no fault of the record,
  // and is never reported as a bad one.
  virtual bool Next(ReadItem* item) = 0;
  // For an archive: the files it held and read so far, by format (final
  // once Next returned false). Null for a reader of one file.
  virtual const InnerFiles* inner_files() const { return nullptr; }
};

// Wraps `reader` so that an article whose date lies outside the plausible
// range (kEarliestArticleYear..`latest_year`, DateOutsideRangeError in
// core/parsers.h) comes out as a kError at the article's path and line
// instead, and everything else passes unchanged. OpenInput wraps every
// format's reader with it, so the range is checked in this one place for
// all formats.
std::unique_ptr<ArticleReader> CheckDates(std::unique_ptr<ArticleReader> reader,
                                          int latest_year);

// Article::id for `article`, a record read with `own_id` (its own id
// field, "" when none), called once its other fields are filled: `own_id`
// (white space replaced by '_') when not empty, else its url when not
// empty, else `path_id` when not empty (the one article of a file: its
// path-scheme id), else ContentId(article) (core/document.h: a record of a
// file of many, which keeps its id wherever it stands).
std::string RecordId(std::string_view own_id, const Article& article,
                     std::string_view path_id);

// The compression extension that ends `lower_name` (".gz", ".zst",
// ".zstd", ".xz", ".bz2", ".bzip2"; lower case), or "" when it has none or
// the name is nothing but it (".gz"). The name only: the first bytes decide
// whether and how a file is compressed (byte_stream.h).
std::string_view CompressionSuffix(std::string_view lower_name);

// The path-scheme id of a file at `relative` ('/'-separated, below the
// indexed folder): without its extension (and a compression extension
// after it, see CompressionSuffix), white space as '_' ("wire/Daily
// Briefs.jsonl.gz" -> "wire/Daily_Briefs"), so a file and its compressed
// copy give the same ids.
std::string PathIdBase(std::string_view relative);

// The checks every text record passes before a format's parser sees it:
// "" when fine, else the message of a ParseError (empty, NUL byte, invalid
// UTF-8 with its place), and *line set to the 1-based line of the problem
// within `text` (1 for a whole-record problem).
std::string CheckText(std::string_view text, int* line);

// "record is 17,000,000 bytes, more than the limit of 16,777,216: ..."
std::string RecordTooLargeMessage(uint64_t bytes, size_t limit,
                                  std::string_view what);

// The paragraphs of plain text: blank lines separate them, single newlines
// are spaces, each paragraph through parse::CleanText. `text` has its
// entities decoded already.
std::vector<Block> PlainTextBlocks(std::string_view text);

// The first sentence of `clean_body` (text after parse::CleanText; where
// it ends as SentenceBreaker says, so not at "U.S." or "Dr."), cut to at
// most 12 words with "…" when cut: the title of an article that has none of
// its own (scraped corpora often have no headlines).
std::string TitleFromBody(std::string_view clean_body);

// Reads the rest of `in` into *out when it has at most `limit` bytes and
// returns true. A longer input is read to its end without being kept:
// false, with *total its size in bytes. On a stream error, what was read.
bool ReadWhole(ByteStream* in, size_t limit, std::string* out, uint64_t* total);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_READER_H_
