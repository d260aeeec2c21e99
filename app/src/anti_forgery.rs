//! The page's anti-forgery token: how it reaches the page and goes back with every change.
//!
//! The server derives the token from the session (or, before sign-in, from a browser
//! cookie), puts it in the page's `<meta name="anti-forgery">` and checks it on every
//! state-changing request (`server/src/http/forgery.rs`). Another site can neither read the
//! page nor guess the token, so a forged form or `fetch` fails even where the browser's
//! `Origin` is missing or the same site. Server functions send it as a header
//! ([`crate::client::ConsoleClient`]); the plain forms ([`form_endpoints`]), which also
//! work before the WASM loads, carry it as a hidden field.

use leptos::prelude::*;

/// The request header server functions carry the token in.
pub const HEADER: &str = "x-anti-forgery";
/// The form field plain HTML forms carry the token in.
pub const FIELD: &str = "anti_forgery";
/// The `<meta>` name the page carries the token under.
pub const META: &str = "anti-forgery";

/// The server functions that take URL-encoded form posts (signing in and out, choosing
/// the language); every other one takes JSON only.
pub fn form_endpoints() -> [&'static str; 4] {
    use crate::i18n::functions::SetLanguage;
    use crate::sign_in::{SignIn, SignInDemo, SignOut};
    use leptos::server_fn::ServerFn;
    [
        SignIn::PATH,
        SignInDemo::PATH,
        SignOut::PATH,
        SetLanguage::PATH,
    ]
}

/// The token of the page being rendered, put into the request's extensions by the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageToken(pub String);

/// The token of this page: on the server from the request, in the browser from the page.
pub fn page_token() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<PageToken>().map(|t| t.0.clone()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .query_selector(&format!("meta[name=\"{META}\"]"))
            .ok()
            .flatten()
            .and_then(|meta| meta.get_attribute("content"))
    }
}

/// The `<meta>` tag the document's head carries the token in (rendered on the server).
#[component]
pub fn AntiForgeryMeta() -> impl IntoView {
    page_token().map(|token| view! { <meta name=META content=token/> })
}

/// The hidden field that carries the token in a plain form post.
#[component]
pub fn AntiForgeryField() -> impl IntoView {
    view! { <input type="hidden" name=FIELD value=page_token().unwrap_or_default()/> }
}
