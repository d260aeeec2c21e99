//! An API server that dies in the middle of a change, for tests: a plain-HTTP relay in
//! front of the demo cluster (whose state is real and survives) that, at the Nth real
//! write it is sent, stops as a killed kube-apiserver does for its clients: that request
//! is never answered, every open connection drops and new ones are refused. A test double
//! of the fault only; everything it relays is answered by the demo cluster.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::service::TowerToHyperService;
use kube::config::AuthInfo;
use tokio::sync::Notify;
use tokio::task::JoinSet;

use super::test_cluster::TestCluster;

/// The relay; it dies by itself, or when dropped.
pub struct DyingApi {
    /// `http://127.0.0.1:PORT`, for a client's `cluster_url`.
    pub url: http::Uri,
    /// Real writes relayed so far.
    pub writes: Arc<AtomicUsize>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for DyingApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

#[derive(Clone)]
struct Relay {
    demo: kube::Client,
    writes: Arc<AtomicUsize>,
    dies_at: usize,
    death: Arc<Notify>,
}

impl DyingApi {
    /// A relay to `demo` that dies when the `dies_at`th real write (not a dry run, not an
    /// access review) arrives, before relaying it.
    pub async fn start(demo: &TestCluster, dies_at: usize) -> Self {
        let kubeconfig = kube::config::Kubeconfig::read_from(demo.cluster.kubeconfig_path())
            .expect("the demo's kubeconfig");
        let mut config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
            .await
            .expect("a usable kubeconfig");
        // The caller's own Authorization header goes through; none of the relay's.
        config.auth_info = AuthInfo::default();
        config.default_retry = false;
        let writes = Arc::new(AtomicUsize::new(0));
        let relay = Relay {
            demo: kube::Client::try_from(config).expect("a client"),
            writes: writes.clone(),
            dies_at,
            death: Arc::new(Notify::new()),
        };
        let death = relay.death.clone();
        let app = axum::Router::new().fallback(relayed).with_state(relay);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((tcp, _)) = accepted else { break };
                        let app = app.clone();
                        connections.spawn(async move {
                            let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                                .serve_connection(TokioIo::new(tcp), TowerToHyperService::new(app))
                                .await;
                        });
                    }
                    () = death.notified() => break,
                }
            }
            // Dropping the listener refuses new connections; aborting each connection's
            // task drops its socket, unanswered.
            connections.abort_all();
        });
        Self {
            url: format!("http://127.0.0.1:{port}").parse().unwrap(),
            writes,
            server,
        }
    }

    /// A client acting as `token`'s owner through this relay, without retries.
    pub fn client(&self, token: &str) -> kube::Client {
        let mut config = kube::Config::new(self.url.clone());
        config.auth_info = AuthInfo {
            token: Some(token.to_owned().into()),
            ..AuthInfo::default()
        };
        config.default_retry = false;
        kube::Client::try_from(config).expect("a client")
    }
}

async fn relayed(State(relay): State<Relay>, request: Request) -> Response {
    let query = request.uri().query().unwrap_or("");
    let writing = matches!(
        request.method().as_str(),
        "POST" | "PUT" | "PATCH" | "DELETE"
    ) && !query.contains("dryRun=All")
        && !request.uri().path().ends_with("accessreviews");
    if writing && relay.writes.fetch_add(1, Ordering::SeqCst) + 1 == relay.dies_at {
        relay.death.notify_one();
        // Never answered: the task ends with the connection.
        std::future::pending::<()>().await;
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let mut forwarded = http::Request::builder()
        .method(parts.method)
        .uri(parts.uri.path_and_query().map_or("/", |p| p.as_str()));
    for (name, value) in &parts.headers {
        if name != http::header::HOST {
            forwarded = forwarded.header(name, value);
        }
    }
    let forwarded = forwarded
        .body(kube::client::Body::from(bytes.to_vec()))
        .unwrap();
    let answer = relay.demo.send(forwarded).await.expect("the demo answers");
    let (mut parts, body) = answer.into_parts();
    let bytes = body.collect_bytes().await.unwrap();
    // Sent whole, with its own length.
    parts.headers.remove(http::header::TRANSFER_ENCODING);
    parts.headers.remove(http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}
