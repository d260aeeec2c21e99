//! The registry console: its pages, their server functions and, on the server, the
//! cluster reads and writes behind them.
//!
//! The same crate is compiled twice: with `ssr` into the server, which renders every page
//! first and answers the server functions, and with `hydrate` into WASM, which makes the
//! rendered page interactive and keeps it live. Code that talks to the cluster is behind
//! `ssr`, so it never reaches the browser.
//!
//! One folder per feature, holding its page, form, display types, server functions,
//! cluster reads and writes, live feed and tests: [`overview`], [`config`], [`pruner`],
//! [`sign_in`]. Shared pieces are few: the [`shell`] (document and route table), the
//! message catalogue ([`i18n`]: every word a person reads, in English and Chinese), the
//! [`session`], the [`console`] a request works in and its [`cluster`] clients, the
//! [`edit`] flow every form shares (review and outcome), the page [`components`] more than
//! one feature shows, and the [`client`] every server function calls through.

#![recursion_limit = "256"]

pub mod access;
pub mod anti_forgery;
pub mod changes;
pub mod client;
pub mod components;
pub mod config;
pub mod connect;
pub mod edit;
pub mod error;
pub mod i18n;
pub mod not_found;
pub mod overview;
#[cfg(not(feature = "hydrate"))]
pub mod owner;
pub mod pruner;
pub mod registry_logs;
pub mod registry_metrics;
pub mod routes;
pub mod shell;
pub mod sign_in;
pub mod time;
pub mod trust;
pub mod viewer;

#[cfg(feature = "ssr")]
pub mod cluster;
#[cfg(feature = "ssr")]
pub mod console;
#[cfg(feature = "ssr")]
pub mod metrics;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(all(feature = "ssr", any(test, feature = "testing")))]
pub mod testing;

pub use error::ConsoleError;
pub use shell::App;
#[cfg(feature = "ssr")]
pub use shell::shell;

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
    // As `leptos::mount::hydrate_lazy`, which lazy routes need (a page's chunk loads
    // before it hydrates), and then marks the page as interactive, for people's tools and
    // the end-to-end tests.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    // The words of the page's locale, before anything renders them.
    i18n::install_from_page();
    leptos::task::spawn_local(async {
        let document = leptos::prelude::document();
        let Some(body) = document.body() else { return };
        leptos::mount::hydrate_from_async(body, App).await.forget();
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("data-hydrated", "");
        }
    });
}
