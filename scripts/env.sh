# Sourced by the other scripts: where builds go and which tools they use.
# The target directory lives outside the clone so a fresh clone (CI) reuses earlier builds.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/registry-console/target}
# Incremental caches grow by gigabytes per edit-build cycle (38 GB seen here, which filled
# the disk); clean builds, as CI does, gain nothing from them.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}
# tools/build-site.sh writes the site beside the binary of the same profile (where the binary
# looks first), so a debug and a release build never mix their WASM and server halves.
site_root_for() { echo "$CARGO_TARGET_DIR/$1/site"; }
# The tools from npm: binaryen, which tools/wasm-opt-all.mjs loads from here (its
# `wasm-opt` command, ahead of any broken Debian one, for whoever runs it by hand), and
# terser.
export NODE_TOOLS="${REGISTRY_CONSOLE_CACHE:-$HOME/.cache/registry-console}/node-tools"
export PATH="$NODE_TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"
