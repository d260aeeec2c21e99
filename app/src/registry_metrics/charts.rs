//! The charts of the metrics page, one set for both registries: the upstream registry's
//! `registry_*` families (histograms) and the OpenShift registry's `imageregistry_*`
//! families (summaries) map onto the same charts, units and line names.

use serde::{Deserialize, Serialize};

/// One chart of the metrics page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Chart {
    /// Requests per second by method and status class.
    Requests,
    /// Request latency quantiles (p50, p90, p99).
    Latency,
    /// Requests being served now.
    InFlight,
    /// Bytes per second received and sent.
    Traffic,
    /// Storage operation latency (p90) by operation.
    StorageLatency,
    /// Storage errors per second by error code.
    StorageErrors,
    /// The share of digest cache lookups that hit.
    CacheHits,
    /// Image pushes and pulls per minute (manifests written and read).
    PushesPulls,
}

impl Chart {
    pub const ALL: [Chart; 8] = [
        Chart::Requests,
        Chart::Latency,
        Chart::InFlight,
        Chart::Traffic,
        Chart::PushesPulls,
        Chart::StorageLatency,
        Chart::StorageErrors,
        Chart::CacheHits,
    ];

    pub fn unit(self) -> Unit {
        match self {
            Chart::Requests | Chart::StorageErrors => Unit::PerSecond,
            Chart::Latency | Chart::StorageLatency => Unit::Seconds,
            Chart::InFlight => Unit::Requests,
            Chart::Traffic => Unit::BytesPerSecond,
            Chart::CacheHits => Unit::Ratio,
            Chart::PushesPulls => Unit::PerMinute,
        }
    }
}

/// What a chart's numbers count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    PerSecond,
    PerMinute,
    Seconds,
    Requests,
    BytesPerSecond,
    /// 0 to 1, shown as a percentage.
    Ratio,
}

/// Why a chart has nothing to draw: never a line at zero that is not a measurement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Missing {
    /// The registry serves none of the chart's series (the upstream registry has no storage
    /// error counter, for one).
    NotServed,
    /// Served, but nothing happened in the window (no requests: no latency to show).
    NoTraffic,
}

/// One chart's values at one moment: named lines, or why there are none.
pub type Lines = Result<Vec<(String, f64)>, Missing>;

/// The family a chart reads: the upstream registry's or the OpenShift registry's name,
/// whichever this registry serves (`served`). When it serves neither: no traffic yet if
/// this kind of registry has the family (the upstream registry makes a series on its first
/// use; `any` says whether some served name starts with a prefix), else not served at all.
pub fn family_of<'a>(
    served: impl Fn(&str) -> bool,
    any: impl Fn(&str) -> bool,
    upstream: Option<&'a str>,
    openshift: Option<&'a str>,
) -> Result<&'a str, Missing> {
    if let Some(name) = [upstream, openshift]
        .into_iter()
        .flatten()
        .find(|n| served(n))
    {
        return Ok(name);
    }
    let has = if any("imageregistry_") {
        openshift.is_some()
    } else if any("registry_") {
        upstream.is_some()
    } else {
        false
    };
    Err(if has {
        Missing::NoTraffic
    } else {
        Missing::NotServed
    })
}
