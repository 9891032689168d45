// What an HTML page says as an article: the one HTML path used by the HTML
// reader, the feed reader (item content) and the WARC reader (responses).
// Parsed with libxml2's HTML parser (a real parser: entities, unclosed
// tags, scripts and comments are handled by it, not by string search).
//
// Fields, first found wins:
//   title    JSON-LD headline/name, og:title, <title> (a " | Site" or
//            " - Site" tail that repeats the site name dropped), first <h1>
//   authors  JSON-LD author (text, Person/Organization name, or a list),
//            <meta name="author">, article:author, a rel="author" link text
//   date     JSON-LD datePublished (else dateCreated), article:published_time,
//            <meta name="date"|"pubdate"|"dc.date">, first <time datetime>
//   source   JSON-LD publisher name, og:site_name
//   url      JSON-LD url (or mainEntityOfPage @id), og:url,
//            <link rel="canonical">
//   themes   JSON-LD articleSection and keywords, article:section,
//            article:tag
//   lede     JSON-LD description, og:description, <meta name="description">
//   body     paragraphs (and h2-h6 as sub-heads) of <article>, else <main>
//            or role="main", else the element holding the most paragraph
//            text, else <body>; nav, header, footer, aside, form, script,
//            style, noscript, template, svg, iframe and elements with
//            hidden / aria-hidden="true" are never read, so page chrome is
//            not searchable.
// JSON-LD is read from every <script type="application/ld+json">: a plain
// object, a list, or an "@graph", whose first node of an Article type
// (Article, NewsArticle, OpinionNewsArticle, AnalysisNewsArticle,
// ReportageNewsArticle, BlogPosting, SocialMediaPosting, Report,
// ScholarlyArticle, WebPage as a last resort) is used.
//
// Bytes that are not UTF-8 are read in the charset the page declares in a
// <meta charset> or <meta http-equiv="Content-Type"> of its first 4 KiB
// (windows-1252 when it declares none), converted with ICU: a byte that is
// no character of that charset becomes U+FFFD instead of ending the page.
// A page that is valid UTF-8 is read as UTF-8 whatever it declares (a
// mislabelled page is far more common than a legacy page that happens to
// be valid UTF-8).
//
// All text is plain UTF-8 (entities resolved, white space collapsed, NFC),
// as core/article.h requires. Pure functions; thread-safe.
#ifndef PUNDIT_CORE_READERS_HTML_EXTRACT_H_
#define PUNDIT_CORE_READERS_HTML_EXTRACT_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/article.h"

namespace pundit::readers {

struct HtmlPage {
  Article article;     // every field above; id, path and line left empty
  std::string own_id;  // JSON-LD "identifier" when it is a string, else ""
};

// Reads a whole page. Returns false and sets *error (a ParseError message:
// "no title and no text: ...") when the page has neither a title nor any
// body text. A date that cannot be read is left out (not an error).
bool ReadHtmlPage(std::string_view html, HtmlPage* page, std::string* error);

// The blocks of an HTML fragment (a feed item's content:encoded), by the
// body rules above, over the whole fragment (it is all content: no
// container is chosen); plain text without tags gives its paragraphs.
std::vector<Block> HtmlFragmentBlocks(std::string_view html);

// True when `html` declares in a <meta> of its first 4 KiB a charset other
// than UTF-8 that can be converted (windows-1252, iso-8859-2, shift_jis,
// koi8-r...): its bytes need not be UTF-8.
bool DeclaresLegacyCharset(std::string_view html);

// When `html` is not valid UTF-8: sets *utf8 to it converted by the rule
// above and returns true. Valid UTF-8: returns false, *utf8 untouched.
bool PageToUtf8(std::string_view html, std::string* utf8);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_HTML_EXTRACT_H_
