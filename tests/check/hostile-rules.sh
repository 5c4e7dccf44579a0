# hostile-rules: a user's rule with catastrophic backtracking (tests/hostile/backtrack.rules, added to a copy
# of rules/) cannot hang a batch: the document that sets it off (tests/hostile/backtrack.txt) fails with
# rule-limit — the PCRE2 match limit, in gongwen and in the chain — and the sample notice in the same batch
# is still done.  Without the rule the same document is fine.  The same for a quantity rule, one of the
# rules tried at number starts (tilde.txt, made here): the one that goes over is named.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/rules" "$tmp/in"
cp rules/*.rules tests/hostile/backtrack.rules "$tmp/rules/"
cp tests/hostile/backtrack.txt corpus/000_f05e73a007cd9b08.txt "$tmp/in/"
printf '关于印发的通知\n\n共有1%s!个项目。\n' "$(printf '~%.0s' $(seq 40))" >"$tmp/in/tilde.txt"
fail=0
want='{"code":"rule-limit","message":"a rule went over the PCRE2 match or depth limit: rule node.user-backtrack"}'
"$GW_BIN/gw-rules" --rules "$tmp/rules" --quiet check >/dev/null ||
	{ echo "the user's rule does not load or its examples fail"; fail=1; }
"$GW_BIN/gongwen" --quiet --rules "$tmp/rules" --jobs 2 --out "$tmp/out" "$tmp/in" 2>/dev/null
rc=$?
[ $rc = 1 ] || { echo "gongwen exits $rc, not 1"; fail=1; }
grep -qF "\"id\":\"backtrack\"" "$tmp/out/errors.jsonl" && grep -qF "$want" "$tmp/out/errors.jsonl" ||
	{ echo "backtrack.txt is not a rule-limit error record:"; cat "$tmp/out/errors.jsonl"; fail=1; }
grep -qF "\"id\":\"tilde\"" "$tmp/out/errors.jsonl" && grep -qF "${want/node/quantity}" "$tmp/out/errors.jsonl" ||
	{ echo "tilde.txt is not a rule-limit error record naming quantity.user-backtrack:"; cat "$tmp/out/errors.jsonl"; fail=1; }
[ -f "$tmp/out/000_f05e73a007cd9b08.xml" ] && [ ! -f "$tmp/out/backtrack.json" ] && [ ! -f "$tmp/out/tilde.json" ] ||
	{ echo "the batch did not go on past the failed document:"; ls "$tmp/out"; fail=1; }
# the chain: gw-segment fails that record and passes the sample's on
"$GW_BIN/gw-normalize" --quiet "$tmp"/in/*.txt | "$GW_BIN/gw-segment" --quiet --rules "$tmp/rules" >"$tmp/seg.jsonl" 2>/dev/null
rc=${PIPESTATUS[1]}
[ $rc = 1 ] || { echo "gw-segment exits $rc, not 1"; fail=1; }
[ "$(grep -c '"error":' "$tmp/seg.jsonl")" = 1 ] && grep -qF "$want" "$tmp/seg.jsonl" ||
	{ echo "gw-segment does not fail exactly the one document with rule-limit"; fail=1; }
# without the rules the documents are fine
"$GW_BIN/gongwen" --quiet --jobs 1 --out "$tmp/plain" "$tmp/in/backtrack.txt" "$tmp/in/tilde.txt" ||
	{ echo "backtrack.txt or tilde.txt fails even with the shipped rules"; fail=1; }
[ $fail = 0 ] && echo "a catastrophic user rule fails its document with rule-limit; the batch goes on"
exit $fail
