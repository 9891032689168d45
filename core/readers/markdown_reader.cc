// The Markdown reader (core/readers/markdown_reader.h) over the parsers of
// core/parsers.h.
#include "core/readers/markdown_reader.h"

#include <deque>
#include <string>

#include "core/parsers.h"

namespace pundit::readers {
namespace {

class MarkdownReader : public ArticleReader {
 public:
  MarkdownReader(std::unique_ptr<ByteStream> in, const ReaderOptions& options)
      : in_(std::move(in)), options_(options) {}

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
    ParseOutput out = ParseContent(InputFormat::kSeedMarkdown, content,
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

  void AddError(int line, std::string message) {
    ReadItem item;
    item.kind = ReadItem::Kind::kError;
    item.error = ParseError{options_.path, line, std::move(message)};
    pending_.push_back(std::move(item));
  }

  std::unique_ptr<ByteStream> in_;
  const ReaderOptions options_;
  bool read_ = false;
  std::deque<ReadItem> pending_;
};

}  // namespace

std::unique_ptr<ArticleReader> OpenMarkdownReader(
    std::unique_ptr<ByteStream> in, const ReaderOptions& options) {
  return std::make_unique<MarkdownReader>(std::move(in), options);
}

}  // namespace pundit::readers
