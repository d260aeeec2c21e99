//! Scrapes every registry pod's metrics through the API server (`pods/NAME:PORT/proxy`),
//! as the cluster's Prometheus scrapes them, and keeps what the charts need: each chart's
//! lines at every scrape for the last hour, and one-minute averages for a day. One
//! collector for the whole console, scraping with its own identity; a user reads from it
//! only after the cluster said that user may read the pods' metrics themselves (the
//! caller checks: [`Collector::access`]).

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

/// The console's collector of registry metrics.
#[derive(Clone)]
pub struct Collector {
    client: kube::Client,
    state: Arc<Mutex<State>>,
    /// Counts finished scrapes, so live pages hear of each one.
    scraped: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Collector {
    pub fn new(client: kube::Client) -> Self {
        Collector {
            client,
            state: Arc::default(),
            scraped: Arc::new(tokio::sync::watch::channel(0).0),
        }
    }

    /// What a user must be allowed to read the collector's data: the pods' metrics through
    /// the API, as the collector reads them.
    pub fn access() -> ResourceAttributes {
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
        let running: Vec<String> = listed
            .iter()
            .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
            .filter_map(|p| p.metadata.name.clone())
            .collect();
        if running.is_empty() {
            let mut state = self.state();
            state.health = Some(Health::NoPods);
            state.last.clear();
            return;
        }
        let mut scraped: HashMap<String, Scrape> = HashMap::new();
        let mut problem = None;
        for pod in &running {
            match self.scrape_pod(pod).await {
                Ok(series) => {
                    scraped.insert(pod.clone(), Scrape { at: now, series });
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

    /// One pod's metrics, from the first endpoint that answers.
    async fn scrape_pod(
        &self,
        pod: &str,
    ) -> Result<HashMap<super::exposition::SeriesKey, super::exposition::Reading>, String> {
        let mut why = String::new();
        for (port, path) in ENDPOINTS {
            let target = if port.contains("{}") {
                port.replace("{}", pod)
            } else {
                format!("{pod}:{port}")
            };
            let request = http::Request::get(format!(
                "/api/v1/namespaces/{REGISTRY_NAMESPACE}/pods/{target}/proxy/{path}"
            ))
            .body(Vec::new())
            .map_err(|e| e.to_string())?;
            match self.client.request_text(request).await {
                Ok(text) => return parse(&text).map_err(|e| format!("pod {pod}: {e}")),
                Err(e) => why = format!("pod {pod} serves no metrics the console can read ({e})"),
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
}
