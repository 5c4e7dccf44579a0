#!/bin/bash
# archive-corpus.sh — ../shared/corpus through the driver and into an archive: every document is indexed, and
# known queries find the documents they must (files named by their number in MANIFEST.tsv).
set -u
if [ -z "${GW_SHARED:-}" ] || [ ! -d "$GW_SHARED/corpus" ]; then
	echo "skipped: ../shared/corpus is absent"
	exit 77
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
export GONGWEN_RULES=${GONGWEN_RULES:-$PWD/rules}
fail=0
"$GW_BIN/gongwen" --quiet --out "$t/out" "$GW_SHARED/corpus" >/dev/null 2>&1
"$GW_BIN/gw-index" --db "$t/a.db" "$t/out" 2>"$t/err" || { cat "$t/err"; fail=1; }
n=$(ls "$t/out"/*.json | wc -l)
grep -q ": $n added, 0 replaced, 0 unchanged, 0 failed" "$t/err" || { echo "not all $n documents indexed:"; cat "$t/err"; fail=1; }

# must QUERY-AND-OPTIONS -- DOC…: each DOC (file-number prefix) has a hit
must() {
	local args=() docs
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	docs=$("$GW_BIN/gw-search" --db "$t/a.db" --json --limit 0 "${args[@]}" |
		python3 -c 'import json, sys; print(" ".join(sorted({json.loads(l)["doc"][:3] for l in sys.stdin})))')
	for d in "$@"; do
		[[ " $docs " == *" $d "* ]] || { echo "gw-search ${args[*]}: no hit in $d (hits in: $docs)"; fail=1; }
	done
}
must PM2.5 -- 021 022 036
must 绿化覆盖率 -- 024
must 保障性租赁住房 -- 000 022 030
must 国内生产总值 -- 021 022
must 阶梯电价 -- 031
must 个人所得税 -- 005
must 粮食 应急 -- 007
must '"高标准农田"' -- 003 018 040
must '城市更*' -- 045 049
must 5G --kind target -- 000
must --kind target --unit 套 --min 1000 -- 000 021
must --kind target --unit % --min 90 --from 2025 -- 024
"$GW_BIN/gw-search" --db "$t/a.db" 绝无此词组合 >/dev/null
[ $? -eq 1 ] || { echo "a query without hits does not exit 1"; fail=1; }
# re-indexing the same files changes nothing
"$GW_BIN/gw-index" --db "$t/a.db" "$t/out" 2>"$t/err"
grep -q ": 0 added, 0 replaced, $n unchanged, 0 failed" "$t/err" || { echo "re-indexing:"; cat "$t/err"; fail=1; }
exit $fail
