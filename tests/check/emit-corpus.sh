#!/bin/bash
# emit-corpus.sh — every ../shared/corpus document goes through the hand-run chain
# (gw-normalize | gw-segment | gw-extract | gw-emit) into a JSON and an XML file or an
# errors.jsonl record, never both, never neither; and every output validates (JSON Schema, AKN XSD,
# unique eIds, the whole text in the XML).
set -u
[ -n "$GW_SHARED" ] && [ -d "$GW_SHARED/corpus" ] || { echo "skipped: ../shared/corpus is absent"; exit 77; }
for p in gw-normalize gw-segment gw-extract gw-emit; do
	[ -x "$GW_BIN/$p" ] || { echo "skipped: $p is not built yet"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "$*"; exit 1; }
"$GW_BIN/gw-normalize" "$GW_SHARED"/corpus/*.txt 2>"$tmp/err.n" | "$GW_BIN/gw-segment" 2>"$tmp/err.s" |
	"$GW_BIN/gw-extract" 2>"$tmp/err.x" | "$GW_BIN/gw-emit" --quiet --out "$tmp/out" 2>"$tmp/err"
st=("${PIPESTATUS[@]}")
rc=${st[3]}
names=(gw-normalize gw-segment gw-extract) errs=(n s x)
for i in 2 1 0; do # the last stage that failed (those before it died of SIGPIPE, 141)
	[ "${st[$i]}" -le 1 ] || [ "${st[$i]}" = 141 ] ||
		fail "${names[$i]} exits ${st[$i]}: $(head -3 "$tmp/err.${errs[$i]}")"
done
nerr=$(wc -l <"$tmp/out/errors.jsonl")
[ $rc = 0 ] || { [ $rc = 1 ] && [ "$nerr" -gt 0 ]; } || fail "gw-emit exits $rc with $nerr error records: $(head -5 "$tmp/err")"
n=0
for src in "$GW_SHARED"/corpus/*.txt; do
	id=$(basename "$src" .txt)
	n=$((n + 1))
	has_out=0 has_err=0
	[ -f "$tmp/out/$id.json" ] && [ -f "$tmp/out/$id.xml" ] && has_out=1
	grep -qF "\"id\":\"$id\"" "$tmp/out/errors.jsonl" && has_err=1
	[ $((has_out + has_err)) = 1 ] || fail "$id: outputs $has_out, error record $has_err (want exactly one of them)"
done
echo "corpus: $n documents, $nerr error records"
status=0
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	/usr/bin/python3 tests/check/emit_check.py schema schema/gongwen-1.schema.json "$tmp/out" || status=1
else
	echo "note: /usr/bin/python3 with python3-jsonschema is absent: JSON not validated"
fi
[ -x /usr/bin/python3 ] && { /usr/bin/python3 tests/check/emit_check.py eids "$tmp/out" || status=1; }
[ -x /usr/bin/python3 ] && { /usr/bin/python3 tests/check/emit_check.py text "$tmp/out" || status=1; }
xsd=$GW_SHARED/akn/akomantoso30.xsd
if [ -f "$xsd" ] && command -v xmllint >/dev/null; then
	if ! xmllint --noout --schema "$xsd" "$tmp"/out/*.xml >"$tmp/xsd.out" 2>&1; then
		grep -v ' validates$' "$tmp/xsd.out" | head -30
		status=1
	fi
else
	echo "note: ../shared/akn/akomantoso30.xsd or xmllint is absent: XML not validated"
fi
exit $status
