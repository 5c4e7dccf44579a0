#!/bin/bash
# emit-schema.sh — schema/gongwen-1.schema.json is a valid draft 2020-12 schema that documents
# every field, and every JSON record gw-emit writes in the test suite validates against it:
# out/<id>.json, errors.jsonl lines, and (when the stages are built) the stream between them.
set -u
PY=/usr/bin/python3
if ! [ -x $PY ] || ! $PY -c 'import jsonschema' 2>/dev/null; then
	echo "skipped: /usr/bin/python3 with python3-jsonschema is absent, so no JSON can be validated"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$PY tests/check/emit_check.py selfcheck schema/gongwen-1.schema.json || exit 1
dirs=()
for input in tests/golden/emit/*/input.jsonl; do
	case=$(basename "$(dirname "$input")")
	"$GW_BIN/gw-emit" --quiet --out "$tmp/$case" "$input" 2>/dev/null
	rc=$?
	[ $rc -le 1 ] || { echo "gw-emit exits $rc on $input"; exit 1; }
	dirs+=("$tmp/$case")
done
if [ -x "$GW_BIN/gw-normalize" ]; then
	mkdir -p "$tmp/chain"
	if [ -x "$GW_BIN/gw-segment" ] && [ -x "$GW_BIN/gw-extract" ]; then
		"$GW_BIN/gw-normalize" corpus/*.txt 2>/dev/null | "$GW_BIN/gw-segment" 2>/dev/null |
			"$GW_BIN/gw-extract" >"$tmp/chain/stream.jsonl" 2>/dev/null
	else
		echo "note: gw-segment or gw-extract is not built: gw-normalize's records are checked as they are"
		"$GW_BIN/gw-normalize" corpus/*.txt >"$tmp/chain/stream.jsonl" 2>/dev/null
	fi
	"$GW_BIN/gw-emit" --quiet --out "$tmp/chain" "$tmp/chain/stream.jsonl" 2>/dev/null
	dirs+=("$tmp/chain")
else
	echo "note: gw-normalize is not built: only hand-made records are checked"
fi
$PY tests/check/emit_check.py schema schema/gongwen-1.schema.json "${dirs[@]}"
