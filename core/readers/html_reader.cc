// The HTML reader (core/readers/html_reader.h).
#include "core/readers/html_reader.h"

#include <string>
#include <utility>

#include "core/parse_text.h"
#include "core/readers/html_extract.h"

namespace pundit::readers {
namespace {

class HtmlReader : public ArticleReader {
 public:
  HtmlReader(std::unique_ptr<ByteStream> in, const ReaderOptions& options)
      : in_(std::move(in)), options_(options) {}

  bool Next(ReadItem* item) override {
    if (done_) return false;
    done_ = true;
    *item = ReadItem{};
    Read(item);
    return true;
  }

 private:
  void Read(ReadItem* item) {
    std::string content;
    uint64_t total = 0;
    if (!ReadWhole(in_.get(), options_.max_record_bytes, &content, &total)) {
      Fail(1, RecordTooLargeMessage(total, options_.max_record_bytes, "file"),
           item);
      return;
    }
    if (!in_->error().empty()) {
      Fail(1, in_->error(), item);
      return;
    }
    if (DeclaresLegacyCharset(content)) {
      std::string utf8;
      if (PageToUtf8(content, &utf8)) content = std::move(utf8);
    }
    int line = 1;
    std::string problem = CheckText(content, &line);
    if (!problem.empty()) {
      Fail(line, std::move(problem), item);
      return;
    }
    HtmlPage page;
    if (!ReadHtmlPage(content, &page, &problem)) {
      Fail(1, std::move(problem), item);
      return;
    }
    item->kind = ReadItem::Kind::kArticle;
    item->article = std::move(page.article);
    Article& article = item->article;
    article.id = RecordId(page.own_id, article, options_.id_base);
    article.path = options_.path;
    article.line = 1;
  }

  void Fail(int line, std::string message, ReadItem* item) const {
    item->kind = ReadItem::Kind::kError;
    item->error = ParseError{options_.path, line, std::move(message)};
  }

  std::unique_ptr<ByteStream> in_;
  const ReaderOptions options_;
  bool done_ = false;
};

// `text` after white space, comments and <?...?> declarations; "" when a
// comment or declaration does not end within it.
std::string_view SkipPreamble(std::string_view text) {
  for (;;) {
    size_t start = text.find_first_not_of(" \t\r\n\f");
    if (start == std::string_view::npos) return "";
    text.remove_prefix(start);
    std::string_view close;
    if (text.starts_with("<!--")) {
      close = "-->";
    } else if (text.starts_with("<?")) {
      close = "?>";
    } else {
      return text;
    }
    size_t end = text.find(close, 2);
    if (end == std::string_view::npos) return "";
    text.remove_prefix(end + close.size());
  }
}

// Whether `text` starts with `tag` (lower case) followed by the end of the
// name: white space, '>' or '/', or the end of `text`.
bool StartsWithTag(std::string_view text, std::string_view tag) {
  if (!parse::StartsWithNoCase(text, tag)) return false;
  if (text.size() == tag.size()) return true;
  char next = text[tag.size()];
  return next == ' ' || next == '\t' || next == '\r' || next == '\n' ||
         next == '\f' || next == '>' || next == '/';
}

}  // namespace

std::unique_ptr<ArticleReader> OpenHtmlReader(std::unique_ptr<ByteStream> in,
                                              const ReaderOptions& options) {
  return std::make_unique<HtmlReader>(std::move(in), options);
}

bool LooksLikeHtml(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  std::string_view start = SkipPreamble(head);
  return StartsWithTag(start, "<!doctype html") ||
         StartsWithTag(start, "<html") || StartsWithTag(start, "<head") ||
         StartsWithTag(start, "<body");
}

}  // namespace pundit::readers
