# install: `make install` (PREFIX, DESTDIR) puts programs, rules, schema, man pages and docs in place, the
# installed programs find the installed rules (no GONGWEN_RULES) and give the same files as the build, the
# installed man pages name no file that is not installed, and `make uninstall` takes every file away again.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -s B="$GW_BIN" DESTDIR="$tmp/root" PREFIX=/opt/gw install >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
p=$tmp/root/opt/gw
for f in bin/gongwen bin/gw-normalize bin/gw-segment bin/gw-extract bin/gw-emit bin/gw-merge bin/gw-rules \
	share/gongwen/rules/structure.rules share/gongwen/schema/gongwen-1.schema.json \
	share/man/man1/gongwen.1 share/man/man1/gw-segment.1 share/doc/gongwen/archive.md; do
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
for f in $(grep -ohE '^\.Pa (\.\./shared|docs|rules|schema|share)/[A-Za-z0-9_./-]*[A-Za-z0-9]' "$p"/share/man/man1/*.1 |
	sed 's/^\.Pa //' | sort -u); do
	[ -e "$p/${f/#docs/share/doc/gongwen}" ] || { echo "an installed man page names $f, which is not installed"; exit 1; }
done
make -s B="$GW_BIN" DESTDIR="$tmp/root" PREFIX=/opt/gw uninstall >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
left=$(find "$tmp/root" -type f)
[ -z "$left" ] || { echo "make uninstall left: $left"; exit 1; }
echo "installed under DESTDIR/opt/gw; rules found without GONGWEN_RULES; same outputs; uninstalled"
