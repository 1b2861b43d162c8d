//! The reject file of one CSV input (`<file>.rejects.csv`) for `--skip-bad-rows`: each bad row
//! with its line number, column and reason, created on the first bad row.

use super::csv_file::{LocatedError, Row};
use color_eyre::eyre::{Result, WrapErr};
use std::path::{Path, PathBuf};

/// The reject file of one input (`<file>.rejects.csv`), created on the first bad row.
pub struct Rejects {
    path: PathBuf,
    enabled: bool,
    rows: u64,
    writer: Option<csv::Writer<std::fs::File>>,
}

impl Rejects {
    /// The reject file beside `input`; writes nothing unless `enabled`.
    pub fn new(input: &Path, enabled: bool) -> Rejects {
        let mut name = input
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        name.push(".rejects.csv");
        Rejects {
            path: input.with_file_name(name),
            enabled,
            rows: 0,
            writer: None,
        }
    }

    /// Records one bad row.
    pub fn add(&mut self, row: &Row<'_>, error: &LocatedError) -> Result<()> {
        if !self.enabled {
            return Ok(());
        }
        if self.writer.is_none() {
            let mut w = csv::Writer::from_path(&self.path).wrap_err_with(|| {
                crate::i18n::msg(
                    "file-creating",
                    &[("path", self.path.display().to_string().as_str().into())],
                )
            })?;
            w.write_record(["line", "column", "reason", "row"])?;
            self.writer = Some(w);
        }
        if let Some(w) = self.writer.as_mut() {
            w.write_record([
                row.line().to_string(),
                error.column.clone().unwrap_or_default(),
                error.message.clone(),
                row.raw(),
            ])?;
            self.rows += 1;
        }
        Ok(())
    }

    /// Flushes the file; its path and row count when any row was rejected.
    pub fn finish(self) -> Result<Option<(PathBuf, u64)>> {
        match self.writer {
            Some(mut w) => {
                w.flush()?;
                Ok(Some((self.path, self.rows)))
            }
            None => Ok(None),
        }
    }
}
