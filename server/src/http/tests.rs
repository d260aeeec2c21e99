//! The console's HTTP surface against the embedded demo cluster: sign-in, sessions,
//! access checks, the overview, writes, the live stream, health and metrics.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use demo_cluster::{DemoCluster, DemoUser};
use futures::StreamExt;
use http::{HeaderMap, Request, StatusCode, header};
use kube::Api;
use registry_model::Config;
use registry_model::registry_config::ManagementState;
use tower::ServiceExt;

use super::{AppState, router};
use crate::cluster::Cluster;
use crate::console::Console;
use crate::metrics::Metrics;
use crate::session::Sessions;
use crate::shutdown::{self, Trigger};
use crate::{demo, site};

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
    let cluster = Cluster::connect(Some(&demo.kubeconfig_path()), Some("admin"))
        .await
        .unwrap();
    let sessions =
        Sessions::from_key_file(&dir.join("session.key"), Duration::from_secs(3600), false)
            .unwrap();
    let (_trigger, shutdown) = shutdown::channel();
    std::mem::forget(_trigger);
    router(AppState {
        leptos: site::leptos_options(dir),
        console: std::sync::Arc::new(Console {
            cluster,
            sessions,
            demo_accounts: demo::accounts(demo),
            read_only,
            metrics: Metrics::default(),
        }),
        shutdown,
    })
}

impl Harness {
    fn demo(&self) -> &DemoCluster {
        self.demo.as_ref().unwrap()
    }

    async fn send(&self, request: Request<Body>) -> (StatusCode, HeaderMap, String) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    async fn post(
        &self,
        path: &str,
        form: &str,
        cookie: Option<&str>,
    ) -> (StatusCode, HeaderMap, String) {
        let mut request =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(form.to_owned())).unwrap())
            .await
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> (StatusCode, HeaderMap, String) {
        let mut request = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// Signs in a demo user with one click and returns the session cookie.
    async fn sign_in_as(&self, user: DemoUser) -> String {
        let (status, headers, body) = self
            .post("/api/sign_in_demo", &format!("user={}", user.name()), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        session_cookie(&headers)
    }

    /// Calls the `set_management_state` server function as the page (or a forger) would.
    async fn set_management_state(
        &self,
        cookie: &str,
        state: &str,
        version: &str,
    ) -> (StatusCode, String) {
        let form = format!("state={state}&resource_version={version}");
        let (status, _, body) = self
            .post("/api/set_management_state", &form, Some(cookie))
            .await;
        (status, body)
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

fn session_cookie(headers: &HeaderMap) -> String {
    let set_cookie = headers
        .get(header::SET_COOKIE)
        .expect("a session cookie")
        .to_str()
        .unwrap();
    set_cookie.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_wrong_token_is_refused_with_a_clear_message() {
    let h = harness(false).await;
    let (status, headers, body) = h.post("/api/sign_in", "token=not-a-real-token", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers.get(header::SET_COOKIE).is_none());
    assert!(body.contains("InvalidToken"), "{body}");
    assert!(body.contains("401 Unauthorized"), "{body}");
}

#[tokio::test]
async fn without_wasm_a_refused_form_post_goes_back_to_the_form() {
    let h = harness(false).await;
    let request = Request::post("/api/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "/sign-in")
        .body(Body::from("token=wrong"))
        .unwrap();
    let (status, headers, _) = h.send(request).await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(
        headers
            .get(header::LOCATION)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("/sign-in")
    );
    assert!(headers.get(header::SET_COOKIE).is_none());
}

#[tokio::test]
async fn a_real_token_signs_in_and_is_never_sent_back() {
    let h = harness(false).await;
    let token = h.demo().token(DemoUser::Admin).to_owned();
    let (status, headers, body) = h
        .post("/api/sign_in", &format!("token={token}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = session_cookie(&headers);
    assert!(!cookie.contains(&token));
    assert!(!body.contains(&token));
    let (status, _, page) = h.get("/", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains(&token), "the page must not carry the token");
}

#[tokio::test]
async fn without_a_session_the_overview_sends_people_to_sign_in() {
    let h = harness(false).await;
    let (status, headers, _) = h.get("/", None).await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/sign-in");
    let (status, _, body) = h.post("/api/overview", "", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("NotSignedIn"), "{body}");
}

#[tokio::test]
async fn the_sign_in_page_offers_the_demo_users_without_their_tokens() {
    let h = harness(false).await;
    let (status, _, page) = h.get("/sign-in", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Sign in as admin"));
    assert!(page.contains("Sign in as viewer"));
    for user in DemoUser::ALL {
        assert!(
            !page.contains(h.demo().token(user)),
            "token of {} leaked",
            user.name()
        );
    }
}

#[tokio::test]
async fn the_admin_sees_the_seeded_removed_state_with_guidance_and_edit_controls() {
    let h = harness(false).await;
    let cookie = h.sign_in_as(DemoUser::Admin).await;
    let (status, headers, page) = h.get("/", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
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
    let cookie = h.sign_in_as(DemoUser::Viewer).await;
    let (_, _, page) = h.get("/", Some(&cookie)).await;
    assert!(page.contains(r#"data-state="Removed""#));
    assert!(!page.contains("Change management state"));
    assert!(page.contains("view only"));

    let (_, version) = h.management_state().await;
    let (status, body) = h.set_management_state(&cookie, "Managed", &version).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("does not allow you"), "{body}");
    assert_eq!(h.management_state().await.0, Some(ManagementState::Removed));
}

#[tokio::test]
async fn the_admin_changes_the_management_state_only_from_the_version_shown() {
    let h = harness(false).await;
    let cookie = h.sign_in_as(DemoUser::Admin).await;
    let (_, version) = h.management_state().await;

    let (status, body) = h.set_management_state(&cookie, "Managed", "1").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("nothing was changed"), "{body}");
    assert_eq!(h.management_state().await.0, Some(ManagementState::Removed));

    let (status, body) = h.set_management_state(&cookie, "Managed", &version).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(h.management_state().await.0, Some(ManagementState::Managed));

    let (status, body) = h.set_management_state(&cookie, "Force", "1").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn a_read_only_console_refuses_writes_whatever_the_users_rights() {
    let h = harness(true).await;
    let cookie = h.sign_in_as(DemoUser::Admin).await;
    let (_, _, page) = h.get("/", Some(&cookie)).await;
    assert!(!page.contains("Change management state"));
    assert!(page.contains("read-only console"));
    let (_, version) = h.management_state().await;
    let (status, body) = h.set_management_state(&cookie, "Managed", &version).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("read-only mode"), "{body}");
    assert_eq!(h.management_state().await.0, Some(ManagementState::Removed));
}

#[tokio::test]
async fn sessions_survive_a_console_restart_with_the_same_key() {
    let h = harness(false).await;
    let cookie = h.sign_in_as(DemoUser::Viewer).await;
    let restarted = console_router(h.demo(), h.dir.path(), false).await;
    let request = Request::get("/")
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let response = restarted.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn sign_out_removes_the_cookie() {
    let h = harness(false).await;
    let cookie = h.sign_in_as(DemoUser::Admin).await;
    let (status, headers, _) = h.post("/api/sign_out", "", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    let removal = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(removal.contains("Max-Age=0"), "{removal}");
}

#[tokio::test]
async fn health_readiness_metrics_and_headers() {
    let h = harness(false).await;
    let (status, headers, body) = h.get("/healthz", None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"));
    assert!(headers.contains_key("x-request-id"));
    assert_eq!(
        headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff"
    );
    assert_eq!(headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    assert!(
        headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    let (status, _, _) = h.get("/readyz", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, metrics) = h.get("/metrics", None).await;
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
    let cookie = h.sign_in_as(DemoUser::Viewer).await;
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
        let update = next_event(&mut body, &mut buffer, "overview").await;
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
    assert!(stale.contains("data: \""), "{stale}");

    // It comes back on the same address: the stream recovers by itself.
    let back = demo_cluster::DemoCluster::start(demo_cluster::Options {
        data_dir: h.dir.path().join("cluster"),
        listen: addr,
        reset: false,
        run_operator: false,
    })
    .await
    .unwrap();
    let recovered = next_event(&mut body, &mut buffer, "overview").await;
    assert!(
        recovered.contains(r#""management_state":"Managed""#),
        "{recovered}"
    );
    h.demo = Some(back);
}
