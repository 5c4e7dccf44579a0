#!/usr/bin/env python3
"""dask_gongwen.py — gongwen on a Dask distributed cluster, in either shape, then gw-merge.

  map:     the paths cut into tasks of SIZE; each task runs `gongwen --out TASKS/N` on a worker
           (the documents and TASKS on a file system the workers share).
  records: input records (make-records.py) cut into partitions of SIZE; each task pipes its
           partition through `gongwen --records --jsonl` on a worker and returns the records and
           the summary to the client, which keeps them in TASKS (nothing shared but the network).

Usage: dask_gongwen.py --shape map|records --out OUT --tasks TASKS [--size N]
                       [--scheduler ADDRESS | --workers N] INPUT...
INPUT: files (map) or JSON Lines record files (records).  With no --scheduler a local cluster of
--workers single-threaded worker processes is started.  The exit status is gw-merge's."""
import argparse
import os
import subprocess
import sys
import tempfile

# a task exits 0 however many of its documents fail: they are in its errors, and the merge
# applies the run's policy (gw-merge --max-failed)
GONGWEN = ["gongwen", "--quiet", "--jobs", "1", "--max-failed", "100%"]


def map_task(n, paths, tasks):
    """One task of the map shape: its paths into the folder TASKS/n."""
    folder = os.path.join(tasks, str(n))
    cmd = GONGWEN + ["--out", folder, "--summary", os.path.join(folder, "summary.json")]
    subprocess.run(cmd + paths, check=True)
    return folder


def records_task(lines):
    """One task of the record shape: records in, (records out, summary) back."""
    with tempfile.TemporaryDirectory() as tmp:
        summary = os.path.join(tmp, "summary.json")
        done = subprocess.run(GONGWEN + ["--records", "--jsonl", "--summary", summary],
                              input=b"".join(lines), stdout=subprocess.PIPE, check=True)
        with open(summary, "rb") as f:
            return done.stdout, f.read()


def chunks(items, size):
    return [items[i:i + size] for i in range(0, len(items), size)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shape", choices=("map", "records"), required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tasks", required=True)
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--scheduler")
    ap.add_argument("--workers", type=int, default=os.cpu_count())
    ap.add_argument("inputs", nargs="+")
    args = ap.parse_args()

    from distributed import Client, LocalCluster

    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1,
                               dashboard_address=None, processes=True)
        client = Client(cluster)
    os.makedirs(args.tasks, exist_ok=True)
    if args.shape == "map":
        parts = chunks(args.inputs, args.size)
        futures = [client.submit(map_task, n + 1, p, os.path.abspath(args.tasks), pure=False)
                   for n, p in enumerate(parts)]
        client.gather(futures)
        merge = [os.path.join(args.tasks, str(n + 1)) for n in range(len(parts))]
    else:
        lines = []
        for name in args.inputs:
            with open(name, "rb") as f:
                lines += [line for line in f if line.strip()]
        parts = chunks(lines, args.size)
        futures = [client.submit(records_task, p, pure=False) for p in parts]
        merge = []
        for n, (records, summary) in enumerate(client.gather(futures), 1):
            for ext, data in ((".jsonl", records), (".summary.json", summary)):
                path = os.path.join(args.tasks, str(n) + ext)
                with open(path, "wb") as f:
                    f.write(data)
                merge.append(path)
    client.close()
    sys.exit(subprocess.run(["gw-merge", "--quiet", "--out", args.out] + merge).returncode)


if __name__ == "__main__":
    main()
