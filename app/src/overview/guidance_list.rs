use leptos::prelude::*;

use crate::components::rich;
use crate::overview::view::{Guidance, GuideStep};

/// What the current state means, in plain words, with the way out. A guide with steps
/// (the first run) ticks them as the live state gets there; once it is finished it stays
/// only on the page that showed it unfinished, so a healthy registry shows no guide.
#[component]
pub fn GuidanceList(guidance: Signal<Vec<Guidance>>) -> impl IntoView {
    // Not reactive on purpose: it only filters what the next render shows.
    let followed_a_guide = StoredValue::new(false);
    move || {
        let items = guidance.get();
        if items
            .iter()
            .any(|item| !item.steps.is_empty() && !item.progress_only)
        {
            followed_a_guide.set_value(true);
        }
        items
            .into_iter()
            .filter(|item| !item.progress_only || followed_a_guide.get_value())
            .map(|item| {
                let class = format!("guidance {}", item.severity.class());
                let link = item.link.map(
                    |link| view! { <a class="button" href=link.href>{link.label.render()}</a> },
                );
                let steps =
                    (!item.steps.is_empty()).then(|| view! { <GuideSteps steps=item.steps/> });
                let first_run = steps.is_some().then_some("true");
                view! {
                    <section class=class data-first-run=first_run>
                        <h2>{item.title.render()}</h2>
                        <p>{rich(item.body)}</p>
                        {steps}
                        {link}
                    </section>
                }
            })
            .collect_view()
    }
}

/// A guide's steps, each ticked when done.
#[component]
fn GuideSteps(steps: Vec<GuideStep>) -> impl IntoView {
    let items = steps
        .into_iter()
        .map(|step| {
            let state = step.state;
            let link = step
                .link
                .map(|link| view! { <a class="button" href=link.href>{link.label.render()}</a> });
            let state_label = state.label();
            view! {
                <li class=format!("step {}", state.class()) data-step-state=state.class()>
                    <span class="tick" title=state_label.clone() aria-label=state_label></span>
                    <div>
                        <strong>{step.title.render()}</strong>
                        <p>{rich(step.detail)}</p>
                        {link}
                    </div>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="steps">{items}</ol> }
}
