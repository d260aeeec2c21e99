//! `GET /api/live`: the overview's live feed as server-sent events, for the signed-in user.

use std::convert::Infallible;

use app::overview::feed::{self, LiveEvent};
use app::session::Session;
use axum::Extension;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::{Stream, StreamExt};
use http::StatusCode;

use super::AppState;

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
    let events = feed::overview_events(client, metrics, until).map(move |event| {
        let _counted = &guard;
        event
    });
    sse(events).into_response()
}

/// The server-sent event for the browser (`app::overview`'s `live` module reads it).
fn to_sse(event: &LiveEvent) -> Event {
    match event {
        LiveEvent::Overview(overview) => Event::default()
            .event("overview")
            .data(serde_json::to_string(overview).expect("an overview serializes")),
        LiveEvent::Stale(since) => Event::default()
            .event("stale")
            .data(serde_json::to_string(since).expect("a time serializes")),
    }
}

/// The SSE response for one page.
fn sse(
    events: impl Stream<Item = LiveEvent> + Send + 'static,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    Sse::new(events.map(|event| Ok(to_sse(&event)))).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    #[test]
    fn stale_events_carry_the_time_for_the_page() {
        let since = DateTime::parse_from_rfc3339("2026-11-25T10:11:12Z")
            .unwrap()
            .with_timezone(&Utc);
        let rendered = format!("{:?}", to_sse(&LiveEvent::Stale(since)));
        assert!(rendered.contains("stale"), "{rendered}");
    }
}
