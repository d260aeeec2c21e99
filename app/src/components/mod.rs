//! Pieces of pages, one per file.

mod conditions;
mod config_form;
mod doctor;
mod guidance;
mod management_state;
mod pods;
mod pruner_form;
pub mod review;
mod stale;
mod summary;
mod top_bar;

pub use conditions::ConditionsTable;
pub use config_form::{ConfigForm, OutcomeNotice};
pub use doctor::DoctorPanel;
pub use guidance::GuidanceList;
pub use management_state::ManagementStateControl;
pub use pods::PodsTable;
pub use pruner_form::PrunerForm;
pub use stale::{StaleBanner, Staleness};
pub use summary::Summary;
pub use top_bar::TopBar;
