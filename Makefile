# ywtb - build, run, test, benchmark, install.
#
#   make run      install dependencies if missing, build, seed a demo SQLite
#                 database and serve the portal on http://127.0.0.1:8080/
#   make test     unit tests, API tests against SQLite, PostgreSQL and three PostgreSQL nodes, browser tests
#   make api-nodes the API tests through three nodes on one PostgreSQL behind nginx
#   make asan     unit tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make fuzz     libFuzzer harnesses (tests/fuzz/, clang), each for FUZZ_SECONDS (default 20)
#   make bench    benchmarks; results go to docs/PERFORMANCE.md (never part of test)
#   make install  PREFIX=/usr/local DESTDIR=  binary, web assets, migrations, unit

# The release, plus where in the history a build comes from (SemVer build
# metadata: 0.2.0+415.g1a2b3c4, ".dirty" with uncommitted changes), so two
# builds never both call themselves the same; without git, the release alone.
RELEASE  := 0.2.0
GIT_SHA  := $(shell git rev-parse --short HEAD 2>/dev/null)
GIT_DESC := $(if $(GIT_SHA),+$(shell git rev-list --count HEAD).g$(GIT_SHA)$(shell git diff --quiet HEAD -- src Makefile 2>/dev/null || echo .dirty))
VERSION  ?= $(RELEASE)$(GIT_DESC)
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
SANITIZE ?= 0

PKGS      := libmicrohttpd jansson sqlite3 libpq openssl libsodium yaml-0.1 pangocairo cairo-pdf libqrencode libzip libpng libjpeg xlsxwriter libcurl
TEST_PKGS := cmocka

ifeq ($(SANITIZE),1)
BUILD    ?= build/asan
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT      := -O1 -g
else
BUILD    ?= build
SANFLAGS :=
OPT      := -O2 -g
endif

WARN    := -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wcast-qual -Wno-unused-parameter -Wno-missing-field-initializers
CPPFLAGS += -D_GNU_SOURCE -DYW_VERSION='"$(VERSION)"' -Isrc
CFLAGS  += $(OPT) $(WARN) $(SANFLAGS) -pthread $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDFLAGS += $(SANFLAGS) -pthread
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null)

SRC       := $(shell find src -name '*.c' | sort)
LIB_SRC   := $(filter-out src/main.c,$(SRC))
OBJ       := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/embedded.o
EMBED     := $(sort $(wildcard migrations/sqlite/*.sql) $(wildcard migrations/pg/*.sql)) docs/openapi.yaml
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

.PHONY: all run test unit api api-nodes e2e asan fuzz bench install clean deps check-deps vendor FORCE

all: check-deps $(BUILD)/ywtb $(BUILD)/paysim vendor

# Install Debian/npm dependencies only when something is missing (a library, qpdf, nginx,
# node_modules, npm packages older than package-lock.json, or the browser libraries).
check-deps:
	@pkg-config --exists $(PKGS) $(TEST_PKGS) 2>/dev/null && command -v qpdf >/dev/null && \
	    [ -x /usr/sbin/nginx ] && \
	    [ -d node_modules ] && [ ! package-lock.json -nt node_modules/.stamp ] && \
	    $(foreach f,$(VENDOR_SRC),[ -f node_modules/$(f) ] &&) true || bash scripts/deps.sh

# Browser libraries (Leaflet for the grid map, ECharts for the dashboards) come
# from npm (package.json devDependencies) and are served by ywtb itself under
# /vendor/ - no CDN, nothing from node_modules committed: their dist files are
# copied into web/vendor/ (gitignored) at build time and installed with web/.
# cp -p keeps the files' times, so the ETags stay the same across rebuilds.
VENDOR_SRC := leaflet/dist/leaflet.js leaflet/dist/leaflet.css \
              leaflet/dist/images/marker-icon.png leaflet/dist/images/marker-icon-2x.png \
              leaflet/dist/images/marker-shadow.png leaflet/dist/images/layers.png \
              leaflet/dist/images/layers-2x.png echarts/dist/echarts.min.js

vendor: check-deps
	@for f in $(VENDOR_SRC); do \
	    [ -f node_modules/$$f ] || { echo "vendor: node_modules/$$f is missing; run 'npm install' (or 'bash scripts/deps.sh') at the top of the tree" >&2; exit 1; }; \
	    d=web/vendor/$$(echo $$f | sed 's|/dist/|/|'); \
	    cmp -s node_modules/$$f $$d || { mkdir -p $$(dirname $$d) && cp -p node_modules/$$f $$d; } || exit 1; \
	done

deps:
	bash scripts/deps.sh --all

$(BUILD)/ywtb: $(BUILD)/obj/main.o $(OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# main.c carries YW_VERSION: rebuilt when the version changes.
$(BUILD)/gen/version.txt: FORCE
	@mkdir -p $(dir $@)
	@echo $(VERSION) > $@.tmp; cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/obj/main.o: $(BUILD)/gen/version.txt

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# The list of embedded files is itself a prerequisite, so adding a migration
# regenerates the table even when the new file is older than the last build.
$(BUILD)/gen/embed.list: FORCE
	@mkdir -p $(dir $@)
	@echo $(EMBED) > $@.tmp; cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/gen/embedded.c: $(EMBED) $(BUILD)/gen/embed.list scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh $@ $(EMBED)

$(BUILD)/obj/embedded.o: $(BUILD)/gen/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(OBJ) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/unit $(shell pkg-config --cflags $(TEST_PKGS)) -o $@ $< $(OBJ) \
	    $(LDFLAGS) $(LDLIBS) $(shell pkg-config --libs $(TEST_PKGS))

# Benchmark programs that link ywtb's library (bench/lib_*.c).
$(BUILD)/bench/lib_%: bench/lib_%.c $(OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(OBJ) $(LDFLAGS) $(LDLIBS)

# The payment gateway simulator (tools/paysim/paysim.c): started by the API and
# browser tests and by `make run`'s demo below (on 127.0.0.1:8091, its key in
# var/paysim.pem), never by production.
$(BUILD)/paysim: tools/paysim/paysim.c $(OBJ)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(OBJ) $(LDFLAGS) $(LDLIBS)

run: all
	@mkdir -p var
	$(BUILD)/ywtb seed --demo --db sqlite:var/ywtb.db
	@echo
	@echo "ywtb is starting: open http://127.0.0.1:8080/ and log in with an account above (Ctrl-C stops; access log in var/access.log)."
	@rm -f var/paysim.pem; $(BUILD)/paysim --listen 127.0.0.1:8091 --key-out var/paysim.pem & pid=$!; \
	    for i in $$(seq 50); do [ -s var/paysim.pem ] && break; sleep 0.1; done; \
	    $(BUILD)/ywtb serve --db sqlite:var/ywtb.db --listen 127.0.0.1:8080 --access-log var/access.log \
	    --pay-gateway-url http://127.0.0.1:8091 --pay-gateway-key var/paysim.pem; kill $pid

# Unit tests, API tests on SQLite and (when PostgreSQL is installed, or
# YWTB_TEST_PG_ADMIN is set) on PostgreSQL and through three nodes on PostgreSQL
# behind nginx (api-nodes), then the browser tests.  scripts/test.sh starts a throw-away
# PostgreSQL cluster itself.
test: all $(UNIT_BIN)
	bash scripts/test.sh $(BUILD)

unit: all $(UNIT_BIN)
	bash scripts/test.sh $(BUILD) unit

api: all $(UNIT_BIN)
	bash scripts/test.sh $(BUILD) api

api-nodes: all
	bash scripts/test.sh $(BUILD) api-nodes

e2e: all
	bash scripts/test.sh $(BUILD) e2e

asan:
	$(MAKE) SANITIZE=1 all $(patsubst tests/unit/%.c,build/asan/tests/%,$(UNIT_SRC))
	bash scripts/test.sh build/asan unit

# JSON body validation, multipart, ID numbers and credit codes, license
# verification and the calendar under libFuzzer + ASan + UBSan: see tests/fuzz/fuzz.mk.
fuzz:
	$(MAKE) -f tests/fuzz/fuzz.mk run

bench: all
	bash scripts/deps.sh --bench
	bash bench/run.sh $(BUILD)

install: $(BUILD)/ywtb vendor
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/ywtb $(DESTDIR)/etc/ywtb \
	    $(DESTDIR)/lib/systemd/system
	install -m 0755 $(BUILD)/ywtb $(DESTDIR)$(PREFIX)/bin/ywtb
	cp -r web $(DESTDIR)$(PREFIX)/share/ywtb/
	cp -r migrations $(DESTDIR)$(PREFIX)/share/ywtb/
	cp -r data $(DESTDIR)$(PREFIX)/share/ywtb/
	install -m 0644 docs/openapi.yaml $(DESTDIR)$(PREFIX)/share/ywtb/openapi.yaml
	[ -f $(DESTDIR)/etc/ywtb/ywtb.conf ] || \
	    sed -e 's|@PREFIX@|$(PREFIX)|g' dist/ywtb.conf > $(DESTDIR)/etc/ywtb/ywtb.conf
	sed -e 's|@PREFIX@|$(PREFIX)|g' dist/ywtb.service > $(DESTDIR)/lib/systemd/system/ywtb.service
	chmod 0644 $(DESTDIR)/lib/systemd/system/ywtb.service

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
