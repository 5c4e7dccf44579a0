#!/bin/bash
# leakcheck.sh — make leakcheck: the sample notice through every program (gw-emit and gongwen with
# --html: the HTML writer and index too; gongwen --records --jsonl and gw-merge), and the small
# hostile inputs through gongwen, under valgrind;
# any leak or memory error fails.
set -u
B=$(cd "${1:-build}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export GONGWEN_RULES=$root/rules GONGWEN_NO_JIT=1 # valgrind cannot follow PCRE2 JIT code
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the compiled rules' cache in the run's folder: each program's first load compiles and writes
# it, gongwen's later steps decode it (both under valgrind)
export GONGWEN_CACHE=$tmp/cache
vg="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99"
s=corpus/000_f05e73a007cd9b08.txt
fail=0
step() {
	local name=$1
	shift
	bash -c "$*" 2>"$tmp/err"
	if grep -q '==[0-9]*==' "$tmp/err" || [ "${PIPESTATUS[0]}" = 99 ]; then
		echo "leakcheck: $name:"; grep '==' "$tmp/err" | head -30; fail=1
	else
		echo "leakcheck: $name: clean"
	fi
}
step gw-normalize "$vg $B/gw-normalize $s >$tmp/n.jsonl"
step gw-segment "$vg $B/gw-segment <$tmp/n.jsonl >$tmp/s.jsonl"
step gw-extract "$vg $B/gw-extract <$tmp/s.jsonl >$tmp/x.jsonl"
step gw-emit "$vg $B/gw-emit --quiet --html --out $tmp/o1 <$tmp/x.jsonl"
step gongwen "$vg $B/gongwen --quiet --html --jobs 2 --out $tmp/o2 $s"
step gw-rules "$vg $B/gw-rules --quiet check >/dev/null"
# issue 18: records in, records out, the run files; the merge of task outputs
contrib/scale-out/make-records.py $s tests/hostile/*.txt >"$tmp/r.jsonl"
step "gongwen --records --jsonl" "$vg $B/gongwen --quiet --jobs 2 --records --jsonl --errors $tmp/e.jsonl --summary $tmp/summary.json <$tmp/r.jsonl >$tmp/r.out.jsonl"
step gw-merge "$vg $B/gw-merge --quiet --out $tmp/o4 $tmp/o2 $tmp/r.out.jsonl $tmp/summary.json"
# the small hostile inputs (tests/hostile/*.txt: bad bytes, NULs, controls, UTF-16 without BOM …)
step hostile "$vg $B/gongwen --quiet --jobs 1 --out $tmp/o3 tests/hostile/*.txt"
exit $fail
