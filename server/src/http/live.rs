//! `GET /api/live`: the overview as server-sent events, for the signed-in user.

use app::backend::Session;
use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use http::StatusCode;

use super::AppState;
use crate::live;

pub async fn stream(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
) -> Response {
    let Some(Extension(session)) = session else {
        return (StatusCode::UNAUTHORIZED, "sign in first\n").into_response();
    };
    let client = match state.console.cluster.client_for(&session.token) {
        Ok(client) => client,
        Err(error) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response();
        }
    };
    let metrics = state.console.metrics.clone();
    let guard = metrics.live_stream();
    // The stream ends when the console stops or the session expires; the browser then
    // reconnects (and, after expiry, is refused and signs in again).
    let expires_in = (session.expires_at - chrono::Utc::now())
        .to_std()
        .unwrap_or_default();
    let shutdown = state.shutdown.clone();
    let until = async move {
        tokio::select! {
            () = shutdown.wait() => {},
            () = tokio::time::sleep(expires_in) => {},
        }
    };
    // The stream owns the guard, so the open-streams gauge counts it until it is dropped.
    let events = live::overview_events(client, metrics, until).map(move |event| {
        let _counted = &guard;
        event
    });
    live::sse(events).into_response()
}
