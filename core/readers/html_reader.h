// The HTML reader: one article per saved web page (.html, .htm), read by
// the HTML path of core/readers/html_extract.h. The file is read whole, up
// to ReaderOptions::max_record_bytes; a larger one is one error on line 1
// and is not held in memory. A page that is not UTF-8 is read when it
// declares its charset in a <meta>; otherwise invalid UTF-8 is an error at
// its line, as are an empty file and a NUL byte. The article's id is the
// page's JSON-LD identifier, else its url, else ReaderOptions::id_base;
// its line is 1.
//
// A reader is used by one thread at a time; LooksLikeHtml is pure and
// thread-safe.
#ifndef PUNDIT_CORE_READERS_HTML_READER_H_
#define PUNDIT_CORE_READERS_HTML_READER_H_

#include <memory>
#include <string_view>

#include "core/readers/byte_stream.h"
#include "core/readers/reader.h"

namespace pundit::readers {

// Yields one kArticle, or one kError (too large, unreadable stream, empty,
// binary, invalid UTF-8, or "no title and no text"), then ends.
std::unique_ptr<ArticleReader> OpenHtmlReader(std::unique_ptr<ByteStream> in,
                                              const ReaderOptions& options);

// True when `head` (the first bytes of an input) starts as an HTML page
// does: after a byte order mark, white space, comments and an XML
// declaration, "<!DOCTYPE html", "<html", "<head" or "<body" in any case.
bool LooksLikeHtml(std::string_view head);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_HTML_READER_H_
