//! The HTTP server: pages, server functions, the live stream, health and metrics, and
//! the layers every response goes through.

pub mod connections;
pub mod forgery;
mod health;
pub mod limits;
pub mod live;
mod middleware;
mod render_tasks;

use std::sync::Arc;

use app::ConsoleError;
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRef, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderName, HeaderValue, StatusCode, header};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::shutdown::Shutdown;
use crate::site;
use app::console::Console;

/// What handlers share.
#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub console: Arc<Console>,
    pub shutdown: Shutdown,
    /// Where the console's pages come from, for the forged-request check.
    pub origins: forgery::Origins,
    /// How many live streams may be open.
    pub live: live::Limits,
    /// Requests at once, their time, sign-in attempts.
    pub limits: limits::Limits,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    render_tasks::install();
    let routes = generate_route_list(App);
    // What every page render starts from: the console in context, and the document.
    let context = {
        let console = state.console.clone();
        move || provide_context(console.clone())
    };
    let document = {
        let leptos = state.leptos.clone();
        move || shell(leptos.clone())
    };

    // The WASM, JS and CSS, served as tools/build-site.sh precompressed them (brotli -q 11
    // and gzip -9 beside each file), whichever the browser accepts, from `pkg/ID/` (see
    // `crate::site`; `middleware::site_file` sets how long browsers keep them).
    let pkg_dir = std::path::Path::new(&*state.leptos.site_root).join("pkg");
    let pkg = ServeDir::new(pkg_dir)
        .precompressed_br()
        .precompressed_gzip();

    // The public files (the favicon), each at its own address, and nothing else of the
    // site's root (its build marks). Not through Leptos's `file_and_error_handler`: it
    // answers a file under `Owner::new()` and moves that owner's (or a parent's) response
    // headers onto the file's answer; with a page's owner left current on the thread, the
    // page lost its Content-Security-Policy that way (`middleware::own_owner`).
    let mut pages = Router::new();
    for (name, path) in site::public_files(std::path::Path::new(&*state.leptos.site_root)) {
        pages = pages.route_service(&format!("/{name}"), ServeFile::new(path));
    }
    // Any other address renders the app, whose router shows the not-found page (a 404,
    // `app::not_found`).
    let not_found = leptos_axum::render_app_async_with_context(context.clone(), document.clone());
    let pages = pages
        .nest_service("/pkg", pkg)
        .route("/api/live", get(live::stream))
        .route("/api/{*fn_name}", get(server_fn).post(server_fn))
        .leptos_routes_with_context(&state, routes, context, document)
        .fallback(not_found)
        .layer(axum::middleware::from_fn(middleware::own_owner))
        .layer(axum::middleware::map_response(error_status))
        .layer(axum::middleware::from_fn(middleware::page_words))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::session,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.limits.clone(),
            limits::sign_in_attempts,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(middleware::span));

    let probes = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics));

    pages.merge(probes).with_state(state.clone()).layer(
        ServiceBuilder::new()
            // A body trickled in slower than this is cut off (408).
            .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
                limits::BODY_TIMEOUT,
            ))
            .layer(tower_http::map_request_body::MapRequestBodyLayer::new(
                Body::new,
            ))
            .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                middleware::measure,
            ))
            .layer(axum::middleware::from_fn_with_state(
                state.limits.clone(),
                limits::in_flight,
            ))
            .layer(axum::middleware::from_fn_with_state(
                state.limits.clone(),
                limits::request_timeout,
            ))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                middleware::strict_transport,
            ))
            .layer(CompressionLayer::new())
            .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
            // `same-origin`, not `no-referrer`: under `no-referrer` browsers send
            // `Origin: null` with the console's own plain form posts (sign-in before the
            // WASM has loaded), which the forged-request check must refuse. Other sites
            // still get no referrer.
            .layer(header_layer(header::REFERRER_POLICY, "same-origin"))
            // Pages set their own, with their scripts' nonce (`app::shell`); this one, for
            // every other answer, lets no inline script run at all.
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_str(&app::shell::content_security_policy(None))
                    .expect("the policy is a header value"),
            ))
            .layer(header_layer(
                HeaderName::from_static("cross-origin-opener-policy"),
                "same-origin",
            )),
    )
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

async fn server_fn(State(state): State<AppState>, request: Request<Body>) -> impl IntoResponse {
    let console = state.console.clone();
    handle_server_fns_with_context(move || provide_context(console.clone()), request).await
}

/// A server function's error answers with the error's own status (401, 403, 409, 422,
/// 503...), so a refused call is a 403 on the wire and not the framework's generic 500.
/// `Transport` comes only from the framework, when it cannot read the request's arguments
/// (a missing field, a wrong type): the sender's mistake, a 400. A plain HTML form post
/// (no WASM yet) keeps the framework's redirect back to the form. (A layer, because Leptos
/// routes each server function itself, ahead of `/api/{*fn_name}`.)
async fn error_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the error could not be read",
        )
            .into_response();
    };
    parts.status = match serde_json::from_slice::<ConsoleError>(&bytes) {
        Ok(ConsoleError::Transport(_)) => StatusCode::BAD_REQUEST,
        Ok(error) => {
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
pub mod test_browser;
#[cfg(test)]
mod tests;
