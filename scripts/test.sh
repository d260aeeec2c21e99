#!/usr/bin/env bash
# Runs every test: formatting and lints of every crate, all unit and integration
# tests of the workspace (with the conformance suite against a real kube-apiserver), then
# the end-to-end tests in Debian's Chromium, then the size budget of the release site.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step says when it starts, in minutes and seconds since the run began, so a slow
# or stuck step shows in CI's log.
step() { printf '\n=== [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }

step "tools"
scripts/setup.sh test
. scripts/env.sh

step "real kube-apiserver for the conformance suite"
if KUBE_APISERVER=$(bash tools/kube-apiserver.sh); then
  export KUBE_APISERVER CONFORMANCE_REQUIRED=1
else
  echo "test: no real kube-apiserver here; the conformance suite says so and skips" >&2
fi

# setup.sh installed Debian's docker-registry and prometheus: the tests against the real
# registry and the real Prometheus must not skip.
export REGISTRY_REQUIRED=1 PROMETHEUS_REQUIRED=1

step "format and lints"
cargo fmt --all --check
cargo clippy --workspace --no-deps --all-targets -- -D warnings
cargo clippy -p app -p browser --no-deps --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "unit and integration tests"
# nextest runs each test in its own process and ends one that hangs (.config/nextest.toml)
# instead of letting it hold CI until its time runs out; doc tests run apart.
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace
  cargo test --workspace --doc
else
  echo "test: cargo-nextest is missing; cargo test runs the tests without a time limit" >&2
  cargo test --workspace
fi

step "end-to-end tests in Chromium"
# The binary is the one the tests built (for server/tests/): building it again alone would
# resolve other features and rebuild the workspace's crates.
tools/build-site.sh --site-only
export REGISTRY_CONSOLE_BIN="$CARGO_TARGET_DIR/debug/registry-console"
[ -x "$REGISTRY_CONSOLE_BIN" ] || { echo "test: the tests did not build $REGISTRY_CONSOLE_BIN" >&2; exit 1; }
(cd end2end && npx playwright test)

step "first-load budget of the release site, in Chromium"
tools/build-site.sh --release --site-only
(cd end2end && BUDGET_SITE_DIR="$(site_root_for release)" npx playwright test --config budget.config.ts)
step "done"
