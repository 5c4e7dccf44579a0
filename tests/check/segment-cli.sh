#!/bin/bash
# segment-cli: gw-segment's command line: --help, --version, --rules DIR and $GONGWEN_RULES,
# FILE operands and -, and the exit statuses of its man page (0 fine, 1 a document failed,
# 2 usage, rules or an unreadable file).
set -u
seg=$GW_BIN/gw-segment
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "segment-cli: $*"; exit 1; }
rec='{"schema":"gongwen/1","id":"a","text":"某市关于某事的通知\n各区政府：\n一、总则\n"}'
printf '%s\n' "$rec" >"$tmp/in.jsonl"

"$seg" --help | grep -q '^usage: gw-segment' || fail "--help prints no usage"
"$seg" --version | grep -q 'gw-segment (gongwen) ' || fail "--version"
"$seg" --bogus </dev/null 2>/dev/null; [ $? -eq 2 ] || fail "an unknown option is not status 2"
"$seg" "$tmp/none.jsonl" 2>"$tmp/err" >/dev/null; [ $? -eq 2 ] || fail "an unreadable file is not status 2"
grep -q 'none.jsonl' "$tmp/err" || fail "no message names the unreadable file"
out=$("$seg" --quiet <"$tmp/in.jsonl") || fail "stdin: status $?"
out2=$("$seg" --quiet - <"$tmp/in.jsonl") || fail "-: status $?"
[ "$out" = "$out2" ] || fail "stdin and - differ"
echo "$out" | grep -q '"doc_type":"通知"' || fail "no doc_type in $out"
# the rules folder: --rules wins over $GONGWEN_RULES; a folder without rules is status 2
mkdir "$tmp/empty"
GONGWEN_RULES="$tmp/empty" "$seg" <"$tmp/in.jsonl" >/dev/null 2>&1; [ $? -eq 2 ] || fail "\$GONGWEN_RULES is not used"
GONGWEN_RULES="$tmp/empty" "$seg" --rules "$GONGWEN_RULES" <"$tmp/in.jsonl" >/dev/null ||
	fail "--rules does not win over \$GONGWEN_RULES"
exit 0
