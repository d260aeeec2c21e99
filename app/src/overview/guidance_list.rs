use leptos::prelude::*;

use crate::components::Html;
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
            .map(section)
            .collect_view()
    }
}

/// One piece of guidance. Nothing inside reacts: written as HTML, one type (see
/// `components::inert`).
fn section(item: Guidance) -> impl IntoView {
    let class = format!("guidance {}", item.severity.class());
    let first_run: &[(&str, &str)] = if item.steps.is_empty() {
        &[]
    } else {
        &[("data-first-run", "true")]
    };
    let mut html = Html::default()
        .open(
            "section",
            &[&[("class", class.as_str())], first_run].concat(),
        )
        .element("h2", &[], &item.title.render())
        .open("p", &[])
        .rich(&item.body.render())
        .close("p");
    if !item.steps.is_empty() {
        html = item
            .steps
            .into_iter()
            .fold(html.open("ol", &[("class", "steps")]), step)
            .close("ol");
    }
    if let Some(link) = item.link {
        html = html.button_link(&link.href, &link.label.render());
    }
    html.close("section").into_view()
}

/// A guide's step, ticked when done.
fn step(html: Html, step: GuideStep) -> Html {
    let state = step.state;
    let class = format!("step {}", state.class());
    let label = state.label();
    let html = html
        .open(
            "li",
            &[("class", &class), ("data-step-state", state.class())],
        )
        .open(
            "span",
            &[
                ("class", "tick"),
                ("role", "img"),
                ("title", &label),
                ("aria-label", &label),
            ],
        )
        .close("span")
        .open("div", &[])
        .element("strong", &[], &step.title.render())
        .open("p", &[])
        .rich(&step.detail.render())
        .close("p");
    match step.link {
        Some(link) => html.button_link(&link.href, &link.label.render()),
        None => html,
    }
    .close("div")
    .close("li")
}
