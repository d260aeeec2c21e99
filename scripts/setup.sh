#!/usr/bin/env bash
# Installs what building (and, with `test`, testing) the console needs, skipping whatever
# is already there at the right version. Safe to run again.
#
#   scripts/setup.sh start   # wasm32 target, Node + binaryen (wasm-opt) and terser, brotli,
#                            # Debian's docker-registry (the demo's registry pods)
#   scripts/setup.sh test    # the above plus Debian's Chromium, kubectl, Prometheus and
#                            # Playwright
#
# Tools pinned here, because a clean machine must build the same thing:
#   binaryen 132.0.0 from npm (Debian's binaryen produces a WASM that never hydrates),
#   terser 5.51.4 from npm (minifies the release site's JavaScript).
# wasm-bindgen is not installed: tools/site-wasm runs it as a library, built with the
# workspace at the version Cargo.toml pins.
set -euo pipefail

purpose=${1:-start}
BINARYEN_VERSION=132.0.0
TERSER_VERSION=5.51.4
CACHE=${REGISTRY_CONSOLE_CACHE:-$HOME/.cache/registry-console}
NODE_TOOLS="$CACHE/node-tools"

say() { printf 'setup: %s\n' "$*" >&2; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  SUDO=(sudo)
fi

apt_updated=false
apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    say "please install: ${missing[*]} (this script knows only Debian's apt-get)"
    exit 1
  fi
  if [ "$apt_updated" = false ]; then
    say "apt-get update"
    "${SUDO[@]}" apt-get update -qq
    apt_updated=true
  fi
  say "installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq ${APT_LEAN:+--no-install-recommends} "${missing[@]}" >&2
}

if ! command -v cargo >/dev/null; then
  say "cargo is missing: install Rust with rustup (https://rustup.rs), then run this again"
  exit 1
fi

command -v cc >/dev/null || apt_install gcc libc6-dev
command -v npm >/dev/null || apt_install nodejs npm
# tools/build-site.sh precompresses the site with brotli.
command -v brotli >/dev/null || apt_install brotli

# The demo's registry pods run Debian's upstream registry. The package also enables a
# system service that would serve an open registry on port 5000; the demo starts its own
# processes on loopback, so a service this script installed is stopped and disabled.
if ! command -v docker-registry >/dev/null; then
  apt_install docker-registry
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    say "disabling the docker-registry system service (the demo runs its own registry processes)"
    "${SUDO[@]}" systemctl disable --now docker-registry >/dev/null 2>&1 || true
  fi
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown >&2
fi

if [ "$("$NODE_TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | awk '{print $3}')" != "${BINARYEN_VERSION%%.*}" ] \
  || [ "$("$NODE_TOOLS/node_modules/.bin/terser" --version 2>/dev/null)" != "terser $TERSER_VERSION" ]; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt) and terser $TERSER_VERSION from npm into $NODE_TOOLS"
  mkdir -p "$NODE_TOOLS"
  npm install --prefix "$NODE_TOOLS" --no-audit --no-fund --silent \
    binaryen@"$BINARYEN_VERSION" terser@"$TERSER_VERSION" >&2
fi

if [ "$purpose" = test ]; then
  apt_install chromium
  # Some machines have a newer kubectl from another package that conflicts with Debian's.
  command -v kubectl >/dev/null || apt_install kubernetes-client
  # The metrics page's Prometheus source is tested against Debian's real Prometheus
  # scraping the demo's registry. Without the exporters it recommends; the system service
  # the package enables is stopped (each test starts its own on a free loopback port).
  if ! command -v prometheus >/dev/null; then
    APT_LEAN=1 apt_install prometheus
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
      "${SUDO[@]}" systemctl disable --now prometheus >/dev/null 2>&1 || true
    fi
  fi
  say "installing Playwright for the end-to-end tests (never a browser download)"
  (cd end2end && npm ci --no-audit --no-fund --silent >&2)
fi
say "ready"
