#!/bin/bash
# archive-bench.sh — the searchable archive: indexing rate (documents/s) into a fresh archive of 10,000 documents
# made by replicating the corpus and realcorpus under new ids, each replica with a source sha256 of its own (so
# that every one is indexed in full, not as a copy of the first), and query CPU time p50/p95/max over 1,000
# full-text queries (and 200 with quantity filters) against it, timed inside one gw-search process
# (--queries --timing); the archive's size against the source text it holds.
# Usage: tests/bench/archive-bench.sh BUILD_DIR [DOCS] [QUERIES]
# Output: a table, then one JSON line per figure (prefix "bench-json: "), as tests/bench/bench.sh prints.
set -u
B=$(cd "${1:-build}" && pwd)
ndocs=${2:-10000}
nq=${3:-1000}
root=$(cd "$(dirname "$0")/../.." && pwd)
src="$root/../shared/corpus"
[ -d "$src" ] || src="$root/corpus"
srcs=("$src"/*.txt)
[ -d "$root/../shared/realcorpus" ] && srcs+=("$root/../shared/realcorpus"/*.txt)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GONGWEN_RULES="$root/rules"

# the records of the corpus, then $ndocs of them under new ids (r00000_…), streamed into one file
"$B/gw-normalize" --quiet "${srcs[@]}" | "$B/gw-segment" --quiet | "$B/gw-extract" --quiet |
	grep -v '"error":{' >"$tmp/one.jsonl"
python3 - "$tmp/one.jsonl" "$ndocs" "$tmp/srcbytes" >"$tmp/all.jsonl" <<'PY'
import hashlib, json, re, sys
pre = '{"schema":"gongwen/1","id":"'
recs = [l for l in open(sys.argv[1], encoding="utf-8") if l.startswith(pre)]
n, k, out, nbytes = int(sys.argv[2]), 0, sys.stdout, 0
while n > 0:
    for l in recs[:n]:
        rid = "r%05d_" % k
        sha = hashlib.sha256((rid + l[len(pre):len(pre) + 40]).encode()).hexdigest()
        out.write(re.sub(r'"sha256":"[0-9a-f]{64}"', '"sha256":"%s"' % sha, pre + rid + l[len(pre):], count=1))
        nbytes += json.loads(l)["source"]["bytes"]
    n -= len(recs)
    k += 1
open(sys.argv[3], "w").write("%d\n" % nbytes)
PY
docs=$(wc -l <"$tmp/all.jsonl")
mb=$(du -m "$tmp/all.jsonl" | cut -f1)
echo "archive: $docs documents ($mb MB of JSON Lines, from $src)"

# 1. indexing
/usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$B/gw-index" --quiet --db "$tmp/a.db" "$tmp/all.jsonl"
read -r wall user sys rss <"$tmp/time"
dbmb=$(du -m "$tmp/a.db" | cut -f1)
srcmb=$(echo "$(cat "$tmp/srcbytes") / 1048576" | bc -l)
# re-indexing the same records: every one is found unchanged
/usr/bin/time -f "%e %U %S %M" -o "$tmp/time2" "$B/gw-index" --quiet --db "$tmp/a.db" "$tmp/all.jsonl"
read -r wall2 user2 sys2 rss2 <"$tmp/time2"

# 2. queries: words and phrases cut from the corpus's sentences (seeded), prefixes, AND/OR pairs
python3 - "$tmp/one.jsonl" "$nq" >"$tmp/queries" <<'PY'
import json, random, re, sys
random.seed(8)
runs = []
for l in open(sys.argv[1], encoding="utf-8"):
    runs += re.findall(r"[\u4e00-\u9fff]{4,}", json.loads(l).get("text", ""))
n = int(sys.argv[2])
for i in range(n):
    r = random.choice(runs)
    k = random.choice((2, 2, 3, 4))
    s = random.randrange(0, len(r) - k + 1)
    w = r[s:s + k]
    kind = i % 10
    if kind == 7:
        w = w[:2] + "*"
    elif kind == 8:
        r2 = random.choice(runs)
        w = w + " " + r2[:2]
    elif kind == 9:
        r2 = random.choice(runs)
        w = w + " OR " + r2[:2]
    print(w)
for w in ("PM2.5", "5G", "保障性租赁住房", "绿化覆盖率", "国内生产总值"):
    print(w)
PY
head -"$nq" "$tmp/queries" >"$tmp/q"
"$B/gw-search" --db "$tmp/a.db" --json --queries "$tmp/q" --timing >/dev/null 2>"$tmp/t1"
head -200 "$tmp/q" >"$tmp/q200"
"$B/gw-search" --db "$tmp/a.db" --json --kind target --min 100 --queries "$tmp/q200" --timing >/dev/null 2>"$tmp/t2"
# the command line as a user runs it: one process per query, the first 100 queries
start=$(date +%s.%N)
head -100 "$tmp/q" | while IFS= read -r q; do "$B/gw-search" --db "$tmp/a.db" --json "$q" >/dev/null; done
cli=$(echo "($(date +%s.%N) - $start) * 1000 / 100" | bc -l)

stats() { # FILE: n p50 p95 mean max hits/query of the "timing: X ms, N hits, Y ms CPU" lines (CPU)
	sed -n 's/^gw-search: timing: [0-9.]* ms, \([0-9-]*\) hits, \([0-9.]*\) ms CPU.*/\2 \1/p' "$1" | sort -n | awk '
		{ t[NR] = $1; s += $1; h += $2 }
		END { p50 = t[int((NR + 1) * 0.50)]; p95 = t[int(NR * 0.95 + 0.5)]
		      printf "%d %.3f %.3f %.3f %.3f %.1f\n", NR, p50, p95, s / NR, t[NR], h / NR }'
}
read -r n1 p50 p95 mean max hits <<<"$(stats "$tmp/t1")"
read -r n2 fp50 fp95 fmean fmax fhits <<<"$(stats "$tmp/t2")"

printf '%-28s %12s\n' measure value
printf '%-28s %12.1f\n' "index docs/s" "$(echo "$docs / $wall" | bc -l)"
printf '%-28s %12.2f\n' "index wall s" "$wall"
printf '%-28s %12.2f\n' "index cpu s" "$(echo "$user + $sys" | bc -l)"
printf '%-28s %9.1f MB\n' "index peak RSS" "$(echo "$rss / 1024" | bc -l)"
printf '%-28s %9d MB\n' "archive size" "$dbmb"
printf '%-28s %9.1f MB\n' "source text" "$srcmb"
printf '%-28s %12.2f\n' "archive / source" "$(echo "$dbmb / $srcmb" | bc -l)"
printf '%-28s %12.1f\n' "re-index (unchanged) docs/s" "$(echo "$docs / $wall2" | bc -l)"
printf '%-28s %12s\n' "queries" "$n1"
printf '%-28s %9.3f ms\n' "query CPU p50" "$p50" "query CPU p95" "$p95" "query CPU mean" "$mean" "query CPU max" "$max"
printf '%-28s %12.1f\n' "hits per query (limit 100)" "$hits"
printf '%-28s %9.3f ms\n' "filtered query CPU p50" "$fp50" "filtered query CPU p95" "$fp95"
printf '%-28s %9.1f ms\n' "gw-search process, mean" "$cli"
echo "bench-json: {\"run\":\"archive-index\",\"docs\":$docs,\"docs_per_s\":$(echo "$docs / $wall" | bc -l | xargs printf %.1f),\"wall_s\":$wall,\"cpu_s\":$(echo "$user + $sys" | bc -l | xargs printf %.2f),\"peak_rss_kb\":$rss,\"db_mb\":$dbmb,\"source_mb\":$(printf %.1f "$srcmb")}"
echo "bench-json: {\"run\":\"archive-reindex-unchanged\",\"docs\":$docs,\"docs_per_s\":$(echo "$docs / $wall2" | bc -l | xargs printf %.1f),\"wall_s\":$wall2,\"peak_rss_kb\":$rss2}"
echo "bench-json: {\"run\":\"archive-query\",\"queries\":$n1,\"cpu\":true,\"p50_ms\":$p50,\"p95_ms\":$p95,\"mean_ms\":$mean,\"max_ms\":$max,\"hits_per_query\":$hits}"
echo "bench-json: {\"run\":\"archive-query-filtered\",\"queries\":$n2,\"cpu\":true,\"p50_ms\":$fp50,\"p95_ms\":$fp95,\"mean_ms\":$fmean,\"max_ms\":$fmax}"
echo "bench-json: {\"run\":\"archive-query-process\",\"queries\":100,\"mean_ms\":$(printf %.1f "$cli")}"
