//! What the metrics page receives.

use serde::{Deserialize, Serialize};

use super::charts::{Chart, Lines};
use crate::viewer::Viewer;

/// Every chart at one moment (seconds since the epoch).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Moment {
    pub at: f64,
    pub charts: Vec<(Chart, Lines)>,
}

/// How the collector is doing, for the page's status line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Health {
    /// Nothing scraped yet.
    Starting,
    /// The ready pods answered (this many).
    Scraping { pods: usize },
    /// No registry pod is running (Removed, or starting).
    NoPods,
    /// Why the metrics cannot be read, for people.
    Failing(String),
    /// This console runs without an identity of its own to scrape with.
    Unavailable,
    /// Read from a Prometheus server, a point every `step` seconds.
    FromPrometheus { url: String, step: u32 },
}

/// Who refused the user the metrics, and the reason they gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Denied {
    /// The cluster's RBAC: no `get` on the registry pods' `proxy`.
    Cluster(String),
    /// The cluster's RBAC: no `get registry/metrics`, which the registry's own endpoint
    /// demands (the console scrapes it directly).
    RegistryMetrics(String),
    /// The Prometheus server the console reads from refused the user's token.
    Prometheus(String),
}

/// At most this many points per line: a wall display's width, not more.
pub const POINTS: usize = 240;

/// The time ranges the page offers, in seconds.
pub const RANGES: [u32; 4] = [300, 3600, 6 * 3600, 24 * 3600];

/// The page's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricsData {
    pub viewer: Viewer,
    /// Why this user may not read the metrics, when they may not.
    pub denied: Option<Denied>,
    pub health: Health,
    pub moments: Vec<Moment>,
    /// Seconds between scrapes.
    pub every: u32,
}

/// What the live stream sends a metrics page after each scrape (or each Prometheus step):
/// the newest moment only, never the window again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tick {
    pub denied: Option<Denied>,
    pub health: Health,
    pub moment: Option<Moment>,
}

impl MetricsData {
    /// Takes a tick of the live feed into the page's data: the health and any refusal as
    /// they are now, the new moment appended (for ranges beyond the hour at full
    /// resolution, only once it is a point's width after the last, so a wall display left
    /// open for a day keeps about [`POINTS`] points), and moments older than `range`
    /// seconds before `now` dropped.
    pub fn take(&mut self, tick: Tick, range: u32, now: f64) {
        self.denied = tick.denied;
        self.health = tick.health;
        if self.denied.is_some() {
            self.moments.clear();
            return;
        }
        if let Some(moment) = tick.moment {
            let spacing = if range > 3600 {
                f64::from(range) / POINTS as f64
            } else {
                0.0
            };
            let newer = self
                .moments
                .last()
                .is_none_or(|last| moment.at > last.at && moment.at - last.at >= spacing);
            if newer {
                self.moments.push(moment);
            }
        }
        let since = now - f64::from(range);
        self.moments.retain(|m| m.at >= since);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry_metrics::charts::Chart;

    fn data(ats: &[f64]) -> MetricsData {
        MetricsData {
            viewer: Viewer {
                name: "admin".into(),
                can_edit: true,
                console_read_only: false,
            },
            denied: None,
            health: Health::Starting,
            moments: ats.iter().map(|at| moment(*at)).collect(),
            every: 10,
        }
    }

    fn moment(at: f64) -> Moment {
        Moment {
            at,
            charts: vec![(Chart::InFlight, Ok(vec![("in flight".into(), 1.0)]))],
        }
    }

    fn tick(at: Option<f64>) -> Tick {
        Tick {
            denied: None,
            health: Health::Scraping { pods: 1 },
            moment: at.map(moment),
        }
    }

    fn ats(d: &MetricsData) -> Vec<f64> {
        d.moments.iter().map(|m| m.at).collect()
    }

    #[test]
    fn a_tick_appends_the_new_moment_and_drops_what_left_the_range() {
        let mut d = data(&[1000.0, 1010.0, 1300.0]);
        d.take(tick(Some(1310.0)), 300, 1310.0);
        assert_eq!(ats(&d), [1010.0, 1300.0, 1310.0]);
        assert_eq!(d.health, Health::Scraping { pods: 1 });
        d.take(tick(Some(1310.0)), 300, 1311.0);
        assert_eq!(
            ats(&d),
            [1300.0, 1310.0],
            "the same moment once; 1010 left the range"
        );
    }

    #[test]
    fn long_ranges_take_a_moment_only_a_point_width_after_the_last() {
        let day = 24 * 3600;
        let mut d = data(&[0.0]);
        d.take(tick(Some(100.0)), day, 100.0);
        assert_eq!(ats(&d), [0.0], "24 h / 240 points: one per 360 s");
        d.take(tick(Some(360.0)), day, 360.0);
        assert_eq!(ats(&d), [0.0, 360.0]);
    }

    #[test]
    fn a_refusal_empties_the_charts() {
        let mut d = data(&[1.0, 2.0]);
        d.take(
            Tick {
                denied: Some(Denied::Cluster("no".into())),
                health: Health::Starting,
                moment: None,
            },
            300,
            3.0,
        );
        assert!(d.moments.is_empty());
        assert!(d.denied.is_some());
    }
}
