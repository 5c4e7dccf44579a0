#!/bin/bash
# library: libgongwen as a library to link (gongwen(3)).  `make install DESTDIR=…` puts
# libgongwen.so.0 (soname), libgongwen.a, libgongwen.h and gongwen.pc in place; the shared library
# exports the functions of libgongwen.h and nothing else; the example program of gongwen(3), built
# against the installed library with pkg-config, writes for each file the same bytes as gongwen's
# ID.json and ID.xml (and an error record's message for a file that fails).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"
make -s B="$GW_BIN" DESTDIR="$tmp/root" PREFIX=/usr install >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
lib=$tmp/root/usr/lib
for f in lib/libgongwen.so.0 lib/libgongwen.so lib/libgongwen.a lib/pkgconfig/gongwen.pc \
	include/libgongwen.h share/man/man3/gongwen.3; do
	[ -e "$tmp/root/usr/$f" ] || { echo "not installed: $f"; exit 1; }
done
soname=$(objdump -p "$lib/libgongwen.so" | awk '$1 == "SONAME" {print $2}')
[ "$soname" = libgongwen.so.0 ] || { echo "soname: '$soname', expected libgongwen.so.0"; exit 1; }
# the exported functions are the header's (every other symbol hidden)
nm -D --defined-only "$lib/libgongwen.so" | awk '$2 == "T" {sub(/@.*/, "", $3); print $3}' | sort >"$tmp/exported"
sed -n 's/^[a-z].*[ *]\(gw_[a-z_]*\)(.*/\1/p' src/libgongwen.h | sort >"$tmp/declared"
diff -u "$tmp/declared" "$tmp/exported" || { echo "exports differ from libgongwen.h"; exit 1; }
# the example of gongwen(3), as the page shows it
sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' man/gongwen.3 | sed -n '/^\.Bd -literal/,/^\.Ed/p' | sed '1d;$d' |
	sed 's/\\e/\\/g' >"$tmp/example.c"
export PKG_CONFIG_PATH=$lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$tmp/root
# under make test-asan the library is built with the sanitizers: the example takes them too
san=$(printf '%s\n' ${GW_CFLAGS:-} | grep '^-fsanitize' | tr '\n' ' ')
$CC $san -Wall -Wextra -Werror -o "$tmp/example" "$tmp/example.c" $(pkg-config --cflags --libs gongwen) ||
	{ echo "the example of gongwen(3) does not build against the installed library"; exit 1; }
ldd "$tmp/example" 2>/dev/null | grep -q "libgongwen.so.0 => $lib/" || LD_LIBRARY_PATH=$lib ldd "$tmp/example" | grep -q "libgongwen.so.0 => $lib/" ||
	{ echo "the example is not linked to the installed libgongwen.so.0"; exit 1; }
docs=($(ls corpus/*.txt | head -8))
printf '' >"$tmp/empty.txt"
"$GW_BIN/gongwen" --quiet --jobs 1 --out "$tmp/out" "${docs[@]}" "$tmp/empty.txt" 2>/dev/null
for f in "${docs[@]}"; do
	id=$(basename "$f" .txt)
	[ -e "$tmp/out/$id.json" ] && cat "$tmp/out/$id.json" "$tmp/out/$id.xml"
done >"$tmp/expected"
echo "example: $tmp/empty.txt: the file is empty" >"$tmp/expected.err"
LD_LIBRARY_PATH=$lib "$tmp/example" "${docs[@]}" "$tmp/empty.txt" >"$tmp/got" 2>"$tmp/got.err"
rc=$?
[ $rc = 1 ] || { echo "example: exit status $rc, expected 1 (one file failed)"; cat "$tmp/got.err"; exit 1; }
cmp -s "$tmp/expected" "$tmp/got" || { echo "example's output differs from gongwen's files"; diff "$tmp/expected" "$tmp/got" | head; exit 1; }
diff -u "$tmp/expected.err" "$tmp/got.err" || exit 1
echo "libgongwen.so.0 installed; ${#docs[@]} documents through the example of gongwen(3): the same bytes as gongwen"
