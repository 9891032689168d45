// The Markdown reader: one article per file, in the seed layout or with
// YAML front matter (told apart by the first line; corpus/README.md). The
// file is read whole, up to max_record_bytes; a larger one is one error on
// line 1 and is not held in memory.
#ifndef PUNDIT_CORE_READERS_MARKDOWN_READER_H_
#define PUNDIT_CORE_READERS_MARKDOWN_READER_H_

#include <memory>

#include "core/readers/byte_stream.h"
#include "core/readers/reader.h"

namespace pundit::readers {

std::unique_ptr<ArticleReader> OpenMarkdownReader(
    std::unique_ptr<ByteStream> in, const ReaderOptions& options);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_MARKDOWN_READER_H_
