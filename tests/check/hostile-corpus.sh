# hostile-corpus: the hostile corpus (tests/hostile/README.md) in one gongwen batch with the sample notice:
# every document ends exactly as tests/hostile/expected says (outputs, or an error record with its code and
# message), the sample's files are byte for byte those of a run on it alone, and every output is checked:
# JSON against schema/gongwen-1.schema.json, XML well-formed (and valid against the Akoma Ntoso schema
# when ../shared/akn is there), eIds unique, the XML holding the record's text.  The big cases (a million
# lines, a 50 MB line, over every limit and at most of them) are made here by tests/hostile/generate.py.
set -u
py=/usr/bin/python3
[ -x $py ] || { echo "skipped: /usr/bin/python3 is absent"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sample=000_f05e73a007cd9b08
mkdir -p "$tmp/in" "$tmp/alone"
cp tests/hostile/*.txt "corpus/$sample.txt" "$tmp/in/"
$py tests/hostile/generate.py "$tmp/in" || exit 1
"$GW_BIN/gongwen" --quiet --jobs 2 --out "$tmp/out" "$tmp/in" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] || { echo "gongwen exits $rc, not 1 (some documents fail, none crashes):"; tail -5 "$tmp/err"; exit 1; }
fail=0
# 1. each document's outcome, exactly
$py tests/hostile/summary.py "$tmp/out" | grep -v "^$sample " >"$tmp/summary" || exit 1
if ! diff -u tests/hostile/expected "$tmp/summary"; then
	echo "the hostile corpus does not end as tests/hostile/expected says"
	fail=1
fi
# 2. the batch does not touch the other documents: the sample alone gives the same bytes
"$GW_BIN/gongwen" --quiet --jobs 1 --out "$tmp/alone" "$tmp/in/$sample.txt" || exit 1
for ext in json xml; do
	cmp -s "$tmp/alone/$sample.$ext" "$tmp/out/$sample.$ext" ||
		{ echo "the sample's $ext differs when it runs among the hostile documents"; fail=1; }
done
# 3. every output parses and validates
$py tests/check/emit_check.py schema schema/gongwen-1.schema.json "$tmp/out" || fail=1
$py tests/check/emit_check.py eids "$tmp/out" || fail=1
$py tests/check/emit_check.py text "$tmp/out" || fail=1
if command -v xmllint >/dev/null; then
	# --huge: libxml2 refuses a text node over 10 MB without it (the 50 MB line; docs/limits.md)
	xmllint --noout --huge "$tmp"/out/*.xml || { echo "an XML file is not well-formed"; fail=1; }
	xsd=${GW_SHARED:+$GW_SHARED/akn/akomantoso30.xsd}
	if [ -n "$xsd" ] && [ -f "$xsd" ]; then
		xmllint --noout --huge --schema "$xsd" "$tmp"/out/*.xml 2>"$tmp/xsd" ||
			{ grep -v ' validates$' "$tmp/xsd" | head -20; fail=1; }
	else
		echo "note: ../shared/akn/akomantoso30.xsd is absent: the XML is checked well-formed, not valid"
	fi
else
	echo "note: xmllint is absent: the XML is parsed by Python only"
fi
[ $fail = 0 ] && echo "hostile corpus: $(wc -l <"$tmp/summary") documents as expected, every output valid"
exit $fail
