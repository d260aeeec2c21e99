//! 200 signed-in sessions browsing and streaming for a minute (`LOAD_SECONDS` to change
//! it) against the demo cluster, through the whole router: no error, memory that stops
//! growing, and every stream, watch and connection released after.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

const SESSIONS: usize = 200;
const PAGES: [&str; 6] = ["/", "/config", "/trust", "/routes", "/access", "/pruner"];

/// The process's resident memory, in MiB.
fn resident_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kib| kib / 1024)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_sessions_browse_and_stream_without_an_error_and_release_everything() {
    let seconds: u64 = std::env::var("LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let h = harness(false).await;
    // Users' clients are kept 5 s instead of 5 minutes, so the test sees them go.
    let mut console = console(h.demo(), h.dir.path(), false).await;
    console.cluster = console.cluster.with_client_ttl(Duration::from_secs(5));
    let cluster = console.cluster.clone();
    // One test client signs in 200 times: the per-client sign-in limit is not what is
    // measured here.
    let router = router_with(
        console,
        h.dir.path(),
        super::super::limits::Limits::new(256, Duration::from_secs(60), 10_000, false),
    );
    let activity = h.demo().activity().clone();
    // The demo's simulated operator starts its own watches (as admin) in its first seconds.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (watches_before, connections_before) = (activity.watches(), activity.connections());

    let errors = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(AtomicUsize::new(0));
    let events = Arc::new(AtomicUsize::new(0));
    let first_error = Arc::new(std::sync::Mutex::new(None::<String>));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
    let started = std::time::Instant::now();
    let sessions: Vec<_> = (0..SESSIONS)
        .map(|i| {
            let router = router.clone();
            let (errors, requests, events, first_error) = (
                errors.clone(),
                requests.clone(),
                events.clone(),
                first_error.clone(),
            );
            tokio::spawn(async move {
                let fail = |what: String| {
                    errors.fetch_add(1, Ordering::SeqCst);
                    first_error.lock().unwrap().get_or_insert(what);
                };
                let mut browser = Browser::new(router.clone());
                let user = if i % 4 == 0 { "admin" } else { "viewer" };
                let answer = browser.sign_in_demo(user).await;
                if answer.status != StatusCode::OK {
                    return fail(format!("sign-in {i}: {} {}", answer.status, answer.body));
                }
                let request = Request::get("/api/live?topic=overview")
                    .header(header::COOKIE, browser.cookie_header())
                    .body(Body::empty())
                    .unwrap();
                let response = router.clone().oneshot(request).await.unwrap();
                if response.status() != StatusCode::OK {
                    return fail(format!("stream {i}: {}", response.status()));
                }
                let mut stream = response.into_body().into_data_stream();
                let reader = {
                    let events = events.clone();
                    async move {
                        while let Some(chunk) = stream.next().await {
                            if chunk.is_err() {
                                return false;
                            }
                            events.fetch_add(1, Ordering::SeqCst);
                        }
                        false
                    }
                };
                let browsing = async {
                    // Spread over the first seconds, then a page every 5 s or so.
                    tokio::time::sleep(Duration::from_millis(25 * i as u64)).await;
                    let mut n = i;
                    while tokio::time::Instant::now() < deadline {
                        let page = PAGES[n % PAGES.len()];
                        n += 1;
                        let answer = browser.open(page).await;
                        requests.fetch_add(1, Ordering::SeqCst);
                        if answer.status != StatusCode::OK {
                            fail(format!("{user} {page}: {}", answer.status));
                        }
                        let call = browser.call("/api/overview", &json!({})).await;
                        requests.fetch_add(1, Ordering::SeqCst);
                        if call.status != StatusCode::OK {
                            fail(format!(
                                "{user} /api/overview: {} {}",
                                call.status, call.body
                            ));
                        }
                        tokio::time::sleep(Duration::from_millis(4_000 + (n as u64 % 7) * 300))
                            .await;
                    }
                };
                tokio::select! {
                    () = browsing => {}
                    _ = reader => fail(format!("the stream of session {i} ended early")),
                }
            })
        })
        .collect();

    // Memory is read at a third and at the end: the sessions are all open by then, so
    // growth between the two is what would keep growing.
    tokio::time::sleep(Duration::from_secs(seconds / 3)).await;
    let settled = resident_mib();
    for session in sessions {
        session.await.unwrap();
    }
    let at_end = resident_mib();
    let elapsed = started.elapsed().as_secs_f64();
    let (errors, requests, events) = (
        errors.load(Ordering::SeqCst),
        requests.load(Ordering::SeqCst),
        events.load(Ordering::SeqCst),
    );
    println!(
        "{SESSIONS} sessions, {elapsed:.0} s: {requests} requests ({:.0}/s), {events} stream chunks, \
         {errors} errors; resident memory {settled} MiB at a third, {at_end} MiB at the end",
        requests as f64 / elapsed
    );
    assert_eq!(errors, 0, "first error: {:?}", first_error.lock().unwrap());
    assert!(requests >= SESSIONS * 2, "{requests} requests");
    assert!(events >= SESSIONS, "{events} stream chunks");
    assert!(
        at_end <= settled + 150,
        "memory grew from {settled} MiB to {at_end} MiB while the load stayed the same"
    );

    // Everything the sessions held is released: the streams' watches as they close, the
    // users' clients (and their pooled connections) once they expire and are swept, as the
    // server sweeps them every minute.
    let released = tokio::time::timeout(Duration::from_secs(30), async {
        while activity.watches() > watches_before || activity.connections() > connections_before + 8
        {
            cluster.sweep_clients();
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await;
    assert!(
        released.is_ok(),
        "{} watches {:?} (from {watches_before}) and {} connections (from {connections_before}) \
         still open",
        activity.watches(),
        activity.long_running_by_user(),
        activity.connections()
    );
}
