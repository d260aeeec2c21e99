//! The edit flow's words where a page did not bring them.

use leptos::prelude::*;

/// Whether the browser holds the `edit` words. The configuration and pruner pages carry
/// them; the overview's management-state card shows the review card and the outcome notice
/// without them, so there they load on first use. Always true on the server.
///
/// What waits on it shows only after an action, never in the server's HTML, so hydration
/// never meets the difference.
pub fn ready() -> Signal<bool> {
    #[cfg(feature = "hydrate")]
    {
        let ready = RwSignal::new(false);
        leptos::task::spawn_local(async move {
            crate::i18n::ensure(&[crate::i18n::Ns::Edit]).await;
            let _ = ready.try_set(true);
        });
        ready.into()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Signal::stored(true)
    }
}
