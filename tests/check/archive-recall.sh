#!/bin/bash
# archive-recall.sh — ../shared/corpus and ../shared/realcorpus in one archive: each query of
# archive-recall-queries.txt (words, parts of words, abbreviations, numbers, 发文字号) finds every sentence
# that contains it (recall 1.0 against a plain substring scan), and the first 10 hits contain it
# (precision at 10 ≥ 0.85 over all queries).  See docs/archive.md, "Finding every occurrence".
set -u
if [ -z "${GW_SHARED:-}" ] || [ ! -d "$GW_SHARED/corpus" ] || [ ! -d "$GW_SHARED/realcorpus" ]; then
	echo "skipped: ../shared/corpus or ../shared/realcorpus is absent"
	exit 77
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
export GONGWEN_RULES=${GONGWEN_RULES:-$PWD/rules}
q=tests/check/archive-recall-queries.txt
"$GW_BIN/gongwen" --quiet --out "$t/out" "$GW_SHARED/corpus" "$GW_SHARED/realcorpus" >/dev/null 2>&1
"$GW_BIN/gw-index" --quiet --db "$t/a.db" "$t/out" || exit 1
"$GW_BIN/gw-search" --db "$t/a.db" --json --limit 0 --queries "$q" >"$t/all.jsonl"
"$GW_BIN/gw-search" --db "$t/a.db" --json --limit 10 --queries "$q" >"$t/top.jsonl"
python3 tests/check/archive_recall_check.py "$t/a.db" "$q" "$t/all.jsonl" "$t/top.jsonl" >"$t/report"
rc=$?
[ $rc -eq 0 ] && tail -1 "$t/report" || cat "$t/report"
exit $rc
