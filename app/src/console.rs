//! The console a request works in, and the signed-in user it works for.
//!
//! The server builds one [`Console`] and provides it to every server function and every
//! render. A server function asks for [`SignedIn::current`] and hands it to its feature's
//! cluster code: no trait to extend per endpoint.

use std::sync::Arc;

use leptos::prelude::use_context;

use crate::cluster::Cluster;
use crate::cluster::errors::explain;
use crate::cluster::gate::{Access, Gate};
use crate::cluster::hub::Hub;
use crate::error::ConsoleError;
use crate::i18n::said;
use crate::metrics::Metrics;
use crate::registry_metrics::collector::Collector;
use crate::registry_metrics::prometheus::Prometheus;
use crate::session::cookies::Sessions;
use crate::session::revocations::Revocations;
use crate::session::{Session, Token};
use crate::viewer::Viewer;

/// A demo user the sign-in page offers, with the token only the server sees.
pub struct DemoAccount {
    pub name: String,
    pub token: Token,
}

/// Everything a request needs from the server.
pub struct Console {
    pub cluster: Cluster,
    pub sessions: Sessions,
    pub demo_accounts: Vec<DemoAccount>,
    pub read_only: bool,
    pub metrics: Metrics,
    /// The shared watches (see `cluster::hub`) and the gate every read from them passes.
    pub hub: Hub,
    pub gate: Gate,
    /// The registry pods' metrics, scraped with the console's own identity; started by the
    /// first page that asks.
    pub collector: Option<Collector>,
    pub collecting: std::sync::Once,
    /// Where the metrics page reads from instead, when the cluster's monitoring already
    /// scrapes the registry (`--prometheus-url`): with each user's own token.
    pub prometheus: Option<Prometheus>,
    /// Signed-out sessions, refused until they would have ended (shared between replicas
    /// when `--revocations` names a ConfigMap).
    pub revocations: Arc<Revocations>,
}

impl Console {
    /// A console on `cluster`; its shared watches run with the cluster's own identity.
    pub fn new(
        cluster: Cluster,
        sessions: Sessions,
        demo_accounts: Vec<DemoAccount>,
        read_only: bool,
    ) -> Self {
        let hub = Hub::new(cluster.own_client().ok());
        let collector = cluster.own_client().ok().map(Collector::new);
        Self {
            cluster,
            sessions,
            demo_accounts,
            read_only,
            metrics: Metrics::default(),
            hub,
            gate: Gate::default(),
            collector,
            collecting: std::sync::Once::new(),
            prometheus: None,
            revocations: Arc::default(),
        }
    }

    /// The metrics collector, running from the first call on.
    pub fn collector_started(&self) -> Option<&Collector> {
        let collector = self.collector.as_ref()?;
        self.collecting.call_once(|| {
            tokio::spawn(collector.clone().run());
        });
        Some(collector)
    }

    /// The console the server provided to this server function or render.
    pub fn current() -> Result<Arc<Console>, ConsoleError> {
        use_context::<Arc<Console>>()
            .ok_or_else(|| ConsoleError::Internal(said::errors::not_set_up()))
    }

    /// Refuses a write when the console runs with `--read-only`.
    pub fn writable(&self) -> Result<(), ConsoleError> {
        if self.read_only {
            return Err(ConsoleError::Forbidden(said::errors::read_only()));
        }
        Ok(())
    }
}

/// A request of a signed-in user: the console, their session, and a client that acts as
/// them and only as them.
pub struct SignedIn {
    pub console: Arc<Console>,
    pub session: Session,
    pub client: kube::Client,
}

impl SignedIn {
    /// The signed-in user of the request being answered, or [`ConsoleError::NotSignedIn`].
    pub fn current() -> Result<Self, ConsoleError> {
        Self::new(Console::current()?, crate::session::current()?)
    }

    /// `session`'s user on `console`.
    pub fn new(console: Arc<Console>, session: Session) -> Result<Self, ConsoleError> {
        let client = console.cluster.client_for(&session.token)?;
        // Every log line of the request names who made it (the audit lines among them).
        tracing::Span::current().record("user", session.user.as_str());
        Ok(Self {
            console,
            session,
            client,
        })
    }

    /// May the user do what `attributes` describe? Asked of the cluster with their token
    /// (a SelfSubjectAccessReview), the answer kept for a few seconds.
    pub async fn check(
        &self,
        attributes: k8s_openapi::api::authorization::v1::ResourceAttributes,
    ) -> Result<Access, kube::Error> {
        let session = &self.session;
        self.console
            .gate
            .check(&self.client, &session.token, &session.user, attributes)
            .await
    }

    /// The user's name.
    pub fn name(&self) -> &str {
        &self.session.user
    }

    /// Who is looking, for the page: `may_change` is the cluster's answer to an access
    /// review for the page's write.
    pub fn viewer(&self, may_change: bool) -> Viewer {
        Viewer {
            name: self.session.user.clone(),
            can_edit: may_change && !self.console.read_only,
            console_read_only: self.console.read_only,
        }
    }

    /// Refuses a write when the console runs with `--read-only`.
    pub fn writable(&self) -> Result<(), ConsoleError> {
        self.console.writable()
    }

    /// Explains a kube error met while doing `to`; a token the cluster no longer takes
    /// (expired, revoked) means signing in again.
    pub fn explain(&self, error: kube::Error, to: crate::i18n::Phrase) -> ConsoleError {
        match explain(error, &self.console.cluster.url(), to) {
            ConsoleError::InvalidToken(_) => ConsoleError::NotSignedIn,
            other => other,
        }
    }

    /// Explains a kube error met while writing (`to` is the change): as [`Self::explain`],
    /// except that a cluster that stopped answering may or may not have taken the write,
    /// which the user is told, with what to do (their form keeps what they entered).
    pub fn explain_write(&self, error: kube::Error, to: crate::i18n::Phrase) -> ConsoleError {
        if crate::cluster::errors::is_unreachable(&error) {
            return ConsoleError::Unreachable(said::errors::unreachable_during_write(
                to,
                self.console.cluster.url(),
                error.to_string(),
            ));
        }
        self.explain(error, to)
    }
}
