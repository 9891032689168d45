// The field names of tabular and JSON records (core/readers/fields.h).
#include "core/readers/fields.h"

#include <array>

#include "core/parse_text.h"

namespace pundit::readers {
namespace {

struct FieldName {
  std::string_view key;  // NameKey form
  Field field;
};

// The names --map takes, in the order messages list them; the singular
// forms last.
constexpr std::array<FieldName, 14> kMapFields = {{
    {"id", Field::kId},
    {"title", Field::kTitle},
    {"authors", Field::kAuthors},
    {"date", Field::kDate},
    {"body", Field::kBody},
    {"source", Field::kSource},
    {"url", Field::kUrl},
    {"themes", Field::kThemes},
    {"regions", Field::kRegions},
    {"lede", Field::kLede},
    {"bio", Field::kBio},
    {"author", Field::kAuthors},
    {"theme", Field::kThemes},
    {"region", Field::kRegions},
}};

// The names public datasets use, in NameKey form; for each field its own
// name first, then the others by how surely they mean it. CSV exports
// (Kaggle's all-the-news, news-please's CSV), JSON exports (news-please's
// maintext/date_publish/source_domain, NewsAPI's publishedAt and
// description, the News Category Dataset's headline/short_description/
// link) and pundit's own JSON Lines keys (author, theme, region).
constexpr std::array<FieldName, 57> kNames = {{
    {"id", Field::kId},
    {"title", Field::kTitle},
    {"headline", Field::kTitle},
    {"author", Field::kAuthors},
    {"authors", Field::kAuthors},
    {"byline", Field::kAuthors},
    {"creator", Field::kAuthors},
    {"creators", Field::kAuthors},
    {"date", Field::kDate},
    {"published", Field::kDate},
    {"publishdate", Field::kDate},
    {"publishedat", Field::kDate},
    {"datepublished", Field::kDate},
    {"datepublish", Field::kDate},
    {"publicationdate", Field::kDate},
    {"pubdate", Field::kDate},
    {"datetime", Field::kDate},
    {"timestamp", Field::kDate},
    {"createdutc", Field::kDate},  // Reddit dumps: a Unix time
    {"createdat", Field::kDate},
    {"body", Field::kBody},
    {"content", Field::kBody},
    {"text", Field::kBody},
    {"article", Field::kBody},
    {"maintext", Field::kBody},
    {"articlebody", Field::kBody},
    {"source", Field::kSource},
    {"publication", Field::kSource},
    {"publisher", Field::kSource},
    {"outlet", Field::kSource},
    {"site", Field::kSource},
    {"sitename", Field::kSource},
    {"sourcedomain", Field::kSource},
    {"sourcename", Field::kSource},
    {"url", Field::kUrl},
    {"link", Field::kUrl},
    {"weburl", Field::kUrl},
    {"themes", Field::kThemes},
    {"theme", Field::kThemes},
    {"section", Field::kThemes},
    {"sectionname", Field::kThemes},
    {"category", Field::kThemes},
    {"categories", Field::kThemes},
    {"topic", Field::kThemes},
    {"topics", Field::kThemes},
    {"tags", Field::kThemes},
    {"regions", Field::kRegions},
    {"region", Field::kRegions},
    {"country", Field::kRegions},
    {"location", Field::kRegions},
    {"lede", Field::kLede},
    {"description", Field::kLede},
    {"summary", Field::kLede},
    {"abstract", Field::kLede},
    {"shortdescription", Field::kLede},
    {"bio", Field::kBio},
    {"authorbio", Field::kBio},
}};

}  // namespace

std::string NameKey(std::string_view name) {
  std::string out;
  for (char c : parse::CleanText(name)) {
    if (c == ' ' || c == '-' || c == '_') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += c;
  }
  return out;
}

NamedField FieldForName(std::string_view name) {
  const std::string key = NameKey(name);
  Field last = Field::kNone;
  int rank = 0;
  for (const FieldName& f : kNames) {
    rank = f.field == last ? rank + 1 : 0;
    last = f.field;
    if (f.key == key) return {f.field, rank};
  }
  return {};
}

Field FieldForMapName(std::string_view field_name) {
  const std::string key = NameKey(field_name);
  for (const FieldName& f : kMapFields) {
    if (f.key == key) return f.field;
  }
  return Field::kNone;
}

const char* MapFieldNames() {
  return "id, title, authors, date, body, source, url, themes, regions, "
         "lede, bio";
}

NamedField FieldForColumn(
    std::string_view name,
    const std::vector<std::pair<std::string, std::string>>& column_map,
    bool* mapped) {
  const std::string key = NameKey(name);
  *mapped = false;
  for (const auto& [column, field_name] : column_map) {
    if (NameKey(column) == key) {
      *mapped = true;
      // A mapped column outranks every named one.
      return {FieldForMapName(field_name), -1};
    }
  }
  return FieldForName(name);
}

}  // namespace pundit::readers
