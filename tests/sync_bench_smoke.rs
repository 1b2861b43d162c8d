//! The sync benchmark's code runs: every measurement of benches/sync.rs on a tiny register
//! (timings are only printed, never asserted: they belong to `cargo bench --bench sync`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/sync_lib.rs"]
mod sync_lib;

#[test]
fn the_sync_benchmark_runs_on_a_tiny_register() {
    let dir = std::env::temp_dir().join(format!("acodesk-sync-bench-smoke-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let fx = sync_lib::fixture(&dir, 120, 300);
    let figures = sync_lib::measure(&fx, 1);
    assert_eq!(figures.len(), 4);
    assert!(figures[0].bytes.is_some_and(|b| b > 0));
    let table = sync_lib::table(&fx, &figures);
    assert!(table.contains("hub: apply of 300 changes"));
    println!("{table}");
    // The hub's side: a day's import exported to a whole laptop, and to scoped laptops.
    let hub = sync_lib::hub_fixture(&dir, 120);
    let (_, rows, bytes) = sync_lib::hub_export(&hub, 10, 1);
    assert!(rows >= 40, "the day's 40 records reach the laptop: {rows}");
    assert!(bytes > 0);
    let (_, _, _, bytes) = sync_lib::hub_day(&hub, 3, 10, 1);
    assert!(bytes > 0);
    let _ = std::fs::remove_dir_all(&dir);
}
