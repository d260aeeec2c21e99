//! The page's data for a user: the collector's moments, once the cluster said the user may
//! read the registry pods' metrics themselves.

use super::collector::{Collector, INTERVAL};
use super::view::{Health, MetricsData, RANGES};
use crate::cluster::gate::Access;
use crate::console::SignedIn;
use crate::error::ConsoleError;
use crate::i18n::said;

/// At most this many points per line: a wall display's width, not more.
const POINTS: usize = 240;

pub async fn read_as(user: &SignedIn, seconds: u32) -> Result<MetricsData, ConsoleError> {
    if !RANGES.contains(&seconds) {
        return Err(ConsoleError::Rejected(said::errors::bad_metrics_range(
            seconds,
        )));
    }
    let access = user
        .check(Collector::access())
        .await
        .map_err(|e| user.explain(e, said::errors::to_read_metrics()))?;
    let viewer = user.viewer(false);
    let every = INTERVAL.as_secs() as u32;
    if let Access::Denied(why) = access {
        return Ok(MetricsData {
            viewer,
            denied: Some(why),
            health: Health::Starting,
            moments: Vec::new(),
            every,
        });
    }
    let Some(collector) = user.console.collector_started() else {
        return Ok(MetricsData {
            viewer,
            denied: None,
            health: Health::Unavailable,
            moments: Vec::new(),
            every,
        });
    };
    let (moments, health) = collector.window(f64::from(seconds), POINTS);
    Ok(MetricsData {
        viewer,
        denied: None,
        health,
        moments,
        every,
    })
}
