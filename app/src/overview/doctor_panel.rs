use leptos::prelude::*;

use crate::components::{Html, words};
use crate::i18n::tr;
use crate::overview::view::{Diagnosis, Doctor};

/// The configuration doctor: each problem with what is wrong, the fix and where to make it.
#[component]
pub fn DoctorPanel(doctor: Signal<Doctor>) -> impl IntoView {
    view! {
        <section class="card doctor">
            {words("h2", "", tr::overview::doctor_title())}
            {move || {
                let Doctor { problems, not_judged } = doctor.get();
                // Nothing here reacts but the whole: written as HTML, one type (see
                // `components::inert`).
                let summary = if problems.is_empty() {
                    words("p", "muted healthy", tr::overview::doctor_healthy())
                } else {
                    problems
                        .into_iter()
                        .fold(Html::default().open("ul", &[("class", "problems")]), problem)
                        .close("ul")
                        .into_view()
                };
                let notes = (!not_judged.is_empty()).then(|| {
                    not_judged
                        .into_iter()
                        .fold(Html::default().open("ul", &[("class", "not-judged muted")]), |html, note| {
                            html.open("li", &[]).rich(&note.render()).close("li")
                        })
                        .close("ul")
                        .into_view()
                });
                (summary, notes)
            }}
        </section>
    }
}

/// One problem: where, what, the fix, the link that makes it.
fn problem(html: Html, problem: Diagnosis) -> Html {
    let class = format!("problem {}", problem.severity.class());
    let html = html
        .open("li", &[("class", &class), ("data-source", &problem.source)])
        .open("p", &[("class", "what")])
        .element("code", &[], &problem.source)
        .text(" ")
        .rich(&problem.problem.render())
        .close("p")
        .open("p", &[("class", "fix")])
        .element("strong", &[], &tr::overview::doctor_fix())
        .text(" ")
        .rich(&problem.fix.render())
        .close("p");
    match problem.link {
        Some(link) => html.button_link(&link.href, &link.label.render()),
        None => html,
    }
    .close("li")
}
