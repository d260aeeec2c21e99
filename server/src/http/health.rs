//! `/healthz` (the process serves), `/readyz` (the cluster answers), `/metrics`.

use std::time::Duration;

use axum::extract::State;
use axum::response::IntoResponse;
use http::StatusCode;
use http::header::CONTENT_TYPE;

use super::AppState;

/// 200 once the console serves.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// 200 when the cluster's API server answers (any HTTP answer: the console's own
/// identity need not be allowed anything), 503 with the reason otherwise.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let cluster = &state.console.cluster;
    let answer = match cluster.own_client() {
        Ok(client) => tokio::time::timeout(Duration::from_secs(3), client.apiserver_version())
            .await
            .map_err(|_| "no answer within 3 s".to_owned())
            .and_then(|result| match result {
                Ok(_) | Err(kube::Error::Api(_)) => Ok(()),
                Err(error) => Err(error.to_string()),
            }),
        Err(error) => Err(format!("{error:#}")),
    };
    match answer {
        Ok(()) => (StatusCode::OK, "ok\n".to_owned()),
        Err(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the cluster at {} does not answer: {reason}\n",
                cluster.url()
            ),
        ),
    }
}

/// The console's own metrics in Prometheus text format.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.console.metrics.render(),
    )
}
