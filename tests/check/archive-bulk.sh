#!/bin/bash
# archive-bulk.sh — the _bulk file gw-index --bulk writes is well-formed against schema/opensearch-mapping.json:
# for the fixture documents, the sample notice and (when ../shared/corpus is there) the whole corpus; and the
# checker itself catches a field the mapping does not have, a wrong type and an impossible date.  The mapping
# needs no plugin, and the bulk file holds no absolute path.
set -u
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
export GONGWEN_RULES=${GONGWEN_RULES:-$PWD/rules}
map=schema/opensearch-mapping.json
check=tests/check/archive_bulk_check.py
fail=0

"$GW_BIN/gw-index" --quiet --bulk "$t/fx.ndjson" tests/fixtures/archive/records.jsonl || fail=1
python3 $check $map "$t/fx.ndjson" || fail=1
[ "$(wc -l <"$t/fx.ndjson")" -eq 6 ] || { echo "fixtures: $(wc -l <"$t/fx.ndjson") lines, not 6"; fail=1; }

"$GW_BIN/gw-normalize" corpus/000_f05e73a007cd9b08.txt | "$GW_BIN/gw-segment" | "$GW_BIN/gw-extract" |
	"$GW_BIN/gw-index" --quiet --bulk - --index archive >"$t/sample.ndjson" || fail=1
python3 $check $map "$t/sample.ndjson" archive || fail=1

if [ -n "${GW_SHARED:-}" ] && [ -d "$GW_SHARED/corpus" ]; then
	"$GW_BIN/gongwen" --quiet --out "$t/out" "$GW_SHARED/corpus" >/dev/null 2>&1
	"$GW_BIN/gw-index" --quiet --bulk "$t/corpus.ndjson" "$t/out"
	python3 $check $map "$t/corpus.ndjson" || fail=1
	n=$(ls "$t/out"/*.json | wc -l)
	[ "$(wc -l <"$t/corpus.ndjson")" -eq $((2 * n)) ] || { echo "corpus: not 2 lines for each of $n documents"; fail=1; }
fi

# a stock cluster: every tokenizer and filter the mapping names is built into OpenSearch/Elasticsearch (no
# analysis-smartcn or IK plugin); and no absolute path of the indexing machine goes into the bulk file
python3 - $map <<'PY' || fail=1
import json, sys
builtin = {"standard", "whitespace", "keyword", "letter", "lowercase", "cjk_width", "cjk_bigram", "icu_tokenizer"}
an = json.load(open(sys.argv[1]))["settings"]["analysis"]["analyzer"]
for name, a in an.items():
    for part in [a.get("tokenizer")] + a.get("filter", []):
        if part not in builtin - {"icu_tokenizer"}:
            sys.exit("analyzer %s needs a plugin: %s" % (name, part))
PY
sed -n 1p tests/fixtures/archive/records.jsonl |
	sed 's|"path":"tests/fixtures/archive/a01-zhufang-2022.txt"|"path":"/home/clerk/inbox/a01.txt"|' |
	"$GW_BIN/gw-index" --quiet --bulk - | sed -n 2p | python3 -c '
import json, sys
p = json.load(sys.stdin)["source_path"]
sys.exit(0 if p == "a01.txt" else "an absolute source path went into the bulk file: %s" % p)' || fail=1

# the checker must catch what it is there to catch
head -2 "$t/fx.ndjson" | python3 -c '
import json, sys
a, d = sys.stdin.readline(), json.loads(sys.stdin.readline())
d["extra"] = 1; d["date"] = "2023-02-30"; d["nodes"][0]["part"] = "1"; del d["issuer"]
sys.stdout.write(a + json.dumps(d, ensure_ascii=False) + "\n")' >"$t/bad.ndjson"
out=$(python3 $check $map "$t/bad.ndjson") && { echo "the checker passed a broken file"; fail=1; }
for want in "field 'extra' is not in the mapping" "'2023-02-30' is not a date" "integer field holds '1'" \
	"mapped field 'issuer' is missing"; do
	grep -qF "$want" <<<"$out" || { echo "the checker did not say: $want"; echo "$out"; fail=1; }
done
exit $fail
