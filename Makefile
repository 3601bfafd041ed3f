# Warden's commands. `make run` opens the app; `make test` runs every test. Both install what
# they need on a Debian or Ubuntu machine first, and skip what is already there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Debian packages the app needs to build and run (Tauri 2 on WebKitGTK 4.1).
APT_BUILD := build-essential pkg-config file libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev \
	libayatana-appindicator3-dev libxdo-dev libssl-dev xdg-utils
# And what the tests need on top: a virtual display, the WebKit WebDriver, screenshots, and a
# Secret Service (GNOME Keyring on a private D-Bus session) for the keychain test.
APT_TEST := xvfb xauth webkit2gtk-driver imagemagick x11-utils gnome-keyring dbus
# Node.js 20.19+ builds the UI (Vite 8).
NODE_MIN := 20.19

CARGO ?= cargo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
APP_FEATURES := --features custom-protocol
STAMPS := .cache/stamps
# The real agent CLIs the tests drive (pinned in tests/agent-clis) live in this cache folder.
AGENTS_DIR := $(or $(WARDEN_AGENTS_DIR),.cache/agents)
AGENT_BIN = $(abspath $(AGENTS_DIR))/node_modules/.bin
# How the tests find each pinned CLI.
TEST_AGENTS = WARDEN_TEST_CLAUDE=$(AGENT_BIN)/claude WARDEN_TEST_CODEX=$(AGENT_BIN)/codex \
	WARDEN_TEST_GEMINI=$(AGENT_BIN)/gemini WARDEN_TEST_CLAUDE_ACP=$(AGENT_BIN)/claude-agent-acp \
	WARDEN_TEST_CODEX_ACP=$(AGENT_BIN)/codex-acp


.PHONY: help run check-display test bindings bench bench-worktrees bench-ui bundle ui deps deps-test agents check-toolchain test-rust test-ui test-e2e clean

help:
	@echo "make run      install what is missing, build the UI and the app, open the window"
	@echo "make test     install what is missing, then run every test (Rust, UI, end to end)"
	@echo "make bindings regenerate ui/src/bindings.ts from the Rust types"
	@echo "make bench    run the benchmarks (criterion) and print their numbers"
	@echo "make bench-ui open a generated 20,000-event session in the real webview (Xvfb) and"
	@echo "              print open time, scroll frame times and memory (tests/artifacts/bench/)"
	@echo "make bench-worktrees  time worktree sessions (with and without a setup command) and the"
	@echo "              project watcher (idle CPU, memory, outside-edit latency) on a 50,000-file repository"
	@echo "make bundle   build the .deb package (target/release/bundle/deb/)"

# --- set-up -----------------------------------------------------------------------------------

check-toolchain:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust from https://rustup.rs (stable, 1.90 or newer)"; exit 1; }

deps: check-toolchain
	@src-tauri/scripts/apt-install.sh $(APT_BUILD)
	@src-tauri/scripts/node-check.sh $(NODE_MIN)
	@src-tauri/scripts/npm-install.sh ui

deps-test: deps agents
	@src-tauri/scripts/apt-install.sh $(APT_TEST)

agents: deps
	@src-tauri/scripts/agents-install.sh tests/agent-clis $(AGENTS_DIR)

ui: deps
	npm --prefix ui run build

# --- the two commands -------------------------------------------------------------------------

run: check-display ui
	$(CARGO) build $(APP_FEATURES)
	$(TARGET_DIR)/debug/warden $(ARGS)

check-display:
	@if [ "$$(uname -s)" = Linux ] && [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "No display found (DISPLAY and WAYLAND_DISPLAY are unset)."; \
	  echo "Warden is a desktop app. Without a graphical session run it under a virtual display:"; \
	  echo "    xvfb-run -a make run"; \
	  exit 2; fi

test: deps-test ui test-rust test-ui test-e2e
	@tests/summary.sh

# The fake agent is a separate binary the engine tests start; cargo only builds it on request.
test-rust: deps-test
	@mkdir -p tests/artifacts
	$(CARGO) build -p warden-fake-agent -p warden-mock-models
	$(TEST_AGENTS) $(CARGO) test --workspace $(APP_FEATURES) 2>&1 | tee tests/artifacts/rust.log
	WARDEN_TEST_KEYCHAIN=1 dbus-run-session -- src-tauri/scripts/with-keyring.sh \
	  $(CARGO) test -p warden-gate --lib a_real_keychain_round_trip 2>&1 | tee -a tests/artifacts/rust.log

test-ui: deps
	@mkdir -p tests/artifacts
	npm --prefix ui test 2>&1 | tee tests/artifacts/ui.log

# The e2e run drives the binary `cargo test` built (same features), so nothing builds twice.
test-e2e: deps-test test-rust
	@mkdir -p tests/artifacts
	$(TEST_AGENTS) xvfb-run -a -s "-screen 0 1280x800x24" node --test --test-reporter=spec --test-concurrency=1 tests/e2e/*.test.mjs \
	  2>&1 | tee tests/artifacts/e2e.log

# --- other tasks ------------------------------------------------------------------------------

bindings: deps
	WARDEN_UPDATE_BINDINGS=1 $(CARGO) test $(APP_FEATURES) --test app bindings_are_fresh

bench: deps
	$(CARGO) build --release -p warden-fake-agent
	$(CARGO) bench -p warden-engine --bench claude_stream
	$(CARGO) bench -p warden-journal --bench journal
	$(CARGO) bench -p warden-webhooks --bench throughput
	$(CARGO) bench -p warden-engine --bench gate
	$(CARGO) bench -p warden-engine --bench usage
	$(CARGO) bench -p warden-engine --bench search
	$(CARGO) bench -p warden-engine --bench finder
	@echo "The window's benchmark (opening and scrolling a 20,000-event session) is: make bench-ui"
	@echo "Worktrees and the project watcher on a 50,000-file repository: make bench-worktrees"

# Worktree sessions and the project watcher on a generated 50,000-file git repository (issue 18's
# numbers): prints a markdown table and the machine. Takes a few minutes (three 30 s idle periods).
# Smaller runs: WARDEN_BENCH_FILES=5000 WARDEN_BENCH_IDLE_SECS=5 make bench-worktrees
bench-worktrees: deps
	$(CARGO) build --release -p warden-fake-agent
	$(CARGO) bench -p warden-engine --bench worktrees

# Opens a generated 20,000-event session in the built app under Xvfb and measures it in the
# webview (tests/e2e/bench-session.mjs). Not part of `make test`: it prints numbers, it does not
# pass or fail on them. Pass options with BENCH_ARGS="--events 5000 --runs 5"; measure the
# optimised app (as `make bundle` ships it) with BENCH_PROFILE=release.
BENCH_PROFILE ?= debug
BENCH_CARGO_FLAGS := $(if $(filter release,$(BENCH_PROFILE)),--release)
bench-ui: ui
	@src-tauri/scripts/apt-install.sh $(APT_TEST)
	$(CARGO) build $(BENCH_CARGO_FLAGS) $(APP_FEATURES)
	$(CARGO) build $(BENCH_CARGO_FLAGS) -p warden-mock-models --bin warden-gen-session
	@mkdir -p tests/artifacts/bench
	WARDEN_BIN=$(abspath $(TARGET_DIR)/$(BENCH_PROFILE)/warden) \
	WARDEN_GEN_SESSION=$(abspath $(TARGET_DIR)/$(BENCH_PROFILE)/warden-gen-session) \
	  xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/bench-session.mjs $(BENCH_ARGS)

bundle: ui
	ui/node_modules/.bin/tauri build --bundles deb --config '{"build":{"beforeBuildCommand":""}}'
	@ls -l $(TARGET_DIR)/release/bundle/deb/*.deb

clean:
	rm -rf ui/dist tests/artifacts .cache
