use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::overview::view::ConditionView;
use crate::time::age;

/// Status conditions with reasons, messages and ages, problems highlighted.
#[component]
pub fn ConditionsTable(
    #[prop(into)] title: String,
    conditions: Signal<Vec<ConditionView>>,
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    view! {
        <section class="card conditions">
            <h2>{title}</h2>
            {move || {
                let conditions = conditions.get();
                if conditions.is_empty() {
                    return view! { <p class="muted">"No conditions reported."</p> }.into_any();
                }
                let rows = conditions.into_iter().map(|condition| {
                    let class = if condition.is_problem() { "problem" } else { "" };
                    let since = condition.since;
                    let key = condition.type_.clone();
                    view! {
                        <tr class=class data-condition=key>
                            <td>{condition.type_}</td>
                            <td class="status">{condition.status.as_str()}</td>
                            <td>{condition.reason.unwrap_or_default()}</td>
                            <td class="message">{condition.message.unwrap_or_default()}</td>
                            <td class="age">{move || since.map(|since| age(since, now.get()))}</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <table>
                        <thead><tr><th>"Type"</th><th>"Status"</th><th>"Reason"</th><th>"Message"</th><th>"Age"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
