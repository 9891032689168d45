// ParseSeedMarkdown (core/parsers.h): the Markdown layout of the sample
// article. md4c turns the file into plain-text blocks (markdown_text.h);
// this file reads them in order:
//   # Title
//   header lines   "By [A](#) and [B](#)", "<Site>, <date>", "Region: ...",
//                  "Theme: ..." (any order, each optional)
//   lede           the first block when it is all italic
//   body           up to the first footer marker (the lone "\*", "Note to
//                  readers", "originally published on", the author's bio,
//                  "Featured image", "The original source", rules, ...)
//   footer         read only for the source and the bio; never body text.
#include <string>
#include <string_view>
#include <vector>

#include "core/markdown_text.h"
#include "core/parse_text.h"
#include "core/parsers.h"

namespace pundit {
namespace {

using parse::MdBlock;
using parse::MdLine;

enum class HeaderLine { kNo, kYes, kError };

struct Header {
  std::vector<std::string> authors;
  std::vector<std::string> regions;
  std::vector<std::string> themes;
  std::string site;  // "Global Research" in "Global Research, <date>"
  std::string date;
  bool have_date = false;
  bool have_authors = false;
};

bool HasDigit(std::string_view s) {
  return s.find_first_of("0123456789") != std::string_view::npos;
}

bool IsMonthWord(std::string_view w) {
  // A month name is whatever makes "<w> 1, 2000" a date.
  return !NormalizeDate(std::string(w) + " 1, 2000", nullptr).empty();
}

// "January 31, 2019", "2019-01-31", "31/01/19": digits, month names and
// separators only, with at least one digit.
bool LooksLikeDate(std::string_view s) {
  if (s.empty() || s.size() > 40 || !HasDigit(s)) return false;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!letter) {
      if (!(c >= '0' && c <= '9') && c != ' ' && c != ',' && c != '.' &&
          c != '/' && c != '-' && c != ':') {
        return false;
      }
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() &&
           ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z'))) {
      ++j;
    }
    std::string_view word = s.substr(i, j - i);
    if (word != "T" && word != "Z" && !IsMonthWord(word)) return false;
    i = j;
  }
  return true;
}

// "Global Research, January 31, 2019" -> site and date text; also a bare
// date line.
bool SplitDateLine(std::string_view text, std::string* site,
                   std::string* date) {
  if (LooksLikeDate(text)) {
    site->clear();
    *date = std::string(text);
    return true;
  }
  size_t comma = text.find(", ");
  if (comma == std::string_view::npos || comma > 80) return false;
  std::string_view rest = text.substr(comma + 2);
  if (!LooksLikeDate(rest)) return false;
  *site = std::string(text.substr(0, comma));
  *date = std::string(rest);
  return true;
}

// "Region: [A](#), [B](#)" -> {A, B}; without links, split on commas.
std::vector<std::string> ListAfterColon(const MdLine& line) {
  if (!line.links.empty()) return line.links;
  std::vector<std::string> out;
  std::string_view rest = line.text;
  rest.remove_prefix(rest.find(':') + 1);
  size_t i = 0;
  while (i <= rest.size()) {
    size_t j = rest.find(',', i);
    if (j == std::string_view::npos) j = rest.size();
    std::string item = parse::CleanText(rest.substr(i, j - i));
    if (!item.empty()) out.push_back(std::move(item));
    i = j + 1;
  }
  return out;
}

// A byline lists names, not a sentence that happens to start with "By the
// time...": each name has at most six words, the first capitalised.
bool LooksLikeNames(const std::vector<std::string>& names) {
  if (names.empty()) return false;
  for (const std::string& name : names) {
    if (parse::SplitWords(name).size() > 6) return false;
    if (!parse::IsUpperCaseLetter(parse::FirstCodePoint(name))) return false;
  }
  return true;
}

HeaderLine ReadHeaderLine(const MdLine& line, Header* h, std::string* error) {
  std::string_view text = line.text;
  if (!h->have_authors &&
      (text.starts_with("By ") || text.starts_with("by "))) {
    std::vector<std::string> names =
        line.links.empty() ? parse::SplitNameList(text.substr(3)) : line.links;
    if (LooksLikeNames(names)) {
      h->authors = std::move(names);
      h->have_authors = true;
      return HeaderLine::kYes;
    }
  }
  for (std::string_view key : {"Region:", "Regions:"}) {
    if (parse::StartsWithNoCase(text, key)) {
      for (std::string& r : ListAfterColon(line)) h->regions.push_back(r);
      return HeaderLine::kYes;
    }
  }
  for (std::string_view key : {"Theme:", "Themes:"}) {
    if (parse::StartsWithNoCase(text, key)) {
      for (std::string& t : ListAfterColon(line)) h->themes.push_back(t);
      return HeaderLine::kYes;
    }
  }
  std::string site, date_text;
  if (!h->have_date && SplitDateLine(text, &site, &date_text)) {
    h->date = NormalizeDate(date_text, error);
    if (h->date.empty()) return HeaderLine::kError;
    h->site = site;
    h->have_date = true;
    return HeaderLine::kYes;
  }
  return HeaderLine::kNo;
}

bool StartsWithAny(std::string_view text,
                   std::initializer_list<std::string_view> prefixes) {
  for (std::string_view p : prefixes) {
    if (parse::StartsWithNoCase(text, p)) return true;
  }
  return false;
}

bool ContainsNoCase(std::string_view text, std::string_view needle) {
  if (needle.size() > text.size()) return false;
  for (size_t i = 0; i + needle.size() <= text.size(); ++i) {
    if (parse::EqualsNoCase(text.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

// "This article was originally published on [X](#)."
bool IsSourceLine(std::string_view text) {
  return text.size() < 300 && (ContainsNoCase(text, "originally published") ||
                               ContainsNoCase(text, "first published") ||
                               ContainsNoCase(text, "originally appeared"));
}

std::string SourceFrom(const MdBlock& block) {
  std::vector<std::string> links = block.Links();
  if (!links.empty()) return links.back();
  std::string text = block.Text();
  std::string_view rest = text;
  for (std::string_view marker :
       {" published on ", " published in ", " published at ", " published by ",
        " appeared on ", " appeared in "}) {
    size_t at = rest.find(marker);
    if (at != std::string_view::npos) {
      rest = rest.substr(at + marker.size());
      break;
    }
  }
  while (!rest.empty() && (rest.back() == '.' || rest.back() == ' ')) {
    rest.remove_suffix(1);
  }
  return std::string(rest);
}

// "*Andrew Korybko is an American ...*": starts with an author's name.
bool IsBio(std::string_view text, const std::vector<std::string>& authors) {
  for (const std::string& author : authors) {
    if (text.size() > author.size() + 1 && text.starts_with(author) &&
        (text[author.size()] == ' ' || text[author.size()] == ',')) {
      return true;
    }
  }
  return StartsWithAny(text, {"The author is ", "The authors are "});
}

// The first block that is not body: separators, the share-buttons note,
// source and bio lines, and the publisher's footer.
bool IsFooterStart(const MdBlock& block, const Header& header) {
  if (block.type == MdBlock::Type::kRule) return true;
  std::string text = block.Text();
  if (text.find_first_not_of("*-_ ") == std::string::npos) return true;
  if (block.type == MdBlock::Type::kHeading) {
    return StartsWithAny(text, {"About the author"});
  }
  if (StartsWithAny(text,
                    {"Note to readers", "The original source of this article",
                     "Copyright ©", "Copyright (c)", "©",
                     "Disclaimer:", "For media inquiries", "Featured image"})) {
    return true;
  }
  if (text.size() < 120 &&
      StartsWithAny(text, {"Comment on Global Research", "Become a Member",
                           "Articles by:"})) {
    return true;
  }
  if (block.Emphasized() &&
      (IsSourceLine(text) || IsBio(text, header.authors))) {
    return true;
  }
  return false;
}

ParseOutput Fail(const std::string& path, int line, std::string message) {
  ParseOutput out;
  out.errors.push_back(ParseError{path, line, std::move(message)});
  return out;
}

int FirstNonBlankLine(std::string_view text) {
  int line = 1;
  for (char c : text) {
    if (c == '\n') {
      ++line;
    } else if (c != ' ' && c != '\t') {
      return line;
    }
  }
  return 1;
}

}  // namespace

ParseOutput ParseSeedMarkdown(std::string_view content, const std::string& path,
                              const std::string& id_base) {
  std::string text = parse::NormalizeNewlines(content);
  std::vector<MdBlock> blocks = parse::ParseMarkdownBlocks(text);
  if (blocks.empty() || blocks[0].type != MdBlock::Type::kHeading ||
      blocks[0].level != 1) {
    return Fail(path, blocks.empty() ? FirstNonBlankLine(text) : blocks[0].line,
                "no title: the first line must be '# Title' (a Markdown "
                "level-1 heading)");
  }
  Article article;
  article.id = id_base;
  article.path = path;
  article.line = 1;
  article.title = blocks[0].Text();

  // Header lines, read line by line (they may share a paragraph).
  Header header;
  size_t b = 1;
  while (b < blocks.size() && blocks[b].type == MdBlock::Type::kParagraph &&
         !blocks[b].in_quote && !blocks[b].Emphasized()) {
    MdBlock& block = blocks[b];
    size_t k = 0;
    for (; k < block.lines.size(); ++k) {
      std::string error;
      HeaderLine kind = ReadHeaderLine(block.lines[k], &header, &error);
      if (kind == HeaderLine::kError) {
        return Fail(path, block.lines[k].line, error);
      }
      if (kind == HeaderLine::kNo) break;
    }
    if (k == block.lines.size()) {
      ++b;
      continue;
    }
    // The rest of this paragraph is body.
    block.lines.erase(block.lines.begin(),
                      block.lines.begin() + static_cast<std::ptrdiff_t>(k));
    break;
  }

  // The lede: an all-italic first block.
  if (b < blocks.size() && blocks[b].type == MdBlock::Type::kParagraph &&
      blocks[b].Emphasized() && !IsFooterStart(blocks[b], header)) {
    article.lede = blocks[b].Text();
    ++b;
  }

  size_t end = b;
  while (end < blocks.size() && !IsFooterStart(blocks[end], header)) ++end;

  // The footer: only the source and the bio are kept.
  std::string about_bio;
  for (size_t f = end; f < blocks.size(); ++f) {
    const MdBlock& block = blocks[f];
    std::string block_text = block.Text();
    if (block.type == MdBlock::Type::kHeading) {
      if (StartsWithAny(block_text, {"About the author"}) &&
          f + 1 < blocks.size() &&
          blocks[f + 1].type == MdBlock::Type::kParagraph) {
        about_bio = blocks[f + 1].Text();
      }
      continue;
    }
    if (block.type != MdBlock::Type::kParagraph) continue;
    if (article.source.empty() && IsSourceLine(block_text)) {
      article.source = SourceFrom(block);
    } else if (article.bio.empty() && IsBio(block_text, header.authors)) {
      article.bio = block_text;
    }
  }
  if (article.bio.empty()) article.bio = about_bio;
  if (article.source.empty()) article.source = header.site;

  std::vector<parse::BodyPiece> pieces = parse::ToBodyPieces(blocks, b, end);
  parse::HealPageBreaks(&pieces);
  parse::MarkImplicitHeadings(&pieces);
  article.body = parse::ToBlocks(std::move(pieces));

  article.authors = std::move(header.authors);
  article.regions = std::move(header.regions);
  article.themes = std::move(header.themes);
  article.date = std::move(header.date);

  ParseOutput out;
  out.articles.push_back(std::move(article));
  return out;
}

}  // namespace pundit
