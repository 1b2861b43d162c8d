//! The report's HTML document: the page frame and print CSS, the title, the key figures and the
//! budget section. Tables and charts of the other sections are in `tables`.

use super::data::ReportData;
use super::svg_lines::{self, Series};
use super::{esc, sections, tables};
use crate::domain::indicators::Ratio;
use crate::domain::readmission::TARGET_RATE;
use crate::i18n::{Arg, I18n, Lang};
use chrono::NaiveDate;
use std::fmt::Write;

/// Print-first CSS: A4 with 15 mm margins, nothing split across pages that should not be,
/// black-and-white friendly (borders, bold and markers rather than colour).
const CSS: &str = r#"
@page { size: A4; margin: 15mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 9.5pt;
  line-height: 1.35; color: #000; background: #fff; margin: 0 auto; max-width: 180mm; }
@media screen { body { padding: 10mm 0; } }
header.title { border-bottom: 2pt solid #000; padding-bottom: 2mm; margin-bottom: 4mm; }
h1 { font-size: 17pt; margin: 0 0 1mm; }
.pilot { font-size: 12pt; font-weight: bold; margin: 0 0 1mm; }
.meta { margin: 0; font-size: 9pt; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; padding-bottom: 0.8mm; border-bottom: 1pt solid #000;
  break-after: avoid; page-break-after: avoid; }
section, figure, .card, .keep { break-inside: avoid; page-break-inside: avoid; }
section.long { break-inside: auto; page-break-inside: auto; }
.note { font-size: 8pt; margin: 1mm 0 2mm; }
h2 + .note, .lead, figcaption { break-after: avoid; page-break-after: avoid; }
table.figures { width: 70%; }
table.readmissions { width: 75%; }
table.budget-months { table-layout: fixed; }
table.nurses { table-layout: fixed; font-size: 7pt; }
table.nurses th, table.nurses td { overflow-wrap: break-word; hyphens: auto; }
table.nurses th:first-child, table.nurses td:first-child { width: 13%; }
table.nurses td.n { overflow-wrap: normal; hyphens: none; }
table.method { table-layout: fixed; font-size: 7.5pt; }
table.method td { overflow-wrap: break-word; hyphens: auto; }
table.method th:first-child { width: 15%; } table.method th:nth-child(7) { width: 17%; }
.problem { border: 1pt dashed #000; padding: 2mm; font-weight: bold; }
.cards { display: flex; flex-wrap: wrap; gap: 2.5mm; }
.card { flex: 1 1 40mm; border: 0.8pt solid #000; padding: 1.5mm 2.5mm; }
.card .label { font-size: 8pt; }
.card .value { font-size: 15pt; font-weight: bold; white-space: nowrap; }
.card .detail { font-size: 7.5pt; }
.card.wide { flex-basis: 80mm; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: 1mm 0 3mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.6pt solid #666; padding: 0.8mm 1.2mm; vertical-align: top; }
th { background: #e8e8e8; text-align: left; font-weight: bold; }
td.n, th.n { text-align: right; }
td.weak { font-weight: bold; background: #efefef; outline: 1pt solid #000; }
tr.total td { font-weight: bold; border-top: 1.6pt solid #000; }
figure { margin: 0 0 3mm; }
figcaption { font-weight: bold; font-size: 9pt; margin-bottom: 1mm; }
svg { display: block; max-width: 100%; height: auto; }
table.cascade, table.trends, table.spend-sites { table-layout: fixed; font-size: 7.5pt; }
table.cascade th:first-child, table.trends th:first-child, table.spend-sites th:first-child { width: 20%; }
table.readm-by { width: 75%; }
td.path { overflow-wrap: anywhere; font-size: 7pt; }
table.sources { table-layout: fixed; }
table.sources th:first-child { width: 34%; }
table.sign-off td, table.sign-off th { height: 11mm; vertical-align: bottom; }
table.sign-off thead th { height: auto; }
footer { margin-top: 6mm; border-top: 0.6pt solid #000; padding-top: 1mm; font-size: 7.5pt; }
"#;

/// The whole document.
pub(crate) fn document(d: &ReportData, i18n: &I18n) -> String {
    let pilot = pilot_name(d, i18n);
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — {}</title>\n<style>{CSS}{}</style>\n</head>\n<body>\n",
        i18n.lang().code(),
        esc(&i18n.t("report-title")),
        esc(&pilot),
        page_margins(d, i18n, &pilot),
    );
    title(&mut out, d, i18n, &pilot);
    key_figures(&mut out, d, i18n);
    tables::sites(&mut out, d, i18n);
    tables::site_charts(&mut out, d, i18n);
    sections::trends(&mut out, d, i18n);
    sections::cascade(&mut out, d, i18n);
    tables::readmissions(&mut out, d, i18n);
    sections::readmissions_by(&mut out, d, i18n);
    tables::nurses(&mut out, d, i18n);
    super::hearts::sections(&mut out, d, i18n);
    budget(&mut out, d, i18n);
    sections::spend(&mut out, d, i18n);
    super::finance::waterfall_section(&mut out, d, i18n);
    sections::sources(&mut out, d, i18n);
    tables::method(&mut out, i18n);
    sections::sign_off(&mut out, i18n);
    let _ = write!(
        out,
        "<footer>{}</footer>\n</body>\n</html>\n",
        esc(&i18n.t("report-footer"))
    );
    out
}

/// The running header and the page numbers in print: "Pilot progress report — pilot · as of
/// date" at the top of every page and "Page 3 of 12" at its foot, as CSS paged-media margin boxes
/// with the `page` and `pages` counters (CSS Paged Media Module Level 3, section 5: page-margin
/// boxes), which Chromium prints since version 131. A margin box of the document's own also keeps
/// Chromium's default print header (date and title) off the page when it is printed without
/// `--no-pdf-header-footer`. Quotes, backslashes and angle brackets are dropped from the words so
/// that they cannot end the CSS string or the style element.
fn page_margins(d: &ReportData, i18n: &I18n, pilot: &str) -> String {
    let clean = |s: &str| s.replace(['"', '\\', '<', '>', '\n'], "");
    let running = format!(
        "{} — {} · {}",
        i18n.t("report-title"),
        pilot,
        i18n.t_args(
            "report-on-date",
            &[("date", Arg::Str(&i18n.fmt.date(d.as_of)))]
        )
    );
    format!(
        "\n@page {{ @top-left {{ content: \"{}\"; {MARGIN_FONT} }} \
         @bottom-right {{ content: \"{} \" counter(page) \" {} \" counter(pages); {MARGIN_FONT} }} }}\n",
        clean(&running),
        clean(&i18n.t("report-page")),
        clean(&i18n.t("report-page-of")),
    )
}

/// The type of the running header and the page numbers.
const MARGIN_FONT: &str =
    "font-family: \"DejaVu Sans\", \"Liberation Sans\", Arial, sans-serif; font-size: 7.5pt;";

/// The pilot's name in the report's language.
fn pilot_name(d: &ReportData, i18n: &I18n) -> String {
    match i18n.lang() {
        Lang::En if !d.pilot.name_en.is_empty() => d.pilot.name_en.clone(),
        _ => d.pilot.name.clone(),
    }
}

/// A message with string arguments, escaped.
pub(crate) fn msg(i18n: &I18n, key: &str, args: &[(&str, &str)]) -> String {
    let args: Vec<(&str, Arg<'_>)> = args.iter().map(|(k, v)| (*k, Arg::Str(v))).collect();
    esc(&i18n.t_args(key, &args))
}

/// A message without arguments, escaped.
pub(crate) fn text(i18n: &I18n, key: &str) -> String {
    esc(&i18n.t(key))
}

/// A count formatted for the language.
pub(crate) fn int(i18n: &I18n, n: u64) -> String {
    i18n.fmt.int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn title(out: &mut String, d: &ReportData, i18n: &I18n, pilot: &str) {
    let period = d.progress.period;
    let _ = write!(
        out,
        "<header class=\"title\">\n<h1>{}</h1>\n<p class=\"pilot\">{}</p>\n<p class=\"meta\">{}</p>\n\
         <p class=\"meta\">{}</p>\n</header>\n",
        text(i18n, "report-title"),
        esc(pilot),
        msg(
            i18n,
            "report-period",
            &[
                ("from", &i18n.fmt.date(period.from)),
                ("to", &i18n.fmt.date(period.to)),
            ],
        ),
        msg(
            i18n,
            "report-generated",
            &[
                ("as_of", &i18n.fmt.date(d.as_of)),
                ("date", &i18n.fmt.date(d.generated)),
            ],
        ),
    );
}

fn card(out: &mut String, class: &str, label: &str, value: &str, detail: &str) {
    let _ = writeln!(
        out,
        "<div class=\"card {class}\"><div class=\"label\">{label}</div><div class=\"value\">{value}</div><div class=\"detail\">{detail}</div></div>"
    );
}

fn key_figures(out: &mut String, d: &ReportData, i18n: &I18n) {
    let t = &d.progress.total;
    let _ = write!(
        out,
        "<section id=\"key-figures\">\n<h2>{}</h2>\n<div class=\"cards\">\n",
        text(i18n, "report-key-figures")
    );
    let period = msg(
        i18n,
        "report-in-period",
        &[
            ("from", &i18n.fmt.date(d.progress.period.from)),
            ("to", &i18n.fmt.date(d.progress.period.to)),
        ],
    );
    let on = msg(i18n, "report-on-date", &[("date", &i18n.fmt.date(d.as_of))]);
    card(
        out,
        "",
        &text(i18n, "report-active"),
        &int(i18n, t.enrolled_active),
        &on,
    );
    card(
        out,
        "",
        &text(i18n, "report-new"),
        &int(i18n, t.new_enrolments),
        &period,
    );
    card(
        out,
        "",
        &text(i18n, "report-deaths"),
        &int(i18n, t.deaths),
        &period,
    );
    card(
        out,
        "",
        &text(i18n, "report-moves"),
        &int(i18n, t.moves),
        &period,
    );
    let s = &d.readmissions.summary;
    let readm = Ratio {
        numerator: s.readmissions,
        denominator: s.index_stays,
    };
    let above = readm.rate().is_some_and(|r| r > TARGET_RATE);
    card(
        out,
        "wide",
        &text(i18n, "report-readm-rate"),
        &format!(
            "{}{}",
            if above { "▲ " } else { "" },
            esc(&i18n.fmt.share(readm))
        ),
        &msg(
            i18n,
            "report-readm-detail",
            &[
                ("ratio", &i18n.fmt.ratio(readm)),
                ("target", &i18n.fmt.percent(TARGET_RATE)),
            ],
        ),
    );
    let b = &d.budget;
    let p = &b.projection;
    if b.problem.is_none() {
        let key = if p.projected_savings_rate >= p.msr {
            "report-savings-above-msr"
        } else {
            "report-savings-below-msr"
        };
        card(
            out,
            "wide",
            &text(i18n, "report-savings-rate"),
            &esc(&i18n.fmt.percent(p.projected_savings_rate)),
            &msg(i18n, key, &[("msr", &i18n.fmt.percent(p.msr))]),
        );
        card(
            out,
            "wide",
            &text(i18n, "budget-projected-earned"),
            &esc(&i18n.fmt.money(p.projected_earned, &b.currency)),
            &msg(
                i18n,
                "report-earned-detail",
                &[("savings", &i18n.fmt.money(p.projected_savings, &b.currency))],
            ),
        );
    }
    let gate = if p.quality_gate_met {
        format!("✔ {}", text(i18n, "gate-met"))
    } else {
        format!("✘ {}", text(i18n, "gate-not-met"))
    };
    // The gate's figure under its catalogue label and window (as on Progress and the Budget tab).
    let detail = b.quality_gate(i18n.lang()).map_or_else(
        || text(i18n, "report-gate-reported"),
        |g| {
            msg(
                i18n,
                "report-gate-detail",
                &[
                    ("label", g.label),
                    ("coverage", &i18n.fmt.ratio(g.value)),
                    ("required", &i18n.fmt.percent(g.threshold)),
                ],
            )
        },
    );
    card(
        out,
        "wide",
        &text(i18n, "budget-quality-gate"),
        &gate,
        &detail,
    );
    out.push_str("</div>\n");
    if let Some(problem) = &b.problem {
        let _ = writeln!(
            out,
            "<p class=\"problem\">{}</p>",
            msg(i18n, "report-budget-problem", &[("problem", problem)])
        );
    }
    out.push_str("</section>\n");
}

/// The currency's sign as the formatter writes it ("₽", "$"), or its code.
fn currency_sign(i18n: &I18n, currency: &str) -> String {
    let zero = i18n.fmt.money(crate::domain::money::Money::ZERO, currency);
    let sign = zero.replace(['0', '-', '\u{a0}', ' '], "");
    if sign.is_empty() {
        currency.to_string()
    } else {
        sign
    }
}

/// The month of the performance year as a date (the first).
pub(crate) fn month_start(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
}

fn budget(out: &mut String, d: &ReportData, i18n: &I18n) {
    let b = &d.budget;
    let p = &b.projection;
    let money = |m| esc(&i18n.fmt.money(m, &b.currency));
    let _ = write!(
        out,
        "<section id=\"budget\" class=\"long\">\n<div class=\"keep\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        msg(
            i18n,
            "report-budget",
            &[("year", &b.performance_year.to_string())]
        ),
        msg(
            i18n,
            "report-budget-contract",
            &[("name", b.contract_name_in(i18n.lang()))]
        ),
    );
    let rows: [(&str, String); 7] = [
        (
            "report-benchmark-total",
            money(p.benchmark_total).to_string(),
        ),
        ("budget-to-date", money(p.budget_to_date)),
        ("spend-to-date", money(p.spend_to_date)),
        ("budget-projected-spend", money(p.projected_spend)),
        (
            "budget-projected-savings",
            format!(
                "{} ({})",
                money(p.projected_savings),
                esc(&i18n.fmt.percent(p.projected_savings_rate))
            ),
        ),
        ("report-msr", esc(&i18n.fmt.percent(p.msr))),
        ("budget-projected-earned", money(p.projected_earned)),
    ];
    out.push_str("<table class=\"keep figures\" id=\"budget-figures\"><tbody>\n");
    for (key, value) in rows {
        let _ = writeln!(
            out,
            "<tr><th>{}</th><td class=\"n\">{value}</td></tr>",
            text(i18n, key)
        );
    }
    out.push_str("</tbody></table>\n</div>\n");
    let labels: Vec<String> = b
        .months
        .iter()
        .map(|m| i18n.fmt.month(month_start(b.performance_year, m.month)))
        .collect();
    let mut budget_cum = Vec::new();
    let mut paid_cum = Vec::new();
    let (mut bc, mut pc) = (0.0, 0.0);
    for m in &b.months {
        bc += m.budget.as_f64() / 1000.0;
        pc += m.paid.as_f64() / 1000.0;
        budget_cum.push(bc);
        paid_cum.push(pc);
    }
    if !b.months.is_empty() {
        let sign = currency_sign(i18n, &b.currency);
        let caption = i18n.t_args("report-budget-chart", &[("currency", Arg::Str(&sign))]);
        let chart = svg_lines::lines(
            "budget-chart",
            &caption,
            &labels,
            &[
                Series {
                    name: i18n.t("budget-line"),
                    values: budget_cum,
                    dashed: false,
                },
                Series {
                    name: i18n.t("spend-line"),
                    values: paid_cum,
                    dashed: true,
                },
            ],
            &|v| i18n.fmt.int(v.round() as i64),
        );
        let _ = write!(
            out,
            "<figure><figcaption>{}</figcaption>\n{chart}\n</figure>\n",
            esc(&caption)
        );
    }
    tables::budget_months(out, d, i18n);
    out.push_str("</section>\n");
}
