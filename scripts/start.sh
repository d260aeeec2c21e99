#!/usr/bin/env bash
# Installs what is missing, builds the console (release) and starts it on the embedded
# demo cluster. Prints the console's URL and the demo users' tokens. Ctrl-C stops it.
#
#   scripts/start.sh                       # http://127.0.0.1:8080
#   scripts/start.sh --listen 0.0.0.0:9000 --demo-public  # any `registry-console serve` flag works
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh start
. scripts/env.sh
echo "start: building the console (release; a few minutes the first time)" >&2
tools/build-site.sh --release >&2
exec "$CARGO_TARGET_DIR/release/registry-console" serve --demo "$@"
