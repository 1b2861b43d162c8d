//! `acodesk patient` as a table: the rows the card's call-first top shows on screen (#20 items 5
//! and 7) — both phones labelled, and the last three HbA1c and BP values against the target.

use crate::domain::indicators::{BP_DIASTOLIC_BELOW, BP_SYSTOLIC_BELOW, CONTROLLED_BELOW};
use crate::domain::results_vs_target::{self, Verdict};
use crate::i18n::I18n;
use crate::store::patients::PatientCard;

/// "main +7 … (reported invalid) · second 8 …", or "no phone".
pub fn phones(i18n: &I18n, card: &PatientCard) -> String {
    let [main, second] = &card.phone_slots;
    if main.is_none() && second.is_none() {
        return i18n.t("no-phone");
    }
    let mut parts = Vec::new();
    let mut m = format!(
        "{} {}",
        i18n.t("phone-main-short"),
        main.as_deref().unwrap_or("—")
    );
    if main.is_some() && card.main_phone_reported_invalid {
        m.push_str(&format!(" ({})", i18n.t("phone-reported-invalid")));
    }
    parts.push(m);
    if let Some(s) = second {
        parts.push(format!("{} {s}", i18n.t("phone-second-short")));
    }
    parts.join(" · ")
}

/// The rows "HbA1c < 7.0 %" and "BP < 140/90", each with the last three values (latest first),
/// marked ↑ above the target and !! at the worklist's alarm.
pub fn results(i18n: &I18n, card: &PatientCard) -> Vec<Vec<String>> {
    let (t, _) = crate::store::worklist_index::rules();
    let mark = |v: Verdict| match v {
        Verdict::InTarget => "",
        Verdict::AboveTarget => "↑",
        Verdict::Alarm => "!!",
    };
    let join = |items: Vec<String>| {
        if items.is_empty() {
            i18n.t("card-no-results")
        } else {
            items.join(" · ")
        }
    };
    let hb = results_vs_target::latest_hba1c(&card.hba1c, &t)
        .into_iter()
        .map(|(d, v, verdict)| {
            format!(
                "{} %{} {}",
                i18n.fmt.decimal(v, 1),
                mark(verdict),
                i18n.fmt.date(d)
            )
        })
        .collect();
    let bp = results_vs_target::latest_bp(&card.blood_pressure, &t)
        .into_iter()
        .map(|(d, s, di, verdict)| {
            format!(
                "{}/{}{} {}",
                s as i64,
                di as i64,
                mark(verdict),
                i18n.fmt.date(d)
            )
        })
        .collect();
    vec![
        vec![
            format!(
                "{} < {} %",
                i18n.t("hba1c"),
                i18n.fmt.decimal(CONTROLLED_BELOW, 1)
            ),
            join(hb),
        ],
        vec![
            format!(
                "{} < {}/{}",
                i18n.t("bp"),
                BP_SYSTOLIC_BELOW as i64,
                BP_DIASTOLIC_BELOW as i64
            ),
            join(bp),
        ],
    ]
    .into_iter()
    .chain(labs(i18n, card))
    .collect()
}

/// The rows of the other measurements the guidelines track, the latest of each with its date
/// (creatinine with eGFR by CKD-EPI 2021 and its category, UACR with its category, LDL, fasting
/// glucose), marked as the card marks them.
fn labs(i18n: &I18n, card: &PatientCard) -> Vec<Vec<String>> {
    let items = results_vs_target::lab_items(&card.labs, card.birth_date, card.sex);
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let value = match item {
                None => i18n.t("card-no-results"),
                Some(item) => {
                    let (value, date) = crate::i18n::labs::value(i18n, item);
                    let low = matches!(item, results_vs_target::LabItem::Kidney(_));
                    let mark = match item.verdict() {
                        Verdict::InTarget => "",
                        Verdict::AboveTarget if low => "↓",
                        Verdict::AboveTarget => "↑",
                        Verdict::Alarm => "!!",
                    };
                    format!("{value}{mark} {}", i18n.fmt.date(date))
                }
            };
            vec![crate::i18n::labs::name(i18n, index), value]
        })
        .collect()
}

/// The rows "Programmes" and "BP trend" (see [`crate::i18n::card::programs_and_trend`]) with the
/// programmes in force.
pub fn programs_and_trend(
    i18n: &I18n,
    card: &PatientCard,
    as_of: chrono::NaiveDate,
) -> Vec<Vec<String>> {
    crate::i18n::card::programs_and_trend(
        i18n,
        &card.programs,
        &card.blood_pressure,
        as_of,
        crate::store::rules::programs(),
    )
}
