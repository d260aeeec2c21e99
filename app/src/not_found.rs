use leptos::prelude::*;

/// Any path the console does not have.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="page narrow">
            <h1>"Not found"</h1>
            <p>"The console has no page here. " <a href="/">"Go to the overview"</a> "."</p>
        </main>
    }
}
