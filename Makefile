# gongwen — Chinese government documents (公文) to JSON and Akoma Ntoso XML.
#   make            build, then process every corpus/*.txt into out/
#   make test       build and run the whole test suite
#   make eval       score out/ for ../shared/corpus against ../shared/gold
# See README.md for the rest (install, bench, fuzz, sanitizers).

CORPUS ?= corpus
OUT ?= out
PREFIX ?= /usr/local
DESTDIR ?=
SHARED ?= ../shared
B ?= build

CC ?= cc
CFLAGS ?= -O2 -g
PKGS = icu-uc icu-i18n libpcre2-8 jansson libxml-2.0
WARN = -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings -Wshadow
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(PKG_CFLAGS) \
	-DGW_RULES_DIR='"$(PREFIX)/share/gongwen/rules"' $(CFLAGS)
LDLIBS = $(PKG_LIBS) -lm -lpthread

# every src/*.c is part of the library except the programs' mains (src/main-NAME.c → gw-NAME)
LIBSRC = $(filter-out main-%,$(notdir $(basename $(wildcard src/*.c))))
LIBOBJ = $(LIBSRC:%=$(B)/%.o)
PROGS = $(patsubst src/main-%.c,gw-%,$(wildcard src/main-*.c))
BINS = $(PROGS:%=$(B)/%)
RULES = $(sort $(wildcard rules/*.rules))
DOCS = $(sort $(wildcard $(CORPUS)/*.txt))

.PHONY: all build deps test eval clean install format

all: build
	@mkdir -p $(OUT)
	$(B)/gw-normalize $(DOCS) | $(B)/gw-segment | $(B)/gw-extract | $(B)/gw-emit --out $(OUT)

build: $(B)/.deps $(B)/libgongwen.a $(BINS)

$(B)/.deps: tools/deps.sh
	@mkdir -p $(B)
	@tools/deps.sh build
	@touch $@

$(B)/.deps-test: tools/deps.sh
	@mkdir -p $(B)
	@tools/deps.sh test
	@touch $@

$(B)/%.o: src/%.c $(wildcard src/*.h) | $(B)/.deps
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libgongwen.a: $(LIBOBJ)
	rm -f $@
	ar rcs $@ $(LIBOBJ)

$(B)/gw-%: $(B)/main-%.o $(B)/libgongwen.a
	$(CC) $(CFLAGS) -o $@ $< $(B)/libgongwen.a $(LDLIBS)

$(B)/main-%.o: src/main-%.c $(wildcard src/*.h) | $(B)/.deps
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

test: $(B)/.deps-test build
	@CC="$(CC)" GW_CFLAGS="$(ALL_CFLAGS)" GW_LDLIBS="$(LDLIBS)" tests/run.sh $(B) $(T)

eval: build
	@tests/eval.sh $(B) $(SHARED)

format:
	clang-format -i src/*.c src/*.h tests/unit/*.c

clean:
	rm -rf $(B) $(OUT)
.SECONDARY:
