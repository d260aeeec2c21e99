//! The registry console's user interface: pages, components and server functions.
//!
//! The same crate is compiled twice: with `ssr` into the server, which renders every page
//! first, and with `hydrate` into WASM, which makes the rendered page interactive and
//! keeps it live. Server functions are thin: they check the session and call the
//! server's cluster layer through [`backend::Backend`].

#![recursion_limit = "256"]

pub mod anti_forgery;
pub mod components;
pub mod error;
pub mod functions;
pub mod models;
pub mod routes;
pub mod shell;
pub mod time;

#[cfg(feature = "ssr")]
pub mod backend;
#[cfg(feature = "hydrate")]
mod live;

pub use error::ConsoleError;
pub use shell::{App, shell};

/// Entry point of the WASM module: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A server function's redirect (after sign-in and sign-out) loads the whole page: the
    // page's anti-forgery token and every piece of state then belong to the new session.
    // Set before the router sets its own client-side one, which is then ignored.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location: &str| {
        let _ = leptos::prelude::window().location().set_href(location);
    });
    leptos::mount::hydrate_body(App);
    // Marks the page as interactive, for people's tools and the end-to-end tests.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "");
    }
}
