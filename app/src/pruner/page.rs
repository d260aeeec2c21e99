use leptos::prelude::*;

use crate::components::error_alert;
use leptos_router::components::Redirect;

use super::form::PrunerForm;
use super::get_image_pruner;
use crate::components::{TopBar, rich};
use crate::error::ConsoleError;
use crate::i18n::tr;

/// The image pruner: its schedule and retention, reviewed before they apply, and the
/// status of its last runs.
#[component]
pub fn PrunerPage() -> impl IntoView {
    let page = OnceResource::new_blocking(get_image_pruner());
    view! {
        <Suspense fallback=|| view! { <TopBar/> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <TopBar viewer=p.viewer/> }.into_any(),
                    Err(_) => view! { <TopBar/> }.into_any(),
                }
            })}
        </Suspense>
        <main id="main" class="page narrow pruner">
            <h1>{tr::pruner::title()}</h1>
            <p class="lede">{rich(tr::pruner::lede())}</p>
            <Suspense fallback=|| view! { <p>{tr::edit::loading()}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <PrunerForm page/> }.into_any(),
                        Err(ConsoleError::NotSignedIn) => view! { <Redirect path="/sign-in"/> }.into_any(),
                        Err(error) => error_alert(&error, "").into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
