#!/bin/bash
# scale-out-slurm (issue 18): contrib/scale-out/slurm-array.sh on the Slurm cluster this machine
# belongs to — a job array of gongwen tasks, then the merge job (afterok) — gives the folder one
# gongwen run gives, errors.jsonl included.  Skipped where no Slurm controller answers (slurm-wlm
# not installed, or slurmctld and slurmd not running: a one-node cluster needs munge and root).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v sbatch >/dev/null && timeout 10 sinfo -h >/dev/null 2>&1 ||
	{ echo "no Slurm controller answers here (slurm-wlm with slurmctld and slurmd running is needed)"; exit 77; }
tmp=$(mktemp -d "$root/build/slurm.XXXXXX") # under the worktree: a folder the nodes see
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export PATH=$GW_BIN:$PATH
mkdir docs
for f in "$root"/corpus/*.txt; do cp "$f" docs/; done
: >docs/empty.txt
printf 'PK\003\004\000\000binary' >docs/binary.txt
ls "$tmp"/docs/*.txt >list
gongwen --quiet --out one $(cat list) 2>/dev/null
job=$("$root/contrib/scale-out/slurm-array.sh" "$tmp/merged" "$tmp/tasks" 10 "$tmp/list") ||
	{ echo "sbatch failed"; exit 1; }
for _ in $(seq 120); do
	[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
	sleep 1
done
[ -d merged ] || { echo "the merge job $job left no folder"; cat tasks/*.log 2>/dev/null | tail; exit 1; }
diff -r one merged || { echo "Slurm: the merged folder differs from one gongwen run"; exit 1; }
echo "Slurm job array and merge job: identical to one gongwen run"
