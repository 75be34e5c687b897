# SIGM - one binary, one Makefile.
#
#   make run     install what is missing, build, start the server on SQLite with demo data
#   make check   install what is missing, build, run every test (unit, sanitizers, API, browser)
#   make bench   benchmarks (results: bench/RESULTS.md)
#   make fuzz    libFuzzer targets under ASan+UBSan, FUZZ_SECONDS each
#
# Sources are found by wildcard: a new file under src/<layer>/ or a new
# tests/unit/test_*.c, tests/fuzz/fuzz_*.c or bench/<name>/*.c needs no edit here.

BUILD     ?= build
CC        ?= cc
SAN       ?=
FUZZ_SECONDS ?= 60
# Compilers at once for make run and make check (a serial build of both
# trees was two and a half minutes of make check with a core idle).
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
PKGS      := libmicrohttpd jansson sqlite3 libpq libsodium libutf8proc cairo libqrencode

# '=' (not ':='): pkg-config runs when a recipe needs it, after the deps step.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation
OPT     := -O2 -g
ifeq ($(SAN),1)
OPT     := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
CFLAGS_ALL = -std=c17 -D_GNU_SOURCE -pthread $(WARN) $(OPT) -Isrc $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = -pthread $(OPT) $(LDFLAGS)
LIBS_ALL   = $(PKG_LIBS) -lm

CORE_SRC  := $(wildcard src/core/*.c)
LIB_SRC   := $(CORE_SRC) $(wildcard src/store/*.c src/api/*.c) \
             $(filter-out src/cli/main.c,$(wildcard src/cli/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
BENCH_DIRS := $(patsubst bench/%/,%,$(sort $(dir $(wildcard bench/*/*.c))))
BENCH_BIN := $(BENCH_DIRS:%=$(BUILD)/bench/%)

.SECONDEXPANSION:

.PHONY: all deps deps-check libs-present build asan-build run check check-lane1 check-lane2 check-lane3 api-sqlite api-release bench fuzz clean unit unit-asan api-asan \
        api api-pg e2e e2e-asan peer node_modules fuzz-build fuzz-api fuzz-api-pg

all: deps
	@$(MAKE) --no-print-directory build

deps:
	@scripts/setup-deps.sh build

deps-check:
	@scripts/setup-deps.sh all

build: $(BUILD)/sigm $(UNIT_BIN)

# A bare make build on a fresh machine (make run and make check install the
# packages first) said it with a page of pkg-config errors and a failed
# compile; it now names the libraries and the command that installs them.
libs-present:
	@pkg-config --exists $(PKGS) || { \
	  echo "faltan bibliotecas de desarrollo: $$(for p in $(PKGS); do pkg-config --exists $$p || printf '%s ' $$p; done)" >&2; \
	  echo "instálelas con: make deps (make run y make check las instalan solos)" >&2; exit 1; }

$(BUILD)/%.o: %.c | libs-present
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/libsigm.a: $(LIB_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/sigm: $(BUILD)/src/cli/main.o $(BUILD)/libsigm.a
	@echo "LD $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsigm.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(BUILD)/libsigm.a $(LDFLAGS_ALL) $(LIBS_ALL)

$(BUILD)/bench/%: $(BUILD)/libsigm.a $$(wildcard bench/%/*.c)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $(wildcard bench/$*/*.c) $(BUILD)/libsigm.a $(LDFLAGS_ALL) $(LIBS_ALL)

run: deps
	@$(MAKE) --no-print-directory -j$(JOBS) build
	@scripts/run-demo.sh $(BUILD)/sigm

unit: build
	@tests/run-unit.sh $(BUILD)/tests unit

unit-asan:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 build
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  tests/run-unit.sh build/asan/tests unit-asan

ASAN_SERVER = detect_leaks=0:abort_on_error=1
UBSAN_SERVER = print_stacktrace=1:halt_on_error=1

# The sanitized tree as a target of its own, so that make -j builds it
# beside the plain one.
asan-build:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 build

# The API suite again with the server built with AddressSanitizer and
# UndefinedBehaviorSanitizer (SQLite): a handler that frees what the request
# owns corrupts the heap silently in the plain build and aborts here.
api-asan: node_modules
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 build
	@ASAN_OPTIONS=$(ASAN_SERVER) UBSAN_OPTIONS=$(UBSAN_SERVER) \
	  SIGM_TEST_OUTPUT=build/asan/test-output SIGM_BIN=$(abspath build/asan/sigm) tests/run-node.sh api-asan tests/api

node_modules: package.json
	@scripts/npm-install.sh

# The API suite runs on both engines: SQLite, then a PostgreSQL server the
# harness starts itself (recorded as suite api-pg).
api: build node_modules
	@SIGM_BIN=$(abspath $(BUILD)/sigm) tests/run-node.sh api tests/api; a=$$?; \
	  SIGM_BIN=$(abspath $(BUILD)/sigm) tests/run-node-pg.sh api-pg tests/api; b=$$?; \
	  [ $$a -eq 0 ] && [ $$b -eq 0 ]

api-sqlite: build node_modules
	@SIGM_BIN=$(abspath $(BUILD)/sigm) tests/run-node.sh api tests/api

# make check runs the whole API suite on SQLite against the sanitized
# server (api-asan) and on PostgreSQL against the plain one (api-pg); the
# plain server on SQLite, the engine an office runs embedded, takes the
# files about the process itself: acknowledged writes through kill -9,
# signals, backup, configuration, migrations, the audit chain, two nodes,
# the races, the demo data.  The whole suite a third time was a quarter of
# make check's time, over the CI's budget (make api-sqlite runs it).
API_RELEASE ?= durability platform audit harness-start migrate-atomic demo conc-crossings \
               conc-inadmission conc-registries conc-stay idempotency nodes fast-passwords
api-release: build node_modules
	@SIGM_TEST_ONLY="$(API_RELEASE)" SIGM_BIN=$(abspath $(BUILD)/sigm) tests/run-node.sh api-release tests/api

api-pg: build node_modules
	@SIGM_BIN=$(abspath $(BUILD)/sigm) tests/run-node-pg.sh api-pg tests/api

peer: build node_modules
	@SIGM_BIN=$(abspath $(BUILD)/sigm) tests/run-node.sh peer tests/peer

e2e: build node_modules
	@SIGM_BIN=$(abspath $(BUILD)/sigm) tests/run-node.sh e2e tests/e2e

# The browser suite against the sanitized server: the officer's screens
# send what the API tests may not (it found the body released twice).
e2e-asan: node_modules
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 build
	@ASAN_OPTIONS=$(ASAN_SERVER) UBSAN_OPTIONS=$(UBSAN_SERVER) \
	  SIGM_BIN=$(abspath build/asan/sigm) tests/run-node.sh e2e-asan tests/e2e

# One of its three shards, recorded as e2e-asan.N.  Their shares follow
# what else their lane of make check runs: shard 1 beside the PostgreSQL
# API suite (the longest), 2 beside the sanitized one, 3 beside the plain
# server's files (api-release, the shortest), so that the lanes end
# together.
E2E_SHARES ?= 24 18 58
e2e-asan.%: node_modules
	@ASAN_OPTIONS=$(ASAN_SERVER) UBSAN_OPTIONS=$(UBSAN_SERVER) SIGM_TEST_SHARD=$*/3 SIGM_TEST_SHARD_WEIGHTS="$(E2E_SHARES)" \
	  SIGM_BIN=$(abspath build/asan/sigm) tests/run-node.sh e2e-asan.$* tests/e2e

# make check in three lanes at once.  The browser suite runs once, against
# the sanitized server, in three shards: the screens are tested, and what
# they send is checked for memory errors; the plain server is the API
# suite's, on both engines.  One suite at a time (the browser suite twice,
# plain and sanitized) took 35 minutes; a suite waits on its browser and
# its server, and left a core idle.
check: deps-check
	@rm -rf build/results && mkdir -p build/results
	@$(MAKE) --no-print-directory -j$(JOBS) build asan-build node_modules
	@SIGM_TEST_PG_REQUIRED=1 $(MAKE) --no-print-directory -k -j3 check-lane1 check-lane2 check-lane3; rc=$$?; \
	  scripts/summary.sh build/results unit unit-asan api-release api-pg api-asan e2e-asan.1 e2e-asan.2 e2e-asan.3 \
	    $(if $(wildcard tests/peer/*.test.mjs),peer); s=$$?; [ $$rc -eq 0 ] && [ $$s -eq 0 ]

check-lane1:
	@$(MAKE) --no-print-directory -k -j1 unit api-release $(if $(wildcard tests/peer/*.test.mjs),peer) e2e-asan.3

check-lane2:
	@$(MAKE) --no-print-directory -k -j1 unit-asan api-asan e2e-asan.2

check-lane3:
	@$(MAKE) --no-print-directory -k -j1 e2e-asan.1 api-pg

bench: deps-check
	@$(MAKE) --no-print-directory build $(BENCH_BIN)
	@bench/run.sh $(BUILD)

fuzz-build: deps-check
	@mkdir -p $(BUILD)/fuzz
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  echo "clang $$n"; \
	  clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	    -Isrc $(PKG_CFLAGS) $$f $(CORE_SRC) -o $(BUILD)/fuzz/$$n $(PKG_LIBS) -lm || exit 1; \
	done

fuzz: fuzz-build
	@tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS)

# The API suite against the sanitized server, each file's requests replayed
# at its end with one field, id or query value at a time made bad
# (tests/lib/replay-fuzz.mjs): every answer below 500, the server alive.
# Not in make check: it takes several times the suite's time.
fuzz-api: node_modules
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 build
	@SIGM_FUZZ_REPLAY=1 ASAN_OPTIONS=$(ASAN_SERVER) UBSAN_OPTIONS=$(UBSAN_SERVER) \
	  SIGM_TEST_OUTPUT=build/asan/fuzz-api-output SIGM_BIN=$(abspath build/asan/sigm) tests/run-node.sh fuzz-api tests/api

# The same on PostgreSQL, with the plain server (its own SQL, its own
# errors: a number out of BIGINT's range, a text PostgreSQL refuses).
fuzz-api-pg: build node_modules
	@SIGM_FUZZ_REPLAY=1 SIGM_TEST_OUTPUT=build/fuzz-api-pg-output SIGM_BIN=$(abspath $(BUILD)/sigm) \
	  tests/run-node-pg.sh fuzz-api-pg tests/api

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/cli/main.d
