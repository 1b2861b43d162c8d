//! The SQLite register: opening with safe pragmas, forward-only migrations, and the queries that
//! return domain types. Bound parameters only; no SQL is ever built with `format!` from data.

pub mod assign;
pub mod audit;
pub mod backup;
pub mod bulk_load;
pub mod calls;
pub mod encryption;
pub mod enrol;
pub mod hearts;
pub mod hub_changes;
pub mod import_summary;
pub mod imported_values;
pub mod key;
mod open;
pub mod palliative;
pub mod patient_feed;
pub mod patients;
pub mod phones;
pub mod progress_index;
pub mod records;
pub mod rules;
pub mod schema;
pub mod stats;
pub mod views;
pub mod worklist_index;
mod write_guard;
pub mod writes;

pub use open::{Store, StoreError};
