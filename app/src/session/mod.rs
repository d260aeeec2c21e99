//! The session: who is signed in, with which token, until when.
//!
//! The server opens it from the sealed cookie ([`cookies::Sessions`]) for each request
//! and puts it in the request's extensions; server functions and renders read it with
//! [`current`].

pub mod cookies;
pub mod revocations;

use std::fmt;

use chrono::{DateTime, Utc};
use http::{HeaderValue, request::Parts};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use crate::error::ConsoleError;

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

    /// A SHA-256 of the token: what caches are keyed by, so none holds a token.
    pub fn fingerprint(&self) -> [u8; 32] {
        use sha2::Digest;
        sha2::Sha256::digest(self.0.as_bytes()).into()
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
    /// The absolute end of the sign-in.
    pub expires_at: DateTime<Utc>,
    /// The time of its latest request (to the minute): it ends idle a set time after.
    pub active_at: DateTime<Utc>,
}

/// The request being answered.
pub fn request_parts() -> Result<Parts, ConsoleError> {
    use_context::<Parts>().ok_or_else(|| {
        ConsoleError::Internal(crate::i18n::Phrase::verbatim("no request in context"))
    })
}

/// The session of the request being answered.
pub fn current() -> Result<Session, ConsoleError> {
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
            active_at: Utc::now(),
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
