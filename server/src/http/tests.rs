//! The console's HTTP surface against the embedded demo cluster: sign-in, sessions,
//! access checks, the overview, writes, the live stream, health and metrics.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use demo_cluster::{DemoCluster, DemoUser};
use futures::StreamExt;
use http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use kube::Api;
use registry_model::Config;
use registry_model::registry_config::ManagementState;
use serde_json::{Value, json};
use tower::ServiceExt;

use super::test_browser::{Answer, Browser};
use super::{AppState, router};
use crate::shutdown::{self, Trigger};
use crate::{demo, site};
use app::cluster::Cluster;
use app::console::Console;
use app::session::cookies::Sessions;

struct Harness {
    demo: Option<DemoCluster>,
    router: Router,
    dir: tempfile::TempDir,
    _stop: Trigger,
}

async fn harness(read_only: bool) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo::start(
        &dir.path().join("cluster"),
        demo::any_loopback_port(),
        None,
        false,
        false,
    )
    .await
    .unwrap();
    let router = console_router(&demo, dir.path(), read_only).await;
    let (stop, _) = shutdown::channel();
    Harness {
        demo: Some(demo),
        router,
        dir,
        _stop: stop,
    }
}

async fn console_router(demo: &DemoCluster, dir: &std::path::Path, read_only: bool) -> Router {
    router_for(console(demo, dir, read_only).await, dir)
}

/// The console a test router serves, before it is shared.
async fn console(demo: &DemoCluster, dir: &std::path::Path, read_only: bool) -> Console {
    let cluster = Cluster::connect(Some(&demo.kubeconfig_path()), Some("admin"))
        .await
        .unwrap();
    let sessions =
        Sessions::from_key_file(&dir.join("session.key"), Duration::from_secs(3600), false)
            .unwrap();
    Console {
        // Renders keep no watches after them here, so a test can count what the
        // streams alone leave behind.
        hub: app::cluster::hub::Hub::new(cluster.own_client().ok()).with_linger(Duration::ZERO),
        ..Console::new(cluster, sessions, demo::accounts(demo), read_only)
    }
}

/// The router of `console`, its site (if any) in `site_root`.
fn router_for(console: Console, site_root: &std::path::Path) -> Router {
    router_with(console, site_root, Default::default())
}

/// The same, with `limits`.
fn router_with(
    console: Console,
    site_root: &std::path::Path,
    limits: super::limits::Limits,
) -> Router {
    let (_trigger, shutdown) = shutdown::channel();
    std::mem::forget(_trigger);
    router(AppState {
        leptos: site::leptos_options(site_root),
        console: std::sync::Arc::new(console),
        shutdown,
        origins: Default::default(),
        live: super::live::Limits::new(16, 1000),
        limits,
    })
}

impl Harness {
    fn demo(&self) -> &DemoCluster {
        self.demo.as_ref().unwrap()
    }

    /// A browser with no cookies yet.
    fn browser(&self) -> Browser {
        Browser::new(self.router.clone())
    }

    async fn send(&self, request: Request<Body>) -> (StatusCode, HeaderMap, String) {
        let answer = self.browser().send(request).await;
        (answer.status, answer.headers, answer.body)
    }

    /// A browser signed in as a demo user with one click, on the overview.
    async fn sign_in_as(&self, user: DemoUser) -> Browser {
        let mut browser = self.browser();
        let answer = browser.sign_in_demo(user.name()).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        browser
    }

    async fn management_state(&self) -> (Option<ManagementState>, String) {
        let config = Api::<Config>::all(self.demo().client(DemoUser::Admin).await)
            .get("cluster")
            .await
            .unwrap();
        (
            config.spec.management_state,
            config.metadata.resource_version.unwrap(),
        )
    }
}

/// Calls the `set_management_state` server function as the page does.
async fn set_management_state(browser: &mut Browser, state: &str, version: &str) -> Answer {
    browser
        .call(
            "/api/set_management_state",
            &json!({"state": state, "resource_version": version}),
        )
        .await
}

#[tokio::test]
async fn a_wrong_token_is_refused_with_a_clear_message() {
    let h = harness(false).await;
    let mut browser = h.browser();
    browser.open("/sign-in").await;
    let answer = browser
        .submit("/api/sign_in", "token=not-a-real-token")
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(!browser.cookie_header().contains("registry_console_session"));
    assert!(answer.body.contains("InvalidToken"), "{}", answer.body);
    assert!(answer.body.contains("401 Unauthorized"), "{}", answer.body);
}

#[tokio::test]
async fn without_wasm_a_refused_form_post_goes_back_to_the_form() {
    let h = harness(false).await;
    let mut browser = h.browser();
    browser.open("/sign-in").await;
    let token = browser.token().unwrap().to_owned();
    let request = Request::post("/api/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "/sign-in")
        .body(Body::from(format!("token=wrong&anti_forgery={token}")))
        .unwrap();
    let answer = browser.send(request).await;
    assert_eq!(answer.status, StatusCode::FOUND);
    assert!(
        answer.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/sign-in")
    );
    assert!(!browser.cookie_header().contains("registry_console_session"));
}

#[tokio::test]
async fn a_real_token_signs_in_and_is_never_sent_back() {
    let h = harness(false).await;
    let token = h.demo().token(DemoUser::Admin).to_owned();
    let mut browser = h.browser();
    browser.open("/sign-in").await;
    let answer = browser
        .submit("/api/sign_in", &format!("token={token}"))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(!browser.cookie_header().contains(&token));
    assert!(!answer.body.contains(&token));
    let page = browser.open("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains(&token),
        "the page must not carry the token"
    );
}

#[tokio::test]
async fn without_a_session_the_overview_sends_people_to_sign_in() {
    let h = harness(false).await;
    let mut browser = h.browser();
    let page = browser.open("/").await;
    assert_eq!(page.status, StatusCode::FOUND);
    assert_eq!(page.headers[header::LOCATION], "/sign-in");
    let answer = browser.call("/api/overview", &json!({})).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(answer.body.contains("NotSignedIn"), "{}", answer.body);
}

#[tokio::test]
async fn the_sign_in_page_offers_the_demo_users_without_their_tokens() {
    let h = harness(false).await;
    let page = h.browser().open("/sign-in").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Sign in as admin"));
    assert!(page.body.contains("Sign in as viewer"));
    for user in DemoUser::ALL {
        assert!(
            !page.body.contains(h.demo().token(user)),
            "token of {} leaked",
            user.name()
        );
    }
}

#[tokio::test]
async fn the_admin_sees_the_seeded_removed_state_with_guidance_and_edit_controls() {
    let h = harness(false).await;
    let mut admin = h.sign_in_as(DemoUser::Admin).await;
    let page = admin.open("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    let page = page.body;
    assert!(
        page.contains(r#"data-state="Removed""#),
        "server-rendered state"
    );
    assert!(page.contains("removed at install"));
    assert!(page.contains(r#"href="/config""#));
    assert!(page.contains("Change management state"));
    assert!(page.contains("Signed in as"));
}

#[tokio::test]
async fn the_viewer_sees_no_edit_controls_and_a_forged_write_is_refused_by_the_cluster() {
    let h = harness(false).await;
    let mut viewer = h.sign_in_as(DemoUser::Viewer).await;
    let page = viewer.open("/").await.body;
    assert!(page.contains(r#"data-state="Removed""#));
    assert!(
        !page.contains("open-management"),
        "no control to change the state"
    );
    assert!(page.contains("view only"));

    let (_, version) = h.management_state().await;
    let answer = set_management_state(&mut viewer, "Managed", &version).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    assert!(
        said(&answer.body).contains("does not allow you"),
        "{}",
        answer.body
    );
    assert_eq!(h.management_state().await.0, Some(ManagementState::Removed));
}

#[tokio::test]
async fn the_admin_changes_the_management_state_only_from_the_version_shown() {
    let h = harness(false).await;
    let mut admin = h.sign_in_as(DemoUser::Admin).await;
    let (_, version) = h.management_state().await;

    // A stale version is the same conflict outcome the forms have; nothing changes.
    let answer = set_management_state(&mut admin, "Managed", "1").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let outcome: Value = serde_json::from_str(&answer.body).unwrap();
    assert!(outcome.get("Conflict").is_some(), "{outcome}");
    assert_eq!(h.management_state().await.0, Some(ManagementState::Removed));

    let answer = set_management_state(&mut admin, "Managed", &version).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let outcome: Value = serde_json::from_str(&answer.body).unwrap();
    assert!(
        outcome["Applied"]["resource_version"]
            .as_str()
            .is_some_and(|v| v != version),
        "{outcome}"
    );
    assert_eq!(h.management_state().await.0, Some(ManagementState::Managed));

    let answer = set_management_state(&mut admin, "Force", "1").await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn a_write_without_the_version_shown_is_refused_and_changes_nothing() {
    let h = harness(false).await;
    let mut admin = h.sign_in_as(DemoUser::Admin).await;

    let answer = set_management_state(&mut admin, "Removed", "").await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    assert!(
        said(&answer.body).contains("resourceVersion"),
        "{}",
        answer.body
    );

    let missing = admin
        .call("/api/set_management_state", &json!({"state": "Managed"}))
        .await;
    assert_eq!(
        missing.status,
        StatusCode::BAD_REQUEST,
        "{} {:?}",
        missing.body,
        missing.headers
    );
    assert!(
        missing.body.contains("resource_version"),
        "{}",
        missing.body
    );
    assert_eq!(h.management_state().await.0, Some(ManagementState::Removed));
}

/// The attack as it was measured: an admin signed in, a page on another port of the same
/// host (same site, so SameSite=Strict cookies go along) posts `Removed`.
#[tokio::test]
async fn a_forged_request_from_a_sibling_origin_changes_nothing() {
    let h = harness(false).await;
    let admin = h.sign_in_as(DemoUser::Admin).await;
    let (_, version) = h.management_state().await;
    let forged = |content_type: &str, body: String, token: Option<&str>| {
        let mut request = Request::post("/api/set_management_state")
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::ORIGIN, "http://127.0.0.1:9999")
            .header("sec-fetch-site", "same-site")
            .header(header::CONTENT_TYPE, content_type);
        if let Some(token) = token {
            request = request.header("x-anti-forgery", token);
        }
        request.body(Body::from(body)).unwrap()
    };
    let attempts = [
        forged(
            "application/x-www-form-urlencoded",
            format!("state=Removed&resource_version={version}"),
            None,
        ),
        forged(
            "text/plain",
            json!({"state": "Removed", "resource_version": version}).to_string(),
            None,
        ),
        // Even with the page's token (stolen, say), another origin is refused.
        forged(
            "application/json",
            json!({"state": "Removed", "resource_version": version}).to_string(),
            admin.token(),
        ),
    ];
    for attempt in attempts {
        let answer = admin.clone().send(attempt).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
        assert!(
            said(&answer.body).contains("http://127.0.0.1:9999"),
            "{}",
            answer.body
        );
        assert!(
            said(&answer.body).contains("nothing was changed"),
            "{}",
            answer.body
        );
    }
    // The plain form post, as a browser navigates with it: a page in the reader's
    // language, not JSON.
    let mut navigation = forged(
        "application/x-www-form-urlencoded",
        format!("state=Removed&resource_version={version}"),
        None,
    );
    let headers = navigation.headers_mut();
    headers.insert("sec-fetch-mode", "navigate".parse().unwrap());
    headers.insert(header::ACCEPT_LANGUAGE, "zh-CN,zh;q=0.9".parse().unwrap());
    let answer = admin.clone().send(navigation).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(
        answer.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{:?}",
        answer.headers
    );
    assert!(
        answer.body.contains("<html lang=\"zh-CN\">"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("已拒绝"), "{}", answer.body);
    assert!(
        answer.body.contains("http://127.0.0.1:9999"),
        "{}",
        answer.body
    );
    assert_eq!(h.management_state().await.0, Some(ManagementState::Removed));
}
/// Where a browser sends no `Origin`, its fetch metadata and the token still stop a forgery.
#[tokio::test]
async fn without_origin_the_fetch_metadata_and_the_token_refuse_forgeries() {
    let h = harness(false).await;
    let admin = h.sign_in_as(DemoUser::Admin).await;
    let (_, version) = h.management_state().await;
    let body = json!({"state": "Managed", "resource_version": version}).to_string();
    let request = |site: Option<&str>, content_type: &str, token: Option<&str>| {
        let mut request =
            Request::post("/api/set_management_state").header(header::CONTENT_TYPE, content_type);
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        if let Some(token) = token {
            request = request.header("x-anti-forgery", token);
        }
        request.body(Body::from(body.clone())).unwrap()
    };

    let cross_site = admin
        .clone()
        .send(request(
            Some("cross-site"),
            "application/json",
            admin.token(),
        ))
        .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    assert!(
        said(&cross_site.body).contains("Sec-Fetch-Site: cross-site"),
        "{}",
        cross_site.body
    );

    let no_token = admin
        .clone()
        .send(request(None, "application/json", None))
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    assert!(
        said(&no_token.body).contains("no anti-forgery token"),
        "{}",
        no_token.body
    );

    let wrong_token = admin
        .clone()
        .send(request(None, "application/json", Some("0123abcd")))
        .await;
    assert_eq!(wrong_token.status, StatusCode::FORBIDDEN);
    assert!(
        said(&wrong_token.body).contains("not this session's"),
        "{}",
        wrong_token.body
    );

    // Another user's token is not this session's either.
    let viewer = h.sign_in_as(DemoUser::Viewer).await;
    let borrowed = admin
        .clone()
        .send(request(None, "application/json", viewer.token()))
        .await;
    assert_eq!(borrowed.status, StatusCode::FORBIDDEN);

    // JSON only as JSON: a text/plain body (what a cross-site form can send) is refused.
    let plain = admin
        .clone()
        .send(request(None, "text/plain", admin.token()))
        .await;
    assert_eq!(
        plain.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        plain.body
    );
    assert!(
        said(&plain.body).contains("takes application/json only"),
        "{}",
        plain.body
    );
    assert_eq!(h.management_state().await.0, Some(ManagementState::Removed));

    let same_origin = admin
        .clone()
        .send(request(
            Some("same-origin"),
            "application/json",
            admin.token(),
        ))
        .await;
    assert_eq!(same_origin.status, StatusCode::OK, "{}", same_origin.body);
    assert_eq!(h.management_state().await.0, Some(ManagementState::Managed));
}

/// Login forgery: a victim signed in to the attacker's session would type their S3 keys
/// into it. Signing in (and out) takes the sign-in page's token and the console's origin.
#[tokio::test]
async fn sign_in_and_sign_out_refuse_forged_posts() {
    let h = harness(false).await;
    let token = h.demo().token(DemoUser::Viewer).to_owned();
    let mut victim = h.browser();
    victim.open("/sign-in").await;
    let forged = |path: &str, form: String, origin: Option<&str>| {
        let mut request = Request::post(path)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        request.body(Body::from(form)).unwrap()
    };
    for (path, form) in [
        ("/api/sign_in", format!("token={token}")),
        ("/api/sign_in_demo", "user=viewer".to_owned()),
    ] {
        let cross = victim
            .send(forged(path, form.clone(), Some("http://127.0.0.1:9999")))
            .await;
        assert_eq!(
            cross.status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            cross.body
        );
        let tokenless = victim.send(forged(path, form, None)).await;
        assert_eq!(
            tokenless.status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            tokenless.body
        );
        assert!(
            said(&tokenless.body).contains("no anti-forgery token"),
            "{}",
            tokenless.body
        );
    }
    assert!(!victim.cookie_header().contains("registry_console_session"));

    let mut admin = h.sign_in_as(DemoUser::Admin).await;
    let forged_out = admin
        .send(forged(
            "/api/sign_out",
            String::new(),
            Some("http://127.0.0.1:9999"),
        ))
        .await;
    assert_eq!(forged_out.status, StatusCode::FORBIDDEN);
    assert!(admin.open("/").await.body.contains("Signed in as"));
}

#[tokio::test]
async fn a_read_only_console_refuses_writes_whatever_the_users_rights() {
    let h = harness(true).await;
    let mut admin = h.sign_in_as(DemoUser::Admin).await;
    let page = admin.open("/").await.body;
    assert!(
        !page.contains("open-management"),
        "no control to change the state"
    );
    assert!(page.contains("read-only console"));
    let (_, version) = h.management_state().await;
    let answer = set_management_state(&mut admin, "Managed", &version).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(
        said(&answer.body).contains("read-only mode"),
        "{}",
        answer.body
    );
    assert_eq!(h.management_state().await.0, Some(ManagementState::Removed));
}

#[tokio::test]
async fn sessions_survive_a_console_restart_with_the_same_key() {
    let h = harness(false).await;
    let viewer = h.sign_in_as(DemoUser::Viewer).await;
    let restarted = console_router(h.demo(), h.dir.path(), false).await;
    let mut after_restart = viewer.on(restarted);
    let page = after_restart.open("/").await;
    assert_eq!(page.status, StatusCode::OK);
    // The page's token is the same on any replica with the same key.
    assert_eq!(after_restart.token(), viewer.token());
}

#[tokio::test]
async fn sign_out_removes_the_cookie() {
    let h = harness(false).await;
    let mut admin = h.sign_in_as(DemoUser::Admin).await;
    let answer = admin.submit("/api/sign_out", "").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let removal = answer.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(removal.contains("Max-Age=0"), "{removal}");
    assert!(!admin.cookie_header().contains("registry_console_session"));
}

/// The `script-src` directive of a response's policy.
fn script_src(headers: &HeaderMap) -> String {
    let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    policy
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap_or_else(|| panic!("no script-src in {policy}"))
        .to_owned()
}

#[tokio::test]
async fn pages_run_only_their_own_inline_scripts_by_a_fresh_nonce() {
    let h = harness(false).await;
    let mut browser = h.browser();
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let page = browser.open("/sign-in").await;
        assert_eq!(page.status, StatusCode::OK);
        let scripts = script_src(&page.headers);
        assert!(!scripts.contains("unsafe-inline"), "{scripts}");
        let nonce = scripts
            .split_whitespace()
            .find_map(|s| s.strip_prefix("'nonce-")?.strip_suffix('\''))
            .unwrap_or_else(|| panic!("no nonce in {scripts}"))
            .to_owned();
        assert!(nonce.len() >= 16, "{nonce}");
        // Every executable inline script carries it (the catalogue is JSON, not run).
        let mut rest = page.body.as_str();
        let mut inline = 0;
        while let Some(at) = rest.find("<script") {
            let tag = &rest[at..at + rest[at..].find('>').unwrap()];
            rest = &rest[at + tag.len()..];
            if tag.contains("src=") || tag.contains("application/json") {
                continue;
            }
            inline += 1;
            assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{tag}");
        }
        assert!(inline >= 1, "the hydration bootstrap is inline");
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a nonce is used once");
    // Other answers let no inline script run at all.
    let health = browser.open("/healthz").await;
    let scripts = script_src(&health.headers);
    assert!(
        !scripts.contains("unsafe-inline") && !scripts.contains("nonce"),
        "{scripts}"
    );
}

/// A page's render can leave its reactive owner current on the worker thread (seen under
/// Chromium's sign-in: a page answered without its Content-Security-Policy, so its inline
/// scripts were refused and it never hydrated). The favicon and the not-found page, answered
/// on that thread meanwhile, must not take that page's response headers.
#[tokio::test]
async fn public_files_and_the_not_found_page_leave_a_rendering_pages_headers_alone() {
    use leptos::prelude::{Owner, provide_context};
    use leptos_axum::ResponseOptions;

    let (dir, demo, _) = site_router("5eed1d").await;
    std::fs::write(dir.path().join("favicon.svg"), "<svg/>").unwrap();
    std::fs::write(dir.path().join(".inputs"), "0123").unwrap();
    let router = console_router(&demo, dir.path(), false).await;
    let page_policy = HeaderValue::from_static("script-src 'nonce-of-the-page'");
    // The page's owner, current on this thread (the test's runtime has only this one).
    let page = Owner::new_root(None);
    let page_response = ResponseOptions::default();
    page.with(|| provide_context(page_response.clone()));
    page_response.insert_header(header::CONTENT_SECURITY_POLICY, page_policy.clone());
    page.set();

    let favicon = router
        .clone()
        .oneshot(Request::get("/favicon.svg").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(favicon.status(), StatusCode::OK);
    assert_ne!(
        favicon.headers().get(header::CONTENT_SECURITY_POLICY),
        Some(&page_policy),
        "the favicon took the page's policy"
    );
    let body = axum::body::to_bytes(favicon.into_body(), 1 << 16)
        .await
        .unwrap();
    assert_eq!(&body[..], b"<svg/>");

    for missing in ["/no-such-page", "/.inputs"] {
        let answer = router
            .clone()
            .oneshot(Request::get(missing).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{missing}");
        let scripts = script_src(answer.headers());
        assert!(scripts.contains("'nonce-"), "{missing}: {scripts}");
        assert!(!scripts.contains("of-the-page"), "{missing}: {scripts}");
    }

    assert_eq!(
        page_response
            .0
            .read()
            .unwrap()
            .headers
            .get(header::CONTENT_SECURITY_POLICY),
        Some(&page_policy),
        "the page lost its policy"
    );
    page.unset();
}

#[tokio::test]
async fn health_readiness_metrics_and_headers() {
    let h = harness(false).await;
    let mut browser = h.browser();
    let Answer {
        status,
        headers,
        body,
    } = browser.open("/healthz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"));
    assert!(headers.contains_key("x-request-id"));
    assert_eq!(
        headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff"
    );
    assert_eq!(headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    assert_eq!(headers[header::REFERRER_POLICY], "same-origin");
    assert!(
        headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert!(
        !headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
        "HSTS over plain HTTP means nothing"
    );
    let behind_tls = Request::get("/healthz")
        .header("x-forwarded-proto", "https")
        .body(Body::empty())
        .unwrap();
    let answer = browser.send(behind_tls).await;
    assert_eq!(
        answer.headers[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000"
    );
    assert_eq!(browser.open("/readyz").await.status, StatusCode::OK);
    let Answer {
        status,
        body: metrics,
        ..
    } = browser.open("/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        metrics.contains("registry_console_http_requests_total"),
        "{metrics}"
    );
}

#[tokio::test]
async fn pages_are_compressed_for_browsers_that_ask() {
    let h = harness(false).await;
    let request = Request::get("/sign-in")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let (_, headers, _) = h.send(request).await;
    assert_eq!(headers.get(header::CONTENT_ENCODING).unwrap(), "gzip");
}

/// A router over a site whose files are in `pkg/{id}` (`id` empty: plain `pkg/`, as
/// cargo-leptos lays it out), holding `app.js` as built: plain, brotli and gzip.
async fn site_router(id: &str) -> (tempfile::TempDir, DemoCluster, Router) {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg").join(id);
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("registry-console_bg.wasm"), "\0asm").unwrap();
    std::fs::write(pkg.join("app.js"), "plain").unwrap();
    std::fs::write(pkg.join("app.js.br"), "brotli bytes").unwrap();
    std::fs::write(pkg.join("app.js.gz"), "gzip bytes").unwrap();
    let demo = demo::start(
        &dir.path().join("cluster"),
        demo::any_loopback_port(),
        None,
        false,
        false,
    )
    .await
    .unwrap();
    let router = console_router(&demo, dir.path(), false).await;
    (dir, demo, router)
}

fn get_site_file(path: &str, accept: &'static str) -> Request<Body> {
    Request::get(path)
        .header(header::ACCEPT_ENCODING, accept)
        .body(Body::empty())
        .unwrap()
}

/// `app.js` of build `5eed1d` again, from a cache that holds `if_none_match`.
fn ask_again(accept: &'static str, if_none_match: &str) -> Request<Body> {
    let mut request = get_site_file("/pkg/5eed1d/app.js", accept);
    request
        .headers_mut()
        .insert(header::IF_NONE_MATCH, if_none_match.parse().unwrap());
    request
}

#[tokio::test]
async fn site_files_are_sent_as_built_compressed_and_kept_for_good() {
    let (_dir, _demo, router) = site_router("5eed1d").await;
    for (accept, encoding, body) in [
        ("br, gzip", Some("br"), "brotli bytes"),
        ("gzip", Some("gzip"), "gzip bytes"),
        ("identity", None, "plain"),
    ] {
        let answer = Browser::new(router.clone())
            .send(get_site_file("/pkg/5eed1d/app.js", accept))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{accept}");
        let header = |name| {
            answer
                .headers
                .get(name)
                .map(|v: &HeaderValue| v.to_str().unwrap().to_owned())
        };
        assert_eq!(
            header(header::CONTENT_ENCODING).as_deref(),
            encoding,
            "{accept}"
        );
        assert_eq!(
            answer.body, body,
            "{accept}: sent as stored, not compressed again"
        );
        assert_eq!(
            header(header::CACHE_CONTROL).unwrap(),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(header(header::VARY).unwrap(), "accept-encoding");
        let etag = header(header::ETAG).unwrap();
        assert_eq!(
            etag,
            format!("\"5eed1d/app.js/{}\"", encoding.unwrap_or("identity"))
        );

        // A cache that asks again with the ETag gets a 304 and no body.
        let answer = Browser::new(router.clone())
            .send(ask_again(accept, &etag))
            .await;
        assert_eq!(answer.status, StatusCode::NOT_MODIFIED, "{accept}");
        assert_eq!(answer.body, "");
        assert_eq!(answer.headers.get(header::ETAG).unwrap(), etag.as_str());
    }

    // A list of tags, or a weak one, names it too.
    for asked in [
        "\"other\", \"5eed1d/app.js/gzip\"",
        "W/\"5eed1d/app.js/gzip\"",
        "*",
    ] {
        let answer = Browser::new(router.clone())
            .send(ask_again("gzip", asked))
            .await;
        assert_eq!(answer.status, StatusCode::NOT_MODIFIED, "{asked}");
    }

    // Another encoding's ETag is not this one's.
    let answer = Browser::new(router.clone())
        .send(ask_again("gzip", "\"5eed1d/app.js/br\""))
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, "gzip bytes");

    // An address of another build is not found, and not kept.
    let answer = Browser::new(router.clone())
        .send(get_site_file("/pkg/0ld1d/app.js", "br"))
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(
        answer.headers.get(header::CACHE_CONTROL).unwrap(),
        "no-cache"
    );
}

#[tokio::test]
async fn pages_name_the_site_files_by_their_build() {
    let (_dir, _demo, router) = site_router("5eed1d").await;
    let answer = Browser::new(router)
        .send(get_site_file("/sign-in", "identity"))
        .await;
    assert!(
        answer
            .body
            .contains("href=\"/pkg/5eed1d/registry-console.css\""),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("/pkg/5eed1d/registry-console.js"));
    assert!(answer.body.contains("/pkg/5eed1d/registry-console_bg.wasm"));
}

#[tokio::test]
async fn site_files_without_a_build_id_are_revalidated() {
    let (_dir, _demo, router) = site_router("").await;
    let answer = Browser::new(router)
        .send(get_site_file("/pkg/app.js", "br"))
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, "brotli bytes");
    assert_eq!(
        answer.headers.get(header::CACHE_CONTROL).unwrap(),
        "no-cache"
    );
    assert!(answer.headers.contains_key(header::LAST_MODIFIED));
    assert!(!answer.headers.contains_key(header::ETAG));
}

/// Reads server-sent events until one named `event` arrives.
async fn next_event(
    body: &mut (impl futures::Stream<Item = Result<axum::body::Bytes, axum::Error>> + Unpin),
    buffer: &mut String,
    event: &str,
) -> String {
    let marker = format!("event: {event}\n");
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            if let Some(start) = buffer.find(&marker)
                && let Some(end) = buffer[start..].find("\n\n")
            {
                let message = buffer[start..start + end].to_owned();
                buffer.drain(..start + end + 2);
                return message;
            }
            let chunk = body.next().await.expect("the stream stays open").unwrap();
            buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no {event} event; got: {buffer}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_stream_shows_changes_goes_stale_without_the_cluster_and_recovers() {
    let mut h = harness(false).await;
    let cookie = h.sign_in_as(DemoUser::Viewer).await.cookie_header();
    let (status, _, _) = h
        .send(Request::get("/api/live").body(Body::empty()).unwrap())
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "no stream without a session"
    );

    let request = Request::get("/api/live")
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let response = h.router.clone().oneshot(request).await.unwrap();
    assert_eq!(
        response.headers().get(header::CONTENT_TYPE).unwrap(),
        "text/event-stream"
    );
    assert!(response.headers().get(header::CONTENT_ENCODING).is_none());
    let mut body = response.into_body().into_data_stream();
    let mut buffer = String::new();
    let first = next_event(&mut body, &mut buffer, "overview").await;
    assert!(first.contains(r#""management_state":"Removed""#), "{first}");

    // A change by someone else shows up.
    let admin = h.demo().client(DemoUser::Admin).await;
    let patch = serde_json::json!({"spec": {"managementState": "Managed"}});
    Api::<Config>::all(admin)
        .patch(
            "cluster",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(&patch),
        )
        .await
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        // Later events carry only the fields that changed.
        let update = next_event(&mut body, &mut buffer, "changed").await;
        assert!(
            !update.contains("\"pods\""),
            "the pods did not change: {update}"
        );
        if update.contains(r#""management_state":"Managed""#) {
            break;
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );

    // The cluster goes away: the page is told it is stale, with the time.
    let demo = h.demo.take().unwrap();
    let addr = demo.addr();
    demo.shutdown().await;
    let stale = next_event(&mut body, &mut buffer, "stale").await;
    let since = stale
        .lines()
        .find_map(|line| line.strip_prefix("data: "))
        .and_then(app::overview::delta::read_stale);
    assert!(since.is_some(), "{stale}");

    // It comes back on the same address: the stream recovers by itself.
    let back = demo_cluster::DemoCluster::start(demo_cluster::Options {
        data_dir: h.dir.path().join("cluster"),
        listen: addr,
        reset: false,
        run_operator: false,
        registry_listen: None,
        traffic: None,
    })
    .await
    .unwrap();
    // Nothing changed meanwhile: the update that ends the stale period carries only the time.
    let recovered = next_event(&mut body, &mut buffer, "changed").await;
    assert!(recovered.contains("generated_at"), "{recovered}");
    assert!(!recovered.contains("management_state"), "{recovered}");
    h.demo = Some(back);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_live_streams_leaves_no_watch_or_connection_on_the_api_server() {
    let h = harness(false).await;
    let activity = h.demo().activity().clone();
    let settle = async |what: &str, done: &dyn Fn() -> bool| {
        let waited = tokio::time::timeout(Duration::from_secs(20), async {
            while !done() {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await;
        assert!(
            waited.is_ok(),
            "{what}: {} watches and {} connections still open",
            activity.watches(),
            activity.connections()
        );
    };
    // Signing in opens the kube clients' connections, and the demo's operator keeps its own
    // watches: count from there.
    let admin = h.sign_in_as(DemoUser::Admin).await.cookie_header();
    let viewer = h.sign_in_as(DemoUser::Viewer).await.cookie_header();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (watches_before, connections_before) = (activity.watches(), activity.connections());

    let mut streams = Vec::new();
    for round in 0..100 {
        let cookie = if round % 2 == 0 { &admin } else { &viewer };
        let request = Request::get("/api/live?topic=overview")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        let response = h.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "stream {round}");
        let mut body = response.into_body().into_data_stream();
        let mut buffer = String::new();
        next_event(&mut body, &mut buffer, "overview").await;
        streams.push(body);
        // Two sign-ins, 16 streams each at most: close the oldest as a tab would.
        if streams.len() == 16 {
            drop(streams.remove(0));
        }
    }
    // All pages share the console's watches: one per topic, however many are open.
    let during = activity.watches() - watches_before;
    assert!(during <= 8, "{during} watches for the pages");
    drop(streams);
    // Every watch the pages started is gone. Connections: each user's client may keep a
    // few idle ones for reuse (its access reviews run side by side), never one per stream.
    settle("after the streams closed", &|| {
        activity.watches() == watches_before && activity.connections() <= connections_before + 16
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_streams_past_the_session_limit_are_refused_and_unknown_topics_too() {
    let h = harness(false).await;
    let cookie = h.sign_in_as(DemoUser::Viewer).await.cookie_header();
    let open = |path: &'static str| {
        let request = Request::get(path)
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap();
        h.router.clone().oneshot(request)
    };
    let (status, _, body) = h
        .send(
            Request::get("/api/live?topic=pods")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("the topics are: overview"), "{body}");
    let mut kept = Vec::new();
    for _ in 0..16 {
        kept.push(open("/api/live").await.unwrap());
    }
    let refused = open("/api/live").await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let message = axum::body::to_bytes(refused.into_body(), 4096)
        .await
        .unwrap();
    assert!(
        String::from_utf8_lossy(&message).contains("Close a tab"),
        "{message:?}"
    );
    kept.pop();
    assert_eq!(open("/api/live").await.unwrap().status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_gets_nothing_of_a_secret_from_watches_the_admin_filled() {
    let h = harness(false).await;
    let admin = h.demo().client(DemoUser::Admin).await;
    let secret: k8s_openapi::api::core::v1::Secret = serde_json::from_value(serde_json::json!({
        "metadata": { "name": "image-registry-private-configuration-user" },
        "data": { "REGISTRY_STORAGE_S3_ACCESSKEY": "a2V5" },
    }))
    .unwrap();
    Api::namespaced(admin.clone(), "openshift-image-registry")
        .create(&kube::api::PostParams::default(), &secret)
        .await
        .unwrap();
    // On S3 the doctor judges the secret's keys (the secret key is missing).
    let s3 = serde_json::json!({ "spec": {
        "managementState": "Managed",
        "storage": { "s3": { "bucket": "registry-images", "region": "us-east-1" } }
    } });
    Api::<Config>::all(admin)
        .patch(
            "cluster",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(&s3),
        )
        .await
        .unwrap();
    let stream_of = async |user| {
        let cookie = h.sign_in_as(user).await.cookie_header();
        let request = Request::get("/api/live")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        let body = h.router.clone().oneshot(request).await.unwrap().into_body();
        let mut body = body.into_data_stream();
        let first = next_event(&mut body, &mut String::new(), "overview").await;
        (body, first)
    };
    // The admin's page starts the shared watches, the secret's among them, and sees it.
    let doctor = |event: &str| {
        let data = event.split_once("data: ").unwrap().1;
        serde_json::from_str::<serde_json::Value>(data).unwrap()["doctor"].clone()
    };
    let (_admin_stream, admins) = stream_of(DemoUser::Admin).await;
    let admins = doctor(&admins);
    assert_eq!(admins["not_judged"], serde_json::json!([]), "{admins}");
    assert!(
        admins["problems"]
            .to_string()
            .contains("REGISTRY_STORAGE_S3_SECRETKEY"),
        "{admins}"
    );
    // The viewer may not read secrets: the gate hides that part of the shared watches, so
    // the doctor does not judge the keys for them and says why.
    let (_viewer_stream, viewers) = stream_of(DemoUser::Viewer).await;
    let viewers = doctor(&viewers);
    let not_judged = viewers["not_judged"].to_string();
    assert!(
        not_judged.contains("image-registry-private-configuration-user"),
        "{viewers}"
    );
}

#[path = "config_tests.rs"]
mod config;

/// What an error answer says, in English (the answer carries its words as a code).
fn said(body: &str) -> String {
    serde_json::from_str::<app::ConsoleError>(body)
        .map(|error| error.to_string())
        .unwrap_or_else(|_| body.to_owned())
}

/// The metrics page's live feed: a tick after each scrape, read for the user as the page's
/// own read is: the admin gets the collector's health (no registry pod runs in the seeded
/// demo), the viewer, who may not `get pods/proxy`, the refusal and no data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_metrics_feed_ticks_after_each_scrape_gated_for_each_user() {
    let h = harness(false).await;
    for (user, expected) in [
        (DemoUser::Admin, r#""health":"NoPods""#),
        (DemoUser::Viewer, r#""denied":{"Cluster""#),
    ] {
        let cookie = h.sign_in_as(user).await.cookie_header();
        let request = Request::get("/api/live?topic=registry-metrics")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap();
        let response = h.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let mut body = response.into_body().into_data_stream();
        let mut buffer = String::new();
        let tick = next_event(&mut body, &mut buffer, "tick").await;
        assert!(tick.contains(expected), "{user:?}: {tick}");
        assert!(tick.contains(r#""moment":null"#), "{user:?}: {tick}");
    }
}

mod crawler;
mod fuzz;
mod limits;
mod load;
mod sessions;
