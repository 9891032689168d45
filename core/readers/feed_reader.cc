// The feed reader (core/readers/feed_reader.h): libxml2's xmlTextReader
// pulling bytes from the ByteStream, one node at a time.
#include "core/readers/feed_reader.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/parse_text.h"
#include "core/parsers.h"
#include "core/readers/html_extract.h"
#include "core/readers/libxml.h"

namespace pundit::readers {
namespace {

constexpr std::string_view kAtomNs = "http://www.w3.org/2005/Atom";
constexpr std::string_view kRss1Ns = "http://purl.org/rss/1.0/";
constexpr std::string_view kDcNs = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kContentNs =
    "http://purl.org/rss/1.0/modules/content/";

std::string_view View(const xmlChar* s) {
  return s == nullptr ? std::string_view()
                      : std::string_view(reinterpret_cast<const char*>(s));
}

// How the text of an element is written.
enum class TextKind {
  kText,    // plain text
  kHtml,    // escaped or CDATA HTML
  kXhtml,   // child elements (rebuilt as HTML tags while captured)
  kIgnore,  // Atom content of another media type, or with src=
};

// The element of an item (or of the channel) whose text is being captured.
enum class Field {
  kNone,
  kSourceTitle,
  kTitle,
  kLink,
  kDescription,
  kContent,
  kCreator,
  kRssAuthor,
  kAtomAuthor,
  kDate,
  kUpdated,
  kCategory,
  kGuid,
};

// The Atom type attribute ("text", "html", "xhtml" or a media type).
TextKind AtomTextKind(std::string_view type) {
  if (type.empty() || parse::EqualsNoCase(type, "text") ||
      parse::EqualsNoCase(type, "text/plain")) {
    return TextKind::kText;
  }
  if (parse::EqualsNoCase(type, "html") ||
      parse::EqualsNoCase(type, "text/html")) {
    return TextKind::kHtml;
  }
  if (parse::EqualsNoCase(type, "xhtml") ||
      parse::EqualsNoCase(type, "application/xhtml+xml")) {
    return TextKind::kXhtml;
  }
  return parse::StartsWithNoCase(type, "text/") ? TextKind::kText
                                                : TextKind::kIgnore;
}

std::vector<Block> TextBlocks(std::string_view text, TextKind kind) {
  if (kind == TextKind::kIgnore) return {};
  if (kind == TextKind::kText) return PlainTextBlocks(text);
  return HtmlFragmentBlocks(text);
}

// The blocks joined into one line of plain text.
std::string PlainText(std::string_view text, TextKind kind) {
  std::string out;
  for (const Block& block : TextBlocks(text, kind)) {
    if (!out.empty()) out += ' ';
    out += block.text;
  }
  return out;
}

void AddUnique(std::vector<std::string>* list, std::string value) {
  if (value.empty()) return;
  if (std::find(list->begin(), list->end(), value) != list->end()) return;
  list->push_back(std::move(value));
}

// RSS <author>: "jane@example.com (Jane Doe)" gives "Jane Doe"; a bare
// email address is no name and gives "".
std::string RssAuthorName(std::string_view raw) {
  std::string text = parse::CleanText(raw);
  size_t open = text.find('(');
  size_t close = text.rfind(')');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return parse::CleanText(
        std::string_view(text).substr(open + 1, close - open - 1));
  }
  if (text.find('@') != std::string::npos &&
      text.find(' ') == std::string::npos) {
    return "";
  }
  return text;
}

// libxml2 reports a few errors outside the parser (input it cannot convert
// from the declared encoding) through its per-thread handlers, which print
// to stderr: while a reader calls libxml2 they go to that reader instead,
// and the handlers before are put back after.
class ErrorRouting {
 public:
  ErrorRouting(void* context, xmlStructuredErrorFunc handler)
      : structured_(xmlStructuredError),
        structured_context_(xmlStructuredErrorContext),
        generic_(xmlGenericError),
        generic_context_(xmlGenericErrorContext) {
    xmlSetStructuredErrorFunc(context, handler);
    xmlSetGenericErrorFunc(nullptr, &Ignore);
  }
  ~ErrorRouting() {
    xmlSetStructuredErrorFunc(structured_context_, structured_);
    xmlSetGenericErrorFunc(generic_context_, generic_);
  }
  ErrorRouting(const ErrorRouting&) = delete;
  ErrorRouting& operator=(const ErrorRouting&) = delete;

 private:
  static void Ignore(void*, const char*, ...) {}

  xmlStructuredErrorFunc structured_;
  void* structured_context_;
  xmlGenericErrorFunc generic_;
  void* generic_context_;
};

// What one item collects before it becomes an article.
struct ItemFields {
  int line = 1;
  std::string title;
  TextKind title_kind = TextKind::kText;
  bool has_title = false;
  std::string url;
  bool url_is_alternate = false;
  std::string description;
  TextKind description_kind = TextKind::kHtml;
  bool has_description = false;
  std::string content;
  TextKind content_kind = TextKind::kHtml;
  bool has_content = false;
  std::vector<std::string> authors;
  std::string date;
  std::string updated;
  std::vector<std::string> themes;
  std::string own_id;
  uint64_t bytes = 0;  // text in the item, counted even when not kept
  bool too_large = false;
};

struct Capture {
  Field field = Field::kNone;
  int depth = 0;
  TextKind kind = TextKind::kText;
  int name_depth = -1;  // Atom <author>: depth of its open <name>, or -1
  std::string text;
};

class FeedReader : public ArticleReader {
 public:
  FeedReader(std::unique_ptr<ByteStream> in, const ReaderOptions& options)
      : in_(std::move(in)), options_(options) {
    ErrorRouting routing(this, &FeedReader::OnXmlError);
    reader_ =
        xmlReaderForIO(&FeedReader::ReadCallback, nullptr, in_.get(), nullptr,
                       nullptr, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    if (reader_ == nullptr) {
      done_ = true;
      AddEnd(1,
             "feed is empty or unreadable: an RSS feed starts with "
             "<rss>, an Atom feed with <feed>");
      return;
    }
    xmlTextReaderSetStructuredErrorHandler(reader_, &FeedReader::OnXmlError,
                                           this);
  }
  ~FeedReader() override {
    if (reader_ != nullptr) xmlFreeTextReader(reader_);
  }
  FeedReader(const FeedReader&) = delete;
  FeedReader& operator=(const FeedReader&) = delete;

  bool Next(ReadItem* item) override {
    while (out_.empty() && !done_) Step();
    if (out_.empty()) return false;
    *item = std::move(out_.front());
    out_.pop_front();
    return true;
  }

 private:
  static int ReadCallback(void* context, char* buffer, int len) {
    if (len <= 0) return 0;
    return static_cast<int>(static_cast<ByteStream*>(context)->Read(
        buffer, static_cast<size_t>(len)));
  }

  // Keeps the first fatal error; libxml2 prints nothing itself.
  static void OnXmlError(void* context, xmlErrorPtr error) {
    auto* self = static_cast<FeedReader*>(context);
    if (error == nullptr || error->level != XML_ERR_FATAL) return;
    if (!self->xml_error_.empty()) return;
    std::string message = error->message != nullptr ? error->message : "";
    while (!message.empty() &&
           (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    self->xml_error_ = message.empty() ? "unknown error" : message;
    self->xml_error_line_ = error->line;
  }

  // Reads one node and handles it.
  void Step() {
    int r;
    {
      ErrorRouting routing(this, &FeedReader::OnXmlError);
      r = xmlTextReaderRead(reader_);
    }
    if (r == 1) {
      HandleNode();
      return;
    }
    done_ = true;
    if (!in_->error().empty()) {
      AddEnd(ParserLine(), in_->error());
    } else if (r < 0 || !xml_error_.empty()) {
      int line = xml_error_line_ > 0 ? xml_error_line_ : ParserLine();
      AddEnd(line, "feed is not well-formed XML (" +
                       (xml_error_.empty() ? std::string("unknown error")
                                           : xml_error_) +
                       "): the items after line " + std::to_string(line) +
                       " are not read; fix the XML there (an unescaped & "
                       "or <, or a tag that is not closed)");
    } else if (!root_seen_) {
      AddEnd(1,
             "feed has no elements: an RSS feed starts with <rss>, an "
             "Atom feed with <feed>");
    }
  }

  void HandleNode() {
    int depth = xmlTextReaderDepth(reader_);
    switch (xmlTextReaderNodeType(reader_)) {
      case XML_READER_TYPE_ELEMENT:
        OnStart(depth);
        break;
      case XML_READER_TYPE_END_ELEMENT:
        OnEnd(depth);
        break;
      case XML_READER_TYPE_TEXT:
      case XML_READER_TYPE_CDATA:
      case XML_READER_TYPE_WHITESPACE:
      case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        OnText(View(xmlTextReaderConstValue(reader_)));
        break;
      default:
        break;
    }
  }

  void OnStart(int depth) {
    std::string_view name = View(xmlTextReaderConstLocalName(reader_));
    std::string_view ns = View(xmlTextReaderConstNamespaceUri(reader_));
    bool empty = xmlTextReaderIsEmptyElement(reader_) == 1;
    if (!root_seen_) {
      root_seen_ = true;
      if (name != "rss" && name != "feed" && name != "RDF") {
        done_ = true;
        AddEnd(NodeLine(),
               "not a feed: the first element is <" +
                   std::string(View(xmlTextReaderConstName(reader_))) +
                   ">; an RSS feed starts with <rss> or "
                   "<rdf:RDF>, an Atom feed with <feed>");
        return;
      }
    }
    if (capture_.field != Field::kNone) {
      OnNestedStart(name, depth, empty);
      return;
    }
    if (in_item_) {
      if (depth == item_depth_ + 1) StartItemField(name, ns, depth, empty);
      return;
    }
    path_.resize(static_cast<size_t>(depth));
    std::string_view parent = depth > 0 ? path_.back() : std::string_view();
    bool rss = ns.empty() || ns == kRss1Ns;
    if ((name == "item" && rss) || (name == "entry" && ns == kAtomNs)) {
      in_item_ = true;
      item_depth_ = depth;
      item_ = ItemFields();
      item_.line = NodeLine();
      if (empty) FinishItem();
      return;
    }
    if (name == "title" && !source_seen_ &&
        ((parent == "channel" && rss) || (parent == "feed" && ns == kAtomNs))) {
      source_seen_ = true;
      TextKind kind =
          ns == kAtomNs ? AtomTextKind(Attribute("type")) : TextKind::kText;
      StartCapture(Field::kSourceTitle, depth, kind, empty);
      return;
    }
    if (!empty) path_.emplace_back(name);
  }

  // An element inside a captured one: Atom <author><name>, or XHTML markup.
  void OnNestedStart(std::string_view name, int depth, bool empty) {
    if (capture_.field == Field::kAtomAuthor) {
      if (name == "name" && depth == capture_.depth + 1 && !empty) {
        capture_.name_depth = depth;
      }
      return;
    }
    if (capture_.kind != TextKind::kXhtml || item_.too_large) return;
    capture_.text += '<';
    capture_.text += name;
    capture_.text += empty ? "/>" : ">";
  }

  void OnEnd(int depth) {
    if (capture_.field != Field::kNone) {
      if (depth == capture_.depth) {
        FinishCapture();
      } else if (depth == capture_.name_depth) {
        capture_.name_depth = -1;
      } else if (capture_.kind == TextKind::kXhtml && !item_.too_large) {
        capture_.text += "</";
        capture_.text += View(xmlTextReaderConstLocalName(reader_));
        capture_.text += '>';
      }
      return;
    }
    if (in_item_ && depth == item_depth_) FinishItem();
  }

  void OnText(std::string_view text) {
    if (in_item_) {
      item_.bytes += text.size();
      if (!item_.too_large && item_.bytes > options_.max_record_bytes) {
        item_.too_large = true;
        item_ = DroppedItem(item_);
        capture_.text.clear();
        capture_.text.shrink_to_fit();
      }
      if (item_.too_large) return;
    }
    if (capture_.field == Field::kNone) return;
    if (capture_.field == Field::kAtomAuthor && capture_.name_depth < 0) {
      return;
    }
    if (capture_.text.size() + text.size() > options_.max_record_bytes) {
      return;  // a channel title that long is not kept
    }
    if (capture_.kind != TextKind::kXhtml) {
      capture_.text += text;
      return;
    }
    for (char c : text) {
      if (c == '&') {
        capture_.text += "&amp;";
      } else if (c == '<') {
        capture_.text += "&lt;";
      } else {
        capture_.text += c;
      }
    }
  }

  // An item over the limit keeps only what its error needs.
  static ItemFields DroppedItem(const ItemFields& item) {
    ItemFields dropped;
    dropped.line = item.line;
    dropped.bytes = item.bytes;
    dropped.too_large = true;
    return dropped;
  }

  // A direct child of an item: which field it is, read from its name,
  // namespace and attributes.
  void StartItemField(std::string_view name, std::string_view ns, int depth,
                      bool empty) {
    bool rss = ns.empty() || ns == kRss1Ns;
    bool atom = ns == kAtomNs;
    Field field = Field::kNone;
    TextKind kind = TextKind::kText;
    if (name == "title" && (rss || atom)) {
      field = Field::kTitle;
      if (atom) kind = AtomTextKind(Attribute("type"));
    } else if (name == "link" && rss) {
      field = Field::kLink;
    } else if (name == "link" && atom) {
      AtomLink();
    } else if ((name == "description" && rss) || (name == "summary" && atom)) {
      field = Field::kDescription;
      kind = atom ? AtomTextKind(Attribute("type")) : TextKind::kHtml;
    } else if (name == "encoded" && ns == kContentNs) {
      field = Field::kContent;
      kind = TextKind::kHtml;
    } else if (name == "content" && atom) {
      field = Field::kContent;
      kind = Attribute("src").empty() ? AtomTextKind(Attribute("type"))
                                      : TextKind::kIgnore;
    } else if (name == "creator" && ns == kDcNs) {
      field = Field::kCreator;
    } else if (name == "author" && rss) {
      field = Field::kRssAuthor;
    } else if (name == "author" && atom) {
      field = Field::kAtomAuthor;
    } else if ((name == "pubDate" && rss) || (name == "date" && ns == kDcNs) ||
               (name == "published" && atom)) {
      field = Field::kDate;
    } else if (name == "updated" && atom) {
      field = Field::kUpdated;
    } else if ((name == "category" && rss) ||
               (name == "subject" && ns == kDcNs)) {
      field = Field::kCategory;
    } else if (name == "category" && atom) {
      std::string label = parse::CleanText(Attribute("label"));
      AddUnique(&item_.themes,
                label.empty() ? parse::CleanText(Attribute("term")) : label);
    } else if ((name == "guid" && rss) || (name == "id" && atom)) {
      field = Field::kGuid;
    }
    if (field != Field::kNone) StartCapture(field, depth, kind, empty);
  }

  // Atom <link>: rel="alternate" wins, else the first link without rel.
  void AtomLink() {
    std::string rel = Attribute("rel");
    std::string href = parse::CleanText(Attribute("href"));
    if (href.empty() || item_.url_is_alternate) return;
    if (rel == "alternate") {
      item_.url = href;
      item_.url_is_alternate = true;
    } else if (rel.empty() && item_.url.empty()) {
      item_.url = href;
    }
  }

  void StartCapture(Field field, int depth, TextKind kind, bool empty) {
    capture_ = Capture();
    capture_.field = field;
    capture_.depth = depth;
    capture_.kind = kind;
    if (empty) FinishCapture();
  }

  void FinishCapture() {
    Capture c = std::move(capture_);
    capture_ = Capture();
    if (c.field == Field::kSourceTitle) {
      source_ = PlainText(c.text, c.kind);
      return;
    }
    if (item_.too_large) return;
    StoreField(c.field, c.kind, std::move(c.text));
  }

  // The first of each field wins; authors and themes add up.
  void StoreField(Field field, TextKind kind, std::string text) {
    ItemFields& it = item_;
    switch (field) {
      case Field::kTitle:
        if (!it.has_title) {
          it.has_title = true;
          it.title = std::move(text);
          it.title_kind = kind;
        }
        break;
      case Field::kLink:
        if (it.url.empty()) it.url = parse::CleanText(text);
        break;
      case Field::kDescription:
        if (!it.has_description) {
          it.has_description = true;
          it.description = std::move(text);
          it.description_kind = kind;
        }
        break;
      case Field::kContent:
        if (!it.has_content && kind != TextKind::kIgnore) {
          it.has_content = true;
          it.content = std::move(text);
          it.content_kind = kind;
        }
        break;
      case Field::kCreator:
        for (std::string& name : parse::SplitNameList(text)) {
          AddUnique(&it.authors, parse::CleanText(name));
        }
        break;
      case Field::kRssAuthor:
        AddUnique(&it.authors, RssAuthorName(text));
        break;
      case Field::kAtomAuthor:
        AddUnique(&it.authors, parse::CleanText(text));
        break;
      case Field::kDate:
        if (it.date.empty()) {
          it.date = NormalizeDate(parse::CleanText(text), nullptr);
        }
        break;
      case Field::kUpdated:
        if (it.updated.empty()) {
          it.updated = NormalizeDate(parse::CleanText(text), nullptr);
        }
        break;
      case Field::kCategory:
        AddUnique(&it.themes, parse::CleanText(text));
        break;
      case Field::kGuid:
        if (it.own_id.empty()) it.own_id = parse::CleanText(text);
        break;
      case Field::kNone:
      case Field::kSourceTitle:
        break;
    }
  }

  void FinishItem() {
    in_item_ = false;
    capture_ = Capture();
    ItemFields it = std::move(item_);
    item_ = ItemFields();
    if (it.too_large) {
      AddError(it.line, RecordTooLargeMessage(
                            it.bytes, options_.max_record_bytes, "feed item"));
      return;
    }
    Article a;
    std::vector<Block> content;
    if (it.has_content) content = TextBlocks(it.content, it.content_kind);
    if (!content.empty()) {
      a.body = std::move(content);
      if (it.has_description) {
        a.lede = PlainText(it.description, it.description_kind);
      }
    } else if (it.has_description) {
      a.body = TextBlocks(it.description, it.description_kind);
    }
    a.title = PlainText(it.title, it.title_kind);
    if (a.title.empty() && !a.body.empty()) {
      a.title = TitleFromBody(a.body.front().text);
    }
    if (a.title.empty()) {
      AddError(it.line,
               "item has no title and no text: give it a <title>, or its "
               "text in <description> or <content:encoded> (Atom: "
               "<content> or <summary>)");
      return;
    }
    a.url = std::move(it.url);
    a.authors = std::move(it.authors);
    a.date = it.date.empty() ? std::move(it.updated) : std::move(it.date);
    a.themes = std::move(it.themes);
    a.source = source_;
    a.id = RecordId(it.own_id, a, "");
    a.path = options_.path;
    a.line = it.line;
    ReadItem item;
    item.kind = ReadItem::Kind::kArticle;
    item.article = std::move(a);
    out_.push_back(std::move(item));
  }

  std::string Attribute(const char* name) {
    xmlChar* value = xmlTextReaderGetAttribute(
        reader_, reinterpret_cast<const xmlChar*>(name));
    if (value == nullptr) return "";
    std::string out(View(value));
    xmlFree(value);
    return out;
  }

  // The line of the current element's start tag.
  int NodeLine() {
    xmlNodePtr node = xmlTextReaderCurrentNode(reader_);
    long line = node != nullptr ? xmlGetLineNo(node) : -1;
    return line > 0 ? static_cast<int>(line) : ParserLine();
  }

  int ParserLine() {
    int line =
        reader_ != nullptr ? xmlTextReaderGetParserLineNumber(reader_) : 0;
    return line > 0 ? line : 1;
  }

  void AddError(int line, std::string message) {
    ReadItem item;
    item.kind = ReadItem::Kind::kError;
    item.error = ParseError{options_.path, line, std::move(message)};
    out_.push_back(std::move(item));
  }

  // The last item: the feed ends here.
  void AddEnd(int line, std::string message) {
    AddError(line, std::move(message));
  }

  std::unique_ptr<ByteStream> in_;
  ReaderOptions options_;
  xmlTextReaderPtr reader_ = nullptr;
  std::deque<ReadItem> out_;
  bool done_ = false;
  bool root_seen_ = false;
  std::string xml_error_;
  int xml_error_line_ = 0;
  // Names of the open elements outside items, by depth.
  std::vector<std::string> path_;
  bool source_seen_ = false;
  std::string source_;
  bool in_item_ = false;
  int item_depth_ = 0;
  ItemFields item_;
  Capture capture_;
};

// `s` after the first `end` (npos when there is none).
size_t After(std::string_view s, size_t from, std::string_view end) {
  size_t at = s.find(end, from);
  return at == std::string_view::npos ? at : at + end.size();
}

// Past a DOCTYPE, with its internal subset in [...].
size_t AfterDoctype(std::string_view s, size_t from) {
  size_t bracket = s.find('[', from);
  size_t close = s.find('>', from);
  if (bracket != std::string_view::npos && bracket < close) {
    size_t end = s.find(']', bracket);
    if (end == std::string_view::npos) return end;
    close = s.find('>', end);
  }
  return close == std::string_view::npos ? close : close + 1;
}

}  // namespace

std::unique_ptr<ArticleReader> OpenFeedReader(std::unique_ptr<ByteStream> in,
                                              const ReaderOptions& options) {
  InitLibxml();
  return std::make_unique<FeedReader>(std::move(in), options);
}

bool LooksLikeFeed(std::string_view head) {
  size_t i = head.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (i < head.size()) {
    i = head.find_first_not_of(" \t\r\n", i);
    if (i == std::string_view::npos || head[i] != '<') return false;
    std::string_view rest = head.substr(i);
    if (rest.starts_with("<?")) {
      i = After(head, i, "?>");
    } else if (rest.starts_with("<!--")) {
      i = After(head, i, "-->");
    } else if (rest.starts_with("<!DOCTYPE") || rest.starts_with("<!doctype")) {
      i = AfterDoctype(head, i);
    } else {
      size_t end = head.find_first_of(" \t\r\n/>", i + 1);
      std::string_view name =
          head.substr(i + 1, end == std::string_view::npos ? head.size() - i - 1
                                                           : end - i - 1);
      size_t colon = name.rfind(':');
      std::string_view local =
          colon == std::string_view::npos ? name : name.substr(colon + 1);
      return name == "rss" || local == "feed" || local == "RDF";
    }
  }
  return false;
}

}  // namespace pundit::readers
