// The JSON reader (.json): the shapes JSON exports of articles come in,
// streamed, so a file of any size takes the memory of one article.
//   - an array of article objects, [ {...}, {...} ] (Scrapy's and most
//     tools' JSON export), on one line or many: each element's line is the
//     one it starts on;
//   - one article object per line (JSON Lines named .json): read as the
//     JSON Lines reader reads it;
//   - objects one after another, each over several lines, each at the line
//     it starts on;
//   - a file of one article object (news-please writes one per article):
//     a file of one article, whose id without its own id or url is
//     "<id_base>";
//   - one object wrapping a list of articles under some key, as API
//     responses are ({"status": "ok", "articles": [...]}): the first member
//     that is a list of article objects. The wrapper is read whole, so it
//     may hold at most max_record_bytes.
// In all but the file of one article, a record without its own id or url
// gets the id of its content (RecordId in core/readers/reader.h).
// Keys and values as core/readers/json_record.h reads them; keys nothing
// reads are named in one note at the end of the file.
//
// Errors, each costing only its record: an element that is not an object,
// is not valid JSON or lacks a title and a body, one over
// max_record_bytes (skipped without being held). A file cut off inside a
// value ends with one error at the line the value starts on, after the
// records before it; a file that is not one of the shapes above (it starts
// with a number) is one error.
#ifndef PUNDIT_CORE_READERS_JSON_READER_H_
#define PUNDIT_CORE_READERS_JSON_READER_H_

#include <memory>

#include "core/readers/byte_stream.h"
#include "core/readers/reader.h"

namespace pundit::readers {

std::unique_ptr<ArticleReader> OpenJsonReader(std::unique_ptr<ByteStream> in,
                                              const ReaderOptions& options);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_JSON_READER_H_
