//! How a failed request shows on a page.

use leptos::prelude::*;

use super::rich;
use crate::error::ConsoleError;

/// A request that failed (the console or the cluster refused it, or it never arrived), as
/// an alert; `class` adds to its classes (`outcome` where it stands for one).
pub fn error_alert(error: &ConsoleError, class: &'static str) -> impl IntoView + use<> {
    view! { <p class=format!("alert error {class}") role="alert">{rich(error.phrase())}</p> }
}

/// A request the user just made that failed: an [`error_alert`] that takes the focus (and
/// the view), so neither eyes nor the keyboard have to look for it.
pub fn error_outcome(error: &ConsoleError) -> impl IntoView + use<> {
    let node = NodeRef::<leptos::html::P>::new();
    node.on_load(|alert| {
        let _ = alert.focus();
    });
    view! {
        <p class="alert error outcome" role="alert" tabindex="-1" node_ref=node>
            {rich(error.phrase())}
        </p>
    }
}
