#!/usr/bin/env python3
"""Tests of trec_eval.py against values worked out by hand.

Properties checked:
  * MAP, P@10 and nDCG@10 of a small run, ties broken by docno descending;
  * a document listed twice for one query is an error naming the line, the
    query and the document, as trec_eval refuses such a run;
  * every query of the qrels is averaged (trec_eval -c): one the run does not
    answer scores 0, and so does one whose judgments are all non-relevant.

  python3 bench/relevance/trec_eval_test.py   (ctest: trec_eval_test)
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TREC_EVAL = os.path.join(HERE, "trec_eval.py")


class TrecEvalTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, text):
        path = os.path.join(self.dir.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def run_eval(self, qrels, run):
        return subprocess.run(
            [sys.executable, TREC_EVAL, self.write("qrels", qrels),
             self.write("run", run), "--json"],
            capture_output=True, text=True)

    def metrics(self, qrels, run):
        r = self.run_eval(qrels, run)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_scores_a_small_run(self):
        # Query 1: d1 (grade 2) and d3 (grade 1) relevant, d2 judged 0.
        # Ranked d1, d2, d3 (d2 and d3 tie: docno descending puts d3 first).
        qrels = "1 0 d1 2\n1 0 d2 0\n1 0 d3 1\n"
        run = ("1 Q0 d1 1 3.0 t\n"
               "1 Q0 d2 2 1.0 t\n"
               "1 Q0 d3 3 1.0 t\n")
        m = self.metrics(qrels, run)
        self.assertEqual(m["num_q"], 1)
        # Order d1, d3, d2: AP = (1/1 + 2/2) / 2.
        self.assertAlmostEqual(m["map"], 1.0)
        self.assertAlmostEqual(m["P_10"], 0.2)
        self.assertAlmostEqual(m["ndcg_cut_10"], 1.0)

    def test_a_document_listed_twice_is_an_error(self):
        qrels = "1 0 d1 1\n"
        run = ("1 Q0 d1 1 3.0 t\n"
               "1 Q0 d2 2 2.0 t\n"
               "1 Q0 d1 3 1.0 t\n")
        r = self.run_eval(qrels, run)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertIn(":3: error: document d1 is listed twice for query 1 "
                      "(first on line 1)", r.stderr)

    def test_the_same_document_for_two_queries_is_fine(self):
        qrels = "1 0 d1 1\n2 0 d1 1\n"
        run = "1 Q0 d1 1 1.0 t\n2 Q0 d1 1 1.0 t\n"
        self.assertAlmostEqual(self.metrics(qrels, run)["map"], 1.0)

    def test_every_query_of_the_qrels_counts(self):
        # Query 1 found perfectly; query 2 not answered; query 3 judged only
        # non-relevant: trec_eval -c averages all three.
        qrels = "1 0 d1 1\n2 0 d2 1\n3 0 d3 0\n"
        run = "1 Q0 d1 1 1.0 t\n3 Q0 d3 1 1.0 t\n"
        m = self.metrics(qrels, run)
        self.assertEqual(m["num_q"], 3)
        self.assertAlmostEqual(m["map"], 1 / 3)
        self.assertAlmostEqual(m["P_10"], 0.1 / 3)
        self.assertAlmostEqual(m["ndcg_cut_10"], 1 / 3)


if __name__ == "__main__":
    unittest.main()
