#!/bin/bash
# no-cycles: no circle of calls or includes between the files of src/ (issue 11).  Edges: object
# A calls a function defined in object B (nm over the library's objects in $GW_BIN, main-* left
# out), and file A has #include "B".  A file calling itself is no circle; A→B→A is one.
set -u
export LC_ALL=C
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v nm >/dev/null && command -v tsort >/dev/null || { echo "no nm or tsort"; exit 77; }
objs=$(ls "$GW_BIN"/*.o 2>/dev/null | grep -v '/main-')
[ -n "$objs" ] || { echo "no objects in $GW_BIN"; exit 77; }
for o in $objs; do
	f=$(basename "$o" .o).c
	[ -f "src/$f" ] || continue # a stale object of a file since removed
	nm --defined-only -g "$o" | awk -v f="$f" 'NF == 3 { print $3, f }' >>"$tmp/defs"
	nm -u "$o" | awk -v f="$f" '{ print $NF, f }' >>"$tmp/uses"
done
[ -s "$tmp/defs" ] || { echo "no objects of src/ in $GW_BIN"; exit 77; }
# "user definer" for each symbol an object takes from another, then "includer included"
join <(sort "$tmp/uses") <(sort "$tmp/defs") | awk '{ print $2, $3 }' >"$tmp/edges"
grep -o '^#include "[^"]*"' src/*.c src/*.h | sed 's|^src/\([^:]*\):#include "\(.*\)"|\1 \2|' >>"$tmp/edges"
sort -u "$tmp/edges" | tsort >/dev/null 2>"$tmp/loop" && exit 0
echo "no-cycles: circles between files of src/ (each file calls or includes the next):"
awk '/contains a loop/ { if (c) print "  " c " → " f; c = "" ; next }
     { sub(/^tsort: /, ""); if (c == "") { c = $0; f = $0 } else c = c " → " $0 }
     END { if (c) print "  " c " → " f }' "$tmp/loop"
exit 1
