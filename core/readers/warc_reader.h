// The WARC reader: web archives (ISO 28500, WARC 1.0 and 1.1), plain or
// .warc.gz (one gzip member per record, joined by the ByteStream). Records
// are read one at a time: a header block (a "WARC/1.x" line, then
// "Name: value" lines up to an empty line), Content-Length bytes of
// payload, then two line ends. Memory is one record's payload at most.
//
// A record of WARC-Type response whose Content-Type is application/http,
// whose HTTP status is 2xx and whose HTTP Content-Type is text/html or
// application/xhtml+xml is one article, read by ReadHtmlPage
// (html_extract.h) from its HTTP body (de-chunked for Transfer-Encoding:
// chunked, decompressed for Content-Encoding: gzip):
//   url   WARC-Target-URI (the page's own url when it has none)
//   date  the page's date, else WARC-Date
//   line  the line of the record's "WARC/" line in the decompressed stream
//   id    RecordId: the page's own id, else url, else its content
// Every other record (warcinfo, request, metadata, resource, revisit,
// responses that are not HTTP, not 2xx or not HTML) is passed over without
// being held and counted; at the end, one kNotice
//   "path: note: 6 records passed over (3 request, 1 warcinfo,
//    2 response not HTML)"
// (WARC types in the order request, warcinfo, metadata, resource, revisit,
// conversion, continuation, other types, then responses by reason).
//
// Errors (one kError each, at the line of the record's "WARC/" line):
//   no "WARC/1." line where a record starts, a Content-Length that is
//   missing or not a number, a header block that never ends or is longer
//   than 1 MiB, a record that does not end where its Content-Length says:
//   the reader then skips to the next line that starts with "WARC/1." and
//   the message says which lines it skipped;
//   a Content-Length larger than what remains of the file (the file ends
//   there);
//   an HTML response larger than max_record_bytes (consumed without being
//   held; RecordTooLargeMessage), a chunked body that is malformed, a body
//   compressed with an encoding other than gzip, and a page ReadHtmlPage
//   refuses (its message).
// Damage to the stream (truncated gzip) is one last kError.
//
// A reader is used by one thread at a time.
#ifndef PUNDIT_CORE_READERS_WARC_READER_H_
#define PUNDIT_CORE_READERS_WARC_READER_H_

#include <memory>

#include "core/readers/byte_stream.h"
#include "core/readers/reader.h"

namespace pundit::readers {

// Never fails: every problem is an item of the reader.
std::unique_ptr<ArticleReader> OpenWarcReader(std::unique_ptr<ByteStream> in,
                                              const ReaderOptions& options);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_WARC_READER_H_
