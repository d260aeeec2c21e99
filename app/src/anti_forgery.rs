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

/// Why the console refused a state-changing request before it reached the cluster (the
/// server's checks, `server/src/http/forgery.rs`), as errors in the reader's language.
#[cfg(feature = "ssr")]
pub mod refused {
    use super::{FIELD, HEADER};
    use crate::error::ConsoleError;
    use crate::i18n::said;

    /// The page that sent it is at `origin`, not at the console's `expected` origin.
    pub fn other_origin(origin: &str, expected: &str) -> ConsoleError {
        ConsoleError::Forbidden(said::errors::forged_other_origin(origin, expected))
    }

    /// The browser's `Sec-Fetch-Site` says another site sent it.
    pub fn other_site(site: &str) -> ConsoleError {
        ConsoleError::Forbidden(said::errors::forged_other_site(site))
    }

    pub fn no_token() -> ConsoleError {
        ConsoleError::Forbidden(said::errors::forged_no_token(HEADER, FIELD))
    }

    pub fn wrong_token() -> ConsoleError {
        ConsoleError::Forbidden(said::errors::forged_wrong_token())
    }

    /// The body is not of the one type the endpoint takes.
    pub fn content_type(expected: &str) -> ConsoleError {
        ConsoleError::Forbidden(said::errors::forged_content_type(expected))
    }

    pub fn too_large(kib: usize) -> ConsoleError {
        ConsoleError::Forbidden(said::errors::forged_too_large(kib))
    }

    /// The client has made its sign-in attempts for now; the next one in `seconds`.
    pub fn too_many_sign_ins(per_minute: u32, seconds: u64) -> ConsoleError {
        ConsoleError::Rejected(said::errors::too_many_sign_ins(per_minute, seconds))
    }

    /// What a refused form post (a browser navigation, not a script's call) gets instead
    /// of JSON: a page saying what happened, in the reader's language, and the way back.
    pub fn page(error: &ConsoleError, locale: crate::i18n::Locale) -> String {
        use crate::components::Html;
        use crate::i18n::{in_locale, tr};
        use leptos::prelude::RenderHtml;
        in_locale(locale, || {
            let html = Html::default()
                .open("html", &[("lang", locale.tag())])
                .open("head", &[])
                .open("meta", &[("charset", "utf-8")])
                .open(
                    "meta",
                    &[
                        ("name", "viewport"),
                        ("content", "width=device-width, initial-scale=1"),
                    ],
                )
                .element("title", &[], &tr::common::brand())
                .close("head")
                .open("body", &[])
                .open("main", &[])
                .element("h1", &[], &tr::errors::refused_title())
                .open("p", &[("role", "alert")])
                .rich(&error.phrase().render())
                .close("p")
                .open("p", &[])
                .element("a", &[("href", "/")], &tr::common::not_found_back())
                .close("p")
                .close("main")
                .close("body")
                .close("html");
            format!("<!DOCTYPE html>{}", html.into_view().to_html())
        })
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::refused;
    use crate::i18n::{Locale, in_locale};

    #[test]
    fn a_refusal_reads_in_the_readers_language_and_keeps_the_addresses() {
        let error = refused::other_origin("http://127.0.0.1:9999", "http://console:8080");
        let phrase = error.phrase();
        let chinese = in_locale(Locale::ZhCn, || phrase.render());
        assert!(chinese.starts_with("已拒绝"), "{chinese}");
        assert!(chinese.contains("http://127.0.0.1:9999"), "{chinese}");
        assert!(chinese.contains("http://console:8080"), "{chinese}");
        // The server's logs and `Display` stay English.
        assert!(
            error
                .to_string()
                .starts_with("Refused: this request came from a page at")
        );
        let no_token = in_locale(Locale::ZhCn, || refused::no_token().phrase().render());
        assert!(no_token.contains(super::HEADER), "{no_token}");
    }

    #[test]
    fn a_refused_form_post_gets_a_page_in_its_readers_language() {
        let page = refused::page(&refused::other_site("cross-site"), Locale::ZhCn);
        assert!(
            page.starts_with("<!DOCTYPE html><html lang=\"zh-CN\">"),
            "{page}"
        );
        assert!(page.contains("已拒绝"), "{page}");
        assert!(page.contains("<a href=\"/\">"), "{page}");
        let english = refused::page(&refused::wrong_token(), Locale::En);
        assert!(english.contains("Nothing was changed</h1>"), "{english}");
    }
}
