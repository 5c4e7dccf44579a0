#!/bin/bash
# run.sh — make fuzz: build each libFuzzer harness with clang (fuzzer, address, undefined) and run it for
# FUZZ_SECONDS (default 60) from a seed corpus made of the corpus, the test fixtures and the hostile corpus.
# An input that crashes, leaks or times out is kept in tests/fuzz/regress/HARNESS/, which make test replays.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
secs=${FUZZ_SECONDS:-60}
only=${1:-}
B=build-fuzz
mkdir -p $B
PKGS="icu-uc icu-i18n libpcre2-8 jansson libxml-2.0 sqlite3" # the library's, as in the Makefile
FLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined $(pkg-config --cflags $PKGS)"
objs=()
for f in src/*.c; do
	case $f in src/main-*) continue ;; esac
	o=$B/$(basename "$f" .c).o
	clang $FLAGS -c "$f" -o "$o" || exit 2
	objs+=("$o")
done
# no rules cache: fuzz_rules loads a new rules folder each input (GONGWEN_CACHE=off)
export GONGWEN_CACHE=off GONGWEN_RULES=$root/rules UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for h in normalize segment extract jsonl rules; do
	[ -n "$only" ] && [ "$only" != "$h" ] && continue
	clang $FLAGS -fsanitize=fuzzer -I src -o $B/fuzz_$h tests/fuzz/fuzz_$h.c "${objs[@]}" \
		$(pkg-config --libs $PKGS) -lm -lpthread || exit 2
	seeds=$B/seeds_$h
	rm -rf "$seeds"
	mkdir -p "$seeds"
	case $h in
	rules) cp rules/*.rules "$seeds/" ;;
	jsonl) build/gw-normalize corpus/*.txt 2>/dev/null | head -c 2000000 | split -l 1 - "$seeds/r" ;;
	*) cp corpus/*.txt "$seeds/"; find tests/hostile tests/golden tests/fixtures -type f -size -200k 2>/dev/null |
		head -200 | while read -r f; do cp "$f" "$seeds/$(echo "$f" | tr / _)"; done ;;
	esac
	cp tests/fuzz/regress/$h/* "$seeds/" 2>/dev/null
	echo "fuzz: $h for ${secs}s"
	mkdir -p "$B/crash_$h" "tests/fuzz/regress/$h"
	if ! $B/fuzz_$h -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix="$B/crash_$h/" "$seeds" >"$B/fuzz_$h.log" 2>&1; then
		tail -30 "$B/fuzz_$h.log"
		for c in "$B/crash_$h"/*; do
			[ -f "$c" ] && cp "$c" "tests/fuzz/regress/$h/" && echo "kept $c as a regression input"
		done
		status=1
	fi
	grep -E '^(#[0-9]+.*DONE|Done)' "$B/fuzz_$h.log" | tail -1
done
exit $status
