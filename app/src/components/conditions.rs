use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::{header_row, rich, words};
use crate::i18n::tr;
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
            <h2>{rich(title)}</h2>
            {move || {
                let conditions = conditions.get();
                if conditions.is_empty() {
                    return words("p", "muted", tr::common::conditions_none()).into_any();
                }
                let rows = conditions.into_iter().map(|condition| {
                    let class = if condition.is_problem() { "problem" } else { "" };
                    let since = condition.since;
                    let key = condition.type_.clone();
                    view! {
                        <tr class=class data-condition=key>
                            // The cluster's own words, in no reader's language.
                            <td translate="no">{condition.type_}</td>
                            <td class="status" translate="no">{condition.status.as_str()}</td>
                            <td translate="no">{condition.reason.unwrap_or_default()}</td>
                            <td class="message" translate="no">{condition.message.unwrap_or_default()}</td>
                            <td class="age">{move || since.map(|since| age(since, now.get()))}</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <table>
                        {header_row([
                            tr::common::conditions_type(),
                            tr::common::conditions_status(),
                            tr::common::conditions_reason(),
                            tr::common::conditions_message(),
                            tr::common::conditions_age(),
                        ])}
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
