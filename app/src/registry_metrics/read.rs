//! The page's data for a user: read from the Prometheus server the console was pointed at,
//! with the user's own token; else the collector's moments, once the cluster said the user
//! may read the registry pods' metrics themselves.

use super::collector::INTERVAL;
use super::prometheus::Refusal;
use super::view::{Denied, Health, MetricsData, POINTS, RANGES};
use crate::cluster::gate::Access;
use crate::console::SignedIn;
use crate::error::ConsoleError;
use crate::i18n::said;

pub async fn read_as(user: &SignedIn, seconds: u32) -> Result<MetricsData, ConsoleError> {
    if !RANGES.contains(&seconds) {
        return Err(ConsoleError::Rejected(said::errors::bad_metrics_range(
            seconds,
        )));
    }
    let every = INTERVAL.as_secs() as u32;
    if let Some(prometheus) = &user.console.prometheus {
        let viewer = user.viewer(false);
        let (denied, moments, health) = match prometheus
            .window(&user.session.token, seconds, POINTS)
            .await
        {
            Ok((moments, health)) => (None, moments, health),
            Err(Refusal::Denied(why)) => {
                (Some(Denied::Prometheus(why)), Vec::new(), Health::Starting)
            }
            Err(Refusal::Failing(why)) => (None, Vec::new(), Health::Failing(why)),
        };
        return Ok(MetricsData {
            viewer,
            denied,
            health,
            moments,
            every,
        });
    }
    let Some(collector) = user.console.collector.as_ref() else {
        return Ok(MetricsData {
            viewer: user.viewer(false),
            denied: None,
            health: Health::Unavailable,
            moments: Vec::new(),
            every,
        });
    };
    let access = user
        .check(collector.access())
        .await
        .map_err(|e| user.explain(e, said::errors::to_read_metrics()))?;
    let viewer = user.viewer(false);
    if let Access::Denied(why) = access {
        let denied = if collector.is_direct() {
            Denied::RegistryMetrics(why)
        } else {
            Denied::Cluster(why)
        };
        return Ok(MetricsData {
            viewer,
            denied: Some(denied),
            health: Health::Starting,
            moments: Vec::new(),
            every,
        });
    }
    user.console.collector_started();
    let (moments, health) = collector.window(f64::from(seconds), POINTS);
    Ok(MetricsData {
        viewer,
        denied: None,
        health,
        moments,
        every,
    })
}
