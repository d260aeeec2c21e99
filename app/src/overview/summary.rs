use leptos::prelude::*;

use crate::overview::view::Overview;

/// The key facts: management state, storage, replicas, where to reach the registry.
#[component]
pub fn Summary(overview: Signal<Overview>) -> impl IntoView {
    let state = move || {
        overview
            .with(|o| o.management_state)
            .map_or("not set", |state| state.as_str())
    };
    let storage = move || {
        overview.with(|o| match o.storage.kinds.as_slice() {
            [] => "not configured".to_string(),
            [one] => one.clone(),
            several => format!(
                "{} (several: the operator wants exactly one)",
                several.join(", ")
            ),
        })
    };
    let location = move || overview.with(|o| o.storage.location.clone());
    let storage_management = move || overview.with(|o| o.storage.management.clone());
    let replicas = move || {
        overview.with(|o| {
            let desired = o.replicas.desired.map_or("?".into(), |d| d.to_string());
            let ready = o.replicas.ready.unwrap_or(0);
            format!("{ready} ready of {desired} desired")
        })
    };
    let internal = move || {
        overview
            .with(|o| o.internal_hostname.clone())
            .unwrap_or_else(|| "none (the registry's service does not exist)".into())
    };
    let routes = move || {
        let routes = overview.with(|o| o.routes.clone());
        if routes.is_empty() {
            return view! { <span class="muted">"none"</span> }.into_any();
        }
        routes
            .into_iter()
            .map(|route| {
                let host = route
                    .host
                    .unwrap_or_else(|| "(host not assigned yet)".into());
                view! { <span class="route" title=route.name>{host}</span> }
            })
            .collect_view()
            .into_any()
    };
    let unreadable = move || {
        let unreadable = overview.with(|o| o.unreadable.clone());
        (!unreadable.is_empty()).then(|| {
            view! {
                <div class="alert warning">
                    <strong>"Some parts are hidden because the cluster does not let you read them:"</strong>
                    <ul>{unreadable.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                </div>
            }
        })
    };
    view! {
        <section class="card summary">
            <dl>
                <dt>"Management state"</dt>
                <dd class="management-state" data-state=state>{state}</dd>
                <dt>"Storage"</dt>
                <dd class="storage">
                    {storage}
                    {move || location().map(|l| view! { " → " <code>{l}</code> })}
                    {move || storage_management().map(|m| view! { <span class="muted">{format!(" (storage {m})")}</span> })}
                </dd>
                <dt>"Replicas"</dt>
                <dd class="replicas">{replicas}</dd>
                <dt>"Internal hostname"</dt>
                <dd class="internal-hostname"><code>{internal}</code></dd>
                <dt>"Routes"</dt>
                <dd class="routes">{routes}</dd>
            </dl>
            {unreadable}
        </section>
    }
}
