//! What an import did, table by table, for the end-of-import summary.

use serde::Serialize;

/// Row counts of one table in one import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TableCounts {
    /// New rows.
    pub inserted: u64,
    /// Existing rows whose values changed.
    pub updated: u64,
    /// Rows already present and identical (or of a kind the register does not track).
    pub unchanged: u64,
    /// Bad rows written to the reject file (only with `--skip-bad-rows`).
    pub rejected: u64,
}

/// The outcome of one import.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportSummary {
    /// Counts per table, in load order.
    pub tables: Vec<(String, TableCounts)>,
    /// Things the user should know that did not stop the import.
    pub warnings: Vec<String>,
    /// Patients enrolled in a programme after the import.
    pub enrolled: u64,
    /// Patient rows the import wrote or confirmed.
    pub touched_patients: u64,
}

impl ImportSummary {
    /// The counts of one table (zero when the file was absent).
    pub fn count(&self, table: &str) -> TableCounts {
        self.tables
            .iter()
            .find(|(t, _)| t == table)
            .map(|(_, c)| *c)
            .unwrap_or_default()
    }
}
