//! `wasm-split IN.wasm PKG_DIR MAIN_OUT.wasm NAME`: splits the WASM that cargo built (with
//! `-Clink-args=--emit-relocs`) into `MAIN_OUT.wasm`, which wasm-bindgen then turns into
//! `PKG_DIR/NAME.js` and `NAME_bg.wasm`, plus `PKG_DIR/split_*.wasm` and `chunk_*.wasm`
//! (the lazy routes' code and what they share), the loader
//! `PKG_DIR/__wasm_split.js` and `PKG_DIR/__wasm_split_manifest.json` (which chunks each
//! lazy part needs: Leptos reads it to preload them with the page that uses them).

use std::path::PathBuf;

use anyhow::{Context, bail};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, pkg, main_out, name] = args.as_slice() else {
        bail!("usage: wasm-split IN.wasm PKG_DIR MAIN_OUT.wasm OUTPUT_NAME");
    };
    let wasm = std::fs::read(input).with_context(|| format!("cannot read {input}"))?;
    let pkg = PathBuf::from(pkg);
    let main_out = PathBuf::from(main_out);
    // The loader imports the main module by this path, relative to itself: the same URL
    // the hydration script loads, so both share one instance.
    let main_module = format!("./{name}.js");
    let mut options = wasm_split_cli_support::Options::new(&wasm);
    options.output_dir = &pkg;
    options.main_out_path = &main_out;
    options.main_module = &main_module;
    options.link_name = "./__wasm_split.js";
    let split = wasm_split_cli_support::transform(options).map_err(|error| {
        anyhow::anyhow!("cannot split {input} (was it linked with --emit-relocs?): {error:#}")
    })?;
    let manifest = pkg.join("__wasm_split_manifest.json");
    std::fs::write(
        &manifest,
        serde_json::to_string_pretty(&split.prefetch_map)?,
    )
    .with_context(|| format!("cannot write {}", manifest.display()))?;
    for module in &split.split_modules {
        println!("{}", module.display());
    }
    Ok(())
}
