//! Signed-out sessions, refused on every replica until they would have ended anyway.
//!
//! A session cookie is sealed, not stored: sign-out removes it from the browser, but a
//! copy taken before (a shared machine, a proxy log, malware) would still open. So
//! sign-out also lists the session here, and every request's session is checked against
//! the list. Replicas share it through one ConfigMap in the console's namespace
//! (`--revocations NAMESPACE/NAME`), written and watched with the console's own identity:
//! a key per signed-out session (a SHA-256 of its id: the list names no one and opens
//! nothing), its value the session's absolute end, after which the entry is dropped.
//! Without a shared ConfigMap the list is this process's own.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, SecondsFormat, Utc};
use futures::StreamExt;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, ObjectMeta, PostParams};
use kube::runtime::{WatchStreamExt, watcher};
use sha2::Digest;
use tokio::sync::watch;

use crate::cluster::fingerprint::hex;
use crate::session::Session;

/// Where replicas share the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedList {
    pub namespace: String,
    pub name: String,
}

impl std::str::FromStr for SharedList {
    type Err = String;

    /// `NAMESPACE/NAME`.
    fn from_str(text: &str) -> Result<Self, String> {
        let valid = |part: &str| {
            !part.is_empty()
                && part.len() <= 253
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
                && part.starts_with(|c: char| c.is_ascii_alphanumeric())
                && part.ends_with(|c: char| c.is_ascii_alphanumeric())
        };
        match text.split_once('/') {
            Some((namespace, name)) if valid(namespace) && valid(name) => Ok(Self {
                namespace: namespace.to_owned(),
                name: name.to_owned(),
            }),
            _ => Err(format!(
                "\"{text}\" is not NAMESPACE/NAME of a ConfigMap (lowercase letters, digits, \
                 '-' and '.'), e.g. registry-console/revoked-sessions"
            )),
        }
    }
}

impl std::fmt::Display for SharedList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

/// Why a sign-out could not be shared with the other replicas (it holds on this one).
#[derive(Debug, thiserror::Error)]
pub enum ShareError {
    #[error("the revoked-sessions ConfigMap {list} could not be written: {source}")]
    Write {
        list: SharedList,
        #[source]
        source: kube::Error,
    },
    #[error("the revoked-sessions ConfigMap {list} kept changing under 5 writes in a row")]
    Contended { list: SharedList },
}

/// The list of signed-out sessions.
pub struct Revocations {
    /// Session id digest to the session's absolute end.
    revoked: Mutex<HashMap<String, DateTime<Utc>>>,
    /// Bumped at each change, so open live streams can end at once.
    changes: watch::Sender<u64>,
    shared: Option<(Api<ConfigMap>, SharedList)>,
}

impl Default for Revocations {
    fn default() -> Self {
        Self::local()
    }
}

impl Revocations {
    /// A list this process keeps alone.
    pub fn local() -> Self {
        Self {
            revoked: Mutex::default(),
            changes: watch::channel(0).0,
            shared: None,
        }
    }

    /// A list shared through `list`, read and written with `client` (the console's own
    /// identity). Call [`Revocations::follow`] to learn the other replicas' sign-outs.
    pub fn shared(client: kube::Client, list: SharedList) -> Self {
        Self {
            shared: Some((Api::namespaced(client, &list.namespace), list)),
            ..Self::local()
        }
    }

    /// Where the list is shared, if it is.
    pub fn shared_list(&self) -> Option<&SharedList> {
        self.shared.as_ref().map(|(_, list)| list)
    }

    /// Whether the session with `id` was signed out.
    pub fn is_revoked(&self, id: &str) -> bool {
        let revoked = self.revoked.lock().unwrap_or_else(|p| p.into_inner());
        revoked
            .get(&digest(id))
            .is_some_and(|ends| *ends > Utc::now())
    }

    /// Signs `session` out here at once, then on every replica through the shared list.
    pub async fn revoke(&self, session: &Session) -> Result<(), ShareError> {
        let key = digest(&session.id);
        self.merge([(key.clone(), session.expires_at)]);
        let Some((api, list)) = &self.shared else {
            return Ok(());
        };
        for _ in 0..5 {
            match write(api, list, &key, session.expires_at).await {
                Ok(()) => return Ok(()),
                Err(kube::Error::Api(status)) if status.code == 409 => continue,
                Err(source) => {
                    return Err(ShareError::Write {
                        list: list.clone(),
                        source,
                    });
                }
            }
        }
        Err(ShareError::Contended { list: list.clone() })
    }

    /// Completes when the session with `id` is signed out (at once if it already is).
    pub async fn until_revoked(&self, id: &str) {
        let mut changes = self.changes.subscribe();
        loop {
            if self.is_revoked(id) {
                return;
            }
            if changes.changed().await.is_err() {
                // The list is gone: so is the console.
                std::future::pending::<()>().await;
            }
        }
    }

    /// Follows the shared list for as long as the console runs: every replica's sign-outs
    /// join this one's. A lost watch resumes by itself (kube-runtime's backoff).
    pub async fn follow(self: Arc<Self>) {
        let Some((api, list)) = &self.shared else {
            return;
        };
        let config = watcher::Config::default().fields(&format!("metadata.name={}", list.name));
        let mut events = std::pin::pin!(watcher(api.clone(), config).default_backoff());
        let mut reported = false;
        while let Some(event) = events.next().await {
            match event {
                Ok(watcher::Event::Apply(map) | watcher::Event::InitApply(map)) => {
                    reported = false;
                    self.merge(entries(&map));
                }
                Ok(_) => reported = false,
                Err(error) if !reported => {
                    reported = true;
                    tracing::warn!(%list, %error, "cannot follow the revoked sessions of other replicas; retrying");
                }
                Err(_) => {}
            }
        }
    }

    /// Adds entries (never removes one before its end) and drops ended ones.
    fn merge(&self, entries: impl IntoIterator<Item = (String, DateTime<Utc>)>) {
        let now = Utc::now();
        let mut revoked = self.revoked.lock().unwrap_or_else(|p| p.into_inner());
        let before = revoked.len();
        let mut added = false;
        for (key, ends) in entries {
            if ends > now && revoked.insert(key, ends).is_none() {
                added = true;
            }
        }
        revoked.retain(|_, ends| *ends > now);
        if added || revoked.len() != before {
            self.changes.send_modify(|n| *n += 1);
        }
    }
}

/// A session id's key in the list: its SHA-256 in hex, a valid ConfigMap key.
fn digest(id: &str) -> String {
    hex(&sha2::Sha256::digest(id.as_bytes()))
}

/// The unexpired entries of the shared ConfigMap; anything unreadable is skipped.
fn entries(map: &ConfigMap) -> Vec<(String, DateTime<Utc>)> {
    map.data
        .iter()
        .flatten()
        .filter_map(|(key, ends)| {
            let ends = DateTime::parse_from_rfc3339(ends).ok()?.with_timezone(&Utc);
            Some((key.clone(), ends))
        })
        .collect()
}

/// Adds one entry to the shared ConfigMap (creating it), dropping ended entries, with the
/// resourceVersion read: a concurrent sign-out is a 409 to retry, never a lost entry.
async fn write(
    api: &Api<ConfigMap>,
    list: &SharedList,
    key: &str,
    ends: DateTime<Utc>,
) -> Result<(), kube::Error> {
    let value = ends.to_rfc3339_opts(SecondsFormat::Secs, true);
    let Some(mut map) = api.get_opt(&list.name).await? else {
        let map = ConfigMap {
            metadata: ObjectMeta {
                name: Some(list.name.clone()),
                labels: Some(
                    [(
                        "app.kubernetes.io/part-of".to_owned(),
                        "registry-console".to_owned(),
                    )]
                    .into(),
                ),
                ..ObjectMeta::default()
            },
            data: Some([(key.to_owned(), value)].into()),
            ..ConfigMap::default()
        };
        return api.create(&PostParams::default(), &map).await.map(drop);
    };
    let now = Utc::now();
    let mut data: std::collections::BTreeMap<String, String> = entries(&map)
        .into_iter()
        .filter(|(_, ends)| *ends > now)
        .map(|(key, ends)| (key, ends.to_rfc3339_opts(SecondsFormat::Secs, true)))
        .collect();
    data.insert(key.to_owned(), value);
    map.data = Some(data);
    api.replace(&list.name, &PostParams::default(), &map)
        .await
        .map(drop)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::session::Token;

    fn session(id: &str) -> Session {
        Session {
            user: "admin".into(),
            token: Token::new("t"),
            id: id.into(),
            expires_at: Utc::now() + chrono::Duration::hours(1),
            active_at: Utc::now(),
        }
    }

    #[test]
    fn shared_lists_are_namespace_slash_name() {
        let list: SharedList = "registry-console/revoked-sessions".parse().unwrap();
        assert_eq!(list.namespace, "registry-console");
        assert_eq!(list.to_string(), "registry-console/revoked-sessions");
        for bad in ["revoked", "/x", "x/", "A/b", "a/b/c", "a/-b", "a b/c"] {
            let error = bad.parse::<SharedList>().unwrap_err();
            assert!(error.contains("NAMESPACE/NAME"), "{bad}: {error}");
        }
    }

    #[tokio::test]
    async fn a_revoked_session_is_refused_and_open_streams_hear_of_it() {
        let revocations = Arc::new(Revocations::local());
        let mine = session("0123");
        assert!(!revocations.is_revoked("0123"));
        let waiting = tokio::spawn({
            let revocations = revocations.clone();
            async move { revocations.until_revoked("0123").await }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!waiting.is_finished());
        revocations.revoke(&mine).await.unwrap();
        assert!(revocations.is_revoked("0123"));
        assert!(!revocations.is_revoked("0124"));
        tokio::time::timeout(Duration::from_secs(1), waiting)
            .await
            .expect("the stream hears of the sign-out")
            .unwrap();
    }

    #[test]
    fn ended_entries_are_dropped_and_the_list_names_no_session() {
        let revocations = Revocations::local();
        let past = Utc::now() - chrono::Duration::seconds(1);
        revocations.merge([
            (digest("old"), past),
            (digest("new"), Utc::now() + chrono::Duration::hours(1)),
        ]);
        assert!(!revocations.is_revoked("old"));
        assert!(revocations.is_revoked("new"));
        let keys: Vec<String> = revocations
            .revoked
            .lock()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, [digest("new")]);
        assert!(!keys[0].contains("new") && keys[0].len() == 64);
    }
}
