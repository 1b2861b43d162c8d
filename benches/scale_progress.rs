//! The Progress tab's measurements of `cargo bench --bench scale`: the board after a change on the
//! same day (a call logged, then the tab refreshed), the indicators alone, the patients behind a
//! figure, and — in a fresh process — the peak memory of a refresh.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::scale_lib::{Fixture, Measure, as_of, median, peak_rss_kb};
use acodesk::domain::clock::{Clock, ClockKind};
use acodesk::domain::types::CallOutcome;
use acodesk::store::Store;
use acodesk::store::calls::{NewCall, append};
use acodesk::store::patient_feed::{Scope, for_each_patient};
use acodesk::store::views::{self, progress};
use chrono::NaiveDate;
use std::path::Path;
use std::time::{Duration, Instant};

fn clock() -> Clock {
    Clock {
        as_of: as_of(),
        kind: ClockKind::Fixed,
    }
}

fn measure_line(name: &str, median: Duration, target: Option<Duration>, note: String) -> Measure {
    Measure {
        name: name.into(),
        median,
        target,
        note,
    }
}

/// A patient in the middle of the register (by id).
fn middle_patient(store: &Store, size: usize) -> String {
    store
        .conn()
        .query_row(
            "SELECT patient_id FROM enrolments ORDER BY patient_id LIMIT 1 OFFSET ?1",
            [size as i64 / 2],
            |r| r.get(0),
        )
        .unwrap()
}

/// Logs a "no answer" call for `patient` (the most common write of the day).
fn log_call(store: &mut Store, patient: &str) {
    append(
        store,
        &NewCall {
            patient_id: patient.into(),
            outcome: CallOutcome::NoAnswer,
            next_date: None,
            note: String::new(),
            user: "bench".into(),
            supersedes: None,
        },
    )
    .unwrap();
}

/// The Progress measurements on an existing register.
pub fn measure(fx: &Fixture, runs: usize) -> Vec<Measure> {
    let ms = Duration::from_millis;
    let mut out = Vec::new();
    let mut store = Store::open_existing(&fx.db).unwrap();
    let c = clock();
    let q = progress::ProgressQuery::default();
    // The reference measured in the same run: reading every enrolled patient's events, what any
    // refresh that looks at every patient pays before deriving anything.
    out.push(measure_line(
        "Progress: reading every enrolled patient's events (reference)",
        median(runs.min(3), || {
            let mut n = 0u64;
            for_each_patient(store.conn(), Scope::Enrolled, |_, _| {
                n += 1;
                Ok(())
            })
            .unwrap();
            std::hint::black_box(n);
        }),
        None,
        String::new(),
    ));
    // The daily rebuild: the first refresh of a new day (or after an import).
    let rebuild = median(runs.min(3), || {
        acodesk::store::progress_index::invalidate(store.conn()).unwrap();
        progress::progress_board(store.conn(), &c, &q).unwrap();
    });
    out.push(measure_line(
        "Progress: first refresh of the day (daily rebuild)",
        rebuild,
        None,
        String::new(),
    ));
    let patient = middle_patient(&store, fx.size);
    let mut saves = Vec::new();
    let board = median(runs, || {
        let t = Instant::now();
        log_call(&mut store, &patient);
        saves.push(t.elapsed());
        progress::progress_board(store.conn(), &c, &q).unwrap();
    });
    saves.sort();
    let save = saves[saves.len() / 2];
    out.push(measure_line(
        "Progress: log a call (the write, with its index refreshes)",
        save,
        None,
        String::new(),
    ));
    out.push(measure_line(
        "Progress tab refresh after a call, same day (board)",
        board.saturating_sub(save),
        Some(ms(500)),
        String::new(),
    ));
    out.push(measure_line(
        "Progress: indicators alone (views::progress, the report's)",
        median(runs, || {
            views::progress(store.conn(), as_of()).unwrap();
        }),
        Some(ms(500)),
        String::new(),
    ));
    // HEARTS: one programme's figures in total, per site and nurse (`progress --program`), and
    // with the twelve month ends of `--by month`.
    let diabetes = ("diabetes".to_string(), "Diabetes".to_string());
    out.push(measure_line(
        "Progress: HEARTS figures of a programme (total, sites, nurses)",
        median(runs, || {
            acodesk::store::hearts::hearts_board(store.conn(), &diabetes, as_of(), &[], None, None)
                .unwrap();
        }),
        Some(ms(500)),
        String::new(),
    ));
    let b = progress::progress_board(store.conn(), &c, &q).unwrap();
    let month_ends = b.months();
    out.push(measure_line(
        "Progress: HEARTS figures of a programme by month (12 month ends)",
        median(runs, || {
            acodesk::store::hearts::hearts_board(
                store.conn(),
                &diabetes,
                as_of(),
                &month_ends,
                None,
                None,
            )
            .unwrap();
        }),
        Some(ms(500)),
        String::new(),
    ));
    let site = b
        .view
        .sites
        .first()
        .map(|s| s.id.clone())
        .unwrap_or_default();
    out.push(measure_line(
        "Progress: patients behind a site's poor-control figure",
        median(runs, || {
            progress::progress_patients(
                store.conn(),
                &c,
                &q,
                &progress::DrillGroup::Site(site.clone()),
                progress::Column::PoorControl,
            )
            .unwrap();
        }),
        None,
        String::new(),
    ));
    // The first refresh of each following morning (last: it moves the stored figures past the
    // as-of date): the register holds nothing dated after the as-of date, as on a real morning
    // (the day's new data arrives by import, measured on its own), so only the patients whose
    // figures the passing day can change are recomputed.
    let on = |day: NaiveDate| Clock {
        as_of: day,
        kind: ClockKind::Fixed,
    };
    acodesk::store::progress_index::ensure_fresh(store.conn(), &c).unwrap();
    let mut morning = as_of();
    let mut recomputed = Vec::new();
    let mut boards = Vec::new();
    let next_morning = median(runs, || {
        morning = morning.succ_opt().unwrap();
        let n = acodesk::store::progress_index::advance(store.conn(), &on(morning))
            .unwrap()
            .unwrap();
        recomputed.push(n);
        let t = Instant::now();
        progress::progress_board(store.conn(), &on(morning), &q).unwrap();
        boards.push(t.elapsed());
    });
    recomputed.sort_unstable();
    boards.sort_unstable();
    out.push(measure_line(
        "Progress: first refresh of a new day of the month (stored figures moved)",
        next_morning.saturating_sub(boards[boards.len() / 2]),
        Some(rebuild / 10),
        format!(
            "median {} patients recomputed; target: a tenth of the daily rebuild above",
            recomputed[recomputed.len() / 2]
        ),
    ));
    out.push(measure_line(
        "Progress: that morning's first board (sums, and the Budget figures' inputs of the new day)",
        boards[boards.len() / 2],
        None,
        "the Budget figures' day inputs (coverage, utilisation) are recomputed here; the year's (enrolment spans, spend spread) are reused".into(),
    ));
    // Back to the as-of date for what runs next (the peak-memory children refresh at it).
    acodesk::store::progress_index::rebuild(store.conn(), &c).unwrap();
    out
}

/// In a fresh process: one Progress refresh (rebuilding the stored figures when `rebuild`), and
/// the peak resident memory (kB).
pub fn refresh_rss(db: &Path, rebuild: bool) -> u64 {
    let store = Store::open_existing(db).unwrap();
    if rebuild {
        acodesk::store::progress_index::invalidate(store.conn()).unwrap();
    }
    progress::progress_board(store.conn(), &clock(), &progress::ProgressQuery::default()).unwrap();
    peak_rss_kb()
}
