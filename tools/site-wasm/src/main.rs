//! `site-wasm IN.wasm PKG_DIR NAME`: turns the WASM that cargo built (with
//! `-Clink-args=--emit-relocs`) into the site's `PKG_DIR`:
//!
//! 1. split: the lazy routes' code goes to `split_*.wasm` and `chunk_*.wasm` (what they
//!    share), with the loader `__wasm_split.____.js` (the name Leptos preloads) and `__wasm_split_manifest.json` (which
//!    chunks each lazy part needs: Leptos reads it to preload them with the page that
//!    uses them);
//! 2. bind: wasm-bindgen turns the main module into `NAME.js` and `NAME_bg.wasm`, the
//!    files Leptos's hydration script loads.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// The loader's file, relative to the main module.
const LOADER: &str = "./__wasm_split.______________________.js";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, pkg, name] = args.as_slice() else {
        bail!("usage: site-wasm IN.wasm PKG_DIR OUTPUT_NAME");
    };
    let pkg = PathBuf::from(pkg);
    let main = split(Path::new(input), &pkg, name)?;
    bind(&main, &pkg, name)?;
    std::fs::remove_file(&main).with_context(|| format!("cannot remove {}", main.display()))
}

/// Splits `input` into `pkg`'s chunks and returns the path of the main module, which is
/// left for [`bind`].
fn split(input: &Path, pkg: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let wasm = std::fs::read(input).with_context(|| format!("cannot read {}", input.display()))?;
    let main_out = pkg.join(format!("{name}_split.wasm"));
    // The loader imports the main module by this path, relative to itself: the same URL
    // the hydration script loads, so both share one instance.
    let main_module = format!("./{name}.js");
    let mut options = wasm_split_cli_support::Options::new(&wasm);
    options.output_dir = pkg;
    options.main_out_path = &main_out;
    options.main_module = &main_module;
    // The name Leptos's `HydrationScripts` preloads the loader by on a page with a lazy
    // part, when it does not hash file names itself (the site's `pkg/ID` directory is the
    // hash here).
    options.link_name = LOADER;
    let split = wasm_split_cli_support::transform(options).map_err(|error| {
        anyhow::anyhow!(
            "cannot split {} (was it linked with --emit-relocs?): {error:#}",
            input.display()
        )
    })?;
    let manifest = pkg.join("__wasm_split_manifest.json");
    // In a stable order: the site's id is a hash of its files, so the same sources must
    // make the same bytes (the splitter's map is a HashMap, in a new order each run).
    let ordered: std::collections::BTreeMap<_, _> = split.prefetch_map.iter().collect();
    std::fs::write(&manifest, serde_json::to_string_pretty(&ordered)?)
        .with_context(|| format!("cannot write {}", manifest.display()))?;
    Ok(main_out)
}

/// `wasm-bindgen --target web --no-typescript --keep-lld-exports --out-name NAME`.
fn bind(main: &Path, pkg: &Path, name: &str) -> anyhow::Result<()> {
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(main)
        .web(true)?
        .typescript(false)
        // The chunks call into the main module through the linker's exports.
        .keep_lld_exports(true)
        .out_name(name)
        .generate(pkg)
        .with_context(|| format!("wasm-bindgen could not bind {}", main.display()))
}
