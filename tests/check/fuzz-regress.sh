# fuzz-regress: every fuzz harness runs, without libFuzzer, on its kept regression inputs and the seeds
# (tests/fuzz/regress/HARNESS/*, the sample notice, the hostile corpus) and neither crashes nor aborts.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CFL=${GW_CFLAGS:-"-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(pkg-config --cflags icu-uc icu-i18n libpcre2-8 jansson libxml-2.0 sqlite3)"}
LIBS=${GW_LDLIBS:-"$(pkg-config --libs icu-uc icu-i18n libpcre2-8 jansson libxml-2.0 sqlite3) -lm -lpthread"}
fail=0
for h in normalize segment extract jsonl rules; do
	${CC:-cc} $CFL -I src -o "$tmp/$h" tests/fuzz/fuzz_$h.c tests/fuzz/replay.c "$GW_BIN/libgongwen.a" $LIBS || exit 1
	inputs=(tests/fuzz/regress/$h/*)
	case $h in
	rules) inputs+=(rules/*.rules) ;;
	jsonl) "$GW_BIN/gw-normalize" --quiet corpus/000_f05e73a007cd9b08.txt >"$tmp/rec" 2>/dev/null; inputs+=("$tmp/rec") ;;
	*) inputs+=(corpus/*.txt $(ls tests/hostile/* 2>/dev/null | head -50)) ;;
	esac
	files=()
	for f in "${inputs[@]}"; do [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 5000000 ] && files+=("$f"); done
	[ ${#files[@]} -eq 0 ] && continue
	if ! timeout 300 "$tmp/$h" "${files[@]}" >"$tmp/out" 2>&1; then
		echo "fuzz harness $h fails on its regression inputs:"
		tail -20 "$tmp/out"
		fail=1
	else
		echo "fuzz harness $h: ${#files[@]} inputs replayed"
	fi
done
exit $fail
