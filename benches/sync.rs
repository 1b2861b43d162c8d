//! `cargo bench --bench sync`: a device's export and the hub's apply of many changes; the hub's
//! export of a day's import (1,000 records) at the register's size and at a reference size
//! measured in the same run, with their ratio; a day's import followed by exports to 200 scoped
//! laptops.
//!
//! `ACODESK_BENCH_SYNC_PATIENTS` (default 10000) patients in the register, `ACODESK_BENCH_SYNC_CHANGES`
//! (default 10000) changes logged on the device while offline, `ACODESK_BENCH_SYNC_REFERENCE`
//! (default 10000) patients in the reference register, `ACODESK_BENCH_SYNC_LAPTOPS` (default 200)
//! scoped laptops, `ACODESK_BENCH_SYNC_DEVICE=0` skips the device's figures,
//! `ACODESK_BENCH_SYNC_MILLION=1` adds the hub's export at 1,000,000 patients (builds a register
//! of several GB: never on a shared machine), `ACODESK_BENCH_RUNS` (default 5) runs per figure;
//! data kept in `ACODESK_BENCH_DIR` (default target/bench-data). Medians.

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
    let reference = env_number("ACODESK_BENCH_SYNC_REFERENCE", 10_000);
    let laptops = env_number("ACODESK_BENCH_SYNC_LAPTOPS", 200);
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!(
        "## acodesk sync benchmark\n\nMachine: {cores} cores; runs per figure: {runs}; medians."
    );
    if std::env::var("ACODESK_BENCH_SYNC_DEVICE").as_deref() != Ok("0") {
        eprintln!(
            "== sync: {patients} patients, {changes} changes (building the registers if needed)"
        );
        let fx = sync_lib::fixture(&dir, patients, changes);
        let figures = sync_lib::measure(&fx, runs);
        println!("{}", sync_lib::table(&fx, &figures));
    }
    let mut sizes = vec![patients];
    if reference != patients {
        sizes.push(reference);
    }
    if std::env::var("ACODESK_BENCH_SYNC_MILLION").as_deref() == Ok("1") {
        sizes.push(1_000_000);
    }
    let mut exports = Vec::new();
    for &size in &sizes {
        eprintln!("== hub: {size} patients (building the register if needed)");
        let hub = sync_lib::hub_fixture(&dir, size);
        exports.push((
            size,
            sync_lib::hub_export(&hub, sync_lib::DAY_PATIENTS, runs),
        ));
    }
    let base = exports
        .iter()
        .find(|(size, _)| *size == reference)
        .map(|(_, (t, _, _))| *t);
    println!(
        "\n| the hub's export of a day's import to a laptop (capture + bundle + seal) | median | rows | bundle | ratio to {reference} patients |\n| --- | ---: | ---: | ---: | ---: |"
    );
    for (size, (time, rows, bytes)) in &exports {
        let ratio = base.map_or(String::from("—"), |b| {
            let r = time.as_secs_f64() / b.as_secs_f64().max(1e-9);
            let verdict = if r <= 2.0 {
                "met (≤ 2)"
            } else {
                "missed (> 2)"
            };
            format!("{r:.2} {verdict}")
        });
        println!(
            "| {size} patients | {:.1} ms | {rows} | {} KB | {ratio} |",
            time.as_secs_f64() * 1000.0,
            bytes / 1024
        );
    }
    eprintln!("== hub: a day's import and {laptops} scoped laptops at {patients} patients");
    let hub = sync_lib::hub_fixture(&dir, patients);
    let day_runs = runs.clamp(1, 3);
    let (import, total, each, bytes) =
        sync_lib::hub_day(&hub, laptops, sync_lib::DAY_PATIENTS, day_runs);
    println!(
        "\n| a day at the hub, {patients} patients, {laptops} laptops of one polyclinic each (medians of {day_runs}) | median |\n| --- | ---: |"
    );
    println!(
        "| import of a day's {} records | {:.0} ms |",
        sync_lib::DAY_PATIENTS * 4,
        import.as_secs_f64() * 1000.0
    );
    println!(
        "| exports to all {laptops} laptops (capture, scope check, bundle, seal) — bundles {} KB in all | {:.0} ms |",
        bytes / 1024,
        total.as_secs_f64() * 1000.0
    );
    println!(
        "| one laptop's export | {:.1} ms |",
        each.as_secs_f64() * 1000.0
    );
    println!(
        "| the day in all (import + every export) | {:.0} ms |",
        (import + total).as_secs_f64() * 1000.0
    );
}
