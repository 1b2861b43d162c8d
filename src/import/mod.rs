//! Importers: each streams one source format into the register in a single transaction.

pub mod records;
