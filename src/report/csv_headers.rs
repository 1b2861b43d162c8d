//! The CSV files' and workbook sheets' headers in the report's language. English keeps the stable
//! snake_case ids (`poor_control_num`, `paid`), which scripts read; Russian gets the words a
//! Russian office reads: a figure of the catalogue by its catalogue label (so the header says what
//! the screen says), a share's three columns as "<label>: числитель / знаменатель / %", a call
//! outcome and a claim category by their messages, and every other column by its `csv-col-<id>`
//! message.

use super::csv_cells::Cell;
use crate::i18n::{I18n, Lang};

/// The header of a column id in `i18n`'s language (the id itself in English).
pub fn label(id: &str, i18n: &I18n) -> String {
    if i18n.lang() == Lang::En {
        return id.to_string();
    }
    let own = format!("csv-col-{id}");
    if i18n.has(&own) {
        return i18n.t(&own);
    }
    for (suffix, part) in [
        ("_num", "csv-part-num"),
        ("_den", "csv-part-den"),
        ("_pct", "csv-part-pct"),
    ] {
        if let Some(base) = id.strip_suffix(suffix)
            && let Some(name) = figure(base, i18n)
        {
            return format!("{name}: {}", i18n.t(part));
        }
    }
    figure(id, i18n).unwrap_or_else(|| id.to_string())
}

/// A figure's name: the catalogue's label, a call outcome or a claim category.
fn figure(id: &str, i18n: &I18n) -> Option<String> {
    if let Some(m) = crate::domain::measures::measure(id) {
        return Some(m.label.get(i18n.lang().code()).to_string());
    }
    let own = format!("csv-col-{id}");
    if i18n.has(&own) {
        return Some(i18n.t(&own));
    }
    let keys = [
        id.strip_prefix("calls_").map(|o| format!("outcome-{o}")),
        Some(format!("category-{id}")),
    ];
    keys.into_iter()
        .flatten()
        .find(|k| i18n.has(k))
        .map(|k| i18n.t(&k))
}

/// Replaces a header row's ids by their headers in `i18n`'s language.
pub fn translate(row: &mut [Cell], i18n: &I18n) {
    for cell in row {
        if let Cell::Text(id) = cell {
            *id = label(id, i18n);
        }
    }
}
