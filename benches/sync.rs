//! `cargo bench --bench sync`: a device's export and the hub's apply of many changes.
//!
//! `ACODESK_BENCH_SYNC_PATIENTS` (default 10000) patients in the register, `ACODESK_BENCH_SYNC_CHANGES`
//! (default 10000) changes logged on the device while offline, `ACODESK_BENCH_RUNS` (default 5)
//! runs per figure; data kept in `ACODESK_BENCH_DIR` (default target/bench-data). Medians.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "sync_lib.rs"]
mod sync_lib;

use std::path::PathBuf;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list" || a == "--test") {
        // `cargo test --benches` and harness probes: tests/sync_bench_smoke.rs covers this code.
        return;
    }
    let patients = env_number("ACODESK_BENCH_SYNC_PATIENTS", 10_000);
    let changes = env_number("ACODESK_BENCH_SYNC_CHANGES", 10_000);
    let runs = env_number("ACODESK_BENCH_RUNS", 5);
    let dir = PathBuf::from(
        std::env::var("ACODESK_BENCH_DIR").unwrap_or_else(|_| "target/bench-data".into()),
    );
    eprintln!("== sync: {patients} patients, {changes} changes (building the registers if needed)");
    let fx = sync_lib::fixture(&dir, patients, changes);
    let figures = sync_lib::measure(&fx, runs);
    println!(
        "## acodesk sync benchmark\n\nMachine: {} cores; runs per figure: {runs}; medians.\n{}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        sync_lib::table(&fx, &figures)
    );
}
