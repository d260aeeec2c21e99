//! The frame of a page of cluster data read once when it opens: the top bar with the
//! viewer the data names, the title and lede, then the page's body with the data. Not
//! being signed in goes to sign-in; any other error is said where the body would be.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{TopBar, error_alert, rich};
use crate::error::ConsoleError;
use crate::i18n::tr;
use crate::viewer::Viewer;

/// `page` read, framed: `class` for `<main>`, `viewer` names who is looking, `body` draws
/// the data.
pub fn data_page<T, V>(
    page: OnceResource<Result<T, ConsoleError>>,
    class: &'static str,
    title: String,
    lede: String,
    viewer: fn(&T) -> Viewer,
    body: fn(T) -> V,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <TopBar/> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <TopBar viewer=viewer(&p)/> }.into_any(),
                    Err(_) => view! { <TopBar/> }.into_any(),
                }
            })}
        </Suspense>
        <main id="main" class=class>
            <h1>{title}</h1>
            <p class="lede">{rich(lede)}</p>
            <Suspense fallback=|| view! { <p>{tr::common::loading()}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(data) => body(data).into_any(),
                        Err(ConsoleError::NotSignedIn) => view! { <Redirect path="/sign-in"/> }.into_any(),
                        Err(error) => error_alert(&error, "").into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
