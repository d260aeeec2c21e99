//! A chart's lines from two scrapes of every registry pod: rates from counters (summed over
//! pods), quantiles from the histogram buckets all pods gained (upstream) or from the
//! summaries the processes computed (OpenShift: the slowest series, since summary quantiles
//! cannot be added), gauges summed.

use std::collections::{BTreeMap, HashMap};

use super::charts::{Chart, Lines, Missing, family_of};
use super::exposition::{Reading, SeriesKey};
use super::rates::{add_buckets, bucket_increase, histogram_quantile, increase};

/// One scrape of one pod: when (seconds since the epoch) and what it read.
#[derive(Clone, Debug, Default)]
pub struct Scrape {
    pub at: f64,
    pub series: HashMap<SeriesKey, Reading>,
}

/// The scrape before and the scrape now, of one pod.
pub type Pair<'a> = (&'a Scrape, &'a Scrape);

/// The quantiles the latency charts draw.
const QUANTILES: [(f64, &str); 3] = [(0.5, "p50"), (0.9, "p90"), (0.99, "p99")];

fn served(pairs: &[Pair], name: &str) -> bool {
    pairs
        .iter()
        .any(|(_, now)| now.series.keys().any(|k| k.name == name))
}

/// The family a chart reads, by the names the pods serve now ([`family_of`]).
fn family<'a>(
    pairs: &[Pair],
    upstream: Option<&'a str>,
    openshift: Option<&'a str>,
) -> Result<&'a str, Missing> {
    family_of(
        |name| served(pairs, name),
        |prefix| {
            pairs
                .iter()
                .any(|(_, now)| now.series.keys().any(|k| k.name.starts_with(prefix)))
        },
        upstream,
        openshift,
    )
}

/// Per-second increases of a counter family, summed into groups (`None` leaves a series out).
fn counter_rates(
    pairs: &[Pair],
    name: &str,
    group: impl Fn(&SeriesKey) -> Option<String>,
) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for (before, now) in pairs {
        let dt = now.at - before.at;
        if dt <= 0.0 {
            continue;
        }
        for (key, reading) in now.series.iter().filter(|(k, _)| k.name == name) {
            let Some(g) = group(key) else { continue };
            let value = match reading {
                Reading::Counter(v) | Reading::Gauge(v) => *v,
                Reading::Histogram { count, .. } | Reading::Summary { count, .. } => *count,
            };
            let old = match before.series.get(key) {
                Some(Reading::Counter(v) | Reading::Gauge(v)) => *v,
                Some(Reading::Histogram { count, .. } | Reading::Summary { count, .. }) => *count,
                None => 0.0,
            };
            *out.entry(g).or_insert(0.0) += increase(old, value) / dt;
        }
    }
    out
}

/// Per-second increases of the `_sum` of a histogram or summary family (bytes moved).
fn sum_rate(pairs: &[Pair], name: &str) -> f64 {
    let mut total = 0.0;
    for (before, now) in pairs {
        let dt = now.at - before.at;
        if dt <= 0.0 {
            continue;
        }
        for (key, reading) in now.series.iter().filter(|(k, _)| k.name == name) {
            let sum_of = |r: &Reading| match r {
                Reading::Histogram { sum, count, .. } | Reading::Summary { sum, count, .. } => {
                    (*sum, *count)
                }
                _ => (0.0, 0.0),
            };
            let (sum, count) = sum_of(reading);
            let (old_sum, old_count) = before.series.get(key).map_or((0.0, 0.0), sum_of);
            total += if count < old_count {
                sum
            } else {
                (sum - old_sum).max(0.0)
            } / dt;
        }
    }
    total
}

/// The buckets a histogram family gained, summed into groups over series and pods.
fn gained_buckets(
    pairs: &[Pair],
    name: &str,
    group: impl Fn(&SeriesKey) -> String,
) -> BTreeMap<String, Vec<(f64, f64)>> {
    let mut out: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    for (before, now) in pairs {
        for (key, reading) in now.series.iter().filter(|(k, _)| k.name == name) {
            let Reading::Histogram { buckets, .. } = reading else {
                continue;
            };
            let old = match before.series.get(key) {
                Some(Reading::Histogram { buckets, .. }) => buckets.as_slice(),
                _ => &[],
            };
            let gained = if old.is_empty() {
                buckets.clone()
            } else {
                bucket_increase(old, buckets)
            };
            add_buckets(out.entry(group(key)).or_default(), &gained);
        }
    }
    out
}

/// The highest value of quantile `q` over a summary family's series, by group.
fn summary_quantile(
    pairs: &[Pair],
    name: &str,
    q: f64,
    group: impl Fn(&SeriesKey) -> String,
) -> BTreeMap<String, f64> {
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    for (_, now) in pairs {
        for (key, reading) in now.series.iter().filter(|(k, _)| k.name == name) {
            let Reading::Summary { quantiles, .. } = reading else {
                continue;
            };
            if let Some((_, v)) = quantiles.iter().find(|(qq, v)| *qq == q && !v.is_nan()) {
                let entry = out.entry(group(key)).or_insert(*v);
                *entry = entry.max(*v);
            }
        }
    }
    out
}

fn lines(values: BTreeMap<String, f64>) -> Lines {
    if values.is_empty() {
        Err(Missing::NoTraffic)
    } else {
        Ok(values.into_iter().collect())
    }
}

/// When the process started, as the Go client reports it.
fn started(scrape: &Scrape) -> Option<f64> {
    scrape.series.iter().find_map(|(k, r)| match r {
        Reading::Gauge(v) if k.name == "process_start_time_seconds" => Some(*v),
        _ => None,
    })
}

/// A chart's lines now, from every pod's scrape before and now. A process that restarted
/// between the two (its start time moved) counts everything from zero; without a start
/// time, each counter that went down is taken as reset, as Prometheus does.
pub fn compute(chart: Chart, pairs: &[Pair]) -> Lines {
    let since_start: Vec<Scrape> = pairs
        .iter()
        .map(|(before, _)| Scrape {
            at: before.at,
            series: HashMap::new(),
        })
        .collect();
    let pairs: Vec<Pair> = pairs
        .iter()
        .zip(&since_start)
        .map(
            |((before, now), empty)| match (started(before), started(now)) {
                (Some(a), Some(b)) if a != b => (empty, *now),
                _ => (*before, *now),
            },
        )
        .collect();
    lines_of(chart, &pairs)
}

fn lines_of(chart: Chart, pairs: &[Pair]) -> Lines {
    let all = |_: &SeriesKey| String::new();
    match chart {
        Chart::Requests => {
            let name = family(
                pairs,
                Some("registry_http_requests_total"),
                Some("imageregistry_http_requests_total"),
            )?;
            Ok(counter_rates(pairs, name, |k| {
                let class = k.label("code").chars().next().unwrap_or('?');
                Some(format!("{} {class}xx", k.label("method").to_uppercase()))
            })
            .into_iter()
            .collect())
        }
        Chart::Latency => {
            const UPSTREAM: &str = "registry_http_request_duration_seconds";
            let name = family(
                pairs,
                Some(UPSTREAM),
                Some("imageregistry_http_request_duration_seconds"),
            )?;
            let quantile = |q: f64| -> Option<f64> {
                if name == UPSTREAM {
                    let buckets = gained_buckets(pairs, name, all)
                        .remove("")
                        .unwrap_or_default();
                    histogram_quantile(q, &buckets)
                } else {
                    summary_quantile(pairs, name, q, all).get("").copied()
                }
            };
            lines(
                QUANTILES
                    .iter()
                    .filter_map(|(q, label)| Some((label.to_string(), quantile(*q)?)))
                    .collect(),
            )
        }
        Chart::InFlight => {
            let name = family(
                pairs,
                Some("registry_http_in_flight_requests"),
                Some("imageregistry_http_in_flight_requests"),
            )?;
            let total: f64 = pairs
                .iter()
                .flat_map(|(_, now)| now.series.iter().filter(|(k, _)| k.name == name))
                .map(|(_, r)| match r {
                    Reading::Gauge(v) | Reading::Counter(v) => *v,
                    _ => 0.0,
                })
                .sum();
            Ok(vec![("in flight".into(), total)])
        }
        Chart::Traffic => {
            let received = family(
                pairs,
                Some("registry_http_request_size_bytes"),
                Some("imageregistry_http_request_size_bytes"),
            );
            let sent = family(
                pairs,
                Some("registry_http_response_size_bytes"),
                Some("imageregistry_http_response_size_bytes"),
            );
            if let (Err(why), Err(_)) = (received, sent) {
                return Err(why);
            }
            Ok([("received", received), ("sent", sent)]
                .into_iter()
                .filter_map(|(label, name)| Some((label.to_string(), sum_rate(pairs, name.ok()?))))
                .collect())
        }
        Chart::StorageLatency => {
            const UPSTREAM: &str = "registry_storage_action_seconds";
            let name = family(
                pairs,
                Some(UPSTREAM),
                Some("imageregistry_storage_duration_seconds"),
            )?;
            if name == UPSTREAM {
                let by_action = gained_buckets(pairs, name, |k| k.label("action").to_string());
                return lines(
                    by_action
                        .into_iter()
                        .filter_map(|(action, b)| Some((action, histogram_quantile(0.9, &b)?)))
                        .collect(),
                );
            }
            lines(summary_quantile(pairs, name, 0.9, |k| {
                k.label("operation").to_string()
            }))
        }
        Chart::StorageErrors => {
            let name = family(pairs, None, Some("imageregistry_storage_errors_total"))?;
            Ok(
                counter_rates(pairs, name, |k| Some(k.label("code").to_string()))
                    .into_iter()
                    .collect(),
            )
        }
        Chart::CacheHits => {
            const UPSTREAM: &str = "registry_storage_cache_total";
            let name = family(
                pairs,
                Some(UPSTREAM),
                Some("imageregistry_digest_cache_requests_total"),
            )?;
            // Upstream counts requests and hits; OpenShift hits and misses.
            let (hits, all_of): (&[&str], &[&str]) = if name == UPSTREAM {
                (&["Hit"], &["Request"])
            } else {
                (&["Hit"], &["Hit", "Miss"])
            };
            let by_type = counter_rates(pairs, name, |k| Some(k.label("type").to_string()));
            let sum = |types: &[&str]| types.iter().filter_map(|t| by_type.get(*t)).sum::<f64>();
            let requests = sum(all_of);
            if requests <= 0.0 {
                return Err(Missing::NoTraffic);
            }
            Ok(vec![("hit ratio".into(), sum(hits) / requests)])
        }
        Chart::PushesPulls => {
            const UPSTREAM: &str = "registry_http_requests_total";
            let name = family(
                pairs,
                Some(UPSTREAM),
                Some("imageregistry_request_duration_seconds"),
            )?;
            let per_minute = |m: BTreeMap<String, f64>| -> Vec<(String, f64)> {
                m.into_iter().map(|(k, v)| (k, v * 60.0)).collect()
            };
            if name == UPSTREAM {
                return Ok(per_minute(counter_rates(pairs, name, |k| {
                    match (k.label("handler"), k.label("method"), k.label("code")) {
                        ("manifest", "put", "201") => Some("pushes".into()),
                        ("manifest", "get", "200") => Some("pulls".into()),
                        _ => None,
                    }
                })));
            }
            Ok(per_minute(counter_rates(pairs, name, |k| {
                match k.label("operation") {
                    "ManifestService.Put" => Some("pushes".into()),
                    "ManifestService.Get" => Some("pulls".into()),
                    _ => None,
                }
            })))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry_metrics::exposition::parse;

    fn scrape(at: f64, text: &str) -> Scrape {
        Scrape {
            at,
            series: parse(text).unwrap(),
        }
    }

    fn value(lines: &Lines, name: &str) -> f64 {
        lines
            .as_ref()
            .unwrap()
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("no {name} in {lines:?}"))
    }

    const FRESH: &str = include_str!("testdata/upstream-fresh.txt");
    const PUSHED: &str = include_str!("testdata/upstream-after-push.txt");
    const RESTARTED: &str = include_str!("testdata/upstream-after-restart.txt");

    #[test]
    fn the_real_registrys_pushes_and_pulls_become_rates() {
        let before = scrape(0.0, FRESH);
        let after = scrape(60.0, PUSHED);
        let pairs = [(&before, &after)];
        let requests = compute(Chart::Requests, &pairs);
        // Six successful manifest and blob GETs ... and the failures: counted by class.
        assert!(
            (value(&requests, "GET 2xx") - 14.0 / 60.0).abs() < 1e-9,
            "{requests:?}"
        );
        assert!((value(&requests, "PUT 2xx") - 6.0 / 60.0).abs() < 1e-9);
        assert!((value(&requests, "GET 4xx") - 8.0 / 60.0).abs() < 1e-9);
        let pushes = compute(Chart::PushesPulls, &pairs);
        assert_eq!(
            value(&pushes, "pushes"),
            2.0,
            "two manifests written in a minute"
        );
        assert_eq!(value(&pushes, "pulls"), 5.0);
        let hits = compute(Chart::CacheHits, &pairs);
        assert!((value(&hits, "hit ratio") - 30.0 / 37.0).abs() < 1e-9);
        let latency = compute(Chart::Latency, &pairs);
        let (p50, p99) = (value(&latency, "p50"), value(&latency, "p99"));
        assert!(p50 > 0.0 && p50 <= p99, "{latency:?}");
        assert!(
            value(&compute(Chart::Traffic, &pairs), "received") > 60_000.0 / 60.0,
            "two 30 KB layers pushed"
        );
        assert!(
            compute(Chart::StorageLatency, &pairs)
                .unwrap()
                .iter()
                .any(|(action, _)| action == "GetContent")
        );
        assert_eq!(value(&compute(Chart::InFlight, &pairs), "in flight"), 0.0);
    }

    #[test]
    fn a_restart_counts_from_zero_and_missing_series_say_why() {
        let before = scrape(0.0, PUSHED);
        let after = scrape(10.0, RESTARTED);
        let pairs = [(&before, &after)];
        let requests = compute(Chart::Requests, &pairs);
        assert!(
            (value(&requests, "GET 2xx") - 2.0 / 10.0).abs() < 1e-9,
            "not negative: {requests:?}"
        );
        assert_eq!(
            compute(Chart::StorageErrors, &pairs),
            Err(Missing::NotServed),
            "upstream counts no storage errors"
        );
        let fresh = scrape(0.0, FRESH);
        let still = scrape(5.0, FRESH);
        assert_eq!(
            compute(Chart::Latency, &[(&fresh, &still)]),
            Err(Missing::NoTraffic)
        );
        assert_eq!(
            compute(Chart::CacheHits, &[(&fresh, &still)]),
            Err(Missing::NoTraffic),
            "no storage work yet: the upstream registry makes the series on first use"
        );
        assert_eq!(
            compute(Chart::StorageErrors, &[(&fresh, &still)]),
            Err(Missing::NotServed)
        );
        let blank = Scrape::default();
        assert_eq!(
            compute(Chart::Requests, &[(&blank, &blank)]),
            Err(Missing::NotServed),
            "not a registry's metrics"
        );
    }

    #[test]
    fn openshift_summaries_map_onto_the_same_charts() {
        let text = |n: f64| {
            format!(
                "# TYPE imageregistry_http_requests_total counter\nimageregistry_http_requests_total{{code=\"200\",method=\"get\"}} {n}\n\
             # TYPE imageregistry_http_request_duration_seconds summary\n\
             imageregistry_http_request_duration_seconds{{method=\"get\",quantile=\"0.5\"}} 0.01\n\
             imageregistry_http_request_duration_seconds{{method=\"get\",quantile=\"0.9\"}} 0.04\n\
             imageregistry_http_request_duration_seconds{{method=\"get\",quantile=\"0.99\"}} 0.3\n\
             imageregistry_http_request_duration_seconds{{method=\"put\",quantile=\"0.99\"}} 0.9\n\
             # TYPE imageregistry_storage_errors_total counter\nimageregistry_storage_errors_total{{code=\"DEVICE_OUT_OF_SPACE\",operation=\"Writer.Commit\"}} {}\n\
             # TYPE imageregistry_digest_cache_requests_total counter\nimageregistry_digest_cache_requests_total{{type=\"Hit\"}} {}\nimageregistry_digest_cache_requests_total{{type=\"Miss\"}} 10\n",
                n / 10.0,
                n
            )
        };
        let before = scrape(0.0, &text(100.0));
        let after = scrape(10.0, &text(150.0));
        let pairs = [(&before, &after)];
        assert_eq!(value(&compute(Chart::Requests, &pairs), "GET 2xx"), 5.0);
        let latency = compute(Chart::Latency, &pairs);
        assert_eq!(value(&latency, "p99"), 0.9, "the slowest method's");
        assert_eq!(
            value(
                &compute(Chart::StorageErrors, &pairs),
                "DEVICE_OUT_OF_SPACE"
            ),
            0.5
        );
        assert_eq!(
            value(&compute(Chart::CacheHits, &pairs), "hit ratio"),
            1.0,
            "50 hits, no new miss"
        );
    }
}
