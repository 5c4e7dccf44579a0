# driver-chain: the one-process driver (gongwen, 1 and 2 jobs), `make`, and the chain of programs run by
# hand give byte-identical out/ files (JSON, XML, errors.jsonl; with --html, which `make` passes by
# default, the HTML pages and index.html) — over corpus/ and, when present,
# ../shared/corpus and the hostile corpus.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/in"
cp corpus/*.txt "$tmp/in/"
[ -n "$GW_SHARED" ] && cp "$GW_SHARED"/corpus/*.txt "$tmp/in/"
[ -d tests/hostile ] && for f in tests/hostile/*; do [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 1000000 ] && cp "$f" "$tmp/in/hostile-$(basename "$f").txt"; done
"$GW_BIN/gw-normalize" --quiet "$tmp"/in/*.txt | "$GW_BIN/gw-segment" --quiet | "$GW_BIN/gw-extract" --quiet |
	"$GW_BIN/gw-emit" --quiet --html --out "$tmp/chain"
"$GW_BIN/gongwen" --quiet --html --jobs 1 --out "$tmp/one" "$tmp/in"
"$GW_BIN/gongwen" --quiet --html --jobs 2 --out "$tmp/two" "$tmp/in"
make -s B="$GW_BIN" CORPUS="$tmp/in" OUT="$tmp/make" all >/dev/null 2>&1
n=$(ls "$tmp/chain" | wc -l)
[ "$n" -gt 2 ] || { echo "the chain wrote only $n files"; exit 1; }
fail=0
for d in one two make; do
	if ! diff -r "$tmp/chain" "$tmp/$d" >"$tmp/diff"; then
		echo "gongwen ($d) differs from the chain:"; head -20 "$tmp/diff"; fail=1
	fi
done
[ $fail = 0 ] && echo "$n files identical across the chain, gongwen --jobs 1, --jobs 2 and make"
exit $fail
