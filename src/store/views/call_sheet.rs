//! The call sheet: the worklist as it is filtered and sectioned on screen, written to take along
//! (issue #20 item 10) — a print-friendly HTML page and a CSV of the same rows, with the name,
//! both phones, why the patient is on the list, the due date, and blank columns for the result and
//! notes. The Worklist tab's key and `acodesk worklist --call-sheet DIR` both call [`write`], so
//! the sheet from the dashboard and from the command line are the same.
//!
//! The rows are [`super::worklist`]'s rows for the filter, in its order (the TUI's pages are that
//! same list); the "no visit in 12 months" list is its separate list. Files are never overwritten:
//! each is named after the section and the moment it was written and created new.

use super::worklist::{WorklistFilter, WorklistView, worklist};
use crate::domain::clock::Clock;
use crate::i18n::{I18n, Lang};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One line of the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// The register's patient id.
    pub patient_id: String,
    /// Full name.
    pub name: String,
    /// Every phone, the one to dial first: the worklist's choice (`domain::phone_choice`: the
    /// main number unless it is missing or reported invalid), then the other.
    pub phones: Vec<String>,
    /// Why the patient is on the list, as the worklist says it (the deciding reason first).
    pub reason: String,
    /// The deciding reason's due date (the last visit on the "no visit in 12 months" list).
    pub due: Option<NaiveDate>,
}

/// The sheet: what list it is, for which day, and its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSheet {
    /// The list's name: the section, with the filter in force.
    pub title: String,
    /// The day the list is for.
    pub as_of: NaiveDate,
    /// The section's code, for the file names (`to_call`, …, `lost`).
    pub section_code: &'static str,
    /// The rows in the list's order.
    pub rows: Vec<SheetRow>,
}

/// Where the two files went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The printable page.
    pub html: PathBuf,
    /// The same rows as CSV.
    pub csv: PathBuf,
    /// How many rows.
    pub rows: usize,
}

/// The sheet of a worklist section (`lost`: the "no visit in 12 months" list instead), for the
/// filter in force.
pub fn call_sheet(
    conn: &Connection,
    clock: &Clock,
    filter: &WorklistFilter,
    lost: bool,
    i18n: &I18n,
) -> rusqlite::Result<CallSheet> {
    let view = worklist(conn, clock, filter)?;
    from_view(conn, &view, filter, lost, i18n)
}

/// The sheet of an already computed worklist view.
pub fn from_view(
    conn: &Connection,
    view: &WorklistView,
    filter: &WorklistFilter,
    lost: bool,
    i18n: &I18n,
) -> rusqlite::Result<CallSheet> {
    let mut phones = conn.prepare_cached(
        "SELECT coalesce(phone, ''), coalesce(phone2, '') FROM patients WHERE id = ?1",
    )?;
    let mut phones_of = |id: &str| -> rusqlite::Result<Vec<String>> {
        let (a, b): (String, String) = phones.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok([a, b]
            .into_iter()
            .filter(|p| !p.trim().is_empty())
            .collect())
    };
    // The number the list shows first, as on the screen and in the worklist's CSV.
    let dial_first = |mut phones: Vec<String>, shown: Option<&String>| {
        if let Some(i) = shown.and_then(|s| phones.iter().position(|p| p == s)) {
            let p = phones.remove(i);
            phones.insert(0, p);
        }
        phones
    };
    let mut rows = Vec::new();
    if lost {
        // The ones a nurse took off the list are not to be called (they stay in the count).
        for r in view.lost_to_follow_up.iter().filter(|r| !r.taken_off) {
            let last = r
                .last_visit
                .map_or_else(|| i18n.t("never"), |d| i18n.fmt.date(d));
            rows.push(SheetRow {
                patient_id: r.patient_id.clone(),
                name: r.full_name.clone(),
                phones: dial_first(phones_of(&r.patient_id)?, r.phone.as_ref()),
                reason: i18n.t_args("sheet-reason-lost", &[("last", last.as_str().into())]),
                due: r.last_visit,
            });
        }
    } else {
        for r in &view.rows {
            rows.push(SheetRow {
                patient_id: r.patient_id.clone(),
                name: r.full_name.clone(),
                phones: dial_first(phones_of(&r.patient_id)?, r.phone.as_ref()),
                reason: crate::i18n::worklist::reasons(
                    i18n,
                    &r.entry,
                    view.as_of,
                    crate::store::rules::programs(),
                )
                .join("; "),
                due: Some(r.entry.due),
            });
        }
    }
    let (section_code, name) = if lost {
        ("lost", i18n.t("section-name-lost"))
    } else {
        (
            filter.section.as_code(),
            crate::i18n::worklist::section_name(i18n, filter.section),
        )
    };
    Ok(CallSheet {
        title: title(&name, filter, view, i18n),
        as_of: view.as_of,
        section_code,
        rows,
    })
}

/// The section's name with the filters in force ("To call — site: …, reason: …").
fn title(name: &str, filter: &WorklistFilter, view: &WorklistView, i18n: &I18n) -> String {
    let mut parts = Vec::new();
    if let Some(site) = &filter.site_id {
        let label = view
            .sites
            .iter()
            .find(|(id, _)| id == site)
            .map_or(site.as_str(), |(_, n)| n.as_str());
        parts.push(format!("{}: {label}", i18n.t("sheet-filter-site")));
    }
    if let Some(nurse) = &filter.nurse_id {
        let label = view
            .nurses
            .iter()
            .find(|(id, _, _)| id == nurse)
            .map_or(nurse.as_str(), |(_, n, _)| n.as_str());
        parts.push(format!("{}: {label}", i18n.t("sheet-filter-nurse")));
    }
    if let Some(reason) = filter.reason {
        parts.push(format!(
            "{}: {}",
            i18n.t("sheet-filter-reason"),
            i18n.t(&format!("reason-short-{}", reason.as_code()))
        ));
    }
    if let Some(id) = &filter.program {
        let lang = i18n.lang().code();
        let program = crate::store::rules::program(id).map_or(id.as_str(), |p| p.name_in(lang));
        parts.push(format!("{}: {program}", i18n.t("program-label")));
    }
    if filter.has_phone {
        parts.push(i18n.t("filter-has-phone"));
    }
    if !filter.search.trim().is_empty() {
        parts.push(format!("«{}»", filter.search.trim()));
    }
    if parts.is_empty() {
        name.to_string()
    } else {
        format!("{name} — {}", parts.join(", "))
    }
}

/// The column titles, the same in both files.
fn header(i18n: &I18n) -> Vec<String> {
    [
        "sheet-col-n",
        "sheet-col-patient",
        "sheet-col-phones",
        "sheet-col-reason",
        "sheet-col-due",
        "sheet-col-result",
        "sheet-col-notes",
        "sheet-col-id",
    ]
    .iter()
    .map(|k| i18n.t(k))
    .collect()
}

/// The cells of a row as both files write them (result and notes blank, to fill by hand).
fn cells(i: usize, r: &SheetRow, i18n: &I18n) -> Vec<String> {
    vec![
        (i + 1).to_string(),
        r.name.clone(),
        r.phones.join(", "),
        r.reason.clone(),
        r.due.map(|d| i18n.fmt.date(d)).unwrap_or_default(),
        String::new(),
        String::new(),
        r.patient_id.clone(),
    ]
}

/// The sheet as CSV: UTF-8 with a byte-order mark, `;`-separated in Russian (as Russian Excel
/// opens it with a double click) and `,` in English.
pub fn to_csv(sheet: &CallSheet, i18n: &I18n) -> Result<Vec<u8>, csv::Error> {
    let delimiter = if i18n.lang() == Lang::Ru { b';' } else { b',' };
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(&mut out);
        w.write_record(header(i18n))?;
        for (i, r) in sheet.rows.iter().enumerate() {
            w.write_record(cells(i, r, i18n))?;
        }
        w.flush()?;
    }
    Ok(out)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The printable page: A4 landscape, black on white, the header repeated on every printed page,
/// rows never split across pages, tall blank cells for the result and the notes.
pub fn to_html(sheet: &CallSheet, i18n: &I18n, written_at: NaiveDateTime) -> String {
    let mut h = String::new();
    let lang = if i18n.lang() == Lang::Ru { "ru" } else { "en" };
    let heading = i18n.t_args(
        "sheet-heading",
        &[
            ("title", sheet.title.as_str().into()),
            ("date", i18n.fmt.date(sheet.as_of).as_str().into()),
        ],
    );
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n",
        escape(&heading)
    ));
    h.push_str(
        "<style>
@page { size: A4 landscape; margin: 12mm; }
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 9.5pt; color: #000; background: #fff; margin: 0; }
h1 { font-size: 14pt; margin: 0 0 2mm 0; }
p.meta { margin: 0 0 4mm 0; color: #333; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { border: 1px solid #000; padding: 1.2mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #e8e8e8; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
col.n { width: 3%; } col.name { width: 16%; } col.phones { width: 13%; } col.reason { width: 23%; }
col.due { width: 8%; } col.result { width: 13%; } col.notes { width: 17%; } col.id { width: 7%; }
td.n { text-align: right; }
td.name { font-weight: bold; }
td.phones, td.due { white-space: nowrap; }
td.result { height: 10mm; }
td.id { font-size: 8pt; color: #333; overflow-wrap: anywhere; }
</style>
</head>
<body>
",
    );
    h.push_str(&format!("<h1>{}</h1>\n", escape(&heading)));
    h.push_str(&format!(
        "<p class=\"meta\">{}</p>\n",
        escape(&i18n.t_args(
            "sheet-meta",
            &[
                ("count", sheet.rows.len().into()),
                ("written", i18n.fmt.date_time(written_at).as_str().into()),
            ],
        ))
    ));
    let classes = [
        "n", "name", "phones", "reason", "due", "result", "notes", "id",
    ];
    // Fixed column widths: the reason takes what the others leave.
    h.push_str("<table>\n<colgroup>");
    for class in classes {
        h.push_str(&format!("<col class=\"{class}\">"));
    }
    h.push_str("</colgroup>\n<thead><tr>");
    for col in header(i18n) {
        h.push_str(&format!("<th>{}</th>", escape(&col)));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (i, r) in sheet.rows.iter().enumerate() {
        h.push_str("<tr>");
        for (class, cell) in classes.iter().zip(cells(i, r, i18n)) {
            // Each phone on its own line, so a number is never broken.
            let text = if *class == "phones" {
                r.phones
                    .iter()
                    .map(|p| escape(p))
                    .collect::<Vec<_>>()
                    .join("<br>")
            } else {
                escape(&cell)
            };
            h.push_str(&format!("<td class=\"{class}\">{text}</td>"));
        }
        h.push_str("</tr>\n");
    }
    if sheet.rows.is_empty() {
        h.push_str(&format!(
            "<tr><td colspan=\"8\">{}</td></tr>\n",
            escape(&i18n.t("sheet-empty"))
        ));
    }
    h.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    h
}

/// The sentence saying where a call sheet went, the folder first (the part a narrow status line
/// keeps), the home folder written `~`: the dashboard's status line and the CLI say it.
pub fn written_message(i18n: &I18n, w: &Written) -> String {
    let dir = w.html.parent().unwrap_or(Path::new("")).to_path_buf();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let dir = match home.as_deref().and_then(|h| dir.strip_prefix(h).ok()) {
        Some(rest) if !rest.as_os_str().is_empty() => format!("~/{}", rest.display()),
        _ => dir.display().to_string(),
    };
    let stem = w
        .html
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    i18n.t_args(
        "sheet-written",
        &[
            ("count", w.rows.into()),
            ("dir", dir.as_str().into()),
            ("stem", stem.as_str().into()),
        ],
    )
}

/// The folder the dashboard writes call sheets to: `exports` in the register's folder (for the
/// default and the demo register, acodesk's data folder), where the sheets stay as private as
/// the register itself.
pub fn default_dir(register: &Path) -> PathBuf {
    register
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("exports")
}

/// Writes the sheet's HTML and CSV into `dir` (created if missing) under names carrying the
/// section and the moment (`call-sheet-to_call-2026-12-06-0915.html`); a name already taken gets
/// `-2`, `-3`, … — nothing is ever overwritten.
pub fn write(
    sheet: &CallSheet,
    dir: &Path,
    i18n: &I18n,
    now: NaiveDateTime,
) -> std::io::Result<Written> {
    create_private_dir(dir)?;
    let stem = format!(
        "call-sheet-{}-{}",
        sheet.section_code,
        now.format("%Y-%m-%d-%H%M")
    );
    let csv = to_csv(sheet, i18n).map_err(std::io::Error::other)?;
    let html = to_html(sheet, i18n, now);
    for n in 1u32.. {
        let stem = if n == 1 {
            stem.clone()
        } else {
            format!("{stem}-{n}")
        };
        let (html_path, csv_path) = (
            dir.join(format!("{stem}.html")),
            dir.join(format!("{stem}.csv")),
        );
        if html_path.exists() || csv_path.exists() {
            continue;
        }
        let Some(mut h) = create_new(&html_path)? else {
            continue;
        };
        let Some(mut c) = create_new(&csv_path)? else {
            drop(h);
            let _ = std::fs::remove_file(&html_path);
            continue;
        };
        h.write_all(html.as_bytes())?;
        h.sync_all()?;
        c.write_all(&csv)?;
        c.sync_all()?;
        return Ok(Written {
            html: html_path,
            csv: csv_path,
            rows: sheet.rows.len(),
        });
    }
    Err(std::io::Error::other("no free file name"))
}

/// Creates `dir` and its missing parents; the folder itself owner-only (0700 on Unix) when this
/// creates it (an existing folder keeps its mode).
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    match builder.create(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }
}

/// Creates an owner-only file (0600: a sheet holds names and phones) that must not exist yet;
/// `None` when another writer took the name first.
fn create_new(path: &Path) -> std::io::Result<Option<std::fs::File>> {
    match crate::store::backup::create_private(path) {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet() -> CallSheet {
        CallSheet {
            title: "К обзвону".into(),
            as_of: NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(),
            section_code: "to_call",
            rows: vec![SheetRow {
                patient_id: "P1".into(),
                name: "Иванова <Мария>".into(),
                phones: vec!["+7 900 000-00-00".into(), "8 (937) 492-75-89".into()],
                reason: "выписка; ГД ≥ 180/110".into(),
                due: NaiveDate::from_ymd_opt(2026, 12, 1),
            }],
        }
    }

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 6)
            .unwrap()
            .and_hms_opt(9, 15, 0)
            .unwrap()
    }

    #[test]
    fn csv_has_a_bom_the_russian_separator_and_blank_result_columns() {
        let i18n = I18n::new(Lang::Ru);
        let text = String::from_utf8(to_csv(&sheet(), &i18n).unwrap()).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[1],
            "1;Иванова <Мария>;+7 900 000-00-00, 8 (937) 492-75-89;выписка; ГД ≥ 180/110;01.12.2026;;;P1"
                .replace("выписка; ГД ≥ 180/110", "\"выписка; ГД ≥ 180/110\"")
        );
        let en = String::from_utf8(to_csv(&sheet(), &I18n::new(Lang::En)).unwrap()).unwrap();
        assert!(en.contains(",2026-12-01,,,P1"), "{en}");
    }

    #[test]
    fn html_escapes_and_names_every_column_in_both_languages() {
        for lang in [Lang::Ru, Lang::En] {
            let i18n = I18n::new(lang);
            let html = to_html(&sheet(), &i18n, now());
            assert!(html.contains("Иванова &lt;Мария&gt;"));
            assert!(html.contains("+7 900 000-00-00<br>8 (937) 492-75-89"));
            assert!(!html.contains("sheet-"), "every message exists: {html}");
            assert!(html.contains("@page"));
        }
    }

    #[test]
    fn writing_twice_in_one_minute_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let i18n = I18n::new(Lang::Ru);
        let first = write(&sheet(), dir.path(), &i18n, now()).unwrap();
        let second = write(&sheet(), dir.path(), &i18n, now()).unwrap();
        assert_ne!(first.html, second.html);
        assert!(
            first
                .html
                .ends_with("call-sheet-to_call-2026-12-06-0915.html")
        );
        assert!(
            second
                .csv
                .ends_with("call-sheet-to_call-2026-12-06-0915-2.csv")
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&first.html), 0o600, "names and phones: owner only");
            assert_eq!(mode(&first.csv), 0o600);
            let made = dir.path().join("new/exports");
            write(&sheet(), &made, &i18n, now()).unwrap();
            assert_eq!(mode(&made), 0o700);
        }
    }
}
