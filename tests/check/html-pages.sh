#!/bin/bash
# html-pages.sh — the HTML pages (issue 17) of the sample corpus/, of every ../shared/corpus document and
# of the hostile inputs (tests/hostile/*.txt and the big cases of its generate.py through gongwen --html,
# *.jsonl streams through gw-emit --html) are valid HTML5 (html5lib, strict: no parse error; unique
# ids) and lint clean (tidy),
# with exactly one mark per quantity, of its kind, each target linking to its row; a document holding
# <script> and </textarea> shows them as text; index.html lists every document, also after an
# incremental run; without --html no page is written.
set -u
py=/usr/bin/python3
[ -x $py ] && $py -c 'import html5lib' 2>/dev/null || { echo "skipped: /usr/bin/python3 with python3-html5lib is absent"; exit 77; }
command -v tidy >/dev/null || { echo "skipped: tidy is absent"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # DIR: every page valid, every mark in place
	$py tests/check/html_check.py valid "$1"/index.html || fail=1
	$py tests/check/html_check.py marks "$1" || fail=1
	for f in "$1"/*.html; do
		tidy -q -e "$f" >"$tmp/tidy" 2>&1 || { echo "$f: tidy:"; head -5 "$tmp/tidy"; fail=1; }
	done
}
# 1. the sample corpus, and a notice made to break out of the text
cp -r corpus "$tmp/in"
printf '%s\n' '关于<script>document.title="PWNED"</script>的通知' '' \
	'一、目标</textarea><img src=x onerror="document.title=1">达到95%以上，"引号"&amp;' >"$tmp/in/990-script.txt"
"$GW_BIN/gongwen" --quiet --html --out "$tmp/out" "$tmp/in" || { echo "gongwen --html exits $?"; exit 1; }
check "$tmp/out"
grep -qF '关于&lt;script&gt;document.title="PWNED"&lt;/script&gt;的通知' "$tmp/out/990-script.html" &&
	grep -qF '&lt;/textarea&gt;&lt;img src=x onerror="document.title=1"&gt;' "$tmp/out/990-script.html" ||
	{ echo "990-script.html does not show the document's markup as text"; fail=1; }
[ "$(grep -c '<script' "$tmp/out/990-script.html")" = 1 ] || { echo "990-script.html has a script besides the page's own"; fail=1; }
# 2. index.html: one row per document, kept complete by an incremental run that writes one page
n=$(ls "$tmp/in"/*.txt | wc -l)
rows() { grep -c '^<tr><td><a href=' "$tmp/out/index.html"; }
[ "$(rows)" = "$n" ] || { echo "index.html has $(rows) rows, not $n"; fail=1; }
touch "$tmp/in/990-script.txt"
"$GW_BIN/gongwen" --update --html --out "$tmp/out" "$tmp/in" 2>"$tmp/err" || { echo "gongwen --update exits $?"; fail=1; }
grep -q ' 1 document written' "$tmp/err" || { echo "--update --html did not write just the touched document: $(cat "$tmp/err")"; fail=1; }
[ "$(rows)" = "$n" ] || { echo "after --update index.html has $(rows) rows, not $n"; fail=1; }
grep -qF '<a href="990-script.html">关于&lt;script&gt;' "$tmp/out/index.html" || { echo "index.html misses 990-script"; fail=1; }
# 3. without --html, no page
"$GW_BIN/gongwen" --quiet --out "$tmp/plain" corpus/ && ! ls "$tmp/plain"/*.html >/dev/null 2>&1 ||
	{ echo "gongwen without --html wrote pages"; fail=1; }
# 4. the hostile inputs: files through gongwen (with the big cases generate.py makes, at and over every
# limit: 20,000 units, 50,000 quantities …; not the 50 MB line, too slow for html5lib), record streams
# through gw-emit
mkdir -p "$tmp/big"
$py tests/hostile/generate.py "$tmp/big" && rm -f "$tmp/big/line-50mb.txt" || fail=1
"$GW_BIN/gongwen" --quiet --html --out "$tmp/hostile" tests/hostile/*.txt "$tmp/big" 2>/dev/null
cat tests/hostile/*.jsonl | "$GW_BIN/gw-emit" --quiet --html --out "$tmp/hostile" 2>/dev/null
check "$tmp/hostile"
# 5. every document of ../shared/corpus
if [ -n "$GW_SHARED" ] && [ -d "$GW_SHARED/corpus" ]; then
	"$GW_BIN/gongwen" --quiet --html --out "$tmp/shared" "$GW_SHARED/corpus" 2>/dev/null
	[ "$(ls "$tmp/shared"/*.html | wc -l)" -gt 1 ] || { echo "no pages for ../shared/corpus"; fail=1; }
	check "$tmp/shared"
else
	echo "note: ../shared/corpus is absent: its pages are not checked"
fi
exit $fail
