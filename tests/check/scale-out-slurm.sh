#!/bin/bash
# scale-out-slurm (issue 18): contrib/scale-out/slurm-array.sh on Slurm — a job array of gongwen
# tasks, then the merge job (afterok) — gives the folder one gongwen run gives, errors.jsonl
# included.  It uses the cluster this machine belongs to, else starts a private one-node cluster
# (munged, slurmctld, slurmd on ports 16817-16818, state in a temporary folder; needs root and the
# Debian packages slurmctld slurmd slurm-client munge) and stops it after; skipped when neither
# can be had.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
pids=()
# the private cluster's daemons (by pid), once they are gone its folder, and the test's
stop() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
	done
	rm -rf "${tmp:-}" "${cl:-}"
}
trap stop EXIT
# a private cluster in $cl: its daemons' pids in pids
private_cluster() {
	local h
	h=$(hostname -s)
	cl=$(mktemp -d /tmp/gw-slurm.XXXXXX)
	mkdir "$cl/state" "$cl/spool"
	printf '%s\n' ClusterName=gwtest SlurmctldHost=$h SlurmUser=root SlurmdUser=root \
		SlurmctldPort=16817 SlurmdPort=16818 AuthType=auth/munge AuthInfo=socket=$cl/munge.sock \
		StateSaveLocation=$cl/state SlurmdSpoolDir=$cl/spool SlurmctldPidFile=$cl/ctld.pid \
		SlurmdPidFile=$cl/d.pid ProctrackType=proctrack/linuxproc TaskPlugin=task/none \
		SelectType=select/cons_tres SelectTypeParameters=CR_Core JobCompType=jobcomp/none \
		JobAcctGatherType=jobacct_gather/none AccountingStorageType=accounting_storage/none \
		MpiDefault=none ReturnToService=2 SlurmctldLogFile=$cl/ctld.log SlurmdLogFile=$cl/d.log \
		"NodeName=$h CPUs=$(nproc) State=UNKNOWN" \
		"PartitionName=gw Nodes=$h Default=YES MaxTime=INFINITE State=UP" >"$cl/slurm.conf"
	export SLURM_CONF=$cl/slurm.conf
	munged --force --socket="$cl/munge.sock" --pid-file="$cl/munged.pid" --log-file="$cl/munged.log" \
		--seed-file="$cl/munge.seed" && pids+=("$(cat "$cl/munged.pid")") || return 1
	slurmctld && sleep 1 && pids+=("$(cat "$cl/ctld.pid")") || return 1
	slurmd && sleep 1 && pids+=("$(cat "$cl/d.pid")") || return 1
	for _ in $(seq 20); do
		sinfo -h -o %t 2>/dev/null | grep -q idle && return 0
		sleep 1
	done
	return 1
}
command -v sbatch >/dev/null ||
	{ echo "slurm-wlm is not installed (slurmctld slurmd slurm-client munge)"; exit 77; }
if ! timeout 10 sinfo -h >/dev/null 2>&1; then
	[ "$(id -u)" = 0 ] && command -v slurmctld >/dev/null && command -v slurmd >/dev/null &&
		command -v munged >/dev/null && [ -r /etc/munge/munge.key ] ||
		{ echo "no Slurm controller answers, and none can be started here (root, slurmctld, slurmd, munge)"; exit 77; }
	private_cluster || { echo "a private Slurm cluster does not start here:"; tail -n 3 "$cl"/*.log; exit 77; }
fi
tmp=$(mktemp -d "$root/build/slurm.XXXXXX") # under the worktree: a folder the nodes see
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
