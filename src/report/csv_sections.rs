//! The CSV twins of the report's sections beyond the indicator tables: the call cascade,
//! readmissions by hospital and by site, the twelve-month trends, spend by category and per
//! person-year by site, the savings steps, the key budget figures, the data sources and their
//! freshness, and the method (the catalogue). Each file holds the rows and figures of its HTML
//! table, from the same `ReportData`, in the machine-readable conventions of `csv`: a figure's
//! column is named by its catalogue id (`Column::code`, the `id` of measures.csv, whose label the
//! report prints), a share is three columns `<id>_num`, `<id>_den`, `<id>_pct`, money is in whole
//! units with two decimals, dates are ISO, and every table's total row is labelled `total`
//! (patients without a site: `unassigned`). Headers are these ids in English and translated in
//! Russian (`csv_headers`); the cells stay numbers in both (`csv_cells`).

use super::csv_cells::{Cell, Rows, header as strings, money, pct, ratio_cells};
use super::data::ReportData;
use super::sections::CASCADE;
use crate::domain::indicators::Ratio;
use crate::domain::types::ClaimCategory;
use crate::i18n::I18n;
use crate::store::views::progress::{Column, Figure};

/// Every file of this module with its rows, in the report's order.
pub(super) fn all(d: &ReportData, i18n: &I18n) -> Vec<(&'static str, Rows)> {
    vec![
        ("cascade.csv", cascade(d, i18n)),
        (
            "readmissions_by_hospital.csv",
            readmissions_by_hospital(d, i18n),
        ),
        ("readmissions_by_site.csv", readmissions_by_site(d, i18n)),
        ("trends.csv", trends(d)),
        ("spend_by_category.csv", spend_by_category(d)),
        ("spend_per_person_year_by_site.csv", spend_by_site(d)),
        ("budget_figures.csv", budget_figures(d)),
        ("savings_steps.csv", savings_steps(d, i18n)),
        ("utilisation_by_site.csv", utilisation(d)),
        ("sources.csv", sources(d)),
        ("freshness.csv", freshness(d)),
        ("method.csv", method(i18n)),
    ]
}

/// A column's CSV headers: its id for a count, `<id>_num`, `<id>_den`, `<id>_pct` for a share.
fn column_header(c: Column) -> Vec<Cell> {
    let code = c.code();
    let is_share = matches!(
        c.figure(&Default::default(), &Default::default()),
        Figure::Ratio(_)
    );
    if is_share {
        ["num", "den", "pct"]
            .map(|part| Cell::Text(format!("{code}_{part}")))
            .to_vec()
    } else {
        vec![code.into()]
    }
}

fn figure_cells(f: Figure) -> Vec<Cell> {
    match f {
        Figure::Count(n) => vec![n.into()],
        Figure::Ratio(r) => ratio_cells(r).to_vec(),
    }
}

/// cascade.csv: the as-of month's call cascade by site (the report's and the Progress tab's
/// columns), then the total.
fn cascade(d: &ReportData, i18n: &I18n) -> Rows {
    let b = &d.board;
    let mut header = strings(["site_id", "site", "month"]);
    for c in CASCADE {
        header.extend(column_header(c));
    }
    let month = b.month.first.format("%Y-%m").to_string();
    let mut rows = vec![header];
    let groups = b.view.sites.iter().zip(&b.sites);
    let total = i18n.t("progress-total");
    for (id, name, tally, extras) in groups
        .map(|(g, x)| {
            (
                group_id(&g.id),
                group_name(i18n, &g.id, &g.name),
                &g.tally,
                x,
            )
        })
        .chain([("total", total, &b.view.total, &b.total)])
    {
        let mut row: Vec<Cell> = vec![id.into(), name.into(), month.as_str().into()];
        for c in CASCADE {
            row.extend(figure_cells(c.figure(tally, extras)));
        }
        rows.push(row);
    }
    rows
}

/// A site's id, or `unassigned` for the patients without a site (no unlabelled rows).
fn group_id(id: &str) -> &str {
    if id.is_empty() { "unassigned" } else { id }
}

/// A site's name, or "not assigned" in the report's language for the patients without a site.
fn group_name(i18n: &I18n, id: &str, name: &str) -> String {
    if id.is_empty() {
        i18n.t("unassigned")
    } else {
        name.to_string()
    }
}

fn readm_row(id: &str, name: &str, r: Ratio) -> Vec<Cell> {
    vec![
        id.into(),
        name.into(),
        r.denominator.into(),
        r.numerator.into(),
        pct(r),
    ]
}

/// readmissions_by_hospital.csv: index stays, readmissions and rate by discharging hospital over
/// the report's index period, then the total.
fn readmissions_by_hospital(d: &ReportData, i18n: &I18n) -> Rows {
    let v = &d.readmissions;
    let s = &v.summary;
    let mut rows = vec![strings([
        "organization_id",
        "hospital",
        "index_stays",
        "readmissions",
        "rate_pct",
    ])];
    for o in &s.by_organization {
        // A stay whose hospital the source did not record: the report's "not recorded".
        let id = o
            .organization_id
            .clone()
            .unwrap_or_else(|| "not_recorded".into());
        let name = v
            .organizations
            .iter()
            .find(|(oid, _)| *oid == id)
            .map_or("", |(_, n)| n.as_str());
        rows.push(readm_row(
            &id,
            name,
            Ratio {
                numerator: o.readmissions,
                denominator: o.index_stays,
            },
        ));
    }
    rows.push(readm_row(
        "total",
        &i18n.t("progress-total"),
        Ratio {
            numerator: s.readmissions,
            denominator: s.index_stays,
        },
    ));
    rows
}

/// readmissions_by_site.csv: the same by the patients' assigned site (the Progress tab's
/// `readmitted` column), then the total.
fn readmissions_by_site(d: &ReportData, i18n: &I18n) -> Rows {
    let b = &d.board;
    let mut rows = vec![strings([
        "site_id",
        "site",
        "index_stays",
        "readmissions",
        "rate_pct",
    ])];
    for (g, x) in b.view.sites.iter().zip(&b.sites) {
        rows.push(readm_row(
            group_id(&g.id),
            &group_name(i18n, &g.id, &g.name),
            x.readmissions,
        ));
    }
    rows.push(readm_row(
        "total",
        &i18n.t("progress-total"),
        b.total.readmissions,
    ));
    rows
}

/// trends.csv: each trend indicator at each of the last twelve month ends, over its own window.
fn trends(d: &ReportData) -> Rows {
    let mut header = strings(["month_end"]);
    for c in Column::TRENDS {
        header.extend(column_header(c));
    }
    let mut rows = vec![header];
    for m in &d.board.series {
        let mut row: Vec<Cell> = vec![m.end.to_string().into()];
        for c in Column::TRENDS {
            row.extend(ratio_cells(c.trend(m).unwrap_or_default()));
        }
        rows.push(row);
    }
    rows
}

/// spend_by_category.csv: claims paid in the performance year by category; the categories the
/// benchmark covers, their total (`covered`), then those outside it.
fn spend_by_category(d: &ReportData) -> Rows {
    let b = &d.budget;
    let mut rows = vec![strings(["category", "in_benchmark", "paid", "currency"])];
    let mut covered = crate::domain::money::Money::ZERO;
    let line = |c: &str, inside: bool, m| -> Vec<Cell> {
        vec![
            c.into(),
            inside.to_string().into(),
            money(m),
            (&b.currency).into(),
        ]
    };
    for (c, m) in &b.by_category {
        covered += *m;
        rows.push(line(c.as_code(), true, *m));
    }
    rows.push(line("covered", true, covered));
    for (c, m) in &b.outside_benchmark {
        rows.push(line(c.as_code(), false, *m));
    }
    rows
}

/// spend_per_person_year_by_site.csv: person-years and spend per person-year by category for each
/// site, then the network (`total`).
fn spend_by_site(d: &ReportData) -> Rows {
    let b = &d.budget;
    let u = &b.utilisation;
    let cats: Vec<ClaimCategory> = ClaimCategory::ALL
        .iter()
        .copied()
        .filter(|c| u.total.spend.contains_key(c))
        .collect();
    let mut header = strings(["site", "person_years"]);
    header.extend(cats.iter().map(|c| Cell::from(c.as_code())));
    header.extend(strings(["all_categories", "currency"]));
    let mut rows = vec![header];
    for (i, s) in u.by_site.iter().chain([&u.total]).enumerate() {
        let name = site_label(i == u.by_site.len(), &s.site);
        let mut row: Vec<Cell> = vec![name.into(), Cell::Dec(s.person_years, 1)];
        row.extend(
            cats.iter()
                .map(|c| money(s.spend_per_person_year(Some(*c)))),
        );
        row.push(money(s.spend_per_person_year(None)));
        row.push((&b.currency).into());
        rows.push(row);
    }
    rows
}

/// budget_figures.csv: the budget section's key figures under `finance --format json`'s names.
fn budget_figures(d: &ReportData) -> Rows {
    let b = &d.budget;
    let p = &b.projection;
    let mut rows = vec![strings(["figure", "value", "unit"])];
    let cur = b.currency.as_str();
    for (id, value, unit) in [
        ("benchmark_total", money(p.benchmark_total), cur),
        ("budget_to_date", money(p.budget_to_date), cur),
        ("spend_to_date", money(p.spend_to_date), cur),
        ("projected_spend", money(p.projected_spend), cur),
        ("projected_savings", money(p.projected_savings), cur),
        (
            "projected_savings_rate",
            Cell::Dec(p.projected_savings_rate * 100.0, 1),
            "%",
        ),
        ("msr", Cell::Dec(p.msr * 100.0, 1), "%"),
        ("projected_earned", money(p.projected_earned), cur),
    ] {
        rows.push(vec![id.into(), value, unit.into()]);
    }
    rows
}

/// savings_steps.csv: every step of the savings waterfall (the Budget tab's and `finance`'s
/// lines), with its label in the report's language; the rate as a fraction (0.02 = 2 %).
fn savings_steps(d: &ReportData, i18n: &I18n) -> Rows {
    let mut rows = vec![strings(["step", "label", "amount", "rate", "note"])];
    for s in crate::store::views::budget_steps::waterfall(&d.budget, i18n) {
        rows.push(vec![
            s.id.into(),
            s.label.into(),
            s.amount.map_or(Cell::Empty, money),
            s.rate.map_or(Cell::Empty, |r| Cell::Dec(r, 4)),
            s.note.into(),
        ]);
    }
    rows
}

/// A row label of the per-site tables: `total`, `unassigned` (the patients without a site) or
/// the site's name.
fn site_label(total: bool, site: &str) -> String {
    if total {
        "total".to_string()
    } else if site.is_empty() {
        "unassigned".to_string()
    } else {
        site.to_string()
    }
}

/// utilisation_by_site.csv: care used per 1,000 person-years and spend per person-year for each
/// site, then the network (`total`): the lines under the savings steps.
fn utilisation(d: &ReportData) -> Rows {
    let b = &d.budget;
    let u = &b.utilisation;
    let mut rows = vec![strings([
        "site",
        "person_years",
        "admissions_per_1000",
        "emergency_visits_per_1000",
        "bed_days_per_1000",
        "outpatient_visits_per_1000",
        "day_hospital_stays_per_1000",
        "spend_per_person_year",
        "currency",
    ])];
    for (i, s) in u.by_site.iter().chain([&u.total]).enumerate() {
        let name = site_label(i == u.by_site.len(), &s.site);
        let per = |n| Cell::Dec(s.per_thousand(n).round(), 0);
        rows.push(vec![
            name.into(),
            Cell::Dec(s.person_years, 1),
            per(s.admissions),
            per(s.emergency_visits),
            per(s.bed_days),
            per(s.outpatient_visits),
            per(s.day_hospital_stays),
            money(s.spend_per_person_year(None)),
            (&b.currency).into(),
        ]);
    }
    rows
}

/// sources.csv: each source's last import, with its rows by fate.
fn sources(d: &ReportData) -> Rows {
    let mut rows = vec![strings([
        "source",
        "imported_at",
        "user",
        "rows_new",
        "rows_updated",
        "rows_unchanged",
        "rows_rejected",
    ])];
    for imp in &d.imports {
        let t = imp.total();
        rows.push(vec![
            (&imp.source).into(),
            (&imp.at).into(),
            (&imp.user).into(),
            t.inserted.into(),
            t.updated.into(),
            t.unchanged.into(),
            t.rejected.into(),
        ]);
    }
    rows
}

/// freshness.csv: how many rows each feed holds and its latest date up to the report's date,
/// then the date the last claim was received (`claims_received`, no row count).
fn freshness(d: &ReportData) -> Rows {
    let day = |x: Option<chrono::NaiveDate>| x.map_or(Cell::Empty, |x| x.to_string().into());
    let mut rows = vec![strings(["feed", "rows", "latest"])];
    for f in &d.freshness {
        rows.push(vec![f.table.into(), f.rows.into(), day(f.latest)]);
    }
    rows.push(vec![
        "claims_received".into(),
        Cell::Empty,
        day(d.budget.last_received),
    ]);
    rows
}

/// method.csv: the catalogue of measures (the report's method appendix), in the report's language.
fn method(i18n: &I18n) -> Rows {
    let lang = i18n.lang().code();
    let mut rows = vec![strings([
        "id",
        "label",
        "population",
        "numerator",
        "denominator",
        "window",
        "report_period",
        "source",
    ])];
    for m in crate::domain::measures::CATALOGUE {
        rows.push(vec![
            m.id.into(),
            m.label.get(lang).into(),
            m.population.get(lang).into(),
            m.numerator.get(lang).into(),
            m.denominator.get(lang).into(),
            m.window.get(lang).into(),
            m.period.get(lang).into(),
            m.source.into(),
        ]);
    }
    rows
}
