#!/bin/bash
# html-browser.sh — the HTML pages (issue 17) in headless Chromium: in the rendered DOM of the sample
# notice and of two long documents, the marks of each kind are as many as the JSON's quantities of that
# kind; a document holding <script> and an <img onerror> shows them as text and runs none (the page's
# own script did run: the browser runs scripts); a screenshot of the sample notice is saved as
# BUILD/tests/html/000_f05e73a007cd9b08.png.
set -u
py=/usr/bin/python3
command -v chromium >/dev/null || { echo "skipped: chromium is absent (tools/deps.sh test installs it)"; exit 77; }
[ -x $py ] && $py -c 'import html5lib' 2>/dev/null || { echo "skipped: /usr/bin/python3 with python3-html5lib is absent"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shots=$GW_BIN/tests/html
mkdir -p "$tmp/in" "$shots"
sample=000_f05e73a007cd9b08
cp corpus/$sample.txt corpus/103_*.txt corpus/104_*.txt "$tmp/in/"
printf '%s\n' '关于<script>document.title="PWNED"</script>的通知' '' \
	'一、目标</textarea><img src=x onerror="document.title=&quot;PWNED&quot;">达到95%以上' >"$tmp/in/990-script.txt"
"$GW_BIN/gongwen" --quiet --html --out "$tmp/out" "$tmp/in" || { echo "gongwen --html exits $?"; exit 1; }
# as root Chromium needs --no-sandbox; its own profile keeps it from the user's
browse() { timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$tmp/profile" \
	--virtual-time-budget=2000 "$@" 2>>"$tmp/chromium.err"; }
fail=0
for page in "$tmp"/out/*.html; do
	id=$(basename "$page" .html)
	[ "$id" = index ] && continue
	browse --dump-dom "file://$page" >"$tmp/$id.dom"
	[ -s "$tmp/$id.dom" ] || { echo "$id: chromium gave no DOM: $(tail -3 "$tmp/chromium.err")"; fail=1; continue; }
	grep -q '<html lang="zh-CN" class="js">' "$tmp/$id.dom" || { echo "$id: the page's own script did not run"; fail=1; }
done
$py tests/check/html_check.py counts "$tmp/out" "$tmp"/*.dom || fail=1
dom=$tmp/990-script.dom
title=$(grep -o '<title>[^<]*</title>' "$dom")
[ "$title" = '<title>关于&lt;script&gt;document.title="PWNED"&lt;/script&gt;的通知</title>' ] ||
	{ echo "a script of the document ran: the title is now $title"; fail=1; }
grep -qF '&lt;img src=x onerror=' "$dom" || { echo "the <img> of the document is not shown as text"; fail=1; }
[ "$(grep -c '<img' "$dom")" = 0 ] || { echo "the <img> of the document became an element"; fail=1; }
[ "$(grep -o '<script' "$dom" | wc -l)" = 1 ] || { echo "a <script> of the document became an element"; fail=1; }
browse --hide-scrollbars --window-size=1000,2400 --screenshot="$shots/$sample.png" "file://$tmp/out/$sample.html" >/dev/null
[ "$(head -c 8 "$shots/$sample.png" 2>/dev/null | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] ||
	{ echo "no PNG screenshot of the sample"; fail=1; }
echo "screenshot: $shots/$sample.png"
exit $fail
