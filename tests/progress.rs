#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The Progress figures.

mod common;

use acodesk::domain::clock::{Clock, ClockKind};
use acodesk::store::Store;
use acodesk::store::views::progress::{ProgressQuery, progress_board};
use std::time::Instant;

/// Timing on a big register: `ACODESK_PERF_DB=/tmp/p.db cargo test --test progress -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing_on_a_big_register() {
    let Ok(db) = std::env::var("ACODESK_PERF_DB") else {
        return;
    };
    let store = Store::open_existing(std::path::Path::new(&db)).unwrap();
    let clock = Clock {
        as_of: common::as_of(),
        kind: ClockKind::Fixed,
    };
    for _ in 0..3 {
        let t = Instant::now();
        let v = acodesk::store::views::progress(store.conn(), clock.as_of).unwrap();
        let a = t.elapsed();
        let t = Instant::now();
        let b = progress_board(store.conn(), &clock, &ProgressQuery::default()).unwrap();
        eprintln!(
            "progress {a:?} board {:?} ({} active)",
            t.elapsed(),
            v.total.enrolled_active
        );
        assert_eq!(b.view, v);
    }
}
