# Sourced by the other scripts: where builds go and which tools they use.
# The target directory lives outside the clone so a fresh clone (CI) reuses earlier builds.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/registry-console/target}
# cargo-leptos writes the site here; the binary finds it one level above itself.
export LEPTOS_SITE_ROOT="$CARGO_TARGET_DIR/site"
# wasm-opt from npm's binaryen, ahead of any broken Debian one.
export PATH="${REGISTRY_CONSOLE_CACHE:-$HOME/.cache/registry-console}/node-tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
