# hostile-stream: JSON Lines streams that break the record format, through every program that reads
# records (gw-segment, gw-extract, gw-emit): a last line cut in the middle of a character, records whose
# fields have the wrong types, nodes nested past the limit and JSON nested 5,000 deep.  Each program
# exits 1, gives one record per input line (the good ones done, each bad one an error record with the
# code and message tests/hostile/expected-stream says), and gw-emit's files validate.  A record with
# 600,000 members gives what it gives without them, in one pass.
set -u
py=/usr/bin/python3
[ -x $py ] || { echo "skipped: /usr/bin/python3 is absent"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for f in truncated wrong-types nesting; do
	in=tests/hostile/$f.jsonl
	for p in gw-segment gw-extract; do
		"$GW_BIN/$p" --quiet "$in" >"$tmp/$f.$p.jsonl" 2>"$tmp/$f.$p.err"
		rc=$?
		[ $rc = 1 ] || { echo "$p exits $rc on $in, not 1"; fail=1; }
		$py - "$f" "$tmp/$f.$p.jsonl" >>"$tmp/$p.summary" <<'PY' || fail=1
import json, sys
for n, line in enumerate(open(sys.argv[2], encoding="utf-8"), 1):
    r = json.loads(line)
    e = r.get("error")
    print("%s:%d %s %s" % (sys.argv[1], n, r["id"], "%s: %s" % (e["code"], e["message"]) if e else "ok"))
PY
	done
	"$GW_BIN/gw-emit" --quiet --out "$tmp/emit-$f" "$in" 2>/dev/null
	rc=$?
	[ $rc = 1 ] || { echo "gw-emit exits $rc on $in, not 1"; fail=1; }
	echo "== $f" >>"$tmp/emit.summary"
	$py tests/hostile/summary.py "$tmp/emit-$f" >>"$tmp/emit.summary"
done
for p in gw-segment gw-extract; do
	if ! diff -u tests/hostile/expected-stream "$tmp/$p.summary"; then
		echo "$p does not end the streams as tests/hostile/expected-stream says"
		fail=1
	fi
done
if ! diff -u tests/hostile/expected-emit "$tmp/emit.summary"; then
	echo "gw-emit does not write the files tests/hostile/expected-emit says"
	fail=1
fi
# A record with 600,000 members nobody asked for (made here: 15 MB) is read in one pass like any
# other and gives the same outputs as the record without them.  Its keys were once each compared
# with every key before it (40 s for 200,000, ten times that for these); the timeout is a hang
# guard, not a speed test (the run takes about a second).
head -n 1 tests/hostile/truncated.jsonl >"$tmp/plain.jsonl"
$py - "$tmp/plain.jsonl" >"$tmp/members.jsonl" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1], encoding="utf-8").read())
r.update(("member%d" % i, i) for i in range(600000))
print(json.dumps(r, ensure_ascii=False))
PY
for p in gw-segment gw-extract; do
	timeout 120 "$GW_BIN/$p" --quiet "$tmp/members.jsonl" >"$tmp/members.$p" 2>&1 ||
		{ echo "$p: a record of 600,000 members: exit $? (124: over the hang guard)"; fail=1; }
	"$GW_BIN/$p" --quiet "$tmp/plain.jsonl" >"$tmp/plain.$p" 2>&1
	cmp -s "$tmp/members.$p" "$tmp/plain.$p" ||
		{ echo "$p: a record of 600,000 members does not give what the record without them gives"; fail=1; }
done
timeout 120 "$GW_BIN/gw-emit" --quiet --out "$tmp/members-out" "$tmp/members.jsonl" ||
	{ echo "gw-emit: a record of 600,000 members: exit $?"; fail=1; }
"$GW_BIN/gw-emit" --quiet --out "$tmp/plain-out" "$tmp/plain.jsonl"
diff -r "$tmp/members-out" "$tmp/plain-out" >/dev/null ||
	{ echo "gw-emit: a record of 600,000 members does not give the files of the record without them"; fail=1; }
$py tests/check/emit_check.py schema schema/gongwen-1.schema.json "$tmp"/emit-* || fail=1
$py tests/check/emit_check.py eids "$tmp"/emit-* || fail=1
if command -v xmllint >/dev/null; then
	xmllint --noout "$tmp"/emit-*/*.xml || fail=1
	xsd=${GW_SHARED:+$GW_SHARED/akn/akomantoso30.xsd}
	if [ -n "$xsd" ] && [ -f "$xsd" ]; then
		xmllint --noout --schema "$xsd" "$tmp"/emit-*/*.xml 2>"$tmp/xsd" ||
			{ grep -v ' validates$' "$tmp/xsd" | head -20; fail=1; }
	fi
fi
exit $fail
