// The Markdown reader (core/readers/markdown_reader.h) over the parsers of
// core/parsers.h.
#include "core/readers/markdown_reader.h"

#include <deque>
#include <string>

#include "core/parsers.h"
#include "core/readers/plain_text.h"
#include "core/text.h"

namespace pundit::readers {
namespace {

class MarkdownReader : public ArticleReader {
 public:
  // `text`: a .txt file, plain text unless it looks like Markdown.
  MarkdownReader(std::unique_ptr<ByteStream> in, const ReaderOptions& options,
                 bool text)
      : in_(std::move(in)), options_(options), text_(text) {}

  bool Next(ReadItem* item) override {
    if (!read_) Read();
    if (pending_.empty()) return false;
    *item = std::move(pending_.front());
    pending_.pop_front();
    return true;
  }

 private:
  void Read() {
    read_ = true;
    std::string content;
    uint64_t total = 0;
    if (!ReadWhole(in_.get(), options_.max_record_bytes, &content, &total)) {
      AddError(1,
               RecordTooLargeMessage(total, options_.max_record_bytes, "file"));
      return;
    }
    if (!in_->error().empty()) {
      AddError(1, in_->error());
      return;
    }
    ParseOutput out = text_ && !TextLooksLikeMarkdown(content)
                          ? ParsePlainTextFile(&content)
                          : ParseContent(InputFormat::kSeedMarkdown, content,
                                         options_.path, options_.id_base);
    for (ParseError& e : out.errors) {
      ReadItem item;
      item.kind = ReadItem::Kind::kError;
      item.error = std::move(e);
      pending_.push_back(std::move(item));
    }
    for (Article& a : out.articles) {
      ReadItem item;
      item.kind = ReadItem::Kind::kArticle;
      item.article = std::move(a);
      pending_.push_back(std::move(item));
    }
  }

  // A plain text file not in UTF-8 is read as Windows-1252, with a note:
  // text collections older than UTF-8 are mostly Latin-1.
  ParseOutput ParsePlainTextFile(std::string* content) {
    if (content->find('\0') == std::string::npos && !IsValidUtf8(*content)) {
      *content = FromWindows1252(*content);
      ReadItem item;
      item.kind = ReadItem::Kind::kNotice;
      item.notice = options_.path +
                    ": note: not UTF-8, read as Windows-1252 (Latin-1); save "
                    "it as UTF-8 if that is wrong";
      pending_.push_back(std::move(item));
    }
    int line = 1;
    if (std::string problem = CheckText(*content, &line); !problem.empty()) {
      ParseOutput out;
      out.errors.push_back(ParseError{options_.path, line, std::move(problem)});
      return out;
    }
    return ParsePlainText(*content, options_.path, options_.id_base);
  }

  void AddError(int line, std::string message) {
    ReadItem item;
    item.kind = ReadItem::Kind::kError;
    item.error = ParseError{options_.path, line, std::move(message)};
    pending_.push_back(std::move(item));
  }

  std::unique_ptr<ByteStream> in_;
  const ReaderOptions options_;
  const bool text_;
  bool read_ = false;
  std::deque<ReadItem> pending_;
};

}  // namespace

std::unique_ptr<ArticleReader> OpenMarkdownReader(
    std::unique_ptr<ByteStream> in, const ReaderOptions& options) {
  return std::make_unique<MarkdownReader>(std::move(in), options, false);
}

std::unique_ptr<ArticleReader> OpenTextReader(std::unique_ptr<ByteStream> in,
                                              const ReaderOptions& options) {
  return std::make_unique<MarkdownReader>(std::move(in), options, true);
}

}  // namespace pundit::readers
