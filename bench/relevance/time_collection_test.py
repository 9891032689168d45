#!/usr/bin/env python3
"""Tests of time_collection.py on release files written here.

Properties checked:
  * articles are numbered in file order (as TIME.REL numbers them), not by
    the number on their *TEXT line; the issue date becomes the date, also
    from a header whose date lacks its second slash;
  * the text of an article is one body, its title empty;
  * queries keep their number and are joined into one line;
  * a judgment naming an article TIME.ALL lacks is left out and said;
  * with the Glasgow release's 423 articles and judgments numbered up to
    425, numbers from 378 on name the article two places back, 1 to 370
    stay, and 371 to 377 are left out as ambiguous, and said;
  * any other count of articles is numbered as it stands;
  * a missing release file is an error naming it.

  python3 bench/relevance/time_collection_test.py   (ctest: time_collection_test)
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "time_collection.py")

ALL = """*TEXT 017 01/04/63 PAGE 020

THE FIRST STORY ABOUT A FARM BILL . IT

PASSED LAST WEEK .

*TEXT 431 08/30 63 PAGE 026

THE SECOND STORY, ABOUT A BRIDGE .

*STOP
"""
QUE = """*FIND      1

 FARM BILL

 PASSED .

*FIND      2

 BRIDGES .

*STOP
"""
REL = """1  1

2  2 3

"""


class TimeCollectionTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.src = os.path.join(self.dir.name, "src")
        self.out = os.path.join(self.dir.name, "out")
        os.makedirs(self.src)
        for name, text in (("TIME.ALL", ALL), ("TIME.QUE", QUE),
                           ("TIME.REL", REL)):
            with open(os.path.join(self.src, name), "w") as f:
                f.write(text)

    def tearDown(self):
        self.dir.cleanup()

    def convert(self):
        return subprocess.run([sys.executable, TOOL, self.src, self.out],
                              capture_output=True, text=True)

    def read(self, name):
        with open(os.path.join(self.out, "eval", "time", name)) as f:
            return f.read()

    def test_articles_queries_and_judgments(self):
        done = self.convert()
        self.assertEqual(done.returncode, 0, done.stderr)
        docs = [json.loads(line) for line in self.read("docs.jsonl").split(
            "\n") if line]
        self.assertEqual([d["id"] for d in docs], ["1", "2"])
        self.assertEqual([d["date"] for d in docs],
                         ["1963-01-04", "1963-08-30"])
        self.assertEqual(docs[0]["title"], "")
        self.assertEqual(docs[0]["body"],
                         "THE FIRST STORY ABOUT A FARM BILL . IT PASSED "
                         "LAST WEEK .")
        self.assertEqual(self.read("queries.tsv"),
                         "1\tFARM BILL PASSED .\n2\tBRIDGES .\n")
        self.assertEqual(self.read("qrels.tsv"), "1\t1\t1\n2\t2\t1\n")
        self.assertIn("left out 1 judgments", done.stderr)
        self.assertIn("query 2 article 3", done.stderr)
        self.assertIn("2 articles, 2 queries (2 judged), 2 relevant pairs",
                      done.stdout)

    def write_release(self, articles, rel):
        text = "".join(f"*TEXT {100 + i} 01/04/63 PAGE 020\n\nSTORY {i} .\n\n"
                       for i in range(1, articles + 1))
        with open(os.path.join(self.src, "TIME.ALL"), "w") as f:
            f.write(text + "*STOP\n")
        with open(os.path.join(self.src, "TIME.REL"), "w") as f:
            f.write(rel)

    def test_glasgow_release_judgments_renumbered(self):
        self.write_release(423, "1  370 378 425\n\n2  1 371 377 424\n\n")
        done = self.convert()
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(self.read("qrels.tsv"),
                         "1\t370\t1\n1\t376\t1\n1\t423\t1\n"
                         "2\t1\t1\n2\t422\t1\n")
        self.assertIn("left out 2 judgments that could name either of two "
                      "articles (query 2 article 371, query 2 article 377)",
                      done.stderr)
        self.assertNotIn("TIME.ALL lacks", done.stderr)
        docs = [json.loads(line) for line in self.read("docs.jsonl").split(
            "\n") if line]
        self.assertEqual(docs[375]["body"], "STORY 376 .")
        self.assertIn("423 articles, 2 queries (2 judged), 5 relevant pairs",
                      done.stdout)

    def test_other_releases_keep_their_numbers(self):
        self.write_release(425, "1  378 425\n\n2  371\n\n")
        done = self.convert()
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(self.read("qrels.tsv"),
                         "1\t378\t1\n1\t425\t1\n2\t371\t1\n")
        self.assertNotIn("left out", done.stderr)

    def test_missing_file_is_named(self):
        os.remove(os.path.join(self.src, "TIME.REL"))
        done = self.convert()
        self.assertEqual(done.returncode, 1)
        self.assertIn("has no TIME.REL", done.stderr)


if __name__ == "__main__":
    unittest.main()
