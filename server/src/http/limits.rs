//! Limits that keep one client from taking the console, or the API server through it, for
//! itself: requests answered at once, how long one may take, and sign-in attempts per
//! client. (Bodies are bounded by the forged-request check and axum's body limit;
//! connections and slow headers by `super::connections`; live streams by `super::live`.)

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use tokio::sync::Semaphore;

/// How long a request's body may take to arrive whole.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// The limits, as `serve`'s flags set them.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Requests being answered at once (a live stream counts until its first byte).
    in_flight: Arc<Semaphore>,
    max_in_flight: usize,
    /// How long a request may take to be answered (not a stream's later events).
    pub request_timeout: Duration,
    sign_ins: Arc<SignInAttempts>,
    /// Whether the client is the last address of `X-Forwarded-For` (behind a proxy that
    /// sets it) rather than the connection's peer.
    forwarded_for: bool,
}

impl Limits {
    pub fn new(
        max_in_flight: usize,
        request_timeout: Duration,
        sign_ins_per_minute: u32,
        forwarded_for: bool,
    ) -> Self {
        Self {
            in_flight: Arc::new(Semaphore::new(max_in_flight)),
            max_in_flight,
            request_timeout,
            sign_ins: Arc::new(SignInAttempts::new(sign_ins_per_minute)),
            forwarded_for,
        }
    }

    /// The client a request comes from, as far as the console can tell.
    fn client(&self, request: &Request) -> IpAddr {
        let forwarded = self
            .forwarded_for
            .then(|| last_forwarded_for(request.headers()))
            .flatten();
        forwarded
            .or_else(|| {
                let ConnectInfo(peer) = request.extensions().get::<ConnectInfo<SocketAddr>>()?;
                Some(peer.ip())
            })
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::new(256, Duration::from_secs(60), 10, false)
    }
}

/// The rightmost address of `X-Forwarded-For`: the one the proxy itself saw (anything to
/// its left the client may have written).
fn last_forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?;
    last.to_str().ok()?.rsplit(',').next()?.trim().parse().ok()
}

/// Answers at most `--max-requests` requests at once; past that, a 503 at once (a queue
/// would only make every request late) that says to retry. Probes are always answered.
pub async fn in_flight(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    if matches!(request.uri().path(), "/healthz" | "/metrics") {
        return next.run(request).await;
    }
    let Ok(_permit) = limits.in_flight.clone().try_acquire_owned() else {
        tracing::warn!(
            limit = limits.max_in_flight,
            "request refused: too many at once"
        );
        let mut refused = (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "The console is answering {} requests at once, its limit (--max-requests). \
                 Retry in a moment.\n",
                limits.max_in_flight
            ),
        )
            .into_response();
        refused
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return refused;
    };
    next.run(request).await
}

/// Gives up on a request not answered within `--request-timeout` (60 s): a slow API
/// server does not pile up requests in the console. A live stream is answered at once and
/// is not cut by it. A change sent meanwhile may or may not have been made: the answer
/// says so, and a reload shows which.
pub async fn request_timeout(
    State(limits): State<Limits>,
    request: Request,
    next: Next,
) -> Response {
    let timeout = limits.request_timeout;
    let read = request.method().is_safe();
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(
                seconds = timeout.as_secs(),
                "request given up: no answer in time"
            );
            let outcome = if read {
                "Reload the page to try again."
            } else {
                "A change it was making may or may not have been made: reload the page to see \
                 which before trying again."
            };
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "The console gave up on this request after {} s (--request-timeout): the \
                     cluster's API server is slow or unreachable. {outcome}\n",
                    timeout.as_secs()
                ),
            )
                .into_response()
        }
    }
}

/// Sign-in attempts per client: each asks the API server to check a token, so a client
/// guessing tokens (or flooding the API server through the console) is slowed to
/// `--sign-in-attempts-per-minute`, in a burst of as many.
pub async fn sign_in_attempts(
    State(limits): State<Limits>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if !matches!(path, "/api/sign_in" | "/api/sign_in_demo") {
        return next.run(request).await;
    }
    let client = limits.client(&request);
    match limits.sign_ins.take(client, Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let seconds = (wait.as_secs_f64().ceil() as u64).max(1);
            tracing::warn!(%client, seconds, "sign-in refused: too many attempts");
            let error =
                app::anti_forgery::refused::too_many_sign_ins(limits.sign_ins.per_minute, seconds);
            let mut refused =
                super::forgery::refusal(StatusCode::TOO_MANY_REQUESTS, &error, request.headers());
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                refused.headers_mut().insert(header::RETRY_AFTER, value);
            }
            refused
        }
    }
}

/// A token bucket per client address: `per_minute` attempts in a burst, then one every
/// `60 / per_minute` seconds.
#[derive(Debug)]
struct SignInAttempts {
    per_minute: u32,
    clients: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    attempts: f64,
    at: Instant,
}

/// Clients remembered at most; past it, those whose bucket has refilled are forgotten
/// (they would start full anyway), so memory stays bounded under a spray of addresses.
const CLIENTS_KEPT: usize = 10_000;

impl SignInAttempts {
    fn new(per_minute: u32) -> Self {
        Self {
            per_minute: per_minute.max(1),
            clients: Mutex::default(),
        }
    }

    /// Takes one attempt for `client`, or says how long until the next is allowed.
    fn take(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let full = f64::from(self.per_minute);
        let per_second = full / 60.0;
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        if clients.len() >= CLIENTS_KEPT && !clients.contains_key(&client) {
            clients.retain(|_, b| {
                b.attempts + now.duration_since(b.at).as_secs_f64() * per_second < full
            });
        }
        let bucket = clients.entry(client).or_insert(Bucket {
            attempts: full,
            at: now,
        });
        let refilled =
            (bucket.attempts + now.duration_since(bucket.at).as_secs_f64() * per_second).min(full);
        if refilled < 1.0 {
            return Err(
                Duration::from_secs_f64((1.0 - refilled) / per_second).max(Duration::from_secs(1))
            );
        }
        *bucket = Bucket {
            attempts: refilled - 1.0,
            at: now,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    /// A router with one slow endpoint (it waits for `release`) and one quick, behind the
    /// limits.
    fn slow_router(limits: Limits, release: Arc<tokio::sync::Notify>) -> axum::Router {
        use axum::routing::get;
        axum::Router::new()
            .route(
                "/slow",
                get(move || {
                    let release = release.clone();
                    async move { release.notified().await }
                }),
            )
            .route("/quick", get(|| async { "ok" }))
            .route("/healthz", get(|| async { "ok" }))
            .layer(axum::middleware::from_fn_with_state(
                limits.clone(),
                request_timeout,
            ))
            .layer(axum::middleware::from_fn_with_state(limits, in_flight))
    }

    async fn get_status(router: &axum::Router, path: &str) -> (StatusCode, String) {
        let response = router
            .clone()
            .oneshot(Request::get(path).body(axum::body::Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn past_the_requests_answered_at_once_the_next_is_refused_at_once_not_queued() {
        let release = Arc::new(tokio::sync::Notify::new());
        let router = slow_router(
            Limits::new(2, Duration::from_secs(30), 10, false),
            release.clone(),
        );
        let slow: Vec<_> = (0..2)
            .map(|_| {
                tokio::spawn({
                    let router = router.clone();
                    async move { get_status(&router, "/slow").await }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let (status, body) = get_status(&router, "/quick").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            body.contains("2 requests at once") && body.contains("--max-requests"),
            "{body}"
        );
        assert_eq!(
            get_status(&router, "/healthz").await.0,
            StatusCode::OK,
            "probes still answer"
        );
        release.notify_waiters();
        for request in slow {
            assert_eq!(request.await.unwrap().0, StatusCode::OK);
        }
        assert_eq!(get_status(&router, "/quick").await.0, StatusCode::OK);
    }

    #[tokio::test]
    async fn a_request_not_answered_in_time_is_given_up_with_what_to_do() {
        let release = Arc::new(tokio::sync::Notify::new());
        let router = slow_router(
            Limits::new(8, Duration::from_millis(100), 10, false),
            release,
        );
        let (status, body) = get_status(&router, "/slow").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            body.contains("--request-timeout") && body.contains("Reload"),
            "{body}"
        );
        // Its slot is free again.
        assert_eq!(get_status(&router, "/quick").await.0, StatusCode::OK);
    }

    #[test]
    fn sign_ins_come_in_a_burst_then_one_per_interval_per_client() {
        let attempts = SignInAttempts::new(10);
        let start = Instant::now();
        let (me, other): (IpAddr, IpAddr) =
            ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        for _ in 0..10 {
            attempts.take(me, start).unwrap();
        }
        let wait = attempts.take(me, start).unwrap_err();
        assert_eq!(wait, Duration::from_secs(6), "one attempt every 6 s");
        attempts
            .take(other, start)
            .expect("another client has its own");
        attempts.take(me, start + Duration::from_secs(6)).unwrap();
        assert!(attempts.take(me, start + Duration::from_secs(7)).is_err());
        // A quiet minute refills the burst, no more.
        let later = start + Duration::from_secs(600);
        for _ in 0..10 {
            attempts.take(me, later).unwrap();
        }
        assert!(attempts.take(me, later).is_err());
    }

    #[test]
    fn the_clients_remembered_stay_bounded() {
        let attempts = SignInAttempts::new(10);
        let start = Instant::now();
        for i in 0..(CLIENTS_KEPT as u32 + 10) {
            let client = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i));
            attempts
                .take(client, start + Duration::from_secs(10))
                .unwrap();
        }
        assert!(attempts.clients.lock().unwrap().len() <= CLIENTS_KEPT + 10);
        // After their buckets refill, a new client's arrival forgets them.
        let later = start + Duration::from_secs(120);
        attempts.take("192.0.2.1".parse().unwrap(), later).unwrap();
        assert_eq!(attempts.clients.lock().unwrap().len(), 1);
    }

    #[test]
    fn behind_a_proxy_the_client_is_the_address_the_proxy_saw() {
        let mut headers = HeaderMap::new();
        headers.append(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 10.1.2.3"),
        );
        assert_eq!(
            last_forwarded_for(&headers),
            Some("10.1.2.3".parse().unwrap())
        );
        headers.append("x-forwarded-for", HeaderValue::from_static("192.0.2.7"));
        assert_eq!(
            last_forwarded_for(&headers),
            Some("192.0.2.7".parse().unwrap())
        );
        let limits = Limits::new(1, Duration::from_secs(1), 1, false);
        let mut request = Request::new(axum::body::Body::empty());
        *request.headers_mut() = headers;
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 9], 4000))));
        // Not trusted unless --forwarded-for says a proxy sets it.
        assert_eq!(limits.client(&request), IpAddr::from([127, 0, 0, 9]));
        let behind = Limits::new(1, Duration::from_secs(1), 1, true);
        assert_eq!(behind.client(&request), IpAddr::from([192, 0, 2, 7]));
    }
}
