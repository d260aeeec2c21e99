use leptos::prelude::*;

use crate::components::error_alert;
use leptos_router::components::Redirect;

use super::form::{PrunerForm, PrunerValues};
use super::get_image_pruner;
use super::view::OBJECT;
use crate::changes::RecentChanges;
use crate::changes::view::Subject;
use crate::components::{TopBar, rich};
use crate::edit::merge::Carried;
use crate::edit::outcome::{Outcome, OutcomeNotice};
use crate::error::ConsoleError;
use crate::i18n::tr;

/// The image pruner: its schedule and retention, reviewed before they apply, and the
/// status of its last runs. After an apply (or a conflict) the page reads the pruner again
/// and shows the outcome above a form that holds what the cluster now holds, with the
/// user's edits carried over onto it after a conflict.
#[component]
pub fn PrunerPage() -> impl IntoView {
    let reads = RwSignal::new(0_u32);
    let page = Resource::new_blocking(move || reads.get(), |_| get_image_pruner());
    let outcome = RwSignal::new(None::<Outcome>);
    let carried = StoredValue::new(None::<Carried<PrunerValues>>);
    let on_reload = Callback::new(move |result: Option<Outcome>| {
        outcome.set(result);
        reads.update(|n| *n += 1);
    });
    view! {
        <Transition fallback=|| view! { <TopBar/> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <TopBar viewer=p.viewer/> }.into_any(),
                    Err(_) => view! { <TopBar/> }.into_any(),
                }
            })}
        </Transition>
        <main id="main" class="page narrow pruner">
            <h1>{tr::pruner::title()}</h1>
            <p class="lede">{rich(tr::pruner::lede())}</p>
            {move || outcome.get().map(|outcome| {
                let applied = matches!(outcome, Outcome::Applied { .. });
                let note = if matches!(outcome, Outcome::Conflict { .. }) {
                    tr::pruner::reloaded_merged()
                } else {
                    tr::pruner::reloaded()
                };
                view! {
                    <OutcomeNotice outcome object=OBJECT note>
                        {applied.then(|| view! {
                            <p class="muted">{rich(tr::pruner::applied_note())}</p>
                        })}
                    </OutcomeNotice>
                }
            })}
            <Transition fallback=|| view! { <p>{tr::edit::loading()}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => {
                            // Right after an apply, the operator's work shows in the status.
                            let just_applied = outcome
                                .with_untracked(|o| matches!(o, Some(Outcome::Applied { .. })));
                            view! { <PrunerForm page carried on_reload just_applied/> }.into_any()
                        }
                        Err(ConsoleError::NotSignedIn) => view! { <Redirect path="/sign-in"/> }.into_any(),
                        Err(error) => error_alert(&error, "").into_any(),
                    }
                })}
            </Transition>
            <RecentChanges subject=Subject::Pruner reads/>
        </main>
    }
}
