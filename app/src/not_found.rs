use leptos::prelude::*;

use crate::i18n::tr;

/// Any path the console does not have.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main id="main" class="page narrow">
            <h1>{tr::common::not_found_title()}</h1>
            <p>{tr::common::not_found_text()} " " <a href="/">{tr::common::not_found_back()}</a></p>
        </main>
    }
}
