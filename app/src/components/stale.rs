use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::words;
use crate::i18n::tr;
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
                Staleness::ClusterUnreachable(since) => (tr::common::stale_cluster(), since),
                Staleness::ConsoleUnreachable(since) => (tr::common::stale_console(), since),
            };
            view! {
                <div class="alert stale" role="status" data-stale="true">
                    {words("strong", "", tr::common::stale_since(clock(since)))}
                    " "
                    {what}
                </div>
            }
        })
    }
}
