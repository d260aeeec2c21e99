//! The HTML document and the router.

use leptos::prelude::*;
use leptos_meta::{Link, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, path};

use crate::access::AccessPage;
use crate::config::ConfigPage;
use crate::connect::ConnectPage;
use crate::i18n::{Ns, tr};
use crate::not_found::NotFound;
use crate::overview::OverviewPage;
use crate::pruner::PrunerPage;
use crate::registry_logs::LogsPage;
use crate::registry_metrics::MetricsPage;
use crate::routes::RoutesPage;
use crate::sign_in::SignInPage;
use crate::trust::TrustPage;

/// The catalogue namespaces each page carries whole (in the reader's locale), besides the
/// words it was rendered with; a page reached in the browser loads them beside its code.
/// The overview is the first load, so it carries only `common` whole and its own words as
/// rendered: words a live update brings later load on demand, and the management state
/// dialog loads its own.
const OVERVIEW_TEXT: &[Ns] = &[Ns::Common];
const SIGN_IN_TEXT: &[Ns] = &[Ns::Common, Ns::SignIn];
const CONFIG_TEXT: &[Ns] = &[Ns::Common, Ns::Findings, Ns::Config, Ns::Edit];
const PRUNER_TEXT: &[Ns] = &[Ns::Common, Ns::Findings, Ns::Pruner, Ns::Edit];
const CONNECT_TEXT: &[Ns] = &[Ns::Common, Ns::Connect];
const TRUST_TEXT: &[Ns] = &[Ns::Common, Ns::Findings, Ns::Trust, Ns::Edit];
const ACCESS_TEXT: &[Ns] = &[Ns::Common, Ns::Findings, Ns::Access, Ns::Edit];
const ROUTES_TEXT: &[Ns] = &[Ns::Common, Ns::Findings, Ns::Routes, Ns::Edit];
const METRICS_TEXT: &[Ns] = &[Ns::Common, Ns::Metrics];
const LOGS_TEXT: &[Ns] = &[Ns::Common, Ns::Logs];

/// The namespaces of the page at `path`.
pub fn page_text(path: &str) -> &'static [Ns] {
    match path.trim_end_matches('/') {
        "" => OVERVIEW_TEXT,
        "/sign-in" => SIGN_IN_TEXT,
        "/config" => CONFIG_TEXT,
        "/pruner" => PRUNER_TEXT,
        "/connect" => CONNECT_TEXT,
        "/trust" => TRUST_TEXT,
        "/access" => ACCESS_TEXT,
        "/routes" => ROUTES_TEXT,
        "/registry-metrics" => METRICS_TEXT,
        "/registry-logs" => LOGS_TEXT,
        _ => &[Ns::Common],
    }
}

/// The document around the app, rendered on the server only, in the reader's locale.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use crate::anti_forgery::AntiForgeryMeta;
    use crate::i18n::{self, Locale};
    use leptos_meta::MetaTags;

    // The site's files live under a directory named by their build (`pkg/ID`), so the
    // stylesheet's address comes from the options, as the scripts' does.
    let stylesheet = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    let locale = use_context::<http::request::Parts>()
        .map(|parts| Locale::of_request(&parts.headers))
        .unwrap_or_default();
    provide_context(locale);
    // Leptos gives every inline script of the page (the hydration bootstrap, streamed
    // chunks) this response's nonce; the policy lets those scripts run and no other.
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(policy) = http::HeaderValue::from_str(&content_security_policy(Some(&nonce)))
    {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, policy);
    }
    // The words the page renders are noted for the catalogue the server appends to it
    // (`server/src/http/middleware.rs`, `page_words`).
    if let Some(used) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<i18n::UsedWords>().cloned())
    {
        provide_context(used);
    }
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
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

/// The content security policy: scripts, styles and connections only from the console
/// itself. A page's inline scripts run only with its response's `nonce` (never
/// `'unsafe-inline'`); `'wasm-unsafe-eval'` lets it compile its WASM. Styles keep
/// `'unsafe-inline'` for `style` attributes, which run nothing.
#[cfg(feature = "ssr")]
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_owned(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; \
         form-action 'self'; object-src 'none'"
    )
}

/// The console's pages. Data pages render in `Async` mode so the first HTML already
/// holds the registry's state, useful before (or without) the WASM. The forms are lazy
/// routes: their code is a WASM chunk of its own (tools/build-site.sh splits it off),
/// loaded with the page that shows them, never with the overview.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text=tr::common::brand()/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=OverviewPage ssr=SsrMode::Async/>
                <Route path=path!("/sign-in") view={Lazy::<SignInRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/config") view={Lazy::<ConfigRoute>::new()}/>
                <Route path=path!("/pruner") view={Lazy::<PrunerRoute>::new()}/>
                <Route path=path!("/connect") view={Lazy::<ConnectRoute>::new()}/>
                <Route path=path!("/trust") view={Lazy::<TrustRoute>::new()}/>
                <Route path=path!("/access") view={Lazy::<AccessRoute>::new()}/>
                <Route path=path!("/routes") view={Lazy::<RoutesRoute>::new()}/>
                <Route path=path!("/registry-metrics") view={Lazy::<MetricsRoute>::new()}/>
                <Route path=path!("/registry-logs") view={Lazy::<LogsRoute>::new()}/>
            </Routes>
        </Router>
    }
}

/// A lazy route: its code is a WASM chunk of its own, which loads the words it shows
/// (which the document already holds when the page is the first one loaded). The words are
/// fetched from the chunk, so the first load carries none of that code.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident, $view:ident, $preload:ident) => {
        $(#[$doc])*
        struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            // What the router awaits before it hydrates or shows the route: the chunk.
            // (`$preload` is what `#[lazy]` defines beside `$view`, in the browser only.)
            async fn preload() {
                #[cfg(feature = "hydrate")]
                $preload().await;
            }

            async fn view(this: Self) -> AnyView {
                $view(this).await
            }
        }
    };
}

// Each `#[lazy]` by hand, outside the macro: it names a chunk after where it is written,
// and three written inside one macro would share the name.
lazy_page!(
    /// `/config`.
    ConfigRoute, config_view, __preload_config_view
);

#[leptos::lazy]
async fn config_view(this: ConfigRoute) -> AnyView {
    let _ = this;
    crate::i18n::ensure(CONFIG_TEXT).await;
    view! { <ConfigPage/> }.into_any()
}

lazy_page!(
    /// `/pruner`.
    PrunerRoute, pruner_view, __preload_pruner_view
);

#[leptos::lazy]
async fn pruner_view(this: PrunerRoute) -> AnyView {
    let _ = this;
    crate::i18n::ensure(PRUNER_TEXT).await;
    view! { <PrunerPage/> }.into_any()
}

lazy_page!(
    /// `/connect`.
    ConnectRoute, connect_view, __preload_connect_view
);

#[leptos::lazy]
async fn connect_view(this: ConnectRoute) -> AnyView {
    let _ = this;
    crate::i18n::ensure(CONNECT_TEXT).await;
    view! { <ConnectPage/> }.into_any()
}

lazy_page!(
    /// `/trust`.
    TrustRoute, trust_view, __preload_trust_view
);

#[leptos::lazy]
async fn trust_view(this: TrustRoute) -> AnyView {
    let _ = this;
    crate::i18n::ensure(TRUST_TEXT).await;
    view! { <TrustPage/> }.into_any()
}

lazy_page!(
    /// `/access`.
    AccessRoute, access_view, __preload_access_view
);

#[leptos::lazy]
async fn access_view(this: AccessRoute) -> AnyView {
    let _ = this;
    crate::i18n::ensure(ACCESS_TEXT).await;
    view! { <AccessPage/> }.into_any()
}

lazy_page!(
    /// `/routes`.
    RoutesRoute, routes_view, __preload_routes_view
);

#[leptos::lazy]
async fn routes_view(this: RoutesRoute) -> AnyView {
    let _ = this;
    crate::i18n::ensure(ROUTES_TEXT).await;
    view! { <RoutesPage/> }.into_any()
}

lazy_page!(
    /// `/registry-metrics`.
    MetricsRoute, metrics_view, __preload_metrics_view
);

#[leptos::lazy]
async fn metrics_view(this: MetricsRoute) -> AnyView {
    let _ = this;
    crate::i18n::ensure(METRICS_TEXT).await;
    view! { <MetricsPage/> }.into_any()
}

lazy_page!(
    /// `/registry-logs`.
    LogsRoute, logs_view, __preload_logs_view
);

#[leptos::lazy]
async fn logs_view(this: LogsRoute) -> AnyView {
    let _ = this;
    crate::i18n::ensure(LOGS_TEXT).await;
    view! { <LogsPage/> }.into_any()
}

lazy_page!(
    /// `/sign-in`: signed-in pages never need its code.
    SignInRoute, sign_in_view, __preload_sign_in_view
);

#[leptos::lazy]
async fn sign_in_view(this: SignInRoute) -> AnyView {
    let _ = this;
    crate::i18n::ensure(SIGN_IN_TEXT).await;
    view! { <SignInPage/> }.into_any()
}
