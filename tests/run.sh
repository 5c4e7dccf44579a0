#!/bin/bash
# run.sh — the whole test suite: rule examples, unit tests (Check), golden tests and script checks.
# Usage: tests/run.sh BUILD_DIR [FILTER]   (make test runs it; FILTER keeps tests whose name contains it)
# Ends with one line "tests: N passed, N failed, N skipped"; exit status 1 when anything failed.
set -u
B=$(cd "${1:-build}" && pwd)
filter=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
CC=${CC:-cc}
GW_CFLAGS=${GW_CFLAGS:-"-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(pkg-config --cflags icu-uc icu-i18n libpcre2-8 jansson libxml-2.0)"}
GW_LDLIBS=${GW_LDLIBS:-"$(pkg-config --libs icu-uc icu-i18n libpcre2-8 jansson libxml-2.0) -lm -lpthread"}
# make test SHARED=dir: the shared corpus, gold and schema (default ../shared)
shared=${GW_SHARED_DIR:-$root/../shared}
case $shared in /*) ;; *) shared=$root/$shared ;; esac
if [ -d "$shared" ]; then GW_SHARED=$(cd "$shared" && pwd); else GW_SHARED=""; fi
export GW_BIN=$B GW_SHARED GONGWEN_RULES=$root/rules PATH="$B:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the compiled rules' cache (issue 14) in the run's own folder: nothing written to $HOME, and
# the first program of the run starts cold
export GONGWEN_CACHE=$tmp/cache
pass=0 fail=0 skip=0
failed=()

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); failed+=("$1"); echo "FAIL: $1"; }
sk() { skip=$((skip + 1)); echo "skip: $1: $2"; }
want() { [ -z "$filter" ] || [[ "$1" == *"$filter"* ]]; }

[ -z "$GW_SHARED" ] && echo "note: $shared is absent: tests over its corpus, gold and akn are skipped"

# 1. every rule's examples: the rule files are their own specification
if want rules; then
	out=$("$B/gw-rules" --rules "$root/rules" check 2>&1)
	rc=$?
	n=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\) examples, \([0-9]*\) failed$/\1 \2/p')
	if [ $rc -eq 0 ] && [ -n "$n" ]; then
		pass=$((pass + ${n% *}))
		echo "rules: ${n% *} examples pass"
	else
		printf '%s\n' "$out" | grep -v ' examples, ' | head -50
		if [ -n "$n" ]; then fail=$((fail + ${n#* })); else fail=$((fail + 1)); fi # no summary: it failed
		failed+=("rule examples")
	fi
fi

# 2. unit tests (Check): each tests/unit/test_*.c is a program of its own
mkdir -p "$B/tests"
for src in tests/unit/test_*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	want "$name" || continue
	if ! $CC $GW_CFLAGS -I src -o "$B/tests/$name" "$src" "$B/libgongwen.a" \
		$(pkg-config --cflags --libs check) $GW_LDLIBS 2>"$tmp/cc.err"; then
		cat "$tmp/cc.err" | head -30
		ko "$name (does not compile)"
		continue
	fi
	(cd "$root" && CK_FORK=yes CK_VERBOSITY=normal "$B/tests/$name") >"$tmp/unit.out" 2>&1
	line=$(grep -E '^[0-9]+%: Checks: ' "$tmp/unit.out" | tail -1)
	checks=$(echo "$line" | sed -n 's/.*Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p')
	if [ -z "$checks" ]; then
		cat "$tmp/unit.out" | tail -20
		ko "$name (no Check summary)"
		continue
	fi
	set -- $checks
	pass=$((pass + $1 - $2 - $3))
	if [ $(($2 + $3)) -gt 0 ]; then
		grep -E ':[EF]:' "$tmp/unit.out" | head -20
		fail=$((fail + $2 + $3))
		failed+=("$name")
	fi
	echo "unit: $name: $line"
done

# 3. golden tests: tests/golden/FEATURE/CASE/{cmd,expected[,expected.err][,expected.status]}
for dir in tests/golden/*/*/; do
	[ -f "$dir/cmd" ] || continue
	name=${dir#tests/golden/}
	name=${name%/}
	want "$name" || continue
	(cd "$dir" && timeout 300 sh cmd >"$tmp/out" 2>"$tmp/err" </dev/null)
	status=$?
	want_status=0
	[ -f "$dir/expected.status" ] && want_status=$(cat "$dir/expected.status")
	if [ -f "$dir/skip-without-shared" ] && [ -z "$GW_SHARED" ]; then
		sk "golden/$name" "../shared is absent"
		continue
	fi
	bad=""
	diff -u "$dir/expected" "$tmp/out" >"$tmp/diff" || bad="stdout differs"
	if [ -z "$bad" ] && [ -f "$dir/expected.err" ]; then
		diff -u "$dir/expected.err" "$tmp/err" >"$tmp/diff" || bad="stderr differs"
	fi
	[ -z "$bad" ] && [ "$status" != "$want_status" ] && bad="exit status $status, expected $want_status"
	if [ -n "$bad" ]; then
		echo "golden/$name: $bad"
		head -40 "$tmp/diff"
		[ "$bad" = "${bad#exit}" ] || head -10 "$tmp/err"
		ko "golden/$name"
	else
		ok
	fi
done

# 4. script checks: exit 0 pass, 77 skip, anything else fail
for t in tests/check/*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	want "$name" || continue
	timeout 600 bash "$t" >"$tmp/out" 2>&1 </dev/null
	rc=$?
	case $rc in
	0) ok; echo "check: $name: ok" ;;
	77) sk "check/$name" "$(tail -1 "$tmp/out")" ;;
	*) tail -30 "$tmp/out"; ko "check/$name (exit $rc)" ;;
	esac
done

echo
if [ $fail -gt 0 ]; then
	echo "failed:"
	printf '  %s\n' "${failed[@]}"
fi
echo "tests: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
