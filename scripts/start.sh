#!/usr/bin/env bash
# Installs what is missing, builds the console (release) and starts it on the embedded
# demo cluster. Prints the console's URL and the demo users' tokens. Ctrl-C stops it.
#
#   scripts/start.sh                       # http://127.0.0.1:8080
#   scripts/start.sh --listen 0.0.0.0:9000 --demo-public  # any `registry-console serve` flag works
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'start: [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }
say "tools"
scripts/setup.sh start
. scripts/env.sh
say "building the console (release; 9 to 18 minutes on 2 cores the first time, seconds after)"
tools/build-site.sh --release >&2
say "starting"
exec "$CARGO_TARGET_DIR/release/registry-console" serve --demo "$@"
