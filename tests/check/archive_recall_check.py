#!/usr/bin/env python3
"""archive_recall_check.py — gw-search against a plain substring scan of the archive's sentences.

Usage: archive_recall_check.py DB QUERIES ALL.jsonl TOP10.jsonl
A sentence is relevant to a query when it contains the query as a substring (both NFKC case-folded,
as the tokenizer folds them).  ALL: gw-search --json --limit 0 --queries QUERIES; TOP10: the same with
--limit 10.  Prints one line per query (relevant, found, missed, precision at 10), then the totals;
exit status 1 when recall is below 1.0 for any query or precision at 10 over all queries is below 0.85.
"""
import collections
import json
import sqlite3
import sys
import unicodedata


def fold(s):
    return unicodedata.normalize("NFKC", s).casefold()


def main():
    db, queries, all_hits, top_hits = sys.argv[1:5]
    con = sqlite3.connect(db)
    sents = [(doc, s, e, fold(t)) for doc, s, e, t in con.execute(
        "SELECT d.doc_id, s.start_cp, s.end_cp, s.text FROM sentences s JOIN documents d ON d.id = s.doc")]
    found, top = collections.defaultdict(set), collections.defaultdict(list)
    for path, into in ((all_hits, found), (top_hits, top)):
        for line in open(path, encoding="utf-8"):
            h = json.loads(line)
            key = (h["doc"], h["span"][0], h["span"][1])
            if into is found:
                into[h["query"]].add(key)
            else:
                into[h["query"]].append(fold(h["sentence"]))
    bad, rel10, n10 = 0, 0, 0
    qs = [q for q in open(queries, encoding="utf-8").read().split("\n") if q.strip()]
    for q in qs:
        want = {(d, s, e) for d, s, e, t in sents if fold(q) in t}
        missed = want - found[q]
        ok10 = sum(fold(q) in t for t in top[q])
        rel10, n10 = rel10 + ok10, n10 + len(top[q])
        print(f"{q}\t{len(want)} relevant\t{len(found[q])} found\t{len(missed)} missed\tP@10 {ok10}/{len(top[q])}")
        if missed or not want:
            bad += 1
    p10 = rel10 / n10 if n10 else 0
    print(f"queries {len(qs)}, recall 1.0 for {len(qs) - bad}, precision at 10 {p10:.4f}")
    sys.exit(1 if bad or p10 < 0.85 or len(qs) < 50 else 0)


main()
