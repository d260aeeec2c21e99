//! How a failed request shows on a page.

use leptos::prelude::*;

use super::rich;
use crate::error::ConsoleError;

/// A request that failed (the console or the cluster refused it, or it never arrived), as
/// an alert; `class` adds to its classes (`outcome` where it stands for one).
pub fn error_alert(error: &ConsoleError, class: &'static str) -> impl IntoView + use<> {
    view! { <p class=format!("alert error {class}") role="alert">{rich(error.phrase())}</p> }
}
