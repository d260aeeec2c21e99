//! `GET /api/live?topic=overview|registry-metrics`: a page's live feed as server-sent
//! events, for the signed-in user. The overview's first event is the whole overview, later
//! ones only what changed (`app::overview::delta`); `stale` says since when the cluster has
//! not answered. The metrics page's events (`tick`) carry the newest moment of its charts
//! after each scrape (`app::registry_metrics::feed`).

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use app::overview::delta::{Sent, Update};
use app::overview::feed::{self, LiveEvent};
use app::registry_metrics::feed::metrics_events as feed_metrics;
use app::session::Session;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::{Stream, StreamExt};
use http::StatusCode;
use serde::Deserialize;

use super::AppState;

/// The topics a page can follow.
const TOPICS: [&str; 2] = ["overview", "registry-metrics"];

#[derive(Deserialize)]
pub struct LiveQuery {
    topic: Option<String>,
}

/// How many streams may be open, per session (one per open tab) and in all.
#[derive(Clone, Debug)]
pub struct Limits {
    per_session: usize,
    total: usize,
    open: Arc<Mutex<HashMap<String, usize>>>,
}

impl Limits {
    pub fn new(per_session: usize, total: usize) -> Self {
        Self {
            per_session,
            total,
            open: Arc::default(),
        }
    }

    /// Counts a stream for `session`, or says which limit it would pass.
    fn admit(&self, session: &str) -> Result<Admitted, String> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let total: usize = open.values().sum();
        if total >= self.total {
            return Err(format!(
                "The console already serves {total} live streams, its limit \
                 (--max-live-streams). Close pages on other screens, or reload later.\n"
            ));
        }
        let mine = open.entry(session.to_owned()).or_default();
        if *mine >= self.per_session {
            return Err(format!(
                "This sign-in already has {mine} live pages open, the limit \
                 (--max-live-streams-per-session). Close a tab that shows the console and \
                 reload this one.\n"
            ));
        }
        *mine += 1;
        Ok(Admitted {
            limits: self.clone(),
            session: session.to_owned(),
        })
    }
}

/// One admitted stream; counted until dropped.
struct Admitted {
    limits: Limits,
    session: String,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self.limits.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = open.get_mut(&self.session) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.session);
            }
        }
    }
}

pub async fn stream(
    State(state): State<AppState>,
    Query(query): Query<LiveQuery>,
    session: Option<Extension<Session>>,
) -> Response {
    let Some(Extension(session)) = session else {
        return (StatusCode::UNAUTHORIZED, "sign in first\n").into_response();
    };
    let metrics = match query.topic.as_deref() {
        None | Some("overview") => false,
        Some("registry-metrics") => true,
        Some(other) => {
            return (
                StatusCode::BAD_REQUEST,
                format!(
                    "no live topic \"{other}\"; the topics are: {}\n",
                    TOPICS.join(", ")
                ),
            )
                .into_response();
        }
    };
    let admitted = match state.live.admit(&session.id) {
        Ok(admitted) => admitted,
        Err(message) => return (StatusCode::TOO_MANY_REQUESTS, message).into_response(),
    };
    let guard = state.console.metrics.live_stream();
    // The stream ends when the console stops, or the session is signed out, idles out
    // (a stream is no request: a page left alone ends as its session does) or reaches its
    // end; the browser then reconnects, is refused and signs in again.
    let ends_in = (state.console.sessions.ends_at(&session) - chrono::Utc::now())
        .to_std()
        .unwrap_or_default();
    let shutdown = state.shutdown.clone();
    let revocations = state.console.revocations.clone();
    let id = session.id.clone();
    let until = async move {
        tokio::select! {
            () = shutdown.wait() => {},
            () = tokio::time::sleep(ends_in) => {},
            () = revocations.until_revoked(&id) => {},
        }
    };
    if metrics {
        let events = feed_metrics(state.console.clone(), session, until).map(move |tick| {
            let _counted = (&guard, &admitted);
            Event::default()
                .event("tick")
                .data(serde_json::to_string(&tick).unwrap_or_default())
        });
        return sse(events).into_response();
    }
    let mut sent = Sent::default();
    // The stream owns the guards: the gauge and the limits count it until it is dropped,
    // and dropping it releases its watches at once.
    let events = feed::overview_events(state.console.clone(), session, until).map(move |event| {
        let _counted = (&guard, &admitted);
        to_sse(&event, &mut sent)
    });
    sse(events).into_response()
}

/// The server-sent event for the browser (`app::overview`'s `live` module reads it).
fn to_sse(event: &LiveEvent, sent: &mut Sent) -> Event {
    match event {
        LiveEvent::Overview(overview) => match sent.update(overview) {
            Update::Whole(whole) => Event::default()
                .event("overview")
                .data(serde_json::Value::Object(whole).to_string()),
            Update::Changed(changed) => Event::default()
                .event("changed")
                .data(serde_json::Value::Object(changed).to_string()),
        },
        LiveEvent::Stale(since) => Event::default()
            .event("stale")
            .data(app::overview::delta::stale_data(*since)),
    }
}

/// The SSE response for one page.
fn sse(
    events: impl Stream<Item = Event> + Send + 'static,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    Sse::new(events.map(Ok)).keep_alive(KeepAlive::default())
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
        let rendered = format!(
            "{:?}",
            to_sse(&LiveEvent::Stale(since), &mut Sent::default())
        );
        assert!(rendered.contains("stale"), "{rendered}");
        assert!(
            rendered.contains(&since.timestamp_millis().to_string()),
            "{rendered}"
        );
    }

    #[test]
    fn streams_are_limited_per_session_and_in_all_and_freed_when_dropped() {
        let limits = Limits::new(2, 3);
        let a1 = limits.admit("a").unwrap();
        let _a2 = limits.admit("a").unwrap();
        let refused = limits.admit("a").err().unwrap();
        assert!(
            refused.contains("--max-live-streams-per-session"),
            "{refused}"
        );
        let _b1 = limits.admit("b").unwrap();
        let refused = limits.admit("c").err().unwrap();
        assert!(refused.contains("3 live streams"), "{refused}");
        drop(a1);
        let _c1 = limits.admit("c").unwrap();
        assert_eq!(limits.open.lock().unwrap().values().sum::<usize>(), 3);
    }
}
