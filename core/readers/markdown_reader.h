// The Markdown reader: one article per file, in the seed layout or with
// YAML front matter (told apart by the first line; corpus/README.md); and
// the text reader, the same for a .txt file that is Markdown, else plain
// text. The
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

// A .txt file: read as Markdown above when it looks like it (front matter,
// or a "# Title" first line: plain_text.h TextLooksLikeMarkdown), else as
// an article of plain text (ParsePlainText). One not in UTF-8 is read as
// Windows-1252, with a note.
std::unique_ptr<ArticleReader> OpenTextReader(std::unique_ptr<ByteStream> in,
                                              const ReaderOptions& options);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_MARKDOWN_READER_H_
