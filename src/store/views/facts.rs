//! Filling the worklist rules' [`PatientFacts`] from the register, for every active patient at once.

use crate::domain::dates::date_of_timestamp;
use crate::domain::types::{CallOutcome, PatientStatus};
use crate::domain::worklist::{
    AcuteEvent, AcuteKind, BpFact, CallFact, Hba1cFact, PatientFacts, Removal, removes_from_list,
};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use std::collections::HashMap;

fn parse_date(text: &str) -> Option<NaiveDate> {
    date_of_timestamp(text)
}

/// Facts for every active patient enrolled in the programme, as of `as_of` (events after it
/// ignored), counting the calls logged up to `calls_until` (see [`crate::domain::clock::Clock`]).
pub fn load_facts(
    conn: &Connection,
    as_of: NaiveDate,
    calls_until: NaiveDate,
) -> rusqlite::Result<Vec<PatientFacts>> {
    let as_of_text = as_of.to_string();
    let calls_until_text = calls_until.to_string();
    let mut facts: Vec<PatientFacts> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();

    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.status, e.enrolled_on FROM patients p
         JOIN enrolments e ON e.patient_id = p.id AND e.ended_on IS NULL
         WHERE p.status = 'active' ORDER BY p.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    for row in rows {
        let (id, status, enrolled) = row?;
        let mut f = PatientFacts::new(
            id.clone(),
            PatientStatus::from_code(&status).unwrap_or(PatientStatus::Active),
        );
        f.enrolled_on = enrolled
            .as_deref()
            .and_then(parse_date)
            .filter(|d| *d <= as_of);
        index.insert(id, facts.len());
        facts.push(f);
    }
    let mut with = |id: &str, apply: &mut dyn FnMut(&mut PatientFacts)| {
        if let Some(i) = index.get(id) {
            apply(&mut facts[*i]);
        }
    };

    // Latest inpatient discharge or emergency visit (SQLite returns the bare columns of the max row).
    let mut stmt = conn.prepare_cached(
        "SELECT patient_id, class, max(CASE class WHEN 'inpatient' THEN substr(end_at, 1, 10) ELSE substr(start_at, 1, 10) END) AS d
         FROM encounters
         WHERE class IN ('inpatient', 'emergency')
           AND (CASE class WHEN 'inpatient' THEN substr(end_at, 1, 10) ELSE substr(start_at, 1, 10) END) <= ?1
         GROUP BY patient_id",
    )?;
    let rows = stmt.query_map([&as_of_text], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    for row in rows {
        let (id, class, date) = row?;
        let kind = if class == "inpatient" {
            AcuteKind::InpatientDischarge
        } else {
            AcuteKind::EmergencyVisit
        };
        if let Some(date) = date.as_deref().and_then(parse_date) {
            with(&id, &mut |f| {
                f.latest_acute = Some(AcuteEvent { kind, date })
            });
        }
    }

    // Latest visit: any encounter, or a measurement taken at a network site.
    let mut stmt = conn.prepare_cached(
        "SELECT patient_id, max(d) FROM (
            SELECT patient_id, substr(start_at, 1, 10) AS d FROM encounters WHERE substr(start_at, 1, 10) <= ?1
            UNION ALL
            SELECT patient_id, date AS d FROM observations WHERE site_id IS NOT NULL AND date <= ?1
         ) GROUP BY patient_id",
    )?;
    let rows = stmt.query_map([&as_of_text], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    for row in rows {
        let (id, d) = row?;
        if let Some(d) = d.as_deref().and_then(parse_date) {
            with(&id, &mut |f| f.latest_visit = Some(d));
        }
    }

    // Latest scheduled appointment on or before as-of.
    let mut stmt = conn.prepare_cached(
        "SELECT patient_id, max(date) FROM appointments WHERE date <= ?1 GROUP BY patient_id",
    )?;
    let rows = stmt.query_map([&as_of_text], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    for row in rows {
        let (id, d) = row?;
        if let Some(d) = d.as_deref().and_then(parse_date) {
            with(&id, &mut |f| f.latest_appointment = Some(d));
        }
    }

    // Latest HbA1c.
    let mut stmt = conn.prepare_cached(
        "SELECT patient_id, max(date), value FROM observations WHERE kind = 'hba1c' AND date <= ?1 GROUP BY patient_id",
    )?;
    let rows = stmt.query_map([&as_of_text], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, f64>(2)?,
        ))
    })?;
    for row in rows {
        let (id, d, v) = row?;
        if let Some(date) = d.as_deref().and_then(parse_date) {
            with(&id, &mut |f| {
                f.latest_hba1c = Some(Hba1cFact { date, percent: v })
            });
        }
    }

    // Latest blood pressure: the latest day with a reading; on that day the lowest of each.
    let mut stmt = conn.prepare_cached(
        "WITH last AS (
            SELECT patient_id, max(date) AS d FROM observations
            WHERE kind IN ('systolic', 'diastolic') AND date <= ?1 GROUP BY patient_id)
         SELECT o.patient_id, last.d,
                min(CASE WHEN o.kind = 'systolic' THEN o.value END),
                min(CASE WHEN o.kind = 'diastolic' THEN o.value END)
         FROM observations o JOIN last ON last.patient_id = o.patient_id AND o.date = last.d
         WHERE o.kind IN ('systolic', 'diastolic')
         GROUP BY o.patient_id",
    )?;
    let rows = stmt.query_map([&as_of_text], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<f64>>(2)?,
            r.get::<_, Option<f64>>(3)?,
        ))
    })?;
    for row in rows {
        let (id, d, systolic, diastolic) = row?;
        if let Some(date) = parse_date(&d) {
            with(&id, &mut |f| {
                f.latest_bp = Some(BpFact {
                    date,
                    systolic,
                    diastolic,
                })
            });
        }
    }

    // The call history, oldest first, without entries a correction superseded.
    let mut stmt = conn.prepare_cached(
        "SELECT c.patient_id, c.called_at, c.outcome, c.next_date FROM calls c
         WHERE substr(c.called_at, 1, 10) <= ?1
           AND NOT EXISTS (SELECT 1 FROM calls later WHERE later.supersedes = c.id)
         ORDER BY c.patient_id, c.called_at, c.id",
    )?;
    let rows = stmt.query_map([&calls_until_text], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    for row in rows {
        let (id, at, outcome, next) = row?;
        let Some(outcome) = CallOutcome::from_code(&outcome) else {
            continue;
        };
        let Ok(at) = NaiveDateTime::parse_from_str(&at, "%Y-%m-%dT%H:%M:%S") else {
            continue;
        };
        let next_date = next.as_deref().and_then(parse_date);
        with(&id, &mut |f| {
            if outcome.is_contact() {
                f.latest_contact_at = Some(at);
            }
            f.consecutive_no_answers = if outcome == CallOutcome::NoAnswer {
                f.consecutive_no_answers + 1
            } else {
                0
            };
            if removes_from_list(outcome) {
                f.removed = Some(Removal {
                    on: at.date(),
                    reason: outcome,
                });
            }
            f.latest_call = Some(CallFact {
                at,
                outcome,
                next_date,
            });
        });
    }
    Ok(facts)
}
