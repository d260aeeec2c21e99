//! The Prometheus text exposition format (version 0.0.4), as the registry serves it: `#
//! TYPE` lines, samples with escaped label values, histograms (`_bucket{le}`, `_sum`,
//! `_count`) and summaries (`{quantile}`, `_sum`, `_count`) gathered into one reading per
//! series.
//!
//! A small parser of our own, tested on text captured from the real registry: the crates
//! that read this format either split label values on `,` and `=` (prometheus-parse, which
//! also loses the type of `_sum` and `_count`) or are LGPL (openmetrics-parser).

use std::collections::{BTreeMap, HashMap};

/// One series: a family's name and its labels (without `le` or `quantile`), sorted.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeriesKey {
    pub name: String,
    pub labels: BTreeMap<String, String>,
}

impl SeriesKey {
    pub fn label(&self, name: &str) -> &str {
        self.labels.get(name).map_or("", String::as_str)
    }
}

/// What one series reads at one scrape.
#[derive(Clone, Debug, PartialEq)]
pub enum Reading {
    Counter(f64),
    Gauge(f64),
    /// Cumulative bucket counts by upper bound (ending with `+Inf`), the sum and count.
    Histogram {
        buckets: Vec<(f64, f64)>,
        sum: f64,
        count: f64,
    },
    /// The quantiles the process computed, the sum and count.
    Summary {
        quantiles: Vec<(f64, f64)>,
        sum: f64,
        count: f64,
    },
}

/// Why a text is not the exposition format.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("line {line} of the metrics is not in the Prometheus text format: {why}")]
pub struct ParseError {
    pub line: usize,
    pub why: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Counter,
    Gauge,
    Histogram,
    Summary,
    Untyped,
}

/// Every series of a scrape.
pub fn parse(text: &str) -> Result<HashMap<SeriesKey, Reading>, ParseError> {
    let mut kinds: HashMap<String, Kind> = HashMap::new();
    let mut out: HashMap<SeriesKey, Reading> = HashMap::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        let fail = |why: &str| ParseError {
            line: index + 1,
            why: why.to_string(),
        };
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            let mut words = comment.split_whitespace();
            if words.next() == Some("TYPE") {
                let name = words.next().ok_or_else(|| fail("TYPE without a name"))?;
                let kind = match words.next() {
                    Some("counter") => Kind::Counter,
                    Some("gauge") => Kind::Gauge,
                    Some("histogram") => Kind::Histogram,
                    Some("summary") => Kind::Summary,
                    Some("untyped") => Kind::Untyped,
                    _ => return Err(fail("unknown metric type")),
                };
                kinds.insert(name.to_string(), kind);
            }
            continue;
        }
        let (name, mut labels, value) = sample(line).map_err(|why| fail(&why))?;
        // The family a sample belongs to: itself, or the histogram or summary it is a part of.
        let family = ["_bucket", "_sum", "_count"].iter().find_map(|suffix| {
            let base = name.strip_suffix(suffix)?;
            matches!(kinds.get(base), Some(Kind::Histogram | Kind::Summary))
                .then_some((base, *suffix))
        });
        match family {
            None => {
                let reading = match kinds.get(name).copied().unwrap_or(Kind::Untyped) {
                    Kind::Counter => Reading::Counter(value),
                    Kind::Summary => {
                        let q = take_bound(&mut labels, "quantile").map_err(|w| fail(&w))?;
                        let key = SeriesKey {
                            name: name.to_string(),
                            labels,
                        };
                        if let Reading::Summary { quantiles, .. } =
                            out.entry(key).or_insert_with(empty_summary)
                        {
                            quantiles.push((q, value));
                        }
                        continue;
                    }
                    Kind::Histogram => {
                        return Err(fail("a histogram sample without _bucket, _sum or _count"));
                    }
                    Kind::Gauge | Kind::Untyped => Reading::Gauge(value),
                };
                out.insert(
                    SeriesKey {
                        name: name.to_string(),
                        labels,
                    },
                    reading,
                );
            }
            Some((base, suffix)) => {
                let histogram = kinds.get(base) == Some(&Kind::Histogram);
                let bound = if suffix == "_bucket" {
                    Some(take_bound(&mut labels, "le").map_err(|w| fail(&w))?)
                } else {
                    None
                };
                let key = SeriesKey {
                    name: base.to_string(),
                    labels,
                };
                let entry = out.entry(key).or_insert_with(|| {
                    if histogram {
                        Reading::Histogram {
                            buckets: Vec::new(),
                            sum: 0.0,
                            count: 0.0,
                        }
                    } else {
                        empty_summary()
                    }
                });
                match (entry, suffix) {
                    (Reading::Histogram { buckets, .. }, "_bucket") => {
                        buckets.push((bound.unwrap_or(f64::INFINITY), value));
                    }
                    (Reading::Histogram { sum, .. } | Reading::Summary { sum, .. }, "_sum") => {
                        *sum = value
                    }
                    (
                        Reading::Histogram { count, .. } | Reading::Summary { count, .. },
                        "_count",
                    ) => *count = value,
                    _ => return Err(fail("a bucket of a summary")),
                }
            }
        }
    }
    for reading in out.values_mut() {
        match reading {
            Reading::Histogram { buckets, .. } => buckets.sort_by(|a, b| a.0.total_cmp(&b.0)),
            Reading::Summary { quantiles, .. } => quantiles.sort_by(|a, b| a.0.total_cmp(&b.0)),
            _ => {}
        }
    }
    Ok(out)
}

fn empty_summary() -> Reading {
    Reading::Summary {
        quantiles: Vec::new(),
        sum: 0.0,
        count: 0.0,
    }
}

/// Removes the `le` or `quantile` label and reads its number.
fn take_bound(labels: &mut BTreeMap<String, String>, name: &str) -> Result<f64, String> {
    let text = labels
        .remove(name)
        .ok_or_else(|| format!("a sample without its {name} label"))?;
    number(&text).ok_or_else(|| format!("{name}={text:?} is not a number"))
}

/// A sample value: a float, `+Inf`, `-Inf` or `NaN`.
fn number(text: &str) -> Option<f64> {
    match text {
        "+Inf" | "Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        "NaN" => Some(f64::NAN),
        t => t.parse().ok(),
    }
}

/// `name{labels} value [timestamp]`.
fn sample(line: &str) -> Result<(&str, BTreeMap<String, String>, f64), String> {
    let name_end = line
        .find(|c: char| c == '{' || c.is_whitespace())
        .ok_or("a sample without a value")?;
    let name = &line[..name_end];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    {
        return Err(format!("{name:?} is not a metric name"));
    }
    let mut rest = &line[name_end..];
    let mut labels = BTreeMap::new();
    if let Some(inner) = rest.strip_prefix('{') {
        rest = inner;
        loop {
            rest = rest.trim_start_matches([' ', ',']);
            if let Some(after) = rest.strip_prefix('}') {
                rest = after;
                break;
            }
            let eq = rest.find('=').ok_or("a label without =")?;
            let label = rest[..eq].trim().to_string();
            rest = rest[eq + 1..]
                .trim_start()
                .strip_prefix('"')
                .ok_or("a label value without quotes")?;
            let mut value = String::new();
            let mut chars = rest.char_indices();
            let end = loop {
                match chars.next() {
                    Some((i, '"')) => break i,
                    Some((_, '\\')) => match chars.next() {
                        Some((_, 'n')) => value.push('\n'),
                        Some((_, c)) => value.push(c),
                        None => return Err("an unfinished escape".into()),
                    },
                    Some((_, c)) => value.push(c),
                    None => return Err("an unfinished label value".into()),
                }
            };
            labels.insert(label, value);
            rest = &rest[end + 1..];
        }
    }
    let value = rest
        .split_whitespace()
        .next()
        .ok_or("a sample without a value")?;
    let value = number(value).ok_or_else(|| format!("{value:?} is not a number"))?;
    Ok((name, labels, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str, labels: &[(&str, &str)]) -> SeriesKey {
        SeriesKey {
            name: name.into(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// Captured from Debian's docker-registry 2.8.2 after two pushes and a few pulls.
    const AFTER_PUSH: &str = include_str!("testdata/upstream-after-push.txt");

    #[test]
    fn reads_the_real_registrys_counters_histograms_and_gauges() {
        let series = parse(AFTER_PUSH).unwrap();
        assert_eq!(
            series[&key(
                "registry_http_requests_total",
                &[("code", "201"), ("handler", "manifest"), ("method", "put")]
            )],
            Reading::Counter(2.0)
        );
        assert_eq!(
            series[&key("registry_storage_cache_total", &[("type", "Hit")])],
            Reading::Counter(30.0)
        );
        let Reading::Histogram {
            buckets,
            count,
            sum,
        } = &series[&key(
            "registry_http_request_duration_seconds",
            &[("handler", "blob"), ("method", "get")],
        )]
        else {
            panic!("a histogram");
        };
        assert_eq!(*count, 8.0, "five found and three missing blobs");
        assert!(*sum > 0.0);
        assert_eq!(buckets.last().unwrap(), &(f64::INFINITY, 8.0));
        assert!(
            buckets
                .windows(2)
                .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1),
            "sorted and cumulative"
        );
        assert!(matches!(
            series[&key("registry_http_in_flight_requests", &[("handler", "blob")])],
            Reading::Gauge(v) if v == 0.0
        ));
        // The Go runtime's own families are there too, and parse.
        assert!(series.keys().any(|k| k.name == "go_goroutines"));
    }

    #[test]
    fn a_fresh_registry_has_only_the_http_families() {
        let series = parse(include_str!("testdata/upstream-fresh.txt")).unwrap();
        assert!(
            series
                .keys()
                .any(|k| k.name == "registry_http_in_flight_requests")
        );
        assert!(
            !series
                .keys()
                .any(|k| k.name == "registry_storage_action_seconds")
        );
    }

    /// The OpenShift registry's summaries, in the shape its `/extensions/v2/metrics` serves
    /// them (written by hand from its source's metric definitions: no OpenShift here).
    #[test]
    fn reads_summaries_with_their_quantiles() {
        let text = r#"# HELP imageregistry_http_request_duration_seconds Request latency in seconds for each HTTP method.
# TYPE imageregistry_http_request_duration_seconds summary
imageregistry_http_request_duration_seconds{method="get",quantile="0.5"} 0.012
imageregistry_http_request_duration_seconds{method="get",quantile="0.9"} 0.05
imageregistry_http_request_duration_seconds{method="get",quantile="0.99"} 0.2
imageregistry_http_request_duration_seconds_sum{method="get"} 3.5
imageregistry_http_request_duration_seconds_count{method="get"} 120
# TYPE imageregistry_storage_errors_total counter
imageregistry_storage_errors_total{code="DEVICE_OUT_OF_SPACE",operation="Writer.Commit"} 3
# TYPE imageregistry_build_info gauge
imageregistry_build_info{gitCommit="abc",gitVersion="v4.4.0-a,b=c \"quoted\"",major="4",minor="4"} 1
"#;
        let series = parse(text).unwrap();
        assert_eq!(
            series[&key(
                "imageregistry_http_request_duration_seconds",
                &[("method", "get")]
            )],
            Reading::Summary {
                quantiles: vec![(0.5, 0.012), (0.9, 0.05), (0.99, 0.2)],
                sum: 3.5,
                count: 120.0
            }
        );
        let info = series
            .keys()
            .find(|k| k.name == "imageregistry_build_info")
            .unwrap();
        assert_eq!(
            info.label("gitVersion"),
            "v4.4.0-a,b=c \"quoted\"",
            "commas, = and quotes in a value"
        );
    }

    #[test]
    fn text_that_is_not_the_format_is_refused_with_its_line() {
        assert_eq!(parse("ok 1\nbad{x=\"1} 2\n").unwrap_err().line, 2);
        assert!(parse("# TYPE x histogram\nx 1\n").is_err());
        assert!(
            parse("x{le=\"a\"} 1").is_ok(),
            "untyped: le is only a label"
        );
        assert!(parse("x one").unwrap_err().why.contains("not a number"));
        assert!(parse("<html>").is_err());
    }
}
