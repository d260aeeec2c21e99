//! The console's WASM module. Everything is in `app`; this crate only makes the browser's
//! `cdylib` of it, so that the server links `app` as a plain library.
//!
//! `app::hydrate` is the module's entry point (`#[wasm_bindgen]`, exported from `app` as
//! wasm-bindgen's own exports are from its crate); naming it here links `app` in.
#![cfg(target_arch = "wasm32")]

pub use app::hydrate;
