//! Property tests: the rules never panic, whatever the dates and thresholds.

use super::super::*;
use crate::domain::calendar::Calendar;
use crate::domain::types::{CallOutcome, PatientStatus};
use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
        .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
}

/// Mostly dates near 2025 (where the rules interact), sometimes anywhere.
fn date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        3 => (739_000i32..740_200).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap()),
        1 => any_date(),
    ]
}

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![4 => 0.0f64..300.0, 1 => any::<f64>()]
}

fn outcome() -> impl Strategy<Value = CallOutcome> {
    proptest::sample::select(CallOutcome::ALL.to_vec())
}

fn status() -> impl Strategy<Value = PatientStatus> {
    proptest::sample::select(PatientStatus::ALL.to_vec())
}

fn facts() -> impl Strategy<Value = PatientFacts> {
    facts_from(|| date().boxed(), status().boxed())
}

/// Facts whose dates come from `date` and status from `status`.
fn facts_from(
    date: impl Fn() -> BoxedStrategy<NaiveDate>,
    status: BoxedStrategy<PatientStatus>,
) -> impl Strategy<Value = PatientFacts> {
    let acute = (date(), any::<bool>()).prop_map(|(date, er)| AcuteEvent {
        kind: if er {
            AcuteKind::EmergencyVisit
        } else {
            AcuteKind::InpatientDischarge
        },
        date,
    });
    let call = (date(), 0u32..24, outcome(), proptest::option::of(date())).prop_map(
        |(day, hour, outcome, next_date)| CallFact {
            at: day.and_hms_opt(hour, 0, 0).unwrap(),
            outcome,
            next_date,
        },
    );
    let hba1c = (date(), value()).prop_map(|(date, percent)| Hba1cFact { date, percent });
    let bp = (
        date(),
        proptest::option::of(value()),
        proptest::option::of(value()),
    )
        .prop_map(|(date, systolic, diastolic)| BpFact {
            date,
            systolic,
            diastolic,
        });
    let window =
        (date(), 0u32..20).prop_map(|(discharge, lace)| ReadmissionWindow { discharge, lace });
    let removal = (date(), outcome()).prop_map(|(on, reason)| Removal { on, reason });
    let first = (
        status,
        proptest::option::of(date()),
        proptest::option::of(acute),
        proptest::option::of(date().prop_map(|d| d.and_hms_opt(9, 30, 0).unwrap())),
        proptest::option::of(call),
        prop_oneof![0u32..6, any::<u32>()],
    );
    let second = (
        proptest::option::of(date()),
        proptest::option::of(date()),
        proptest::option::of(hba1c),
        proptest::option::of(bp),
        proptest::option::of(window),
        proptest::option::of(removal),
    );
    // The programmes: none, diabetes, hypertension, a region's programme with only the common
    // reasons, with their own dates and, now and then, other numbers.
    let rules = prop_oneof![
        Just(super::enrolment("diabetes").rules),
        Just(super::enrolment("hypertension").rules),
        Just(ProgramRules::default()),
        (1u32..13, 0u32..60, 0u32..40, value(), value()).prop_map(|(m, f, h, s, d)| {
            ProgramRules {
                watch_hba1c: true,
                hba1c_every_months: Some(h.max(1)),
                bp_every_months: Some(m),
                poor_control: true,
                poor_control_above_pct: Some(s / 30.0),
                bp_urgent: true,
                bp_urgent_at: Some(BpLimit {
                    systolic: s,
                    diastolic: d,
                }),
                bp_uncontrolled: Some(crate::domain::program::BpFollowUp {
                    limit: BpLimit {
                        systolic: d,
                        diastolic: s,
                    },
                    follow_up_days: f,
                }),
            }
        }),
    ];
    let enrolment =
        (proptest::option::of(date()), rules, 0usize..4).prop_map(|(enrolled_on, rules, n)| {
            ProgramEnrolment {
                program_id: ["diabetes", "hypertension", "chf", "other"][n].to_string(),
                enrolled_on,
                rules,
            }
        });
    let third = (
        proptest::collection::vec(enrolment, 0..3),
        any::<bool>(),
        proptest::option::of((date(), value()).prop_map(|(date, v)| GlucoseFact {
            date,
            mmol_per_l: v / 10.0,
        })),
        proptest::option::of(date()),
        proptest::option::of(date()),
    );
    (first, second, third).prop_map(|(a, b, c)| PatientFacts {
        patient_id: "p".into(),
        status: a.0,
        enrolled_on: a.1,
        latest_acute: a.2,
        latest_contact_at: a.3,
        latest_call: a.4,
        consecutive_no_answers: a.5,
        latest_visit: b.0,
        latest_appointment: b.1,
        latest_hba1c: b.2,
        latest_bp: b.3,
        readmission_window: b.4,
        removed: b.5,
        programs: c.0,
        prior_mi_or_stroke: c.1,
        latest_glucose: c.2,
        diabetes_since: c.3,
        latest_creatinine: c.4,
    })
}

fn thresholds() -> impl Strategy<Value = Thresholds> {
    let small = || prop_oneof![4 => 0u32..40, 1 => any::<u32>()];
    (
        (
            small(),
            small(),
            small(),
            value(),
            value(),
            value(),
            small(),
        ),
        (
            small(),
            small(),
            small(),
            small(),
            small(),
            small(),
            small(),
        ),
        (small(), small(), small(), small(), small()),
    )
        .prop_map(|(a, b, c)| Thresholds {
            post_discharge_call_business_days: a.0,
            transitional_care_days: a.1,
            hba1c_interval_months: a.2,
            hba1c_poor_control_pct: a.3,
            bp_urgent_systolic: a.4,
            bp_urgent_diastolic: a.5,
            lost_to_follow_up_months: a.6,
            lace_high_risk: b.0,
            readmission_window_days: b.1,
            unreachable_after_no_answers: b.2,
            missed_visit_high_after_days: b.3,
            next_visit_days: b.4,
            call_back_days: b.5,
            no_answer_retry_business_days: b.6,
            clinical_flag_recency_days: c.0,
            tcm_visit_high_risk_days: c.1,
            tcm_visit_days: c.2,
            agreed_visit_grace_days: c.3,
            kidney_check_interval_months: c.4,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn evaluate_never_panics(
        facts in facts(),
        as_of in date(),
        t in prop_oneof![Just(Thresholds::default()), thresholds()],
        russian in any::<bool>(),
        outcome in outcome(),
    ) {
        let cal = if russian { Calendar::russia() } else { Calendar::weekends_only() };
        let _ = is_lost_to_follow_up(&facts, as_of, &t);
        let _ = default_next_date(outcome, as_of, &t, &cal);
        if let Some(e) = evaluate(&facts, as_of, &t, &cal) {
            prop_assert_eq!(facts.status, PatientStatus::Active);
            prop_assert!(!e.reasons.is_empty());
            prop_assert!(e.reasons.windows(2).all(|w| w[0] < w[1]), "sorted, unique");
            prop_assert!(e.days_overdue >= 0);
            prop_assert_eq!(Some(e.priority), e.findings.iter().map(|f| f.priority).min());
            let deciding = e.deciding().unwrap();
            prop_assert_eq!((deciding.due, deciding.days_overdue), (e.due, e.days_overdue));
            prop_assert!(e.findings.iter().all(|f| f.rank() >= deciding.rank()));
            prop_assert!(e.findings.iter().all(|f| f.days_overdue >= 0));
        }
    }
}

/// The first day of the recheck walk.
const WALK_FROM: i32 = 739_500;

/// Dates within a few months of the walk's start, so that rules start and end during the walk.
fn near_date() -> BoxedStrategy<NaiveDate> {
    (WALK_FROM - 200..WALK_FROM + 120)
        .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    /// Until the recheck day, a stored entry aged to the day equals a fresh evaluation, being lost
    /// does not change, and the order by lateness is the same.
    #[test]
    fn between_rechecks_only_days_overdue_grow(
        facts in facts_from(near_date, Just(PatientStatus::Active).boxed()),
        t in prop_oneof![Just(Thresholds::default()), thresholds()],
        russian in any::<bool>(),
    ) {
        let as_of = NaiveDate::from_num_days_from_ce_opt(WALK_FROM).unwrap();
        let cal = if russian { Calendar::russia() } else { Calendar::weekends_only() };
        let record = crate::domain::patient_record::PatientRecord::new("p", facts.status);
        // Walk 120 days, taking a new baseline on each recheck day as the store does.
        let mut base = as_of;
        let mut until = recheck_on(&record, &facts, base, base, &t, &cal);
        let mut first = place(&facts, base, &t, &cal);
        let mut lost = is_lost_to_follow_up(&facts, base, &t);
        let mut late_since = first.as_ref().and_then(|e| e.late_since());
        for k in 1..=120u64 {
            let Some(day) = as_of.checked_add_days(chrono::Days::new(k)) else { break };
            if until.is_some_and(|u| day >= u) {
                base = day;
                until = recheck_on(&record, &facts, base, base, &t, &cal);
                prop_assert!(until.is_none_or(|u| u > base));
                first = place(&facts, base, &t, &cal);
                lost = is_lost_to_follow_up(&facts, base, &t);
                late_since = first.as_ref().and_then(|e| e.late_since());
                continue;
            }
            let now = place(&facts, day, &t, &cal);
            prop_assert_eq!(&now, &first.clone().map(|e| e.aged_to(day)), "day {} after {}", day, base);
            prop_assert_eq!(is_lost_to_follow_up(&facts, day, &t), lost, "lost on {}", day);
            prop_assert_eq!(now.as_ref().and_then(|e| e.late_since()), late_since);
        }
    }
}
