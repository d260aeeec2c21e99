//! Signing in and out.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::ConsoleError;
use crate::models::SignInOptions;

/// What the sign-in page offers: the cluster's address and any demo users.
#[server(prefix = "/api", endpoint = "sign_in_options", client = crate::functions::client::ConsoleClient, input = Json)]
pub async fn get_sign_in_options() -> Result<SignInOptions, ConsoleError> {
    Ok(crate::backend::backend()?.sign_in_options())
}

/// Signs in with a bearer token, which the cluster checks first.
#[server(prefix = "/api", endpoint = "sign_in", client = crate::functions::client::ConsoleClient)]
pub async fn sign_in(token: String) -> Result<(), ConsoleError> {
    use crate::backend::{self, Token};
    if token.trim().is_empty() {
        return Err(ConsoleError::Rejected(
            "Paste a token first (what `oc whoami -t` prints).".into(),
        ));
    }
    let backend = backend::backend()?;
    let session = backend.sign_in(Token::new(token)).await?;
    open_session(backend.as_ref(), &session)
}

/// Signs in as a demo user with one click; the server holds the demo tokens.
#[server(prefix = "/api", endpoint = "sign_in_demo", client = crate::functions::client::ConsoleClient)]
pub async fn sign_in_demo(user: String) -> Result<(), ConsoleError> {
    use crate::backend;
    let backend = backend::backend()?;
    let session = backend.sign_in_demo(&user).await?;
    open_session(backend.as_ref(), &session)
}

/// Ends the session.
#[server(prefix = "/api", endpoint = "sign_out", client = crate::functions::client::ConsoleClient)]
pub async fn sign_out() -> Result<(), ConsoleError> {
    use crate::backend;
    let backend = backend::backend()?;
    let parts = backend::request_parts()?;
    backend::set_cookie(backend.sign_out_cookie(&parts.headers));
    leptos_axum::redirect("/sign-in");
    Ok(())
}

#[cfg(feature = "ssr")]
fn open_session(
    backend: &dyn crate::backend::Backend,
    session: &crate::backend::Session,
) -> Result<(), ConsoleError> {
    let parts = crate::backend::request_parts()?;
    crate::backend::set_cookie(backend.session_cookie(session, &parts.headers)?);
    leptos_axum::redirect("/");
    Ok(())
}
