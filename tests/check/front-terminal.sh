#!/bin/bash
# front-terminal (issue 16 item 8): a program run bare, with its standard input a terminal, says what it
# expects and exits 2 at once, instead of waiting silently (script(1) gives it a terminal).
set -u
command -v script >/dev/null 2>&1 || { echo "skipped: script(1) is absent"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for pw in "gongwen:PATHs" "gw-normalize:FILEs" "gw-segment:FILEs of records" "gw-emit:FILEs of records" \
	"gw-index:FILEs or DIRs of records"; do
	p=${pw%%:*} want=${pw#*:}
	out=$(cd "$tmp" && timeout 20 script -qec "$GW_BIN/$p" /dev/null </dev/null | tr -d '\r')
	[ "$out" = "$p: ERROR: usage error: standard input is a terminal: give $want, or pipe them in
Try '$p --help'." ] || { echo "$p on a terminal says: $out"; fail=1; }
done
[ -e "$tmp/out" ] && { echo "a folder out/ was made"; fail=1; }
exit $fail
