//! The "Recent changes by the console" section under each form.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::recent_changes_of;
use super::view::{ChangeView, RecentChangesView, Subject, Verb};
use crate::components::{error_alert, header_row, rich, words};
use crate::error::ConsoleError;
use crate::i18n::tr;
use crate::time::{age, moment};

/// How often the list is read again in the browser, for changes made in other tabs and
/// by other people (an apply on this page reads it at once).
#[cfg(feature = "hydrate")]
const REFRESH_SECONDS: u64 = 15;

/// The console's recent changes to `subject`'s objects, read again whenever `reads`
/// changes (the page bumps it after each apply) and every [`REFRESH_SECONDS`].
#[component]
pub fn RecentChanges(subject: Subject, #[prop(into)] reads: Signal<u32>) -> impl IntoView {
    let ticks = RwSignal::new(0_u32);
    // The server renders ages from its clock; the browser moves them on from its own, at
    // hydration and with each read. (Not by tracking the list: a read of it outside its
    // own Transition would suspend the page's.)
    let now = RwSignal::new(crate::time::now());
    Effect::new(move || now.set(crate::time::now()));
    #[cfg(feature = "hydrate")]
    {
        let tick = move || {
            now.set(crate::time::now());
            ticks.update(|n| *n += 1);
        };
        let every = std::time::Duration::from_secs(REFRESH_SECONDS);
        if let Ok(handle) = set_interval_with_handle(tick, every) {
            on_cleanup(move || handle.clear());
        }
    }
    let changes = Resource::new(
        move || (reads.get(), ticks.get()),
        move |_| recent_changes_of(subject),
    );
    view! {
        <section class="card changes" aria-labelledby="changes-title">
            <h2 id="changes-title">{tr::edit::changes_title()}</h2>
            <p class="muted">{rich(tr::edit::changes_lede())}</p>
            <Transition fallback=|| view! { <p>{tr::edit::loading()}</p> }>
                {move || Suspend::new(async move {
                    match changes.await {
                        Ok(view) => listed(view, now.into()).into_any(),
                        // The page above says so, and goes to the sign-in page.
                        Err(ConsoleError::NotSignedIn) => ().into_any(),
                        Err(error) => error_alert(&error, "").into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn listed(view: RecentChangesView, now: Signal<DateTime<Utc>>) -> impl IntoView {
    let hidden = view
        .hidden
        .iter()
        .map(|namespace| {
            let text = if namespace.is_empty() {
                tr::edit::changes_hidden_all()
            } else {
                tr::edit::changes_hidden(namespace)
            };
            view! { <p class="muted">{rich(text)}</p> }
        })
        .collect_view();
    let table = if view.changes.is_empty() {
        words("p", "muted", tr::edit::changes_none()).into_any()
    } else {
        let rows = view
            .changes
            .into_iter()
            .map(|change| row(change, now))
            .collect_view();
        view! {
            <table>
                {header_row([
                    tr::edit::changes_when(),
                    tr::edit::changes_who(),
                    tr::edit::changes_what(),
                    tr::edit::changes_object(),
                    tr::edit::changes_fields(),
                ])}
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! { {table} {hidden} }
}

fn row(change: ChangeView, now: Signal<DateTime<Utc>>) -> impl IntoView {
    let verb = match change.verb {
        Verb::Create => tr::edit::changes_created(),
        Verb::Patch => tr::edit::changes_changed(),
        Verb::Delete => tr::edit::changes_deleted(),
    };
    let object = if change.namespace.is_empty() {
        format!("{} {}", change.kind, change.name)
    } else {
        format!("{} {}/{}", change.kind, change.namespace, change.name)
    };
    let at = change.at;
    let fields = change
        .fields
        .into_iter()
        .map(|field| view! { <code>{field}</code> " " })
        .collect_view();
    view! {
        <tr data-request=change.request_id>
            <td class="age">
                {at.map(|at| view! {
                    <time datetime=at.to_rfc3339() title=moment(at)>{move || age(at, now.get())}</time>
                })}
            </td>
            <td translate="no">{change.user}</td>
            <td>{verb}</td>
            <td translate="no">{object}</td>
            <td class="fields" translate="no">{fields}</td>
        </tr>
    }
}
