# install: `make install` (PREFIX, DESTDIR) puts programs, rules, schema and man pages in place, and the
# installed programs find the installed rules (no GONGWEN_RULES) and give the same files as the build.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -s B="$GW_BIN" DESTDIR="$tmp/root" PREFIX=/opt/gw install >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
p=$tmp/root/opt/gw
for f in bin/gongwen bin/gw-normalize bin/gw-segment bin/gw-extract bin/gw-emit bin/gw-merge bin/gw-rules \
	share/gongwen/rules/structure.rules share/gongwen/schema/gongwen-1.schema.json \
	share/man/man1/gongwen.1 share/man/man1/gw-segment.1; do
	[ -e "$p/$f" ] || { echo "not installed: $f"; exit 1; }
done
(cd "$tmp" && env -u GONGWEN_RULES "$p/bin/gongwen" --quiet --out "$tmp/a" "$OLDPWD/corpus/000_f05e73a007cd9b08.txt") || exit 1
"$GW_BIN/gongwen" --quiet --out "$tmp/b" corpus/000_f05e73a007cd9b08.txt || exit 1
# the source path is written as given; compare everything else
for f in "$tmp"/a/*; do
	sed -e 's#"path": "[^"]*"#"path": P#' -e 's#gw:path="[^"]*"#gw:path=P#' "$f" >"$f.n"
	sed -e 's#"path": "[^"]*"#"path": P#' -e 's#gw:path="[^"]*"#gw:path=P#' "$tmp/b/${f##*/}" >"$f.m"
	cmp -s "$f.n" "$f.m" || { echo "installed gongwen differs on ${f##*/}"; diff "$f.n" "$f.m" | head; exit 1; }
done
env -u GONGWEN_RULES "$p/bin/gw-rules" --quiet check >/dev/null || { echo "installed gw-rules fails"; exit 1; }
echo "installed under DESTDIR/opt/gw; rules found without GONGWEN_RULES; same outputs"
