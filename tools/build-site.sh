#!/usr/bin/env bash
# Builds the console: the WASM half (`browser`, app with `hydrate`, split and bound by
# tools/site-wasm), the CSS and public files, and, beside them at the same time, the server
# binary, laid out as the binary looks for them:
#
#   tools/build-site.sh            # debug:   $CARGO_TARGET_DIR/debug/{registry-console,site/}
#   tools/build-site.sh --release  # release: $CARGO_TARGET_DIR/release/{registry-console,site/}
#   tools/build-site.sh --site-only  # debug, the site only (scripts/test.sh: the tests have
#                                    # built the binary, with the test build's features)
#   tools/build-site.sh --release --site-only  # the release site only (the size budget)
#
# The site's files go to site/pkg/ID/, where ID is a hash of their contents: a browser may
# keep them for good (the server marks them immutable), and a new build is a new address.
#
# This is what `cargo leptos build` did for this workspace (the names come from
# `[[workspace.metadata.leptos]]` in Cargo.toml), with plain cargo: cargo-leptos took ~17 min
# to install on a new 2-core machine, and its debug builds add a `--cfg` that rebuilds every
# crate apart from the test build's. The server is built as `cargo test` builds it, so the
# two share their artifacts. Each step says when it starts (seconds since this began).
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
say() { printf 'build-site: [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }

# The server and the WASM are independent builds in separate profile directories, so they
# run at once: each has long stretches on one core (the WASM's single-unit LTO, the
# server's largest crates), which the other fills.
server_build=
if $server; then
  say "server ($profile), beside the site"
  if [ "$profile" = release ]; then
    cargo build -p server --bin "$name" --release &
  else
    cargo build -p server --bin "$name" &
  fi
  server_build=$!
  trap '[ -z "$server_build" ] || kill "$server_build" 2>/dev/null || true' EXIT
fi

if [ "$profile" = release ]; then
  wasm_profile=wasm-release
else
  wasm_profile=dev
fi
wasm_dir=$([ "$wasm_profile" = dev ] && echo debug || echo "$wasm_profile")

say "WASM ($wasm_profile)"
cargo build -p browser --lib --target wasm32-unknown-unknown --profile "$wasm_profile"
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/$wasm_dir/browser.wasm"

# One site build per profile at a time, as cargo holds its own directories: two at once
# (a second `scripts/start.sh` while the first builds, or `bench/console.sh` beside it) would
# share site.new, and each would delete the other's files. The second waits, then finds
# the site current.
mkdir -p "$(dirname "$site")"
exec 9>"$site.lock"
if ! flock -n 9; then
  say "waiting for another build of this site ($site)"
  flock 9
fi

# Everything the site is made from: when none of it changed, the site is current (a warm
# start skips the split, wasm-opt and compression, which take longer than the rest).
inputs=$(
  {
    # (Cargo.lock and setup.sh: the splitter's, wasm-bindgen's, wasm-opt's and terser's versions.)
    sha256sum "$wasm" style/main.css tools/build-site.sh tools/wasm-opt-all.mjs tools/site-wasm/src/*.rs Cargo.lock scripts/setup.sh
    find public -type f -print0 | sort -z | xargs -0 -r sha256sum
  } | sha256sum | cut -c1-16
)
if [ -f "$site/.inputs" ] && [ "$(cat "$site/.inputs")" = "$inputs" ]; then
  say "the site is current ($site)"
else
  staging="$site.new"
  rm -rf "$staging"
  mkdir -p "$staging/files"
  # Split before wasm-bindgen, as cargo-leptos does: the lazy routes' code goes to
  # split_*.wasm and chunk_*.wasm, loaded by __wasm_split.js when a page needs it;
  # __wasm_split_manifest.json lets the server preload a page's chunks with it. Leptos's
  # hydration script loads NAME.js and NAME_bg.wasm (wasm-bindgen's own name) when the
  # server was built without cargo-leptos's LEPTOS_OUTPUT_NAME.
  say "split and bind (tools/site-wasm)"
  cargo run -q -p site-wasm --profile tools -- "$wasm" "$staging/files" "$name"
  if [ "$profile" = release ]; then
    say "wasm-opt -O1 (tools/wasm-opt-all.mjs), terser"
    # Every module through binaryen's API in one Node process (why -O1, and why not the
    # command once per module: tools/wasm-opt-all.mjs).
    node tools/wasm-opt-all.mjs "$NODE_TOOLS/node_modules/binaryen/index.js" "${name}_bg.wasm" \
        "$staging/files/"*.wasm 2>&1 \
      | { grep -v 'unknown name subsection' >&2 || true; }
    # The glue's exports are what the page and the chunk loader import: ES module mode
    # keeps them and shortens the rest.
    for file in "$staging/files/"*.js; do
      terser "$file" --module --compress --mangle -o "$file.min"
      mv "$file.min" "$file"
    done
  fi
  cp style/main.css "$staging/files/$name.css"
  id=$(cd "$staging/files" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
  mkdir "$staging/pkg"
  mv "$staging/files" "$staging/pkg/$id"
  # Compressed once here, at the best levels, instead of on every request: the server sends
  # NAME.br or NAME.gz to browsers that accept them.
  say "compress (brotli -q 11, gzip -9)"
  # (Every file, also in subdirectories such as wasm-bindgen's snippets/.)
  find "$staging/pkg/$id" -type f | while read -r file; do
    brotli -q 11 -k "$file" &
    gzip -9 -k -n "$file"
    wait $!
  done
  cp -R public/. "$staging/"
  echo "$inputs" >"$staging/.inputs"
  # The whole site is replaced at once: a failed build leaves the last good one.
  rm -rf "$site"
  mv "$staging" "$site"
  say "built the site in $site (pkg/$id)"
fi
exec 9>&-

if [ -n "$server_build" ]; then
  say "waiting for the server build"
  status=0
  wait "$server_build" || status=$?
  server_build=
  [ "$status" -eq 0 ] || { say "the server build failed"; exit "$status"; }
  say "built $CARGO_TARGET_DIR/$profile/$name with its site in $site"
fi
