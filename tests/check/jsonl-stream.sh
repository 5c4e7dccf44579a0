# jsonl-stream: gongwen --jsonl writes each record as soon as those before it are, in input order,
# whatever the number of jobs.  A batch of 120 documents gives the same records in the same order
# (their ids, in name order) with 1 and 3 jobs (3 jobs may run at most 48 documents ahead of the
# first record not written, so the window is used); with a FIFO as the last document, the first
# record is complete on stdout while gongwen still waits for the FIFO (a driver that held the
# records to the end of the batch writes nothing before it).
set -u
tmp=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null; rm -rf "$tmp"' EXIT
B=$GW_BIN
fail=0
expect() { # NAME WANTED GOT
	[ "$2" = "$3" ] || { echo "$1: got '$3', expected '$2'"; fail=1; }
}
ids() { python3 -c 'import json, sys
print(" ".join(json.loads(l)["id"] for l in sys.stdin))'; }

mkdir "$tmp/in"
files=(corpus/*.txt)
for ((k = 0; k < 120; k++)); do
	ln -s "$PWD/${files[k % ${#files[@]}]}" "$tmp/in/c$(printf %03d $k).txt"
done
want=$(for ((k = 0; k < 120; k++)); do printf 'c%03d ' $k; done)
"$B/gongwen" -q --jobs 1 --jsonl "$tmp/in" >"$tmp/one.jsonl"
expect "--jobs 1: exit status" 0 $?
"$B/gongwen" -q --jobs 3 --jsonl "$tmp/in" >"$tmp/three.jsonl"
expect "--jobs 3: exit status" 0 $?
expect "--jobs 1: the records' ids, in input order" "${want% }" "$(ids <"$tmp/one.jsonl")"
cmp -s "$tmp/one.jsonl" "$tmp/three.jsonl" || { echo "--jobs 3 wrote other records than --jobs 1"; fail=1; }

# the first record out before the last document is read
cp "${files[0]}" "$tmp/a.txt"
mkfifo "$tmp/b.txt"
"$B/gongwen" -q --jobs 1 --jsonl "$tmp/a.txt" "$tmp/b.txt" >"$tmp/ab.jsonl" 2>"$tmp/ab.err" &
pid=$!
for ((k = 0; k < 600; k++)); do # up to 60 s for one document: a safety net, not a measure
	[ "$(wc -l <"$tmp/ab.jsonl")" -ge 1 ] && break
	sleep 0.1
done
kill -0 $pid 2>/dev/null
expect "gongwen still waiting for the FIFO" 0 $?
expect "the first record, whole, while the second document is not read" "a" "$(head -1 "$tmp/ab.jsonl" | ids)"
exec 3>"$tmp/b.txt" # the FIFO's writer: gongwen reads the second document and ends
cat "${files[1]}" >&3
exec 3>&-
wait $pid
expect "FIFO run: exit status" 0 $?
expect "FIFO run: both records" "a b" "$(ids <"$tmp/ab.jsonl")"
[ $fail = 0 ] && echo "120 records in input order with 1 and 3 jobs; the first record out while the batch runs"
exit $fail
