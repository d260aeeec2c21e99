//! The HTML document and the router.

use leptos::prelude::*;
use leptos_meta::{Link, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, lazy_route, path};

use crate::anti_forgery::AntiForgeryMeta;
use crate::config::ConfigPage;
use crate::not_found::NotFound;
use crate::overview::OverviewPage;
use crate::pruner::PrunerPage;
use crate::sign_in::SignInPage;

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The site's files live under a directory named by their build (`pkg/ID`), so the
    // stylesheet's address comes from the options, as the scripts' does.
    let stylesheet = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AntiForgeryMeta/>
                <link rel="stylesheet" id="console-style" href=stylesheet/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The console's pages. Data pages render in `Async` mode so the first HTML already
/// holds the registry's state, useful before (or without) the WASM. The forms are lazy
/// routes: their code is a WASM chunk of its own (tools/build-site.sh splits it off),
/// loaded with the page that shows them, never with the overview.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Registry console"/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=OverviewPage ssr=SsrMode::Async/>
                <Route path=path!("/sign-in") view={Lazy::<SignInRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/config") view={Lazy::<ConfigRoute>::new()}/>
                <Route path=path!("/pruner") view={Lazy::<PrunerRoute>::new()}/>
            </Routes>
        </Router>
    }
}

/// `/config`, loaded as its own chunk.
struct ConfigRoute;

#[lazy_route]
impl LazyRoute for ConfigRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        view! { <ConfigPage/> }.into_any()
    }
}

/// `/pruner`, loaded as its own chunk.
struct PrunerRoute;

#[lazy_route]
impl LazyRoute for PrunerRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        view! { <PrunerPage/> }.into_any()
    }
}

/// `/sign-in`, loaded as its own chunk: signed-in pages never need it.
struct SignInRoute;

#[lazy_route]
impl LazyRoute for SignInRoute {
    fn data() -> Self {
        Self
    }

    fn view(this: Self) -> AnyView {
        let _ = this;
        view! { <SignInPage/> }.into_any()
    }
}
