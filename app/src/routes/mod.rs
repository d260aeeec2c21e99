//! One module per page.

mod config;
mod not_found;
mod overview;
mod pruner;
mod sign_in;

pub use config::ConfigPage;
pub use not_found::NotFound;
pub use overview::OverviewPage;
pub use pruner::PrunerPage;
pub use sign_in::SignInPage;
