//! Validation rules every form and the server share (`registry-api.md` §1, §2, §4, §9).
//!
//! Each rule is a plain function that returns findings: the field path the finding is
//! about, whether it blocks the change or only warns, and a [`Message`] (a code with its
//! arguments) that says what is wrong and what to do, rendered in the reader's language.
//! The browser runs them as the user types; the server runs them again before anything
//! is written.

pub mod claim;
pub mod message;
pub mod names;
pub mod placement;
pub mod pruner;
pub mod settings;
pub mod sources;
pub mod storage;

use serde::{Deserialize, Serialize};

pub use message::{Message, MessageArg};

/// Whether a finding blocks applying the change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    /// The change would be refused by the API or break the registry.
    Error,
    /// The change works but is probably not what the user wants.
    Warning,
}

/// One thing wrong (or risky) with a value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Dotted path of the field, as the API names it (`spec.storage.s3.bucket`).
    pub field: String,
    pub severity: Severity,
    pub message: Message,
}

impl Finding {
    /// A finding that blocks the change.
    pub fn error(field: impl Into<String>, message: Message) -> Self {
        Finding {
            field: field.into(),
            severity: Severity::Error,
            message,
        }
    }

    /// A finding that only warns.
    pub fn warning(field: impl Into<String>, message: Message) -> Self {
        Finding {
            field: field.into(),
            severity: Severity::Warning,
            message,
        }
    }
}

/// True when any finding blocks the change.
pub fn blocks(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}
