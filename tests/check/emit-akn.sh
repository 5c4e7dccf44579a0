#!/bin/bash
# emit-akn.sh — every XML file gw-emit writes in the test suite validates against the Akoma Ntoso
# 3.0 schema (../shared/akn/akomantoso30.xsd, with libxml2's xmllint), has unique eIds whose
# references resolve, and holds the record's text, every character once; hostile text (control characters, noncharacters, U+FFFD, and lone
# surrogates in UTF-16 input when gw-normalize is built) still gives valid XML.
set -u
xsd=${GW_SHARED:+$GW_SHARED/akn/akomantoso30.xsd}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dirs=()
for input in tests/golden/emit/*/input.jsonl; do
	case=$(basename "$(dirname "$input")")
	"$GW_BIN/gw-emit" --quiet --out "$tmp/$case" "$input" 2>/dev/null
	[ $? -le 1 ] || { echo "gw-emit fails on $input"; exit 1; }
	dirs+=("$tmp/$case")
done
grep -q 'sec_1__qty_1' "$tmp/hostile/hostile.xml" || { echo "the hostile case lost its quantity"; exit 1; }
# the hand-run chain over the stages that are built (gw-emit reads a record from any stage)
chain() {
	if [ -x "$GW_BIN/gw-segment" ] && [ -x "$GW_BIN/gw-extract" ]; then
		"$GW_BIN/gw-normalize" "$@" 2>/dev/null | "$GW_BIN/gw-segment" 2>/dev/null |
			"$GW_BIN/gw-extract" 2>"$tmp/extract.err"
	else
		echo "note: gw-segment or gw-extract is not built: gw-normalize's records go to gw-emit as they are" >&2
		"$GW_BIN/gw-normalize" "$@" 2>/dev/null
	fi
}
if [ -x "$GW_BIN/gw-normalize" ] && command -v iconv >/dev/null; then
	mkdir -p "$tmp/in" "$tmp/chain"
	cp corpus/*.txt "$tmp/in/"
	# UTF-16LE with a BOM, a lone high surrogate, a lone low one, U+FFFE and a C0 control
	u16() { printf '%s' "$1" | iconv -f UTF-8 -t UTF-16LE; }
	{ printf '\xff\xfe'; u16 '测试市人民政府关于测试工作的通知'; printf '\n\x00\n\x00'; u16 '一、总体要求'
	  printf '\x00\xd8'; u16 '孤立的高位代理'; printf '\x00\xdc'; u16 '孤立的低位代理，完成100个项目。'
	  printf '\xfe\xff\x01\x00\n\x00'; } >"$tmp/in/utf16-surrogates.txt"
	printf 'A\x01B\x1b[0m\xef\xbf\xbe\xef\xb7\x90\xc2\x85\xc2\x80\xef\xbf\xbd <p>&amp; ]]>\n\xe4\xb8\x80\xe3\x80\x81\xe6\xb5\x8b\n' \
		>"$tmp/in/controls.txt"
	chain "$tmp"/in/*.txt 2>&1 >"$tmp/stream.jsonl" | grep '^note' >&2
	"$GW_BIN/gw-emit" --quiet --out "$tmp/chain" "$tmp/stream.jsonl" 2>/dev/null
	[ -f "$tmp/chain/utf16-surrogates.xml" ] && [ -f "$tmp/chain/controls.xml" ] ||
		{ echo "no XML for the UTF-16 file with lone surrogates or the file of controls:" \
			"$(cat "$tmp/chain/errors.jsonl" "$tmp/extract.err" 2>/dev/null | head -5)"; exit 1; }
	dirs+=("$tmp/chain")
else
	echo "note: gw-normalize or iconv is absent: UTF-16 surrogates not checked"
fi
status=0
if [ -x /usr/bin/python3 ]; then
	/usr/bin/python3 tests/check/emit_check.py eids "${dirs[@]}" || status=1
	# the real chain's spans are all in the text: the XML holds every character of it exactly once
	[ -d "$tmp/chain" ] && { /usr/bin/python3 tests/check/emit_check.py text "$tmp/chain" "$tmp/notice" || status=1; }
else
	echo "note: /usr/bin/python3 is absent: eId uniqueness not checked"
fi
if [ -z "$xsd" ] || [ ! -f "$xsd" ]; then
	echo "skipped: ../shared/akn/akomantoso30.xsd is absent, so the XML is not validated"
	[ $status = 0 ] && exit 77
	exit $status
fi
if ! command -v xmllint >/dev/null; then
	echo "skipped: xmllint (libxml2-utils) is absent, so the XML is not validated"
	[ $status = 0 ] && exit 77
	exit $status
fi
files=()
for d in "${dirs[@]}"; do files+=("$d"/*.xml); done
if ! xmllint --noout --schema "$xsd" "${files[@]}" >"$tmp/xsd.out" 2>&1; then
	grep -v ' validates$' "$tmp/xsd.out" | head -30
	status=1
fi
echo "akn: ${#files[@]} XML files checked against $(basename "$xsd")"
exit $status
