//! Reading the overview as the signed-in user.

use chrono::Utc;

use super::OverviewData;
use super::assemble::assemble;
use super::snapshot;
use crate::cluster::access;
use crate::console::SignedIn;
use crate::error::ConsoleError;

/// The overview and whether `user` may change the management state.
pub async fn overview(user: &SignedIn) -> Result<OverviewData, ConsoleError> {
    let (snapshot, may_patch) = tokio::join!(
        snapshot::fetch(&user.client),
        access::can(&user.client, access::patch_registry_config()),
    );
    let explained = |error| user.explain(error, "read the registry's status");
    let snapshot = snapshot.map_err(explained)?;
    Ok(OverviewData {
        viewer: user.viewer(may_patch.map_err(explained)?),
        overview: assemble(&snapshot, Utc::now()),
    })
}
