//! Pieces of pages that more than one feature shows, one per file.

mod conditions;
pub mod review;
mod stale;
mod top_bar;

pub use conditions::ConditionsTable;
pub use stale::{StaleBanner, Staleness};
pub use top_bar::TopBar;
