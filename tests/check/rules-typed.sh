#!/bin/bash
# rules-typed: each rule family declares its attributes (rules/README.md, "Attributes"), so a typo
# in a copy of rules/ stops both the loader (gw-segment --rules DIR) and gw-rules check, exit 2,
# with the file:line and the rule's id: an unknown value (region tial, heading inlnie), a misspelt
# key (socpe after, mach …), an unknown attribute, an unknown rule named by requires, a bad
# integer, an attribute given twice and a missing one.  And an example whose capture is wrong
# fails gw-rules check.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '一、总则\n' >"$tmp/in.txt"
"$GW_BIN/gw-normalize" --quiet "$tmp/in.txt" >"$tmp/in.jsonl" || exit 1
fail=0

# plant FILE SED-SCRIPT EXPECTED-MESSAGE: one typo in a fresh copy of rules/; in the message, @ is
# the number of the line the typo is on and @-1 the line before it.
plant() {
	rm -rf "$tmp/rules" && mkdir "$tmp/rules" && cp rules/*.rules "$tmp/rules/"
	sed -i "$2" "$tmp/rules/$1"
	n=$(cmp "rules/$1" "$tmp/rules/$1" | sed -n 's/.* line \([0-9]*\)$/\1/p')
	[ -n "$n" ] || { echo "the typo was not planted: $2"; fail=1; return; }
	for prog in gw-rules gw-segment; do
		if [ $prog = gw-rules ]; then
			"$GW_BIN/gw-rules" --rules "$tmp/rules" check >/dev/null 2>"$tmp/err"
		else
			"$GW_BIN/gw-segment" --rules "$tmp/rules" <"$tmp/in.jsonl" >/dev/null 2>"$tmp/err"
		fi
		rc=$?
		want="$prog: $tmp/rules/$(printf '%s' "$3" | sed "s/@-1/$((n - 1))/g; s/@/$n/g")"
		if [ $rc != 2 ] || [ "$(cat "$tmp/err")" != "$want" ]; then
			echo "$prog exits $rc for '$2' in $1 and says:"; cat "$tmp/err"
			echo "expected exit 2 and:"; echo "$want"
			fail=1
		fi
	done
}

plant normalize.rules '0,/^region tail$/s//region tial/' \
	'normalize.rules:@:1: ERROR: rule attribute value not allowed: rule chrome.page-end: region tial (did you mean tail?)'
plant structure.rules '0,/^heading inline$/s//heading inlnie/' \
	'structure.rules:@:1: ERROR: rule attribute value not allowed: rule node.outline: heading inlnie (did you mean inline?)'
plant kind.rules '/^rule kind.from$/,/^$/s/^scope after$/socpe after/' \
	'kind.rules:@:1: ERROR: misspelt rule key: rule kind.from: socpe (did you mean scope?)'
plant structure.rules '0,/^match 01综合 /s//mach 01综合 /' \
	'structure.rules:@:1: ERROR: misspelt rule key: rule node.bare: mach (did you mean match?)'
plant structure.rules '0,/^series yes$/s//colour yes/' \
	'structure.rules:@:1: ERROR: unknown rule attribute: rule node.bare: colour (this rule takes: options kind heading heading-max series outline-top ordinal-base)'
plant kind.rules '0,/^requires kind.money-unit$/s//requires kind.mony-unit/' \
	'kind.rules:@:1: ERROR: rule attribute value not allowed: rule kind.per-head: requires kind.mony-unit (not the id of a kind.* rule)'
plant structure.rules '0,/^heading-max 40$/s//heading-max 4O/' \
	'structure.rules:@:1: ERROR: rule attribute value not allowed: rule node.outline: heading-max 4O (an integer in 1..1000)'
plant structure.rules '0,/^heading line$/s//heading line\nheading inline/' \
	'structure.rules:@:1: ERROR: rule attribute value not allowed: rule node.part: heading given twice (first on line @-1)'
plant structure.rules '0,/^kind part$/s///' \
	'structure.rules:@-1:1: ERROR: rule attribute missing: rule node.part: kind'
# an example that asserts a wrong capture fails gw-rules check (exit 1), with its file:line
rm -rf "$tmp/rules" && mkdir "$tmp/rules" && cp rules/*.rules "$tmp/rules/"
sed -i 's/^match 1325套 => num=1325 unit=套$/match 1325套 => num=1325 unit=件/' "$tmp/rules/quantity.rules"
"$GW_BIN/gw-rules" --rules "$tmp/rules" --quiet check >"$tmp/out" 2>&1
rc=$?
n=$(grep -n '^match 1325套 => ' rules/quantity.rules | cut -d: -f1)
want="$tmp/rules/quantity.rules:$n: rule quantity.amount: unit captures \"套\", not \"件\""
[ $rc = 1 ] && [ "$(cat "$tmp/out")" = "$want" ] ||
	{ echo "a wrong capture: gw-rules exits $rc and says:"; cat "$tmp/out"; echo "expected: $want"; fail=1; }
[ $fail = 0 ] && echo "a planted typo stops gw-rules check and the loader with its file:line and rule"
exit $fail
