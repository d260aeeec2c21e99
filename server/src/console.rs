//! The server's side of [`app::backend::Backend`]: sign-in, sessions, reads and writes,
//! each made with the signed-in user's identity.

use app::ConsoleError;
use app::backend::{Backend, Session, Token};
use app::models::config::{ApplyOutcome, ConfigChange, ConfigPage, ConfigReview};
use app::models::pruner::{
    PrunerChange, PrunerOutcome, PrunerPage, PrunerReview, PrunerStatus, manual_job_name_problem,
};
use app::models::{OverviewPage, SignInOptions, Viewer};
use chrono::Utc;
use http::{HeaderMap, HeaderValue};
use registry_model::registry_config::ManagementState;

use crate::cluster::errors::explain;
use crate::cluster::precondition::ShownVersion;
use crate::cluster::pruner_apply::{self, PruneNowError};
use crate::cluster::{Cluster, access, config_apply, overview, snapshot, writes};
use crate::metrics::Metrics;
use crate::session::Sessions;

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
}

/// What people see when the cluster cannot tell a user's name.
const UNNAMED_USER: &str = "token user";

impl Console {
    async fn open_session(
        &self,
        token: Token,
        known_name: Option<&str>,
    ) -> Result<Session, ConsoleError> {
        let client = self.cluster.client_for(&token)?;
        // Any answer but 401 proves the token; what it may do is asked later, per page.
        let checked = access::can(&client, access::get_registry_config()).await;
        if let Err(error) = checked {
            let error = explain(error, &self.cluster.url(), "check your token");
            self.metrics.sign_in(match error {
                ConsoleError::InvalidToken(_) => "rejected",
                _ => "failed",
            });
            tracing::info!(error = %error, "sign-in refused");
            return Err(error);
        }
        let name = match access::user_name(&client).await {
            Some(name) => name,
            None => known_name.unwrap_or(UNNAMED_USER).to_owned(),
        };
        self.metrics.sign_in("accepted");
        tracing::info!(user = %name, "signed in");
        Ok(self.sessions.start(name, token, Utc::now()))
    }

    /// Refuses a write when the console runs with `--read-only`.
    fn writable(&self) -> Result<(), ConsoleError> {
        if self.read_only {
            return Err(ConsoleError::Forbidden(
                "This console runs in read-only mode (--read-only) and changes nothing, whatever \
                 your rights on the cluster."
                    .into(),
            ));
        }
        Ok(())
    }

    /// Explains a kube error met while doing `to` for a signed-in user; a token the
    /// cluster no longer takes means signing in again.
    fn explain_for_session(&self, error: kube::Error, to: &str) -> ConsoleError {
        match explain(error, &self.cluster.url(), to) {
            ConsoleError::InvalidToken(_) => ConsoleError::NotSignedIn,
            other => other,
        }
    }
}

#[async_trait::async_trait]
impl Backend for Console {
    fn sign_in_options(&self) -> SignInOptions {
        SignInOptions {
            cluster_url: self.cluster.url(),
            demo_users: self.demo_accounts.iter().map(|a| a.name.clone()).collect(),
        }
    }

    async fn sign_in(&self, token: Token) -> Result<Session, ConsoleError> {
        self.open_session(token, None).await
    }

    async fn sign_in_demo(&self, user: &str) -> Result<Session, ConsoleError> {
        let account = self
            .demo_accounts
            .iter()
            .find(|account| account.name == user)
            .ok_or_else(|| {
                ConsoleError::Rejected(format!("There is no demo user \"{user}\" here."))
            })?;
        self.open_session(account.token.clone(), Some(&account.name))
            .await
    }

    fn session_cookie(
        &self,
        session: &Session,
        request: &HeaderMap,
    ) -> Result<HeaderValue, ConsoleError> {
        Ok(self.sessions.seal(session, request))
    }

    fn sign_out_cookie(&self, request: &HeaderMap) -> HeaderValue {
        self.sessions.removal(request)
    }

    async fn overview(&self, session: &Session) -> Result<OverviewPage, ConsoleError> {
        let client = self.cluster.client_for(&session.token)?;
        let (snapshot, may_patch) = tokio::join!(
            snapshot::fetch(&client),
            access::can(&client, access::patch_registry_config()),
        );
        let url = self.cluster.url();
        let explained = |error| match explain(error, &url, "read the registry's status") {
            // The cluster no longer takes the token (expired, revoked): sign in again.
            ConsoleError::InvalidToken(_) => ConsoleError::NotSignedIn,
            other => other,
        };
        let snapshot = snapshot.map_err(explained)?;
        let may_patch = may_patch.map_err(explained)?;
        Ok(OverviewPage {
            viewer: Viewer {
                name: session.user.clone(),
                can_edit: may_patch && !self.read_only,
                console_read_only: self.read_only,
            },
            overview: overview::assemble(&snapshot, Utc::now()),
        })
    }

    async fn set_management_state(
        &self,
        session: &Session,
        state: ManagementState,
        resource_version: &str,
    ) -> Result<(), ConsoleError> {
        self.writable()?;
        let shown = ShownVersion::new(resource_version)?;
        let client = self.cluster.client_for(&session.token)?;
        let result = writes::set_management_state(&client, state, &shown).await;
        match &result {
            Ok(()) => tracing::info!(user = %session.user, %state, "management state changed"),
            Err(error) => {
                tracing::info!(user = %session.user, %state, %error, "management state change refused")
            }
        }
        result.map_err(|error| {
            explain(
                error,
                &self.cluster.url(),
                "change the registry's management state",
            )
        })
    }

    async fn registry_config(&self, session: &Session) -> Result<ConfigPage, ConsoleError> {
        let client = self.cluster.client_for(&session.token)?;
        let (shown, may_patch) = tokio::join!(
            config_apply::read(&client, self.sessions.fingerprint_key()),
            access::can(&client, access::patch_registry_config()),
        );
        let explained = |error| self.explain_for_session(error, "read the registry config");
        Ok(ConfigPage {
            shown: shown.map_err(explained)?,
            viewer: Viewer {
                name: session.user.clone(),
                can_edit: may_patch.map_err(explained)? && !self.read_only,
                console_read_only: self.read_only,
            },
        })
    }

    async fn preview_config_change(
        &self,
        session: &Session,
        change: ConfigChange,
    ) -> Result<ConfigReview, ConsoleError> {
        let client = self.cluster.client_for(&session.token)?;
        config_apply::preview(&client, self.sessions.fingerprint_key(), &change)
            .await
            .map_err(|error| self.explain_for_session(error, "check the registry config change"))
    }

    async fn apply_config_change(
        &self,
        session: &Session,
        change: ConfigChange,
    ) -> Result<ApplyOutcome, ConsoleError> {
        self.writable()?;
        let shown = ShownVersion::new(&change.shown.resource_version)?;
        let client = self.cluster.client_for(&session.token)?;
        let result =
            config_apply::apply(&client, self.sessions.fingerprint_key(), &change, &shown).await;
        // Key names only: the values never reach a log line.
        let keys = change.secret_keys();
        match &result {
            Ok(outcome) => {
                tracing::info!(user = %session.user, ?keys, outcome = %outcome.message(), "registry config change")
            }
            Err(error) => {
                tracing::info!(user = %session.user, ?keys, %error, "registry config change failed")
            }
        }
        result.map_err(|error| self.explain_for_session(error, "change the registry config"))
    }

    async fn image_pruner(&self, session: &Session) -> Result<PrunerPage, ConsoleError> {
        let client = self.cluster.client_for(&session.token)?;
        let (shown, status, may_patch) = tokio::join!(
            pruner_apply::read(&client),
            pruner_apply::status(&client, Utc::now()),
            access::can(&client, access::patch_image_pruner()),
        );
        let explained = |error| self.explain_for_session(error, "read the image pruner");
        Ok(PrunerPage {
            shown: shown.map_err(explained)?,
            status: status.map_err(explained)?,
            viewer: Viewer {
                name: session.user.clone(),
                can_edit: may_patch.map_err(explained)? && !self.read_only,
                console_read_only: self.read_only,
            },
        })
    }

    async fn pruner_status(&self, session: &Session) -> Result<PrunerStatus, ConsoleError> {
        let client = self.cluster.client_for(&session.token)?;
        pruner_apply::status(&client, Utc::now())
            .await
            .map_err(|error| self.explain_for_session(error, "read the image pruner's status"))
    }

    async fn preview_pruner_change(
        &self,
        session: &Session,
        change: PrunerChange,
    ) -> Result<PrunerReview, ConsoleError> {
        let client = self.cluster.client_for(&session.token)?;
        pruner_apply::preview(&client, &change)
            .await
            .map_err(|error| self.explain_for_session(error, "check the image pruner change"))
    }

    async fn apply_pruner_change(
        &self,
        session: &Session,
        change: PrunerChange,
    ) -> Result<PrunerOutcome, ConsoleError> {
        self.writable()?;
        let shown = ShownVersion::new(&change.shown.resource_version)?;
        let client = self.cluster.client_for(&session.token)?;
        let result = pruner_apply::apply(&client, &change, &shown).await;
        match &result {
            Ok(outcome) => {
                tracing::info!(user = %session.user, outcome = %outcome.message(), "image pruner change")
            }
            Err(error) => {
                tracing::info!(user = %session.user, %error, "image pruner change failed")
            }
        }
        result.map_err(|error| self.explain_for_session(error, "change the image pruner"))
    }

    async fn prune_now(&self, session: &Session, job_name: &str) -> Result<String, ConsoleError> {
        self.writable()?;
        if let Some(problem) = manual_job_name_problem(job_name) {
            return Err(ConsoleError::Rejected(problem));
        }
        let client = self.cluster.client_for(&session.token)?;
        let result = pruner_apply::prune_now(&client, job_name).await;
        match &result {
            Ok(job) => tracing::info!(user = %session.user, %job, "pruner run started"),
            Err(error) => tracing::info!(user = %session.user, %error, "pruner run refused"),
        }
        result.map_err(|error| match error {
            PruneNowError::NoCronJob => ConsoleError::Rejected(error.to_string()),
            PruneNowError::Kube(error) => self.explain_for_session(
                error,
                "start a pruner run (create a Job in openshift-image-registry)",
            ),
        })
    }
}
