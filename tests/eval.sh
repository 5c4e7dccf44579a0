#!/bin/bash
# eval.sh — run the whole chain over ../shared/corpus and score it against ../shared/gold.
# Usage: tests/eval.sh BUILD_DIR SHARED_DIR [--check BARFILE]
#   prints the scorer's figures; with --check, fails when a figure is below the bar in BARFILE
#   (lines "metric minimum"; a ratchet: raise the bar as the code improves, never lower it).
set -u
B=$(cd "${1:-build}" && pwd)
shared=${2:-../shared}
if [ ! -d "$shared/corpus" ] || [ ! -d "$shared/gold" ]; then
	echo "eval: skipped: $shared/corpus or $shared/gold is absent (make eval SHARED=DIR names the folder)"
	exit 77
fi
py=/usr/bin/python3
[ -x $py ] || py=python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/out"
"$B/gw-normalize" --quiet "$shared"/corpus/*.txt | "$B/gw-segment" --quiet | "$B/gw-extract" --quiet \
	>"$tmp/out/corpus.jsonl" 2>"$tmp/err"
$py "$shared/eval/score.py" "$shared/gold" "$tmp/out" --json >"$tmp/score.json" || exit 1
$py - "$tmp/score.json" "${3:-}" "${4:-}" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))
for k, v in res.items():
    print(f"{k}: {v}")
if sys.argv[2] == "--check":
    low = []
    for line in open(sys.argv[3], encoding="utf-8"):
        line = line.split("#")[0].split()
        if len(line) == 2 and res.get(line[0], 0) < float(line[1]):
            low.append(f"{line[0]} = {res.get(line[0])} is below the bar {line[1]}")
    for l in low:
        print("eval: " + l)
    sys.exit(1 if low else 0)
PY
