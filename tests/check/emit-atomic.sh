#!/bin/bash
# emit-atomic.sh — gw-emit writes every file whole or not at all and a document's two files both
# or neither (no temporary file left behind; a file it cannot write becomes a write-failed record
# and exit status 1, and its other file is not left), removes the outputs of a document that now
# fails, keeps errors.jsonl sorted, and gives byte-identical files when run again, whatever order
# the records come in.
set -u
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "$*"; exit 1; }
emit() { "$GW_BIN/gw-emit" --quiet "$@" 2>>"$tmp/stderr"; }
cat tests/golden/emit/*/input.jsonl >"$tmp/all.jsonl"

emit --out "$tmp/a" "$tmp/all.jsonl"
[ $? = 1 ] || fail "exit status $? with failed documents, not 1"
emit --out "$tmp/a" "$tmp/all.jsonl" # over its own output
emit --out "$tmp/b" "$tmp/all.jsonl"
diff -r "$tmp/a" "$tmp/b" >/dev/null || fail "a second run differs: $(diff -r "$tmp/a" "$tmp/b" | head -5)"
# order: the good records and the error records, forwards and backwards
grep -v -e '^{not' -e '"bad-span"' -e '"empty"' "$tmp/all.jsonl" >"$tmp/ok.jsonl"
emit --out "$tmp/c1" <"$tmp/ok.jsonl"
tac "$tmp/ok.jsonl" | emit --out "$tmp/c2"
diff -r "$tmp/c1" "$tmp/c2" >/dev/null || fail "records in reverse order give other files: $(diff -r "$tmp/c1" "$tmp/c2" | head -5)"
left=$(find "$tmp/a" "$tmp/b" "$tmp/c1" "$tmp/c2" -name '*.tmp' -o -name '.*' -type f | head -3)
[ -z "$left" ] || fail "temporary files left behind: $left"
sort -c "$tmp/a/errors.jsonl" 2>/dev/null || fail "errors.jsonl is not sorted by id"
n=$(wc -l <"$tmp/a/errors.jsonl")
[ "$n" -ge 5 ] || fail "errors.jsonl has $n lines, expected the 5+ failures of tests/golden/emit/errors"
for f in "$tmp/a"/*.json "$tmp/a"/*.xml; do
	[ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] || fail "$f does not end with a newline"
done

# a clean run leaves an empty errors.jsonl, exit 0
emit --out "$tmp/d" tests/golden/emit/notice/input.jsonl || fail "exit status $? on a good record"
[ -f "$tmp/d/errors.jsonl" ] && [ ! -s "$tmp/d/errors.jsonl" ] || fail "errors.jsonl is not empty after a clean run"

# a file that cannot be written: its name is taken by a folder.  The pair is atomic: the JSON,
# whole and renamed first, does not stay without its XML, and errors.jsonl says why
mkdir -p "$tmp/e/notice.xml"
emit --out "$tmp/e" tests/golden/emit/notice/input.jsonl
[ $? = 1 ] || fail "exit status $? when an output cannot be written, not 1"
want='{"schema":"gongwen/1","id":"notice","source":{"path":"tests/notice.txt","sha256":"0000000000000000000000000000000000000000000000000000000000000001","bytes":640},"error":{"code":"write-failed","message":"'$tmp'/e/notice.xml: Is a directory"}}'
[ "$(cat "$tmp/e/errors.jsonl")" = "$want" ] || fail "errors.jsonl is not the write-failed record: $(cat "$tmp/e/errors.jsonl")"
[ ! -e "$tmp/e/notice.json" ] || fail "the JSON of a document whose XML failed is left"
[ -d "$tmp/e/notice.xml" ] && [ -z "$(ls -A "$tmp/e/notice.xml")" ] || fail "notice.xml is not the empty folder"
left=$(find "$tmp/e" -name '*.tmp')
[ -z "$left" ] || fail "a failed write left $left"
[ "$(ls -A "$tmp/e" | tr '\n' ' ')" = "errors.jsonl notice.xml " ] || fail "the folder holds $(ls -A "$tmp/e")"

# a document that now fails loses the outputs of an earlier run
emit --out "$tmp/f" tests/golden/emit/notice/input.jsonl
printf '{"schema":"gongwen/1","id":"notice","source":{"path":"x"},"error":{"code":"read-failed","message":"gone"}}\n' |
	emit --out "$tmp/f"
[ ! -e "$tmp/f/notice.json" ] && [ ! -e "$tmp/f/notice.xml" ] || fail "a failed document kept its old outputs"

# an output folder that cannot be made: exit 2
: >"$tmp/file"
emit --out "$tmp/file/sub" tests/golden/emit/notice/input.jsonl
[ $? = 2 ] || fail "exit status $? when --out cannot be made, not 2"
emit --out "$tmp/g" --no-such-option </dev/null
[ $? = 2 ] || fail "exit status $? on a usage error, not 2"
echo "emit-atomic: ok"
