#!/bin/sh
# parallel-map.sh — the map shape with GNU parallel: the file list cut into tasks of SIZE
# documents, each task one gongwen process writing its own folder TASKS/N (with its summary),
# then gw-merge into OUT.  Extra arguments go to parallel (--sshlogin host1,host2 and a shared
# file system spread the tasks over machines).
# Usage: parallel-map.sh OUT TASKS SIZE [parallel options] < file-list
set -eu
out=$1 tasks=$2 size=$3
shift 3
mkdir -p "$tasks"
# a task exits 0 however many of its documents fail (--max-failed 100%): the failures are in
# its errors.jsonl, and the merge applies the run's policy
parallel --halt now,fail=1 -N "$size" "$@" \
	gongwen --quiet --jobs 1 --max-failed 100% --out "$tasks/{#}" --summary "$tasks/{#}/summary.json" {}
exec gw-merge --quiet --out "$out" "$tasks"/*
