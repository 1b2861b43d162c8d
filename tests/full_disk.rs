//! A full disk: on a small tmpfs (2 MB) filled up by a file, an import and a call save fail with
//! one sentence and exit code 1, and the register is as it was (`PRAGMA integrity_check` ok, the
//! same rows in every table). Needs root and a working `mount`; otherwise it is skipped with a note.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A tmpfs mounted for the test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).ok()?;
        let done = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .ok()?;
        if !done.status.success() {
            eprintln!(
                "skipping: cannot mount a tmpfs (needs root): {}",
                String::from_utf8_lossy(&done.stderr).trim()
            );
            return None;
        }
        Some(Tmpfs(dir.to_path_buf()))
    }

    /// Fills the filesystem with a file, leaving about `left_kb` KB free.
    fn fill(&self, left_kb: u64) {
        let filler = self.0.join("filler");
        let _ = std::fs::remove_file(&filler);
        let out = Command::new("df")
            .args(["-k", "--output=avail"])
            .arg(&self.0)
            .output()
            .unwrap();
        let avail: u64 = String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let size = avail.saturating_sub(left_kb) * 1024;
        let mut f = std::fs::File::create(&filler).unwrap();
        // Written, not truncated to size: tmpfs counts only pages that hold data.
        let chunk = vec![0x55u8; 64 * 1024];
        let mut written = 0u64;
        use std::io::Write;
        while written < size {
            let n = chunk.len().min((size - written) as usize);
            if f.write_all(&chunk[..n]).is_err() {
                break;
            }
            written += n as u64;
        }
        f.sync_all().ok();
    }

    fn empty(&self) {
        let _ = std::fs::remove_file(self.0.join("filler"));
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn run(db: &Path, args: &[&str]) -> Output {
    common::command()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

/// Rows of every table, and whether the integrity check says ok.
fn state(db: &Path) -> (BTreeMap<String, i64>, bool) {
    let c = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let counts = tables
        .into_iter()
        .map(|t| {
            let n: i64 = c
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                .unwrap();
            (t, n)
        })
        .collect();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    (counts, ok == "ok")
}

/// Exit code 1 and one sentence saying the disk is full.
fn disk_full_sentence(out: &Output) {
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("the disk is full"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_full_disk_stops_an_import_and_a_call_and_leaves_the_register_whole() {
    let dir = common::scratch("full-disk");
    let small = dir.join("small");
    let big = dir.join("big");
    common::sample_files(&small, 20);
    common::sample_files(&big, 400);
    let Some(fs) = Tmpfs::mount(&dir.join("mnt"), "2m") else {
        return;
    };
    let db = fs.0.join("register.db");
    let out = run(&db, &["import", "csv", small.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let before = state(&db);
    assert!(before.1);

    // An import of 400 patients into the last 64 KB.
    fs.fill(64);
    disk_full_sentence(&run(&db, &["import", "csv", big.to_str().unwrap()]));
    fs.empty();
    assert_eq!(state(&db), before, "the import left the register as it was");

    // A call saved with less and less room: each either is saved whole, or fails with the
    // sentence and leaves the register as it was.
    let patient: String = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT id FROM patients WHERE status = 'active' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut failed = 0;
    for left in [128, 64, 48, 32, 24, 16, 8, 0] {
        let before = state(&db);
        fs.fill(left);
        let out = run(&db, &["call", &patient, "--outcome", "no_answer"]);
        fs.empty();
        let after = state(&db);
        assert!(after.1, "integrity after a call with {left} KB left");
        if out.status.success() {
            assert_eq!(after.0["calls"], before.0["calls"] + 1);
        } else {
            disk_full_sentence(&out);
            assert_eq!(
                after, before,
                "a failed call with {left} KB left changed the register"
            );
            failed += 1;
        }
    }
    assert!(failed > 0, "the disk never filled: the test tested nothing");
}
