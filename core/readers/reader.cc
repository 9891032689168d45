// The helpers every reader shares (core/readers/reader.h).
#include "core/readers/reader.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <memory>
#include <string_view>
#include <utility>

#include "core/document.h"
#include "core/parse_text.h"
#include "core/sentences.h"

namespace pundit::readers {
namespace {

// The extensions of a compressed file after its format's (lower case).
constexpr std::string_view kCompressionExtensions[] = {".gz", ".zst", ".zstd",
                                                       ".xz", ".bz2", ".bzip2"};

// CheckDates: the stage every format's articles pass through.
class DateCheckingReader : public ArticleReader {
 public:
  DateCheckingReader(std::unique_ptr<ArticleReader> inner, int latest_year)
      : inner_(std::move(inner)), latest_year_(latest_year) {}

  bool Next(ReadItem* item) override {
    if (!inner_->Next(item)) return false;
    if (item->kind != ReadItem::Kind::kArticle) return true;
    std::string error = DateOutsideRangeError(item->article.date, latest_year_);
    if (error.empty()) return true;
    item->kind = ReadItem::Kind::kError;
    item->error =
        ParseError{item->article.path, item->article.line, std::move(error)};
    item->article = Article();
    return true;
  }

  const InnerFiles* inner_files() const override {
    return inner_->inner_files();
  }

 private:
  std::unique_ptr<ArticleReader> inner_;
  const int latest_year_;
};

}  // namespace

std::unique_ptr<ArticleReader> CheckDates(std::unique_ptr<ArticleReader> reader,
                                          int latest_year) {
  return std::make_unique<DateCheckingReader>(std::move(reader), latest_year);
}

std::string RecordId(std::string_view own_id, const Article& article,
                     std::string_view path_id) {
  std::string id = !own_id.empty()        ? std::string(own_id)
                   : !article.url.empty() ? article.url
                   : !path_id.empty()     ? std::string(path_id)
                                          : ContentId(article);
  // Ids never contain white space (core/article.h).
  for (char& c : id) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
        c == '\f') {
      c = '_';
    }
  }
  return id;
}

std::string_view CompressionSuffix(std::string_view lower_name) {
  for (std::string_view suffix : kCompressionExtensions) {
    if (lower_name.size() > suffix.size() && lower_name.ends_with(suffix)) {
      return lower_name.substr(lower_name.size() - suffix.size());
    }
  }
  return {};
}

std::string PathIdBase(std::string_view relative) {
  std::filesystem::path p{std::string(relative)};
  std::string ext = p.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(c));
  if (std::ranges::find(kCompressionExtensions, ext) !=
      std::end(kCompressionExtensions)) {
    p.replace_extension();
  }
  std::string id = p.replace_extension().generic_string();
  // Ids never contain white space (core/article.h).
  for (char& c : id) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
        c == '\f') {
      c = '_';
    }
  }
  return id;
}

std::string CheckText(std::string_view text, int* line) {
  *line = 1;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return "file is empty: write an article in it or delete it";
  }
  if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
    size_t offset =
        static_cast<size_t>(static_cast<const char*>(nul) - text.data());
    *line = 1 + static_cast<int>(
                    std::count(text.begin(), text.begin() + offset, '\n'));
    return "binary file (NUL byte at offset " + std::to_string(offset) +
           "): not an article";
  }
  if (!simdjson::validate_utf8(text.data(), text.size())) {
    parse::Utf8Problem bad = parse::FindInvalidUtf8(text);
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", bad.byte);
    *line = bad.line;
    return std::string("invalid UTF-8 (byte ") + hex + " at column " +
           std::to_string(bad.column) + "): save the file as UTF-8";
  }
  return "";
}

std::string RecordTooLargeMessage(uint64_t bytes, size_t limit,
                                  std::string_view what) {
  return std::string(what) + " is " + parse::WithThousands(bytes) +
         " bytes, more than the limit of " + parse::WithThousands(limit) +
         " bytes for one article: it is skipped; split it or shorten it";
}

std::vector<Block> PlainTextBlocks(std::string_view text) {
  std::vector<Block> blocks;
  std::string paragraph;
  auto flush = [&] {
    std::string clean = parse::CleanText(paragraph);
    if (!clean.empty()) {
      blocks.push_back(Block{Block::Kind::kParagraph, std::move(clean)});
    }
    paragraph.clear();
  };
  size_t i = 0;
  while (i <= text.size()) {
    size_t eol = text.find('\n', i);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(i, eol - i);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
      flush();
    } else {
      paragraph += line;
      paragraph += '\n';
    }
    i = eol + 1;
  }
  flush();
  return blocks;
}

std::string TitleFromBody(std::string_view clean_body) {
  constexpr size_t kMaxWords = 12;
  // One breaker per thread: readers run on several threads at once.
  thread_local SentenceBreaker breaker;
  std::vector<size_t> bounds = breaker.Split(clean_body);
  std::string_view first =
      clean_body.substr(0, bounds.size() > 1 ? bounds[1] : clean_body.size());
  std::string title;
  size_t words = 0;
  for (std::string_view word : parse::SplitWords(first)) {
    if (words == kMaxWords) {
      title += "\u2026";
      break;
    }
    if (!title.empty()) title += ' ';
    title.append(word);
    ++words;
  }
  return title;
}

bool ReadWhole(ByteStream* in, size_t limit, std::string* out,
               uint64_t* total) {
  out->clear();
  *total = 0;
  for (;;) {
    std::string_view b = in->Buffered();
    if (b.empty()) break;
    *total += b.size();
    if (*total <= limit) {
      out->append(b);
    } else if (!out->empty()) {
      out->clear();
      out->shrink_to_fit();
    }
    in->Consume(b.size());
  }
  return *total <= limit;
}

}  // namespace pundit::readers
