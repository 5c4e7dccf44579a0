#!/bin/sh
# parallel-records.sh — the record shape with GNU parallel: JSON Lines records (make-records.py)
# cut into partitions of SIZE records, each piped through one `gongwen --records --jsonl` task,
# its records and its summary kept in TASKS, then gw-merge into OUT.  Extra arguments go to
# parallel (--sshlogin: the records travel over ssh, no file system is shared).
# Usage: parallel-records.sh OUT TASKS SIZE [parallel options] < records.jsonl
set -eu
out=$1 tasks=$2 size=$3
shift 3
mkdir -p "$tasks"
parallel --halt now,fail=1 --pipe -N "$size" "$@" \
	"gongwen --quiet --jobs 1 --max-failed 100% --records --jsonl --summary $tasks/{#}.summary.json >$tasks/{#}.jsonl"
exec gw-merge --quiet --out "$out" "$tasks"/*.jsonl "$tasks"/*.summary.json
