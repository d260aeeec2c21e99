#!/usr/bin/env bash
# Builds the console: the WASM half (app with `hydrate`, through wasm-bindgen), the CSS and
# public files, then the server binary, laid out as the binary looks for them:
#
#   tools/build-site.sh            # debug:   $CARGO_TARGET_DIR/debug/{registry-console,site/}
#   tools/build-site.sh --release  # release: $CARGO_TARGET_DIR/release/{registry-console,site/}
#   tools/build-site.sh --site-only  # debug, the site only (scripts/test.sh: the tests have
#                                    # built the binary, with the test build's features)
#   tools/build-site.sh --release --site-only  # the release site only (the size budget)
#
# This is what `cargo leptos build` did for this workspace (the names come from
# `[[workspace.metadata.leptos]]` in Cargo.toml), with plain cargo: cargo-leptos took ~17 min
# to install on a new 2-core machine, a fifth of CI's time, and its debug builds add a
# `--cfg` that rebuilds every crate apart from the test build's. The server is built as
# `cargo test` builds it, so the two share their artifacts.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

profile=debug
server=true
for arg in "$@"; do
  case "$arg" in
    --release) profile=release ;;
    --site-only) server=false ;;
    *) echo "build-site: unknown argument \"$arg\"; use --release and/or --site-only" >&2; exit 2 ;;
  esac
done

# From Cargo.toml's leptos metadata: the output name, and the WASM's release profile.
name=$(sed -n '/^\[\[workspace.metadata.leptos\]\]/,/^\[/s/^name = "\(.*\)"/\1/p' Cargo.toml)
[ -n "$name" ] || { echo "build-site: no output name in Cargo.toml's leptos metadata" >&2; exit 1; }
site=$(site_root_for "$profile")
say() { printf 'build-site: %s\n' "$*" >&2; }

if [ "$profile" = release ]; then
  wasm_profile=wasm-release
else
  wasm_profile=dev
fi
wasm_dir=$([ "$wasm_profile" = dev ] && echo debug || echo "$wasm_profile")

say "WASM ($wasm_profile)"
cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features \
  --features hydrate --profile "$wasm_profile"

staging="$site.new"
rm -rf "$staging"
mkdir -p "$staging/pkg"
# Split before wasm-bindgen, as cargo-leptos does: the lazy routes' code goes to
# pkg/split_*.wasm and pkg/chunk_*.wasm, loaded by pkg/__wasm_split.js when a page needs
# it; pkg/__wasm_split_manifest.json lets the server preload a page's chunks with it.
say "split"
split_main="$CARGO_TARGET_DIR/wasm32-unknown-unknown/$wasm_dir/app_split.wasm"
cargo run -q -p wasm-split --release -- \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/$wasm_dir/app.wasm" "$staging/pkg" "$split_main" "$name" >/dev/null
# --keep-lld-exports: the chunks call into the main module through the linker's exports.
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$staging/pkg" \
  --out-name "$name" "$split_main"
# Leptos's hydration script loads pkg/NAME.js and pkg/NAME_bg.wasm (wasm-bindgen's own
# name) when the server was built without cargo-leptos's LEPTOS_OUTPUT_NAME.
if [ "$profile" = release ]; then
  say "wasm-opt -Oz"
  for wasm in "$staging/pkg/"*.wasm; do
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$wasm" -o "$wasm.opt"
    mv "$wasm.opt" "$wasm"
  done
fi
cp style/main.css "$staging/pkg/$name.css"
# Compressed once here, at the best levels, instead of on every request: the server sends
# NAME.br or NAME.gz to browsers that accept them.
for file in "$staging/pkg/"*; do
  brotli -q 11 -k "$file"
  gzip -9 -k -n "$file"
done
cp -R public/. "$staging/"
# The whole site is replaced at once: a failed build leaves the last good one.
rm -rf "$site"
mv "$staging" "$site"

if [ "$server" = false ]; then
  say "built the site in $site"
  exit 0
fi
say "server ($profile)"
if [ "$profile" = release ]; then
  cargo build -p server --bin "$name" --release
else
  cargo build -p server --bin "$name"
fi
say "built $CARGO_TARGET_DIR/$profile/$name with its site in $site"
