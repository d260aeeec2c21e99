//! The version of an object the user saw: the precondition every write is sent with.

use crate::error::ConsoleError;

/// A non-empty `metadata.resourceVersion`, as the page showed it. An empty one would be no
/// precondition at all (the API then writes over whatever is there), so a write cannot be
/// made without one: [`ShownVersion::new`] refuses it before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownVersion(String);

/// A change that came without the version it was made on.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "The change carries no resourceVersion of the object it was made on, so it could \
     overwrite changes you never saw; nothing was changed. Reload the page and make the \
     change again."
)]
pub struct NoShownVersion;

impl ShownVersion {
    /// The version a request carries; empty (or blank) is refused.
    pub fn new(version: &str) -> Result<Self, NoShownVersion> {
        let version = version.trim();
        if version.is_empty() {
            return Err(NoShownVersion);
        }
        Ok(Self(version.to_owned()))
    }

    /// The version of an object just read from the cluster (which always sets one).
    pub fn of(meta: &kube::api::ObjectMeta) -> Result<Self, NoShownVersion> {
        Self::new(meta.resource_version.as_deref().unwrap_or_default())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<NoShownVersion> for ConsoleError {
    fn from(_: NoShownVersion) -> Self {
        ConsoleError::Rejected(crate::i18n::said::errors::no_shown_version())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_or_blank_version_is_no_precondition_and_refused() {
        assert_eq!(ShownVersion::new(""), Err(NoShownVersion));
        assert_eq!(ShownVersion::new("  "), Err(NoShownVersion));
        assert_eq!(ShownVersion::new("42").unwrap().as_str(), "42");
        let message = ConsoleError::from(NoShownVersion).to_string();
        assert!(message.contains("resourceVersion"), "{message}");
        assert!(message.contains("nothing was changed"), "{message}");
    }
}
