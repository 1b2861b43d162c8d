//! The card's latest results: the last three HbA1c and BP values with their dates, each against
//! the target (the verdicts are `domain::results_vs_target`'s; this file only draws them).

use crate::domain::indicators::{BP_DIASTOLIC_BELOW, BP_SYSTOLIC_BELOW, CONTROLLED_BELOW};
use crate::domain::results_vs_target::{self, Verdict};
use crate::domain::worklist::Thresholds;
use crate::store::patients::PatientCard;
use crate::tui::app::App;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Adds the block: a title naming the targets, then one line per measure, latest value first.
pub fn push(lines: &mut Vec<Line<'static>>, app: &App, c: &PatientCard, t: &Thresholds) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    lines.push(Line::from(""));
    lines.push(Line::styled(
        i18n.t_args(
            "card-results-title",
            &[
                (
                    "hba1c",
                    i18n.fmt.decimal(CONTROLLED_BELOW, 1).as_str().into(),
                ),
                (
                    "bp",
                    format!("{}/{}", BP_SYSTOLIC_BELOW as i64, BP_DIASTOLIC_BELOW as i64)
                        .as_str()
                        .into(),
                ),
            ],
        ),
        theme.title,
    ));
    let hb: Vec<(String, String, Verdict)> = results_vs_target::latest_hba1c(&c.hba1c, t)
        .into_iter()
        .map(|(d, v, verdict)| {
            (
                format!("{} %", i18n.fmt.decimal(v, 1)),
                i18n.fmt.date(d),
                verdict,
            )
        })
        .collect();
    lines.push(measure_line(app, &i18n.t("hba1c"), hb));
    let bp: Vec<(String, String, Verdict)> = results_vs_target::latest_bp(&c.blood_pressure, t)
        .into_iter()
        .map(|(d, s, di, verdict)| {
            (
                format!("{}/{}", s as i64, di as i64),
                i18n.fmt.date(d),
                verdict,
            )
        })
        .collect();
    lines.push(measure_line(app, &i18n.t("bp"), bp));
}

/// The other measurements the guidelines track, latest of each with its date: creatinine with
/// eGFR and its category, the urine albumin/creatinine ratio with its category (on one line:
/// kidneys), then LDL and fasting glucose. eGFR is marked ↓ below G2 and !! from G4; UACR ↑ at
/// A2 and !! at A3 (`domain::results_vs_target::LabItem::verdict`).
/// The card draws them after the diagnoses, so the call-first top (results, calls, diagnoses)
/// still fits at 80×24.
pub fn push_labs(lines: &mut Vec<Line<'static>>, app: &App, c: &PatientCard) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    lines.push(Line::from(""));
    lines.push(Line::styled(i18n.t("card-labs-title"), theme.title));
    let items = results_vs_target::lab_items(&c.labs, c.birth_date, c.sex);
    for pair in [[0, 1], [2, 3]] {
        let mut spans = Vec::new();
        for (n, index) in pair.into_iter().enumerate() {
            if n > 0 {
                spans.push(Span::styled(" · ", theme.dim));
            }
            spans.push(Span::styled(
                format!("{}: ", crate::i18n::labs::name(i18n, index)),
                theme.dim,
            ));
            let Some(item) = items.get(index).copied().flatten() else {
                spans.push(Span::styled("—", theme.dim));
                continue;
            };
            let (value, date) = crate::i18n::labs::value(i18n, &item);
            let low = matches!(item, results_vs_target::LabItem::Kidney(_));
            let (mark, style): (&str, Style) = match item.verdict() {
                Verdict::InTarget => ("", theme.text),
                Verdict::AboveTarget => (if low { "↓" } else { "↑" }, theme.warn),
                Verdict::Alarm => ("!!", theme.urgent),
            };
            spans.push(Span::styled(format!("{value}{mark}"), style));
            spans.push(Span::styled(format!(" {}", i18n.fmt.date(date)), theme.dim));
        }
        lines.push(Line::from(spans));
    }
}

/// "HbA1c: 6,3 % 08.10.2026 · 7,4 %↑ 08.07.2026 · …": a mark says how far from the target
/// (none: in target; ↑ above it; !! at the worklist's alarm), the colour says the same.
fn measure_line(app: &App, label: &str, values: Vec<(String, String, Verdict)>) -> Line<'static> {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let mut spans = vec![Span::styled(format!("{label}: "), theme.dim)];
    if values.is_empty() {
        spans.push(Span::styled(i18n.t("card-no-results"), theme.dim));
    }
    for (i, (value, date, verdict)) in values.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim));
        }
        let (mark, style): (&str, Style) = match verdict {
            Verdict::InTarget => ("", theme.good),
            Verdict::AboveTarget => ("↑", theme.warn),
            Verdict::Alarm => ("!!", theme.urgent),
        };
        spans.push(Span::styled(format!("{value}{mark}"), style));
        spans.push(Span::styled(format!(" {date}"), theme.dim));
    }
    Line::from(spans)
}

/// Adds the patient's programmes (with their enrolment dates) and, for a programme with a BP
/// target (hypertension), the BP trend of the last 12 months against that target (#21).
pub fn push_trend(lines: &mut Vec<Line<'static>>, app: &App, c: &PatientCard) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let rows = crate::i18n::card::programs_and_trend(
        i18n,
        &c.programs,
        &c.blood_pressure,
        app.ctx.clock.get().as_of,
        crate::store::rules::programs(),
    );
    for (i, row) in rows.into_iter().enumerate() {
        let [title, text] = [row[0].clone(), row[1].clone()];
        let style = if i == 0 { theme.dim } else { theme.text };
        lines.push(Line::from(vec![
            Span::styled(format!("{title}: "), theme.dim),
            Span::styled(text, style),
        ]));
    }
}
