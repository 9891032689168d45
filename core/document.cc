#include "core/document.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/dedup.h"
#include "core/positions.h"
#include "core/schema.h"
#include "core/text.h"

namespace pundit {
namespace {

// Facet display values are cut to this many bytes (at a character boundary)
// so that prefix + value stays well under Xapian's 245-byte term limit.
constexpr size_t kMaxFacetBytes = 200;
// Longer words (URLs, base64, runs of letters) are not indexed as text terms.
constexpr size_t kMaxWordBytes = 64;
// A stem is never longer than its word; the title stem's prefix is "ZS".
static_assert(2 + kMaxWordBytes <= kMaxTermBytesButId);
// XP<w1> <w2>.
static_assert(schema::kPairPrefix.size() + 2 * kMaxWordBytes + 1 <=
              kMaxTermBytesButId);
static_assert(
    schema::kRegionPrefix.size() + kMaxFacetBytes <= kMaxTermBytesButId &&
    schema::kSourcePrefix.size() + kMaxFacetBytes <= kMaxTermBytesButId &&
    schema::kThemePrefix.size() + kMaxFacetBytes <= kMaxTermBytesButId &&
    schema::kAuthorPrefix.size() + kMaxFacetBytes <= kMaxTermBytesButId);

// `text` cut to at most `max` bytes without splitting a UTF-8 sequence, with
// no trailing space.
std::string CutAtCharBoundary(std::string text, size_t max) {
  if (text.size() <= max) return text;
  size_t size = Utf8Boundary(text, max);
  while (size > 0 && text[size - 1] == ' ') --size;
  text.resize(size);
  return text;
}

void AddFacet(Xapian::Document& doc, std::string_view prefix,
              const std::string& value) {
  std::string display =
      CutAtCharBoundary(Analyzer::NormalizeDisplay(value), kMaxFacetBytes);
  if (display.empty()) return;
  doc.add_boolean_term(schema::FacetTerm(prefix, display));
}

// "YYYYMMDD" for a "YYYY-MM-DD" date, "" for anything else.
std::string CompactDate(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return "";
  std::string compact;
  compact.append(date.substr(0, 4));
  compact.append(date.substr(5, 2));
  compact.append(date.substr(8, 2));
  return AllDigits(compact) ? compact : "";
}

// Writes the text terms of one article, block after block. Each token is
// counted in the article's own table of words (wdf and positions); the
// document gets each distinct term once, stemmed once, in Finish(): the
// same terms and wdf as one add_term per token, with a fraction of the
// calls into Xapian's and the stem cache's ordered maps.
class TextTerms {
 public:
  TextTerms(Xapian::Document& doc, Analyzer& analyzer)
      : doc_(doc), analyzer_(analyzer) {}

  // Title words: unprefixed with positions and boosted wdf, S<word> with
  // positions, Z<stem> boosted and ZS<stem>.
  void AddTitle(const std::string& text) {
    const std::vector<Token> tokens = analyzer_.Tokenize(text, next_position_);
    for (const Token& token : tokens) {
      Advance(token);
      if (token.term.size() > kMaxWordBytes) continue;
      Count(words_[token.term], token.position, schema::kTitleWdfBoost);
      Count(title_words_[token.term], token.position, 1);
    }
    AddPairs(tokens);
  }

  // Lede and body words (and author names, with kAuthorWdfBoost):
  // unprefixed with positions, Z<stem> without, each with `wdf_inc`.
  void AddBlock(const std::string& text, Xapian::termcount wdf_inc = 1) {
    const std::vector<Token> tokens = analyzer_.Tokenize(text, next_position_);
    for (const Token& token : tokens) {
      Advance(token);
      if (token.term.size() > kMaxWordBytes) continue;
      Count(words_[token.term], token.position, wdf_inc);
    }
    AddPairs(tokens);
  }

  // Adds the counted terms and stores their positions
  // (schema::kPositionsFirstValue on).
  void Finish() {
    // Each term once: encoded straight from the counts, not copied into a
    // PositionRecordBuilder.
    std::vector<TermPositions> positions;
    positions.reserve(words_.size() + title_words_.size());
    std::vector<const std::string*> words;
    words.reserve(words_.size());
    for (const auto& entry : words_) words.push_back(&entry.first);
    const std::vector<std::string> stems = analyzer_.Stems(words);
    size_t i = 0;
    for (auto& [word, counted] : words_) {
      doc_.add_term(word, counted.wdf);
      const std::string& stem = stems[i++];
      if (!stem.empty() && stem.size() <= kMaxWordBytes) {
        doc_.add_term(Prefixed(schema::kStemPrefix, stem), counted.wdf);
      }
      positions.push_back({word, &counted.positions});
    }
    std::vector<std::string> title_terms;
    title_terms.reserve(title_words_.size());  // no reallocation: views
    for (auto& [word, counted] : title_words_) {
      const std::string& term =
          title_terms.emplace_back(Prefixed(schema::kTitlePrefix, word));
      doc_.add_term(term, counted.wdf);
      const std::string stem = analyzer_.Stem(word);
      if (!stem.empty() && stem.size() <= kMaxWordBytes) {
        std::string title_stem(schema::kStemPrefix);
        title_stem += schema::kTitlePrefix;
        title_stem += stem;
        doc_.add_term(title_stem, counted.wdf);
      }
      positions.push_back({term, &counted.positions});
    }
    if (positions.empty()) return;
    const std::vector<std::string> parts = EncodePositions(positions);
    for (unsigned i = 0; i < parts.size(); ++i) {
      if (!parts[i].empty()) {
        doc_.add_value(schema::kPositionsFirstValue + i, parts[i]);
      }
    }
  }

 private:
  // What the article holds of one term so far.
  struct Counted {
    Xapian::termcount wdf = 0;
    std::vector<uint32_t> positions;  // ascending, each once
  };

  // One more occurrence at `position`, with `wdf_inc` more wdf.
  static void Count(Counted& counted, uint32_t position,
                    Xapian::termcount wdf_inc) {
    counted.wdf += wdf_inc;
    std::vector<uint32_t>& p = counted.positions;
    if (p.empty() || p.back() < position) {
      p.push_back(position);
    } else if (!std::binary_search(p.begin(), p.end(), position)) {
      p.insert(std::lower_bound(p.begin(), p.end(), position), position);
    }
  }

  static std::string Prefixed(std::string_view prefix,
                              const std::string& word) {
    std::string term(prefix);
    term += word;
    return term;
  }

  // XP terms for the indexed words of one block at positions p and p + 1
  // when one of the two is a pair word: exactly the two-word phrases with a
  // pair word that match this block. A hyphenated compound shares its first
  // part's position, so it pairs with both neighbours as a phrase would.
  void AddPairs(const std::vector<Token>& tokens) {
    std::vector<const Token*> words;
    words.reserve(tokens.size());
    for (const Token& token : tokens) {
      if (token.term.size() <= kMaxWordBytes) words.push_back(&token);
    }
    std::stable_sort(words.begin(), words.end(),
                     [](const Token* a, const Token* b) {
                       return a->position < b->position;
                     });
    for (size_t i = 0; i < words.size(); ++i) {
      const Token& first = *words[i];
      const bool first_is_pair_word = schema::IsPairWord(first.term);
      for (size_t j = i + 1;
           j < words.size() && words[j]->position <= first.position + 1; ++j) {
        const Token& second = *words[j];
        if (second.position != first.position + 1) continue;
        if (first_is_pair_word || schema::IsPairWord(second.term)) {
          doc_.add_boolean_term(schema::PairTerm(first.term, second.term));
        }
      }
    }
  }

  // The next block starts kParagraphGap positions after this token.
  void Advance(const Token& token) {
    next_position_ =
        std::max(next_position_, token.position + 1 + schema::kParagraphGap);
  }

  Xapian::Document& doc_;
  Analyzer& analyzer_;
  std::unordered_map<std::string, Counted> words_;        // by word
  std::unordered_map<std::string, Counted> title_words_;  // S<word>, by word
  unsigned next_position_ = 1;
};

void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

void AppendList(std::string& out, const std::vector<std::string>& list) {
  out += std::to_string(list.size());
  out += '[';
  for (const std::string& item : list) AppendField(out, item);
}

// Every parsed field but id, path and line, length-prefixed, so that no two
// articles share an encoding.
void AppendContent(std::string& out, const Article& article) {
  AppendField(out, article.title);
  AppendList(out, article.authors);
  AppendField(out, article.date);
  AppendList(out, article.regions);
  AppendList(out, article.themes);
  AppendField(out, article.source);
  AppendField(out, article.url);
  AppendField(out, article.lede);
  out += std::to_string(article.body.size());
  out += '[';
  for (const Block& block : article.body) {
    out += block.kind == Block::Kind::kHeading ? 'h' : 'p';
    AppendField(out, block.text);
  }
  AppendField(out, article.bio);
}

Status BadData(const std::string& what) {
  return Status::Corruption("document data " + what +
                            ": the index is damaged or was written by "
                            "another version; rebuild it with `pundit index "
                            "--full`");
}

// Reads an optional string field; false if present with another type.
bool ReadString(const nlohmann::json& j, const char* key, std::string& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return true;
  if (!it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

bool ReadStrings(const nlohmann::json& j, const char* key,
                 std::vector<std::string>& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return true;
  if (!it->is_array()) return false;
  for (const auto& item : *it) {
    if (!item.is_string()) return false;
    out.push_back(item.get<std::string>());
  }
  return true;
}

// The article's stored data as nlohmann's json tree gives it.
std::string ArticleToDataTree(const Article& article) {
  nlohmann::ordered_json j;
  j["id"] = article.id;
  j["title"] = article.title;
  j["authors"] = article.authors;
  j["date"] = article.date;
  j["regions"] = article.regions;
  j["themes"] = article.themes;
  j["source"] = article.source;
  j["url"] = article.url;
  j["lede"] = article.lede;
  nlohmann::ordered_json body = nlohmann::ordered_json::array();
  for (const Block& block : article.body) {
    body.push_back(
        {{"h", block.kind == Block::Kind::kHeading}, {"t", block.text}});
  }
  j["body"] = std::move(body);
  j["bio"] = article.bio;
  j["path"] = article.path;
  j["line"] = article.line;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// True when every string ArticleToData stores is valid UTF-8.
bool AllValidUtf8(const Article& article) {
  auto all = [](const std::vector<std::string>& list) {
    return std::all_of(list.begin(), list.end(),
                       [](const std::string& s) { return IsValidUtf8(s); });
  };
  return IsValidUtf8(article.id) && IsValidUtf8(article.title) &&
         all(article.authors) && IsValidUtf8(article.date) &&
         all(article.regions) && all(article.themes) &&
         IsValidUtf8(article.source) && IsValidUtf8(article.url) &&
         IsValidUtf8(article.lede) &&
         std::all_of(article.body.begin(), article.body.end(),
                     [](const Block& b) { return IsValidUtf8(b.text); }) &&
         IsValidUtf8(article.bio) && IsValidUtf8(article.path);
}

// `text` (valid UTF-8) as a JSON string, escaped as nlohmann's dump does
// without ensure_ascii: quote and backslash, \b \f \n \r \t, other bytes
// below 0x20 as \u00xx; the rest as it is.
void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  size_t plain = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.substr(plain, i - plain));
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
      }
    }
  }
  out.append(text.substr(plain));
  out += '"';
}

void AppendJsonStrings(std::string& out, const std::vector<std::string>& list) {
  out += '[';
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, list[i]);
  }
  out += ']';
}

}  // namespace

Xapian::Document BuildDocument(const Article& article,
                               const std::string& absolute_path,
                               Analyzer& analyzer) {
  Xapian::Document doc;
  doc.add_boolean_term(schema::IdTerm(article.id));
  doc.add_boolean_term(schema::FileTerm(absolute_path));

  for (const std::string& author : article.authors) {
    AddFacet(doc, schema::kAuthorPrefix, author);
  }
  for (const std::string& region : article.regions) {
    AddFacet(doc, schema::kRegionPrefix, region);
  }
  for (const std::string& theme : article.themes) {
    AddFacet(doc, schema::kThemePrefix, theme);
  }
  AddFacet(doc, schema::kSourcePrefix, article.source);

  const std::string date = CompactDate(article.date);
  if (!date.empty()) {
    const std::string_view compact = date;
    doc.add_boolean_term(
        schema::FacetTerm(schema::kYearPrefix, compact.substr(0, 4)));
    doc.add_boolean_term(
        schema::FacetTerm(schema::kMonthPrefix, compact.substr(0, 6)));
    doc.add_boolean_term(schema::FacetTerm(schema::kDayPrefix, compact));
    doc.add_value(schema::kDateValue, date);
  }

  TextTerms text(doc, analyzer);
  text.AddTitle(article.title);
  text.AddBlock(article.lede);
  for (const Block& block : article.body) text.AddBlock(block.text);
  // Authors as free text too ("vaughan"); A: stays the exact facet.
  for (const std::string& author : article.authors) {
    text.AddBlock(author, schema::kAuthorWdfBoost);
  }
  text.Finish();

  doc.add_value(schema::kContentHash, ContentHash(article));
  if (std::string signature = dedup::Signature(article); !signature.empty()) {
    for (const std::string& band : dedup::BandTerms(signature)) {
      doc.add_boolean_term(band);
    }
    doc.add_value(schema::kSignatureValue, signature);
  }
  doc.set_data(ArticleToData(article));
  return doc;
}

std::string ContentHash(const Article& article) {
  std::string bytes;
  AppendField(bytes, article.id);
  AppendContent(bytes, article);
  return schema::HashHex(bytes);
}

std::string ContentId(const Article& article) {
  std::string bytes;
  AppendContent(bytes, article);
  return schema::HashHex(bytes);
}

std::string ArticleToData(const Article& article) {
  // Written directly: the JSON that nlohmann's dump would give for these
  // fields, byte for byte, without first copying every string into a
  // json tree. A string that is not valid UTF-8 (article strings always
  // are) takes the tree's way, which stores U+FFFD rather than fail.
  if (!AllValidUtf8(article)) return ArticleToDataTree(article);
  std::string out;
  out.reserve(256 + article.lede.size() + article.title.size() +
              article.bio.size() + 16 * article.body.size() +
              std::accumulate(
                  article.body.begin(), article.body.end(), size_t{0},
                  [](size_t n, const Block& b) { return n + b.text.size(); }));
  out += "{\"id\":";
  AppendJsonString(out, article.id);
  out += ",\"title\":";
  AppendJsonString(out, article.title);
  out += ",\"authors\":";
  AppendJsonStrings(out, article.authors);
  out += ",\"date\":";
  AppendJsonString(out, article.date);
  out += ",\"regions\":";
  AppendJsonStrings(out, article.regions);
  out += ",\"themes\":";
  AppendJsonStrings(out, article.themes);
  out += ",\"source\":";
  AppendJsonString(out, article.source);
  out += ",\"url\":";
  AppendJsonString(out, article.url);
  out += ",\"lede\":";
  AppendJsonString(out, article.lede);
  out += ",\"body\":[";
  for (size_t i = 0; i < article.body.size(); ++i) {
    if (i > 0) out += ',';
    out += article.body[i].kind == Block::Kind::kHeading
               ? "{\"h\":true,\"t\":"
               : "{\"h\":false,\"t\":";
    AppendJsonString(out, article.body[i].text);
    out += '}';
  }
  out += "],\"bio\":";
  AppendJsonString(out, article.bio);
  out += ",\"path\":";
  AppendJsonString(out, article.path);
  out += ",\"line\":";
  out += std::to_string(article.line);
  out += '}';
  return out;
}

Result<Article> ArticleFromData(const std::string& data) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(data);
  } catch (const nlohmann::json::parse_error& e) {
    return BadData("is not valid JSON (byte " + std::to_string(e.byte) + ")");
  }
  if (!j.is_object()) return BadData("is not a JSON object");
  Article article;
  auto id = j.find("id");
  if (id == j.end() || !id->is_string()) {
    return BadData("has no string field \"id\"");
  }
  article.id = id->get<std::string>();
  for (auto [key, field] : {std::pair{"title", &article.title},
                            {"date", &article.date},
                            {"source", &article.source},
                            {"url", &article.url},
                            {"lede", &article.lede},
                            {"bio", &article.bio},
                            {"path", &article.path}}) {
    if (!ReadString(j, key, *field)) {
      return BadData(std::string("field \"") + key + "\" is not a string");
    }
  }
  for (auto [key, field] : {std::pair{"authors", &article.authors},
                            {"regions", &article.regions},
                            {"themes", &article.themes}}) {
    if (!ReadStrings(j, key, *field)) {
      return BadData(std::string("field \"") + key +
                     "\" is not an array of strings");
    }
  }
  if (auto line = j.find("line"); line != j.end() && !line->is_null()) {
    if (!line->is_number_integer()) {
      return BadData("field \"line\" is not an integer");
    }
    article.line = line->get<int>();
  }
  if (auto body = j.find("body"); body != j.end() && !body->is_null()) {
    if (!body->is_array()) return BadData("field \"body\" is not an array");
    for (const auto& item : *body) {
      auto h = item.is_object() ? item.find("h") : item.end();
      auto t = item.is_object() ? item.find("t") : item.end();
      if (!item.is_object() || h == item.end() || !h->is_boolean() ||
          t == item.end() || !t->is_string()) {
        return BadData(
            "field \"body\" holds a block that is not "
            "{\"h\": bool, \"t\": string}");
      }
      Block block;
      block.kind =
          h->get<bool>() ? Block::Kind::kHeading : Block::Kind::kParagraph;
      block.text = t->get<std::string>();
      article.body.push_back(std::move(block));
    }
  }
  return article;
}

std::vector<uint32_t> PositionsOf(const Xapian::Document& doc,
                                  const std::string& term) {
  std::vector<uint32_t> out;
  if (!HasPositions(term)) return out;
  const std::string part =
      doc.get_value(schema::kPositionsFirstValue + PositionPart(term));
  PositionRecord(part).Find(term, &out);
  return out;
}

std::string TermDump(const Xapian::Document& doc) {
  std::string out;
  for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
    if (!out.empty()) out += ' ';
    out += *term;
    const Xapian::termcount wdf = term.get_wdf();
    const std::vector<uint32_t> list = PositionsOf(doc, *term);
    const auto positions = static_cast<Xapian::termcount>(list.size());
    // The wdf is shown only where it says more than the positions do.
    if (wdf != 0 && wdf != std::max<Xapian::termcount>(1, positions)) {
      out += ':';
      out += std::to_string(wdf);
    }
    if (positions == 0) continue;
    out += '[';
    bool first = true;
    for (uint32_t pos : list) {
      if (!first) out += ',';
      first = false;
      out += std::to_string(pos);
    }
    out += ']';
  }
  return out;
}

}  // namespace pundit
