use leptos::prelude::*;

use crate::models::Guidance;

/// What the current state means, in plain words, with the way out.
#[component]
pub fn GuidanceList(guidance: Signal<Vec<Guidance>>) -> impl IntoView {
    move || {
        guidance
            .get()
            .into_iter()
            .map(|item| {
                let class = format!("guidance {}", item.severity.class());
                let link = item
                    .link
                    .map(|link| view! { <a class="button" href=link.href>{link.label}</a> });
                view! {
                    <section class=class>
                        <h2>{item.title}</h2>
                        <p>{item.body}</p>
                        {link}
                    </section>
                }
            })
            .collect_view()
    }
}
