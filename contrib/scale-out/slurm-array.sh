#!/bin/sh
# slurm-array.sh — the map shape as a Slurm job array: task k of the array processes lines
# k*SIZE+1 … (k+1)*SIZE of the file list into TASKS/k (with its summary), and a merge job that
# runs after every task succeeded (afterok: a task exits 0 whatever its documents did, thanks to
# --max-failed 100%) writes OUT.  Prints the merge job's id.  Extra arguments go to sbatch
# (--partition, --time, …).  TASKS and the documents must be on a file system every node sees.
# Usage: slurm-array.sh OUT TASKS SIZE FILE-LIST [sbatch options]
set -eu
out=$1 tasks=$2 size=$3 list=$4
shift 4
mkdir -p "$tasks"
n=$(grep -c . "$list")
last=$(( (n + size - 1) / size - 1 ))
array=$(sbatch --parsable --array=0-"$last" --output="$tasks/slurm-%a.log" "$@" --wrap \
	"sed -n \"\$((SLURM_ARRAY_TASK_ID * $size + 1)),\$(((SLURM_ARRAY_TASK_ID + 1) * $size))p\" '$list' |
	 gongwen --quiet --jobs \${SLURM_CPUS_PER_TASK:-1} --max-failed 100% \
	   --out '$tasks'/\$SLURM_ARRAY_TASK_ID --summary '$tasks'/\$SLURM_ARRAY_TASK_ID/summary.json")
sbatch --parsable --dependency=afterok:"$array" --output="$tasks/slurm-merge.log" "$@" --wrap \
	"gw-merge --quiet --out '$out' '$tasks'/[0-9]*"
