use leptos::prelude::*;

use crate::components::rich;
use crate::i18n::tr;
use crate::overview::view::Doctor;

/// The configuration doctor: each problem with what is wrong, the fix and where to make it.
#[component]
pub fn DoctorPanel(doctor: Signal<Doctor>) -> impl IntoView {
    view! {
        <section class="card doctor">
            <h2>{tr::overview::doctor_title()}</h2>
            {move || {
                let Doctor { problems, not_judged } = doctor.get();
                let summary = if problems.is_empty() {
                    view! { <p class="muted healthy">{tr::overview::doctor_healthy()}</p> }.into_any()
                } else {
                    let items = problems.into_iter().map(|p| {
                        let link = p.link.map(|link| view! { <a class="button" href=link.href>{link.label.render()}</a> });
                        let class = format!("problem {}", p.severity.class());
                        let source = p.source.clone();
                        view! {
                            <li class=class data-source=source>
                                <p class="what"><code>{p.source}</code>" "{rich(p.problem)}</p>
                                <p class="fix"><strong>{tr::overview::doctor_fix()}</strong>" "{rich(p.fix)}</p>
                                {link}
                            </li>
                        }
                    }).collect_view();
                    view! { <ul class="problems">{items}</ul> }.into_any()
                };
                let notes = (!not_judged.is_empty()).then(|| {
                    let notes = not_judged.into_iter().map(|n| view! { <li>{rich(n)}</li> }).collect_view();
                    view! { <ul class="not-judged muted">{notes}</ul> }
                });
                view! { {summary}{notes} }
            }}
        </section>
    }
}
