//! The one error type of every server function, written for the person reading it.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Why a console request failed; each message says what happened and what to do next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ConsoleError {
    /// No valid session cookie came with the request.
    #[error("You are not signed in, or your session has expired. Sign in again.")]
    NotSignedIn,
    /// The cluster answered 401 to the token.
    #[error(
        "The cluster did not accept this token ({0}). Check that you copied all of it, or get \
         a fresh one with `oc whoami -t`."
    )]
    InvalidToken(String),
    /// The cluster (or the console's read-only mode) refused the action: 403.
    #[error("{0}")]
    Forbidden(String),
    /// The object changed since it was shown: 409.
    #[error("{0}")]
    Conflict(String),
    /// The cluster rejected the request as invalid: 400 or 422.
    #[error("{0}")]
    Rejected(String),
    /// The cluster did not answer.
    #[error("{0}")]
    Unreachable(String),
    /// Anything else on the server; the message names what failed.
    #[error("{0}")]
    Internal(String),
    /// The request between the browser and the console failed.
    #[error("The console could not be reached or did not understand the request: {0}")]
    Transport(String),
}

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
        assert_eq!(ConsoleError::Forbidden("no".into()).status(), 403);
        assert_eq!(ConsoleError::Conflict("changed".into()).status(), 409);
        assert_eq!(ConsoleError::Unreachable("down".into()).status(), 503);
    }

    #[test]
    fn invalid_token_message_says_what_to_do() {
        let message = ConsoleError::InvalidToken("401 Unauthorized".into()).to_string();
        assert!(message.contains("401 Unauthorized"));
        assert!(message.contains("oc whoami -t"));
    }
}
