//! The limits through the whole router: sign-in attempts per client.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;

use super::*;

/// A token sign-in from `client`, as the sign-in page's form posts it.
async fn sign_in_from(browser: &mut Browser, client: [u8; 4], token: &str) -> Answer {
    let form = format!(
        "token={token}&{}={}",
        app::anti_forgery::FIELD,
        browser.token().unwrap_or_default()
    );
    let mut request = Request::post("/api/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((client, 40_000))));
    browser.send(request).await
}

#[tokio::test]
async fn sign_in_attempts_past_the_limit_are_refused_per_client_without_asking_the_cluster() {
    let h = harness(false).await;
    let mut browser = h.browser();
    browser.open("/sign-in").await;
    let guesser = [192, 0, 2, 10];
    for attempt in 0..10 {
        let answer = sign_in_from(&mut browser, guesser, "sha256~guess").await;
        assert_eq!(
            answer.status,
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}: {}",
            answer.body
        );
    }
    let refused = sign_in_from(&mut browser, guesser, "sha256~guess").await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    // One attempt every 6 s, less the time the test took.
    let retry: u64 = refused.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((4..=6).contains(&retry), "{retry}");
    // The error the page shows, in its reader's language: the limit and the wait.
    let error: app::ConsoleError = serde_json::from_str(&refused.body).unwrap();
    let app::ConsoleError::Rejected(phrase) = error else {
        panic!("{error:?}")
    };
    let shown = phrase.english();
    assert!(
        shown.contains("at most 10 a minute") && shown.contains(&format!("in {retry} s")),
        "{shown}"
    );
    // Even the right token waits: the limit is on attempts, not failures.
    let right = h.demo().token(DemoUser::Admin).to_owned();
    let waited = sign_in_from(&mut browser, guesser, &right).await;
    assert_eq!(waited.status, StatusCode::TOO_MANY_REQUESTS);
    // Another client is not held up by this one.
    let mut other = h.browser();
    other.open("/sign-in").await;
    let answer = sign_in_from(&mut other, [192, 0, 2, 11], &right).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}
