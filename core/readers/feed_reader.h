// The feed reader: RSS 2.0, RSS 1.0 (RDF) and Atom 1.0, one article per
// <item> or <entry>, streamed with libxml2's xmlTextReader over the
// ByteStream, so a feed of any size takes the memory of one item (libxml2
// frees every node once it is passed).
//
// Safe on hostile feeds: no network (XML_PARSE_NONET), no DTD loading, no
// external entity (a SYSTEM entity such as "file:///etc/passwd" is never
// read) and no entity substitution; an entity reference other than the
// five XML ones and character references is dropped.
//
// Fields of an item:
//   title    <title> (Atom type="html"/"xhtml": tags dropped, entities
//            resolved); none: the first sentence of the body
//   url      RSS <link>; Atom <link rel="alternate" href>, else the first
//            <link> without rel
//   authors  <dc:creator> (a list "A and B" is split), RSS <author> ("email
//            (Name)" gives Name; a bare email address is left out), Atom
//            <author><name>
//   date     <pubDate>, <dc:date>, Atom <published>, else Atom <updated>,
//            through NormalizeDate; a date it cannot read leaves the item
//            without a date (not an error)
//   themes   RSS <category> text, <dc:subject>, Atom <category> label, else
//            term
//   body     <content:encoded>, else Atom <content>, else <description> /
//            <summary>, through HtmlFragmentBlocks (Atom type="text":
//            its paragraphs as plain text)
//   lede     the plain text of <description> / <summary> when the body
//            comes from <content:encoded> or Atom <content>
//   source   the channel's (feed's) <title>
//   id       RecordId: <guid> or Atom <id>, else url, else its content
//   line     the line the <item> / <entry> tag starts on
//
// Errors (one kError each, reading goes on after it):
//   an item with no title and no text, at its line;
//   an item whose text is more than max_record_bytes (counted without
//   being kept), at its line (RecordTooLargeMessage).
// Errors that end the feed (one last kError, after the articles before it):
//   a document that is not well-formed XML (libxml2's message and line);
//   a first element other than <rss>, <feed> or <rdf:RDF>;
//   damage to the stream (its error(), e.g. truncated gzip data).
// libxml2 refuses a single text node over 10,000,000 bytes: that ends the
// feed with its message.
//
// A reader is used by one thread at a time.
#ifndef PUNDIT_CORE_READERS_FEED_READER_H_
#define PUNDIT_CORE_READERS_FEED_READER_H_

#include <memory>
#include <string_view>

#include "core/readers/byte_stream.h"
#include "core/readers/reader.h"

namespace pundit::readers {

// Never fails: every problem is an item of the reader.
std::unique_ptr<ArticleReader> OpenFeedReader(std::unique_ptr<ByteStream> in,
                                              const ReaderOptions& options);

// True when the first element of `head` (the first bytes of a document),
// after a byte order mark, the XML declaration, comments, processing
// instructions and a DOCTYPE, is <rss>, <feed> or <rdf:RDF> (any prefix
// for RDF). Pure; thread-safe.
bool LooksLikeFeed(std::string_view head);

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_FEED_READER_H_
