//! The report's HEARTS section, one per programme, and its CSV twins: the figures Simple publishes
//! by site with the total, monthly and cumulative registrations, and Simple's quarterly cohort
//! report. Every figure comes from `store::hearts` (the rules of `domain::hearts`), as on
//! `acodesk progress --program`; the labels are the catalogue's.

use super::csv_cells::Rows;
use super::data::ReportData;
use super::esc;
use crate::domain::hearts::Counts;
use crate::i18n::I18n;
use crate::store::hearts::HeartsReport;
use std::fmt::Write;

// The three helpers of `html`, here too so that this file does not import the document that
// includes it (the module graph allows no file-level cycle).
fn text(i18n: &I18n, key: &str) -> String {
    esc(&i18n.t(key))
}

fn int(i18n: &I18n, n: u64) -> String {
    i18n.fmt.int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn msg(i18n: &I18n, key: &str, args: &[(&str, &str)]) -> String {
    let args: Vec<(&str, crate::i18n::Arg<'_>)> = args
        .iter()
        .map(|(k, v)| (*k, crate::i18n::Arg::Str(v)))
        .collect();
    esc(&i18n.t_args(key, &args))
}

/// A site's display name (the register's, "unassigned" for none).
fn site_name(d: &ReportData, i18n: &I18n, id: &str) -> String {
    if id.is_empty() {
        return i18n.t("unassigned");
    }
    d.board
        .site_options
        .iter()
        .find(|(o, _)| o == id)
        .map_or_else(|| id.to_string(), |(_, n)| n.clone())
}

fn lang(i18n: &I18n) -> &'static str {
    match i18n.lang() {
        crate::i18n::Lang::Ru => "ru",
        crate::i18n::Lang::En => "en",
    }
}

fn figure_headers(i18n: &I18n, c: &Counts) -> String {
    c.figures()
        .iter()
        .map(|(name, _)| {
            format!(
                "<th class=\"n\">{}</th>",
                esc(&i18n.t(&format!("hearts-col-{name}")))
            )
        })
        .collect()
}

fn figure_cells(i18n: &I18n, c: &Counts) -> String {
    c.figures()
        .iter()
        .map(|(_, n)| format!("<td class=\"n\">{}</td>", int(i18n, *n)))
        .collect()
}

/// The HTML sections, one per programme of the register.
pub(crate) fn sections(out: &mut String, d: &ReportData, i18n: &I18n) {
    for h in &d.hearts {
        section(out, d, i18n, h);
    }
}

fn section(out: &mut String, d: &ReportData, i18n: &I18n, h: &HeartsReport) {
    let b = &h.board;
    let _ = write!(
        out,
        "<section id=\"hearts-{}\" class=\"long\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<table>\n<thead><tr><th>{}</th>{}</tr></thead>\n<tbody>\n",
        esc(&b.program),
        msg(
            i18n,
            "report-hearts-title",
            &[("program", b.name_in(i18n.lang().code()))]
        ),
        msg(
            i18n,
            "report-hearts-note",
            &[("as_of", &i18n.fmt.date(b.end))]
        ),
        text(i18n, "col-site"),
        figure_headers(i18n, &b.total),
    );
    for (id, c) in &b.sites {
        let _ = writeln!(
            out,
            "<tr><td>{}</td>{}</tr>",
            esc(&site_name(d, i18n, id)),
            figure_cells(i18n, c)
        );
    }
    let _ = writeln!(
        out,
        "<tr class=\"total\"><td><b>{}</b></td>{}</tr>\n</tbody></table>",
        text(i18n, "progress-total"),
        figure_cells(i18n, &b.total)
    );
    let items: Vec<String> = b
        .total
        .figures()
        .iter()
        .filter_map(|(name, _)| {
            crate::domain::measures::hearts::hearts_measure(name).map(|m| {
                format!(
                    "<b>{}</b> — {}",
                    esc(&i18n.t(&format!("hearts-col-{name}"))),
                    esc(m.label.get(lang(i18n)))
                )
            })
        })
        .collect();
    let _ = writeln!(out, "<p class=\"note\">{}</p>", items.join("; "));
    // Registrations, monthly and cumulative.
    let _ = write!(
        out,
        "<h3>{}</h3>\n<table>\n<thead><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>\n",
        text(i18n, "report-hearts-registrations"),
        text(i18n, "report-col-month"),
        text(i18n, "report-col-registered"),
        text(i18n, "report-col-cumulative"),
    );
    for r in &h.registrations {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&i18n.fmt.month(r.month)),
            int(i18n, r.monthly),
            int(i18n, r.cumulative)
        );
    }
    out.push_str("</tbody></table>\n");
    // Quarterly cohorts.
    let buckets = b.total.outcome.buckets();
    let _ = write!(
        out,
        "<h3>{}</h3>\n<p class=\"note\">{}</p>\n<table>\n<thead><tr><th>{}</th><th class=\"n\">{}</th>",
        text(i18n, "report-hearts-cohorts"),
        text(i18n, "report-hearts-cohorts-note"),
        text(i18n, "report-col-quarter"),
        text(i18n, "report-col-cohort"),
    );
    for bucket in buckets {
        let _ = write!(
            out,
            "<th class=\"n\">{}</th>",
            esc(&i18n.t(&format!("hearts-col-{}", bucket.id())))
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for c in &h.cohorts {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td>",
            esc(&c.quarter.label()),
            int(i18n, c.patients)
        );
        for bucket in buckets {
            let _ = write!(
                out,
                "<td class=\"n\">{}</td>",
                int(i18n, c.buckets.bucket(*bucket))
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n</section>\n");
}

/// A programme id as a file-name part: letters, digits, `-` and `_` kept, anything else `_` (an
/// id comes from a programme file and must not lead out of the CSV folder).
fn file_part(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The CSV twins: `hearts_<programme>.csv` (figures by site and `total`),
/// `hearts_<programme>_registered.csv` (monthly and cumulative registrations) and
/// `hearts_<programme>_cohorts.csv`: names within the 31 characters of a workbook sheet for the
/// shipped programmes. They are sheets of `report --xlsx` too.
pub(crate) fn csv_files(d: &ReportData) -> Vec<(String, Rows)> {
    use super::csv_cells::Cell;
    let text = |t: &str| Cell::Text(t.to_string());
    let mut files = Vec::new();
    for h in &d.hearts {
        let b = &h.board;
        let part = file_part(&b.program);
        let mut header = vec![text("site_id")];
        header.extend(b.total.figures().iter().map(|(n, _)| text(n)));
        let mut rows = vec![header];
        for (id, c) in b
            .sites
            .iter()
            .map(|(id, c)| (id.as_str(), c))
            .chain(std::iter::once(("total", &b.total)))
        {
            let mut row = vec![text(if id.is_empty() { "-" } else { id })];
            row.extend(c.figures().iter().map(|(_, n)| Cell::from(*n)));
            rows.push(row);
        }
        files.push((format!("hearts_{part}.csv"), rows));
        let mut reg = vec![vec![text("month"), text("registered"), text("cumulative")]];
        reg.extend(h.registrations.iter().map(|r| {
            vec![
                Cell::Text(r.month.format("%Y-%m").to_string()),
                Cell::from(r.monthly),
                Cell::from(r.cumulative),
            ]
        }));
        files.push((format!("hearts_{part}_registered.csv"), reg));
        let buckets = b.total.outcome.buckets();
        let mut header = vec![text("quarter"), text("cohort")];
        header.extend(buckets.iter().map(|x| text(x.id())));
        let mut co = vec![header];
        co.extend(h.cohorts.iter().map(|c| {
            let mut row = vec![Cell::Text(c.quarter.label()), Cell::from(c.patients)];
            row.extend(buckets.iter().map(|x| Cell::from(c.buckets.bucket(*x))));
            row
        }));
        files.push((format!("hearts_{part}_cohorts.csv"), co));
    }
    files
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_programme_id_cannot_lead_out_of_the_csv_folder() {
        assert_eq!(super::file_part("../etc/x"), "___etc_x");
        assert_eq!(super::file_part("chf-2"), "chf-2");
    }
}
