//! Requests nobody would send to the console, sent anyway (a fixed seed, `FUZZ_SEED=N` for
//! another): random methods, paths (pages, server functions, the live stream, site files,
//! probes), queries and headers (cookies, origins, fetch metadata, languages, forwarded
//! protocol, anti-forgery tokens, content types), signed in and not. Every one gets an
//! answer, none a 500, and no handler panics (which would fail the test here).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::*;

const CASES: usize = 600;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_query_header_or_body_makes_the_console_fail() {
    let h = harness(false).await;
    let signed_in = h.sign_in_as(DemoUser::Admin).await;
    let paths = [
        "/",
        "/sign-in",
        "/config",
        "/pruner",
        "/trust",
        "/routes",
        "/access",
        "/registry-metrics",
        "/registry-logs",
        "/connect",
        "/api/overview",
        "/api/registry_config",
        "/api/set_management_state",
        "/api/sign_in",
        "/api/sign_out",
        "/api/registry_metrics",
        "/api/registry_logs",
        "/api/live",
        "/api/nope",
        "/pkg/x/registry-console.js",
        "/healthz",
        "/readyz",
        "/metrics",
        "/%2e%2e/%2e%2e/etc/passwd",
        "//double//slash",
    ];
    let queries = [
        "",
        "topic=overview",
        "topic=registry-metrics",
        "topic=%00",
        "range=-1",
        "range=99999999999999999999",
        "a=b&a=c",
        "%zz",
        "lang=zh-CN",
        "x=%F0%9F%92%A9",
    ];
    let headers: [(&str, &[&str]); 9] = [
        (
            "cookie",
            &[
                "registry_console_session=garbage",
                "registry_console_session=",
                "a=b; registry_console_browser=00",
                "=;;;=",
            ],
        ),
        (
            "origin",
            &[
                "null",
                "http://127.0.0.1:9999",
                "http://localhost",
                "garbage",
            ],
        ),
        (
            "sec-fetch-site",
            &["cross-site", "same-origin", "none", "???"],
        ),
        ("accept-language", &["zh-CN", "*", "xx-YY;q=abc", ";;;"]),
        ("x-forwarded-proto", &["https", "http", "gopher"]),
        ("x-anti-forgery", &["", "00", "zz"]),
        (
            "content-type",
            &[
                "application/json",
                "application/x-www-form-urlencoded",
                "text/plain",
                "multipart/form-data; boundary=x",
                "garbage",
            ],
        ),
        (
            "accept",
            &["text/html", "application/json", "text/event-stream", "*/*"],
        ),
        (
            "x-forwarded-for",
            &["192.0.2.1", "not an address", "1.1.1.1, 2.2.2.2"],
        ),
    ];
    let bodies = [
        "",
        "{}",
        "null",
        "[",
        "state=Removed&resource_version=",
        "{\"state\":5}",
        "\u{0}",
    ];
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_c0de);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut answers = std::collections::BTreeMap::<u16, usize>::new();
    for case in 0..CASES {
        let method =
            ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"][rng.random_range(0..7)];
        let path = paths[rng.random_range(0..paths.len())];
        let query = queries[rng.random_range(0..queries.len())];
        let uri = if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        };
        let mut request = Request::builder().method(method).uri(&uri);
        let mut sent_cookie = false;
        for (name, values) in headers {
            if rng.random_bool(0.35) {
                sent_cookie |= name == "cookie";
                request = request.header(name, values[rng.random_range(0..values.len())]);
            }
        }
        if !sent_cookie && rng.random_bool(0.5) {
            request = request.header(header::COOKIE, signed_in.cookie_header());
        }
        let body = bodies[rng.random_range(0..bodies.len())];
        let Ok(request) = request.body(Body::from(body)) else {
            continue;
        };
        let response =
            tokio::time::timeout(Duration::from_secs(30), h.router.clone().oneshot(request))
                .await
                .unwrap_or_else(|_| {
                    panic!("seed {seed} case {case}: {method} {uri}: no answer in 30 s")
                })
                .unwrap();
        let code = response.status().as_u16();
        // A live stream that was admitted keeps going: its headers are the answer.
        drop(response);
        // The one 503 that is right: readiness while a check fails.
        assert!(
            code < 500 || (code == 503 && path == "/readyz"),
            "seed {seed} case {case}: {method} {uri} ({body:?}) answered {code}"
        );
        *answers.entry(code).or_default() += 1;
    }
    assert!(answers.keys().any(|code| *code < 300), "{answers:?}");
    assert!(
        answers.keys().any(|code| (400..500).contains(code)),
        "{answers:?}"
    );
}
