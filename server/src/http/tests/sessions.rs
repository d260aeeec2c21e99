//! Sessions end when they should: at sign-out (on every replica, a copied cookie
//! included), when idle, and their live streams with them.

use std::sync::Arc;

use app::session::Token;
use app::session::revocations::{Revocations, SharedList};
use k8s_openapi::api::core::v1::ConfigMap;

use super::*;

/// A console sharing its signed-out sessions through `list`, following the others'.
async fn replica(h: &Harness, list: &SharedList) -> Router {
    let mut console = console(h.demo(), h.dir.path(), false).await;
    let client = console.cluster.own_client().unwrap();
    console.revocations = Arc::new(Revocations::shared(client, list.clone()));
    tokio::spawn(console.revocations.clone().follow());
    router_for(console, h.dir.path())
}

/// Whether the browser's session opens the overview (instead of being sent to sign in).
async fn signed_in(browser: &mut Browser) -> bool {
    let page = browser.open("/").await;
    match page.status {
        StatusCode::OK => true,
        StatusCode::FOUND if page.headers[header::LOCATION] == "/sign-in" => false,
        other => panic!("the overview answered {other}: {}", page.body),
    }
}

#[tokio::test]
async fn a_cookie_copied_before_sign_out_opens_nothing_after() {
    let h = harness(false).await;
    let mut admin = h.sign_in_as(DemoUser::Admin).await;
    let mut copy = admin.clone();
    assert!(signed_in(&mut copy).await);
    let answer = admin.submit("/api/sign_out", "").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(
        !signed_in(&mut copy).await,
        "the copied cookie still opens the session"
    );
    let live = copy
        .send(Request::get("/api/live").body(Body::empty()).unwrap())
        .await;
    assert_eq!(live.status, StatusCode::UNAUTHORIZED);
    // Another sign-in is a new session, not the revoked one.
    assert!(signed_in(&mut h.sign_in_as(DemoUser::Admin).await).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_out_on_one_replica_ends_the_session_on_the_others() {
    let h = harness(false).await;
    let list: SharedList = "registry-console/revoked-sessions".parse().unwrap();
    let (first, second) = (replica(&h, &list).await, replica(&h, &list).await);
    let mut on_first = Browser::new(first);
    on_first.sign_in_demo("admin").await;
    let mut on_second = on_first.on(second);
    assert!(signed_in(&mut on_second).await);

    let answer = on_first.submit("/api/sign_out", "").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let started = std::time::Instant::now();
    while signed_in(&mut on_second).await {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the other replica still opens the session 5 s after sign-out"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // What the replicas share names no one and holds nothing that opens a session: one
    // digest per signed-out session, with the session's end.
    let shared =
        Api::<ConfigMap>::namespaced(h.demo().client(DemoUser::Admin).await, "registry-console")
            .get("revoked-sessions")
            .await
            .unwrap();
    let data = shared.data.unwrap();
    assert_eq!(data.len(), 1, "{data:?}");
    let (key, ends) = data.iter().next().unwrap();
    assert!(
        key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()),
        "{key}"
    );
    assert!(chrono::DateTime::parse_from_rfc3339(ends).is_ok(), "{ends}");
    assert!(!on_second.cookie_header().contains(key.as_str()));
    // A replica started later learns of it from the list.
    let mut on_late = on_second.on(replica(&h, &list).await);
    let started = std::time::Instant::now();
    while signed_in(&mut on_late).await {
        assert!(started.elapsed() < Duration::from_secs(5));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A session cookie for the demo admin sealed with the test console's key, last active
/// `idle` ago.
fn cookie_idle_for(h: &Harness, idle: chrono::Duration) -> String {
    let sessions = Sessions::from_key_file(
        &h.dir.path().join("session.key"),
        Duration::from_secs(3600),
        false,
    )
    .unwrap()
    .with_idle_timeout(Duration::from_secs(600));
    let now = chrono::Utc::now();
    let mut session = sessions.start(
        "admin".into(),
        Token::new(h.demo().token(DemoUser::Admin)),
        now,
    );
    session.active_at = now - idle;
    let sealed = sessions.seal(&session, &HeaderMap::new());
    sealed
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_idle_session_ends_and_a_used_one_is_sealed_again_with_its_new_activity() {
    let h = harness(false).await;
    // The test console's idle timeout is its lifetime, 1 h.
    let open = |cookie: String| {
        let mut browser = h.browser();
        browser.set_cookie(&cookie);
        async move { browser.open("/").await }
    };
    let fresh = open(cookie_idle_for(&h, chrono::Duration::seconds(5))).await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert!(
        fresh.headers.get(header::SET_COOKIE).is_none(),
        "nothing to reseal yet"
    );

    let used = open(cookie_idle_for(&h, chrono::Duration::minutes(5))).await;
    assert_eq!(used.status, StatusCode::OK);
    let resealed = used.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        resealed.starts_with("registry_console_session="),
        "{resealed}"
    );
    // What is left of its hour, less the seconds this test took: on a loaded machine that
    // can be more than the one second an exact 3599-or-3600 allowed.
    let max_age: u32 = resealed
        .split(';')
        .find_map(|part| part.trim().strip_prefix("Max-Age="))
        .and_then(|age| age.parse().ok())
        .unwrap_or_else(|| panic!("no Max-Age: {resealed}"));
    assert!((3570..=3600).contains(&max_age), "{resealed}");

    let idle = open(cookie_idle_for(&h, chrono::Duration::minutes(61))).await;
    assert_eq!(idle.status, StatusCode::FOUND);
    assert_eq!(idle.headers[header::LOCATION], "/sign-in");
}

#[tokio::test]
async fn a_sign_out_with_a_cookie_due_for_resealing_still_removes_it() {
    let h = harness(false).await;
    let stale = cookie_idle_for(&h, chrono::Duration::minutes(5));
    let mut browser = h.browser();
    browser.set_cookie(&stale);
    assert!(signed_in(&mut browser).await);
    // The page resealed it; the sign-out comes with the stale copy again.
    browser.set_cookie(&stale);
    let answer = browser.submit("/api/sign_out", "").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let set_cookies: Vec<_> = answer.headers.get_all(header::SET_COOKIE).iter().collect();
    assert_eq!(set_cookies.len(), 1, "{set_cookies:?}");
    assert!(set_cookies[0].to_str().unwrap().contains("Max-Age=0"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_live_stream_ends_at_sign_out() {
    let h = harness(false).await;
    let mut admin = h.sign_in_as(DemoUser::Admin).await;
    let request = Request::get("/api/live")
        .header(header::COOKIE, admin.cookie_header())
        .body(Body::empty())
        .unwrap();
    let response = h.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body().into_data_stream();
    let mut buffer = String::new();
    next_event(&mut body, &mut buffer, "overview").await;
    admin.submit("/api/sign_out", "").await;
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(chunk) = body.next().await {
            chunk.unwrap();
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream goes on after sign-out");
}
