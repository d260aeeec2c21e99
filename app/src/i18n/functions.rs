//! The language's server functions: the switcher, and a namespace for a page the browser
//! reached without loading the document.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::Locale;
use crate::ConsoleError;

/// The templates of `namespaces` in `locale`, each in table order.
#[server(prefix = "/api", endpoint = "catalogue", client = crate::client::ConsoleClient, input = Json)]
pub async fn catalogue(
    locale: Locale,
    namespaces: Vec<String>,
) -> Result<Vec<Vec<String>>, ConsoleError> {
    namespaces
        .iter()
        .map(|name| {
            let ns = super::Ns::from_name(name)
                .ok_or_else(|| ConsoleError::Rejected(super::said::errors::no_such_words(name)))?;
            Ok(super::TABLES[locale.index()][ns.index()]
                .iter()
                .map(|template| template.to_string())
                .collect())
        })
        .collect()
}

/// Keeps the reader's choice of language in a cookie and shows `back` (the page they
/// were on) again in it. A plain form post, so it works before the WASM loads; the page
/// then loads whole, in the new language.
#[server(prefix = "/api", endpoint = "set_language", client = crate::client::ConsoleClient)]
pub async fn set_language(lang: String, back: String) -> Result<(), ConsoleError> {
    let locale = Locale::from_tag(&lang)
        .ok_or_else(|| ConsoleError::Rejected(super::said::errors::no_such_language(&lang)))?;
    let parts = crate::session::request_parts()?;
    let console = crate::console::Console::current()?;
    let secure = if console.sessions.secure(&parts.headers) {
        "; Secure"
    } else {
        ""
    };
    // A year: a choice of language is not a secret and should outlive sessions. Lax, so
    // a link into the console from elsewhere opens in the chosen language.
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}",
        super::COOKIE,
        locale.tag()
    );
    let value = http::HeaderValue::from_str(&cookie).map_err(|error| {
        ConsoleError::Internal(super::Phrase::verbatim(format!(
            "the language cookie: {error}"
        )))
    })?;
    crate::session::set_cookie(value);
    leptos_axum::redirect(local_path(&back));
    Ok(())
}

/// `back` when it is a path on this console, else the overview: the switcher must not
/// become a redirect to another site.
#[cfg(feature = "ssr")]
pub(crate) fn local_path(back: &str) -> &str {
    let local = back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains(['\\', '\r', '\n'])
        && !back.starts_with("/api/");
    if local { back } else { "/" }
}
