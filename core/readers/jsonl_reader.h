// The JSON Lines reader: one article per line (corpus/README.md, "JSON
// Lines"), read from the stream line by line, so a file of any size takes
// the memory of its longest line. A line longer than max_record_bytes is
// skipped unread with one error; a blank line is passed over; every other
// line that is not an article object is one error at its line.
#ifndef PUNDIT_CORE_READERS_JSONL_READER_H_
#define PUNDIT_CORE_READERS_JSONL_READER_H_

#include <memory>

#include "core/readers/byte_stream.h"
#include "core/readers/reader.h"

namespace pundit::readers {

std::unique_ptr<ArticleReader> OpenJsonLinesReader(
    std::unique_ptr<ByteStream> in, const ReaderOptions& options);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_JSONL_READER_H_
