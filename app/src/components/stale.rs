use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::time::clock;

/// Why the page may be out of date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Staleness {
    /// The console reports that the cluster stopped answering at this time.
    ClusterUnreachable(DateTime<Utc>),
    /// The browser lost its connection to the console at this time.
    ConsoleUnreachable(DateTime<Utc>),
}

/// Says that what the page shows is the last known state, and since when.
#[component]
pub fn StaleBanner(staleness: Signal<Option<Staleness>>) -> impl IntoView {
    move || {
        staleness.get().map(|staleness| {
            let (what, since) = match staleness {
                Staleness::ClusterUnreachable(since) => (
                    "The cluster is not answering. This is the last known state; the console keeps trying and updates the page when the cluster is back.",
                    since,
                ),
                Staleness::ConsoleUnreachable(since) => (
                    "The connection to the console was lost. This is the last known state; the page reconnects by itself.",
                    since,
                ),
            };
            view! {
                <div class="alert stale" role="status" data-stale="true">
                    <strong>{format!("Stale since {}", clock(since))}</strong>
                    " "
                    {what}
                </div>
            }
        })
    }
}
