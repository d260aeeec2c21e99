#!/usr/bin/env bash
# Runs every test: formatting and lints of every crate, all unit and integration
# tests of the workspace (with the conformance suite against a real kube-apiserver), then
# the end-to-end tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
. scripts/env.sh

step() { printf '\n=== %s\n' "$*" >&2; }

step "real kube-apiserver for the conformance suite"
if KUBE_APISERVER=$(bash tools/kube-apiserver.sh); then
  export KUBE_APISERVER CONFORMANCE_REQUIRED=1
else
  echo "test: no real kube-apiserver here; the conformance suite says so and skips" >&2
fi

step "format and lints"
cargo fmt --all --check
cargo clippy --workspace --no-deps --all-targets -- -D warnings
cargo clippy -p app --no-deps --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "unit and integration tests"
cargo test --workspace

step "end-to-end tests in Chromium"
LEPTOS_SITE_ROOT=$(site_root_for debug) cargo leptos build
export REGISTRY_CONSOLE_BIN="$CARGO_TARGET_DIR/debug/registry-console"
(cd end2end && npx playwright test)
