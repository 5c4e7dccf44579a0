#!/bin/bash
# static-icu (issue 14, start-up): the programs that call ICU link it from its archives, its data
# and the C++ runtime with it, so that no shared ICU or libstdc++ is loaded at their start; the
# programs that do not call ICU link neither; `make STATIC_ICU=0` links the shared libraries.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
fail=0
libdir=$(pkg-config --variable=libdir icu-uc)
for a in "$libdir/libicui18n.a" "$libdir/libicuuc.a" "$libdir/libicudata.a" "$(${CC:-cc} -print-file-name=libstdc++.a)"; do
	[ -e "$a" ] || { echo "$a is absent: the programs link ICU shared (README)"; exit 77; }
done
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' '; }
for p in gongwen gw-normalize gw-extract gw-index gw-search gw-segment gw-emit; do
	n=$(needed "$GW_BIN/$p")
	case " $n" in *" libicu"* | *" libstdc++"*)
		echo "$p loads shared libraries it should have linked statically: $n"; fail=1 ;;
	esac
done
# the link lines make would run, without running them
link() { make -s -n -B --no-print-directory -C "$root" B="$GW_BIN" "$@" "$GW_BIN/gongwen" 2>/dev/null |
	grep -- "-o $GW_BIN/gongwen "; }
l=$(link)
case "$l" in *"$libdir/libicuuc.a"*"$libdir/libicudata.a"*) ;; *)
	echo "make: gongwen is not linked with ICU's archives: $l"; fail=1 ;;
esac
l=$(link STATIC_ICU=0)
case "$l" in *" -licuuc"*) ;; *) echo "make STATIC_ICU=0: gongwen is not linked with -licuuc: $l"; fail=1 ;; esac
case "$l" in *".a "*"libicu"* | *"libicuuc.a"* | *"libstdc++.a"*)
	echo "make STATIC_ICU=0: gongwen is still linked with an archive: $l"; fail=1 ;;
esac
exit $fail
