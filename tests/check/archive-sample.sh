#!/bin/bash
# archive-sample.sh — the sample notice (corpus/000_…) through the chain into an archive: exact hits for known
# queries (node path, document number, marked sentence, quantity), its 50 numbered units, and the same
# answers from the driver's out/ID.json files as from the JSON Lines stream.
set -u
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
export GONGWEN_RULES=${GONGWEN_RULES:-$PWD/rules}
fail=0
"$GW_BIN/gw-normalize" corpus/000_f05e73a007cd9b08.txt | "$GW_BIN/gw-segment" | "$GW_BIN/gw-extract" >"$t/s.jsonl"
"$GW_BIN/gw-index" --quiet --db "$t/a.db" "$t/s.jsonl" || { echo "gw-index failed"; exit 1; }

# hits as "doc_number path marked [quantities]"
brief() {
	python3 -c '
import json, sys
for l in sys.stdin:
    h = json.loads(l)
    print(h["doc_number"], h["path"], h["marked"], [q["text"] + " " + q["kind"] for q in h["quantities"]])'
}
expect() {
	local want=$1
	shift
	got=$("$GW_BIN/gw-search" --db "$t/a.db" --json "$@" | brief)
	if [ "$got" != "$want" ]; then
		echo "gw-search $*:"
		diff <(echo "$want") <(echo "$got")
		fail=1
	fi
}
expect "青府办发〔2022〕12号 五/16 加大«保障性租赁住房»筹措力度，完成筹措1325套。 ['1325套 target']" 保障性租赁住房
expect "青府办发〔2022〕12号 五/16 加大保障性租赁住房筹措力度，完成筹措1325套。 ['1325套 target']" \
	--kind target --unit 套 --min 1000 --from 2022 --to 2022
expect "青府办发〔2022〕12号 八/30 持续推进千兆宽带建设改造工作，新建«5G»基站50个。 ['50个 target']" 5G
expect "" --kind target --unit 套 --min 1000 --from 2023
expect "" 保障性租赁住房 --issuer 国务院

n=$(python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(*c.execute("select (select count(*) from documents), (select count(*) from nodes), (select path from nodes where node_id = ?)", ("att_1__sec_11__point_39",)).fetchone())' "$t/a.db")
[ "$n" = "1 50 十一/39" ] || { echo "documents, nodes, path of the last point: $n (want 1 50 十一/39)"; fail=1; }

# the driver's pretty-printed out/ files give the same hits
"$GW_BIN/gongwen" --quiet --out "$t/out" corpus/000_f05e73a007cd9b08.txt >/dev/null 2>&1
"$GW_BIN/gw-index" --quiet --db "$t/b.db" "$t/out" || fail=1
for q in 保障性租赁住房 5G 绿化 '租赁*'; do
	a=$("$GW_BIN/gw-search" --db "$t/a.db" "$q")
	b=$("$GW_BIN/gw-search" --db "$t/b.db" "$q")
	[ "$a" = "$b" ] || { echo "$q: the stream and out/ give different hits"; fail=1; }
done
exit $fail
