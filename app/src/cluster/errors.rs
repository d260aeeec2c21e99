//! kube errors turned into messages for people.

use crate::error::ConsoleError;
use crate::i18n::{Phrase, said};

/// Explains `error`, which happened while trying `to` (e.g. "read the registry config").
pub fn explain(error: kube::Error, cluster_url: &str, to: Phrase) -> ConsoleError {
    match error {
        kube::Error::Api(status) => {
            let message = if status.message.is_empty() {
                status.reason.clone()
            } else {
                status.message.clone()
            };
            let code = format!("{} {}", status.code, status.reason);
            match status.code {
                401 => ConsoleError::InvalidToken(format!("401 Unauthorized: {message}")),
                403 => ConsoleError::Forbidden(said::errors::forbidden(to, message)),
                409 => changed_meanwhile(&message),
                400 | 404 | 422 => ConsoleError::Rejected(said::errors::refused(to, code, message)),
                _ => ConsoleError::Internal(said::errors::failed(to, code, message)),
            }
        }
        error if is_unreachable(&error) => {
            ConsoleError::Unreachable(said::errors::unreachable(cluster_url, error.to_string()))
        }
        error => {
            ConsoleError::Internal(said::errors::could_not(to, cluster_url, error.to_string()))
        }
    }
}

/// A write the cluster refused (409) because the object changed since the page loaded;
/// `detail` is the cluster's own words.
fn changed_meanwhile(detail: &str) -> ConsoleError {
    ConsoleError::Conflict(said::errors::conflict(detail))
}

/// Whether the error means the API server did not answer at all.
pub fn is_unreachable(error: &kube::Error) -> bool {
    matches!(error, kube::Error::HyperError(_) | kube::Error::Service(_))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::core::Status;

    fn api_error(code: u16, reason: &str, message: &str) -> kube::Error {
        let mut status = Status::failure(message, reason);
        status.code = code;
        kube::Error::Api(Box::new(status))
    }

    #[test]
    fn a_401_means_the_token_is_wrong() {
        let error = explain(
            api_error(401, "Unauthorized", "Unauthorized"),
            "http://c",
            said::errors::to_check_token(),
        );
        assert!(matches!(error, ConsoleError::InvalidToken(_)));
        assert_eq!(error.status(), 401);
    }

    #[test]
    fn a_403_names_the_action_and_keeps_the_clusters_words() {
        let error = explain(
            api_error(
                403,
                "Forbidden",
                "user \"viewer\" cannot patch resource \"configs\"",
            ),
            "http://c",
            said::errors::to_change_management_state(),
        );
        let text = error.to_string();
        assert!(
            text.contains("change the registry's management state"),
            "{text}"
        );
        assert!(text.contains("cannot patch resource"), "{text}");
        assert_eq!(error.status(), 403);
    }

    #[test]
    fn a_409_says_nothing_was_changed() {
        let error = explain(
            api_error(409, "Conflict", "the object has been modified"),
            "u",
            said::errors::to_change_config(),
        );
        assert!(error.to_string().contains("nothing was changed"));
        assert_eq!(error.status(), 409);
    }
}
