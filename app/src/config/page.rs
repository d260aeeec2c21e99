use leptos::prelude::*;

use crate::components::error_alert;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::form::{ConfigForm, FormValues};
use super::get_registry_config;
use super::view::OBJECT;
use crate::changes::RecentChanges;
use crate::changes::view::Subject;
use crate::components::{TopBar, rich};
use crate::edit::merge::Carried;
use crate::edit::outcome::{Outcome, OutcomeNotice};
use crate::error::ConsoleError;
use crate::i18n::tr;

/// Configuring the registry: storage, replicas and rollout, reviewed before they apply.
/// After an apply (or a conflict) the page reads the config again and shows the outcome
/// above a form that holds what the cluster now holds, with the user's edits carried over
/// onto it after a conflict.
#[component]
pub fn ConfigPage() -> impl IntoView {
    let reads = RwSignal::new(0_u32);
    let page = Resource::new_blocking(move || reads.get(), |_| get_registry_config());
    let outcome = RwSignal::new(None::<Outcome>);
    let first_run = use_query_map().with_untracked(|q| q.get("first-run").is_some());
    // What the form held when the config changed under it, for the next form to merge.
    let carried = StoredValue::new(None::<Carried<FormValues>>);
    let on_reload = Callback::new(move |result: Option<Outcome>| {
        outcome.set(result);
        reads.update(|n| *n += 1);
    });
    view! {
        // The bar names the user once the page's data (which carries who they are) is in.
        <Transition fallback=|| view! { <TopBar/> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <TopBar viewer=p.viewer/> }.into_any(),
                    Err(_) => view! { <TopBar/> }.into_any(),
                }
            })}
        </Transition>
        <main id="main" class="page narrow config">
            <h1>{tr::config::title()}</h1>
            <p class="lede">{rich(tr::config::lede())}</p>
            {move || outcome.get().map(|outcome| {
                let note = if matches!(outcome, Outcome::Conflict { .. }) {
                    tr::config::reloaded_merged()
                } else {
                    tr::config::reloaded()
                };
                view! { <OutcomeNotice outcome object=OBJECT note/> }
            })}
            <Transition fallback=|| view! { <p>{tr::edit::loading()}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        // Only the first form starts the first run; a reload shows the cluster.
                        Ok(page) => {
                            let first_form = reads.get_untracked() == 0;
                            let first_run = first_run && first_form;
                            view! { <ConfigForm page first_run first_form carried on_reload/> }.into_any()
                        }
                        Err(ConsoleError::NotSignedIn) => view! { <Redirect path="/sign-in"/> }.into_any(),
                        Err(error) => error_alert(&error, "").into_any(),
                    }
                })}
            </Transition>
            <RecentChanges subject=Subject::Config reads/>
        </main>
    }
}
