#!/bin/bash
# front-output (issue 16 items 3, 4, 5, 6, 11): what a user sees of the output folder and the terminal:
# a read-only folder stops the run with one message; the temporaries a killed run left are removed at the
# start; report.pdf failing does not take away report.txt's files; a repeated id names the document it
# repeats, and with several jobs the first in the input is written; on a terminal a warning is never
# glued to the progress line; --update counts what was up to date; gw-index shows a count as it goes.
set -u
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
fail=0
ko() { echo "front-output: $*"; fail=1; }
doc=tests/golden/front/messages/one.txt
mkdir -p "$tmp/in"
for i in 1 2 3 4 5; do cp $doc "$tmp/in/n$i.txt"; done

# 4. a folder the run cannot write in: one message, exit 2 (root writes anywhere: /proc stands in)
ro=$tmp/ro
mkdir "$ro" && chmod 555 "$ro"
[ "$(id -u)" = 0 ] && ro=/proc/self/fdinfo
"$GW_BIN/gongwen" --out "$ro" "$tmp/in" >/dev/null 2>"$tmp/err"
st=$?
[ $st = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "^gongwen: ERROR: cannot write an output file: $ro: cannot write in the output folder: " "$tmp/err" ||
	ko "a read-only output folder: exit $st, says: $(head -3 "$tmp/err")"

# 5. stale temporaries of a killed run are removed at the start, other hidden files stay
mkdir "$tmp/o5" && touch "$tmp/o5/.n1.json.Ab12Cd.tmp" "$tmp/o5/.errors.jsonl.zzzzzz.tmp" "$tmp/o5/.keep"
"$GW_BIN/gongwen" -q --out "$tmp/o5" "$tmp/in/n1.txt" || ko "gongwen into o5 failed"
[ "$(cd "$tmp/o5" && ls -A | tr '\n' ' ')" = ".keep errors.jsonl n1.json n1.xml " ] ||
	ko "after a killed run the folder holds: $(cd "$tmp/o5" && ls -A | tr '\n' ' ')"

# 6. report.pdf fails as a PDF; report.txt's files stay, in either order
mkdir "$tmp/r" && cp $doc "$tmp/r/report.txt" && printf '%%PDF-1.4\n(text)\n' >"$tmp/r/report.pdf"
for order in "report.txt report.pdf" "report.pdf report.txt"; do
	rm -rf "$tmp/o6"
	(cd "$tmp/r" && "$GW_BIN/gongwen" -q -j1 --out "$tmp/o6" $order 2>"$tmp/err")
	[ -s "$tmp/o6/report.json" ] && [ -s "$tmp/o6/report.xml" ] || ko "$order: report.txt's files are gone"
	[ "$(cat "$tmp/err")" = "gongwen: report.pdf: ERROR: not plain text: this is a PDF: extract its text first (for example with pdftotext)" ] ||
		ko "$order says: $(cat "$tmp/err")"
done

# 11. the same file under two folders is a duplicate of the first; another file with the same name
# says --id-from path, which then names them apart
mkdir -p "$tmp/d/a" "$tmp/d/b" && cp $doc "$tmp/d/a/x.txt" && cp $doc "$tmp/d/b/x.txt"
printf '某市通知\n各区：\n一、总则\n' >"$tmp/d/a/y.txt" && printf '某县通知\n各乡：\n一、总则\n' >"$tmp/d/b/y.txt"
(cd "$tmp" && "$GW_BIN/gongwen" -q -j1 -r --out o11 d 2>err)
[ "$(cat "$tmp/err")" = "gongwen: d/b/x.txt: ERROR: a duplicate of d/a/x.txt (the same bytes): its id repeats
gongwen: d/b/y.txt: ERROR: the id repeats that of d/a/y.txt, another file (gongwen --id-from path names each after its path)" ] ||
	ko "repeated ids say: $(cat "$tmp/err")"
(cd "$tmp" && "$GW_BIN/gongwen" -q -r --id-from path --out o11p d) || ko "--id-from path failed"
[ "$(cd "$tmp/o11p" && ls | tr '\n' ' ')" = "d_a_x.json d_a_x.xml d_a_y.json d_a_y.xml d_b_x.json d_b_x.xml d_b_y.json d_b_y.xml errors.jsonl " ] ||
	ko "--id-from path wrote: $(ls "$tmp/o11p" | tr '\n' ' ')"

# 11. with several jobs too, the first of an id in the input is the one written, whatever the
# threads' timing: the first here is the slowest document, the second a line (five runs, four jobs)
mkdir -p "$tmp/e/a" "$tmp/e/b" && cp corpus/000_f05e73a007cd9b08.txt "$tmp/e/a/x.txt"
printf '某县通知\n' >"$tmp/e/b/x.txt"
for run in 1 2 3 4 5; do
	(cd "$tmp" && rm -rf o11j && "$GW_BIN/gongwen" -q -j4 --out o11j e/a e/b 2>err)
	[ "$(cat "$tmp/err")" = "gongwen: e/b/x.txt: ERROR: the id repeats that of e/a/x.txt, another file (gongwen --id-from path names each after its path)" ] &&
		grep -q '"path": "e/a/x.txt"' "$tmp/o11j/x.json" ||
		{ ko "four jobs, run $run: the second of an id was written: $(cat "$tmp/err")"; break; }
done

# 3. --update on an up-to-date folder counts what was up to date
"$GW_BIN/gongwen" -q --out "$tmp/o3" "$tmp/in"
"$GW_BIN/gongwen" --update --out "$tmp/o3" "$tmp/in" 2>"$tmp/err"
sed 's/, [0-9.]* s$/, T s/' "$tmp/err" >"$tmp/err.t"
[ "$(cat "$tmp/err.t")" = "gongwen: 0 documents written, 5 up to date, 0 failed, 0 nodes, 0 quantities, 0 targets, T s" ] ||
	ko "--update on an up-to-date folder says: $(cat "$tmp/err")"

# 3. on a terminal (script(1)): no warning glued to the progress line; gw-index counts as it goes
if command -v script >/dev/null 2>&1; then
	script -qec "$GW_BIN/gongwen -j1 --out $tmp/o3t $tmp/in" /dev/null </dev/null >"$tmp/tty"
	grep -q 'WARNING' "$tmp/tty" || ko "no warning on the terminal"
	grep -q $'failed\033\\[Kgongwen' "$tmp/tty" && ko "a warning is glued to the progress line: $(grep -a WARNING "$tmp/tty" | head -1 | cat -v)"
	line=$(head -1 tests/fixtures/archive/records.jsonl)
	for i in $(seq 1 250); do printf '%s\n' "${line/\"id\":\"/\"id\":\"r$i-}"; done >"$tmp/recs.jsonl"
	script -qec "$GW_BIN/gw-index --db $tmp/x.db $tmp/recs.jsonl" /dev/null </dev/null >"$tmp/tty"
	[ "$(tr '\r' '\n' <"$tmp/tty" | grep -a 'documents' | sed 's/\x1b\[K//g' | tr '\n' '|')" = "gw-index: 100 documents|gw-index: 200 documents|" ] ||
		ko "gw-index on a terminal shows: $(cat -v "$tmp/tty" | head -3)"
fi
exit $fail
