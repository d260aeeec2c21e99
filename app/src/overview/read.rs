//! Reading the overview as the signed-in user: from the console's shared watches when the
//! gate lets the user see them and they are complete, otherwise with the user's own reads.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;

use super::OverviewData;
use super::assemble::assemble;
use super::feed;
use super::snapshot::{self, Snapshot};
use crate::cluster::access;
use crate::cluster::gate::Access;
use crate::cluster::hub::Topic;
use crate::cluster::watch::Phase;
use crate::console::SignedIn;
use crate::error::ConsoleError;
use crate::i18n::said;

/// How long a render waits for the shared watches' first lists before reading itself.
const FIRST_LIST: Duration = Duration::from_secs(3);

/// The overview and whether `user` may change the management state.
pub async fn overview(user: &SignedIn) -> Result<OverviewData, ConsoleError> {
    let explained = |error| user.explain(error, said::errors::to_read_status());
    let (snapshot, may_patch) = tokio::join!(
        snapshot_for(user),
        user.check(access::patch_registry_config()),
    );
    Ok(OverviewData {
        viewer: user.viewer(may_patch.map_err(explained)? == Access::Allowed),
        overview: assemble(&snapshot.map_err(explained)?, Utc::now()),
    })
}

async fn snapshot_for(user: &SignedIn) -> Result<Snapshot, kube::Error> {
    match from_hub(user).await? {
        Some(snapshot) => Ok(snapshot),
        None => snapshot::fetch(&user.client).await,
    }
}

/// The snapshot from the shared watches, or `None` where they cannot give it whole (no
/// identity of their own, one of them refused or away): the caller then reads itself.
async fn from_hub(user: &SignedIn) -> Result<Option<Snapshot>, kube::Error> {
    let Some(watches) = user.console.hub.shared() else {
        return Ok(None);
    };
    let checks = Topic::ALL.map(|topic| async move { (topic, user.check(topic.access()).await) });
    let mut denied = BTreeMap::new();
    for (topic, access) in futures::future::join_all(checks).await {
        if let Access::Denied(reason) = access? {
            denied.insert(topic, reason);
        }
    }
    let mut complete = true;
    for topic in Topic::ALL
        .into_iter()
        .filter(|topic| !denied.contains_key(topic))
    {
        let phase = watches.settled(topic, FIRST_LIST).await;
        complete &= phase == Phase::Listed;
    }
    let snapshot = complete.then(|| feed::snapshot(&watches, &denied));
    user.console.hub.linger(watches);
    Ok(snapshot)
}

#[cfg(test)]
#[path = "read_tests.rs"]
mod tests;
