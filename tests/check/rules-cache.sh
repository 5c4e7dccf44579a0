#!/bin/bash
# rules-cache (issue 14: start-up): the compiled rules and the built prefilters are cached
# (GONGWEN_CACHE, else $XDG_CACHE_HOME/gongwen, else $HOME/.cache/gongwen; off: none).  Cold the
# files appear; warm they are read and left as they are; truncated, with bytes flipped, of
# another key, with a payload whose checksum holds but whose codes or tables do not, in a
# folder that cannot be made, switched off, two processes at once: every output byte-identical
# to cold, exit 0, and a file that did not check is written again, whole; files not written for
# 30 days are removed when one is.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
B=$GW_BIN
fail=0
docs=$(ls "$root"/corpus/*.txt | head -3)
unset XDG_CACHE_HOME

# run NAME: gongwen (HTML too) and the chain of stage programs over docs, into $tmp/NAME
run() {
	local o=$tmp/$1
	mkdir -p "$o"
	"$B/gongwen" --quiet --jobs 1 --html --out "$o/drv" $docs 2>"$o/drv.err" || echo "$1: gongwen: exit $?" >>"$o/status"
	"$B/gw-normalize" --quiet $docs 2>"$o/n.err" >"$o/n.jsonl" || echo "$1: gw-normalize: exit $?" >>"$o/status"
	"$B/gw-segment" --quiet <"$o/n.jsonl" >"$o/s.jsonl" 2>"$o/s.err" || echo "$1: gw-segment: exit $?" >>"$o/status"
	"$B/gw-extract" --quiet <"$o/s.jsonl" >"$o/x.jsonl" 2>"$o/x.err" || echo "$1: gw-extract: exit $?" >>"$o/status"
	if [ -s "$o/status" ]; then cat "$o/status"; fail=1; fi
	if [ "$1" != cold ] && ! diff -r "$tmp/cold" "$o" >/dev/null; then
		echo "$1: outputs differ from the cold run:"; diff -r "$tmp/cold" "$o" | head -10; fail=1
	fi
}
expect() { # WHAT: the condition after it holds
	local what=$1
	shift
	"$@" || { echo "$what"; fail=1; }
}

# cold: one file of rules a program (each compiles its own families), one a prefilter (the
# programs that build the same one share its file: 12, of them 7 the kind rules' of each scope
# with more than 3), in a folder made 0700
export GONGWEN_CACHE=$tmp/c/sub
run cold
files=$(ls "$GONGWEN_CACHE"/rules-*.bin | wc -l)
expect "cold: 4 files of rules expected, $files found" [ "$files" = 4 ]
files=$(ls "$GONGWEN_CACHE"/prefilter-*.bin | wc -l)
expect "cold: 12 files of prefilters expected, $files found" [ "$files" = 12 ]
expect "cold: the folder is not 0700" [ "$(stat -c %a "$GONGWEN_CACHE")" = 700 ]
cp -a "$GONGWEN_CACHE" "$tmp/ref"
f=$(ls "$GONGWEN_CACHE"/rules-*.bin | head -1)
before=$(ls -i "$GONGWEN_CACHE")

# warm: every file read and kept (a file that did not check is written again: a new inode)
run warm
expect "warm: the files were written again" [ "$(ls -i "$GONGWEN_CACHE")" = "$before" ]
expect "warm: the files changed" diff -r "$tmp/ref" "$GONGWEN_CACHE"

# rewritten NAME: each file as cold wrote it, and nothing else in the folder
rewritten() {
	expect "$1: the cache was not written again as cold wrote it" diff -r "$tmp/ref" "$GONGWEN_CACHE"
}
# truncated, bytes flipped in the payload, a file of another key under this one's name
for f in "$GONGWEN_CACHE"/*.bin; do truncate -s $(($(stat -c %s "$f") / 2)) "$f"; done
run truncated
rewritten truncated
for f in "$GONGWEN_CACHE"/*.bin; do
	printf '\377\000\377' | dd of="$f" bs=1 seek=$(($(stat -c %s "$f") - 100)) conv=notrunc status=none
done
run flipped
rewritten flipped
set -- "$GONGWEN_CACHE"/*.bin
prev=${!#}
for f in "$@"; do cp "$prev" "$f.x" && prev=$f; done
for f in "$@"; do mv "$f.x" "$f"; done
run other-key
rewritten other-key
for f in "$@"; do : >"$f"; done
run empty-file
rewritten empty-file

# a payload whose checksum holds but whose bytes do not decode (PCRE2's magic changed), or
# hold one code too few: pcre2_serialize_decode trusts its bytes, the count is checked first
forge() { # HOW FILE: the file's payload changed, its checksum made again
	python3 - "$1" "$2" <<'PY'
import struct, sys
how, path = sys.argv[1], sys.argv[2]
M = (1 << 64) - 1
def mix(h, b, i):
    h = ((h ^ int.from_bytes(b[i:i + 8], 'little')) * 0xFF51AFD7ED558CCD) & M
    return h ^ (h >> 32)
def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M
def h64(b):  # gw_hash64 of src/rcache.c
    a, c, e, f, i = (0x9E3779B97F4A7C15 ^ len(b)) & M, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5, 0
    while len(b) - i >= 32:
        a, c, e, f = mix(a, b, i), mix(c, b, i + 8), mix(e, b, i + 16), mix(f, b, i + 24)
        i += 32
    h = a ^ rotl(c, 16) ^ rotl(e, 32) ^ rotl(f, 48)
    while len(b) - i >= 8:
        h = mix(h, b, i)
        i += 8
    h = ((h ^ int.from_bytes(b[i:], 'little')) * 0xC4CEB9FE1A85EC53) & M
    return h ^ (h >> 29)
d = bytearray(open(path, 'rb').read())
magic, fmt, keylen, n, s = struct.unpack_from('<8sIIQQ', d)
off = 32 + (keylen + 7) // 8 * 8
p = d[off:]
assert h64(bytes(p)) == s, 'the checksum is not what the test computes'
ntw = struct.unpack_from('<I', p)[0] if not how.startswith('pf-') else 0
codes = (8 + 36 * ntw + 7) // 8 * 8  # PCRE2's serialized header: magic, version, config, count
if how.startswith('pf-'):  # a prefilter (src/prefilter.c, cache_save): its rule count, or a block
    n = struct.unpack_from('<Q', p)[0]  # of its map (read in tables) beyond the blocks there are
    if how == 'pf-count':
        struct.pack_into('<Q', p, 0, n + 1)
    else:
        i = 8 + n + 16 * n + 128 + 8 + 6 * 16 + 4
        nfar = struct.unpack_from('<Q', p, i)[0]
        i += 8
        for _ in range(nfar):
            nstop = struct.unpack_from('<Q', p, i)[0]
            i += 8
            for _ in range(nstop):
                i += 8 + struct.unpack_from('<Q', p, i)[0]
        i += 32
        nclass, flags = struct.unpack_from('<QQ', p, i)
        i += 16 + 4 * nclass
        assert not flags & 2, 'a prefilter without tables'
        struct.pack_into('<H', p, i, 0xFFC0)
elif how == 'magic':
    p[codes] ^= 0xFF
else:
    struct.pack_into('<i', p, codes + 12, struct.unpack_from('<i', p, codes + 12)[0] - 1)
struct.pack_into('<Q', d, 24, h64(bytes(p)))
open(path, 'wb').write(d[:off] + p)
PY
}
if [ "$(python3 -c 'import sys; print(sys.byteorder)')" = little ]; then
	for how in magic count; do
		for f in "$GONGWEN_CACHE"/rules-*.bin; do forge $how "$f" || fail=1; done
		run forged-$how
		rewritten forged-$how
	done
	for how in pf-count pf-block; do
		for f in "$GONGWEN_CACHE"/prefilter-*.bin; do forge $how "$f" || fail=1; done
		run forged-$how
		rewritten forged-$how
	done
fi

# the file a folder, the cache folder a file: compiled around, nothing written
for f in "$GONGWEN_CACHE"/rules-*.bin; do rm "$f" && mkdir "$f"; done
run file-is-folder
rm -rf "$GONGWEN_CACHE"
: >"$tmp/plain"
GONGWEN_CACHE=$tmp/plain/sub run folder-is-file
if [ "$(id -u)" != 0 ]; then # root writes into a read-only folder anyway
	mkdir -p "$tmp/ro"
	chmod 500 "$tmp/ro"
	GONGWEN_CACHE=$tmp/ro run read-only
	expect "read-only: a file was written" [ -z "$(ls -A "$tmp/ro")" ]
fi

# switched off, empty, no HOME: nothing written anywhere; XDG_CACHE_HOME and HOME: their folders
mkdir -p "$tmp/homedir"
HOME=$tmp/homedir GONGWEN_CACHE=off run off
HOME=$tmp/homedir GONGWEN_CACHE= run off-empty
expect "off: something was written" [ -z "$(ls -A "$tmp/homedir")" ]
(unset GONGWEN_CACHE HOME && run no-home && exit $fail) || fail=1
(unset GONGWEN_CACHE && export HOME=$tmp/homedir XDG_CACHE_HOME=$tmp/xdgdir && run xdg && exit $fail) || fail=1
expect "XDG_CACHE_HOME: not used" diff -r "$tmp/ref" "$tmp/xdgdir/gongwen"
(unset GONGWEN_CACHE && export HOME=$tmp/homedir && run home && exit $fail) || fail=1
expect "HOME: not used" diff -r "$tmp/ref" "$tmp/homedir/.cache/gongwen"

# a file written for rules of 40 days ago (and a temporary file a killed run left) removed
# when a new file is written; a newer file of other rules and another program's file kept
mkdir -p "$tmp/prunedir"
for f in rules-0000000000000000.bin rules-1111111111111111.bin.Ab12Cd other-0000000000000000.bin; do
	echo x >"$tmp/prunedir/$f" && touch -d '40 days ago' "$tmp/prunedir/$f"
done
echo x >"$tmp/prunedir/rules-2222222222222222.bin"
GONGWEN_CACHE=$tmp/prunedir run prune
for f in rules-0000000000000000.bin rules-1111111111111111.bin.Ab12Cd; do
	expect "prune: $f kept" [ ! -e "$tmp/prunedir/$f" ]
done
for f in rules-2222222222222222.bin other-0000000000000000.bin; do
	expect "prune: $f removed" [ -e "$tmp/prunedir/$f" ]
done

# two processes at once, cold: each renames a whole file, no temporary file left
export GONGWEN_CACHE=$tmp/both
for i in 1 2 3 4; do
	"$B/gongwen" --quiet --jobs 1 --html --out "$tmp/both$i" $docs 2>/dev/null &
done
wait
for i in 2 3 4; do
	expect "at once: outputs differ" diff -r "$tmp/both1" "$tmp/both$i"
done
expect "at once: outputs differ from cold" diff -r "$tmp/cold/drv" "$tmp/both1"
expect "at once: not one file of rules" [ "$(ls -A "$GONGWEN_CACHE"/rules-* | wc -l)" = 1 ]
expect "at once: a temporary file left" [ -z "$(ls -A "$GONGWEN_CACHE" | grep -v '\.bin$')" ]
for f in "$GONGWEN_CACHE"/*; do
	cmp -s "$f" "$tmp/ref/$(basename "$f")" || { echo "at once: $(basename "$f") differs"; fail=1; }
done

[ $fail = 0 ] && echo "rules-cache: ok"
exit $fail
