//! Scrapes every registry pod's metrics, as the cluster's Prometheus scrapes them, and
//! keeps what the charts need: each chart's lines at every scrape for the last hour, and
//! one-minute averages for a day. One collector for the whole console, scraping with its
//! own identity; a user reads from it only after the cluster said that user may read the
//! metrics themselves (the caller checks: [`Collector::access`]).
//!
//! Two ways in. Through the API server (`pods/NAME:PORT/proxy`): the upstream registry's
//! open `/metrics`; the API server strips every `Authorization` header it authenticated,
//! so nothing behind that proxy can be asked for credentials. And, when the console runs
//! in the cluster's network and is given credentials ([`Direct`]), each pod's own address
//! (`https://POD_IP:5000/extensions/v2/metrics`, the OpenShift registry's endpoint) with a
//! token allowed `get registry/metrics` or the metrics secret of guide 5.5.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::charts::Chart;
use super::compute::{Scrape, compute};
use super::exposition::parse;
pub use super::view::{Health, Moment};
use k8s_openapi::api::authorization::v1::ResourceAttributes;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams};
use registry_model::names::REGISTRY_NAMESPACE;

/// How often every pod is scraped.
pub const INTERVAL: Duration = Duration::from_secs(10);
/// Scrapes kept at full resolution: an hour.
pub const FINE: usize = 360;
/// One-minute averages kept: a day.
pub const COARSE: usize = 1440;

/// Where a registry pod serves its metrics, tried in this order: upstream distribution's
/// debug address, then the OpenShift registry's extension path on its API port.
const ENDPOINTS: [(&str, &str); 2] = [
    ("5001", "metrics"),
    ("https:{}:5000", "extensions/v2/metrics"),
];

#[derive(Default)]
struct State {
    last: HashMap<String, Scrape>,
    fine: VecDeque<Moment>,
    coarse: VecDeque<Moment>,
    /// Moments of the minute being averaged.
    minute: Vec<Moment>,
    health: Option<Health>,
}

/// How the collector reaches OpenShift's metrics endpoint on each pod's own address.
pub struct Direct {
    credentials: Credentials,
    /// The CA that signed the registry's serving certificate (OpenShift: the service CA).
    ca: Option<Vec<Vec<u8>>>,
    /// Clients per pod address, each aimed at one pod.
    clients: Mutex<HashMap<String, kube::Client>>,
}

/// What the registry's metrics endpoint accepts.
pub enum Credentials {
    /// A token whose owner may `get registry/metrics` (`image.openshift.io`).
    Bearer(String),
    /// The registry's metrics secret, with any user name (guide 5.5's `curl -u`).
    Basic { user: String, secret: String },
}

impl Credentials {
    /// A credentials file's text: `USER:SECRET` for the metrics secret, else a token.
    pub fn read(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("the file is empty: it should hold a token, or USER:SECRET".into());
        }
        Ok(match text.split_once(':') {
            Some((user, secret)) => Credentials::Basic {
                user: user.into(),
                secret: secret.into(),
            },
            None => Credentials::Bearer(text.into()),
        })
    }
}

/// The name the OpenShift registry's serving certificate is made for: pods are reached by
/// address, the certificate is checked against the Service's name, as Prometheus's
/// ServiceMonitor for the registry does.
const SERVICE_NAME: &str = "image-registry.openshift-image-registry.svc";

impl Direct {
    pub fn new(credentials: Credentials, ca: Option<Vec<Vec<u8>>>) -> Self {
        Direct {
            credentials,
            ca,
            clients: Mutex::default(),
        }
    }

    fn client(&self, address: &str) -> Result<kube::Client, String> {
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(client) = clients.get(address) {
            return Ok(client.clone());
        }
        let url = format!("https://{address}")
            .parse()
            .map_err(|e| format!("{address} is not an address to reach a pod at ({e})"))?;
        let mut config = kube::Config::new(url);
        config.root_cert = self.ca.clone();
        config.tls_server_name = Some(SERVICE_NAME.into());
        config.connect_timeout = Some(Duration::from_secs(3));
        config.read_timeout = Some(Duration::from_secs(10));
        // A pod that does not answer is reported at this scrape, not retried into the next.
        config.default_retry = false;
        config.auth_info = match &self.credentials {
            Credentials::Bearer(token) => kube::config::AuthInfo {
                token: Some(token.clone().into()),
                ..Default::default()
            },
            Credentials::Basic { user, secret } => kube::config::AuthInfo {
                username: Some(user.clone()),
                password: Some(secret.clone().into()),
                ..Default::default()
            },
        };
        let client = kube::Client::try_from(config).map_err(|e| e.to_string())?;
        // Pods come and go with new addresses: keep only a bounded set.
        if clients.len() >= 64 {
            clients.clear();
        }
        clients.insert(address.to_owned(), client.clone());
        Ok(client)
    }
}

/// The console's collector of registry metrics.
#[derive(Clone)]
pub struct Collector {
    client: kube::Client,
    direct: Option<Arc<Direct>>,
    state: Arc<Mutex<State>>,
    /// Counts finished scrapes, so live pages hear of each one.
    scraped: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Collector {
    pub fn new(client: kube::Client) -> Self {
        Collector {
            client,
            direct: None,
            state: Arc::default(),
            scraped: Arc::new(tokio::sync::watch::channel(0).0),
        }
    }

    /// Scrapes OpenShift's endpoint on each pod's own address with these credentials
    /// first (the console runs in the cluster's network).
    pub fn with_direct(mut self, direct: Direct) -> Self {
        self.direct = Some(Arc::new(direct));
        self
    }

    /// Whether it scrapes each pod's own address with credentials.
    pub fn is_direct(&self) -> bool {
        self.direct.is_some()
    }

    /// What a user must be allowed to read the collector's data: what the collector's own
    /// way in asks of its identity. Through the API: `get pods/proxy` in the registry's
    /// namespace. Directly: `get registry/metrics`, what the registry itself demands.
    pub fn access(&self) -> ResourceAttributes {
        if self.direct.is_some() {
            return ResourceAttributes {
                verb: Some("get".into()),
                group: Some("image.openshift.io".into()),
                resource: Some("registry".into()),
                subresource: Some("metrics".into()),
                ..Default::default()
            };
        }
        ResourceAttributes {
            verb: Some("get".into()),
            resource: Some("pods".into()),
            subresource: Some("proxy".into()),
            namespace: Some(REGISTRY_NAMESPACE.into()),
            ..Default::default()
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Scrapes until the process ends.
    pub async fn run(self) {
        loop {
            self.scrape_once().await;
            self.scraped.send_modify(|n| *n += 1);
            tokio::time::sleep(INTERVAL).await;
        }
    }

    /// Changes after every scrape the loop of [`Collector::run`] finishes.
    pub fn scrapes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.scraped.subscribe()
    }

    /// Scrapes every running registry pod once and records the charts' lines.
    pub async fn scrape_once(&self) {
        let now = now_seconds();
        let pods: Api<Pod> = Api::namespaced(self.client.clone(), REGISTRY_NAMESPACE);
        let listed = match pods
            .list(&ListParams::default().labels("docker-registry=default"))
            .await
        {
            Ok(list) => list.items,
            Err(e) => {
                self.state().health = Some(Health::Failing(format!(
                    "the registry's pods cannot be listed: {e}"
                )));
                return;
            }
        };
        let running: Vec<&Pod> = listed
            .iter()
            .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
            .filter(|p| p.metadata.name.is_some())
            .collect();
        if running.is_empty() {
            let mut state = self.state();
            state.health = Some(Health::NoPods);
            state.last.clear();
            return;
        }
        let mut scraped: HashMap<String, Scrape> = HashMap::new();
        let mut problem = None;
        for pod in running {
            let name = pod.metadata.name.clone().unwrap_or_default();
            match self.scrape_pod(pod).await {
                Ok(series) => {
                    scraped.insert(name, Scrape { at: now, series });
                }
                Err(why) => problem = Some(why),
            }
        }
        let mut state = self.state();
        let pairs: Vec<(&Scrape, &Scrape)> = scraped
            .iter()
            .filter_map(|(pod, now)| Some((state.last.get(pod)?, now)))
            .collect();
        if !pairs.is_empty() {
            let moment = Moment {
                at: now,
                charts: Chart::ALL
                    .iter()
                    .map(|c| (*c, compute(*c, &pairs)))
                    .collect(),
            };
            state.record(moment);
        }
        state.health = Some(match problem {
            Some(why) if scraped.is_empty() => Health::Failing(why),
            _ => Health::Scraping {
                pods: scraped.len(),
            },
        });
        state.last = scraped;
    }

    /// One pod's metrics, from the first way in that answers: the pod's own address with
    /// credentials (when given), then the API server's proxy.
    async fn scrape_pod(
        &self,
        pod: &Pod,
    ) -> Result<HashMap<super::exposition::SeriesKey, super::exposition::Reading>, String> {
        let name = pod.metadata.name.as_deref().unwrap_or_default();
        let mut why = String::new();
        if let Some(direct) = &self.direct {
            match direct_address(pod) {
                Some(address) => {
                    let answer = async {
                        let client = direct.client(&address)?;
                        let request = http::Request::get("/extensions/v2/metrics")
                            .body(Vec::new())
                            .map_err(|e| e.to_string())?;
                        client
                            .request_text(request)
                            .await
                            .map_err(|e| e.to_string())
                    };
                    match answer.await {
                        Ok(text) => return parse(&text).map_err(|e| format!("pod {name}: {e}")),
                        Err(e) => {
                            why = format!(
                                "pod {name} at https://{address}/extensions/v2/metrics: {e}"
                            )
                        }
                    }
                }
                None => why = format!("pod {name} has no address yet"),
            }
        }
        for (port, path) in ENDPOINTS {
            let target = if port.contains("{}") {
                port.replace("{}", name)
            } else {
                format!("{name}:{port}")
            };
            let request = http::Request::get(format!(
                "/api/v1/namespaces/{REGISTRY_NAMESPACE}/pods/{target}/proxy/{path}"
            ))
            .body(Vec::new())
            .map_err(|e| e.to_string())?;
            match self.client.request_text(request).await {
                Ok(text) => return parse(&text).map_err(|e| format!("pod {name}: {e}")),
                Err(e) if why.is_empty() => {
                    why = format!("pod {name} serves no metrics the console can read ({e})")
                }
                Err(_) => {}
            }
        }
        Err(why)
    }

    /// Keeps one moment: in the hour at full resolution, and in the minute being averaged
    /// for the day (the scrape loop's own step, public for the memory benchmark).
    pub fn record(&self, moment: Moment) {
        self.state().record(moment);
    }

    /// The moments within the last `seconds`, at most `points` of them (averaged when the
    /// window holds more), and the collector's health.
    pub fn window(&self, seconds: f64, points: usize) -> (Vec<Moment>, Health) {
        let state = self.state();
        let since = now_seconds() - seconds;
        let source = if seconds <= (FINE as f64) * INTERVAL.as_secs_f64() {
            &state.fine
        } else {
            &state.coarse
        };
        let moments: Vec<Moment> = source.iter().filter(|m| m.at >= since).cloned().collect();
        let health = state.health.clone().unwrap_or(Health::Starting);
        (downsample(moments, points), health)
    }
}

/// `IP:PORT` of a pod's registry API: its address and the registry container's declared
/// port (5000 unless it says otherwise), as the Service's endpoints list it.
fn direct_address(pod: &Pod) -> Option<String> {
    let ip = pod.status.as_ref()?.pod_ip.as_deref()?;
    let port = pod
        .spec
        .as_ref()
        .and_then(|s| s.containers.first())
        .and_then(|c| c.ports.as_ref())
        .and_then(|ports| ports.first())
        .map_or(5000, |p| p.container_port);
    Some(if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    })
}

impl State {
    fn record(&mut self, moment: Moment) {
        let minute = (moment.at / 60.0).floor();
        if self
            .minute
            .first()
            .is_some_and(|m| (m.at / 60.0).floor() != minute)
        {
            let done = std::mem::take(&mut self.minute);
            if let Some(avg) = average(&done) {
                self.coarse.push_back(avg);
                while self.coarse.len() > COARSE {
                    self.coarse.pop_front();
                }
            }
        }
        self.minute.push(moment.clone());
        self.fine.push_back(moment);
        while self.fine.len() > FINE {
            self.fine.pop_front();
        }
    }
}

/// The average of several moments: each line's mean over the moments that have it, at the
/// last moment's time; a chart none of them could draw keeps the last reason.
fn average(moments: &[Moment]) -> Option<Moment> {
    let last = moments.last()?;
    let charts = last
        .charts
        .iter()
        .map(|(chart, last_lines)| {
            let mut sums: Vec<(String, f64, usize)> = Vec::new();
            for m in moments {
                let Some((_, Ok(lines))) = m.charts.iter().find(|(c, _)| c == chart) else {
                    continue;
                };
                for (name, v) in lines {
                    match sums.iter_mut().find(|(n, _, _)| n == name) {
                        Some(entry) => {
                            entry.1 += v;
                            entry.2 += 1;
                        }
                        None => sums.push((name.clone(), *v, 1)),
                    }
                }
            }
            let lines = if sums.is_empty() {
                last_lines.clone()
            } else {
                Ok(sums
                    .into_iter()
                    .map(|(n, s, k)| (n, s / k as f64))
                    .collect())
            };
            (*chart, lines)
        })
        .collect();
    Some(Moment {
        at: last.at,
        charts,
    })
}

/// At most `points` moments: consecutive runs averaged.
fn downsample(moments: Vec<Moment>, points: usize) -> Vec<Moment> {
    if points == 0 || moments.len() <= points {
        return moments;
    }
    let per = moments.len().div_ceil(points);
    moments.chunks(per).filter_map(average).collect()
}

fn now_seconds() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// The demo with a scraped real registry, for the tests of this module and the
/// Prometheus source's.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// For tests: the demo cluster with a Managed registry whose pod is ready, and a collector
    /// that has scraped it; `None` (the test skips) without Debian's docker-registry, unless
    /// the test command requires it.
    pub(crate) async fn scraping_demo()
    -> Option<(crate::cluster::test_cluster::TestCluster, Collector)> {
        let found = std::env::var_os("PATH").is_some_and(|p| {
            std::env::split_paths(&p).any(|d| d.join("docker-registry").is_file())
        });
        if !found {
            assert!(
                std::env::var("REGISTRY_REQUIRED").is_err(),
                "docker-registry is required"
            );
            eprintln!("SKIPPED: docker-registry is not installed");
            return None;
        }
        let tc = crate::cluster::test_cluster::TestCluster::start().await;
        tc.kubectl(
            &["patch", "configs.imageregistry.operator.openshift.io/cluster", "--type=merge", "-p",
              r#"{"spec":{"managementState":"Managed","defaultRoute":true,"storage":{"emptyDir":{}}}}"#],
            None,
        )
        .await
        .unwrap();
        let collector = Collector::new(tc.cluster.client(demo_cluster::DemoUser::Admin).await);
        // Scraped once a pod is ready: the first scrape has nothing to compare with.
        for _ in 0..100 {
            collector.scrape_once().await;
            if matches!(collector.window(3600.0, 0).1, Health::Scraping { pods: 1 }) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        assert_eq!(collector.window(3600.0, 0).1, Health::Scraping { pods: 1 });
        Some((tc, collector))
    }

    /// For tests: an image of `size` bytes pushed as admin to `repository:tag` through the
    /// demo's route, and the client, reference and credentials to ask for it again.
    pub(crate) async fn pushed(
        tc: &crate::cluster::test_cluster::TestCluster,
        image: &str,
        size: usize,
    ) -> (
        oci_client::Client,
        oci_client::Reference,
        oci_client::secrets::RegistryAuth,
    ) {
        let oci = demo_cluster::registry::traffic::client(tc.cluster.ca_pem());
        let reference: oci_client::Reference = format!("{}/{image}", tc.cluster.registry_addr())
            .parse()
            .unwrap();
        let auth = oci_client::secrets::RegistryAuth::Basic(
            "admin".into(),
            tc.cluster.token(demo_cluster::DemoUser::Admin).into(),
        );
        let (layers, config) = demo_cluster::registry::traffic::image(size);
        oci.push(&reference, &layers, config, &auth, None)
            .await
            .unwrap();
        (oci, reference, auth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry_metrics::charts::Missing;

    fn moment(at: f64, requests: f64) -> Moment {
        Moment {
            at,
            charts: vec![
                (Chart::Requests, Ok(vec![("GET 2xx".into(), requests)])),
                (Chart::StorageErrors, Err(Missing::NotServed)),
            ],
        }
    }

    #[test]
    fn the_hour_is_kept_whole_and_the_day_as_minute_averages() {
        let mut state = State::default();
        for i in 0..(FINE + 30) {
            state.record(moment(i as f64 * 10.0, i as f64));
        }
        assert_eq!(state.fine.len(), FINE, "bounded");
        assert_eq!(
            state.coarse.len(),
            (FINE + 30) / 6 - 1,
            "one per finished minute"
        );
        let first = &state.coarse[0];
        assert_eq!(
            first.charts[0].1,
            Ok(vec![("GET 2xx".into(), 2.5)]),
            "the mean of 0..=5"
        );
        assert_eq!(
            first.charts[1].1,
            Err(Missing::NotServed),
            "the reason kept, no zero line"
        );
    }

    #[test]
    fn long_windows_are_averaged_down_to_the_points_asked_for() {
        let moments: Vec<Moment> = (0..100).map(|i| moment(i as f64, 1.0)).collect();
        let down = downsample(moments, 30);
        assert!(down.len() <= 30 && down.len() >= 25, "{}", down.len());
        assert!(
            down.iter()
                .all(|m| m.charts[0].1 == Ok(vec![("GET 2xx".into(), 1.0)]))
        );
    }

    /// The real registry in the demo: a push through the route shows in the collector's
    /// charts as a push and as PUT requests.
    #[tokio::test(flavor = "multi_thread")]
    async fn a_push_to_the_demo_registry_shows_in_the_charts() {
        let Some((tc, collector)) = testing::scraping_demo().await else {
            return;
        };
        testing::pushed(&tc, "default/charted:1", 4096).await;
        collector.scrape_once().await;
        let (moments, _) = collector.window(3600.0, 0);
        let last = moments.last().expect("a moment after two scrapes");
        let lines = |chart: Chart| {
            last.charts
                .iter()
                .find(|(c, _)| *c == chart)
                .unwrap()
                .1
                .clone()
        };
        let pushes = lines(Chart::PushesPulls).unwrap();
        assert!(
            pushes.iter().any(|(n, v)| n == "pushes" && *v > 0.0),
            "{pushes:?}"
        );
        let requests = lines(Chart::Requests).unwrap();
        assert!(
            requests.iter().any(|(n, v)| n == "PUT 2xx" && *v > 0.0),
            "{requests:?}"
        );
        assert_eq!(lines(Chart::StorageErrors), Err(Missing::NotServed));
    }

    /// A stand-in for the OpenShift registry's metrics endpoint (a test double: OpenShift's
    /// registry does not run here): HTTPS with a certificate for the Service's name, signed
    /// by its own CA, `imageregistry_*` text for the right bearer token (the request
    /// counter rising by 10 per scrape), 401 otherwise. Returns its port and its CA.
    async fn openshift_registry_stand_in(token: &'static str) -> (u16, Vec<u8>) {
        use axum::http::{HeaderMap, StatusCode};
        use hyper_util::rt::{TokioExecutor, TokioIo};
        use hyper_util::service::TowerToHyperService;
        use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
        use std::sync::atomic::{AtomicU64, Ordering};
        use tokio_rustls::rustls;

        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let key = KeyPair::generate().unwrap();
        let cert = CertificateParams::new(vec![SERVICE_NAME.to_string()])
            .unwrap()
            .signed_by(&key, &ca, &ca_key)
            .unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![cert.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
            )
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));

        let served = Arc::new(AtomicU64::new(0));
        let app = axum::Router::new().route(
            "/extensions/v2/metrics",
            axum::routing::get(move |headers: HeaderMap| {
                let served = served.clone();
                async move {
                    let bearer = format!("Bearer {token}");
                    if headers.get("authorization").and_then(|v| v.to_str().ok())
                        != Some(bearer.as_str())
                    {
                        return (StatusCode::UNAUTHORIZED, "unauthorized".to_string());
                    }
                    let n = served.fetch_add(10, Ordering::Relaxed) + 10;
                    (
                        StatusCode::OK,
                        format!(
                            "# TYPE imageregistry_http_requests_total counter\n\
                             imageregistry_http_requests_total{{code=\"200\",method=\"get\"}} {n}\n\
                             # TYPE imageregistry_http_request_duration_seconds summary\n\
                             imageregistry_http_request_duration_seconds{{method=\"get\",quantile=\"0.5\"}} 0.004\n\
                             imageregistry_http_request_duration_seconds_sum{{method=\"get\"}} 1\n\
                             imageregistry_http_request_duration_seconds_count{{method=\"get\"}} {n}\n"
                        ),
                    )
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, app) = (acceptor.clone(), app.clone());
                tokio::spawn(async move {
                    if let Ok(tls) = acceptor.accept(tcp).await {
                        let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                            .serve_connection(TokioIo::new(tls), TowerToHyperService::new(app))
                            .await;
                    }
                });
            }
        });
        (port, ca.der().to_vec())
    }

    /// A running registry pod whose address is 127.0.0.1 and whose registry container
    /// declares `port`, as the kubelet would report it.
    async fn pod_at(tc: &crate::cluster::test_cluster::TestCluster, port: u16) {
        use kube::api::{Patch, PatchParams, PostParams};
        let pods: Api<Pod> = Api::namespaced(
            tc.client(demo_cluster::DemoUser::Admin).await,
            REGISTRY_NAMESPACE,
        );
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "image-registry-direct", "labels": {"docker-registry": "default"}},
            "spec": {"containers": [{"name": "registry", "image": "registry",
                                     "ports": [{"containerPort": port, "protocol": "TCP"}]}]}
        }))
        .unwrap();
        pods.create(&PostParams::default(), &pod).await.unwrap();
        let status = serde_json::json!({"status": {"phase": "Running", "podIP": "127.0.0.1"}});
        pods.patch_status(
            "image-registry-direct",
            &PatchParams::default(),
            &Patch::Merge(status),
        )
        .await
        .unwrap();
    }

    /// OpenShift's endpoint on the pod's own address, with credentials the API server's
    /// proxy could not carry: the token is sent, the certificate is checked against the
    /// Service's name, the summaries fill the charts, and users need `get registry/metrics`.
    /// The refused scrapes also fall back to the API's proxy, which answers 503 for this
    /// pod: said at once, not retried for minutes (kube-rs's default, turned off).
    #[tokio::test(flavor = "multi_thread")]
    async fn openshift_metrics_are_scraped_on_the_pods_address_with_credentials() {
        let (port, ca) = openshift_registry_stand_in("metrics-token").await;
        let tc = crate::cluster::test_cluster::TestCluster::start_quiet().await;
        pod_at(&tc, port).await;
        // The console's own client, as the collector gets it (no retries of a 503).
        let client = tc.console(false).await.cluster.own_client().unwrap();

        let refused = Collector::new(client.clone()).with_direct(Direct::new(
            Credentials::Bearer("wrong".into()),
            Some(vec![ca.clone()]),
        ));
        refused.scrape_once().await;
        match refused.window(3600.0, 0).1 {
            Health::Failing(why) => assert!(
                why.contains("401") && why.contains(&format!("127.0.0.1:{port}")),
                "{why}"
            ),
            other => panic!("{other:?}"),
        }

        let untrusted = Collector::new(client.clone()).with_direct(Direct::new(
            Credentials::Bearer("metrics-token".into()),
            None,
        ));
        untrusted.scrape_once().await;
        assert!(
            matches!(untrusted.window(3600.0, 0).1, Health::Failing(_)),
            "a certificate from an unknown CA is refused"
        );

        let collector = Collector::new(client).with_direct(Direct::new(
            Credentials::read("metrics-token\n").unwrap(),
            Some(vec![ca]),
        ));
        assert_eq!(collector.access().resource.as_deref(), Some("registry"));
        assert_eq!(collector.access().subresource.as_deref(), Some("metrics"));
        collector.scrape_once().await;
        tokio::time::sleep(Duration::from_millis(1100)).await;
        collector.scrape_once().await;
        let (moments, health) = collector.window(3600.0, 0);
        assert_eq!(health, Health::Scraping { pods: 1 });
        let requests = &moments.last().unwrap().charts[0];
        assert_eq!(requests.0, Chart::Requests);
        let lines = requests.1.as_ref().unwrap();
        assert_eq!(lines[0].0, "GET 2xx");
        assert!(lines[0].1 > 5.0 && lines[0].1 <= 10.0, "{lines:?}");
    }

    #[test]
    fn a_credentials_file_is_a_token_or_the_metrics_secret() {
        assert!(
            matches!(Credentials::read(" sha256~abc \n"), Ok(Credentials::Bearer(t)) if t == "sha256~abc")
        );
        assert!(matches!(
            Credentials::read("prometheus:s3cret"),
            Ok(Credentials::Basic { user, secret }) if user == "prometheus" && secret == "s3cret"
        ));
        assert!(matches!(Credentials::read("\n"), Err(e) if e.contains("empty")));
    }
}
