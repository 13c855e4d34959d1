# dockwright — `make` builds ./dockwright; `make check` runs every test;
# `make check SANITIZE=1` runs them on an ASan+UBSan build; `make demo` runs
# the main job on examples/. Missing Debian -dev packages are installed by
# the `deps` step when run as root.

CC       ?= cc
PREFIX   ?= /usr/local
SANITIZE ?=
UPDATE   ?=

PKGS      := jansson yaml-0.1
DEB_PKGS  := libjansson-dev libyaml-dev pkg-config python3-jsonschema shellcheck

WARN   := -std=c11 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes
DEFS   := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
ifeq ($(SANITIZE),1)
  BUILD  := build/san
  OPT    := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
  LDSAN  := -fsanitize=address,undefined
else
  BUILD  := build/rel
  OPT    := -O2 -g
  LDSAN  :=
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS_ALL = $(WARN) $(DEFS) $(OPT) -Iinclude $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(LDSAN) -pthread -Wl,--as-needed $(LDFLAGS)

LIB_SRC  := $(wildcard src/util/*.c src/dockerfile/*.c src/shell/*.c src/output/*.c src/rules/*.c src/ignore/*.c src/yaml/*.c src/compose/*.c src/fix/*.c src/check/*.c)
DOCS     := $(sort $(wildcard docs/rules/*.md))
CLI_SRC  := $(wildcard src/cli/*.c)
TEST_SRC := $(wildcard tests/*.c tests/unit/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/rule_docs.o
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libdockwright.a
BIN      := $(BUILD)/dockwright
TESTBIN  := $(BUILD)/run-tests

.PHONY: all deps check demo bench fuzz install clean
all: dockwright

dockwright: $(BIN)
	@if [ "$(SANITIZE)" != "1" ]; then cp $(BIN) dockwright; fi

# Libraries are required; python3-jsonschema only lets the SARIF test run and
# shellcheck the ShellCheck tests (the hadolint-rules SC rows, the sc-* cases):
# each is skipped with a notice without it. As root, whatever is missing is
# installed; otherwise the command to run is printed (and a missing library
# stops the build).
deps:
	@missing=""; optional=""; \
	for p in $(PKGS) yaml-0.1; do pkg-config --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	command -v pkg-config >/dev/null || missing="$$missing pkg-config"; \
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || optional="python3-jsonschema"; \
	command -v shellcheck >/dev/null || optional="$$optional shellcheck"; \
	if [ -n "$$missing$$optional" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "deps: installing $(DEB_PKGS) (missing:$$missing $$optional)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_PKGS)) >/dev/null \
	      || [ -z "$$missing" ] || exit 1; \
	  elif [ -n "$$missing" ]; then \
	    echo "deps: missing$$missing; run: sudo apt-get install -y $(DEB_PKGS)"; exit 1; \
	  else \
	    echo "deps: note: not installed:$$optional; the tests needing it are skipped (python3-jsonschema: SARIF schema; shellcheck: ShellCheck)"; \
	  fi; \
	fi

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

# the rule pages, embedded for `explain` and SARIF
$(BUILD)/tools/embed_docs: tools/embed_docs.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 $< -o $@

$(BUILD)/gen/rule_docs.c: $(BUILD)/tools/embed_docs $(DOCS)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed_docs $@ $(DOCS)

$(BUILD)/gen/rule_docs.o: $(BUILD)/gen/rule_docs.c
	$(CC) -std=c11 $(OPT) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(CLI_OBJ) $(LIB) $(LDFLAGS_ALL) $(PKG_LIBS) -o $@

$(TESTBIN): $(TEST_OBJ) $(LIB)
	$(CC) $(TEST_OBJ) $(LIB) $(LDFLAGS_ALL) $(PKG_LIBS) -o $@

check: deps $(BIN) $(TESTBIN)
	DW_BIN=$(abspath $(BIN)) DW_UPDATE=$(UPDATE) ./$(TESTBIN)

# the main job on the examples; the naive ones have findings (exit 1), which is the point
demo: deps dockwright
	@./dockwright check examples/ || [ $$? -eq 1 ]
	@echo
	@for f in $$(find examples -name Dockerfile | sort); do \
	  echo "== stages of $$f"; ./dockwright graph $$f || true; \
	done
	@echo; echo "== what docker build would send from examples/python-naive"
	@./dockwright context examples/python-naive --top 5 || true

bench: dockwright
	bench/parse
	bench/check
	bench/context

fuzz:
	$(MAKE) -C fuzz

install: dockwright
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 dockwright $(DESTDIR)$(PREFIX)/bin/dockwright

clean:
	rm -rf build dockwright

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
