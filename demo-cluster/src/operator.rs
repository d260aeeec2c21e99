//! The simulated image-registry operator.

/// Runs the operator until it fails.
pub async fn run(_client: kube::Client) -> Result<(), kube::Error> {
    Ok(())
}

/// Runs the operator, logging a failure.
pub async fn run_logged(client: kube::Client) {
    if let Err(e) = run(client).await {
        tracing::error!(error = %e, "the simulated image-registry operator stopped");
    }
}
