// One JSON object as an article (core/readers/json_record.h).
#include "core/readers/json_record.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <new>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "core/parse_text.h"
#include "core/parsers.h"
#include "core/readers/fields.h"

namespace pundit::readers {
namespace {

std::string Clean(std::string_view raw) {
  return parse::CleanText(parse::DecodeEntities(raw));
}

// The string an object stands for: its "name", "main" or "$oid".
bool ObjectText(simdjson::dom::element value, std::string_view* s) {
  simdjson::dom::object object;
  if (value.get(object) != simdjson::SUCCESS) return false;
  for (const char* key : {"name", "main", "$oid"}) {
    simdjson::dom::element inner;
    if (object[key].get(inner) == simdjson::SUCCESS &&
        inner.get(*s) == simdjson::SUCCESS) {
      return true;
    }
  }
  return false;
}

// A string, or an object standing for one.
bool AsText(simdjson::dom::element value, std::string_view* s) {
  return value.get(*s) == simdjson::SUCCESS || ObjectText(value, s);
}

// The value of each field, the key it came from and its rank
// (fields.h: the field's own name first).
struct Slot {
  simdjson::dom::element value;
  std::string key;
  int rank = 0;
  bool set = false;
};

class Record {
 public:
  Record(simdjson::dom::object object, JsonKeys* keys) {
    for (auto [key, value] : object) {
      if (value.is_null()) continue;
      NamedField named = keys->Lookup(key);
      if (named.field == Field::kNone) continue;
      Slot& slot = slots_[static_cast<size_t>(named.field)];
      if (slot.set && slot.rank <= named.rank) continue;
      slot = Slot{value, std::string(key), named.rank, true};
    }
  }

  const std::string& error() const { return error_; }

  // A text field; absent or null is "".
  std::string Text(Field field, bool clean = true) {
    const Slot* slot = Get(field);
    if (slot == nullptr) return "";
    std::string_view s;
    if (!AsText(slot->value, &s)) {
      Fail("\"" + slot->key + "\" must be a string, not " +
           JsonTypeName(slot->value.type()));
      return "";
    }
    return clean ? Clean(s) : std::string(s);
  }

  // A string or a list of strings (or of objects with a name).
  std::vector<std::string> List(Field field, bool names) {
    std::vector<std::string> out;
    const Slot* slot = Get(field);
    if (slot == nullptr) return out;
    std::string_view s;
    // A string may name several people; an item of a list names one.
    auto add = [&](std::string_view text, bool split) {
      if (split) {
        for (std::string& n : parse::SplitNameList(parse::DecodeEntities(text)))
          out.push_back(std::move(n));
        return;
      }
      std::string item = Clean(text);
      if (!item.empty()) out.push_back(std::move(item));
    };
    if (AsText(slot->value, &s)) {
      add(s, names);
      return out;
    }
    simdjson::dom::array array;
    if (slot->value.get(array) != simdjson::SUCCESS) {
      Fail("\"" + slot->key + "\" must be a string or a list of strings, not " +
           JsonTypeName(slot->value.type()));
      return out;
    }
    for (simdjson::dom::element item : array) {
      if (item.is_null()) continue;
      if (!AsText(item, &s)) {
        Fail("\"" + slot->key +
             "\" must be a list of strings, but one item is " +
             JsonTypeName(item.type()));
        return out;
      }
      add(s, false);
    }
    return out;
  }

  // The body: a string, or a list of strings, one paragraph each.
  std::string Body() {
    const Slot* slot = Get(Field::kBody);
    if (slot == nullptr) return "";
    std::string_view s;
    if (slot->value.get(s) == simdjson::SUCCESS) return std::string(s);
    simdjson::dom::array array;
    if (slot->value.get(array) != simdjson::SUCCESS) {
      Fail("\"" + slot->key +
           "\" must be a string or a list of paragraphs, "
           "not " +
           JsonTypeName(slot->value.type()));
      return "";
    }
    std::string body;
    for (simdjson::dom::element item : array) {
      if (item.is_null()) continue;
      if (item.get(s) != simdjson::SUCCESS) {
        Fail("\"" + slot->key +
             "\" must be a list of paragraphs (strings), but one item is " +
             JsonTypeName(item.type()));
        return "";
      }
      if (!body.empty()) body += "\n\n";
      body += s;
    }
    return body;
  }

  // The date: a string, or a number (a Unix time, 20190131) as its digits;
  // "" when absent.
  std::string DateText() {
    const Slot* slot = Get(Field::kDate);
    if (slot == nullptr) return "";
    int64_t i;
    if (slot->value.get(i) == simdjson::SUCCESS) return std::to_string(i);
    double d;
    if (slot->value.get(d) == simdjson::SUCCESS) {
      char buf[32];
      auto [end, ec] =
          std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
      if (ec == std::errc()) return std::string(buf, end);
    }
    return Text(Field::kDate);
  }

  // The id RecordId gives the record, from its own id (`own_id`, as Id()
  // read it), its url or `path_id`, without reading any other field;
  // nullopt when it has none of them (its id is its content's) or they
  // have an error (reported when the record is read whole).
  std::optional<std::string> EarlyId(const std::string& own_id,
                                     const std::string& path_id) {
    if (!error_.empty()) return std::nullopt;
    Article bare;
    if (own_id.empty()) {
      bare.url = Text(Field::kUrl);
      if (!error_.empty()) {
        error_.clear();
        return std::nullopt;
      }
      if (bare.url.empty() && path_id.empty()) return std::nullopt;
    }
    return RecordId(own_id, bare, path_id);
  }

  // "id": a string or an integer; "" when absent.
  std::string Id() {
    const Slot* slot = Get(Field::kId);
    if (slot == nullptr) return "";
    std::string_view s;
    if (AsText(slot->value, &s)) return parse::CleanText(s);
    int64_t i;
    if (slot->value.get(i) == simdjson::SUCCESS) return std::to_string(i);
    uint64_t u;
    if (slot->value.get(u) == simdjson::SUCCESS) return std::to_string(u);
    Fail("\"" + slot->key + "\" must be a string or an integer, not " +
         JsonTypeName(slot->value.type()));
    return "";
  }

 private:
  const Slot* Get(Field field) const {
    const Slot& slot = slots_[static_cast<size_t>(field)];
    return slot.set && !slot.value.is_null() ? &slot : nullptr;
  }

  void Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }

  std::array<Slot, static_cast<size_t>(Field::kBio) + 1> slots_;
  std::string error_;
};

}  // namespace

const char* JsonTypeName(simdjson::dom::element_type type) {
  using T = simdjson::dom::element_type;
  switch (type) {
    case T::ARRAY:
      return "a list";
    case T::OBJECT:
      return "an object";
    case T::INT64:
    case T::UINT64:
    case T::DOUBLE:
      return "a number";
    case T::STRING:
      return "a string";
    case T::BOOL:
      return "true or false";
    case T::NULL_VALUE:
      return "null";
  }
  return "something else";
}

std::string ParseJsonValue(simdjson::dom::parser& parser,
                           std::string_view bytes, std::string_view what,
                           simdjson::dom::element* out) {
  simdjson::error_code code =
      parser.parse(bytes.data(), bytes.size()).get(*out);
  // Memory running out is no fault of the record: not a bad record, but a
  // failed run (ArticleReader::Next).
  if (code == simdjson::MEMALLOC) throw std::bad_alloc();
  if (code == simdjson::DEPTH_ERROR) {
    return "JSON nested more than " + std::to_string(kMaxJsonDepth) +
           " levels deep: " + std::string(what) +
           " must be one flat article object";
  }
  if (code != simdjson::SUCCESS) {
    return std::string("invalid JSON (") + simdjson::error_message(code) +
           "): " + std::string(what) + " must be one complete JSON object";
  }
  return "";
}

NamedField JsonKeys::Lookup(std::string_view key) {
  auto it = fields_.find(std::string(key));
  if (it != fields_.end()) return it->second;
  bool mapped = false;
  NamedField named = FieldForColumn(key, options_.column_map, &mapped);
  // Keys that are data (dates, ids as keys) must not grow these unbounded.
  if (named.field == Field::kNone && !mapped && unread_.size() < kMaxNamed) {
    unread_.emplace_back(key);
  }
  if (fields_.size() < kMaxKeys) fields_.emplace(std::string(key), named);
  return named;
}

bool HasArticleKeys(simdjson::dom::object object,
                    const ReaderOptions& options) {
  for (auto [key, value] : object) {
    if (value.is_null()) continue;
    bool mapped = false;
    const Field f = FieldForColumn(key, options.column_map, &mapped).field;
    if (f == Field::kTitle || f == Field::kBody) return true;
  }
  return false;
}

std::string ArticleFromJson(simdjson::dom::object object,
                            const ReaderOptions& options, int line,
                            const std::string& path_id, JsonKeys* keys,
                            Article* article, bool* other_shard) {
  Record fields(object, keys);
  article->path = options.path;
  article->line = line;
  std::string id = fields.Id();
  *other_shard = false;
  if (options.shard.sharded()) {
    // Every key is looked up already (Record), so unread keys are noted
    // alike in every shard.
    std::optional<std::string> early = fields.EarlyId(id, path_id);
    if (early && !options.shard.Keeps(*early)) {
      article->id = std::move(*early);
      *other_shard = true;
      return "";
    }
  }
  article->title = fields.Text(Field::kTitle);
  article->authors = fields.List(Field::kAuthors, /*names=*/true);
  std::string date_text = fields.DateText();
  article->regions = fields.List(Field::kRegions, /*names=*/false);
  article->themes = fields.List(Field::kThemes, /*names=*/false);
  article->source = fields.Text(Field::kSource);
  article->url = fields.Text(Field::kUrl);
  article->lede = fields.Text(Field::kLede);
  article->bio = fields.Text(Field::kBio);
  std::string body = fields.Body();
  if (!fields.error().empty()) return fields.error();
  if (article->title.empty()) {
    // Scraped corpora often have a body but no headline: the opening words
    // of the body stand in, so the article is still found and shown.
    article->title =
        TitleFromBody(parse::CleanText(parse::DecodeEntities(body)));
    if (article->title.empty()) {
      return "no title and no body: every article needs a non-empty title "
             "(\"title\", \"headline\") or body (\"body\", \"content\", "
             "\"text\"), or --map KEY=title for the key that holds it";
    }
  }
  if (!date_text.empty()) {
    std::string date_error;
    article->date = NormalizeDate(date_text, &date_error);
    if (article->date.empty()) return date_error;
  }
  article->body = PlainTextBlocks(parse::DecodeEntities(body));
  article->id = RecordId(id, *article, path_id);
  return "";
}

std::string UnreadKeysNote(const std::vector<std::string>& keys) {
  std::string names;
  for (const std::string& k : keys) {
    if (!names.empty()) names += ", ";
    names += parse::CleanText(k);
  }
  return std::string(keys.size() == 1 ? "key " : "keys ") + names +
         (keys.size() == 1 ? " is" : " are") +
         " not read (map one with --map KEY=FIELD, FIELD one of " +
         MapFieldNames() + ")";
}

}  // namespace pundit::readers
