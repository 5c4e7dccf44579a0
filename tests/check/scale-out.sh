#!/bin/bash
# scale-out (issue 18, "Deliver"): 101 documents, two of which must fail (an empty file and a
# binary one), through the recipes of contrib/scale-out/ — GNU parallel and Dask distributed, each
# in both shapes (map over file lists, records piped through tasks) — and merged by gw-merge: each
# merged folder is byte-identical to one gongwen run over the same documents, errors.jsonl included.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
recipes=$root/contrib/scale-out
command -v parallel >/dev/null || { echo "GNU parallel is not installed (tools/deps.sh test)"; exit 77; }
/usr/bin/python3 -c 'import distributed' 2>/dev/null || { echo "python3-distributed is not installed (tools/deps.sh test)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export PATH=$GW_BIN:$PATH
mkdir docs
for f in "$root"/corpus/*.txt; do
	for copy in a b c; do cp "$f" "docs/${copy}_$(basename "$f")"; done
done
: >docs/empty.txt
printf 'PK\003\004\000\000binary' >docs/binary.txt
ls docs/*.txt >list
n=$(wc -l <list)
gongwen --quiet --out one $(cat list) 2>/dev/null
[ $? = 1 ] || { echo "one gongwen run: exit status is not 1 (two documents fail)"; exit 1; }
[ "$(wc -l <one/errors.jsonl)" = 2 ] || { echo "one run: errors.jsonl has not 2 lines"; exit 1; }
"$recipes/make-records.py" $(cat list) >records.jsonl
fail=0
same() { # NAME FOLDER STATUS
	if [ "$3" != 1 ]; then
		echo "$1: exit status $3, expected 1 (two documents failed)"; fail=1
	elif ! diff -r one "$2" >"$2.diff"; then
		echo "$1: the merged folder differs from one gongwen run:"; head -5 "$2.diff"; fail=1
	else
		echo "$1: $n documents, merged output identical to one run"
	fi
}
"$recipes/parallel-map.sh" pmap tpmap 30 <list 2>pmap.err
same "GNU parallel, map" pmap $?
"$recipes/parallel-records.sh" precs tprecs 30 <records.jsonl 2>precs.err
same "GNU parallel, records" precs $?
/usr/bin/python3 "$recipes/dask_gongwen.py" --shape map --workers 2 --size 30 --out dmap --tasks tdmap $(cat list) 2>dmap.err
same "Dask distributed, map" dmap $?
/usr/bin/python3 "$recipes/dask_gongwen.py" --shape records --workers 2 --size 30 --out drecs --tasks tdrecs records.jsonl 2>drecs.err
same "Dask distributed, records" drecs $?
[ $fail = 0 ] || for e in ./*.err; do echo "== $e"; tail -n 5 "$e"; done
exit $fail
