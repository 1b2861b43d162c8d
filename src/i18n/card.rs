//! The card's programme rows in words, shared by the TUI's card and `acodesk patient` (#21): the
//! patient's programmes with their enrolment dates, and the BP trend against the target of her
//! programme that sets one (hypertension).

use super::I18n;
use crate::domain::program::Program;
use crate::domain::results_vs_target;
use chrono::NaiveDate;

/// The rows "Programmes" (each with its enrolment date) and, for a patient of a programme with a
/// BP target (hypertension), "BP trend < 140/90": the last 12 months' readings oldest first, each
/// marked ↑ above the target, and the systolic's change.
pub fn programs_and_trend(
    i18n: &I18n,
    enrolled: &[(String, NaiveDate)],
    blood_pressure: &[(NaiveDate, f64, f64)],
    as_of: NaiveDate,
    programs: &[Program],
) -> Vec<Vec<String>> {
    let lang = i18n.lang().code();
    let names: Vec<String> = enrolled
        .iter()
        .map(|(id, since)| {
            let name = programs
                .iter()
                .find(|p| &p.id == id)
                .map_or(id.as_str(), |p| p.name_in(lang));
            format!(
                "{name} {}",
                i18n.t_args(
                    "card-since",
                    &[("date", i18n.fmt.date(*since).as_str().into())]
                )
            )
        })
        .collect();
    let mut rows = vec![vec![i18n.t("card-programmes"), names.join(" · ")]];
    let ids: Vec<&str> = enrolled.iter().map(|(id, _)| id.as_str()).collect();
    if let Some((program, target)) = crate::domain::program::bp_target(programs, &ids) {
        let trend = results_vs_target::bp_trend(blood_pressure, as_of, target);
        rows.push(vec![
            trend_title(i18n, &trend, program.name_in(lang)),
            trend_text(i18n, &trend),
        ]);
    }
    rows
}

/// "BP trend, target below 140/90 (Hypertension)".
pub fn trend_title(i18n: &I18n, trend: &results_vs_target::BpTrend, program: &str) -> String {
    i18n.t_args(
        "card-bp-trend",
        &[
            (
                "bp",
                format!(
                    "{}/{}",
                    trend.target.systolic as i64, trend.target.diastolic as i64
                )
                .as_str()
                .into(),
            ),
            ("program", program.into()),
        ],
    )
}

/// "162/95↑ 03.02.2026 → 138/86 09.08.2026 · systolic −24", or "no readings in 12 months".
pub fn trend_text(i18n: &I18n, trend: &results_vs_target::BpTrend) -> String {
    if trend.readings.is_empty() {
        return i18n.t("card-bp-trend-none");
    }
    let points: Vec<String> = trend
        .readings
        .iter()
        .map(|(d, s, di, ok)| {
            format!(
                "{}/{}{} {}",
                *s as i64,
                *di as i64,
                if *ok { "" } else { "↑" },
                i18n.fmt.date(*d)
            )
        })
        .collect();
    let mut text = points.join(" → ");
    if let Some(change) = trend.systolic_change {
        let change = change as i64;
        let signed = if change > 0 {
            format!("+{change}")
        } else if change < 0 {
            format!("−{}", -change)
        } else {
            "0".into()
        };
        text.push_str(&format!(
            " · {}",
            i18n.t_args("card-bp-change", &[("change", signed.as_str().into())])
        ));
    }
    text
}
