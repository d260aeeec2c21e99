//! Opening a session: the token proven against the cluster, the user's name asked of it.

use chrono::Utc;

use super::SignInOptions;
use crate::cluster::access;
use crate::cluster::errors::explain;
use crate::console::Console;
use crate::error::ConsoleError;
use crate::i18n::said;
use crate::session::{self, Session, Token};

/// What people see when the cluster cannot tell a user's name.
const UNNAMED_USER: &str = "token user";

/// What the sign-in page offers.
pub fn options(console: &Console) -> SignInOptions {
    SignInOptions {
        cluster_url: console.cluster.url(),
        demo_users: console
            .demo_accounts
            .iter()
            .map(|a| a.name.clone())
            .collect(),
    }
}

/// Checks `token` against the cluster and opens a session for it.
pub async fn with_token(console: &Console, token: Token) -> Result<Session, ConsoleError> {
    open(console, token, None).await
}

/// Signs in a demo user with the token the server knows (never sent to the browser).
pub async fn as_demo_user(console: &Console, user: &str) -> Result<Session, ConsoleError> {
    let account = console
        .demo_accounts
        .iter()
        .find(|account| account.name == user)
        .ok_or_else(|| ConsoleError::Rejected(said::errors::no_demo_user(user)))?;
    open(console, account.token.clone(), Some(&account.name)).await
}

async fn open(
    console: &Console,
    token: Token,
    known_name: Option<&str>,
) -> Result<Session, ConsoleError> {
    let client = console.cluster.client_for(&token)?;
    // Any answer but 401 proves the token; what it may do is asked later, per page.
    let checked = access::can(&client, access::get_registry_config()).await;
    if let Err(error) = checked {
        let error = explain(
            error,
            &console.cluster.url(),
            said::errors::to_check_token(),
        );
        console.metrics.sign_in(match error {
            ConsoleError::InvalidToken(_) => "rejected",
            _ => "failed",
        });
        tracing::info!(error = %error, "sign-in refused");
        return Err(error);
    }
    let name = match access::user_name(&client).await {
        Some(name) => name,
        None => known_name.unwrap_or(UNNAMED_USER).to_owned(),
    };
    console.metrics.sign_in("accepted");
    tracing::info!(user = %name, "signed in");
    Ok(console.sessions.start(name, token, Utc::now()))
}

/// Sends the session's cookie with the answer and the browser to the overview.
pub fn set_session_cookie(console: &Console, session: &Session) -> Result<(), ConsoleError> {
    let parts = session::request_parts()?;
    session::set_cookie(console.sessions.seal(session, &parts.headers));
    leptos_axum::redirect("/");
    Ok(())
}
