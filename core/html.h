// HTML escaping shared by the searcher (snippets, highlighted titles) and the
// web front end (API html fields, pages). One function, so every place that
// puts article or query text into HTML escapes it the same way.
// Pure and thread-safe.
#ifndef PUNDIT_CORE_HTML_H_
#define PUNDIT_CORE_HTML_H_

#include <string>
#include <string_view>

namespace pundit {

// `text` with & < > " ' replaced by character references (&amp; &lt; &gt;
// &quot; &#39;), safe in HTML text and in quoted attribute values.
std::string EscapeHtml(std::string_view text);

}  // namespace pundit

#endif  // PUNDIT_CORE_HTML_H_
