#!/bin/bash
# cli-options: every program reads its options through one table: --help and --version, an
# unknown option is one message, one hint line and exit status 2, --opt=value is --opt value; the
# flags --help lists are those the man page lists, and every man page's SEE ALSO names the others.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ko() { echo "cli-options: $*"; fail=1; }
for p in gongwen gw-normalize gw-segment gw-extract gw-emit gw-rules gw-index gw-search; do
	"$GW_BIN/$p" --help | head -1 | grep -q "^usage: $p " || ko "$p --help prints no usage"
	[ "$("$GW_BIN/$p" --version)" = "$p (gongwen) $("$GW_BIN/gongwen" --version | sed 's/.* //')" ] || ko "$p --version"
	"$GW_BIN/$p" --bogus </dev/null >/dev/null 2>"$tmp/err"
	st=$?
	[ $st = 2 ] || ko "$p --bogus: exit status $st, not 2"
	[ "$(cat "$tmp/err")" = "$p: ERROR: unknown option: --bogus
Try '$p --help'." ] || ko "$p --bogus says: $(cat "$tmp/err")"
	# the flags of --help (its option lines) and of the man page (.It Fl lines), sorted
	"$GW_BIN/$p" --help | grep -E '^  -' | sed -E 's/^  (([^ ]| [^ ])*)  .*/\1/' |
		grep -oE '(^|[ ,])--?[a-z0-9][a-z0-9-]*' |
		tr -d ' ,' | sort -u >"$tmp/help.flags"
	grep -E '^\.It .*Fl ' "man/$p.1" | grep -oE 'Fl -?[a-z0-9][a-z0-9-]*' | sed 's/^Fl /-/' |
		sort -u >"$tmp/man.flags"
	diff "$tmp/help.flags" "$tmp/man.flags" >"$tmp/flags.diff" ||
		ko "$p: --help (<) and man/$p.1 (>) list other flags: $(grep '^[<>]' "$tmp/flags.diff" | tr '\n' ' ')"
	for q in gongwen gw-normalize gw-segment gw-extract gw-emit gw-rules gw-index gw-search; do
		[ $q = $p ] || sed -n '/^\.Sh SEE ALSO/,/^\.Sh [^S]/p' "man/$p.1" | grep -q "^\.Xr $q 1" ||
			ko "man/$p.1: SEE ALSO does not name $q"
	done
done
# what a usage error leaves on stderr: the message and one hint, not the whole usage
"$GW_BIN/gw-search" --db x --from 2022-02-30 y 2>"$tmp/err"
[ $? = 2 ] && [ "$(cat "$tmp/err")" = "gw-search: ERROR: bad option value: --from takes YYYY, YYYY-MM or YYYY-MM-DD, not '2022-02-30'
Try 'gw-search --help'." ] || ko "--from 2022-02-30 says: $(cat "$tmp/err")"
rec='{"schema":"gongwen/1","id":"a","text":"某市关于某事的通知\n各区政府：\n一、总则\n"}'
printf '%s\n' "$rec" >"$tmp/in.jsonl"
a=$("$GW_BIN/gw-segment" --rules "$GONGWEN_RULES" "$tmp/in.jsonl")
b=$("$GW_BIN/gw-segment" "$tmp/in.jsonl" --rules="$GONGWEN_RULES")
[ -n "$a" ] && [ "$a" = "$b" ] || ko "--rules=DIR after the operand is not --rules DIR"
"$GW_BIN/gw-segment" --rules </dev/null 2>"$tmp/err"
[ $? = 2 ] && [ "$(head -1 "$tmp/err")" = "gw-segment: ERROR: bad option value: --rules needs a value" ] ||
	ko "--rules without a value says: $(cat "$tmp/err")"
"$GW_BIN/gongwen" --jobs=0 </dev/null 2>"$tmp/err"
[ $? = 2 ] && [ "$(head -1 "$tmp/err")" = "gongwen: ERROR: bad option value: --jobs takes a number from 1 to 256, not '0'" ] ||
	ko "--jobs=0 says: $(cat "$tmp/err")"
exit $fail
