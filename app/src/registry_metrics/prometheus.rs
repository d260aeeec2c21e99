//! The charts read from a Prometheus server's HTTP API (`/api/v1/query_range`), for clusters
//! whose monitoring already scrapes the registry: on OpenShift the Thanos Querier, which
//! takes the signed-in user's token and decides with the cluster's RBAC
//! (`cluster-monitoring-view`), so nothing here is shared between users.
//!
//! Each chart is a PromQL query per registry family (upstream `registry_*`, OpenShift
//! `imageregistry_*`), picked by which family Prometheus holds, as the direct scrape picks
//! it ([`super::charts::family_of`]). Rates use Grafana's `$__rate_interval` rule: the
//! larger of one step plus one scrape interval and four scrape intervals, so every window
//! holds enough samples.
//!
//! The requests go through kube-rs's client pointed at the Prometheus URL: the same TLS
//! stack, trust settings and bearer handling as the cluster's calls, no second HTTP client.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use serde::Deserialize;

use super::charts::{Chart, Lines, Missing, family_of};
use super::view::{Health, Moment};
use crate::cluster::Cluster;
use crate::session::Token;

/// What a query cannot give the page.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// Prometheus refused the user's token (401 or 403): the reason it gave.
    Denied(String),
    /// Anything else, for people.
    Failing(String),
}

/// A Prometheus server to read the registry's series from.
pub struct Prometheus {
    /// The server reached as the cluster is: a client per user's token, kept a while, no
    /// credentials of the console's own, fail-fast timeouts and no retries.
    server: Cluster,
    /// How often Prometheus scrapes the registry (OpenShift's monitoring: 30 s).
    scrape: Duration,
    /// The labels that pick the registry's series (`namespace="openshift-image-registry"`).
    selector: String,
}

/// How a query's series become a chart's line names.
#[derive(Clone, Copy)]
enum Name {
    /// One series, this line.
    Fixed(&'static str),
    /// `GET 2xx`: the method (upper case) and the status class.
    MethodClass,
    /// The value of this label.
    Label(&'static str),
}

/// One chart for one registry family: the family it needs and its queries.
struct Plan {
    family: &'static str,
    queries: Vec<(String, Name)>,
}

const UPSTREAM: usize = 0;
const OPENSHIFT: usize = 1;

impl Prometheus {
    /// A Prometheus at `url` (`https://thanos-querier.openshift-monitoring.svc:9091`, a
    /// route to it, or `http://127.0.0.1:9090`), trusting the `ca` certificates (DER)
    /// besides the system's roots when given.
    pub fn new(url: &str, ca: Option<Vec<Vec<u8>>>, scrape: Duration) -> anyhow::Result<Self> {
        use anyhow::Context;
        let cluster_url: http::Uri = url
            .parse()
            .with_context(|| format!("--prometheus-url {url:?} is not a URL"))?;
        if !matches!(cluster_url.scheme_str(), Some("http" | "https")) {
            anyhow::bail!("--prometheus-url {url:?} must start with https:// or http://");
        }
        let mut base = kube::Config::new(cluster_url);
        base.root_cert = ca;
        base.read_timeout = Some(Duration::from_secs(20));
        Ok(Self {
            server: Cluster::from_config(base),
            scrape: scrape.max(Duration::from_secs(1)),
            selector: format!(
                "namespace=\"{}\"",
                registry_model::names::REGISTRY_NAMESPACE
            ),
        })
    }

    /// The server's address, for the page's status line.
    pub fn url(&self) -> String {
        self.server.url()
    }

    fn client(&self, token: &Token) -> Result<kube::Client, Refusal> {
        self.server
            .client_for(token)
            .map_err(|e| Refusal::Failing(format!("Prometheus at {}: {e}", self.url())))
    }

    /// Every chart over the last `seconds`, at most `points` moments, read as the owner
    /// of `token`.
    pub async fn window(
        &self,
        token: &Token,
        seconds: u32,
        points: usize,
    ) -> Result<(Vec<Moment>, Health), Refusal> {
        let client = self.client(token)?;
        let end = now_seconds().floor();
        let start = end - f64::from(seconds);
        let step = (f64::from(seconds) / points.max(1) as f64).ceil().max(1.0);
        let scrape = self.scrape.as_secs_f64();
        let range = format!("{}s", (step + scrape).max(4.0 * scrape).ceil());
        let served = self.served(&client, end).await?;
        let plans: Vec<(Chart, Result<Plan, Missing>)> = Chart::ALL
            .iter()
            .map(|chart| {
                let [upstream, openshift] = plans(*chart, &self.selector, &range);
                let family = family_of(
                    |name| served.contains(name),
                    |prefix| served.iter().any(|n| n.starts_with(prefix)),
                    upstream.as_ref().map(|p| p.family),
                    openshift.as_ref().map(|p| p.family),
                );
                let plan = family.map(|f| {
                    [upstream, openshift]
                        .into_iter()
                        .flatten()
                        .find(|p| p.family == f)
                        .expect("the family is one of the plans'")
                });
                (*chart, plan)
            })
            .collect();
        let queries = plans
            .iter()
            .filter_map(|(chart, plan)| Some((chart, plan.as_ref().ok()?)))
            .flat_map(|(chart, plan)| plan.queries.iter().map(move |(q, name)| (*chart, q, *name)));
        let answers = futures::future::join_all(queries.map(|(chart, promql, name)| {
            let client = &client;
            async move {
                let series = self.range(client, promql, start, end, step).await?;
                Ok::<_, Refusal>((chart, name, series))
            }
        }))
        .await;
        // Each chart's lines at each instant (query_range aligns every query's samples to
        // start + k·step, so instants of different queries coincide).
        let mut at: BTreeMap<i64, HashMap<Chart, BTreeMap<String, f64>>> = BTreeMap::new();
        for answer in answers {
            let (chart, name, series) = answer?;
            for one in series {
                let Some(line) = line_name(name, &one.metric) else {
                    continue;
                };
                for (t, value) in one.values {
                    let Ok(v) = value.parse::<f64>() else {
                        continue;
                    };
                    if !v.is_finite() {
                        continue;
                    }
                    let lines = at
                        .entry((t * 1000.0).round() as i64)
                        .or_default()
                        .entry(chart)
                        .or_default();
                    *lines.entry(line.clone()).or_insert(0.0) += v;
                }
            }
        }
        let moments = at
            .into_iter()
            .map(|(ms, mut charts)| Moment {
                at: ms as f64 / 1000.0,
                charts: plans
                    .iter()
                    .map(|(chart, plan)| {
                        let lines: Lines = match plan {
                            Err(missing) => Err(*missing),
                            Ok(_) => match charts.remove(chart) {
                                Some(lines) if !lines.is_empty() => Ok(lines.into_iter().collect()),
                                _ => Err(Missing::NoTraffic),
                            },
                        };
                        (*chart, lines)
                    })
                    .collect(),
            })
            .collect();
        Ok((
            moments,
            Health::FromPrometheus {
                url: self.url(),
                step: step as u32,
            },
        ))
    }

    /// The registry's metric names Prometheus holds now.
    async fn served(&self, client: &kube::Client, at: f64) -> Result<BTreeSet<String>, Refusal> {
        let query = format!(
            "count by (__name__) ({{__name__=~\"(image)?registry_.+\",{}}})",
            self.selector
        );
        let path = format!("/api/v1/query?query={}&time={at}", encode(&query));
        let data: Data = self.get(client, &path).await?;
        Ok(data
            .result
            .into_iter()
            .filter_map(|s| s.metric.get("__name__").cloned())
            .collect())
    }

    async fn range(
        &self,
        client: &kube::Client,
        query: &str,
        start: f64,
        end: f64,
        step: f64,
    ) -> Result<Vec<Series>, Refusal> {
        let path = format!(
            "/api/v1/query_range?query={}&start={start}&end={end}&step={step}",
            encode(query)
        );
        Ok(self.get::<Data>(client, &path).await?.result)
    }

    async fn get<T: for<'de> Deserialize<'de>>(
        &self,
        client: &kube::Client,
        path: &str,
    ) -> Result<T, Refusal> {
        let request = http::Request::get(path)
            .body(Vec::new())
            .map_err(|e| Refusal::Failing(e.to_string()))?;
        let text = client.request_text(request).await.map_err(|e| {
            let url = self.url();
            match e {
                kube::Error::Api(status) if matches!(status.code, 401 | 403) => {
                    Refusal::Denied(format!(
                        "Prometheus at {url} answered {} {}.",
                        status.code,
                        reason_text(&status.message)
                    ))
                }
                kube::Error::Api(status) => Refusal::Failing(format!(
                    "Prometheus at {url} answered {}: {}",
                    status.code,
                    reason_text(&status.message)
                )),
                other => Refusal::Failing(format!("Prometheus at {url} did not answer ({other})")),
            }
        })?;
        let envelope: Envelope<T> = serde_json::from_str(&text).map_err(|e| {
            Refusal::Failing(format!(
                "Prometheus at {} answered something that is not its API's JSON ({e})",
                self.url()
            ))
        })?;
        match (envelope.status.as_str(), envelope.data) {
            ("success", Some(data)) => Ok(data),
            _ => Err(Refusal::Failing(format!(
                "Prometheus at {} refused the query: {}",
                self.url(),
                envelope.error.unwrap_or_else(|| "no reason given".into())
            ))),
        }
    }
}

/// The queries of `chart` for the upstream registry and for OpenShift's, where that family
/// has the chart's series.
fn plans(chart: Chart, sel: &str, range: &str) -> [Option<Plan>; 2] {
    let rate = |name: &str, extra: &str| format!("rate({name}{{{sel}{extra}}}[{range}])");
    let plan = |family: &'static str, queries: Vec<(String, Name)>| Some(Plan { family, queries });
    let quantiles = |name: &str, by: &str| -> Vec<(String, Name)> {
        [("0.5", "p50"), ("0.9", "p90"), ("0.99", "p99")]
            .into_iter()
            .map(|(q, line)| {
                (
                    format!(
                        "histogram_quantile({q}, sum by (le{by}) ({}))",
                        rate(name, "")
                    ),
                    Name::Fixed(line),
                )
            })
            .collect()
    };
    let summary =
        |name: &str, q: &str, by: &str| format!("max{by} ({name}{{{sel},quantile=\"{q}\"}})");
    let mut out = [None, None];
    match chart {
        Chart::Requests => {
            for (i, family) in [
                (UPSTREAM, "registry_http_requests_total"),
                (OPENSHIFT, "imageregistry_http_requests_total"),
            ] {
                out[i] = plan(
                    family,
                    vec![(
                        format!("sum by (method, code) ({})", rate(family, "")),
                        Name::MethodClass,
                    )],
                );
            }
        }
        Chart::Latency => {
            out[UPSTREAM] = plan(
                "registry_http_request_duration_seconds_bucket",
                quantiles("registry_http_request_duration_seconds_bucket", ""),
            );
            const OS: &str = "imageregistry_http_request_duration_seconds";
            out[OPENSHIFT] = plan(
                OS,
                [("0.5", "p50"), ("0.9", "p90"), ("0.99", "p99")]
                    .into_iter()
                    .map(|(q, line)| (summary(OS, q, ""), Name::Fixed(line)))
                    .collect(),
            );
        }
        Chart::InFlight => {
            for (i, family) in [
                (UPSTREAM, "registry_http_in_flight_requests"),
                (OPENSHIFT, "imageregistry_http_in_flight_requests"),
            ] {
                out[i] = plan(
                    family,
                    vec![(format!("sum({family}{{{sel}}})"), Name::Fixed("in flight"))],
                );
            }
        }
        Chart::Traffic => {
            for (i, prefix) in [(UPSTREAM, "registry"), (OPENSHIFT, "imageregistry")] {
                let received = format!("{prefix}_http_request_size_bytes_sum");
                let sent = format!("{prefix}_http_response_size_bytes_sum");
                out[i] = plan(
                    if i == UPSTREAM {
                        "registry_http_request_size_bytes_sum"
                    } else {
                        "imageregistry_http_request_size_bytes_sum"
                    },
                    vec![
                        (
                            format!("sum({})", rate(&received, "")),
                            Name::Fixed("received"),
                        ),
                        (format!("sum({})", rate(&sent, "")), Name::Fixed("sent")),
                    ],
                );
            }
        }
        Chart::StorageLatency => {
            out[UPSTREAM] = plan(
                "registry_storage_action_seconds_bucket",
                vec![(
                    format!(
                        "histogram_quantile(0.9, sum by (le, action) ({}))",
                        rate("registry_storage_action_seconds_bucket", "")
                    ),
                    Name::Label("action"),
                )],
            );
            const OS: &str = "imageregistry_storage_duration_seconds";
            out[OPENSHIFT] = plan(
                OS,
                vec![(
                    summary(OS, "0.9", " by (operation)"),
                    Name::Label("operation"),
                )],
            );
        }
        Chart::StorageErrors => {
            const OS: &str = "imageregistry_storage_errors_total";
            out[OPENSHIFT] = plan(
                OS,
                vec![(
                    format!("sum by (code) ({})", rate(OS, "")),
                    Name::Label("code"),
                )],
            );
        }
        Chart::CacheHits => {
            // Upstream counts requests and hits; OpenShift hits and misses.
            const UP: &str = "registry_storage_cache_total";
            out[UPSTREAM] = plan(
                UP,
                vec![(
                    format!(
                        "sum({}) / sum({})",
                        rate(UP, ",type=\"Hit\""),
                        rate(UP, ",type=\"Request\"")
                    ),
                    Name::Fixed("hit ratio"),
                )],
            );
            const OS: &str = "imageregistry_digest_cache_requests_total";
            out[OPENSHIFT] = plan(
                OS,
                vec![(
                    format!(
                        "sum({}) / sum({})",
                        rate(OS, ",type=\"Hit\""),
                        rate(OS, ",type=~\"Hit|Miss\"")
                    ),
                    Name::Fixed("hit ratio"),
                )],
            );
        }
        Chart::PushesPulls => {
            const UP: &str = "registry_http_requests_total";
            let up = |method: &str, code: &str| {
                format!(
                    "60 * sum({})",
                    rate(
                        UP,
                        &format!(",handler=\"manifest\",method=\"{method}\",code=\"{code}\"")
                    )
                )
            };
            out[UPSTREAM] = plan(
                UP,
                vec![
                    (up("put", "201"), Name::Fixed("pushes")),
                    (up("get", "200"), Name::Fixed("pulls")),
                ],
            );
            const OS: &str = "imageregistry_request_duration_seconds_count";
            let os = |operation: &str| {
                format!(
                    "60 * sum({})",
                    rate(OS, &format!(",operation=\"ManifestService.{operation}\""))
                )
            };
            out[OPENSHIFT] = plan(
                OS,
                vec![
                    (os("Put"), Name::Fixed("pushes")),
                    (os("Get"), Name::Fixed("pulls")),
                ],
            );
        }
    }
    out
}

fn line_name(name: Name, metric: &HashMap<String, String>) -> Option<String> {
    let label = |l: &str| metric.get(l).map(String::as_str).unwrap_or("");
    match name {
        Name::Fixed(line) => Some(line.to_owned()),
        Name::Label(l) => Some(label(l).to_owned()),
        Name::MethodClass => {
            let class = label("code").chars().next().unwrap_or('?');
            Some(format!("{} {class}xx", label("method").to_uppercase()))
        }
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    status: String,
    data: Option<T>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct Data {
    #[serde(default)]
    result: Vec<Series>,
}

/// One series of an instant (`value`) or range (`values`) answer.
#[derive(Deserialize)]
struct Series {
    #[serde(default)]
    metric: HashMap<String, String>,
    #[serde(default)]
    values: Vec<(f64, String)>,
}

/// Prometheus's own error text inside kube's report of an unparsed error body.
fn reason_text(message: &str) -> String {
    let raw = message.trim_matches('"').replace("\\\"", "\"");
    serde_json::from_str::<Envelope<serde_json::Value>>(&raw)
        .ok()
        .and_then(|e| e.error)
        .unwrap_or(raw)
}

/// A query string's value, percent-encoded.
fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn now_seconds() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_chart_has_a_query_for_the_families_that_report_it() {
        for chart in Chart::ALL {
            let [upstream, openshift] = plans(chart, "namespace=\"x\"", "40s");
            assert!(
                openshift.is_some(),
                "{chart:?}: OpenShift reports every chart"
            );
            assert_eq!(
                upstream.is_some(),
                chart != Chart::StorageErrors,
                "{chart:?}: upstream counts no storage errors"
            );
            for plan in [upstream, openshift].into_iter().flatten() {
                for (query, _) in &plan.queries {
                    assert!(query.contains("namespace=\"x\""), "{query}");
                    assert!(
                        !query.contains("rate(") || query.contains("[40s]"),
                        "{query}"
                    );
                }
            }
        }
    }

    #[test]
    fn line_names_match_the_direct_scrape() {
        let metric: HashMap<String, String> = [("method", "get"), ("code", "404")]
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        assert_eq!(line_name(Name::MethodClass, &metric).unwrap(), "GET 4xx");
        assert_eq!(line_name(Name::Label("code"), &metric).unwrap(), "404");
    }

    #[test]
    fn prometheus_errors_are_read_out_of_kube_reports() {
        let reported = r#""{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 3\"}""#;
        assert_eq!(reason_text(reported), "parse error at char 3");
        assert_eq!(reason_text("Forbidden"), "Forbidden");
    }

    #[test]
    fn an_address_without_a_scheme_is_refused_at_start() {
        let e = Prometheus::new("thanos:9091", None, Duration::from_secs(30))
            .err()
            .unwrap();
        assert!(e.to_string().contains("https://"), "{e}");
    }

    /// A real Prometheus (Debian's) is running on loopback until dropped.
    struct RealPrometheus {
        child: std::process::Child,
        url: String,
        _dir: tempfile::TempDir,
    }

    impl Drop for RealPrometheus {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// Debian's `prometheus`, scraping the demo's registry pods every second through the
    /// targets file the demo keeps; `None` (the test skips) when it is not installed,
    /// unless the test command requires it.
    fn start_prometheus(targets: &std::path::Path) -> Option<RealPrometheus> {
        let found = std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("prometheus").is_file()));
        if !found {
            assert!(
                std::env::var("PROMETHEUS_REQUIRED").is_err(),
                "prometheus is required (Debian's prometheus package)"
            );
            eprintln!("SKIPPED: prometheus is not installed");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global: {{scrape_interval: 1s, evaluation_interval: 1s}}\n\
                 scrape_configs:\n\
                 - job_name: image-registry\n  \
                   file_sd_configs: [{{files: ['{}'], refresh_interval: 1s}}]\n",
                targets.display()
            ),
        )
        .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("prometheus starts");
        Some(RealPrometheus {
            child,
            url: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        })
    }

    fn total(moment: &Moment, chart: Chart) -> Option<f64> {
        let (_, lines) = moment.charts.iter().find(|(c, _)| *c == chart)?;
        Some(lines.as_ref().ok()?.iter().map(|(_, v)| v).sum())
    }

    /// The same steady load, measured by the direct scrape and by a real Prometheus
    /// scraping the same registry process: the request rates agree within 20 % (the two
    /// windows are not the same instants, and Prometheus extrapolates to its window's
    /// edges as `rate` does).
    #[tokio::test(flavor = "multi_thread")]
    async fn prometheus_and_the_direct_scrape_see_the_same_request_rate() {
        let Some((tc, collector)) =
            crate::registry_metrics::collector::testing::scraping_demo().await
        else {
            return;
        };
        let Some(real) = start_prometheus(tc.cluster.prometheus_targets()) else {
            return;
        };
        // An image to ask about, then a steady ~20 requests per second.
        let (oci, image, auth) =
            crate::registry_metrics::collector::testing::pushed(&tc, "default/steady:1", 1024)
                .await;
        let load = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(50));
            loop {
                tick.tick().await;
                let _ = oci.fetch_manifest_digest(&image, &auth).await;
            }
        });

        let source = Prometheus::new(&real.url, None, Duration::from_secs(1)).unwrap();
        let token = Token::new(tc.cluster.token(demo_cluster::DemoUser::Admin));
        // Prometheus's first samples come 5 to 10 s after it starts: wait for the rate.
        let mut seen = false;
        for _ in 0..60 {
            if let Ok((moments, _)) = source.window(&token, 300, 240).await
                && moments
                    .iter()
                    .any(|m| total(m, Chart::Requests).is_some_and(|v| v > 0.0))
            {
                seen = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        assert!(seen, "Prometheus never showed a request rate");
        // Both measure the next ten seconds.
        collector.scrape_once().await;
        let from = now_seconds();
        tokio::time::sleep(Duration::from_secs(10)).await;
        collector.scrape_once().await;
        let to = now_seconds();
        // Prometheus's last sample of the window must be scraped before it is asked.
        tokio::time::sleep(Duration::from_secs(2)).await;
        load.abort();

        let (direct, _) = collector.window(60.0, 0);
        let direct = total(direct.last().unwrap(), Chart::Requests).unwrap();
        let (moments, health) = source.window(&token, 300, 240).await.unwrap();
        assert!(
            matches!(health, Health::FromPrometheus { step: 2, .. }),
            "{health:?}"
        );
        let within: Vec<f64> = moments
            .iter()
            .filter(|m| m.at >= from + 4.0 && m.at <= to)
            .filter_map(|m| total(m, Chart::Requests))
            .collect();
        assert!(within.len() >= 2, "{within:?}");
        let prometheus = within.iter().sum::<f64>() / within.len() as f64;
        assert!(direct > 5.0, "the load ran: {direct} requests/s");
        let difference = (prometheus - direct).abs() / direct;
        eprintln!(
            "direct {direct:.2}/s, Prometheus {prometheus:.2}/s over {} points",
            within.len()
        );
        assert!(
            difference <= 0.2,
            "direct {direct:.2}/s, Prometheus {prometheus:.2}/s: {:.0} % apart",
            difference * 100.0
        );
        // The other charts come from the same families the direct scrape reads.
        let last = moments.last().unwrap();
        assert!(total(last, Chart::Latency).is_some(), "{last:?}");
        let storage_errors = last.charts.iter().find(|(c, _)| *c == Chart::StorageErrors);
        assert_eq!(storage_errors.unwrap().1, Err(Missing::NotServed));
    }

    /// A token Prometheus (or the Thanos Querier's proxy in front of it) refuses: the
    /// page's denial with the reason, not an error. The server here is a stand-in for
    /// kube-rbac-proxy's answer (a test double: no Thanos runs here).
    #[tokio::test]
    async fn a_refused_token_is_a_denial_with_the_reason() {
        use axum::http::StatusCode;
        let app = axum::Router::new().fallback(|| async {
            (
                StatusCode::FORBIDDEN,
                "Forbidden (user=developer, verb=get, resource=namespaces, subresource=)",
            )
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        let source =
            Prometheus::new(&format!("http://{addr}"), None, Duration::from_secs(30)).unwrap();
        let refusal = source
            .window(&Token::new("sha256~x"), 300, 240)
            .await
            .err()
            .unwrap();
        match refusal {
            Refusal::Denied(why) => assert!(
                why.contains("403") && why.contains("user=developer"),
                "{why}"
            ),
            other => panic!("{other:?}"),
        }
    }
}
