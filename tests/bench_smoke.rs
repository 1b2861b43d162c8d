//! The benchmark code runs: every measurement of benches/scale.rs on a tiny register (timings are
//! only printed, never asserted: they belong to `cargo bench`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/scale_daily.rs"]
mod scale_daily;
#[path = "../benches/scale_lib.rs"]
mod scale_lib;
#[path = "../benches/scale_progress.rs"]
mod scale_progress;

#[test]
fn the_benchmark_runs_on_a_tiny_register() {
    let dir = std::env::temp_dir().join(format!("acodesk-bench-smoke-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let fx = scale_lib::fixture(&dir, 150);
    let results = scale_lib::measure(&fx, 1);
    assert!(
        results
            .iter()
            .any(|m| m.name.starts_with("worklist: first page"))
    );
    assert!(
        results
            .iter()
            .any(|m| m.name.starts_with("render Progress tab"))
    );
    let progress = scale_progress::measure(&fx, 1);
    assert!(
        progress
            .iter()
            .any(|m| m.name.starts_with("Progress tab refresh"))
    );
    assert!(progress.iter().any(|m| {
        m.name
            .starts_with("Progress: first refresh of a new day of the month")
    }));
    assert!(scale_progress::refresh_rss(&fx.db, true) > 0);
    let (rows, _) = scale_lib::page_through_everything(&fx.db);
    assert!(rows > 0);
    let daily = scale_daily::measure(&fx, 2);
    assert!(
        daily
            .iter()
            .any(|m| m.name.starts_with("worklist: next morning"))
    );
    assert!(daily.iter().any(|m| m.name.starts_with("import: a day's")));
    let table = scale_lib::table(150, &results);
    assert!(table.contains("| patient card |"));
    println!("{table}");
    let _ = std::fs::remove_dir_all(&dir);
}
