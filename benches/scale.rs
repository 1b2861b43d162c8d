//! `cargo bench --bench scale`: acodesk at 10 k, 100 k and 1 M patients.
//!
//! Sizes from `ACODESK_BENCH_SIZES` (comma-separated, default `10000`), runs per measurement from
//! `ACODESK_BENCH_RUNS` (default 5), data kept in `ACODESK_BENCH_DIR` (default target/bench-data)
//! so each size is generated and imported once. `scripts/bench.sh` runs the whole suite.
//! `ACODESK_BENCH_ONLY=import` builds the registers (generation, import, `sqlite3 .import`) and
//! reports only that; `--import FILES DB` is the import's own child process.
//! With the argument `--page-rss DB` it pages through the worklist of DB in a fresh process and
//! prints the peak resident memory (the figure must not depend on the register's size).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "scale_daily.rs"]
mod scale_daily;
#[path = "scale_lib.rs"]
mod scale_lib;
#[path = "scale_progress.rs"]
mod scale_progress;

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--page-rss") {
        let db = PathBuf::from(&args[i + 1]);
        let (rows, kb) = scale_lib::page_through_everything(&db);
        println!("{rows} {kb}");
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--import") {
        let (secs, kb) =
            scale_lib::import_in_this_process(args[i + 1].as_ref(), args[i + 2].as_ref());
        println!("{secs} {kb}");
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--progress-rss") {
        let db = PathBuf::from(&args[i + 1]);
        let rebuild = args.iter().any(|a| a == "--rebuild");
        println!("{}", scale_progress::refresh_rss(&db, rebuild));
        return;
    }
    if args.iter().any(|a| a == "--list" || a == "--test") {
        // `cargo test --benches` and harness probes: the smoke test in tests/ covers this code.
        return;
    }
    let sizes: Vec<usize> = std::env::var("ACODESK_BENCH_SIZES")
        .unwrap_or_else(|_| "10000".into())
        .split(',')
        .filter_map(|s| s.trim().replace('_', "").parse().ok())
        .collect();
    let runs: usize = std::env::var("ACODESK_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let dir = PathBuf::from(
        std::env::var("ACODESK_BENCH_DIR").unwrap_or_else(|_| "target/bench-data".into()),
    );
    let mut report = String::from("## acodesk benchmark\n");
    report.push_str(&format!(
        "\nMachine: {} cores; runs per figure: {runs}; medians; × reference = the figure divided by a full scan of the patients table in the same run.\n",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    ));
    for size in sizes {
        eprintln!("== {size} patients (building the register if needed)");
        let fx = scale_lib::fixture(&dir, size);
        // `ACODESK_BENCH_ONLY=import`: building the register (import and sqlite3) alone.
        if std::env::var("ACODESK_BENCH_ONLY").is_ok_and(|o| o == "import") {
            let mut built = fx.built.clone();
            built.push(scale_lib::reimport(&fx));
            let table = scale_lib::table(size, &built);
            println!("{table}");
            report.push_str(&table);
            continue;
        }
        // `ACODESK_BENCH_ONLY=progress`: the Progress measurements alone.
        let only_progress = std::env::var("ACODESK_BENCH_ONLY").is_ok_and(|o| o == "progress");
        let mut results = if only_progress {
            fx.built.clone()
        } else {
            scale_lib::measure(&fx, runs)
        };
        results.extend(scale_progress::measure(&fx, runs));
        let exe = std::env::current_exe().unwrap();
        for rebuild in [false, true] {
            let mut cmd = std::process::Command::new(&exe);
            cmd.arg("--progress-rss").arg(&fx.db);
            if rebuild {
                cmd.arg("--rebuild");
            }
            if let Ok(out) = cmd.output() {
                let kb: f64 = String::from_utf8_lossy(&out.stdout)
                    .trim()
                    .parse()
                    .unwrap_or(0.0);
                results.push(scale_lib::Measure {
                    name: format!(
                        "peak RSS of a Progress refresh{}",
                        if rebuild {
                            " that rebuilds the stored figures"
                        } else {
                            ""
                        }
                    ),
                    median: std::time::Duration::ZERO,
                    target: None,
                    note: format!("{:.1} MB (target < 150 MB)", kb / 1024.0),
                });
            }
        }
        if let Ok(out) = std::process::Command::new(exe)
            .arg("--page-rss")
            .arg(&fx.db)
            .output()
        {
            let text = String::from_utf8_lossy(&out.stdout);
            let mut parts = text.split_whitespace();
            if let (Some(rows), Some(kb)) = (parts.next(), parts.next()) {
                results.push(scale_lib::Measure {
                    name: format!("peak RSS paging through the whole worklist ({rows} rows)"),
                    median: std::time::Duration::ZERO,
                    target: None,
                    note: format!(
                        "{:.1} MB (target < 150 MB)",
                        kb.parse::<f64>().unwrap_or(0.0) / 1024.0
                    ),
                });
            }
        }
        if !only_progress {
            // Last: it moves the fixture's stored worklist to later days.
            results.extend(scale_daily::measure(&fx, runs));
        }
        let table = scale_lib::table(size, &results);
        println!("{table}");
        report.push_str(&table);
    }
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join("results.md"), report);
}
