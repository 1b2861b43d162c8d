//! The reject files of an import with `--skip-bad-rows`.

use super::source::{FhirError, Input, Raw};
use color_eyre::eyre::{Result, WrapErr};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// The reject files of an import (`<file>.rejects.ndjson` beside each input), created on the
/// first bad item of each input: one JSON object per line with the location, the reason and the
/// resource (or the line) as read.
pub struct Rejects {
    enabled: bool,
    files: BTreeMap<PathBuf, (BufWriter<File>, u64)>,
}

impl Rejects {
    /// Reject files are written only when `enabled` (`--skip-bad-rows`).
    pub fn new(enabled: bool) -> Rejects {
        Rejects {
            enabled,
            files: BTreeMap::new(),
        }
    }

    /// Writes one bad item.
    pub fn add(&mut self, input: &Input, error: &FhirError, raw: Raw<'_>) -> Result<()> {
        if !self.enabled {
            return Ok(());
        }
        let mut name = input
            .path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        name.push(".rejects.ndjson");
        let path = input.path.with_file_name(name);
        if !self.files.contains_key(&path) {
            let file = File::create(&path).wrap_err_with(|| {
                crate::i18n::msg(
                    "file-creating",
                    &[("path", path.display().to_string().as_str().into())],
                )
            })?;
            self.files.insert(path.clone(), (BufWriter::new(file), 0));
        }
        let mut record = serde_json::json!({
            "at": error.at,
            "field": error.field,
            "reason": error.to_string(),
        });
        match raw {
            Raw::Json(v) => record["resource"] = v.clone(),
            Raw::Text(t) => record["line"] = Value::String(t.to_string()),
            Raw::Nothing => {}
        }
        if let Some((w, n)) = self.files.get_mut(&path) {
            serde_json::to_writer(&mut *w, &record)?;
            w.write_all(b"\n")?;
            *n += 1;
        }
        Ok(())
    }

    /// Flushes the files; returns each one written with its number of rejects.
    pub fn finish(self) -> Result<Vec<(PathBuf, u64)>> {
        let mut out = Vec::new();
        for (path, (mut w, n)) in self.files {
            w.flush().wrap_err_with(|| {
                crate::i18n::msg(
                    "file-writing",
                    &[("path", path.display().to_string().as_str().into())],
                )
            })?;
            out.push((path, n));
        }
        Ok(out)
    }
}
