#!/bin/sh
# deps.sh — check the Debian packages gongwen builds and tests with; install them as root,
# or print the exact command to run.  Usage: tools/deps.sh build|test|bench|fuzz
set -u
what=${1:-build}
# pkg-config module -> Debian package
need="pkg-config:pkg-config icu-uc:libicu-dev icu-i18n:libicu-dev libpcre2-8:libpcre2-dev jansson:libjansson-dev libxml-2.0:libxml2-dev sqlite3:libsqlite3-dev"
missing=""
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
command -v cc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
if command -v pkg-config >/dev/null 2>&1; then
	for pair in $need; do
		mod=${pair%%:*} pkg=${pair#*:}
		[ "$mod" = pkg-config ] && continue
		pkg-config --exists "$mod" || missing="$missing $pkg"
	done
fi
# the programs link ICU statically (Makefile, STATIC_ICU), and with it the C++ runtime's archive
# (ICU is written in C++): gcc's libstdc++-N-dev.  Optional: without it the programs link the
# shared libraries (the same output, a slower start), so it is installed when it can be and
# only named when not
optional=""
if [ "$what" = build ] && [ "${STATIC_ICU:-1}" = 1 ] && command -v cc >/dev/null 2>&1 &&
	case $(cc -print-file-name=libstdc++.a 2>/dev/null) in /*) false ;; *) true ;; esac; then
	v=$(cc -dumpversion 2>/dev/null | cut -d. -f1)
	cc --version 2>/dev/null | grep -q 'Free Software Foundation' && [ -n "$v" ] &&
		optional="libstdc++-$v-dev"
fi
if [ -n "$optional" ]; then
	if [ "$(id -u)" = 0 ] && (apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$optional") >&2; then
		:
	else
		echo "deps: $optional is not installed: the programs link ICU shared (a slower start);" \
			"to link it statically: sudo apt-get install $optional" >&2
	fi
fi
if [ "$what" = test ]; then
	pkg-config --exists check 2>/dev/null || missing="$missing check"
	command -v xmllint >/dev/null 2>&1 || missing="$missing libxml2-utils"
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || missing="$missing python3-jsonschema"
	command -v valgrind >/dev/null 2>&1 || missing="$missing valgrind"
	command -v iconv >/dev/null 2>&1 || missing="$missing libc-bin"
	# the HTML pages (issue 17): an HTML5 parser used strictly, a linter, a browser and a CJK font
	/usr/bin/python3 -c 'import html5lib' 2>/dev/null || missing="$missing python3-html5lib"
	command -v tidy >/dev/null 2>&1 || missing="$missing tidy"
	command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
	[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || missing="$missing fonts-wqy-microhei"
	# scale-out recipes (issue 18): GNU parallel and Dask distributed run them for real
	command -v parallel >/dev/null 2>&1 || missing="$missing parallel"
	/usr/bin/python3 -c 'import distributed' 2>/dev/null || missing="$missing python3-distributed"
fi
if [ "$what" = bench ]; then
	[ -x /usr/bin/time ] || missing="$missing time"
	command -v bc >/dev/null 2>&1 || missing="$missing bc"
fi
if [ "$what" = fuzz ]; then
	command -v clang >/dev/null 2>&1 || missing="$missing clang"
	ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
		missing="$missing libclang-rt-14-dev"
fi
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/ *$//')
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends $missing"
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing $missing" >&2
	if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive $cmd) >&2; then
		echo "deps: could not install: $missing" >&2
		exit 1
	fi
	exit 0
fi
echo "deps: missing Debian packages: $missing" >&2
echo "deps: run as root:  sudo apt-get update && sudo $cmd" >&2
exit 1
