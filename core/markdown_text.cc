#include "core/markdown_text.h"

#include <md4c.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "core/parse_text.h"
#include "core/text.h"

namespace pundit::parse {
namespace {

bool IsAsciiPunct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
         (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

// Drops the text between '<' and '>' of a raw HTML block and decodes its
// entities; comments are dropped whole.
std::string HtmlToText(std::string_view html) {
  std::string out;
  size_t i = 0;
  while (i < html.size()) {
    if (html.substr(i).starts_with("<!--")) {
      size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      out += ' ';
    } else if (html[i] == '<') {
      size_t end = html.find('>', i);
      i = end == std::string_view::npos ? html.size() : end + 1;
      out += ' ';
    } else {
      out += html[i++];
    }
  }
  return DecodeEntities(out);
}

bool IsBrTag(std::string_view tag) {
  return StartsWithNoCase(tag, "<br") &&
         (tag.size() == 3 || tag[3] == '>' || tag[3] == '/' || tag[3] == ' ');
}

// True for inline raw HTML that is markup: a comment, a processing
// instruction or declaration, or a tag of an HTML element. Text such as
// "<Dunlop Malaysian Industries Bhd>" (news wires mark company names so)
// looks like a tag to Markdown but names no HTML element: it is content.
bool IsHtmlMarkup(std::string_view tag) {
  if (tag.size() < 2 || tag[0] != '<') return false;
  if (tag[1] == '!' || tag[1] == '?') return true;
  size_t i = tag[1] == '/' ? 2 : 1;
  std::string name;
  while (i < tag.size() &&
         (std::isalnum(static_cast<unsigned char>(tag[i])) || tag[i] == '-')) {
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(tag[i])));
    ++i;
  }
  if (name.find('-') != std::string::npos) return true;  // custom elements
  static const std::set<std::string, std::less<>> kElements = {
      "a",      "abbr",     "address",    "area",     "article",  "aside",
      "audio",  "b",        "bdi",        "bdo",      "big",      "blockquote",
      "body",   "br",       "button",     "canvas",   "caption",  "center",
      "cite",   "code",     "col",        "colgroup", "data",     "dd",
      "del",    "details",  "dfn",        "div",      "dl",       "dt",
      "em",     "embed",    "figcaption", "figure",   "font",     "footer",
      "form",   "h1",       "h2",         "h3",       "h4",       "h5",
      "h6",     "head",     "header",     "hr",       "html",     "i",
      "iframe", "img",      "input",      "ins",      "kbd",      "label",
      "legend", "li",       "link",       "main",     "mark",     "meta",
      "nav",    "noscript", "object",     "ol",       "optgroup", "option",
      "p",      "picture",  "pre",        "q",        "s",        "samp",
      "script", "section",  "select",     "small",    "source",   "span",
      "strike", "strong",   "style",      "sub",      "summary",  "sup",
      "svg",    "table",    "tbody",      "td",       "template", "textarea",
      "tfoot",  "th",       "thead",      "time",     "title",    "tr",
      "track",  "tt",       "u",          "ul",       "var",      "video",
      "wbr"};
  return kElements.count(name) > 0;
}

// Collects md4c's callbacks into MdBlocks.
class Builder {
 public:
  Builder(std::string_view doc, int first_line)
      : doc_(doc), first_line_(first_line) {
    for (size_t i = 0; i < doc.size(); ++i) {
      if (doc[i] == '\n') newlines_.push_back(i);
    }
  }

  std::vector<MdBlock> Take() {
    FinishBlock();
    return std::move(blocks_);
  }

  int EnterBlock(MD_BLOCKTYPE type, void* detail) {
    switch (type) {
      case MD_BLOCK_QUOTE:
        ++quote_depth_;
        break;
      case MD_BLOCK_LI:
        ++li_depth_;
        StartBlock(MdBlock::Type::kListItem);
        break;
      case MD_BLOCK_P:
        // The first paragraph of a loose list item continues the item.
        if (current_ && current_->type == MdBlock::Type::kListItem &&
            current_->lines.empty() && line_raw_.empty()) {
          break;
        }
        StartBlock(li_depth_ > 0 ? MdBlock::Type::kListItem
                                 : MdBlock::Type::kParagraph);
        break;
      case MD_BLOCK_H:
        StartBlock(MdBlock::Type::kHeading);
        current_->level =
            static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level);
        break;
      case MD_BLOCK_CODE:
        StartBlock(MdBlock::Type::kCode);
        break;
      case MD_BLOCK_HTML:
        StartBlock(MdBlock::Type::kHtml);
        break;
      case MD_BLOCK_TR:
        StartBlock(MdBlock::Type::kTableRow);
        break;
      case MD_BLOCK_TH:
      case MD_BLOCK_TD:
        if (current_) line_raw_ += ' ';
        break;
      case MD_BLOCK_HR:
        FinishBlock();
        blocks_.push_back(
            MdBlock{MdBlock::Type::kRule, 0, quote_depth_ > 0, last_line_, {}});
        break;
      default:
        break;
    }
    return 0;
  }

  int LeaveBlock(MD_BLOCKTYPE type) {
    switch (type) {
      case MD_BLOCK_QUOTE:
        FinishBlock();
        --quote_depth_;
        break;
      case MD_BLOCK_LI:
        FinishBlock();
        --li_depth_;
        break;
      case MD_BLOCK_P:
      case MD_BLOCK_H:
      case MD_BLOCK_CODE:
      case MD_BLOCK_HTML:
      case MD_BLOCK_TR:
        FinishBlock();
        break;
      default:
        break;
    }
    return 0;
  }

  int EnterSpan(MD_SPANTYPE type) {
    switch (type) {
      case MD_SPAN_EM:
      case MD_SPAN_STRONG:
        ++em_depth_;
        break;
      case MD_SPAN_A:
        ++link_depth_;
        link_text_.clear();
        break;
      case MD_SPAN_IMG:
        ++img_depth_;
        break;
      default:
        break;
    }
    return 0;
  }

  int LeaveSpan(MD_SPANTYPE type) {
    switch (type) {
      case MD_SPAN_EM:
      case MD_SPAN_STRONG:
        --em_depth_;
        break;
      case MD_SPAN_A:
        if (--link_depth_ == 0) {
          std::string link = CleanText(link_text_);
          if (!link.empty()) line_links_.push_back(std::move(link));
        }
        break;
      case MD_SPAN_IMG:
        --img_depth_;
        break;
      default:
        break;
    }
    return 0;
  }

  int Text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size) {
    if (img_depth_ > 0) return 0;
    std::string_view chunk(text, size);
    NoteLine(text);
    if (!current_) StartBlock(MdBlock::Type::kParagraph);
    switch (type) {
      case MD_TEXT_NORMAL:
        AppendNormal(chunk);
        break;
      case MD_TEXT_NULLCHAR:
        Append("\xEF\xBF\xBD");
        break;
      case MD_TEXT_BR:
      case MD_TEXT_SOFTBR:
        FlushLine();
        break;
      case MD_TEXT_ENTITY:
        Append(DecodeEntity(chunk));
        break;
      case MD_TEXT_HTML:
        if (current_->type == MdBlock::Type::kHtml) {
          Append(HtmlToText(chunk));
        } else if (IsBrTag(chunk)) {
          FlushLine();
        } else if (!IsHtmlMarkup(chunk)) {
          Append(chunk);  // "<Company Name>": text, not a tag
        }
        // Other inline tags (<sup>, </sup>, <em>...) are dropped; the text
        // between them arrives as normal text.
        break;
      case MD_TEXT_CODE:
      case MD_TEXT_LATEXMATH:
        Append(chunk);
        break;
    }
    last_was_normal_ = type == MD_TEXT_NORMAL;
    return 0;
  }

 private:
  int LineOf(const char* p) const {
    if (p < doc_.data() || p >= doc_.data() + doc_.size()) return 0;
    size_t offset = static_cast<size_t>(p - doc_.data());
    auto it = std::lower_bound(newlines_.begin(), newlines_.end(), offset);
    return first_line_ + static_cast<int>(it - newlines_.begin());
  }

  void NoteLine(const char* p) {
    if (line_number_ != 0) return;
    int line = LineOf(p);
    if (line == 0) return;
    line_number_ = line;
    last_line_ = line;
    if (current_ && current_->line == 0) current_->line = line;
  }

  // Normal text. A backslash kept by an escaped backslash and followed by
  // ASCII punctuation ("\\$11" written by converters that escape twice) is
  // dropped, so that "\\$11 billion" reads "$11 billion".
  void AppendNormal(std::string_view chunk) {
    std::string fixed;
    fixed.reserve(chunk.size());
    for (size_t i = 0; i < chunk.size(); ++i) {
      if (chunk[i] == '\\' && i + 1 < chunk.size() &&
          IsAsciiPunct(chunk[i + 1]) && chunk[i + 1] != '\\') {
        continue;
      }
      fixed += chunk[i];
    }
    if (!fixed.empty() && IsAsciiPunct(fixed.front()) &&
        fixed.front() != '\\' && last_was_normal_ && !line_raw_.empty() &&
        line_raw_.back() == '\\') {
      line_raw_.pop_back();
      if (link_depth_ > 0 && !link_text_.empty() && link_text_.back() == '\\') {
        link_text_.pop_back();
      }
    }
    Append(fixed);
  }

  void Append(std::string_view s) {
    line_raw_.append(s);
    if (link_depth_ > 0) link_text_.append(s);
    if (em_depth_ == 0 &&
        s.find_first_not_of(" \t\n") != std::string_view::npos) {
      line_has_plain_ = true;
    }
  }

  void StartBlock(MdBlock::Type type) {
    FinishBlock();
    current_.emplace();
    current_->type = type;
    current_->in_quote = quote_depth_ > 0;
  }

  void FlushLine() {
    if (!current_) return;
    std::string text = CleanText(line_raw_);
    if (!text.empty()) {
      MdLine line;
      line.text = std::move(text);
      line.links = std::move(line_links_);
      line.emphasized = !line_has_plain_;
      line.line = line_number_;
      if (current_->line == 0) current_->line = line_number_;
      current_->lines.push_back(std::move(line));
    }
    line_raw_.clear();
    line_links_.clear();
    line_has_plain_ = false;
    line_number_ = 0;
  }

  void FinishBlock() {
    if (!current_) return;
    FlushLine();
    if (!current_->lines.empty()) blocks_.push_back(std::move(*current_));
    current_.reset();
  }

  std::string_view doc_;
  int first_line_;
  std::vector<size_t> newlines_;
  std::vector<MdBlock> blocks_;
  std::optional<MdBlock> current_;
  std::string line_raw_;
  std::vector<std::string> line_links_;
  bool line_has_plain_ = false;
  int line_number_ = 0;
  int last_line_ = 0;
  std::string link_text_;
  int quote_depth_ = 0;
  int li_depth_ = 0;
  int em_depth_ = 0;
  int link_depth_ = 0;
  int img_depth_ = 0;
  bool last_was_normal_ = false;
};

Builder* Self(void* userdata) { return static_cast<Builder*>(userdata); }

// Strips closing quotes and brackets from the end of `text`.
std::string_view StripClosers(std::string_view text) {
  while (!text.empty()) {
    char32_t last = LastCodePoint(text);
    if (IsClosingQuote(last) || last == ')' || last == ']' || last == '*' ||
        last == '_') {
      text = DropLastCodePoint(text);
    } else {
      break;
    }
  }
  return text;
}

// The last word is an opening quotation mark followed by letters with no
// closing mark ("the “next").
bool EndsWithOpenQuotedWord(std::string_view text) {
  size_t space = text.rfind(' ');
  std::string_view word =
      space == std::string_view::npos ? text : text.substr(space + 1);
  char32_t first = FirstCodePoint(word);
  if (first == 0 || !IsOpeningQuote(first)) return false;
  std::string_view rest =
      word.substr(first < 0x80 ? 1 : (first < 0x800 ? 2 : 3));
  if (rest.empty()) return false;
  // No closing mark after it.
  char32_t last = LastCodePoint(rest);
  return !IsClosingQuote(last) && !EndsWithTerminalPunctuation(rest);
}

// The first word ends a quotation: letters then a closing mark ("Syria",).
bool StartsWithQuoteClosingWord(std::string_view text) {
  size_t space = text.find(' ');
  std::string_view word =
      space == std::string_view::npos ? text : text.substr(0, space);
  char32_t first = FirstCodePoint(word);
  if (first == 0 || IsOpeningQuote(first)) return false;
  while (!word.empty()) {
    char32_t last = LastCodePoint(word);
    if (last == ',' || last == '.' || last == ';' || last == ':' ||
        last == '!' || last == '?') {
      word = DropLastCodePoint(word);
      continue;
    }
    return IsClosingQuote(last) && word.size() > 1;
  }
  return false;
}

bool StartsLowerCase(std::string_view text) {
  return IsLowerCaseLetter(FirstCodePoint(text));
}

// Short words that stay lower case in a title-cased head.
bool IsLetter(char32_t cp) {
  return IsLowerCaseLetter(cp) || IsUpperCaseLetter(cp);
}

bool IsTitleCased(std::string_view text) {
  std::vector<std::string_view> words = SplitWords(text);
  bool first = true;
  for (std::string_view word : words) {
    // Skip leading quotes and brackets.
    while (!word.empty()) {
      char32_t c = FirstCodePoint(word);
      if (IsLetter(c) || (c >= '0' && c <= '9')) break;
      word.remove_prefix(c < 0x80 ? 1
                                  : (c < 0x800 ? 2 : (c < 0x10000 ? 3 : 4)));
    }
    if (word.empty()) continue;
    char32_t c = FirstCodePoint(word);
    bool upper = IsUpperCaseLetter(c) || (c >= '0' && c <= '9');
    if (first && !upper) return false;
    first = false;
    // Count letters: words of four or more letters must be capitalised.
    if (Utf8Length(word) >= 4 && !upper) return false;
  }
  return !first;
}

}  // namespace

std::string MdBlock::Text() const {
  std::string out;
  for (const MdLine& line : lines) {
    if (!out.empty()) out += ' ';
    out += line.text;
  }
  return out;
}

bool MdBlock::Emphasized() const {
  if (lines.empty()) return false;
  return std::all_of(lines.begin(), lines.end(),
                     [](const MdLine& l) { return l.emphasized; });
}

std::vector<std::string> MdBlock::Links() const {
  std::vector<std::string> out;
  for (const MdLine& line : lines) {
    out.insert(out.end(), line.links.begin(), line.links.end());
  }
  return out;
}

std::vector<MdBlock> ParseMarkdownBlocks(std::string_view markdown,
                                         int first_line) {
  Builder builder(markdown, first_line);
  MD_PARSER parser{};
  parser.abi_version = 0;
  parser.flags =
      MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOINDENTEDCODEBLOCKS;
  parser.enter_block = [](MD_BLOCKTYPE type, void* detail, void* ud) {
    return Self(ud)->EnterBlock(type, detail);
  };
  parser.leave_block = [](MD_BLOCKTYPE type, void*, void* ud) {
    return Self(ud)->LeaveBlock(type);
  };
  parser.enter_span = [](MD_SPANTYPE type, void*, void* ud) {
    return Self(ud)->EnterSpan(type);
  };
  parser.leave_span = [](MD_SPANTYPE type, void*, void* ud) {
    return Self(ud)->LeaveSpan(type);
  };
  parser.text = [](MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size,
                   void* ud) { return Self(ud)->Text(type, text, size); };
  md_parse(markdown.data(), static_cast<MD_SIZE>(markdown.size()), &parser,
           &builder);
  return builder.Take();
}

std::vector<BodyPiece> ToBodyPieces(const std::vector<MdBlock>& blocks,
                                    size_t begin, size_t end) {
  std::vector<BodyPiece> pieces;
  for (size_t i = begin; i < end && i < blocks.size(); ++i) {
    const MdBlock& b = blocks[i];
    if (b.type == MdBlock::Type::kRule) continue;
    std::string text = b.Text();
    if (text.empty()) continue;
    BodyPiece piece;
    piece.block.kind = b.type == MdBlock::Type::kHeading
                           ? Block::Kind::kHeading
                           : Block::Kind::kParagraph;
    piece.block.text = std::move(text);
    piece.prose = b.type == MdBlock::Type::kParagraph;
    piece.source_lines = static_cast<int>(b.lines.size());
    pieces.push_back(std::move(piece));
  }
  return pieces;
}

std::vector<Block> ToBlocks(std::vector<BodyPiece> pieces) {
  std::vector<Block> blocks;
  blocks.reserve(pieces.size());
  for (BodyPiece& p : pieces) blocks.push_back(std::move(p.block));
  return blocks;
}

bool EndsWithTerminalPunctuation(std::string_view text) {
  text = StripClosers(text);
  char32_t last = LastCodePoint(text);
  return last == '.' || last == '!' || last == '?' || last == ':' ||
         last == ';' || last == 0x2026 /* … */;
}

void HealPageBreaks(std::vector<BodyPiece>* pieces) {
  std::vector<BodyPiece> out;
  out.reserve(pieces->size());
  for (BodyPiece& piece : *pieces) {
    if (!out.empty()) {
      BodyPiece& prev = out.back();
      bool both_prose = prev.prose && piece.prose &&
                        prev.block.kind == Block::Kind::kParagraph &&
                        piece.block.kind == Block::Kind::kParagraph;
      const std::string& a = prev.block.text;
      const std::string& b = piece.block.text;
      if (both_prose && !EndsWithTerminalPunctuation(a) &&
          (StartsLowerCase(b) ||
           (EndsWithOpenQuotedWord(a) && StartsWithQuoteClosingWord(b)))) {
        prev.block.text += ' ';
        prev.block.text += b;
        prev.source_lines += piece.source_lines;
        continue;
      }
    }
    out.push_back(std::move(piece));
  }
  *pieces = std::move(out);
}

void MarkImplicitHeadings(std::vector<BodyPiece>* pieces) {
  for (size_t i = 0; i + 1 < pieces->size(); ++i) {
    BodyPiece& piece = (*pieces)[i];
    const BodyPiece& next = (*pieces)[i + 1];
    if (!piece.prose || piece.source_lines != 1 ||
        piece.block.kind != Block::Kind::kParagraph ||
        next.block.kind != Block::Kind::kParagraph ||
        StartsLowerCase(next.block.text)) {
      continue;
    }
    std::string_view text = piece.block.text;
    if (Utf8Length(text) > 80 || SplitWords(text).size() > 12) continue;
    char32_t last = LastCodePoint(StripClosers(text));
    if (last == '.' || last == ',' || last == ':' || last == ';' ||
        last == 0x2026) {
      continue;
    }
    if (last == '?' || IsTitleCased(text)) {
      piece.block.kind = Block::Kind::kHeading;
    }
  }
}

}  // namespace pundit::parse
