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
    let _ = std::fs::remove_dir_all(&dir);
}
