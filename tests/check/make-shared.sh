#!/bin/bash
# make-shared (issue 16 item 10): `make test SHARED=dir` and `make eval SHARED=dir` use that folder;
# `make eval` without it says why and exits 0.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
fail=0
out=$(make -s --no-print-directory -C "$root" B="$GW_BIN" SHARED=/nonexistent/shared eval 2>&1)
st=$?
[ $st = 0 ] || { echo "make eval SHARED=/nonexistent/shared: exit status $st"; fail=1; }
[ "$out" = "eval: skipped: /nonexistent/shared/corpus or /nonexistent/shared/gold is absent (make eval SHARED=DIR names the folder)" ] ||
	{ echo "make eval without the shared folder says: $out"; fail=1; }
out=$(GW_SHARED_DIR=/nonexistent/shared "$root/tests/run.sh" "$GW_BIN" no-test-has-this-name 2>&1)
[ "$(echo "$out" | head -1)" = "note: /nonexistent/shared is absent: tests over its corpus, gold and akn are skipped" ] ||
	{ echo "tests/run.sh with GW_SHARED_DIR says: $(echo "$out" | head -1)"; fail=1; }
grep -q 'GW_SHARED_DIR="$(SHARED)"' "$root/Makefile" || { echo "make test does not pass SHARED on"; fail=1; }
exit $fail
