//! The catalogue of measures: every figure acodesk shows, defined once — its id, label in English
//! and Russian, population, numerator, denominator, look-back window, how the as-of date and a
//! report period apply to it, and its source. The Progress tab, `acodesk progress`, the report and
//! its CSV take their labels and windows from here, `acodesk measures` prints it, and the report's
//! method appendix is generated from it. The rules themselves live beside it
//! ([`follow_up`], [`population`], [`quality_codes`]) and in `domain::indicators` / `domain::readmission`.

pub mod follow_up;
pub mod hearts;
pub mod population;
pub mod quality_codes;

use serde::Serialize;

/// A text in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Text {
    /// English.
    pub en: &'static str,
    /// Russian.
    pub ru: &'static str,
}

impl Text {
    /// The text in `lang` ("ru" gives Russian, anything else English).
    pub fn get(&self, lang: &str) -> &'static str {
        if lang.starts_with("ru") {
            self.ru
        } else {
            self.en
        }
    }
}

/// One figure as the catalogue defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Measure {
    /// Stable id, also the figure's CSV and JSON name (`poor_control`).
    pub id: &'static str,
    /// What the figure is called on every surface; names its window.
    pub label: Text,
    /// Who is counted at all.
    pub population: Text,
    /// Who counts in the numerator (for a count: what is counted).
    pub numerator: Text,
    /// Who counts in the denominator (empty for a count).
    pub denominator: Text,
    /// The look-back window.
    pub window: Text,
    /// How the as-of date (or a report period's last day) applies.
    pub as_of: Text,
    /// What a report period changes: for the indicators nothing but the end date.
    pub period: Text,
    /// The publication it follows, or "acodesk's own".
    pub source: &'static str,
    /// `Some(true)` when a lower share is better, `Some(false)` when higher is, `None` for counts.
    pub lower_is_better: Option<bool>,
}

const fn t(en: &'static str, ru: &'static str) -> Text {
    Text { en, ru }
}

const NONE: Text = t("", "");
const ACTIVE: Text = t(
    "Enrolled patients active (not dead, not moved) at the window's end",
    "Включённые в программу пациенты, активные (не умерли, не выбыли) на конец окна",
);
const AS_OF_END: Text = t(
    "The window ends on the as-of date (a report: on its period's last day)",
    "Окно заканчивается на дату расчёта (в отчёте — в последний день периода)",
);
const PERIOD_END_ONLY: Text = t(
    "Only the end date: the window keeps its length at any reporting period",
    "Только дата окончания: длина окна не зависит от отчётного периода",
);
const PERIOD_FLOW: Text = t(
    "Counted over the reporting period itself",
    "Считается за сам отчётный период",
);
const YEAR: Text = t(
    "12 months ending on the window's end",
    "12 месяцев до конца окна",
);
const OWN: &str = "acodesk's own";

/// Every figure, in the order the catalogue is printed.
pub const CATALOGUE: &[Measure] = &[
    Measure {
        id: "active",
        label: t("Enrolled, under follow-up", "Включены, под наблюдением"),
        population: ACTIVE,
        numerator: t("Active enrolled patients", "Активные включённые пациенты"),
        denominator: NONE,
        window: t("On the window's end day", "На день окончания окна"),
        as_of: AS_OF_END,
        period: PERIOD_END_ONLY,
        source: OWN,
        lower_is_better: None,
    },
    Measure {
        id: "new_enrolments",
        label: t("New enrolments in the period", "Новые включения за период"),
        population: t("Enrolled patients", "Включённые пациенты"),
        numerator: t("Enrolled during the period", "Включены в течение периода"),
        denominator: NONE,
        window: t(
            "The reporting period (Progress: the 12 months to the as-of date)",
            "Отчётный период (Прогресс: 12 месяцев до даты расчёта)",
        ),
        as_of: AS_OF_END,
        period: PERIOD_FLOW,
        source: OWN,
        lower_is_better: None,
    },
    Measure {
        id: "deaths",
        label: t("Deaths in the period", "Умерли за период"),
        population: t("Enrolled patients", "Включённые пациенты"),
        numerator: t("Date of death in the period", "Дата смерти в периоде"),
        denominator: NONE,
        window: t(
            "The reporting period (Progress: the 12 months to the as-of date)",
            "Отчётный период (Прогресс: 12 месяцев до даты расчёта)",
        ),
        as_of: AS_OF_END,
        period: PERIOD_FLOW,
        source: OWN,
        lower_is_better: None,
    },
    Measure {
        id: "moves",
        label: t("Moved away in the period", "Выбыли за период"),
        population: t("Enrolled patients", "Включённые пациенты"),
        numerator: t(
            "Date of moving away in the period",
            "Дата выбытия в периоде",
        ),
        denominator: NONE,
        window: t(
            "The reporting period (Progress: the 12 months to the as-of date)",
            "Отчётный период (Прогресс: 12 месяцев до даты расчёта)",
        ),
        as_of: AS_OF_END,
        period: PERIOD_FLOW,
        source: OWN,
        lower_is_better: None,
    },
    Measure {
        id: "hba1c_tested",
        label: t(
            "HbA1c tested in the last 6 months",
            "HbA1c за последние 6 месяцев",
        ),
        population: ACTIVE,
        numerator: t(
            "An HbA1c result in the 6 months",
            "Есть результат HbA1c за 6 месяцев",
        ),
        denominator: t("Active enrolled patients", "Активные включённые пациенты"),
        window: t(
            "6 months ending on the window's end",
            "6 месяцев до конца окна",
        ),
        as_of: AS_OF_END,
        period: PERIOD_END_ONLY,
        source: "acodesk's own (Russian diabetes algorithms, 11th ed. 2023: HbA1c every 3-6 months)",
        lower_is_better: Some(false),
    },
    Measure {
        id: "hba1c_tested_12m",
        label: t(
            "HbA1c tested in the last 12 months (the contract's quality gate)",
            "HbA1c за последние 12 месяцев (порог качества договора)",
        ),
        population: ACTIVE,
        numerator: t(
            "An HbA1c result in the 12 months",
            "Есть результат HbA1c за 12 месяцев",
        ),
        denominator: t("Active enrolled patients", "Активные включённые пациенты"),
        window: YEAR,
        as_of: AS_OF_END,
        period: PERIOD_END_ONLY,
        source: OWN,
        lower_is_better: Some(false),
    },
    Measure {
        id: "poor_control",
        label: t(
            "HbA1c poor control (> 9 % or none), CMS122 / Quality ID 001, 12 months",
            "Плохой контроль HbA1c (> 9 % или нет анализа), CMS122 / Quality ID 001, 12 месяцев",
        ),
        population: t(
            "Active diabetic patients aged 18-75 at the window's end with a visit in the 12 months; hospice or palliative care (Z51.5, or the manager's mark on the card) and, at 66+, frailty with advanced illness excluded",
            "Активные пациенты с диабетом 18-75 лет на конец окна с визитом за 12 месяцев; исключены паллиативная помощь (Z51.5 или отметка руководителя в карточке) и в 66+ лет старческая астения вместе с тяжёлым заболеванием",
        ),
        numerator: t(
            "Most recent HbA1c in the 12 months > 9.0 %, or none",
            "Последний HbA1c за 12 месяцев > 9,0 % или анализа нет",
        ),
        denominator: t("The population", "Вся группа"),
        window: YEAR,
        as_of: AS_OF_END,
        period: PERIOD_END_ONLY,
        source: "CMS122v12 / MIPS Quality ID 001 (NQF 0059), eCQI Resource Center; codes in assets/codes/quality_measures_icd10.toml",
        lower_is_better: Some(true),
    },
    Measure {
        id: "controlled",
        label: t(
            "HbA1c < 7 % (CMS122 population), 12 months",
            "HbA1c < 7 % (группа CMS122), 12 месяцев",
        ),
        population: t(
            "As for poor control (CMS122)",
            "Как для плохого контроля (CMS122)",
        ),
        numerator: t(
            "Most recent HbA1c in the 12 months < 7.0 %",
            "Последний HbA1c за 12 месяцев < 7,0 %",
        ),
        denominator: t("The population", "Вся группа"),
        window: YEAR,
        as_of: AS_OF_END,
        period: PERIOD_END_ONLY,
        source: OWN,
        lower_is_better: Some(false),
    },
    Measure {
        id: "bp_controlled",
        label: t(
            "Blood pressure < 140/90 in hypertension, CMS165 / Quality ID 236, 12 months",
            "АД < 140/90 при гипертонии, CMS165 / Quality ID 236, 12 месяцев",
        ),
        population: t(
            "Active enrolled patients aged 18-85 with essential hypertension (ICD-10 I10-I15) diagnosed before or in the first 6 months of the window, with a visit in it; ESRD/dialysis/kidney transplant, pregnancy, hospice or palliative care (Z51.5, or the manager's mark on the card), frailty with advanced illness at 66-80 and frailty at 81+ excluded",
            "Активные пациенты 18-85 лет с гипертонической болезнью (МКБ-10 I10-I15), диагностированной до или в первые 6 месяцев окна, с визитом в нём; исключены ТХПН/диализ/трансплантация почки, беременность, паллиативная помощь (Z51.5 или отметка руководителя в карточке), старческая астения с тяжёлым заболеванием в 66-80 лет и астения в 81+",
        ),
        numerator: t(
            "The most recent day's lowest systolic < 140 and lowest diastolic < 90 mmHg; readings on a day in hospital or in the emergency department do not count; none = not controlled",
            "Наименьшие систолическое < 140 и диастолическое < 90 мм рт. ст. последнего дня измерений; измерения в дни стационара или приёмного отделения не считаются; нет измерений — не контролируется",
        ),
        denominator: t("The population", "Вся группа"),
        window: YEAR,
        as_of: AS_OF_END,
        period: PERIOD_END_ONLY,
        source: "CMS165v12 / MIPS Quality ID 236 (NQF 0018), eCQI Resource Center; codes in assets/codes/quality_measures_icd10.toml",
        lower_is_better: Some(false),
    },
    Measure {
        id: "bp_controlled_all_diabetics",
        label: t(
            "BP < 140/90 among all diabetic patients (latest reading, any setting), 12 months",
            "АД < 140/90 среди всех пациентов с диабетом (последнее измерение, любое место), 12 месяцев",
        ),
        population: ACTIVE,
        numerator: t(
            "The most recent day's lowest systolic < 140 and lowest diastolic < 90 mmHg in the 12 months; none = not controlled",
            "Наименьшие систолическое < 140 и диастолическое < 90 мм рт. ст. последнего дня измерений за 12 месяцев; нет измерений — не контролируется",
        ),
        denominator: t("Active enrolled patients", "Активные включённые пациенты"),
        window: YEAR,
        as_of: AS_OF_END,
        period: PERIOD_END_ONLY,
        source: OWN,
        lower_is_better: Some(false),
    },
    Measure {
        id: "missed_visit",
        label: t(
            "No visit in the last 3 months",
            "Нет визита за последние 3 месяца",
        ),
        population: ACTIVE,
        numerator: t(
            "No visit (any encounter or a measurement at a network site) in the 3 months",
            "Нет визита (любой приём или измерение в учреждении сети) за 3 месяца",
        ),
        denominator: t("Active enrolled patients", "Активные включённые пациенты"),
        window: t(
            "3 months ending on the window's end",
            "3 месяца до конца окна",
        ),
        as_of: AS_OF_END,
        period: PERIOD_END_ONLY,
        source: "Simple, \"What we report\" (missed visits)",
        lower_is_better: Some(true),
    },
    Measure {
        id: "lost",
        label: t(
            "Lost to follow-up: enrolled over 12 months ago, no visit in 12 months",
            "Потеряны для наблюдения: включены более 12 месяцев назад, нет визита 12 месяцев",
        ),
        population: t(
            "Active enrolled patients enrolled more than 12 months before the window's end",
            "Активные пациенты, включённые более 12 месяцев до конца окна",
        ),
        numerator: t("No visit in the 12 months", "Нет визита за 12 месяцев"),
        denominator: t("The population", "Вся группа"),
        window: YEAR,
        as_of: AS_OF_END,
        period: PERIOD_END_ONLY,
        source: "Simple, \"What we report\" (lost to follow-up); WHO HEARTS",
        lower_is_better: Some(true),
    },
    Measure {
        id: "readmitted",
        label: t(
            "30-day unplanned readmissions (CMS hospital-wide rule, not risk-standardised)",
            "Незапланированные повторные госпитализации за 30 дней (правило CMS, без стандартизации риска)",
        ),
        population: t(
            "Index episodes of enrolled patients: discharged in the 12 months ending 30 days before the as-of date, alive, not against medical advice, not transferred, not moved away within 30 days; when a principal diagnosis is recorded, not for cancer treatment, psychiatry or rehabilitation",
            "Индексные госпитализации включённых пациентов: выписка за 12 месяцев, закончившихся за 30 дней до даты расчёта, живы, не самовольный уход, не перевод, не выбыли в течение 30 дней; при указанном основном диагнозе — не лечение рака, психиатрия или реабилитация",
        ),
        numerator: t(
            "The next episode is unplanned and admitted 1-30 days after the index discharge",
            "Следующая госпитализация незапланированная и началась через 1-30 дней после выписки",
        ),
        denominator: t(
            "Index episodes with a closed 30-day window",
            "Индексные госпитализации с закрытым 30-дневным окном",
        ),
        window: t(
            "Index discharges in the 12 months ending 30 days before the window's end; open windows listed, not counted",
            "Выписки за 12 месяцев, закончившихся за 30 дней до конца окна; открытые окна показаны, не считаются",
        ),
        as_of: t(
            "Stays admitted after the as-of date are ignored; windows younger than 30 days are open",
            "Госпитализации после даты расчёта не учитываются; окна моложе 30 дней открыты",
        ),
        period: t(
            "A report: index discharges in its period, windows closed by the as-of date; the open ones are stated",
            "Отчёт: выписки в его периоде с окнами, закрытыми к дате расчёта; открытые указаны",
        ),
        source: "CMS Hospital-Wide All-Cause Unplanned Readmission measure (YNHHSC/CORE); Tuva Project data mart readmissions",
        lower_is_better: Some(true),
    },
    Measure {
        id: "overdue",
        label: t(
            "Overdue on the 1st of the month",
            "Просрочены на 1-е число месяца",
        ),
        population: ACTIVE,
        numerator: t(
            "On the worklist on the month's first day",
            "В рабочем списке на первое число месяца",
        ),
        denominator: NONE,
        window: t("The calendar month", "Календарный месяц"),
        as_of: t(
            "The month of the as-of date, calls counted up to it",
            "Месяц даты расчёта, звонки до неё",
        ),
        period: PERIOD_FLOW,
        source: "Simple, overdue patients (call cascade)",
        lower_is_better: None,
    },
    Measure {
        id: "contactable",
        label: t(
            "Overdue with a phone number",
            "Просроченные с номером телефона",
        ),
        population: t("Overdue on the 1st", "Просроченные на 1-е число"),
        numerator: t("With a phone number", "Есть номер телефона"),
        denominator: t("Overdue on the 1st", "Просроченные на 1-е число"),
        window: t("The calendar month", "Календарный месяц"),
        as_of: t("The month of the as-of date", "Месяц даты расчёта"),
        period: PERIOD_FLOW,
        source: "Simple, overdue patients (call cascade)",
        lower_is_better: Some(false),
    },
    Measure {
        id: "called",
        label: t(
            "Called in the month (patients)",
            "Обзвонены за месяц (пациенты)",
        ),
        population: t("Overdue with a phone", "Просроченные с телефоном"),
        numerator: t(
            "Called at least once in the month",
            "Хотя бы один звонок за месяц",
        ),
        denominator: t("Overdue with a phone", "Просроченные с телефоном"),
        window: t("The calendar month", "Календарный месяц"),
        as_of: t("The month of the as-of date", "Месяц даты расчёта"),
        period: PERIOD_FLOW,
        source: "Simple, overdue patients (call cascade)",
        lower_is_better: Some(false),
    },
    Measure {
        id: "reached",
        label: t(
            "Reached (patients): of the patients called, reached",
            "Дозвонились (пациенты): из обзвоненных пациентов",
        ),
        population: t(
            "Overdue patients called in the month",
            "Просроченные пациенты, которым звонили за месяц",
        ),
        numerator: t(
            "At least one call reached the patient or the family",
            "Хотя бы один звонок застал пациента или семью",
        ),
        denominator: t("Patients called", "Пациенты, которым звонили"),
        window: t("The calendar month", "Календарный месяц"),
        as_of: t("The month of the as-of date", "Месяц даты расчёта"),
        period: PERIOD_FLOW,
        source: "Simple, overdue patients (call cascade)",
        lower_is_better: Some(false),
    },
    Measure {
        id: "returned",
        label: t(
            "Returned to care within 15 days of the first call",
            "Вернулись к наблюдению в течение 15 дней после первого звонка",
        ),
        population: t("Patients reached", "Пациенты, до которых дозвонились"),
        numerator: t(
            "A visit within 15 days of the month's first call",
            "Визит в течение 15 дней после первого звонка месяца",
        ),
        denominator: t("Patients reached", "Пациенты, до которых дозвонились"),
        window: t("The calendar month", "Календарный месяц"),
        as_of: t("The month of the as-of date", "Месяц даты расчёта"),
        period: PERIOD_FLOW,
        source: "Simple, overdue patients (returned to care)",
        lower_is_better: Some(false),
    },
    Measure {
        id: "calls_reached",
        label: t(
            "Reached (calls): calls that reached the patient, of all calls",
            "Дозвонились (звонки): успешные звонки из всех звонков",
        ),
        population: t(
            "Calls logged (a correction replaces the call it corrects)",
            "Записанные звонки (исправление заменяет исправленный звонок)",
        ),
        numerator: t(
            "Calls that spoke to the patient or the family",
            "Звонки, заставшие пациента или семью",
        ),
        denominator: t("All calls", "Все звонки"),
        window: t(
            "The reporting period (Progress: the month)",
            "Отчётный период (Прогресс: месяц)",
        ),
        as_of: AS_OF_END,
        period: PERIOD_FLOW,
        source: OWN,
        lower_is_better: Some(false),
    },
    hearts::H_ASSIGNED,
    hearts::H_UNDER_CARE,
    hearts::H_LOST,
    hearts::H_DENOMINATOR,
    hearts::H_CONTROLLED,
    hearts::H_UNCONTROLLED,
    hearts::H_VISITED_NO_BP,
    hearts::H_BS_UNDER_200,
    hearts::H_BS_200_TO_299,
    hearts::H_BS_300_PLUS,
    hearts::H_VISITED_NO_BS,
    hearts::H_MISSED,
];

/// A figure's value: a count, or a share with its numerator and denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// A number of patients, stays or calls.
    Count(u64),
    /// A share.
    Share(crate::domain::indicators::Ratio),
}

/// One figure with its catalogue entry, as surfaces print it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figure {
    /// The catalogue id.
    pub id: &'static str,
    /// The value.
    pub value: Value,
}

/// The figures of a group's indicators ([`crate::domain::indicators::Tally`]) by catalogue id, in
/// catalogue order: every surface that prints them takes them from here.
pub fn tally_figures(t: &crate::domain::indicators::Tally) -> Vec<Figure> {
    let value = |id: &str| -> Option<Value> {
        Some(match id {
            "active" => Value::Count(t.enrolled_active),
            "new_enrolments" => Value::Count(t.new_enrolments),
            "deaths" => Value::Count(t.deaths),
            "moves" => Value::Count(t.moves),
            "hba1c_tested" => Value::Share(t.hba1c_tested_6m),
            "hba1c_tested_12m" => Value::Share(t.hba1c_tested_period),
            "poor_control" => Value::Share(t.hba1c_poor_control),
            "controlled" => Value::Share(t.hba1c_controlled),
            "bp_controlled" => Value::Share(t.bp_controlled),
            "bp_controlled_all_diabetics" => Value::Share(t.bp_controlled_all_diabetics),
            "missed_visit" => Value::Share(t.missed_visit_3m),
            "lost" => Value::Share(t.lost_to_follow_up_12m),
            _ => return None,
        })
    };
    CATALOGUE
        .iter()
        .filter_map(|m| value(m.id).map(|value| Figure { id: m.id, value }))
        .collect()
}

/// The catalogue's entry for an id.
pub fn measure(id: &str) -> Option<&'static Measure> {
    CATALOGUE.iter().find(|m| m.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_and_labels_are_unique_in_both_languages() {
        let ids: HashSet<_> = CATALOGUE.iter().map(|m| m.id).collect();
        assert_eq!(ids.len(), CATALOGUE.len());
        for lang in ["en", "ru"] {
            let labels: HashSet<_> = CATALOGUE.iter().map(|m| m.label.get(lang)).collect();
            assert_eq!(
                labels.len(),
                CATALOGUE.len(),
                "one label, two figures in {lang}"
            );
        }
    }

    #[test]
    fn every_entry_is_filled_in_and_a_share_has_a_denominator() {
        for m in CATALOGUE {
            for (what, text) in [
                ("label", m.label),
                ("population", m.population),
                ("numerator", m.numerator),
                ("window", m.window),
                ("as_of", m.as_of),
                ("period", m.period),
            ] {
                assert!(
                    !text.en.is_empty() && !text.ru.is_empty(),
                    "{} {what}",
                    m.id
                );
            }
            assert!(!m.source.is_empty(), "{}", m.id);
            assert_eq!(
                m.lower_is_better.is_some(),
                !m.denominator.en.is_empty(),
                "{}",
                m.id
            );
        }
        assert_eq!(
            measure("poor_control").map(|m| m.lower_is_better),
            Some(Some(true))
        );
        assert!(measure("nonsense").is_none());
    }

    #[test]
    fn every_hearts_figure_has_a_catalogue_entry() {
        use crate::domain::hearts::{Counts, Outcome};
        for o in [Outcome::BloodPressure, Outcome::BloodSugar] {
            for (name, _) in Counts::new(o).figures() {
                assert!(hearts::hearts_measure(name).is_some(), "{name}");
            }
        }
    }

    #[test]
    fn tally_figures_follow_the_catalogue_and_carry_every_indicator() {
        use crate::domain::indicators::{Ratio, Tally};
        let t = Tally {
            enrolled_active: 7,
            hba1c_poor_control: Ratio {
                numerator: 1,
                denominator: 4,
            },
            ..Tally::default()
        };
        let f = tally_figures(&t);
        assert_eq!(f.len(), 12);
        assert!(f.iter().all(|x| measure(x.id).is_some()));
        assert_eq!(f[0].value, Value::Count(7));
        let poor = f.iter().find(|x| x.id == "poor_control").unwrap();
        assert_eq!(
            poor.value,
            Value::Share(Ratio {
                numerator: 1,
                denominator: 4
            })
        );
    }
}
