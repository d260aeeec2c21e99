//! Signing in and out. These three take URL-encoded form posts (they work as plain HTML
//! forms before the WASM has loaded); see [`crate::anti_forgery::form_endpoints`].

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::SignInOptions;
use crate::error::ConsoleError;

/// What the sign-in page offers: the cluster's address and any demo users.
#[server(prefix = "/api", endpoint = "sign_in_options", client = crate::client::ConsoleClient, input = Json)]
pub async fn get_sign_in_options() -> Result<SignInOptions, ConsoleError> {
    let console = crate::console::Console::current()?;
    Ok(super::open::options(&console))
}

/// Signs in with a bearer token, which the cluster checks first.
#[server(prefix = "/api", endpoint = "sign_in", client = crate::client::ConsoleClient)]
pub async fn sign_in(token: String) -> Result<(), ConsoleError> {
    if token.trim().is_empty() {
        return Err(ConsoleError::Rejected(crate::i18n::said::errors::no_token()));
    }
    let console = crate::console::Console::current()?;
    let session = super::open::with_token(&console, crate::session::Token::new(token)).await?;
    super::open::set_session_cookie(&console, &session)
}

/// Signs in as a demo user with one click; the server holds the demo tokens.
#[server(prefix = "/api", endpoint = "sign_in_demo", client = crate::client::ConsoleClient)]
pub async fn sign_in_demo(user: String) -> Result<(), ConsoleError> {
    let console = crate::console::Console::current()?;
    let session = super::open::as_demo_user(&console, &user).await?;
    super::open::set_session_cookie(&console, &session)
}

/// Ends the session: removes its cookie from the browser and lists it as signed out, so
/// a copy of the cookie opens nothing either, on any replica.
#[server(prefix = "/api", endpoint = "sign_out", client = crate::client::ConsoleClient)]
pub async fn sign_out() -> Result<(), ConsoleError> {
    use crate::session;
    let console = crate::console::Console::current()?;
    let parts = session::request_parts()?;
    if let Ok(session) = session::current() {
        if let Err(error) = console.revocations.revoke(&session).await {
            // Refused on this replica from now on; the log tells the operator why the
            // others were not told.
            tracing::error!(%error, "sign-out holds on this replica only");
        } else {
            tracing::info!("signed out");
        }
    }
    session::set_cookie(console.sessions.removal(&parts.headers));
    leptos_axum::redirect("/sign-in");
    Ok(())
}
