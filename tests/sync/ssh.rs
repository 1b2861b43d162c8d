//! `acodesk sync --via ssh user@hub` with a stand-in for ssh: a script that drops the host and
//! runs the rest of its command line here, as sshd would run it on the hub.

use super::common;
use super::helpers::*;
use acodesk::domain::types::CallOutcome;
use std::path::{Path, PathBuf};

/// Writes a fake `ssh` into `dir`. With `drop_first`, its first run lets only the first 40 KB the
/// device sends reach the hub, then the link is gone (a dropped link); later runs pass everything.
/// (`dd bs=1` rather than `head -c`: head holds small writes in its output buffer, and the hub
/// would never see the greeting.)
fn fake_ssh(dir: &Path, drop_first: bool) -> PathBuf {
    let script = dir.join("fake-ssh");
    let marker = dir.join("fake-ssh.ran");
    let body = if drop_first {
        format!(
            "#!/bin/sh\nshift\nif [ ! -e '{m}' ]; then\n  touch '{m}'\n  dd bs=1 count=40000 2>/dev/null | \"$@\"\n  exit 255\nfi\nexec \"$@\"\n",
            m = marker.display()
        )
    } else {
        "#!/bin/sh\nshift\nexec \"$@\"\n".to_string()
    };
    std::fs::write(&script, body).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// Runs `acodesk sync --via FAKE-SSH nurse@hub`; a run past two minutes is killed and fails the
/// test rather than hanging it.
fn sync_via(t: &Trio, device: &Path, ssh: &Path) -> std::process::Output {
    use std::process::Stdio;
    let mut child = common::command()
        .arg("--db")
        .arg(device)
        .args(["sync", "--via"])
        .arg(ssh)
        .arg("nurse@hub")
        .arg("--remote")
        .arg(format!("{} --db {}", common::bin(), t.hub.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(120) {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!("sync --via did not finish in two minutes: {out:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_device_syncs_over_an_ssh_channel() {
    let t = trio("sync-ssh");
    let ps = patients(&t.a, 3);
    let call = log_call(&t.a, &ps[0], CallOutcome::AgreedToVisit);
    log_call(&t.b, &ps[1], CallOutcome::NoAnswer);
    let file = t.dir.join("b.acosync");
    send(&t.b, None, &t.hub, &file);
    let ssh = fake_ssh(&t.dir, false);
    let out = sync_via(&t, &t.a, &ssh);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(stdout.contains("1 changes sent"), "{stdout}");
    let on_hub: i64 = value(
        &t.hub,
        &format!("SELECT count(*) FROM calls WHERE id = '{call}'"),
    );
    assert_eq!(on_hub, 1);
    // B's call came down the same channel.
    let from_b: i64 = value(&t.a, "SELECT count(*) FROM calls WHERE device <> 'import'");
    assert_eq!(from_b, 2);
    // Nothing is printed but the summary (the progress bar is quiet without a terminal).
    assert_eq!(stdout.trim().lines().count(), 1, "{stdout}");
}

#[test]
fn a_dropped_link_is_resumed() {
    let t = trio("sync-ssh-drop");
    bulk_hub_news(&t);
    // Calls logged over four days, each day's captured apart: four chunks of about 17 KB; the link
    // drops in the third, and the device resumes from what the hub acknowledged.
    for _ in 0..4 {
        bulk_calls(&t.a, 1000);
        let mut store = acodesk::store::Store::open_existing(&t.a).unwrap();
        acodesk::sync::capture::capture(&mut store).unwrap();
    }
    let ssh = fake_ssh(&t.dir, true);
    let out = sync_via(&t, &t.a, &ssh);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{out:?}");
    assert!(stderr.contains("reconnecting"), "{stderr}");
    assert!(t.dir.join("fake-ssh.ran").exists());
    let got: i64 = value(
        &t.a,
        "SELECT count(*) FROM observations WHERE id LIKE 'O-NEWS-%'",
    );
    assert_eq!(got, 200);
    let calls: i64 = value(
        &t.hub,
        &format!("SELECT count(*) FROM calls WHERE device = '{}'", t.a_id),
    );
    assert_eq!(calls, 4000);
    // Everything the hub has for A arrived, and A's call is at the hub: nothing left either way.
    let s =
        acodesk::sync::status::status(acodesk::store::Store::open_existing(&t.a).unwrap().conn())
            .unwrap()
            .unwrap();
    assert_eq!(s.unsent, 0);
}

/// The hub imports 200 lab results: enough for a hub answer longer than the dropped link lets through.
fn bulk_hub_news(t: &Trio) {
    let ps = patients(&t.hub, 50);
    let c = rusqlite::Connection::open(&t.hub).unwrap();
    // Raw SQL standing for an import, under the same capture an import's transaction runs.
    acodesk::store::hub_changes::write_captured(&c, |tx| {
        for i in 0..200 {
            tx.execute(
                "INSERT INTO observations (id, patient_id, kind, loinc, value, unit, date)
                 VALUES (?1, ?2, 'hba1c', '4548-4', 7.5, '%', '2026-11-18')",
                rusqlite::params![format!("O-NEWS-{i}"), ps[i % ps.len()]],
            )?;
        }
        Ok(())
    })
    .unwrap();
}
