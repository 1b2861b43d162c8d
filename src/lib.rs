//! acodesk: a terminal dashboard for the care coordinators of an accountable-care pilot.
//!
//! Data flows one way: import → store → domain rules → views, CLI and report.

pub mod cli;
pub mod config;
pub mod domain;
pub mod i18n;
pub mod import;
pub mod logging;
pub mod paths;
pub mod report;
pub mod sample;
pub mod store;
pub mod sync;
pub mod toml_error;
pub mod tui;
