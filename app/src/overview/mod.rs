//! The overview: the registry at a glance (management state, storage, replicas, routes,
//! conditions, pods), what is wrong and how to fix it (the doctor), the steps left
//! (guidance) and the management-state control; kept live by its feed.

pub mod delta;
mod doctor_panel;
mod functions;
mod guidance_list;
mod management_state;
mod page;
mod pods_table;
mod summary;
pub mod view;

/// The browser's end of the live feed.
#[cfg(feature = "hydrate")]
pub(crate) mod live;

#[cfg(feature = "ssr")]
pub mod assemble;
#[cfg(feature = "ssr")]
pub mod doctor;
#[cfg(feature = "ssr")]
pub mod feed;
#[cfg(feature = "ssr")]
pub mod guidance;
#[cfg(feature = "ssr")]
pub mod management_write;
#[cfg(feature = "ssr")]
pub mod read;
#[cfg(feature = "ssr")]
pub mod snapshot;

pub use functions::{GetOverview, SetManagementState, get_overview, set_management_state};
pub use page::OverviewPage;
pub use view::*;
