//! Stand-in for kube-controller-manager and kubelet.

use crate::logs::PodLogs;

/// Runs the workload simulation until it fails.
pub async fn run(_client: kube::Client, _logs: PodLogs) -> Result<(), kube::Error> {
    Ok(())
}

/// Runs the workload simulation, logging a failure.
pub async fn run_logged(client: kube::Client, logs: PodLogs) {
    if let Err(e) = run(client, logs).await {
        tracing::error!(error = %e, "the workload simulation stopped");
    }
}
