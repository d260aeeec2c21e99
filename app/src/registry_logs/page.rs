use leptos::prelude::*;

use super::view::{LogLine, LogsData};
use super::{GetRegistryLogs, get_registry_logs};
use crate::components::{StaleBanner, Staleness, data_page, rich};
use crate::i18n::tr;

/// How often a followed log is read again.
#[cfg(feature = "hydrate")]
const FOLLOW_SECONDS: u64 = 3;
const LEVELS: [&str; 4] = ["error", "warning", "info", "debug"];

/// `/registry-logs`: the registry pods' logs and the namespace's events, followed.
#[component]
pub fn LogsPage() -> impl IntoView {
    data_page(
        OnceResource::new_blocking(get_registry_logs(String::new(), false)),
        "page wide logs",
        tr::logs::title(),
        tr::logs::lede(),
        |data| data.viewer.clone(),
        |data| view! { <Logs data/> },
    )
}

/// `text` as a `data:` URL's payload: every byte but unreserved ones percent-encoded.
fn percent_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[component]
fn Logs(data: LogsData) -> impl IntoView {
    let data = RwSignal::new(data);
    let pod = RwSignal::new(String::new());
    let previous = RwSignal::new(false);
    let level = RwSignal::new(String::new());
    let filter = RwSignal::new(String::new());
    let paused = RwSignal::new(false);
    let staleness = RwSignal::new(None::<Staleness>);
    let refresh = ServerAction::<GetRegistryLogs>::new();
    Effect::new(move |_| match refresh.value().get() {
        Some(Ok(fresh)) => {
            data.set(fresh);
            staleness.set(None);
        }
        Some(Err(_)) if staleness.get_untracked().is_none() => {
            staleness.set(Some(Staleness::ConsoleUnreachable(crate::time::now())));
        }
        _ => {}
    });
    let fetch = move || {
        refresh.dispatch(GetRegistryLogs {
            pod: pod.get_untracked(),
            previous: previous.get_untracked(),
        });
    };
    #[cfg(feature = "hydrate")]
    {
        use std::time::Duration;
        let tick = move || {
            if !paused.get_untracked() && !refresh.pending().get_untracked() {
                fetch();
            }
        };
        if let Ok(handle) = set_interval_with_handle(tick, Duration::from_secs(FOLLOW_SECONDS)) {
            on_cleanup(move || handle.clear());
        }
    }
    let shown = Memo::new(move |_| {
        let (level, filter) = (level.get(), filter.get().to_lowercase());
        data.with(|d| {
            d.lines
                .iter()
                .filter(|l| level.is_empty() || l.level == level)
                .filter(|l| filter.is_empty() || l.text.to_lowercase().contains(&filter))
                .cloned()
                .collect::<Vec<LogLine>>()
        })
    });
    let download = move || {
        let text: String = shown.with(|lines| {
            lines
                .iter()
                .map(|l| format!("{} {}\n", l.pod, l.text))
                .collect()
        });
        format!("data:text/plain;charset=utf-8,{}", percent_encoded(&text))
    };
    let pods = move || {
        data.with(|d| {
            d.pods
                .iter()
                .map(|p| {
                    let name = p.name.clone();
                    view! { <option value=name.clone() selected=move || pod.get() == name>{tr::logs::pod_option(&p.name, p.restarts)}</option> }
                })
                .collect_view()
        })
    };
    let lines = move || {
        let lines = shown.get();
        if lines.is_empty() {
            return view! { <p class="muted no-lines">{tr::logs::no_lines()}</p> }.into_any();
        }
        let many = data.with(|d| d.pods.len() > 1) && pod.get().is_empty();
        view! {
            <pre class="log" translate="no" tabindex="0" aria-label=tr::logs::log_label()>
                {lines.into_iter().map(|l| view! {
                    <span class=format!("line level-{}", l.level)>
                        {many.then(|| format!("{} ", l.pod))}{l.text}"\n"
                    </span>
                }).collect_view()}
            </pre>
        }
        .into_any()
    };
    let events = move || {
        let events = data.with(|d| d.events.clone());
        if events.is_empty() {
            return view! { <p class="muted no-events">{tr::logs::no_events()}</p> }.into_any();
        }
        view! {
            <table class="events">
                <thead><tr>
                    <th scope="col">{tr::logs::col_type()}</th>
                    <th scope="col">{tr::logs::col_reason()}</th>
                    <th scope="col">{tr::logs::col_object()}</th>
                    <th scope="col">{tr::logs::col_message()}</th>
                    <th scope="col">{tr::logs::col_age()}</th>
                </tr></thead>
                <tbody>
                    {events.into_iter().map(|e| { let class = format!("event {}", e.kind.to_lowercase()); view! {
                        <tr class=class>
                            <td translate="no">{e.kind}</td>
                            <td translate="no">{e.reason}</td>
                            <td translate="no">{e.object}</td>
                            <td translate="no">{e.message}{(e.count > 1).then(|| format!(" (×{})", e.count))}</td>
                            <td>{tr::logs::age(e.age)}</td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <StaleBanner staleness=staleness.into()/>
        <section class="card log-controls">
            <label>{tr::logs::pod_label()}
                <select name="pod" on:change=move |ev| {
                    pod.set(event_target_value(&ev));
                    if pod.get_untracked().is_empty() { previous.set(false); }
                    fetch();
                }>
                    <option value="">{tr::logs::all_pods()}</option>
                    {pods}
                </select>
            </label>
            <label class="check">
                <input type="checkbox" name="previous" prop:checked=move || previous.get()
                    disabled=move || pod.get().is_empty()
                    on:change=move |ev| { previous.set(event_target_checked(&ev)); fetch(); }/>
                {tr::logs::previous()}
            </label>
            <label>{tr::logs::level_label()}
                <select name="level" on:change=move |ev| level.set(event_target_value(&ev))>
                    <option value="">{tr::logs::level_all()}</option>
                    {LEVELS.map(|l| view! { <option value=l>{l}</option> })}
                </select>
            </label>
            <label>{tr::logs::text_label()}
                <input name="filter" type="search" autocomplete="off" on:input=move |ev| filter.set(event_target_value(&ev))/>
            </label>
            <button type="button" class="secondary pause" aria-pressed=move || paused.get().to_string()
                on:click=move |_| paused.update(|p| *p = !*p)>
                {move || if paused.get() { tr::logs::resume() } else { tr::logs::pause() }}
            </button>
            <a class="button secondary download" download="registry.log" href=download>{tr::logs::download()}</a>
        </section>
        <p class="muted follow" role="status">{move || rich(if paused.get() { tr::logs::paused_note() } else { tr::logs::following() })}</p>
        {lines}
        <section class="card">
            <h2>{tr::logs::events_title()}</h2>
            {events}
        </section>
    }
}
