# tests/fuzz/fuzz.mk - libFuzzer harnesses (`make fuzz` in the top directory runs
# `make -f tests/fuzz/fuzz.mk run`).
#
# The library is compiled again with clang, instrumented for libFuzzer and
# checked by AddressSanitizer + UndefinedBehaviorSanitizer, into build/fuzz/;
# each harness tests/fuzz/fuzz_NAME.c links it with -fsanitize=fuzzer and runs
# FUZZ_SECONDS (default 20) from its committed seed corpus tests/fuzz/corpus/NAME/
# (new inputs go to build/fuzz/corpus/NAME/, never into the repository).  A
# crash, a leak, undefined behaviour or a broken invariant stops the run with a
# reproducer in build/fuzz/crash-NAME-*: replay it with
#     build/fuzz/fuzz_NAME build/fuzz/crash-NAME-...
#
# Multipart bodies are parsed by libmicrohttpd's post processor as they stream
# in (src/http/multipart.c), which needs a live MHD connection: that parser is
# libmicrohttpd's, fuzzed by its own project, and covered here only through the
# API tests (tests/api/files*.test.js, fuzz.test.js).
#
# Needs clang and libFuzzer (Debian 12: clang-14 and libclang-rt-14-dev, which
# scripts/deps.sh installs).

FUZZ_SECONDS ?= 20
FUZZ_CC      ?= clang
FUZZ_DEFS    ?=
FUZZ_BUILD   := build/fuzz
HARNESSES    := validate cnid license calendar

PKGS     := $(shell sed -n 's/^PKGS *:= *//p' Makefile)
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FCFLAGS  := -std=c17 -O1 -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-string-plus-int \
            -D_GNU_SOURCE -DYW_VERSION='"fuzz"' -Isrc -pthread $(SAN) \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FLDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

LIB_SRC  := $(filter-out src/main.c,$(shell find src -name '*.c' | sort))
FOBJ     := $(patsubst src/%.c,$(FUZZ_BUILD)/obj/%.o,$(LIB_SRC)) $(FUZZ_BUILD)/obj/embedded.o
EMBED    := $(sort $(wildcard migrations/sqlite/*.sql) $(wildcard migrations/pg/*.sql)) docs/openapi.yaml
BINS     := $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(HARNESSES))

.PHONY: all run check-clang FORCE

all: check-clang $(BINS)

check-clang:
	@command -v $(FUZZ_CC) >/dev/null || { echo "fuzz: $(FUZZ_CC) is missing (bash scripts/deps.sh)" >&2; exit 1; }

# the code under test: instrumented for coverage (fuzzer-no-link), not linked with libFuzzer's main
$(FUZZ_BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FCFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/gen/embedded.c: $(EMBED) scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh $@ $(EMBED)

$(FUZZ_BUILD)/obj/embedded.o: $(FUZZ_BUILD)/gen/embedded.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FCFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FOBJ) $(FUZZ_BUILD)/defs
	$(FUZZ_CC) $(FCFLAGS) $(FUZZ_DEFS) -Wmissing-prototypes -Werror -fsanitize=fuzzer -o $@ $< $(FOBJ) $(FLDLIBS)

# the harnesses are rebuilt when FUZZ_DEFS changes
$(FUZZ_BUILD)/defs: FORCE
	@mkdir -p $(dir $@)
	@echo '$(FUZZ_DEFS)' > $@.tmp; cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

# Each harness for FUZZ_SECONDS; the first failure stops the run (its status is make's).
run: all
	@set -e; for h in $(HARNESSES); do \
	    mkdir -p $(FUZZ_BUILD)/corpus/$$h; \
	    echo "== fuzz_$$h: $(FUZZ_SECONDS) s from tests/fuzz/corpus/$$h"; \
	    LSAN_OPTIONS="suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0" \
	    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
	    $(FUZZ_BUILD)/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) -timeout=25 -rss_limit_mb=2560 \
	        -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/crash-$$h- \
	        $(FUZZ_BUILD)/corpus/$$h tests/fuzz/corpus/$$h 2>$(FUZZ_BUILD)/fuzz_$$h.log \
	        || { tail -n 60 $(FUZZ_BUILD)/fuzz_$$h.log; echo "fuzz_$$h FAILED (log: $(FUZZ_BUILD)/fuzz_$$h.log)" >&2; exit 1; }; \
	    grep -E '^(stat::number_of_executed_units|stat::new_units_added|#[0-9]+ +DONE)' $(FUZZ_BUILD)/fuzz_$$h.log | tr '\n' ' '; echo; \
	done

-include $(shell find $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)
