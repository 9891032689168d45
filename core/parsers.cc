// File-level parts of core/parsers.h: telling formats apart and the checks
// every file passes before a format's parser sees it. The formats themselves
// are in parse_seed.cc, parse_front_matter.cc and parse_jsonl.cc.
#include "core/parsers.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "core/parse_text.h"

namespace pundit {
namespace {

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

ParseOutput OneError(const std::string& path, int line, std::string message) {
  ParseOutput out;
  out.errors.push_back(ParseError{path, line, std::move(message)});
  return out;
}

std::string WithThousands(size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string ParseError::ToString() const {
  std::string out = path + ":" + std::to_string(line > 0 ? line : 1);
  out += ": error: ";
  out += message;
  return out;
}

InputFormat FormatFromFileName(std::string_view file_name) {
  size_t slash = file_name.find_last_of('/');
  std::string_view base =
      slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
  if (base.empty() || base.front() == '.') return InputFormat::kNotAnArticle;
  std::string lower = LowerAscii(base);
  for (std::string_view skipped :
       {"readme", "license", "licence", "changelog"}) {
    if (lower.starts_with(skipped)) return InputFormat::kNotAnArticle;
  }
  size_t dot = lower.find_last_of('.');
  if (dot == std::string::npos || dot == 0) return InputFormat::kNotAnArticle;
  std::string_view ext = std::string_view(lower).substr(dot + 1);
  if (ext == "md" || ext == "markdown" || ext == "txt") {
    return InputFormat::kSeedMarkdown;
  }
  if (ext == "jsonl" || ext == "ndjson") return InputFormat::kJsonLines;
  return InputFormat::kNotAnArticle;
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
                    "not an article: pundit reads .md, .markdown, .txt, "
                    ".jsonl and .ndjson files");
  }
  if (content.size() > kMaxFileBytes) {
    return OneError(path, 1,
                    "file is " + WithThousands(content.size()) +
                        " bytes, more than the limit of " +
                        WithThousands(kMaxFileBytes) +
                        " bytes: split it into smaller files");
  }
  if (content.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return OneError(path, 1,
                    "file is empty: write an article in it or delete it");
  }
  if (const void* nul = std::memchr(content.data(), '\0', content.size())) {
    size_t offset =
        static_cast<size_t>(static_cast<const char*>(nul) - content.data());
    int line = 1 + static_cast<int>(std::count(content.begin(),
                                               content.begin() + offset, '\n'));
    return OneError(path, line,
                    "binary file (NUL byte at offset " +
                        std::to_string(offset) + "): not an article");
  }
  if (!simdjson::validate_utf8(content.data(), content.size())) {
    parse::Utf8Problem bad = parse::FindInvalidUtf8(content);
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", bad.byte);
    return OneError(path, bad.line,
                    std::string("invalid UTF-8 (byte ") + hex + " at column " +
                        std::to_string(bad.column) +
                        "): save the file as UTF-8");
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
