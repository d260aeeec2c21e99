use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::components::{ConfigForm, TopBar};
use crate::error::ConsoleError;
use crate::functions::get_registry_config;

/// Configuring the registry: storage, replicas and rollout, reviewed before they apply.
#[component]
pub fn ConfigPage() -> impl IntoView {
    let page = OnceResource::new_blocking(get_registry_config());
    view! {
        // The bar names the user once the page's data (which carries who they are) is in.
        <Suspense fallback=|| view! { <TopBar/> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <TopBar viewer=p.viewer/> }.into_any(),
                    Err(_) => view! { <TopBar/> }.into_any(),
                }
            })}
        </Suspense>
        <main class="page narrow config">
            <h1>"Configure the registry"</h1>
            <p class="lede">
                "Choose the storage and settings, review the change (the diff and the equivalent "
                <code>"oc"</code> " commands), then apply it. Credentials are written to the "
                "secret image-registry-private-configuration-user and never shown again."
            </p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <ConfigForm page/> }.into_any(),
                        Err(ConsoleError::NotSignedIn) => view! { <Redirect path="/sign-in"/> }.into_any(),
                        Err(error) => view! { <p class="alert error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
