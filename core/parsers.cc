// File-level parts of core/parsers.h: telling formats apart and the checks
// every file passes before a format's parser sees it. The formats themselves
// are in parse_seed.cc, parse_front_matter.cc and parse_jsonl.cc.
#include "core/parsers.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "core/parse_text.h"
#include "core/readers/formats.h"
#include "core/readers/reader.h"

namespace pundit {
namespace {

ParseOutput OneError(const std::string& path, int line, std::string message) {
  ParseOutput out;
  out.errors.push_back(ParseError{path, line, std::move(message)});
  return out;
}

}  // namespace

std::string ParseError::ToString() const {
  std::string out = path + ":" + std::to_string(line > 0 ? line : 1);
  out += ": error: ";
  out += message;
  return out;
}

InputFormat DetectMarkdownFormat(std::string_view content) {
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  size_t eol = content.find('\n');
  std::string_view first =
      eol == std::string_view::npos ? content : content.substr(0, eol);
  while (!first.empty() && (first.back() == '\r' || first.back() == ' ' ||
                            first.back() == '\t')) {
    first.remove_suffix(1);
  }
  return first == "---" ? InputFormat::kFrontMatter
                        : InputFormat::kSeedMarkdown;
}

ParseOutput ParseContent(InputFormat format, std::string_view content,
                         const std::string& path, const std::string& id_base) {
  if (format == InputFormat::kNotAnArticle) {
    return OneError(path, 1,
                    "not an article: pundit reads " + readers::ExtensionList());
  }
  // A Markdown file is one article; JSON Lines has a limit per line.
  if (format != InputFormat::kJsonLines &&
      content.size() > readers::kMaxRecordBytes) {
    return OneError(path, 1,
                    readers::RecordTooLargeMessage(
                        content.size(), readers::kMaxRecordBytes, "file"));
  }
  int line = 1;
  if (std::string problem = readers::CheckText(content, &line);
      !problem.empty()) {
    return OneError(path, line, std::move(problem));
  }
  switch (format) {
    case InputFormat::kSeedMarkdown:
    case InputFormat::kFrontMatter:
      if (DetectMarkdownFormat(content) == InputFormat::kFrontMatter) {
        return ParseFrontMatter(content, path, id_base);
      }
      return ParseSeedMarkdown(content, path, id_base);
    case InputFormat::kJsonLines:
      return ParseJsonLines(content, path, id_base);
    case InputFormat::kNotAnArticle:
      break;
  }
  return {};
}

}  // namespace pundit
