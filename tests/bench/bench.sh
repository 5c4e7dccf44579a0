#!/bin/bash
# bench.sh — speed and memory of gongwen on a replicated corpus of at least 100 MB (make bench).
# Usage: tests/bench/bench.sh BUILD_DIR [MB]
# Reports, for the driver with 1 job and with every core, the chain of programs over JSON Lines, each stage
# alone, the floors (reading and UTF-8-validating the same bytes; writing the bytes the driver wrote, the
# way it writes them, with nothing computed) and the plain Python script it is compared
# with (tests/bench/reference.py): MB/s and documents/s of input, MB of input per CPU-second (user+sys),
# CPU seconds (and of them the system's), peak RSS; the CPU ratio of the Python script to each run; each
# figure the median of BENCH_RUNS runs (default 5, in rounds); plus peak RSS of the driver at
# 1,000 and 10,000 documents (writing files, and its records on stdout), and each program's
# start-up.  After the table, one line sets the goals of issue 14 beside the figures of this run
# they are about (the driver with one job: MB/cpu-s and its CPU against the Python script's).
# Output: a table, then one JSON line per figure (prefix "bench-json: ") so runs can be compared.
set -u
B=$(cd "${1:-build}" && pwd)
want_mb=${2:-100}
root=$(cd "$(dirname "$0")/../.." && pwd)
src="$root/../shared/corpus"
[ -d "$src" ] || src="$root/corpus"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cores=$(nproc)
export GONGWEN_RULES="$root/rules"
# the compiled rules' cache (issue 14) in the bench's own folder: each program's first run
# compiles the rules and writes it, the others read it (start-up: the median of 21 is warm)
export GONGWEN_CACHE=$tmp/cache

# the corpus: hard links of every source document, under new names, until it reaches want_mb
mkdir -p "$tmp/corpus"
one=$(cat "$src"/*.txt | wc -c)
copies=$(( (want_mb * 1000000 + one - 1) / one ))
for ((k = 0; k < copies; k++)); do
	for f in "$src"/*.txt; do ln "$f" "$tmp/corpus/r$(printf %04d $k)_$(basename "$f")"; done
done
ls "$tmp/corpus"/*.txt >"$tmp/list"
bytes=$(cat "$tmp/corpus"/*.txt | wc -c)
docs=$(wc -l <"$tmp/list")
echo "corpus: $docs documents, $bytes bytes (from $src, $copies copies); $cores cores"

tf=$tmp/time
results=()
runs=${BENCH_RUNS:-5}
# add NAME COMMAND…: a run to time.  Every run is timed BENCH_RUNS times (default 5), in rounds: each
# round times each run once, in the order added, so that a slow spell of the host or of the file
# system falls on the runs of one round, not on every repetition of one run.  Each time writes into
# its own output folder ($rep), so that no run pays for deleting the last one's files.  The figure of
# a run is its time of median CPU (user + sys): wall, user and sys seconds and peak RSS.  The system
# time of the runs that create files varies with the file system's state (ext4 passing over the
# inodes freed in the last minutes), hence rounds and the median.
names=() cmds=() times=() wrange=""
add() {
	names+=("$1")
	shift
	cmds+=("$*")
	times+=("")
}

add floor "$B/bench-floor <$tmp/list"
add "driver-1-job" "$B/gongwen --quiet --jobs 1 --out $tmp/o1.\$rep $tmp/corpus"
# the other floor: the bytes the driver wrote, written again the way it writes them (a file with no
# name, one write, linked under its name) with nothing computed: the kernel's share of the driver's CPU; its list
# is made from the driver's first output
add floor-write "$B/bench-floor --write $tmp/o6.\$rep <$tmp/outlist"
add "driver-$cores-jobs" "$B/gongwen --quiet --jobs $cores --out $tmp/o2.\$rep $tmp/corpus"
add "stage-normalize" "xargs -a $tmp/list $B/gw-normalize --quiet >$tmp/n.jsonl"
add "stage-segment" "$B/gw-segment --quiet <$tmp/n.jsonl >$tmp/s.jsonl"
add "stage-extract" "$B/gw-extract --quiet <$tmp/s.jsonl >$tmp/x.jsonl"
add "stage-emit" "$B/gw-emit --quiet --out $tmp/o3.\$rep <$tmp/x.jsonl"
add "python-reference" "python3 $root/tests/bench/reference.py $tmp/o5.\$rep <$tmp/list"
add "chain" "xargs -a $tmp/list $B/gw-normalize --quiet | $B/gw-segment --quiet | $B/gw-extract --quiet | $B/gw-emit --quiet --out $tmp/o4.\$rep"
for ((rep = 1; rep <= runs; rep++)); do
	for ((i = 0; i < ${#names[@]}; i++)); do
		[ "${names[i]}" = floor-write ] && [ ! -e "$tmp/outlist" ] &&
			find "$tmp/o1.1" -name '*.json' -o -name '*.xml' | sort >"$tmp/outlist"
		rep=$rep /usr/bin/time -f "%e %U %S %M" -o "$tf" bash -c "${cmds[i]}" >/dev/null 2>"$tmp/err" ||
			{ echo "${names[i]} failed:"; tail -5 "$tmp/err"; }
		times[i]+="$(cat "$tf")"$'\n'
	done
done
for ((i = 0; i < ${#names[@]}; i++)); do
	results+=("${names[i]} $(printf '%s' "${times[i]}" | awk '{ print $2 + $3, $0 }' | sort -n |
		awk -v m=$(((runs + 1) / 2)) 'NR == m { print $2, $3, $4, $5 }')")
	[ "${names[i]}" = floor-write ] &&
		wrange=$(printf '%s' "${times[i]}" | awk '{ c = $2 + $3; if (NR == 1 || c < lo) lo = c; if (c > hi) hi = c }
			END { printf "%.2f-%.2f", lo, hi }')
done

# the Python script's CPU seconds: each run's "x python" is how many times less CPU it spends
pycpu=$(for r in "${results[@]}"; do set -- $r; [ "$1" = python-reference ] && echo "$3 + $4" | bc -l; done)
printf '%-18s %9s %9s %9s %9s %9s %9s %10s %9s\n' run "MB/s" "docs/s" "MB/cpu-s" "cpu s" "of it sys" "wall s" \
	"peak RSS" "x python"
for r in "${results[@]}"; do
	set -- $r
	awk -v n="$1" -v w="$2" -v u="$3" -v s="$4" -v m="$5" -v b="$bytes" -v d="$docs" -v py="${pycpu:-0}" 'BEGIN {
		if (w < 0.001) w = 0.001
		c = u + s; if (c < 0.001) c = 0.001
		printf "%-18s %9.1f %9.0f %9.1f %9.2f %9.2f %9.2f %8.1f MB %8.2fx\n", n, b / 1e6 / w, d / w, b / 1e6 / c, c, s, w,
			m / 1024, py / c }'
done
# issue 14's goals beside the figures of this run they are about: the driver with one job, in MB of
# input per CPU-second and in how many times less CPU than the Python script on the same files
times_of() { # NAME: the wall, user and sys seconds of that run
	local name=$1 r

	for r in "${results[@]}"; do set -- $r; [ "$1" = "$name" ] && echo "$2 $3 $4"; done
}
read -r w1 u1 s1 <<<"$(times_of driver-1-job)"
read -r wn un sn <<<"$(times_of "driver-$cores-jobs")"
read -r wc uc sc <<<"$(times_of chain)"
read -r ww uw sw <<<"$(times_of floor-write)"
read -r wp up sp <<<"$(times_of python-reference)"
awk -v b="$bytes" -v py="${pycpu:-0}" -v w1="$w1" -v c1="$(echo "$u1 + $s1" | bc -l)" -v wn="$wn" \
    -v wc="$wc" -v cores="$cores" -v cw="$(echo "$uw + $sw" | bc -l)" -v wrange="$wrange" -v runs="$runs" \
    -v u1="$u1" -v up="${up:-0}" 'BEGIN {
	if (c1 < 0.001) c1 = 0.001
	mbc = b / 1e6 / c1; x = py / c1; par = wn > 0 ? w1 / wn : 0; chain = wc > 0 ? b / 1e6 / wc : 0
	own = c1 > cw + 0.001 ? b / 1e6 / (c1 - cw) : 0
	printf "goals (issue 14): driver-1-job %.1f MB/cpu-s (>= 40), %.2fx less CPU than python (>= 5); ", mbc, x
	printf "%d jobs %.2fx 1 job (>= 1.8); chain %.1f MB/s (>= 20)\n", cores, par, chain
	printf "driver-1-job: %.2f CPU s, of which writing its files with nothing computed (floor-write) takes %.2f s", c1, cw
	printf " (%s s over its %d runs); the rest, its own work, is %.1f MB/cpu-s\n", wrange, runs, own
	xu = u1 > 0.001 ? up / u1 : 0
	printf "user time alone (no kernel): driver-1-job %.2f s, python %.2f s: %.2fx less\n", u1, up, xu
	printf "bench-json: {\"run\":\"goals\",\"driver_mb_per_cpu_s\":%.2f,\"driver_x_python\":%.2f,", mbc, x
	printf "\"jobs_speedup\":%.2f,\"chain_mb_per_s\":%.2f,\"driver_own_mb_per_cpu_s\":%.2f,", par, chain, own
	printf "\"driver_x_python_user\":%.2f}\n", xu }'
# start-up: each program over empty input (no document): 21 times, each time /bin/true started the
# same way just before it (the fork and exec that are not the program's), and the median of the
# differences; /bin/true's own median beside
startup() { # COMMAND…: milliseconds more than /bin/true's, and /bin/true's
	local k t0 t1 t2 d=() b=()
	for ((k = 0; k < 21; k++)); do
		t0=${EPOCHREALTIME//[.,]/}
		/bin/true </dev/null >/dev/null 2>&1
		t1=${EPOCHREALTIME//[.,]/}
		"$@" </dev/null >/dev/null 2>&1
		t2=${EPOCHREALTIME//[.,]/}
		b+=($((t1 - t0)))
		d+=($((t2 - t1 - (t1 - t0))))
	done
	echo "$(printf '%s\n' "${d[@]}" | sort -n | sed -n 11p) $(printf '%s\n' "${b[@]}" | sort -n | sed -n 11p)"
}
line="" json="" base=""
for p in gongwen gw-normalize gw-segment gw-extract gw-emit; do
	args=(--quiet)
	case $p in gongwen | gw-emit) args+=(--out "$tmp/o7") ;; esac
	read -r us tus < <(startup "$B/$p" "${args[@]}")
	base+=" $tus"
	ms=$(echo "$us / 1000" | bc -l)
	line+=$(printf ' %s %.1f ms,' "$p" "$ms")
	json+=$(printf ',"%s_ms":%.2f' "$p" "$ms")
done
tms=$(printf '%s\n' $base | sort -n | sed -n 3p)
line="start-up, empty input (median of 21, each less /bin/true's just before it, $(printf %.1f "$(echo "$tms / 1000" | bc -l)") ms):$line"
echo "${line%,} (goal <= 5 ms)"
echo "bench-json: {\"run\":\"startup\",\"true_ms\":$(printf %.2f "$(echo "$tms / 1000" | bc -l)")$json}"
rm -rf "$tmp/o7"
# the timed runs' outputs are deleted only now: on ext4 without a journal each inode made in the
# minutes after a large deletion is checked against the inodes just freed, which would charge the
# 2 inodes a start-up makes with the bench's own deletion of some 40,000 files a 20 MB run
rm -rf "$tmp"/o[1-6].* "$tmp"/*.jsonl
# peak RSS against the number of documents: streaming means it stays flat
for n in 1000 10000; do
	mkdir -p "$tmp/c$n"
	k=0
	while [ $k -lt $n ]; do
		for f in "$src"/*.txt; do
			[ $k -ge $n ] && break
			ln "$f" "$tmp/c$n/d$(printf %05d $k).txt"
			k=$((k + 1))
		done
	done
	nbytes=$(cat "$tmp/c$n"/*.txt | wc -c)
	/usr/bin/time -f "%e %U %S %M" -o "$tf" "$B/gongwen" --quiet --jobs 1 --out "$tmp/o$n" "$tmp/c$n" >/dev/null 2>&1
	read -r wall user sys rss <"$tf"
	printf 'driver, 1 job, %5d documents: peak RSS %.1f MB\n' "$n" "$(echo "$rss / 1024" | bc -l)"
	results+=("rss-$n-docs $wall $user $sys $rss $nbytes $n")
	# the records on stdout (--jsonl), every core: written as they complete, not held to the end
	/usr/bin/time -f "%e %U %S %M" -o "$tf" "$B/gongwen" --quiet --jobs "$cores" --jsonl "$tmp/c$n" >/dev/null 2>&1
	read -r wall user sys rss <"$tf"
	printf 'driver --jsonl, %d jobs, %5d documents: peak RSS %.1f MB\n' "$cores" "$n" "$(echo "$rss / 1024" | bc -l)"
	results+=("rss-jsonl-$n-docs $wall $user $sys $rss $nbytes $n")
	rm -rf "$tmp/c$n" "$tmp/o$n"
done
for r in "${results[@]}"; do
	set -- $r
	# a run over a corpus of its own (rss-*) carries its bytes and documents
	awk -v n="$1" -v w="$2" -v u="$3" -v s="$4" -v m="$5" -v b="${6:-$bytes}" -v d="${7:-$docs}" 'BEGIN {
		if (w < 0.001) w = 0.001
		c = u + s; if (c < 0.001) c = 0.001
		printf "bench-json: {\"run\":\"%s\",\"mb_per_s\":%.2f,\"mb_per_cpu_s\":%.2f,\"docs_per_s\":%.1f,\"cpu_s\":%.2f,\"wall_s\":%.2f,\"peak_rss_kb\":%d}\n", n, b / 1e6 / w, b / 1e6 / c, d / w, u + s, w, m }'
done
