//! Diabetes and comorbidities: who has what (with plausible prevalence by age and sex) and the
//! ICD-10 / SNOMED rows of `diagnoses.csv`.

use super::draw::{add_days, between, chance, days, pick};
use super::patient::{DmType, Patient};
use crate::domain::types::CodeSystem;
use crate::store::records::DiagnosisRow;
use chrono::NaiveDate;

/// One comorbidity: ICD-10 code, Russian description, whether it was first diagnosed inside the window.
type Condition = (&'static str, &'static str, bool);

/// A patient's diabetes and comorbidities.
pub(super) struct Conditions {
    /// ICD-10 code of the diabetes (`E11.2`).
    pub diabetes_code: String,
    /// Its description.
    pub diabetes_text: String,
    /// Hypertension (I10/I11).
    pub hypertension: bool,
    /// Chronic ischaemic heart disease.
    pub ihd: bool,
    /// Heart failure.
    pub heart_failure: bool,
    /// Chronic kidney disease.
    pub ckd: bool,
    /// COPD.
    pub copd: bool,
    /// Active cancer.
    pub cancer: bool,
    /// Dementia.
    pub dementia: bool,
    others: Vec<Condition>,
}

const CANCERS_F: &[(&str, &str)] = &[
    (
        "C50.9",
        "Злокачественное новообразование молочной железы неуточнённой части",
    ),
    (
        "C18.9",
        "Злокачественное новообразование ободочной кишки неуточнённой локализации",
    ),
];
const CANCERS_M: &[(&str, &str)] = &[
    (
        "C61",
        "Злокачественное новообразование предстательной железы",
    ),
    (
        "C34.9",
        "Злокачественное новообразование бронхов или лёгкого неуточнённой локализации",
    ),
    (
        "C18.9",
        "Злокачественное новообразование ободочной кишки неуточнённой локализации",
    ),
];
const LIVER: &[(&str, &str)] = &[
    ("K74.6", "Другой и неуточнённый цирроз печени"),
    ("K70.3", "Алкогольный цирроз печени"),
    ("K73.9", "Хронический гепатит неуточнённый"),
];

impl Conditions {
    /// Draws the conditions of a patient of this age, sex and diabetes type.
    pub(super) fn draw(rng: &mut fastrand::Rng, age: i32, female: bool, dm: DmType) -> Conditions {
        let old = age >= 65;
        let very_old = age >= 70;
        let t1 = dm == DmType::Type1;
        let mut others: Vec<Condition> = Vec::new();
        let recent = |rng: &mut fastrand::Rng| chance(rng, 0.1);

        let hypertension = chance(
            rng,
            if t1 {
                0.25
            } else {
                0.63 + if old { 0.12 } else { 0.0 }
            },
        );
        if hypertension {
            let r = recent(rng);
            if chance(rng, 0.2) {
                others.push((
                    "I11.9",
                    "Гипертензивная болезнь сердца без сердечной недостаточности",
                    r,
                ));
            } else {
                others.push(("I10", "Эссенциальная (первичная) гипертензия", r));
            }
        }
        let ihd = chance(
            rng,
            if t1 {
                0.03
            } else {
                0.12 + if old { 0.15 } else { 0.0 }
            },
        );
        if ihd {
            others.push(("I25.1", "Атеросклеротическая болезнь сердца", recent(rng)));
            if chance(rng, 0.3) {
                others.push(("I25.2", "Перенесённый в прошлом инфаркт миокарда", false));
            } else if chance(rng, 0.05) {
                others.push(("I21.9", "Острый инфаркт миокарда неуточнённый", true));
            }
        }
        let heart_failure = chance(
            rng,
            0.04 + if very_old { 0.07 } else { 0.0 } + if ihd { 0.1 } else { 0.0 },
        );
        if heart_failure {
            let r = recent(rng);
            if chance(rng, 0.6) {
                others.push(("I50.0", "Застойная сердечная недостаточность", r));
            } else {
                others.push(("I50.9", "Сердечная недостаточность неуточнённая", r));
            }
        }
        if chance(rng, 0.03 + if very_old { 0.04 } else { 0.0 }) {
            if chance(rng, 0.8) {
                others.push(("I69.3", "Последствия инфаркта мозга", false));
            } else {
                others.push(("I63.9", "Инфаркт мозга неуточнённый", true));
            }
        }
        let ckd = chance(rng, 0.12 + if very_old { 0.1 } else { 0.0 });
        if ckd {
            let r = recent(rng);
            match rng.u32(..100) {
                0..75 => others.push(("N18.3", "Хроническая болезнь почек, стадия 3", r)),
                75..93 => others.push(("N18.4", "Хроническая болезнь почек, стадия 4", r)),
                _ => others.push(("N18.5", "Хроническая болезнь почек, стадия 5", r)),
            }
        }
        let copd = chance(rng, if female { 0.05 } else { 0.09 });
        if copd {
            let r = recent(rng);
            others.push((
                "J44.9",
                "Хроническая обструктивная лёгочная болезнь неуточнённая",
                r,
            ));
        }
        let neuropathy = chance(rng, 0.2);
        if neuropathy && chance(rng, 0.5) {
            others.push(("G63.2", "Диабетическая полиневропатия", recent(rng)));
        }
        let peripheral = chance(rng, if t1 { 0.02 } else { 0.06 });
        if chance(rng, 0.15) {
            others.push(("H36.0", "Диабетическая ретинопатия", recent(rng)));
        }
        let cancer = chance(rng, 0.02 + if very_old { 0.01 } else { 0.0 });
        if cancer {
            let (code, text) = *pick(rng, if female { CANCERS_F } else { CANCERS_M });
            others.push((code, text, recent(rng)));
        }
        if chance(rng, 0.012) {
            let (code, text) = *pick(rng, LIVER);
            others.push((code, text, false));
        }
        let dementia = chance(rng, if age >= 75 { 0.06 } else { 0.004 });
        if dementia {
            others.push(("F03", "Деменция неуточнённая", recent(rng)));
        }

        let complications = [ckd, neuropathy, peripheral].iter().filter(|c| **c).count();
        let (sub, sub_text) = match (complications, ckd, neuropathy) {
            (0, _, _) => ("9", "без осложнений"),
            (1, true, _) => ("2", "с поражением почек"),
            (1, _, true) => ("4", "с неврологическими осложнениями"),
            (1, _, _) => ("5", "с нарушениями периферического кровообращения"),
            _ => ("7", "с множественными осложнениями"),
        };
        let (prefix, prefix_text) = match dm {
            DmType::Type1 => ("E10", "Сахарный диабет 1 типа"),
            DmType::Type2 => ("E11", "Сахарный диабет 2 типа"),
            DmType::OtherSpecified => ("E13", "Другие уточнённые формы сахарного диабета"),
            DmType::Unspecified => ("E14", "Сахарный диабет неуточнённый"),
        };
        Conditions {
            diabetes_code: format!("{prefix}.{sub}"),
            diabetes_text: format!("{prefix_text} {sub_text}"),
            hypertension,
            ihd,
            heart_failure,
            ckd,
            copd,
            cancer,
            dementia,
            others,
        }
    }
}

/// The diagnosis rows of a patient: the diabetes (sometimes also as SNOMED), then the comorbidities.
pub(super) fn diagnoses(
    p: &Patient,
    window_start: NaiveDate,
    rng: &mut fastrand::Rng,
) -> Vec<DiagnosisRow> {
    let c = &p.conditions;
    let row = |system, code: &str, text: &str, onset| DiagnosisRow {
        patient_id: p.id.clone(),
        system,
        code: code.to_string(),
        description: text.to_string(),
        onset_date: onset,
    };
    let mut rows = vec![row(
        CodeSystem::Icd10,
        &c.diabetes_code,
        &c.diabetes_text,
        p.onset,
    )];
    if chance(rng, 0.3) {
        match p.dm {
            DmType::Type2 => rows.push(row(
                CodeSystem::Snomed,
                "44054006",
                "Сахарный диабет 2 типа",
                p.onset,
            )),
            DmType::Type1 => rows.push(row(
                CodeSystem::Snomed,
                "46635009",
                "Сахарный диабет 1 типа",
                p.onset,
            )),
            _ => {}
        }
    }
    let adult = add_days(p.birth, 365 * 12);
    let followed = between(p.start, p.activity_end);
    for (code, text, recent) in &c.others {
        let onset = if *recent && followed > 0 {
            add_days(p.start, days(rng, 0, followed))
        } else {
            add_days(window_start, -days(rng, 30, 365 * 15)).max(adult)
        };
        rows.push(row(CodeSystem::Icd10, code, text, onset));
    }
    rows
}
