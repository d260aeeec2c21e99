//! Per-request work: the session, the trace span, the metrics.

use std::time::Instant;

use app::anti_forgery::PageToken;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Response;
use chrono::Utc;
use http::header::{CACHE_CONTROL, CONTENT_ENCODING, ETAG, IF_NONE_MATCH, SET_COOKIE, VARY};
use http::{HeaderValue, StatusCode};
use tracing::Span;

use super::{AppState, forgery};
use app::session::cookies::Binding;

/// Opens the session cookie and hands the session to the pages and server functions,
/// refuses forged requests (`forgery`), and gives the page its anti-forgery token (and,
/// before sign-in, the browser cookie that token is bound to). Pages and API answers are
/// per user: never cached.
pub async fn session(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/pkg/") {
        return site_file(&state, request, next).await;
    }
    let sessions = &state.console.sessions;
    let revocations = &state.console.revocations;
    let now = Utc::now();
    let opened = sessions
        .open(request.headers(), now)
        .filter(|opened| !revocations.is_revoked(&opened.session.id));
    // A session's last-active time moves with its requests (to the minute): it is sealed
    // again into the response, which also moves a cookie of the previous key to the new.
    let reseal = opened.as_ref().filter(|o| o.reseal).map(|o| {
        let mut session = o.session.clone();
        session.active_at = now;
        session
    });
    let session = reseal.clone().or(opened.map(|o| o.session));
    let mut new_browser_cookie = None;
    let binding = match &session {
        Some(session) => Binding::Session(session.id.clone()),
        None => match sessions.browser_cookie(request.headers()) {
            Some(value) => Binding::Browser(value),
            None => {
                let (value, set_cookie) = sessions.new_browser_cookie(request.headers());
                new_browser_cookie = Some(set_cookie);
                Binding::Browser(value)
            }
        },
    };
    let signed_in = session.is_some();
    let mut request =
        match forgery::check(&state.origins, sessions, &binding, signed_in, request).await {
            Ok(request) => request,
            Err(refused) => return refused,
        };
    request
        .extensions_mut()
        .insert(PageToken(sessions.anti_forgery_token(&binding)));
    if let Some(session) = session {
        request.extensions_mut().insert(session);
    }
    let tls_headers = reseal.as_ref().map(|_| request.headers().clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(set_cookie) = new_browser_cookie {
        headers.append(SET_COOKIE, set_cookie);
    }
    // Not over what the request itself did to the session: a sign-out (now revoked) or a
    // new sign-in (its own cookie).
    if let (Some(session), Some(request_headers)) = (reseal, tls_headers) {
        let signed_out = revocations.is_revoked(&session.id);
        let cookie_name = sessions.session_cookie_name(&request_headers);
        let replaced = headers.get_all(SET_COOKIE).iter().any(|cookie| {
            cookie
                .to_str()
                .is_ok_and(|c| c.starts_with(&format!("{cookie_name}=")))
        });
        if !signed_out && !replaced {
            headers.append(SET_COOKIE, sessions.seal(&session, &request_headers));
        }
    }
    response
}

/// Handles the request under a reactive owner of its own, and leaves the thread's current
/// owner as it found it. Each page render's root owner stays the worker thread's current
/// owner after it (`app::owner`), and Leptos's other handlers make owners with
/// `Owner::new()`, which adopts it as parent: a server function or file answered next on
/// the thread read (and took) the last page's contexts, its response headers among them.
/// A page rendering meanwhile lost its Content-Security-Policy that way (its scripts
/// refused in Chromium, never hydrated: about one sign-in in fifty).
pub async fn own_owner(request: Request, next: Next) -> Response {
    let owner = app::owner::detached_root();
    let mut handling = std::pin::pin!(next.run(request));
    // Per poll: a poll may run on any worker thread, and `with` restores that thread's.
    std::future::poll_fn(|cx| owner.with(|| handling.as_mut().poll(cx))).await
}

/// The site's files, the same for everyone. Under `pkg/ID/` (ID: the hash of their
/// contents, see `crate::site`) an address never changes what it serves, so browsers keep
/// them for a year without asking (`immutable`); the ETag (id, file and encoding) answers
/// caches that do ask with a 304. Files of a site without an id (one cargo-leptos built)
/// are revalidated by date each time.
async fn site_file(state: &AppState, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let if_none_match = request.headers().get(IF_NONE_MATCH).cloned();
    let mut response = next.run(request).await;
    let found = response.status() == StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    let encoding = headers
        .get(CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity");
    let etag = crate::site::content_id(&state.leptos)
        .filter(|_| found)
        .and_then(|id| {
            let file = path.strip_prefix(&format!("/pkg/{id}/"))?;
            HeaderValue::from_str(&format!("\"{id}/{file}/{encoding}\"")).ok()
        });
    let Some(etag) = etag else {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        return response;
    };
    let cache = HeaderValue::from_static("public, max-age=31536000, immutable");
    if if_none_match.is_some_and(|asked| matches_etag(&asked, &etag)) {
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        let kept = not_modified.headers_mut();
        kept.insert(ETAG, etag);
        kept.insert(CACHE_CONTROL, cache);
        kept.insert(VARY, HeaderValue::from_static("accept-encoding"));
        return not_modified;
    }
    headers.insert(ETAG, etag);
    headers.insert(CACHE_CONTROL, cache);
    response
}

/// Whether `If-None-Match` names `etag`: one of its comma-separated tags (weakly compared,
/// so a `W/` prefix is ignored, RFC 9110 section 13.1.2), or `*`.
fn matches_etag(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let (Ok(asked), Ok(etag)) = (if_none_match.to_str(), etag.to_str()) else {
        return false;
    };
    asked
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// The span every log line of a request carries: method, path, request id (never the
/// query string, which may hold anything) and, once the session is read, the user.
pub fn span(request: &Request<Body>) -> Span {
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %request_id,
        user = tracing::field::Empty,
    )
}

/// Counts requests by method and status, and times them.
pub async fn measure(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let response = next.run(request).await;
    state
        .console
        .metrics
        .request(&method, response.status().as_u16(), started.elapsed());
    response
}

/// Under TLS, tells the browser to use nothing else for this host for a year (HSTS); over
/// plain HTTP the header would mean nothing and is not sent.
pub async fn strict_transport(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let tls = state.console.sessions.secure(request.headers());
    let mut response = next.run(request).await;
    if tls {
        response.headers_mut().insert(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            axum::http::HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// Gives a page the words it was rendered with: notes them while it renders
/// (`app::i18n::UsedWords`, which the shell provides to the page) and, once the page has
/// been sent whole, appends the catalogue script the browser reads before it hydrates.
/// After the whole page, so that words rendered in any part, streamed or awaited, are in it.
pub async fn page_words(mut request: Request, next: Next) -> Response {
    use app::i18n::{Locale, UsedWords, page_data};
    use futures::StreamExt;

    let locale = Locale::of_request(request.headers());
    let namespaces = app::shell::page_text(request.uri().path());
    let used = UsedWords::default();
    request.extensions_mut().insert(used.clone());
    let response = next.run(request).await;
    let html = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html {
        return response;
    }
    let (parts, body) = response.into_parts();
    let words = futures::stream::once(async move {
        let catalogue = page_data(locale, namespaces, &used);
        Ok::<_, axum::Error>(axum::body::Bytes::from(format!(
            r#"<script id="{}" type="application/json">{catalogue}</script>"#,
            app::i18n::PAGE_DATA_ID
        )))
    });
    Response::from_parts(
        parts,
        Body::from_stream(body.into_data_stream().chain(words)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::get;
    use leptos::prelude::{Owner, provide_context, use_context};
    use tower::ServiceExt;

    /// What another request's page provided, as a handler with `Owner::new()` sees it.
    async fn seen_by_a_new_owner() -> String {
        Owner::new()
            .with(use_context::<&'static str>)
            .unwrap_or("nothing")
            .to_owned()
    }

    async fn answer(router: Router) -> String {
        let response = router
            .oneshot(Request::get("/").body(Body::empty()).unwrap())
            .await
            .unwrap();
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        String::from_utf8(body.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn a_handler_never_sees_the_owner_another_render_left_on_the_thread() {
        // A page's owner left current on this thread (the test runtime's only one).
        let page = Owner::new_root(None);
        page.with(|| provide_context("the page's contexts"));
        page.set();
        let bare = Router::new().route("/", get(seen_by_a_new_owner));
        assert_eq!(
            answer(bare.clone()).await,
            "the page's contexts",
            "the leak, shown"
        );
        let guarded = bare.layer(axum::middleware::from_fn(own_owner));
        assert_eq!(answer(guarded).await, "nothing");
        // The thread's owner is as it was: only the request's own polls ran under another.
        assert_eq!(Owner::current(), Some(page.clone()));
        page.unset();
    }
}
