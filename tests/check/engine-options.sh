#!/bin/bash
# engine-options (issue 18, items 1-5): what a distributed engine needs of the programs.
# --max-failed N|P% gives 0 within the policy, 4 beyond it, 2 for a value that is neither; an
# error record passed on by gw-segment and gw-extract is no new failure (0); gongwen --records
# --jsonl writes the records the four-program chain writes; under --records a record naming a
# path is refused (no file read) unless --read-paths, and gw-normalize --records-only does the
# same; --errors and --summary write where they are told; gw-merge finds a repeated id and a
# task output that does not add up.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
B=$GW_BIN
fail=0
expect() { # NAME WANTED GOT
	[ "$2" = "$3" ] || { echo "$1: got '$3', expected '$2'"; fail=1; }
}
docs=$(ls "$root"/corpus/*.txt | head -3)
python3 - $docs >recs.jsonl <<'PY'
import base64, json, os, sys
for f in sys.argv[1:]:
    b = open(f, 'rb').read()
    print(json.dumps({"id": os.path.basename(f)[:-4], "path": os.path.basename(f),
                      "content_base64": base64.b64encode(b).decode()}))
print(json.dumps({"id": "empty", "path": "empty.txt", "content": ""}))
print(json.dumps({"id": "host", "path": "/etc/hostname"}))
PY
# the chain and gongwen --records --jsonl: the same records
"$B/gw-normalize" -q --records-only <recs.jsonl 2>/dev/null | "$B/gw-segment" -q | "$B/gw-extract" -q >chain.jsonl
expect "gw-extract passing on error records" "0" "${PIPESTATUS[2]}"
"$B/gongwen" -q --records --jsonl --errors e.jsonl --summary s.json <recs.jsonl >one.jsonl 2>one.err
expect "gongwen --records --jsonl, 2 failed" 1 $?
cmp -s chain.jsonl one.jsonl || { echo "gongwen --jsonl differs from the chain"; diff chain.jsonl one.jsonl | head -5; fail=1; }
expect "records out" 5 "$(wc -l <one.jsonl)"
expect "the path refused" 'gongwen: /etc/hostname: ERROR: unusable JSON Lines record: stdin line 5: a path, not content: --records-only reads no file' "$(grep hostname one.err)"
expect "--errors FILE" 'empty the file is empty
host unusable JSON Lines record: stdin line 5: a path, not content: --records-only reads no file' \
	"$(python3 -c 'import json,sys
for l in open("e.jsonl"): r = json.loads(l); print(r["id"], r["error"]["message"])')"
expect "--summary FILE" '{"schema": "gongwen/1", "documents": 5, "written": 3, "failed": 2, "skipped": 0}' \
	"$(python3 -c 'import json; s = json.load(open("s.json")); print(json.dumps({k: s[k] for k in ("schema", "documents", "written", "failed", "skipped")}))')"
expect "--summary keys" "documents written failed skipped nodes quantities seconds fact other target" \
	"$(python3 -c 'import json; s = json.load(open("s.json")); print(*list(s)[1:], *sorted(s["quantities"]))')"
"$B/gongwen" -q --records --read-paths --jsonl <recs.jsonl 2>/dev/null | grep -q '"id":"host".*"path":"/etc/hostname"' ||
	{ echo "--read-paths did not read the path"; fail=1; }
# the policy
for m in "2 0" "1 4" "40% 0" "39% 4" "x 2" "101% 2" "1.5 2"; do
	set -- $m
	"$B/gongwen" -q --records --jsonl --max-failed "$1" <recs.jsonl >/dev/null 2>&1
	expect "gongwen --max-failed $1" "$2" $?
done
"$B/gw-normalize" -q --records-only --max-failed 1 <recs.jsonl >/dev/null 2>&1
expect "gw-normalize --max-failed 1 (2 failed)" 4 $?
"$B/gw-emit" -q --out o --max-failed 2 one.jsonl 2>/dev/null
expect "gw-emit --max-failed 2 (2 failed)" 0 $?
# gw-merge: a repeated id fails once, a lost document is a counts error
"$B/gongwen" -q --records --out t1 --summary t1/summary.json <recs.jsonl 2>/dev/null
"$B/gw-merge" -q --out m1 t1 t1 2>m1.err
expect "gw-merge of one task twice" "1 3" "$? $(grep -c 'id repeats' m1.err)"
rm "t1/$(basename "${docs%%$'\n'*}" .txt).json"
"$B/gw-merge" -q --out m2 t1 2>m2.err
expect "gw-merge of a task that lost a file" "2" "$?"
expect "its message" "gw-merge: ERROR: the task outputs do not add up: 5 documents in the tasks' summaries, 2 written + 2 failed + 0 skipped here" "$(cat m2.err)"
exit $fail
