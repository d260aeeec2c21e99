//! The seam between server functions and the server's cluster layer.
//!
//! The server crate depends on this one, so the cluster layer cannot be called directly
//! from here: the server implements [`Backend`] and provides it as context to every
//! server function and every server-side render.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use http::{HeaderMap, HeaderValue, request::Parts};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use registry_model::registry_config::ManagementState;

use crate::error::ConsoleError;
use crate::models::config::{ApplyOutcome, ConfigChange, ConfigPage, ConfigReview};
use crate::models::pruner::{PrunerChange, PrunerOutcome, PrunerPage, PrunerReview, PrunerStatus};
use crate::models::{OverviewPage, SignInOptions};

/// A bearer token. It never leaves the server: no `Serialize`, and `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token, trimming the whitespace that copy and paste brings along.
    pub fn new(token: impl AsRef<str>) -> Self {
        Self(token.as_ref().trim().to_owned())
    }

    /// The token itself, for the one place that sends it to the cluster.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// A signed-in user: decrypted from the session cookie by the server for each request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub user: String,
    pub token: Token,
    /// Random, per sign-in: what the session's anti-forgery token is bound to.
    pub id: String,
    pub expires_at: DateTime<Utc>,
}

/// What the server's cluster layer does for the pages.
#[async_trait::async_trait]
pub trait Backend: Send + Sync + 'static {
    /// What the sign-in page offers.
    fn sign_in_options(&self) -> SignInOptions;
    /// Checks a token against the cluster and opens a session for it.
    async fn sign_in(&self, token: Token) -> Result<Session, ConsoleError>;
    /// Signs in a demo user with the token the server knows (never sent to the browser).
    async fn sign_in_demo(&self, user: &str) -> Result<Session, ConsoleError>;
    /// The `Set-Cookie` value that carries a session; `request` tells whether it came over TLS.
    fn session_cookie(
        &self,
        session: &Session,
        request: &HeaderMap,
    ) -> Result<HeaderValue, ConsoleError>;
    /// The `Set-Cookie` value that ends a session.
    fn sign_out_cookie(&self, request: &HeaderMap) -> HeaderValue;
    /// The overview, read with the user's identity.
    async fn overview(&self, session: &Session) -> Result<OverviewPage, ConsoleError>;
    /// Sets `spec.managementState` with the user's identity, if `resource_version` is current.
    async fn set_management_state(
        &self,
        session: &Session,
        state: ManagementState,
        resource_version: &str,
    ) -> Result<(), ConsoleError>;
    /// The registry config as the configuration form shows it, read with the user's
    /// identity, and whether they may change it.
    async fn registry_config(&self, session: &Session) -> Result<ConfigPage, ConsoleError>;
    /// The review of a config change (findings, diff, `oc` commands); nothing is written.
    async fn preview_config_change(
        &self,
        session: &Session,
        change: ConfigChange,
    ) -> Result<ConfigReview, ConsoleError>;
    /// Applies a config change with the user's identity: the rules again, a dry run, then
    /// the merge patch with the shown resourceVersion as precondition and the credentials.
    async fn apply_config_change(
        &self,
        session: &Session,
        change: ConfigChange,
    ) -> Result<ApplyOutcome, ConsoleError>;
    /// The image pruner as its page shows it (settings, conditions, CronJob, runs), read
    /// with the user's identity, and whether they may change it.
    async fn image_pruner(&self, session: &Session) -> Result<PrunerPage, ConsoleError>;
    /// The pruner's conditions, CronJob and runs, read again.
    async fn pruner_status(&self, session: &Session) -> Result<PrunerStatus, ConsoleError>;
    /// The review of a pruner change (findings, diff, `oc patch`); nothing is written.
    async fn preview_pruner_change(
        &self,
        session: &Session,
        change: PrunerChange,
    ) -> Result<PrunerReview, ConsoleError>;
    /// Applies a pruner change with the user's identity: the rules again, a dry run, then
    /// the merge patch with the shown resourceVersion as precondition.
    async fn apply_pruner_change(
        &self,
        session: &Session,
        change: PrunerChange,
    ) -> Result<PrunerOutcome, ConsoleError>;
    /// Starts a pruner run now, as `oc create job --from=cronjob/image-pruner JOB_NAME`;
    /// returns the Job's name.
    async fn prune_now(&self, session: &Session, job_name: &str) -> Result<String, ConsoleError>;
}

/// The backend the server provided.
pub fn backend() -> Result<Arc<dyn Backend>, ConsoleError> {
    use_context::<Arc<dyn Backend>>()
        .ok_or_else(|| ConsoleError::Internal("the console's backend is not set up".into()))
}

/// The request being answered.
pub fn request_parts() -> Result<Parts, ConsoleError> {
    use_context::<Parts>().ok_or_else(|| ConsoleError::Internal("no request in context".into()))
}

/// The session of the request being answered.
pub fn session() -> Result<Session, ConsoleError> {
    request_parts()?
        .extensions
        .get::<Session>()
        .cloned()
        .ok_or(ConsoleError::NotSignedIn)
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: HeaderValue) {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_never_shows_in_debug_output() {
        let session = Session {
            user: "admin".into(),
            token: Token::new("sha256~secret-value"),
            id: "0123".into(),
            expires_at: Utc::now(),
        };
        let printed = format!("{session:?}");
        assert!(!printed.contains("secret-value"), "{printed}");
        assert!(printed.contains("redacted"));
    }

    #[test]
    fn pasted_tokens_lose_surrounding_whitespace() {
        assert_eq!(Token::new("  abc\n").expose(), "abc");
    }
}
