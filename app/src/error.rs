//! The one error type of every server function, written for the person reading it.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::i18n::{Phrase, said};

/// Why a console request failed; each message says what happened and what to do next, in
/// the reader's language where it is shown (a [`Phrase`]) and in English in the server's
/// logs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsoleError {
    /// No valid session cookie came with the request.
    NotSignedIn,
    /// The cluster answered 401 to the token; the cluster's own words.
    InvalidToken(String),
    /// The cluster (or the console's read-only mode) refused the action: 403.
    Forbidden(Phrase),
    /// The object changed since it was shown: 409.
    Conflict(Phrase),
    /// The cluster rejected the request as invalid: 400 or 422.
    Rejected(Phrase),
    /// The cluster did not answer.
    Unreachable(Phrase),
    /// Anything else on the server; the message names what failed.
    Internal(Phrase),
    /// The request between the browser and the console failed.
    Transport(String),
}

impl ConsoleError {
    /// What it says, to render where it is read.
    pub fn phrase(&self) -> Phrase {
        match self {
            Self::NotSignedIn => said::errors::not_signed_in(),
            Self::InvalidToken(detail) => said::errors::invalid_token(detail),
            Self::Forbidden(phrase)
            | Self::Conflict(phrase)
            | Self::Rejected(phrase)
            | Self::Unreachable(phrase)
            | Self::Internal(phrase) => phrase.clone(),
            Self::Transport(detail) => said::errors::transport(detail),
        }
    }
}

/// English on the server (its logs), the page's language in the browser.
impl fmt::Display for ConsoleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.phrase().fmt(f)
    }
}

impl std::error::Error for ConsoleError {}

impl ConsoleError {
    /// The HTTP status the console answers with for this error.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotSignedIn | Self::InvalidToken(_) => 401,
            Self::Forbidden(_) => 403,
            Self::Conflict(_) => 409,
            Self::Rejected(_) => 422,
            Self::Unreachable(_) => 503,
            Self::Internal(_) | Self::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for ConsoleError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_http_meaning() {
        assert_eq!(ConsoleError::NotSignedIn.status(), 401);
        let no = || Phrase::verbatim("no");
        assert_eq!(ConsoleError::Forbidden(no()).status(), 403);
        assert_eq!(ConsoleError::Conflict(no()).status(), 409);
        assert_eq!(ConsoleError::Unreachable(no()).status(), 503);
    }

    #[test]
    fn invalid_token_message_says_what_to_do() {
        let message = ConsoleError::InvalidToken("401 Unauthorized".into()).to_string();
        assert!(message.contains("401 Unauthorized"));
        assert!(message.contains("oc whoami -t"));
    }
}
