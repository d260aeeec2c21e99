use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::anti_forgery::AntiForgeryField;

use crate::sign_in::SignOut;
use crate::viewer::Viewer;

/// The bar on top of every signed-in page: where you are, who you are, sign-out.
#[component]
pub fn TopBar(#[prop(optional, into)] viewer: Option<Viewer>) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let who = viewer.map(|viewer| {
        let badge = if viewer.console_read_only {
            Some(view! { <span class="badge" title="The console was started with --read-only">"read-only console"</span> })
        } else if !viewer.can_edit {
            Some(view! { <span class="badge" title="The cluster lets you read, not change, the registry configuration">"view only"</span> })
        } else {
            None
        };
        view! {
            <span class="user">"Signed in as " <strong class="user-name">{viewer.name}</strong></span>
            {badge}
            <ActionForm action=sign_out attr:class="sign-out">
                <AntiForgeryField/>
                <button type="submit" class="link">"Sign out"</button>
            </ActionForm>
        }
    });
    view! {
        <header class="top-bar">
            <a class="brand" href="/">"Registry console"</a>
            <nav>
                <a href="/">"Overview"</a>
                <a href="/config">"Configure"</a>
                <a href="/pruner">"Pruner"</a>
            </nav>
            <div class="who">{who}</div>
        </header>
    }
}
