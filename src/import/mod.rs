//! Importers: each streams one source format into the register in a single transaction.

pub mod csv_dir;
pub mod csv_file;
pub mod csv_rows;
pub mod encoding;
pub mod fhir;
pub mod progress;
pub mod records;
pub mod rejects;
pub mod summary;
pub mod synthea;
