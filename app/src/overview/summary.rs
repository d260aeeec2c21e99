use leptos::prelude::*;

use crate::components::{rich, words};
use crate::i18n::tr;
use crate::overview::view::Overview;

/// The key facts: management state, storage, replicas, where to reach the registry.
#[component]
pub fn Summary(overview: Signal<Overview>) -> impl IntoView {
    let state = move || {
        overview
            .with(|o| o.management_state)
            .map_or_else(tr::overview::state_not_set, |state| {
                state.as_str().to_owned()
            })
    };
    let storage = move || {
        overview.with(|o| match o.storage.kinds.as_slice() {
            [] => tr::overview::storage_not_configured(),
            [one] => one.clone(),
            several => tr::overview::storage_several(several.join(", ")),
        })
    };
    let location = move || overview.with(|o| o.storage.location.clone());
    let storage_management = move || overview.with(|o| o.storage.management.clone());
    let replicas = move || {
        overview.with(|o| {
            let desired = o.replicas.desired.map_or("?".into(), |d| d.to_string());
            let ready = o.replicas.ready.unwrap_or(0);
            tr::overview::replicas_ready(ready, desired)
        })
    };
    let internal = move || {
        overview
            .with(|o| o.internal_hostname.clone())
            .unwrap_or_else(tr::overview::internal_none)
    };
    let routes = move || {
        let routes = overview.with(|o| o.routes.clone());
        if routes.is_empty() {
            return words("span", "muted", tr::overview::routes_none()).into_any();
        }
        routes
            .into_iter()
            .map(|route| {
                let host = route.host.unwrap_or_else(tr::overview::route_no_host);
                view! { <span class="route" title=route.name translate="no">{host}</span> }
            })
            .collect_view()
            .into_any()
    };
    let unreadable = move || {
        let unreadable = overview.with(|o| o.unreadable.clone());
        (!unreadable.is_empty()).then(|| {
            view! {
                <div class="alert warning">
                    {words("strong", "", tr::overview::hidden_parts())}
                    <ul>{unreadable.into_iter().map(|line| view! { <li>{rich(line)}</li> }).collect_view()}</ul>
                </div>
            }
        })
    };
    view! {
        <section class="card summary">
            <dl>
                {words("dt", "", tr::overview::management_state())}
                <dd class="management-state" data-state=state>{state}</dd>
                {words("dt", "", tr::overview::storage())}
                <dd class="storage">
                    {storage}
                    {move || location().map(|l| view! { " → " {rich(l)} })}
                    {move || storage_management().map(|m| view! { " " {words("span", "muted", tr::overview::storage_management(m))} })}
                </dd>
                {words("dt", "", tr::overview::replicas())}
                <dd class="replicas">{replicas}</dd>
                {words("dt", "", tr::overview::internal_hostname())}
                <dd class="internal-hostname"><code>{internal}</code></dd>
                {words("dt", "", tr::overview::routes())}
                <dd class="routes">{routes}</dd>
            </dl>
            {unreadable}
        </section>
    }
}
