#include "web/feed.h"

#include <libxml/xmlwriter.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <utility>
#include <vector>

#include "core/parse_text.h"
#include "core/readers/libxml.h"
#include "core/schema.h"
#include "web/api_util.h"

namespace pundit {
namespace {

constexpr char kAtomNs[] = "http://www.w3.org/2005/Atom";

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Characters a URL may hold as they are (RFC 3986 unreserved, reserved and
// '%'), but '?' and '#', which a public URL may not have.
bool UrlChar(unsigned char c) {
  return std::isalnum(c) ||
         std::string_view("-._~:/[]@!$&'()*+,;=%").find(static_cast<char>(c)) !=
             std::string_view::npos;
}

// `text` without the control characters XML 1.0 cannot hold (all below
// U+0020 but tab, line feed and carriage return).
std::string XmlText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += c;
  }
  return out;
}

// A snippet (escaped HTML whose only markup is <mark>) as plain text.
std::string SnippetText(std::string_view html) {
  std::string text;
  for (size_t i = 0; i < html.size();) {
    if (html.substr(i).starts_with("<mark>")) {
      i += 6;
    } else if (html.substr(i).starts_with("</mark>")) {
      i += 7;
    } else {
      text += html[i++];
    }
  }
  return parse::DecodeEntities(text);
}

// "2019-03-04" -> "2019-03-04T00:00:00Z"; "" for anything else.
std::string Rfc3339(const std::string& date) {
  if (date.size() != 10 || !api::IsValidIsoDate(date)) return "";
  return date + "T00:00:00Z";
}

bool IsWebUrl(const std::string& url) {
  const std::string lower = Lower(url.substr(0, 8));
  return lower.starts_with("http://") || lower.starts_with("https://");
}

// `parts` joined with `separator`.
std::string Join(const std::vector<std::string>& parts,
                 std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += separator;
    out += parts[i];
  }
  return out;
}

// What the feed follows, for its title: the query, then each filter.
std::string Describe(const SearchRequest& request) {
  std::vector<std::string> parts;
  if (!request.q.empty()) parts.push_back(request.q);
  for (const schema::FacetDef& facet : schema::kFacets) {
    auto it = request.filters.find(std::string(facet.name));
    if (it == request.filters.end() || it->second.empty()) continue;
    parts.push_back(std::string(facet.name) + ": " + Join(it->second, " or "));
  }
  if (!request.from.empty()) parts.push_back("from " + request.from);
  if (!request.to.empty()) parts.push_back("to " + request.to);
  return parts.empty() ? "all articles" : Join(parts, " · ");
}

// An xmlTextWriter over a memory buffer; each call writes escaped text.
class AtomWriter {
 public:
  AtomWriter()
      : buffer_((readers::InitLibxml(), xmlBufferCreate())),
        writer_(xmlNewTextWriterMemory(buffer_, 0)) {
    xmlTextWriterSetIndent(writer_, 1);
    xmlTextWriterSetIndentString(writer_, BAD_CAST "  ");
    xmlTextWriterStartDocument(writer_, "1.0", "UTF-8", nullptr);
  }
  ~AtomWriter() {
    if (writer_) xmlFreeTextWriter(writer_);
    xmlBufferFree(buffer_);
  }
  AtomWriter(const AtomWriter&) = delete;
  AtomWriter& operator=(const AtomWriter&) = delete;

  void Start(const char* name) {
    xmlTextWriterStartElement(writer_, BAD_CAST name);
  }
  void End() { xmlTextWriterEndElement(writer_); }
  void Attribute(const char* name, const std::string& value) {
    xmlTextWriterWriteAttribute(writer_, BAD_CAST name,
                                BAD_CAST XmlText(value).c_str());
  }
  void Element(const char* name, const std::string& text) {
    xmlTextWriterWriteElement(writer_, BAD_CAST name,
                              BAD_CAST XmlText(text).c_str());
  }
  // <name type="text">text</name>
  void TextElement(const char* name, const std::string& text) {
    Start(name);
    Attribute("type", "text");
    xmlTextWriterWriteString(writer_, BAD_CAST XmlText(text).c_str());
    End();
  }
  // <link rel=... type=... href=.../>; no type when "".
  void Link(const char* rel, const char* type, const std::string& href) {
    Start("link");
    Attribute("rel", rel);
    if (*type) Attribute("type", type);
    Attribute("href", href);
    End();
  }
  void Author(const std::string& name) {
    Start("author");
    Element("name", name);
    End();
  }
  // Ends every open element and the document, and returns it.
  std::string Finish() {
    xmlTextWriterEndDocument(writer_);
    xmlFreeTextWriter(writer_);  // flushes into buffer_
    writer_ = nullptr;
    return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer_)),
                       static_cast<size_t>(xmlBufferLength(buffer_)));
  }

 private:
  xmlBufferPtr buffer_;
  xmlTextWriterPtr writer_;
};

void WriteEntry(AtomWriter& w, const Hit& hit, const std::string& base,
                const std::string& fallback_updated) {
  w.Start("entry");
  w.Element("id", "urn:pundit:article:" + api::UrlEncode(hit.id, "/:"));
  w.TextElement("title", hit.title);
  std::string updated = Rfc3339(hit.date);
  w.Element("updated", updated.empty() ? fallback_updated : updated);
  for (const std::string& author : hit.authors) w.Author(author);
  w.Link("alternate", "text/html", base + api::ArticleUrl(hit.id, ""));
  if (IsWebUrl(hit.url)) w.Link("related", "", hit.url);
  for (const std::string& theme : hit.themes) {
    w.Start("category");
    w.Attribute("term", theme);
    w.End();
  }
  if (!hit.snippets.empty()) {
    w.TextElement("summary", SnippetText(hit.snippets.front()));
  }
  w.End();
}

}  // namespace

Result<std::string> NormalizePublicUrl(std::string_view url) {
  if (url.empty()) return std::string();
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument(
        "--public-url " + api::QuoteForMessage(url) + " " + why +
        "; give the absolute http or https URL the server is reached at, "
        "such as https://search.example.org or https://example.org/pundit");
  };
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos) return bad("is not an absolute URL");
  const std::string scheme = Lower(url.substr(0, colon));
  if (scheme != "http" && scheme != "https") {
    return bad("does not start with http:// or https://");
  }
  for (unsigned char c : url) {
    if (c == '?' || c == '#') return bad("has a query or a fragment");
    if (!UrlChar(c)) return bad("holds a character a URL cannot hold");
  }
  std::string_view rest = url.substr(colon + 3);
  const size_t slash = rest.find('/');
  const std::string_view host = rest.substr(0, slash);
  std::string path(slash == std::string_view::npos ? std::string_view()
                                                   : rest.substr(slash));
  if (host.empty()) return bad("has no host");
  if (host.find('@') != std::string_view::npos) return bad("has a user name");
  while (!path.empty() && path.back() == '/') path.pop_back();
  return scheme + "://" + Lower(host) + path;
}

std::string FeedQueryString(const SearchRequest& request) {
  std::vector<std::pair<std::string, std::string>> params;
  if (!request.q.empty()) params.emplace_back("q", request.q);
  for (const schema::FacetDef& facet : schema::kFacets) {
    auto it = request.filters.find(std::string(facet.name));
    if (it == request.filters.end()) continue;
    for (const std::string& v : it->second) {
      params.emplace_back(std::string(facet.name), v);
    }
  }
  if (!request.from.empty()) params.emplace_back("from", request.from);
  if (!request.to.empty()) params.emplace_back("to", request.to);
  if (request.op == DefaultOp::kOr) params.emplace_back("op", "or");
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name + "=" + api::UrlEncode(value);
  }
  return out;
}

SearchRequest FeedRequest(SearchRequest request) {
  request.sort = SortOrder::kNewest;
  request.page = 1;
  request.per_page = kFeedEntries;
  request.want_facets = false;
  request.want_snippets = true;
  return request;
}

std::string RenderAtomFeed(const SearchRequest& request,
                           const SearchResponse& response,
                           const std::string& public_url,
                           const std::string& fallback_updated) {
  const std::string query = FeedQueryString(request);
  const std::string suffix = query.empty() ? "" : "?" + query;
  // Newest first: the first dated entry is the feed's last change.
  std::string updated = fallback_updated;
  for (const Hit& hit : response.hits) {
    if (std::string date = Rfc3339(hit.date); !date.empty()) {
      updated = std::move(date);
      break;
    }
  }
  AtomWriter w;
  w.Start("feed");
  w.Attribute("xmlns", kAtomNs);
  w.Element("id", "urn:pundit:search:" +
                      (query.empty() ? "all" : api::UrlEncode(query)));
  w.TextElement("title", "pundit: " + Describe(request));
  w.Element("updated", updated);
  w.Link("self", "application/atom+xml", public_url + "/feed.atom" + suffix);
  w.Link("alternate", "text/html", public_url + "/search" + suffix);
  w.Author("pundit");
  w.Element("generator", "pundit");
  for (const Hit& hit : response.hits) {
    WriteEntry(w, hit, public_url, fallback_updated);
  }
  return w.Finish();
}

}  // namespace pundit
