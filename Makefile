# gongwen — Chinese government documents (公文) to JSON and Akoma Ntoso XML.
#   make            build, then process every corpus/*.txt into out/ (with HTML pages; HTML=0: without)
#   make test       build and run the whole test suite
#   make eval       score out/ for ../shared/corpus against ../shared/gold
#   make install    programs, rules, man pages, libgongwen.so.0 + libgongwen.h + gongwen.pc (gongwen(3))
# See README.md for the rest (install, bench, fuzz, sanitizers).

CORPUS ?= corpus
OUT ?= out
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
DESTDIR ?=
SHARED ?= ../shared
BENCH_MB ?= 100
# 1: make also writes out/ID.html and out/index.html (gongwen --html; issue 17); 0: JSON and XML only
HTML ?= 1
B ?= build

CC ?= cc
CFLAGS ?= -O2 -g
PKGS = icu-uc icu-i18n libpcre2-8 jansson libxml-2.0 sqlite3
WARN = -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings -Wshadow
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(PKG_CFLAGS) \
	-DGW_RULES_DIR='"$(PREFIX)/share/gongwen/rules"' $(CFLAGS)
# each program loads only the libraries it calls (issue 14: start-up), where the toolchain
# does not already link so by default
LDLIBS = -Wl,--as-needed $(PKG_LIBS) -lm -lpthread
# The programs link ICU (its data too) and the C++ runtime ICU is written in from their static
# archives (issue 14, start-up: the dynamic linker spent over 2 ms of each start on the
# relocations of libicui18n, libicuuc and libstdc++).  The price is size: a program that calls
# ICU carries its 30 MB of data.  STATIC_ICU=0, or any archive missing: shared, as LDLIBS.  The
# tests' own programs and libgongwen.so link as LDLIBS.
STATIC_ICU ?= 1
ICU_ARCHIVES = $(addprefix $(shell pkg-config --variable=libdir icu-uc 2>/dev/null)/,libicui18n.a \
	libicuuc.a libicudata.a) $(shell $(CC) -print-file-name=libstdc++.a 2>/dev/null)
ICU_STATIC = $(if $(filter 1,$(STATIC_ICU)),$(if $(filter-out $(wildcard $(ICU_ARCHIVES)),$(ICU_ARCHIVES)),,$(ICU_ARCHIVES)))
PROG_LIBS = -Wl,--as-needed $(if $(ICU_STATIC),$(shell pkg-config --libs $(filter-out icu-%,$(PKGS)) \
	2>/dev/null) $(ICU_STATIC),$(PKG_LIBS)) -lm -lpthread

# every src/*.c is part of the library except the programs' mains (src/main-NAME.c → gw-NAME)
LIBSRC = $(filter-out main-%,$(notdir $(basename $(wildcard src/*.c))))
LIBOBJ = $(LIBSRC:%=$(B)/%.o)
PROGS = $(filter-out gw-gongwen,$(patsubst src/main-%.c,gw-%,$(wildcard src/main-*.c)))
ifeq ($(words $(wildcard src/normalize.c src/segment.c src/extract.c src/emit.c)),4)
PROGS += gongwen
endif
BINS = $(PROGS:%=$(B)/%)
RULES = $(sort $(wildcard rules/*.rules))
DOCS = $(sort $(wildcard $(CORPUS)/*.txt))
# the shared library: its soname's number is GW_LIB_VERSION of src/libgongwen.h, its exports
# src/libgongwen.map (every other symbol hidden)
SONAME = libgongwen.so.0
SOLIB = $(SONAME).1.0

.PHONY: FORCE all build lib deps test eval clean install uninstall format bench test-asan leakcheck fuzz

# only documents whose source, rules or program changed are processed again (--update)
all: build
	$(B)/gongwen --update $(if $(filter 1,$(HTML)),--html) --out $(OUT) $(CORPUS)

bench: build $(B)/bench-floor
	@tools/deps.sh bench
	tests/bench/bench.sh $(B) $(BENCH_MB)
	tests/bench/archive-bench.sh $(B)
	tests/bench/html-open.sh $(B)

build: $(B)/.deps $(B)/libgongwen.a $(BINS)

$(B)/.deps: tools/deps.sh
	@mkdir -p $(B)
	@STATIC_ICU=$(STATIC_ICU) tools/deps.sh build
	@touch $@

$(B)/.deps-test: tools/deps.sh
	@mkdir -p $(B)
	@tools/deps.sh test
	@touch $@

# the source of what builds a prefilter, part of the key of its cache (src/prefilter.c, issue
# 14): a change to it or to a header is a new key; without sha256sum, prefilters are not cached
PREFILTER_ID := $(shell cat src/prefilter.c src/*.h 2>/dev/null | sha256sum 2>/dev/null | cut -c1-16)
$(B)/prefilter.o: ALL_CFLAGS += $(if $(PREFILTER_ID),-DGW_PREFILTER_ID='"$(PREFILTER_ID)"')

# position-independent, so that the same objects make libgongwen.a and libgongwen.so
$(B)/%.o: src/%.c $(wildcard src/*.h) | $(B)/.deps
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<

$(B)/libgongwen.a: $(LIBOBJ)
	rm -f $@
	ar rcs $@ $(LIBOBJ)

lib: $(B)/$(SOLIB) $(B)/gongwen.pc

$(B)/$(SOLIB): $(LIBOBJ) src/libgongwen.map
	$(CC) $(CFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=src/libgongwen.map \
		-Wl,--no-undefined -o $@ $(LIBOBJ) $(LDLIBS)

# written each time: it names PREFIX
$(B)/gongwen.pc: FORCE
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$${prefix}/include' '' \
		'Name: gongwen' 'Description: Chinese government documents to JSON and Akoma Ntoso XML' \
		"Version: $$(sed -n 's/^#define GW_VERSION "\(.*\)"/\1/p' src/gongwen.h)" \
		'Requires.private: $(PKGS)' 'Libs: -L$${libdir} -lgongwen' \
		'Libs.private: -lm -lpthread' 'Cflags: -I$${includedir}' >$@

$(B)/gw-%: $(B)/main-%.o $(B)/libgongwen.a
	$(CC) $(CFLAGS) -o $@ $< $(B)/libgongwen.a $(PROG_LIBS)

$(B)/gongwen: $(B)/main-gongwen.o $(B)/libgongwen.a
	$(CC) $(CFLAGS) -o $@ $< $(B)/libgongwen.a $(PROG_LIBS)

$(B)/bench-floor: tests/bench/floor.c $(B)/libgongwen.a
	$(CC) $(ALL_CFLAGS) -I src -o $@ $< $(B)/libgongwen.a $(PROG_LIBS)

$(B)/main-%.o: src/main-%.c $(wildcard src/*.h) | $(B)/.deps
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

test: $(B)/.deps-test build
	@CC="$(CC)" GW_CFLAGS="$(ALL_CFLAGS)" GW_LDLIBS="$(LDLIBS)" GW_SHARED_DIR="$(SHARED)" \
		tests/run.sh $(B) $(T)

# without the shared corpus and gold there is nothing to score: say so and succeed
eval: build
	@tests/eval.sh $(B) $(SHARED); rc=$$?; [ $$rc = 77 ] || exit $$rc

install: build lib
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/gongwen/rules \
		$(DESTDIR)$(PREFIX)/share/gongwen/schema $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/doc/gongwen \
		$(DESTDIR)$(PREFIX)/share/man/man3 $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 rules/*.rules rules/README.md $(DESTDIR)$(PREFIX)/share/gongwen/rules/
	install -m 644 $(wildcard schema/*) $(DESTDIR)$(PREFIX)/share/gongwen/schema/
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 README.md $(wildcard docs/*.md) $(DESTDIR)$(PREFIX)/share/doc/gongwen/
	install -m 644 man/gongwen.3 $(DESTDIR)$(PREFIX)/share/man/man3/
	install -m 644 src/libgongwen.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(B)/libgongwen.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/$(SOLIB) $(DESTDIR)$(LIBDIR)/
	ln -sf $(SOLIB) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libgongwen.so
	install -m 644 $(B)/gongwen.pc $(DESTDIR)$(LIBDIR)/pkgconfig/

# what install put in place, and nothing else
uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(notdir $(BINS))) \
		$(addprefix $(DESTDIR)$(PREFIX)/share/man/man1/,$(notdir $(wildcard man/*.1))) \
		$(DESTDIR)$(PREFIX)/share/man/man3/gongwen.3 $(DESTDIR)$(PREFIX)/include/libgongwen.h \
		$(DESTDIR)$(LIBDIR)/libgongwen.a $(DESTDIR)$(LIBDIR)/$(SOLIB) $(DESTDIR)$(LIBDIR)/$(SONAME) \
		$(DESTDIR)$(LIBDIR)/libgongwen.so $(DESTDIR)$(LIBDIR)/pkgconfig/gongwen.pc
	rm -rf $(DESTDIR)$(PREFIX)/share/gongwen $(DESTDIR)$(PREFIX)/share/doc/gongwen

# the whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer (in build-asan/)
test-asan:
	$(MAKE) B=build-asan CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" test

# the sample through every program under valgrind: no leak, no error
leakcheck: build
	tests/leakcheck.sh $(B)

# each libFuzzer harness for FUZZ_SECONDS (default 60); crashing inputs are kept in tests/fuzz/regress/
fuzz: build
	@tools/deps.sh fuzz
	tests/fuzz/run.sh

format:
	clang-format -i src/*.c src/*.h tests/unit/*.c

clean:
	rm -rf $(B) $(OUT) build-asan build-fuzz
FORCE:
.SECONDARY:
