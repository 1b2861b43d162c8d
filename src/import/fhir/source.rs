//! The file side of the FHIR importer: which files a list of paths names, reading Bundles and
//! NDJSON into located resources, the located errors, and the reject files.
//!
//! A Bundle file (or a file holding one resource) is parsed whole: Bundles are bounded, and files
//! over [`MAX_BUNDLE_BYTES`] are refused. NDJSON is streamed line by line, one line in memory at a
//! time (at most [`MAX_LINE_BYTES`]); a line holding a Bundle is read as that Bundle's entries.

use super::json::{Bad, array, text};
use color_eyre::eyre::{Result, WrapErr};
use serde_json::Value;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The largest Bundle file read (a bulk export this size should be NDJSON).
pub const MAX_BUNDLE_BYTES: u64 = 512 << 20;
/// The longest NDJSON line read.
pub const MAX_LINE_BYTES: u64 = 64 << 20;

/// How a file holds its resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A JSON document: a Bundle, or one resource.
    Json,
    /// One resource per line (Bulk FHIR export).
    Ndjson,
}

/// One input file.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file.
    pub path: PathBuf,
    /// The file's name as messages show it (the path as given, or as found in a given folder).
    pub name: String,
    /// How it holds its resources.
    pub format: Format,
}

/// A bad input, located: `FILE:AT:FIELD: what is wrong, what was expected`, where AT is the NDJSON
/// line number or the Bundle entry (`entry[12]`, `3:entry[0]` for a Bundle on an NDJSON line) and
/// FIELD the FHIR path; either is left out when it does not apply.
#[derive(Debug, Clone, PartialEq)]
pub struct FhirError {
    /// The file's name.
    pub file: String,
    /// The line, the entry, or the line and column of a JSON syntax error.
    pub at: Option<String>,
    /// The FHIR path of the element at fault.
    pub field: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for FhirError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(at) = &self.at {
            write!(f, ":{at}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ":{field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for FhirError {}

fn whole(file: &str, message: impl Into<String>) -> FhirError {
    FhirError {
        file: file.to_string(),
        at: None,
        field: None,
        message: message.into(),
    }
}

/// The first bytes of a file, for telling what it is without reading it all.
fn head_of(path: &Path, max: u64) -> Vec<u8> {
    let mut head = Vec::new();
    if let Ok(f) = File::open(path) {
        let _ = f.take(max).read_to_end(&mut head);
    }
    head
}

/// True when a file of a Bulk FHIR export folder holds no FHIR resources: the export client's
/// `log.ndjson`, or a file whose first JSON value is an object without `resourceType` (the
/// export's manifest, a client's log in another name). Such files are skipped with a note.
fn is_non_resource_file(path: &Path, format: Format) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name == "log.ndjson" || name.ends_with(".log.ndjson") {
        return true;
    }
    let head = head_of(path, 1 << 20);
    let first = match format {
        Format::Ndjson => head
            .split(|b| *b == b'\n')
            .map(<[u8]>::trim_ascii)
            .find(|l| !l.is_empty())
            .unwrap_or_default(),
        Format::Json => &head[..],
    };
    let first = first.strip_prefix("\u{feff}".as_bytes()).unwrap_or(first);
    match serde_json::from_slice::<Value>(first) {
        Ok(Value::Object(o)) => !o.contains_key("resourceType"),
        _ => false,
    }
}

/// Refuses a Git LFS pointer given in place of the data.
fn refuse_lfs_pointer(path: &Path, name: &str) -> std::result::Result<(), FhirError> {
    if crate::import::csv_file::is_lfs_pointer(&head_of(path, 64)) {
        return Err(whole(name, crate::i18n::msg("import-lfs-pointer", &[])));
    }
    Ok(())
}

/// The files `paths` name: each file as given, each folder's `.json` / `.ndjson` / `.jsonl` files
/// sorted by name (not recursively; reject files are left out, and so are a folder's files that
/// hold no FHIR resources: see [`is_non_resource_file`]). Returns the notes on the files left out.
pub fn inputs(paths: &[PathBuf]) -> std::result::Result<(Vec<Input>, Vec<String>), FhirError> {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        if path.is_dir() {
            let listing = std::fs::read_dir(path).map_err(|e| {
                whole(
                    &name,
                    crate::i18n::msg(
                        "import-cannot-list",
                        &[("error", e.to_string().as_str().into())],
                    ),
                )
            })?;
            let mut found: Vec<PathBuf> = listing
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && format_of(p).is_some())
                .collect();
            found.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
            if found.is_empty() {
                return Err(whole(
                    &name,
                    crate::i18n::msg("import-fhir-empty-folder", &[]),
                ));
            }
            for p in found {
                if let Some(format) = format_of(&p) {
                    let name = p.display().to_string();
                    refuse_lfs_pointer(&p, &name)?;
                    if is_non_resource_file(&p, format) {
                        notes.push(crate::i18n::msg(
                            "import-fhir-not-resources",
                            &[("file", name.as_str().into())],
                        ));
                        continue;
                    }
                    out.push(Input {
                        path: p,
                        name,
                        format,
                    });
                }
            }
        } else if path.is_file() {
            let format = format_of(path).ok_or_else(|| {
                whole(&name, crate::i18n::msg("import-fhir-wrong-extension", &[]))
            })?;
            refuse_lfs_pointer(path, &name)?;
            out.push(Input {
                path: path.clone(),
                name,
                format,
            });
        } else {
            return Err(whole(
                &name,
                crate::i18n::msg("import-fhir-no-such-path", &[]),
            ));
        }
    }
    if out.is_empty() {
        if let Some(path) = paths.first() {
            return Err(whole(
                &path.display().to_string(),
                crate::i18n::msg("import-fhir-empty-folder", &[]),
            ));
        }
    }
    Ok((out, notes))
}

fn format_of(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".rejects.ndjson") {
        None
    } else if name.ends_with(".ndjson") || name.ends_with(".jsonl") {
        Some(Format::Ndjson)
    } else if name.ends_with(".json") {
        Some(Format::Json)
    } else {
        None
    }
}

/// Where in its file a resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    /// The NDJSON line.
    pub line: Option<u64>,
    /// The Bundle entry.
    pub entry: Option<usize>,
}

impl At {
    fn label(self) -> Option<String> {
        match (self.line, self.entry) {
            (Some(l), Some(e)) => Some(format!("{l}:entry[{e}]")),
            (Some(l), None) => Some(l.to_string()),
            (None, Some(e)) => Some(format!("entry[{e}]")),
            (None, None) => None,
        }
    }
}

/// One resource read from an input.
pub struct Entry<'a> {
    /// The file it is in.
    pub input: &'a Input,
    /// Where in the file.
    pub at: At,
    /// The Bundle entry's `fullUrl`, when there is one.
    pub full_url: Option<&'a str>,
    /// Its `resourceType`.
    pub kind: &'a str,
    /// The resource.
    pub resource: &'a Value,
}

impl Entry<'_> {
    /// Locates a bad element of this resource.
    pub fn error(&self, bad: Bad) -> FhirError {
        FhirError {
            file: self.input.name.clone(),
            at: self.at.label(),
            field: Some(bad.field).filter(|f| !f.is_empty()),
            message: bad.message,
        }
    }
}

/// What a reject file keeps of a bad item.
#[derive(Clone, Copy)]
pub enum Raw<'a> {
    /// The resource as read.
    Json(&'a Value),
    /// The line as read (it was not JSON).
    Text(&'a str),
    /// Nothing (a whole file that is not JSON).
    Nothing,
}

/// What reading yields: a resource, or something that is not one.
pub enum Item<'a> {
    /// A resource with a `resourceType`.
    Resource(Entry<'a>),
    /// Not JSON, not an object, or without a `resourceType`.
    Unreadable {
        /// Why, located.
        error: FhirError,
        /// What the reject file keeps.
        raw: Raw<'a>,
        /// The file.
        input: &'a Input,
    },
}

/// Reads every input in order, handing each resource (or unreadable item) to `each`.
pub fn read_all(inputs: &[Input], mut each: impl FnMut(Item<'_>) -> Result<()>) -> Result<()> {
    for input in inputs {
        match input.format {
            Format::Json => read_json(input, &mut each)?,
            Format::Ndjson => read_ndjson(input, &mut each)?,
        }
    }
    Ok(())
}

/// "FILE: cannot be read" as the context of an I/O error (the system's words follow it).
fn cannot_read_file(input: &Input) -> String {
    crate::i18n::msg(
        "import-file-cannot-be-read",
        &[("file", input.name.as_str().into())],
    )
}

fn json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn read_json(input: &Input, each: &mut impl FnMut(Item<'_>) -> Result<()>) -> Result<()> {
    let size = std::fs::metadata(&input.path)
        .wrap_err_with(|| cannot_read_file(input))?
        .len();
    if size > MAX_BUNDLE_BYTES {
        let error = whole(
            &input.name,
            crate::i18n::msg(
                "import-fhir-bundle-too-large",
                &[("max", (MAX_BUNDLE_BYTES >> 20).into())],
            ),
        );
        return each(Item::Unreadable {
            error,
            raw: Raw::Nothing,
            input,
        });
    }
    let bytes = std::fs::read(&input.path).wrap_err_with(|| cannot_read_file(input))?;
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            let error = FhirError {
                file: input.name.clone(),
                at: Some(format!("{}:{}", e.line(), e.column())),
                field: None,
                message: crate::i18n::msg(
                    "import-fhir-bad-json",
                    &[("error", json_error(&e).as_str().into())],
                ),
            };
            return each(Item::Unreadable {
                error,
                raw: Raw::Nothing,
                input,
            });
        }
    };
    emit(input, None, &value, each)
}

/// Hands over one parsed value: a Bundle's entries one by one, or the value as one resource.
fn emit(
    input: &Input,
    line: Option<u64>,
    value: &Value,
    each: &mut impl FnMut(Item<'_>) -> Result<()>,
) -> Result<()> {
    let at = At { line, entry: None };
    if text(value, "resourceType") != Some("Bundle") {
        return each(resource_item(input, at, None, value));
    }
    for (i, entry) in array(value, "entry").iter().enumerate() {
        // An entry without a resource (a transaction response, a deletion) carries nothing to load.
        let Some(resource) = entry.get("resource") else {
            continue;
        };
        let at = At {
            line,
            entry: Some(i),
        };
        each(resource_item(input, at, text(entry, "fullUrl"), resource))?;
    }
    Ok(())
}

fn resource_item<'a>(
    input: &'a Input,
    at: At,
    full_url: Option<&'a str>,
    resource: &'a Value,
) -> Item<'a> {
    let problem = if !resource.is_object() {
        crate::i18n::msg("import-fhir-not-object", &[])
    } else if let Some(kind) = text(resource, "resourceType") {
        return Item::Resource(Entry {
            input,
            at,
            full_url,
            kind,
            resource,
        });
    } else {
        crate::i18n::msg("import-fhir-no-resource-type", &[])
    };
    let error = FhirError {
        file: input.name.clone(),
        at: at.label(),
        field: None,
        message: problem.to_string(),
    };
    Item::Unreadable {
        error,
        raw: Raw::Json(resource),
        input,
    }
}

fn read_ndjson(input: &Input, each: &mut impl FnMut(Item<'_>) -> Result<()>) -> Result<()> {
    let file = File::open(&input.path).wrap_err_with(|| cannot_read_file(input))?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = (&mut reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut buf)
            .wrap_err_with(|| cannot_read_file(input))?;
        if n == 0 {
            return Ok(());
        }
        line += 1;
        let at = Some(line.to_string());
        if buf.len() as u64 > MAX_LINE_BYTES && !buf.ends_with(b"\n") {
            skip_rest_of_line(&mut reader, input)?;
            let message = crate::i18n::msg(
                "import-fhir-line-too-long",
                &[("max", (MAX_LINE_BYTES >> 20).into())],
            );
            let error = FhirError {
                file: input.name.clone(),
                at,
                field: None,
                message,
            };
            each(Item::Unreadable {
                error,
                raw: Raw::Nothing,
                input,
            })?;
            continue;
        }
        let mut bytes = buf.trim_ascii();
        if line == 1 {
            bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        }
        if bytes.is_empty() {
            continue;
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(value) => emit(input, Some(line), &value, each)?,
            Err(e) => {
                let shown = String::from_utf8_lossy(bytes);
                let message = crate::i18n::msg(
                    "import-fhir-bad-json-line",
                    &[
                        ("column", e.column().into()),
                        ("error", json_error(&e).as_str().into()),
                    ],
                );
                let error = FhirError {
                    file: input.name.clone(),
                    at,
                    field: None,
                    message,
                };
                each(Item::Unreadable {
                    error,
                    raw: Raw::Text(&shown),
                    input,
                })?;
            }
        }
    }
}

fn skip_rest_of_line(reader: &mut BufReader<File>, input: &Input) -> Result<()> {
    loop {
        let chunk = reader
            .fill_buf()
            .wrap_err_with(|| cannot_read_file(input))?;
        if chunk.is_empty() {
            return Ok(());
        }
        if let Some(i) = chunk.iter().position(|b| *b == b'\n') {
            reader.consume(i + 1);
            return Ok(());
        }
        let n = chunk.len();
        reader.consume(n);
    }
}
