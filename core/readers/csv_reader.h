// The CSV and TSV reader: a header row, then one article per row (RFC 4180:
// fields quoted with '"' may hold the delimiter, doubled quotes and line
// breaks; CRLF or LF). Read from the stream a byte at a time through a
// state machine, so a file of any size takes the memory of one row.
//
// Columns are named by the header as public news datasets name them
// (core/readers/fields.h: title or headline, content or text, ...; case,
// a UTF-8 BOM, ' ', '-' and '_' do not matter).
// `ReaderOptions::column_map` ("--map COLUMN=FIELD") names the rest; a map
// for a column this file does not have is a notice. An unnamed column (the
// index pandas writes first) is ignored silently; other columns nobody
// reads get one notice per file. Multi-valued cells (authors, themes,
// regions) split on ';' or '|' (authors also on "A and B"). A cell's
// paragraphs are separated by blank lines; entities are decoded.
//
// Errors (ParseError messages), each costing only its row: a row over
// max_record_bytes, more cells than the header has, no title and no body,
// a date that is not one (NormalizeDate), invalid UTF-8. A quote left open
// at the end of the file is one error at the row it opened. A header with
// neither a title nor a body column is one error for the whole file.
#ifndef PUNDIT_CORE_READERS_CSV_READER_H_
#define PUNDIT_CORE_READERS_CSV_READER_H_

#include <memory>

#include "core/readers/byte_stream.h"
#include "core/readers/reader.h"

namespace pundit::readers {

// `delimiter`: '\t' for TSV; kSniffDelimiter for CSV: ',' unless the
// header row has no ',' and has ';' (spreadsheets where ',' is the decimal
// mark write such CSV) or a tab.
inline constexpr char kSniffDelimiter = '\0';
std::unique_ptr<ArticleReader> OpenCsvReader(std::unique_ptr<ByteStream> in,
                                             const ReaderOptions& options,
                                             char delimiter);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_CSV_READER_H_
