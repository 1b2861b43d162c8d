//! The report's sections for the Fund and the regional ministry beyond the indicators: the call
//! cascade, readmissions by hospital and by site, the twelve-month trends, spend by category and
//! per site, the data sources and their freshness, and the sign-off block.
//!
//! Every figure is taken from a shared view with the column definitions the Progress tab and
//! `acodesk progress` use (`store::views::progress::Column`), so a figure has one label and one
//! value on every surface; nothing here computes a figure of its own.

use super::data::ReportData;
use super::esc;
use super::html::{int, msg, text};
use super::tables::group_name;
use crate::domain::indicators::Ratio;
use crate::domain::types::{CallOutcome, ClaimCategory};
use crate::i18n::I18n;
use crate::store::views::progress::{Column, Figure, GroupExtras, GroupTally};
use chrono::NaiveDate;
use std::fmt::Write;

/// The columns of the cascade table, in cascade order, then the month's calls and the calls that
/// ended in an agreement to visit.
pub(crate) const CASCADE: [Column; 7] = [
    Column::Overdue,
    Column::Contactable,
    Column::Called,
    Column::Reached,
    Column::Returned,
    Column::Calls,
    Column::Outcome(CallOutcome::AgreedToVisit),
];

/// A figure in a table cell: a count, or "share (numerator/denominator)".
fn cell(i18n: &I18n, f: Figure) -> String {
    match f {
        Figure::Count(n) => format!("<td class=\"n\">{}</td>", int(i18n, n)),
        Figure::Ratio(r) => format!("<td class=\"n\">{}</td>", esc(&i18n.fmt.ratio(r))),
    }
}

/// The header cell of a column: its short caption (as on the Progress tab).
fn header(i18n: &I18n, c: Column) -> String {
    format!("<th class=\"n\">{}</th>", esc(&i18n.t(&c.key())))
}

/// "Short — the catalogue's label" for every column, under a table.
fn legend(out: &mut String, i18n: &I18n, columns: &[Column]) {
    let items: Vec<String> = columns
        .iter()
        .map(|c| {
            format!(
                "<b>{}</b> — {}",
                esc(&i18n.t(&c.key())),
                esc(&c.long_label(i18n))
            )
        })
        .collect();
    let _ = writeln!(out, "<p class=\"note\">{}</p>", items.join("; "));
}

/// One table of groups (sites) and a total row over `columns`.
fn group_table(
    out: &mut String,
    i18n: &I18n,
    class: &str,
    groups: &[(String, &GroupTally, &GroupExtras)],
    total: (&crate::domain::indicators::Tally, &GroupExtras),
    columns: &[Column],
) {
    let _ = write!(
        out,
        "<table class=\"{class}\">\n<thead><tr><th>{}</th>",
        text(i18n, "col-site")
    );
    for c in columns {
        out.push_str(&header(i18n, *c));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (name, g, x) in groups {
        let _ = write!(out, "<tr><td>{}</td>", esc(name));
        for c in columns {
            out.push_str(&cell(i18n, c.figure(&g.tally, x)));
        }
        out.push_str("</tr>\n");
    }
    let _ = write!(
        out,
        "<tr class=\"total\"><td>{}</td>",
        text(i18n, "progress-total")
    );
    for c in columns {
        out.push_str(&cell(i18n, c.figure(total.0, total.1)));
    }
    out.push_str("</tr>\n</tbody></table>\n");
}

/// The board's sites with their names, in the Progress tab's order.
fn sites<'a>(d: &'a ReportData, i18n: &I18n) -> Vec<(String, &'a GroupTally, &'a GroupExtras)> {
    d.board
        .view
        .sites
        .iter()
        .zip(&d.board.sites)
        .map(|(g, x)| (group_name(g, i18n), g, x))
        .collect()
}

/// The call cascade of the as-of month by site: overdue on the 1st → with a phone → called →
/// reached → back to care, and the month's calls.
pub(crate) fn cascade(out: &mut String, d: &ReportData, i18n: &I18n) {
    let b = &d.board;
    let _ = write!(
        out,
        "<section id=\"cascade\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        msg(
            i18n,
            "report-cascade",
            &[("month", &i18n.fmt.month(b.month.first))]
        ),
        msg(
            i18n,
            "report-cascade-note",
            &[
                ("from", &i18n.fmt.date(b.month.first)),
                ("to", &i18n.fmt.date(b.month.last)),
            ],
        ),
    );
    group_table(
        out,
        i18n,
        "cascade",
        &sites(d, i18n),
        (&b.view.total, &b.total),
        &CASCADE,
    );
    legend(out, i18n, &CASCADE);
    out.push_str("</section>\n");
}

/// Readmissions by discharging hospital (the Readmissions tab's table) and by the patients'
/// assigned site (the Progress tab's column), over the same index period.
pub(crate) fn readmissions_by(out: &mut String, d: &ReportData, i18n: &I18n) {
    let v = &d.readmissions;
    let s = &v.summary;
    let _ = write!(
        out,
        "<section id=\"readmissions-by\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n\
         <table class=\"readm-by\">\n<thead><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>\n",
        text(i18n, "report-readm-by"),
        msg(
            i18n,
            "report-readm-period",
            &[
                ("from", &i18n.fmt.date(s.period.from)),
                ("to", &i18n.fmt.date(s.period.to)),
                ("as_of", &i18n.fmt.date(s.period.as_of)),
            ],
        ),
        text(i18n, "readm-by-hospital"),
        text(i18n, "readm-col-index_stays"),
        text(i18n, "readm-col-readmissions"),
        text(i18n, "readm-col-rate"),
    );
    let ratio_row = |out: &mut String, class: &str, name: &str, r: Ratio| {
        let _ = writeln!(
            out,
            "<tr{class}><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(name),
            int(i18n, r.denominator),
            int(i18n, r.numerator),
            esc(&i18n.fmt.share(r)),
        );
    };
    for o in &s.by_organization {
        let name = o
            .organization_id
            .as_ref()
            .map(|id| {
                v.organizations
                    .iter()
                    .find(|(oid, _)| oid == id)
                    .map_or_else(|| id.clone(), |(_, n)| n.clone())
            })
            .unwrap_or_else(|| i18n.t("report-not-recorded"));
        ratio_row(
            out,
            "",
            &name,
            Ratio {
                numerator: o.readmissions,
                denominator: o.index_stays,
            },
        );
    }
    ratio_row(
        out,
        " class=\"total\"",
        &i18n.t("progress-total"),
        Ratio {
            numerator: s.readmissions,
            denominator: s.index_stays,
        },
    );
    let _ = write!(
        out,
        "</tbody></table>\n<table class=\"readm-by\">\n<thead><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>\n",
        text(i18n, "report-readm-by-site"),
        text(i18n, "readm-col-index_stays"),
        text(i18n, "readm-col-readmissions"),
        text(i18n, "readm-col-rate"),
    );
    for (name, _, x) in sites(d, i18n) {
        ratio_row(out, "", &name, x.readmissions);
    }
    ratio_row(
        out,
        " class=\"total\"",
        &i18n.t("progress-total"),
        d.board.total.readmissions,
    );
    let _ = writeln!(
        out,
        "</tbody></table>\n<p class=\"note\">{}</p>\n</section>",
        text(i18n, "report-readm-by-note")
    );
}

/// The indicators at the end of each of the last twelve months, each over its own window.
pub(crate) fn trends(out: &mut String, d: &ReportData, i18n: &I18n) {
    let b = &d.board;
    let _ = write!(
        out,
        "<section id=\"trends\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<table class=\"trends\">\n<thead><tr><th>{}</th>",
        text(i18n, "report-trends"),
        text(i18n, "progress-trends"),
        text(i18n, "report-col-month-end"),
    );
    for c in Column::TRENDS {
        out.push_str(&header(i18n, c));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for m in &b.series {
        let _ = write!(out, "<tr><td>{}</td>", esc(&i18n.fmt.date(m.end)));
        for c in Column::TRENDS {
            out.push_str(&cell(i18n, Figure::Ratio(c.trend(m).unwrap_or_default())));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
    legend(out, i18n, &Column::TRENDS);
    let _ = writeln!(
        out,
        "<p class=\"note\">{}</p>\n</section>",
        msg(
            i18n,
            "report-trends-readm-note",
            &[("as_of", &i18n.fmt.date(b.as_of))]
        )
    );
}

/// A category's name in the report's language.
fn category(i18n: &I18n, c: ClaimCategory) -> String {
    i18n.t(&format!("category-{}", c.as_code()))
}

/// Spend by category (the Budget tab's breakdown) and spend per person-year by site and category
/// (the utilisation the Budget tab and `finance` show).
pub(crate) fn spend(out: &mut String, d: &ReportData, i18n: &I18n) {
    let b = &d.budget;
    let money = |m| esc(&i18n.fmt.money(m, &b.currency));
    let _ = write!(
        out,
        "<section id=\"spend\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<table class=\"figures spend\">\n<thead><tr><th>{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>\n",
        msg(
            i18n,
            "report-spend",
            &[("year", &b.performance_year.to_string())]
        ),
        msg(
            i18n,
            "report-spend-note",
            &[("as_of", &i18n.fmt.date(d.as_of))]
        ),
        text(i18n, "report-col-category"),
        text(i18n, "report-col-paid"),
    );
    let mut covered = crate::domain::money::Money::ZERO;
    for (c, m) in &b.by_category {
        covered += *m;
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(&category(i18n, *c)),
            money(*m)
        );
    }
    let _ = writeln!(
        out,
        "<tr class=\"total\"><td>{}</td><td class=\"n\">{}</td></tr>",
        text(i18n, "report-spend-covered"),
        money(covered)
    );
    for (c, m) in &b.outside_benchmark {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(&crate::store::views::budget_steps::outside_label(
                b, *c, i18n
            )),
            money(*m)
        );
    }
    out.push_str("</tbody></table>\n");
    // Per person-year by site: the categories any site has spend in, then all of them.
    let u = &b.utilisation;
    let cats: Vec<ClaimCategory> = ClaimCategory::ALL
        .iter()
        .copied()
        .filter(|c| u.total.spend.contains_key(c))
        .collect();
    let _ = write!(
        out,
        "<table class=\"spend-sites\">\n<thead><tr><th>{}</th><th class=\"n\">{}</th>",
        text(i18n, "col-site"),
        text(i18n, "report-col-person-years"),
    );
    for c in &cats {
        let _ = write!(out, "<th class=\"n\">{}</th>", esc(&category(i18n, *c)));
    }
    let _ = write!(
        out,
        "<th class=\"n\">{}</th></tr></thead>\n<tbody>\n",
        text(i18n, "report-col-all-categories")
    );
    for (i, s) in u.by_site.iter().chain([&u.total]).enumerate() {
        let last = i == u.by_site.len();
        let name = if last {
            i18n.t("use-network")
        } else if s.site.is_empty() {
            i18n.t("unassigned")
        } else {
            s.site.clone()
        };
        let _ = write!(
            out,
            "<tr{}><td>{}</td><td class=\"n\">{}</td>",
            if last { " class=\"total\"" } else { "" },
            esc(&name),
            esc(&i18n.fmt.decimal(s.person_years, 1)),
        );
        for c in &cats {
            let _ = write!(
                out,
                "<td class=\"n\">{}</td>",
                money(s.spend_per_person_year(Some(*c)))
            );
        }
        let _ = writeln!(
            out,
            "<td class=\"n\">{}</td></tr>",
            money(s.spend_per_person_year(None))
        );
    }
    let _ = writeln!(
        out,
        "</tbody></table>\n<p class=\"note\">{}</p>\n</section>",
        text(i18n, "report-spend-sites-note")
    );
}

/// A date written by the audit trail ("2026-12-05T10:30:00Z") as the report's date and time.
fn audit_time(i18n: &I18n, at: &str) -> String {
    chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%SZ").map_or_else(
        |_| at.to_string(),
        |t| format!("{} UTC", i18n.fmt.date_time(t)),
    )
}

/// The data the figures rest on: each source's last import with its rows, the latest date each
/// feed holds, and the last claim received.
pub(crate) fn sources(out: &mut String, d: &ReportData, i18n: &I18n) {
    let _ = write!(
        out,
        "<section id=\"sources\">\n<h2>{}</h2>\n",
        text(i18n, "report-sources")
    );
    if d.imports.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            text(i18n, "report-sources-none")
        );
    } else {
        let _ = write!(
            out,
            "<p class=\"note\">{}</p>\n<table class=\"sources\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>\n",
            text(i18n, "report-sources-note"),
            text(i18n, "report-col-source"),
            text(i18n, "report-col-imported"),
            text(i18n, "report-col-by"),
            text(i18n, "report-col-rows-new"),
            text(i18n, "report-col-rows-updated"),
            text(i18n, "report-col-rows-unchanged"),
            text(i18n, "report-col-rows-rejected"),
        );
        for imp in &d.imports {
            let t = imp.total();
            let _ = writeln!(
                out,
                "<tr><td class=\"path\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&imp.source),
                esc(&audit_time(i18n, &imp.at)),
                esc(&imp.user),
                int(i18n, t.inserted),
                int(i18n, t.updated),
                int(i18n, t.unchanged),
                int(i18n, t.rejected),
            );
        }
        out.push_str("</tbody></table>\n");
    }
    let _ = write!(
        out,
        "<table class=\"figures feeds\">\n<thead><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>\n",
        text(i18n, "report-col-feed"),
        text(i18n, "report-col-rows"),
        msg(
            i18n,
            "report-col-latest",
            &[("as_of", &i18n.fmt.date(d.as_of))]
        ),
    );
    let day = |x: Option<NaiveDate>| x.map_or_else(|| "—".to_string(), |x| i18n.fmt.date(x));
    for f in &d.freshness {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            text(i18n, &format!("report-feed-{}", f.table)),
            int(i18n, f.rows),
            esc(&day(f.latest)),
        );
    }
    let _ = writeln!(
        out,
        "<tr><td>{}</td><td class=\"n\"></td><td class=\"n\">{}</td></tr>\n</tbody></table>\n</section>",
        text(i18n, "report-feed-received"),
        esc(&day(d.budget.last_received)),
    );
}

/// The "prepared by / approved by" block: name, position, signature and date, to fill in by hand.
pub(crate) fn sign_off(out: &mut String, i18n: &I18n) {
    let _ = write!(
        out,
        "<section id=\"sign-off\">\n<h2>{}</h2>\n<table class=\"sign-off\">\n<thead><tr><th></th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        text(i18n, "report-sign-off"),
        text(i18n, "report-sign-name"),
        text(i18n, "report-sign-position"),
        text(i18n, "report-sign-signature"),
        text(i18n, "report-sign-date"),
    );
    for key in ["report-prepared-by", "report-approved-by"] {
        let _ = writeln!(
            out,
            "<tr><th>{}</th><td></td><td></td><td></td><td></td></tr>",
            text(i18n, key)
        );
    }
    out.push_str("</tbody></table>\n</section>\n");
}
