#!/bin/bash
# normalize-offset-map: for every code point of the normalised text, the offset map gives the
# source bytes of the character it came from (tests/fixtures/normalize/check_map.py) — over the
# whole sample notice in all its encodings, a scraped page, and every ../shared/corpus document
# when that folder is present.
set -u
fx=tests/fixtures/normalize
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
/usr/bin/python3 $fx/make-variants.py corpus/000_f05e73a007cd9b08.txt "$d" || exit 1
docs=(corpus/000_f05e73a007cd9b08.txt "$d"/sample-*.txt tests/golden/normalize/decoration/scraped.txt)
if [ -n "${GW_SHARED:-}" ] && [ -d "$GW_SHARED/corpus" ]; then
	docs+=("$GW_SHARED"/corpus/*.txt)
else
	echo "note: ../shared/corpus is absent: only the sample and its variants are checked"
fi
"$GW_BIN/gw-normalize" --quiet "${docs[@]}" >"$d/out.jsonl"
/usr/bin/python3 $fx/check_map.py <"$d/out.jsonl"
