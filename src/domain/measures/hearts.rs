//! The catalogue's HEARTS entries: the figures Simple publishes ("What we report") as
//! `domain::hearts` computes them, per programme. Their JSON and CSV names are the part after
//! `hearts_` (`total.hearts.controlled`).

use super::{Measure, NONE, Text, t};

const SIMPLE: &str = "Simple, \"What we report\" (simpledotorg/docs what-we-report.md; docs.simple.org/what-we-report)";
const SIMPLE_BS: &str = "Simple: simple-server's reporting_patient_blood_sugars view (HbA1c < 7 / 7-8.9 / >= 9 %; random glucose < 200 / 200-299 / >= 300 mg/dL)";

const ENROLLED: Text = t(
    "Patients enrolled in the programme (enrolment date: the earliest onset of a qualifying diagnosis)",
    "Пациенты, включённые в программу (дата включения — самое раннее начало подходящего диагноза)",
);
const ASSIGNED: Text = t(
    "Assigned: enrolled on or before the as-of date, not dead, not moved away",
    "Закреплённые: включены не позже даты расчёта, не умерли, не выбыли",
);
const DENOMINATOR: Text = t(
    "Under care and enrolled on or before the as-of date minus 3 calendar months",
    "Под наблюдением и включены не позже даты расчёта минус 3 календарных месяца",
);
const ON_THE_DAY: Text = t("On the as-of date", "На дату расчёта");
const THREE_MONTHS: Text = t(
    "The 3 calendar months ending on the as-of date (31 May: 1 March-31 May)",
    "3 календарных месяца до даты расчёта (31 мая: 1 марта-31 мая)",
);
const AS_OF: Text = t(
    "T is the as-of date (a report: its period's last day)",
    "T — дата расчёта (в отчёте — последний день периода)",
);
const END_ONLY: Text = t(
    "Only the end date: the windows keep their length",
    "Только дата окончания: длина окон не меняется",
);

// Every field of a catalogue entry but the two all HEARTS figures share.
#[allow(clippy::too_many_arguments)]
const fn hearts(
    id: &'static str,
    label: Text,
    population: Text,
    numerator: Text,
    denominator: Text,
    window: Text,
    source: &'static str,
    lower_is_better: Option<bool>,
) -> Measure {
    Measure {
        id,
        label,
        population,
        numerator,
        denominator,
        window,
        as_of: AS_OF,
        period: END_ONLY,
        source,
        lower_is_better,
    }
}

/// Assigned patients.
pub const H_ASSIGNED: Measure = hearts(
    "hearts_assigned",
    t("HEARTS: assigned patients", "HEARTS: закреплённые пациенты"),
    ENROLLED,
    ASSIGNED,
    NONE,
    ON_THE_DAY,
    SIMPLE,
    None,
);

/// Under care.
pub const H_UNDER_CARE: Measure = hearts(
    "hearts_under_care",
    t(
        "HEARTS: under care (a contact or enrolment in 12 months)",
        "HEARTS: под наблюдением (контакт или включение за 12 месяцев)",
    ),
    ASSIGNED,
    t(
        "A contact (any encounter, or a BP, HbA1c or glucose measurement) in the 12 months, or enrolled in them",
        "Контакт (любое обращение или измерение АД, HbA1c, глюкозы) за 12 месяцев или включение в них",
    ),
    NONE,
    t(
        "12 calendar months ending on the as-of date",
        "12 календарных месяцев до даты расчёта",
    ),
    SIMPLE,
    None,
);

/// Lost to follow-up.
pub const H_LOST: Measure = hearts(
    "hearts_lost_to_follow_up",
    t(
        "HEARTS: lost to follow-up (no contact in 12 months)",
        "HEARTS: потеряны для наблюдения (нет контакта 12 месяцев)",
    ),
    ASSIGNED,
    t(
        "Enrolled on or before the as-of date minus 12 months, no contact in the 12 months",
        "Включены не позже даты расчёта минус 12 месяцев, нет контакта за 12 месяцев",
    ),
    t("Assigned patients", "Закреплённые пациенты"),
    t(
        "12 calendar months ending on the as-of date",
        "12 календарных месяцев до даты расчёта",
    ),
    SIMPLE,
    Some(true),
);

/// The denominator of the outcome buckets.
pub const H_DENOMINATOR: Measure = hearts(
    "hearts_denominator",
    t(
        "HEARTS: denominator (under care, enrolled 3+ months)",
        "HEARTS: знаменатель (под наблюдением, включены 3+ месяца назад)",
    ),
    ASSIGNED,
    DENOMINATOR,
    NONE,
    ON_THE_DAY,
    SIMPLE,
    None,
);

const fn bucket(
    id: &'static str,
    label: Text,
    numerator: Text,
    source: &'static str,
    lower_is_better: bool,
) -> Measure {
    hearts(
        id,
        label,
        ASSIGNED,
        numerator,
        DENOMINATOR,
        THREE_MONTHS,
        source,
        Some(lower_is_better),
    )
}

/// Hypertension: controlled.
pub const H_CONTROLLED: Measure = bucket(
    "hearts_controlled",
    t(
        "HEARTS hypertension: BP controlled (< 140/90)",
        "HEARTS гипертония: АД под контролем (< 140/90)",
    ),
    t(
        "The latest day in the 3 months with a systolic and a diastolic reading: that day's lowest systolic < 140 and lowest diastolic < 90",
        "Последний день за 3 месяца с систолическим и диастолическим давлением: наименьшее систолическое за день < 140 и наименьшее диастолическое < 90",
    ),
    SIMPLE,
    false,
);

/// Hypertension: uncontrolled.
pub const H_UNCONTROLLED: Measure = bucket(
    "hearts_uncontrolled",
    t(
        "HEARTS hypertension: BP not controlled (>= 140/90)",
        "HEARTS гипертония: АД не под контролем (>= 140/90)",
    ),
    t(
        "The latest BP day in the 3 months at 140/90 or above",
        "Последний день с АД за 3 месяца: 140/90 или выше",
    ),
    SIMPLE,
    true,
);

/// Hypertension: visited, no BP.
pub const H_VISITED_NO_BP: Measure = bucket(
    "hearts_visited_no_bp",
    t(
        "HEARTS hypertension: visited but no BP taken",
        "HEARTS гипертония: был контакт, АД не измерено",
    ),
    t(
        "A contact in the 3 months but no day with both BP readings",
        "Контакт за 3 месяца, но нет дня с обоими показателями АД",
    ),
    SIMPLE,
    true,
);

/// Both programmes: missed visit.
pub const H_MISSED: Measure = bucket(
    "hearts_missed_visit",
    t(
        "HEARTS: missed visits (no contact in 3 months)",
        "HEARTS: пропущенные визиты (нет контакта за 3 месяца)",
    ),
    t("No contact in the 3 months", "Нет контакта за 3 месяца"),
    SIMPLE,
    true,
);

/// Diabetes: blood sugar under 200.
pub const H_BS_UNDER_200: Measure = bucket(
    "hearts_bs_under_200",
    t(
        "HEARTS diabetes: blood sugar < 200 (HbA1c < 7 %)",
        "HEARTS диабет: сахар крови < 200 (HbA1c < 7 %)",
    ),
    t(
        "The latest day in the 3 months with an HbA1c or a glucose (HbA1c first): HbA1c < 7.0 % or glucose < 200 mg/dL (11.1 mmol/L)",
        "Последний день за 3 месяца с HbA1c или глюкозой (сначала HbA1c): HbA1c < 7,0 % или глюкоза < 200 мг/дл (11,1 ммоль/л)",
    ),
    SIMPLE_BS,
    false,
);

/// Diabetes: 200–299.
pub const H_BS_200_TO_299: Measure = bucket(
    "hearts_bs_200_to_299",
    t(
        "HEARTS diabetes: blood sugar 200-299 (HbA1c 7-8.9 %)",
        "HEARTS диабет: сахар крови 200-299 (HbA1c 7-8,9 %)",
    ),
    t(
        "That day's HbA1c 7.0-8.9 % or glucose 200-299 mg/dL",
        "HbA1c за тот день 7,0-8,9 % или глюкоза 200-299 мг/дл",
    ),
    SIMPLE_BS,
    true,
);

/// Diabetes: 300 and over.
pub const H_BS_300_PLUS: Measure = bucket(
    "hearts_bs_300_plus",
    t(
        "HEARTS diabetes: blood sugar >= 300 (HbA1c >= 9 %)",
        "HEARTS диабет: сахар крови >= 300 (HbA1c >= 9 %)",
    ),
    t(
        "That day's HbA1c >= 9.0 % or glucose >= 300 mg/dL (16.7 mmol/L)",
        "HbA1c за тот день >= 9,0 % или глюкоза >= 300 мг/дл (16,7 ммоль/л)",
    ),
    SIMPLE_BS,
    true,
);

/// Diabetes: visited, no blood sugar.
pub const H_VISITED_NO_BS: Measure = bucket(
    "hearts_visited_no_bs",
    t(
        "HEARTS diabetes: visited but no blood sugar taken",
        "HEARTS диабет: был контакт, сахар крови не измерен",
    ),
    t(
        "A contact in the 3 months but no HbA1c or glucose",
        "Контакт за 3 месяца, но нет HbA1c или глюкозы",
    ),
    SIMPLE_BS,
    true,
);

/// The catalogue entry of a HEARTS figure by its JSON name (`controlled`, `assigned`).
pub fn hearts_measure(name: &str) -> Option<&'static Measure> {
    super::measure(&format!("hearts_{name}"))
}
