//! Pieces of pages that more than one feature shows, one per file.

mod alert;
mod conditions;
mod data_page;
mod inert;
mod rich;
mod stale;
mod top_bar;

pub use alert::{error_alert, error_outcome};
pub use conditions::ConditionsTable;
pub use data_page::data_page;
pub use inert::{Html, button_link, header_row, words};
pub use rich::rich;
pub use stale::{StaleBanner, Staleness};
pub use top_bar::{LanguageSwitch, TopBar};
