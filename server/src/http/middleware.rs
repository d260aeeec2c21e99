//! Per-request work: the session, the trace span, the metrics.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;
use http::HeaderValue;
use http::header::CACHE_CONTROL;
use tracing::Span;

use super::AppState;

/// Opens the session cookie and hands the session to the pages and server functions.
/// Pages and API answers are per user: never cached.
pub async fn session(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let is_asset = request.uri().path().starts_with("/pkg/");
    if let Some(session) = state.console.sessions.open(request.headers(), Utc::now()) {
        request.extensions_mut().insert(session);
    }
    let mut response = next.run(request).await;
    if !is_asset {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The span every log line of a request carries: method, path and request id (never the
/// query string, which may hold anything).
pub fn span(request: &Request<Body>) -> Span {
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %request_id,
    )
}

/// Counts requests by method and status, and times them.
pub async fn measure(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let response = next.run(request).await;
    state
        .console
        .metrics
        .request(&method, response.status().as_u16(), started.elapsed());
    response
}
