//! Reactive owners for work outside a page's render.

use leptos::prelude::Owner;

/// A new root owner, without changing the thread's current owner.
///
/// `Owner::new_root` also makes the new root the thread's current owner and never undoes
/// that, so the next `Owner::new()` on the thread (Leptos makes one for each server
/// function) adopts it as parent and reads its contexts. Each page render's root stays
/// behind that way; a root made here does not.
pub fn detached_root() -> Owner {
    let before = Owner::current();
    let root = Owner::new_root(None);
    match before {
        Some(before) => before.set(),
        None => root.clone().unset(),
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptos::prelude::{provide_context, use_context};

    #[test]
    fn the_threads_owner_stays_as_it_was() {
        let page = Owner::new_root(None);
        page.with(|| provide_context("the page's"));
        let root = detached_root();
        assert_eq!(Owner::current(), Some(page.clone()));
        assert_eq!(root.with(use_context::<&str>), None);
        assert_eq!(Owner::new().with(use_context::<&str>), Some("the page's"));
        page.unset();
        let _other = detached_root();
        assert_eq!(Owner::current(), None);
    }
}
