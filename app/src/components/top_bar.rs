use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::anti_forgery::AntiForgeryField;

use crate::sign_in::SignOut;
use crate::viewer::Viewer;

/// The bar on top of every signed-in page: where you are, who you are, sign-out.
#[component]
pub fn TopBar(#[prop(optional, into)] viewer: Option<Viewer>) -> impl IntoView {
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
            // A plain form, as before hydration: the server ends the session and redirects
            // to the sign-in page, which loads whole. (An ActionForm would do the same
            // from the WASM, with a form decoder in every page's first load.)
            <form method="post" action=SignOut::PATH class="sign-out">
                <AntiForgeryField/>
                <button type="submit" class="link">"Sign out"</button>
            </form>
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
