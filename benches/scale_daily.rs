//! The daily life of a register, measured last because it changes the fixture: the worklist's
//! refresh on the next mornings (only the patients due a recheck), and a small import that
//! refreshes only the patients it touched.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::scale_lib::{Fixture, Measure, as_of};
use acodesk::domain::clock::Clock;
use acodesk::import::csv_dir::{ImportOptions, import_dir};
use acodesk::store::Store;
use acodesk::store::views::worklist::WorklistFilter;
use acodesk::store::views::worklist_page;
use acodesk::store::worklist_index;
use std::time::{Duration, Instant};

/// Patients a "day's import" touches.
const DAILY_IMPORT_PATIENTS: usize = 200;

/// The daily measurements; leaves the fixture's stored worklist on a later day (the next bench
/// run rebuilds it).
pub fn measure(fx: &Fixture, runs: usize) -> Vec<Measure> {
    let mut out = Vec::new();
    let mut store = Store::open_existing(&fx.db).unwrap();
    let start = Clock::today(as_of());
    worklist_index::rebuild(store.conn(), &start).unwrap();
    let mut times = Vec::new();
    let mut recomputed = Vec::new();
    for day in 1..=runs.max(1) as u64 {
        let clock = Clock::today(as_of() + chrono::Days::new(day));
        let t = Instant::now();
        recomputed.push(worklist_index::advance(store.conn(), &clock).unwrap());
        // What the nurse waits for: the first page of the new day.
        worklist_page::page(store.conn(), &clock, &WorklistFilter::default(), None, 200).unwrap();
        times.push(t.elapsed());
    }
    times.sort();
    recomputed.sort();
    out.push(Measure {
        name: "worklist: next morning's refresh + first page".into(),
        median: times[times.len() / 2],
        target: Some(Duration::from_millis(300)),
        note: format!(
            "{} of {} patients recomputed (median of {} mornings)",
            recomputed[recomputed.len() / 2],
            fx.size,
            times.len()
        ),
    });

    // A day's import: one new discharge for each of DAILY_IMPORT_PATIENTS patients, new ids each
    // run so the import really writes.
    let day = as_of() + chrono::Days::new(runs.max(1) as u64);
    let ids: Vec<String> = store
        .conn()
        .prepare("SELECT id FROM patients WHERE status = 'active' ORDER BY random() LIMIT ?1")
        .unwrap()
        .query_map([DAILY_IMPORT_PATIENTS as i64], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let dir = fx.db.with_file_name(format!("daily-import-{stamp}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut csv =
        String::from("id,patient_id,class,start,end,organization_id,planned,disposition,cost\n");
    for (i, id) in ids.iter().enumerate() {
        csv.push_str(&format!(
            "E-DAILY-{stamp}-{i},{id},inpatient,{}T09:00:00,{day}T12:00:00,,false,home,45000\n",
            day - chrono::Days::new(4)
        ));
    }
    std::fs::write(dir.join("encounters.csv"), csv).unwrap();
    let t = Instant::now();
    let summary = import_dir(&mut store, &dir, ImportOptions::default()).unwrap();
    let took = t.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    out.push(Measure {
        name: format!("import: a day's {DAILY_IMPORT_PATIENTS} discharges (touched patients only)"),
        median: took,
        target: None,
        note: format!(
            "enrolment and stored worklist refreshed for the touched patients; {} enrolled",
            summary.enrolled
        ),
    });
    out
}
