// The article fields a record of a tabular or JSON input is read into, and
// the names public datasets give them: one table for the CSV/TSV reader's
// columns and the JSON readers' keys (corpus/README.md lists it), so a
// dataset's `headline` or `publishedAt` means the same in every format.
//
// Names are compared by NameKey: lower case, without ' ', '-' and '_'
// ("Publish Date", "publish_date" and "publishDate" are one name).
//
// Pure functions over constant tables; thread-safe.
#ifndef PUNDIT_CORE_READERS_FIELDS_H_
#define PUNDIT_CORE_READERS_FIELDS_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pundit::readers {

enum class Field {
  kNone,  // not read
  kId,
  kTitle,
  kAuthors,
  kDate,
  kBody,
  kSource,
  kUrl,
  kThemes,
  kRegions,
  kLede,
  kBio,
};

// "Publish Date" -> "publishdate": CleanText, ASCII lower case, ' ', '-'
// and '_' left out.
std::string NameKey(std::string_view name);

// The field a column or key named `name` is read as (kNone: not read), and
// its rank among the names of that field: 0 for the field's own name
// ("title"), then the others in the order of the table. Where a record has
// several names of one field, a reader that keeps one value takes the
// lowest rank.
struct NamedField {
  Field field = Field::kNone;
  int rank = 0;
};
NamedField FieldForName(std::string_view name);

// The field `--map COLUMN=FIELD` names ("title", "authors", ...; also the
// singular "author", "theme", "region"), or kNone.
Field FieldForMapName(std::string_view field_name);

// "id, title, authors, date, body, source, url, themes, regions, lede,
// bio": the FIELD names of --map, for messages and --help.
const char* MapFieldNames();

// Applies `--map` pairs (COLUMN=FIELD, as ReaderOptions::column_map holds
// them) over the table: the field of `name`, a mapped column first.
// *mapped is set when a --map pair named it.
NamedField FieldForColumn(
    std::string_view name,
    const std::vector<std::pair<std::string, std::string>>& column_map,
    bool* mapped);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_FIELDS_H_
