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
}

/// The time ranges the page offers, in seconds.
pub const RANGES: [u32; 4] = [300, 3600, 6 * 3600, 24 * 3600];

/// The page's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricsData {
    pub viewer: Viewer,
    /// Why this user may not read the metrics, when they may not.
    pub denied: Option<String>,
    pub health: Health,
    pub moments: Vec<Moment>,
    /// Seconds between scrapes.
    pub every: u32,
}
