use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::components::{header_row, words};
use crate::i18n::tr;
use crate::overview::view::PodView;
use crate::time::age;

/// The registry pods, as `oc get pods -n openshift-image-registry` shows them.
#[component]
pub fn PodsTable(pods: Signal<Vec<PodView>>, now: Signal<DateTime<Utc>>) -> impl IntoView {
    view! {
        <section class="card pods">
            {words("h2", "", tr::overview::pods_title())}
            {move || {
                let pods = pods.get();
                if pods.is_empty() {
                    return words("p", "muted", tr::overview::pods_none()).into_any();
                }
                let rows = pods.into_iter().map(|pod| {
                    let created = pod.created;
                    let key = pod.name.clone();
                    view! {
                        <tr data-pod=key>
                            <td translate="no">{pod.name}</td>
                            <td>{pod.ready}</td>
                            <td class="status" translate="no">{pod.status}</td>
                            <td>{pod.restarts}</td>
                            <td class="age">{move || created.map(|c| age(c, now.get()))}</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <table>
                        {header_row([
                            tr::overview::pods_name(),
                            tr::overview::pods_ready(),
                            tr::overview::pods_status(),
                            tr::overview::pods_restarts(),
                            tr::overview::pods_age(),
                        ])}
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
