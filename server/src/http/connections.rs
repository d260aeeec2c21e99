//! Accepting connections: at most `--max-connections` open at once (past that the kernel's
//! backlog waits), a request's headers whole within [`HEADER_READ_TIMEOUT`] (a client that
//! trickles them, slowloris, is cut off instead of holding a connection forever), the
//! client's address handed to the limits, and a graceful stop.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How long a client may take to send a request's headers (each request on a kept-alive
/// connection too, which also closes connections left idle that long).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a stop waits for open connections to finish before it drops them.
const DRAIN: Duration = Duration::from_secs(20);

/// How connections are taken.
#[derive(Clone, Copy, Debug)]
pub struct Accepting {
    pub max_connections: usize,
    pub header_read_timeout: Duration,
}

/// Serves `router` on `listener` until `stop` completes, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    accepting: Accepting,
    stop: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(accepting.max_connections));
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    let mut at_limit = false;
    loop {
        let permit = match permits.clone().try_acquire_owned() {
            Ok(permit) => {
                at_limit = false;
                permit
            }
            Err(_) => {
                if !at_limit {
                    tracing::warn!(
                        limit = accepting.max_connections,
                        "as many connections open as --max-connections allows; new ones wait"
                    );
                    at_limit = true;
                }
                tokio::select! {
                    permit = permits.clone().acquire_owned() => permit.expect("never closed"),
                    () = &mut stop => break,
                }
            }
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, mostly: wait instead of spinning.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        // Pages are written in several pieces (out-of-order streaming); with Nagle's
        // algorithm a piece after the first waited for the browser's delayed ACK, about
        // 40 ms, on a kept-alive connection (wrk, one connection: `/config` p90 38 ms).
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%peer, %error, "cannot turn off Nagle's algorithm");
        }
        let router = router.clone();
        let service = tower::service_fn(move |mut request: http::Request<Incoming>| {
            request
                .extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(peer));
            router.clone().oneshot(request.map(Body::new))
        });
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(accepting.header_read_timeout);
        builder
            .http2()
            .timer(TokioTimer::new())
            .keep_alive_interval(Some(Duration::from_secs(30)));
        let connection = builder
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%peer, %error, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            seconds = DRAIN.as_secs(),
            "connections still open after the drain time; dropping them"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    async fn served(accepting: Accepting) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = Router::new().route(
            "/who",
            get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(serve(listener, router, accepting, async {
            let _ = stopped.await;
        }));
        (addr, stop)
    }

    async fn get_who(addr: SocketAddr) -> String {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        answer
    }

    #[tokio::test]
    async fn a_client_trickling_its_headers_is_cut_off_and_others_are_served() {
        let (addr, _stop) = served(Accepting {
            max_connections: 16,
            header_read_timeout: Duration::from_millis(300),
        })
        .await;
        let mut slow = TcpStream::connect(addr).await.unwrap();
        slow.write_all(b"GET /who HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        let started = std::time::Instant::now();
        let mut rest = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(5), async {
            // The server answers 408 or just closes: either way the read ends.
            let _ = slow.read_to_end(&mut rest).await;
        })
        .await;
        assert!(
            closed.is_ok(),
            "the half-sent request still holds its connection"
        );
        assert!(started.elapsed() >= Duration::from_millis(250));
        let answer = get_who(addr).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        // The handler saw the client's address.
        assert!(answer.contains("127.0.0.1:"), "{answer}");
    }

    #[tokio::test]
    async fn past_the_connection_limit_new_clients_wait_for_a_free_one() {
        let (addr, _stop) = served(Accepting {
            max_connections: 1,
            header_read_timeout: Duration::from_secs(30),
        })
        .await;
        let held = TcpStream::connect(addr).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let waiting = tokio::spawn(get_who(addr));
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            !waiting.is_finished(),
            "a second connection was served past the limit"
        );
        drop(held);
        let answer = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("served once the first connection closed")
            .unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }

    #[tokio::test]
    async fn a_stop_lets_the_open_request_finish_and_takes_no_new_one() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (release, released) = tokio::sync::oneshot::channel::<()>();
        let released = Arc::new(tokio::sync::Mutex::new(Some(released)));
        let router = Router::new().route(
            "/slow",
            get(move || {
                let released = released.clone();
                async move {
                    if let Some(released) = released.lock().await.take() {
                        let _ = released.await;
                    }
                    "done"
                }
            }),
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(
            listener,
            router,
            Accepting {
                max_connections: 4,
                header_read_timeout: HEADER_READ_TIMEOUT,
            },
            async {
                let _ = stopped.await;
            },
        ));
        let mut open = TcpStream::connect(addr).await.unwrap();
        open.write_all(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        stop.send(()).unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(TcpStream::connect(addr).await.is_err(), "still accepting");
        assert!(!server.is_finished(), "did not wait for the open request");
        release.send(()).unwrap();
        let mut answer = vec![0; 1024];
        let n = open.read(&mut answer).await.unwrap();
        assert!(String::from_utf8_lossy(&answer[..n]).contains("done"));
        tokio::time::timeout(Duration::from_secs(5), server)
            .await
            .expect("stopped after the request")
            .unwrap();
    }
}
