//! Reading, reviewing and applying the image pruner, its status, and "Prune now".

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::view::{PrunerChange, PrunerData, PrunerReview, PrunerStatus, RunLog};
use crate::edit::outcome::Outcome;
use crate::error::ConsoleError;

/// The pruner as its page shows it, and whether the user may change it.
#[server(prefix = "/api", endpoint = "image_pruner", client = crate::client::ConsoleClient, input = Json)]
pub async fn get_image_pruner() -> Result<PrunerData, ConsoleError> {
    super::apply::read_as(&crate::console::SignedIn::current()?).await
}

/// The pruner's conditions, CronJob and runs, read again.
#[server(prefix = "/api", endpoint = "pruner_status", client = crate::client::ConsoleClient, input = Json)]
pub async fn get_pruner_status() -> Result<PrunerStatus, ConsoleError> {
    super::apply::status_as(&crate::console::SignedIn::current()?).await
}

/// The review of a pruner change: the rules' and the API's findings, the diff and the
/// `oc patch` command. Nothing is written.
#[server(prefix = "/api", endpoint = "preview_pruner", input = Json, client = crate::client::ConsoleClient)]
pub async fn preview_pruner(change: PrunerChange) -> Result<PrunerReview, ConsoleError> {
    super::apply::preview_as(&crate::console::SignedIn::current()?, &change).await
}

/// Applies a pruner change if the pruner's spec is still the one the page showed.
#[server(prefix = "/api", endpoint = "apply_pruner", input = Json, client = crate::client::ConsoleClient)]
pub async fn apply_pruner(change: PrunerChange) -> Result<Outcome, ConsoleError> {
    super::apply::apply_as(&crate::console::SignedIn::current()?, &change).await
}

/// Starts a pruner run now as Job `job_name` (`image-pruner-manual-...`), as
/// `oc create job --from=cronjob/image-pruner` does (with `dry_run`, one that deletes
/// nothing); returns the Job's name.
#[server(prefix = "/api", endpoint = "prune_now", client = crate::client::ConsoleClient, input = Json)]
pub async fn prune_now(job_name: String, dry_run: bool) -> Result<String, ConsoleError> {
    super::apply::prune_now_as(&crate::console::SignedIn::current()?, &job_name, dry_run).await
}

/// The end of pruner run `job_name`'s log.
#[server(prefix = "/api", endpoint = "pruner_run_log", client = crate::client::ConsoleClient, input = Json)]
pub async fn pruner_run_log(job_name: String) -> Result<RunLog, ConsoleError> {
    super::apply::run_log_as(&crate::console::SignedIn::current()?, &job_name).await
}
