//! The image pruner: its schedule and retention, reviewed before they apply, its
//! conditions, CronJob and runs, and "Prune now".

mod form;
mod functions;
mod page;
pub mod view;

#[cfg(feature = "ssr")]
pub mod apply;

pub use functions::{
    ApplyPruner, GetImagePruner, GetPrunerStatus, PreviewPruner, PruneNow, PrunerRunLog,
    apply_pruner, get_image_pruner, get_pruner_status, preview_pruner, prune_now, pruner_run_log,
};
pub use page::PrunerPage;
