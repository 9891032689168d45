// One JSON object as an article: the record reader shared by the JSON Lines
// reader (a line) and the JSON reader (an element of an array, or a file
// of one object). Keys are named as in core/readers/fields.h (title or
// headline, body or content or maintext, ...), `--map KEY=FIELD` first;
// where an object has several keys of one field, the field's own name wins
// ("body" over "text"). Values:
//   text fields   a string; an object gives its "name" (NewsAPI's source),
//                 "main" (a headline object) or "$oid" (an exported
//                 MongoDB _id); null or absent is none
//   id            also an integer
//   authors, themes, regions
//                 a string (authors split as parse::SplitNameList does) or
//                 a list of strings or of such objects
//   body          a string (paragraphs separated by a blank line) or a
//                 list of strings, one paragraph each
// A value of another type is an error naming its key.
#ifndef PUNDIT_CORE_READERS_JSON_RECORD_H_
#define PUNDIT_CORE_READERS_JSON_RECORD_H_

#include <simdjson.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/article.h"
#include "core/readers/fields.h"
#include "core/readers/reader.h"

namespace pundit::readers {

// How deep a record may nest: an article is a flat object with lists of
// strings or small objects.
inline constexpr size_t kMaxJsonDepth = 32;

// "a list", "a number", ... for messages.
const char* JsonTypeName(simdjson::dom::element_type type);

// Parses `bytes` as one JSON value into *out: "" or the message of a
// ParseError ("invalid JSON (...)", "JSON nested more than 32 levels
// deep"). `what` names the record in messages ("each line", "each element
// of the array"). Throws std::bad_alloc when the parser runs out of memory.
std::string ParseJsonValue(simdjson::dom::parser& parser,
                           std::string_view bytes, std::string_view what,
                           simdjson::dom::element* out);

// The fields of the keys met in one input, looked up once each, and the
// keys no field reads, in the order first met.
class JsonKeys {
 public:
  explicit JsonKeys(const ReaderOptions& options) : options_(options) {}
  NamedField Lookup(std::string_view key);
  const std::vector<std::string>& unread() const { return unread_; }

 private:
  static constexpr size_t kMaxKeys = 4096;  // looked up once each
  static constexpr size_t kMaxNamed = 20;   // unread keys a note names
  const ReaderOptions& options_;
  std::unordered_map<std::string, NamedField> fields_;
  std::vector<std::string> unread_;
};

// Whether `object` has a key read as the title or the body (unread keys
// are not noted).
bool HasArticleKeys(simdjson::dom::object object, const ReaderOptions& options);

// Reads `object` into *article (path and line from `options` and `line`;
// its id by RecordId with `path_id` last): "" or the message of a
// ParseError. When options.shard is set and the record's own id, url or
// `path_id` gives an id that another shard keeps, only the id, path and
// line are read, and *other_shard is set.
std::string ArticleFromJson(simdjson::dom::object object,
                            const ReaderOptions& options, int line,
                            const std::string& path_id, JsonKeys* keys,
                            Article* article, bool* other_shard);

// The note for keys no field reads: "keys a, b are not read (map one with
// --map KEY=FIELD, FIELD one of ...)".
std::string UnreadKeysNote(const std::vector<std::string>& keys);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_JSON_RECORD_H_
