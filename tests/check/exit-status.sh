#!/bin/bash
# exit-status: the exit statuses are documented once: every man page has the same EXIT STATUS
# section, every program's --help ends with the same "Exit status:" text.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for m in "$root"/man/*.1; do
	sed -n '/^\.Sh EXIT STATUS$/,/^\.Sh /p' "$m" | sed '$d' >"$tmp/$(basename "$m").sec"
	[ -s "$tmp/$(basename "$m").sec" ] || { echo "$m: no EXIT STATUS section"; fail=1; }
done
first=$(ls "$tmp"/*.sec | head -1)
for s in "$tmp"/*.sec; do
	cmp -s "$first" "$s" || { echo "EXIT STATUS of $(basename "$s" .sec) differs from $(basename "$first" .sec):"; diff "$first" "$s"; fail=1; }
done
for p in gongwen gw-normalize gw-segment gw-extract gw-emit gw-merge gw-rules gw-index gw-search; do
	"$GW_BIN/$p" --help | sed -n '/^Exit status:/,$p' >"$tmp/$p.help"
	[ -s "$tmp/$p.help" ] || { echo "$p --help: no exit status"; fail=1; }
	cmp -s "$tmp/gongwen.help" "$tmp/$p.help" || { echo "$p --help: another exit status text"; fail=1; }
done
exit $fail
