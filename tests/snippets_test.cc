// Tests of highlighting and snippet selection (searcher/highlight.h).
//
// Properties checked:
// - a word marks every form with its stem (`compromise` marks
//   `compromises`), in the text's original spelling (query guaido marks
//   "Guaidó"); a phrase is marked as one unit, and only where the words are
//   adjacent; a prefix marks the words it starts;
// - all text is HTML-escaped (& < > " '), <mark> is the only markup;
// - fragments hold at most 300 characters of text, start and end at
//   sentence boundaries (or, inside a longer sentence, at word boundaries
//   with a leading "…"), end with "…" unless they end the paragraph, and
//   come in text order;
// - the fragments chosen hold the rarest words first; a third fragment only
//   when it shows a word the first two did not;
// - no match gives no fragment; EscapedPrefix cuts at a word boundary.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/analyzer.h"
#include "searcher/highlight.h"
#include "searcher/query.h"

namespace pundit {
namespace {

// The text of an HTML fragment: marks removed, character references read.
std::string PlainText(std::string html) {
  for (const char* tag : {"<mark>", "</mark>"}) {
    for (size_t p; (p = html.find(tag)) != std::string::npos;) {
      html.erase(p, std::string(tag).size());
    }
  }
  const std::pair<const char*, const char*> refs[] = {{"&lt;", "<"},
                                                      {"&gt;", ">"},
                                                      {"&quot;", "\""},
                                                      {"&#39;", "'"},
                                                      {"&amp;", "&"}};
  for (const auto& [ref, ch] : refs) {
    for (size_t p; (p = html.find(ref)) != std::string::npos;) {
      html.replace(p, std::string(ref).size(), ch);
    }
  }
  return html;
}

std::string WithoutEllipses(std::string s) {
  for (size_t p; (p = s.find("…")) != std::string::npos;) s.erase(p, 3);
  return s;
}

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos;
       p = haystack.find(needle, p + 1)) {
    ++n;
  }
  return n;
}

class SnippetsTest : public ::testing::Test {
 protected:
  Highlighter For(const std::string& q) {
    query::Compiled c = query::ParseAndCompile(
        q, DefaultOp::kAnd, analyzer_, [](std::string_view, std::string_view) {
          return std::vector<std::string>{};
        });
    return Highlighter(analyzer_, breaker_, c.units);
  }
  Analyzer analyzer_;
  SentenceBreaker breaker_;
};

TEST_F(SnippetsTest, MarksMatchesInTheirOriginalForm) {
  struct {
    std::string q, text, expected;
  } cases[] = {
      {"compromise", "Both sides made compromises, then one compromise.",
       "Both sides made <mark>compromises</mark>, then one "
       "<mark>compromise</mark>."},
      {"guaido", "Juan Guaidó spoke.", "Juan <mark>Guaidó</mark> spoke."},
      {"Guaidó", "GUAIDO and Guaido.",
       "<mark>GUAIDO</mark> and <mark>Guaido</mark>."},
      {"\"peace talks\"", "The peace talks, not the talks of peace.",
       "The <mark>peace talks</mark>, not the talks of peace."},
      {"\u201cpeace talks\u201d", "Peace Talks resumed.",
       "<mark>Peace Talks</mark> resumed."},
      {"econom*", "The economy and economists.",
       "The <mark>economy</mark> and <mark>economists</mark>."},
      {"russia", "Russia\u2019s army.", "<mark>Russia\u2019s</mark> army."},
      {"russia's", "Russia\u2019s army.", "<mark>Russia\u2019s</mark> army."},
      {"afro-eurasia", "Trade in Afro-Eurasia grows.",
       "Trade in <mark>Afro-Eurasia</mark> grows."},
      {"oil -gas", "Oil and gas.", "<mark>Oil</mark> and gas."},
      {"alert", "<script>alert(1)</script> & \"q\" 'a'",
       "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; &amp; &quot;q&quot; "
       "&#39;a&#39;"},
      {"absent", "Nothing <b>here</b>.", "Nothing &lt;b&gt;here&lt;/b&gt;."},
      {"die", "Many are dying.", "Many are <mark>dying</mark>."},
      {"happy", "Happiness matters.", "<mark>Happiness</mark> matters."},
      {"crises", "Two crises.", "Two <mark>crises</mark>."},
  };
  for (const auto& c : cases) {
    Highlighter h = For(c.q);
    EXPECT_EQ(h.Mark(c.text), c.expected) << "query: " << c.q;
  }
}

TEST_F(SnippetsTest, CountsMarks) {
  Highlighter h = For("\"peace talks\" astana");
  int marks = 0;
  h.Mark("Peace talks in Astana. More peace talks.", &marks);
  EXPECT_EQ(marks, 3);
}

TEST_F(SnippetsTest, EscapesScriptInSnippets) {
  Highlighter h = For("cocoa");
  std::string para = "A note about <script>alert(1)</script> and cocoa.";
  std::vector<std::string> frags = h.Snippets({para});
  ASSERT_EQ(frags.size(), 1u);
  EXPECT_EQ(frags[0],
            "A note about &lt;script&gt;alert(1)&lt;/script&gt; and "
            "<mark>cocoa</mark>.");
  EXPECT_EQ(frags[0].find("<script"), std::string::npos);
}

TEST_F(SnippetsTest, FragmentsAreBoundedAndEndAtSentences) {
  std::string para;
  for (int i = 0; i < 30; ++i) {
    para += "Sentence number " + std::to_string(i) +
            (i % 7 == 3 ? " talks about sanctions relief for Iran. "
                        : " is filler text without the word. ");
  }
  Highlighter h = For("sanctions");
  std::vector<std::string> frags = h.Snippets({para}, 3, 300);
  ASSERT_GE(frags.size(), 1u);
  ASSERT_LE(frags.size(), 3u);
  size_t last_pos = 0;
  for (const std::string& f : frags) {
    std::string text = WithoutEllipses(PlainText(f));
    EXPECT_LE(CharCount(text), 300u) << f;
    EXPECT_NE(f.find("<mark>sanctions</mark>"), std::string::npos) << f;
    // Starts a sentence, ends one, and is the paragraph's own text.
    EXPECT_EQ(text.rfind("Sentence number ", 0), 0u) << f;
    EXPECT_EQ(text.back(), '.') << f;
    size_t pos = para.find(text);
    ASSERT_NE(pos, std::string::npos) << f;
    EXPECT_GE(pos, last_pos) << "fragments out of text order";
    last_pos = pos;
    // Not the end of the paragraph, so an ellipsis follows.
    if (pos + text.size() < para.size() - 1) {
      EXPECT_EQ(f.substr(f.size() - 3), "…") << f;
    }
  }
}

TEST_F(SnippetsTest, FragmentEndingTheParagraphHasNoEllipsis) {
  Highlighter h = For("iran");
  std::vector<std::string> frags =
      h.Snippets({"Filler first. The deal with Iran held."});
  ASSERT_EQ(frags.size(), 1u);
  EXPECT_EQ(frags[0], "The deal with <mark>Iran</mark> held.");
  frags = h.Snippets({"The deal with Iran held. Filler after it."});
  ASSERT_EQ(frags.size(), 1u);
  EXPECT_EQ(frags[0], "The deal with <mark>Iran</mark> held. Filler after it.");
}

TEST_F(SnippetsTest, LongSentenceIsCutAtWordBoundaries) {
  std::string words;
  for (int i = 0; i < 120; ++i) words += "word" + std::to_string(i) + " ";
  std::string para = words + "pipeline " + words + "end.";
  Highlighter h = For("pipeline");
  std::vector<std::string> frags = h.Snippets({para}, 3, 300);
  ASSERT_EQ(frags.size(), 1u);
  const std::string& f = frags[0];
  EXPECT_EQ(f.rfind("…", 0), 0u) << "cut inside a sentence: leading ellipsis";
  EXPECT_EQ(f.substr(f.size() - 3), "…");
  std::string text = WithoutEllipses(PlainText(f));
  EXPECT_LE(CharCount(text), 300u);
  EXPECT_NE(f.find("<mark>pipeline</mark>"), std::string::npos);
  size_t pos = para.find(text);
  ASSERT_NE(pos, std::string::npos);
  EXPECT_EQ(para[pos - 1], ' ') << "starts at a word";
  EXPECT_EQ(para[pos + text.size()], ' ') << "ends at a word";
}

TEST_F(SnippetsTest, PrefersRareWordsAndShowsNewOnesInLaterFragments) {
  query::Compiled c =
      query::ParseAndCompile("common rare", DefaultOp::kOr, analyzer_,
                             [](std::string_view, std::string_view) {
                               return std::vector<std::string>{};
                             });
  ASSERT_EQ(c.units.size(), 2u);
  c.units[0].weight = 0.1;  // common
  c.units[1].weight = 5.0;  // rare
  Highlighter h(analyzer_, breaker_, c.units);
  std::vector<std::string_view> paras = {"A common word here.",
                                         "A rare word there.", "Common again.",
                                         "Common once more."};
  std::vector<std::string> one = h.Snippets(paras, 1, 300);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], "A <mark>rare</mark> word there.");
  std::vector<std::string> three = h.Snippets(paras, 3, 300);
  // The second adds "common"; a third would show nothing new.
  ASSERT_EQ(three.size(), 2u);
  EXPECT_EQ(three[0], "A <mark>common</mark> word here.");
  EXPECT_EQ(three[1], "A <mark>rare</mark> word there.");
}

TEST_F(SnippetsTest, PhraseIsOneUnitInSnippets) {
  Highlighter h = For("\"peace talks\"");
  std::vector<std::string> frags =
      h.Snippets({"Talks began. The peace talks in Astana resumed."});
  ASSERT_EQ(frags.size(), 1u);
  EXPECT_EQ(frags[0], "The <mark>peace talks</mark> in Astana resumed.");
  EXPECT_EQ(Count(frags[0], "<mark>"), 1);
}

TEST_F(SnippetsTest, FindsMatchesLateInALongArticle) {
  std::vector<std::string> paras(200, "Filler paragraph with nothing in it.");
  paras.push_back("At last the treaty was signed.");
  std::vector<std::string_view> views(paras.begin(), paras.end());
  Highlighter h = For("treaty");
  std::vector<std::string> frags = h.Snippets(views);
  ASSERT_EQ(frags.size(), 1u);
  EXPECT_EQ(frags[0], "At last the <mark>treaty</mark> was signed.");
}

TEST_F(SnippetsTest, NoMatchGivesNoFragment) {
  Highlighter h = For("absent");
  EXPECT_TRUE(h.Snippets({"Nothing to see.", "Nor here."}).empty());
  Highlighter none = For("");
  EXPECT_TRUE(none.empty());
  EXPECT_TRUE(none.Snippets({"Text."}).empty());
}

TEST(EscapedPrefixTest, CutsAtAWordBoundary) {
  EXPECT_EQ(EscapedPrefix("Short & sweet.", 300), "Short &amp; sweet.");
  EXPECT_EQ(EscapedPrefix("one two three four", 10), "one two…");
  EXPECT_EQ(EscapedPrefix("  padded  ", 300), "padded");
  EXPECT_EQ(EscapedPrefix("Guaidó Guaidó Guaidó", 13), "Guaidó Guaidó…");
}

TEST(EscapeHtmlTest, EscapesTheFiveCharacters) {
  EXPECT_EQ(EscapeHtml("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
}

}  // namespace
}  // namespace pundit
