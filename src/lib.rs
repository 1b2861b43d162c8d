//! acodesk: a terminal dashboard for the care coordinators of an accountable-care pilot.
//!
//! Data flows one way: import → store → domain rules → views, CLI and report.

pub mod domain;
pub mod import;
pub mod sample;
