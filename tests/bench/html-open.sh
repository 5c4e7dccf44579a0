#!/bin/bash
# html-open.sh — how long the HTML page (issue 17) of a 300-point plan takes to open in headless
# Chromium (make bench; measured, not asserted).  The plan is made here: 10 parts of 30 numbered points,
# each with a target, a fact and a range.  A wrapper page loads the page in an iframe and, on its load
# event, forces a layout of the whole page and puts the milliseconds since the wrapper started in its
# title; median of 5 runs.  Usage: tests/bench/html-open.sh BUILD_DIR
set -u
B=$(cd "${1:-build}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v chromium >/dev/null || { echo "html-open: chromium is absent: not measured"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/in"
zh=(一 二 三 四 五 六 七 八 九 十)
{
	printf '江州市人民政府办公室文件\n\n江府办发〔2025〕3号\n\n江州市人民政府办公室关于印发《江州市三百项重点工作实施方案》的通知\n\n'
	printf '各区人民政府，市政府各部门：\n\n现将《江州市三百项重点工作实施方案》印发给你们，请认真贯彻执行。\n\n'
	for p in $(seq 0 9); do
		printf '%s、第%s方面重点工作\n\n' "${zh[$p]}" "${zh[$p]}"
		for k in $(seq 1 30); do
			n=$((p * 30 + k))
			printf '%d.重点任务%d。到2025年底，完成改造%d套以上，覆盖率达到%d%%；2024年已完成%d个项目，投资%d-%d亿元。\n\n' \
				$n $n $((n * 10)) $((60 + n % 40)) $((n % 17 + 1)) $((n % 9 + 1)) $((n % 9 + 5))
		done
	done
	printf '江州市人民政府办公室\n2025年1月6日\n'
} >"$tmp/in/plan300.txt"
GONGWEN_RULES=$root/rules "$B/gongwen" --quiet --html --out "$tmp/out" "$tmp/in" || { echo "html-open: gongwen failed"; exit 0; }
cat >"$tmp/out/open.html" <<'HTML'
<!DOCTYPE html><html><head><title>-</title><script>var t0 = performance.now();</script></head>
<body><iframe src="plan300.html" width="1000" height="800" onload="var h = this.contentDocument.body.offsetHeight; document.title = (performance.now() - t0).toFixed(0) + ' ' + h"></iframe></body></html>
HTML
ms=()
for i in 1 2 3 4 5; do
	t=$(timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$tmp/profile" \
		--allow-file-access-from-files --dump-dom "file://$tmp/out/open.html" 2>/dev/null |
		sed -n 's/.*<title>\([0-9]*\) [0-9]*<\/title>.*/\1/p')
	[ -n "$t" ] && ms+=("$t")
done
[ ${#ms[@]} -gt 0 ] || { echo "html-open: chromium gave no time"; exit 0; }
med=$(printf '%s\n' "${ms[@]}" | sort -n | sed -n "$(((${#ms[@]} + 1) / 2))p")
bytes=$(wc -c <"$tmp/out/plan300.html")
marks=$(grep -o 'class="q q-' "$tmp/out/plan300.html" | wc -l)
echo "html-open: a 300-point plan ($bytes bytes, $marks marks) opens in headless Chromium in $med ms (median of ${#ms[@]}: ${ms[*]})"
echo "bench-json: {\"run\":\"html-open-300-points\",\"ms\":$med,\"bytes\":$bytes,\"marks\":$marks}"
