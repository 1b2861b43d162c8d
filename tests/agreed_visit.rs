//! "Agreed to visit" makes an appointment (issue #20 item 8), end to end on a register: logged
//! through the store as the dashboard logs it, the visit waits in "agreed to visit" until the
//! agreed date and the grace days, then the missed-visit rule puts the patient back on the calls
//! (the stored list and the on-the-spot computation alike); the card lists the appointment; a
//! correction of the call leaves nothing behind.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::domain::clock::{Clock, ClockKind};
use acodesk::domain::types::CallOutcome;
use acodesk::domain::worklist::{Reason, Section};
use acodesk::store::Store;
use acodesk::store::calls::{NewCall, append};
use acodesk::store::views::{WorklistFilter, worklist};
use acodesk::store::worklist_index::rules;
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn fixed(as_of: NaiveDate) -> Clock {
    Clock {
        as_of,
        kind: ClockKind::Fixed,
    }
}

/// Where the patient is on `as_of`: her section, reasons and due date, by the stored list and by
/// the computation on the spot (which must agree).
fn whereabouts(
    store: &Store,
    id: &str,
    as_of: NaiveDate,
) -> Option<(Section, Vec<Reason>, NaiveDate)> {
    let (t, cal) = rules();
    let mut found = None;
    for section in Section::ALL {
        let filter = WorklistFilter {
            section: *section,
            ..WorklistFilter::default()
        };
        let stored = worklist(store.conn(), &fixed(as_of), &filter).unwrap();
        let computed = acodesk::store::views::worklist::worklist_with(
            store.conn(),
            &fixed(as_of),
            &filter,
            &t,
            &cal,
        )
        .unwrap();
        let pick = |v: &acodesk::store::views::WorklistView| {
            v.rows
                .iter()
                .find(|r| r.patient_id == id)
                .map(|r| (r.entry.section, r.entry.reasons.clone(), r.entry.due))
        };
        assert_eq!(pick(&stored), pick(&computed), "{section:?} on {as_of}");
        if let Some(f) = pick(&stored) {
            found = Some(f);
        }
    }
    found
}

#[test]
fn an_agreed_visit_is_an_appointment_missed_after_the_grace_days_and_a_correction_removes_it() {
    let db = common::private_copy("agreed-visit");
    let mut store = Store::open_existing(&db).unwrap();
    // An active enrolled patient with no appointment and no visit after the fixture's day.
    let id: String = store
        .conn()
        .query_row(
            "SELECT p.id FROM patients p WHERE p.status = 'active'
               AND EXISTS (SELECT 1 FROM enrolments e WHERE e.patient_id = p.id AND e.ended_on IS NULL)
               AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id AND a.date >= '2026-11-20')
               AND NOT EXISTS (SELECT 1 FROM encounters e WHERE e.patient_id = p.id AND e.start_at >= '2026-11-20')
               AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.patient_id = p.id)
             ORDER BY p.id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let agreed = d(2026, 11, 25);
    let call = append(
        &mut store,
        &NewCall {
            patient_id: id.clone(),
            outcome: CallOutcome::AgreedToVisit,
            next_date: Some(agreed),
            note: String::new(),
            user: "N01".into(),
            supersedes: None,
        },
    )
    .unwrap();
    let card = acodesk::store::patients::card(store.conn(), &id)
        .unwrap()
        .unwrap();
    assert_eq!(card.agreed_visits, vec![agreed], "the card lists it");

    let (section, _, _) = whereabouts(&store, &id, d(2026, 11, 24)).unwrap();
    assert_eq!(section, Section::AgreedVisit);
    // The grace days (3): still waiting on the 28th, back on the calls on the 29th.
    assert_eq!(
        whereabouts(&store, &id, d(2026, 11, 28)).unwrap().0,
        Section::AgreedVisit
    );
    let (section, reasons, due) = whereabouts(&store, &id, d(2026, 11, 29)).unwrap();
    assert_eq!(section, Section::ToCall);
    assert!(reasons.contains(&Reason::MissedVisit), "{reasons:?}");
    assert!(
        due <= agreed,
        "the missed visit is due on the agreed date or earlier"
    );

    // The nurse corrects the call ("no answer", not "agreed"): the appointment goes with it.
    append(
        &mut store,
        &NewCall {
            patient_id: id.clone(),
            outcome: CallOutcome::NoAnswer,
            next_date: None,
            note: String::new(),
            user: "N01".into(),
            supersedes: Some(call),
        },
    )
    .unwrap();
    let card = acodesk::store::patients::card(store.conn(), &id)
        .unwrap()
        .unwrap();
    assert!(card.agreed_visits.is_empty(), "nothing orphaned");
    let after = whereabouts(&store, &id, d(2026, 11, 29));
    assert!(
        after
            .as_ref()
            .is_none_or(|(_, reasons, _)| !reasons.contains(&Reason::MissedVisit)),
        "{after:?}"
    );
    let appointments: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM appointments WHERE patient_id = ?1",
            [&id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(appointments, 0, "no row was ever written for it");
}
