//! The cluster layer the features share: kube clients per identity, access reviews,
//! explained errors, the shown-version precondition, merge writes, and the claim and
//! credential reads more than one feature makes.
//!
//! The console's own credentials (from the kubeconfig or the pod's service account) are
//! used only to learn where the API server is and how to trust it, and to answer
//! `/readyz`; every request made for a user carries that user's token instead.

pub mod access;
pub mod claims;
pub mod credentials;
pub mod errors;
pub mod expiring;
pub mod fingerprint;
pub mod gate;
pub mod hub;
pub mod precondition;
pub mod watch;
pub mod write;

#[cfg(test)]
pub mod dying_api;
#[cfg(test)]
pub mod fixtures;
#[cfg(test)]
pub mod test_cluster;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use expiring::Expiring;

use crate::error::ConsoleError;
use crate::session::Token;
use anyhow::Context;
use kube::config::{AuthInfo, KubeConfigOptions, Kubeconfig};

/// Where the cluster is and how to reach it.
#[derive(Clone)]
pub struct Cluster {
    base: kube::Config,
    /// Clients per token (keyed by its fingerprint), so a user's requests reuse one
    /// client and its connections instead of building both each time.
    clients: Arc<Expiring<[u8; 32], kube::Client>>,
}

impl Cluster {
    /// Reads a kubeconfig (the given file, else `$KUBECONFIG` or `~/.kube/config`), or the
    /// pod's service account when neither exists and the console runs in a cluster.
    pub async fn connect(kubeconfig: Option<&Path>, context: Option<&str>) -> anyhow::Result<Self> {
        let options = KubeConfigOptions {
            context: context.map(str::to_owned),
            ..KubeConfigOptions::default()
        };
        let base = match kubeconfig {
            Some(path) => {
                let file = Kubeconfig::read_from(path)
                    .with_context(|| format!("cannot read kubeconfig {}", path.display()))?;
                kube::Config::from_custom_kubeconfig(file, &options)
                    .await
                    .with_context(|| format!("kubeconfig {} is not usable", path.display()))?
            }
            None if context.is_some() => kube::Config::from_kubeconfig(&options)
                .await
                .context("cannot use the kubeconfig context")?,
            None => kube::Config::infer().await.context(
                "found no cluster to talk to: no --kubeconfig, no $KUBECONFIG or ~/.kube/config, \
                 and not running in a pod. Pass --kubeconfig FILE, or --demo to try the console \
                 on the embedded demo cluster",
            )?,
        };
        Ok(Self::from_config(base))
    }

    /// A cluster reached with `config`'s address and trust settings.
    pub fn from_config(mut base: kube::Config) -> Self {
        // Users wait on these calls: fail fast and let the page say the cluster is away.
        base.connect_timeout = Some(Duration::from_secs(5));
        // kube-rs retries 429, 503 and 504 up to 15 times with a backoff growing to minutes:
        // right for a controller, wrong for a page someone waits on. A 503 is also what the
        // API server answers for a pod its proxy cannot reach (the metrics collector's
        // scrape): the page says so at once instead. The shared watches back off by
        // themselves (kube-runtime's watcher).
        base.default_retry = false;
        Self {
            base,
            clients: Arc::new(Expiring::new(Self::CLIENT_KEPT, Self::CLIENTS_KEPT)),
        }
    }

    /// The API server's address.
    pub fn url(&self) -> String {
        self.base
            .cluster_url
            .to_string()
            .trim_end_matches('/')
            .to_owned()
    }

    /// A client that acts as the owner of `token`, and only as them: the console's own
    /// credentials (certificates, exec plugins, tokens) are dropped.
    pub fn client_for(&self, token: &Token) -> Result<kube::Client, ConsoleError> {
        let key = token.fingerprint();
        if let Some(client) = self.clients.get(&key) {
            return Ok(client);
        }
        let client = self.new_client_for(token)?;
        self.clients.insert(key, client.clone());
        Ok(client)
    }

    /// Keeps users' clients for `ttl` instead of [`Self::CLIENT_KEPT`] (tests).
    pub fn with_client_ttl(mut self, ttl: Duration) -> Self {
        self.clients = Arc::new(Expiring::new(ttl, Self::CLIENTS_KEPT));
        self
    }

    /// Drops the clients of users who have not signed in or had theirs rebuilt for
    /// [`Self::CLIENT_KEPT`], and with them their idle connections: kube-rs's connection
    /// pool keeps as many as the user's busiest moment needed, and never reaps them while
    /// the client lives. The server calls this every minute.
    pub fn sweep_clients(&self) {
        self.clients.sweep();
    }

    /// How long a user's client is reused, and how many are kept at most.
    pub const CLIENT_KEPT: Duration = Duration::from_secs(300);
    const CLIENTS_KEPT: usize = 1_000;

    fn new_client_for(&self, token: &Token) -> Result<kube::Client, ConsoleError> {
        let mut config = self.base.clone();
        config.auth_info = AuthInfo {
            token: Some(token.expose().to_owned().into()),
            ..AuthInfo::default()
        };
        kube::Client::try_from(config).map_err(|error| {
            ConsoleError::Internal(crate::i18n::said::errors::no_client(
                self.url(),
                error.to_string(),
            ))
        })
    }

    /// A client with the console's own credentials, for its health checks.
    pub fn own_client(&self) -> anyhow::Result<kube::Client> {
        kube::Client::try_from(self.base.clone())
            .with_context(|| format!("cannot build a client for {}", self.url()))
    }
}
