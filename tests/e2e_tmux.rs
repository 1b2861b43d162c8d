//! End to end in a real terminal: the release or debug binary runs in tmux, a call is logged by
//! keystrokes exactly as a nurse would, and read back with `acodesk patient --format json`.
//! Needs tmux (CI installs it); without it the test says so and passes only outside CI.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tmux::{Tmux, available_or_skip as tmux_or_skip, dashboard, wait_exit};
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn a_nurse_logs_a_no_answer_by_keystrokes_and_the_cli_reads_it_back() {
    if !tmux_or_skip() {
        return;
    }
    let db = common::private_copy("e2e-call");
    let db = db.to_str().unwrap();
    // The patient at the top of the worklist, as the CLI sees it.
    let out = common::command()
        .args(["--db", db, "worklist", "--format", "json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let patient = list["rows"][0]["patient_id"].as_str().unwrap().to_string();
    let name = list["rows"][0]["full_name"].as_str().unwrap().to_string();

    let (term, exit_file) = dashboard("e2e-call", db, "", 100, 30);
    let screen = term.wait_for(&name, Duration::from_secs(30));
    assert!(screen.contains("Worklist"), "{screen}");

    term.send(&["c"]);
    term.wait_for("Log a call", Duration::from_secs(5));
    term.send(&["n"]);
    term.send(&["Enter"]);
    term.wait_for("Call saved", Duration::from_secs(10));
    term.send(&["q"]);
    let start = Instant::now();
    while !exit_file.exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let code = std::fs::read_to_string(&exit_file).unwrap();
    assert_eq!(code.trim(), "0", "acodesk exits cleanly on q");

    let out = common::command()
        .args(["--db", db, "patient", &patient, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let card: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let call = &card["calls"][0];
    assert_eq!(call["outcome"], "no_answer");
    assert_eq!(call["user"], "e2e-nurse");
    assert!(
        call["next_date"].is_string(),
        "no answer: retry on the next business day"
    );
}

/// The nurse's traps of issue #20, in Russian at 80×24 with Cyrillic keys: Esc does not quit,
/// "died" asks and keeps an unknown date unknown, search opens with "." (the "/" key of a
/// Russian layout) and finds a patient by a number typed as 8 9xx xxx-xx-xx, `й` quits.
#[test]
fn in_russian_at_80x24_no_key_loses_a_patient() {
    if !tmux_or_skip() {
        return;
    }
    let db = common::private_copy("e2e-traps");
    let db = db.to_str().unwrap();
    let out = common::command()
        .args(["--db", db, "worklist", "--format", "json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = list["rows"].as_array().unwrap();
    let top = rows[0]["patient_id"].as_str().unwrap().to_string();
    let top_family = rows[0]["full_name"]
        .as_str()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    // A patient far below the first screen, with a mobile number.
    let far = rows
        .iter()
        .skip(40)
        .find(|r| {
            r["phone"]
                .as_str()
                .is_some_and(|p| p.chars().filter(char::is_ascii_digit).count() == 11)
        })
        .expect("a patient with a phone below the first screen");
    let far_name = far["full_name"].as_str().unwrap().to_string();
    let digits: String = far["phone"]
        .as_str()
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let typed = format!(
        "8 {} {}-{}-{}",
        &digits[1..4],
        &digits[4..7],
        &digits[7..9],
        &digits[9..11]
    );

    let (term, exit_file) = dashboard("e2e-traps", db, "--lang ru", 80, 24);
    term.wait_for(&top_family, Duration::from_secs(30));

    // Esc on the main screen, and after closing a form, never quits.
    term.send(&["Escape", "Escape"]);
    term.send(&["с"]);
    term.wait_for("Звонок", Duration::from_secs(5));
    term.send(&["Escape", "Escape"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!exit_file.exists(), "Esc quit:\n{}", term.screen());
    term.wait_for("Обзвон", Duration::from_secs(5));

    // "Died" (в on the Russian layout) asks; Esc goes back; Enter Enter confirms.
    term.send(&["с", "в", "Enter"]);
    term.wait_for("Отметить", Duration::from_secs(5));
    term.wait_for("Дата смерти", Duration::from_secs(5));
    term.send(&["Escape"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!term.screen().contains("Отметить"), "{}", term.screen());
    term.send(&["Enter", "Enter"]);
    term.wait_for("Звонок сохранён", Duration::from_secs(10));

    // Search with "." and a number typed as it is dialled.
    term.send(&["."]);
    term.type_text(&typed);
    let far_family = far_name.split(' ').next().unwrap();
    // The digits arrive one key at a time and each narrows the list: wait for the last answer
    // (the summary line starts "1 пациент"), then look for her.
    let found = term.wait_for("\n1 пациент ", Duration::from_secs(20));
    assert!(found.contains(far_family), "she is the one found:\n{found}");
    term.send(&["Enter"]);

    term.send(&["й"]);
    let code = wait_exit(&exit_file).expect("acodesk exits on й");
    assert_eq!(code.trim(), "0");

    let out = common::command()
        .args(["--db", db, "patient", &top, "--format", "json"])
        .output()
        .unwrap();
    let card: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(card["status"], "dead");
    assert!(
        card["death_date"].is_null(),
        "an unknown date of death stays unknown"
    );
}

/// SIGTERM (a `kill`, a shutdown) ends the dashboard through its normal exit: the terminal is
/// back in cooked mode with echo, and the exit status is 0.
#[test]
fn sigterm_restores_the_terminal() {
    if !tmux_or_skip() {
        return;
    }
    let db = common::private_copy("e2e-sigterm");
    let db = db.to_str().unwrap();
    let dir = std::env::temp_dir().join(format!("acodesk-e2e-term-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (exit_file, stty_file, pid_file) = (dir.join("exit"), dir.join("stty"), dir.join("pid"));
    let command = format!(
        "env LANG=C.UTF-8 ACODESK_CONFIG=/nonexistent/config.toml '{}' --db '{db}' & echo $! > '{}'; wait $!; echo $? > '{}'; stty -a > '{}'; sleep 5",
        common::bin(),
        pid_file.display(),
        exit_file.display(),
        stty_file.display()
    );
    let term = Tmux::start(&command, 80, 24);
    term.wait_for("Worklist", Duration::from_secs(30));
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let status = Command::new("kill")
        .args(["-TERM", pid.trim()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = wait_exit(&exit_file).expect("acodesk ends on SIGTERM");
    assert_eq!(code.trim(), "0");
    let start = Instant::now();
    while !stty_file.exists() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(200));
    let stty = std::fs::read_to_string(&stty_file).unwrap();
    let words: Vec<&str> = stty.split_whitespace().collect();
    assert!(words.contains(&"icanon"), "raw mode left on:\n{stty}");
    assert!(words.contains(&"echo"), "echo left off:\n{stty}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Sections in Russian at 80×24 (issue #20 item 3): "agreed to visit" (ф, the `a` key of a
/// Russian layout) moves the called patient to her section at once, with the counts on the
/// section bar; the cursor stays in "to call" on the patient who followed her; `д` / `Д` (the `l`
/// key) switch sections forward and back, and the CLI's `--section` sees the same.
#[test]
fn in_russian_at_80x24_a_called_patient_moves_to_her_section() {
    if !tmux_or_skip() {
        return;
    }
    let db = common::private_copy("e2e-sections");
    let db = db.to_str().unwrap();
    let out = common::command()
        .args(["--db", db, "worklist", "--format", "json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = list["rows"].as_array().unwrap();
    let first = rows[0]["patient_id"].as_str().unwrap().to_string();
    let name = |i: usize| rows[i]["full_name"].as_str().unwrap().to_string();
    let (first_name, second_name) = (name(0), name(1));
    let out = common::command()
        .args([
            "--db",
            db,
            "worklist",
            "--section",
            "agreed_visit",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let agreed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let waiting = agreed["total"].as_u64().unwrap();

    let (term, exit_file) = dashboard("e2e-sections", db, "--lang ru", 80, 24);
    let screen = term.wait_for(&format!("Придут {waiting} "), Duration::from_secs(30));
    assert!(screen.contains("Обзвон"), "{screen}");

    term.send(&["с", "ф", "Enter"]);
    term.wait_for("Звонок сохранён", Duration::from_secs(10));
    let screen = term.wait_for(&format!("Придут {} ", waiting + 1), Duration::from_secs(10));
    // Family and given name: the list cuts the patronymic at 80 columns, and two patients at
    // the top may share a family name.
    let family = |n: &str| n.split(' ').take(2).collect::<Vec<_>>().join(" ");
    // The list's rows (not the status line, which names her).
    let lines: Vec<&str> = screen.lines().collect();
    let rows_shown = lines[6..lines.len() - 1].join("\n");
    assert!(
        !rows_shown.contains(&family(&first_name)),
        "the called patient left the list to call:\n{screen}"
    );
    // The cursor is on the patient who followed her: the next call is hers.
    term.send(&["с"]);
    let form = term.wait_for("Звонок —", Duration::from_secs(5));
    assert!(form.contains(&family(&second_name)), "{form}");
    term.send(&["Escape"]);

    // д д: reach another way, then agreed to visit, where she is with the agreed date.
    term.send(&["д", "д"]);
    let screen = term.wait_for(
        &format!("\n{} пациент", waiting + 1),
        Duration::from_secs(10),
    );
    assert!(screen.contains(&family(&first_name)), "{screen}");
    assert!(screen.contains("визит "), "the agreed date:\n{screen}");
    // Д Д: back to the list to call.
    term.send(&["Д", "Д"]);
    term.wait_for(&family(&second_name), Duration::from_secs(10));

    term.send(&["й"]);
    let code = wait_exit(&exit_file).expect("acodesk exits on й");
    assert_eq!(code.trim(), "0");

    let out = common::command()
        .args([
            "--db",
            db,
            "worklist",
            "--section",
            "agreed_visit",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let agreed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = agreed["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["patient_id"] == first.as_str())
        .expect("the called patient is in the agreed section");
    assert_eq!(row["entry"]["section"], "agreed_visit");
}

/// The "no visit in 12 months" list is worked like the other sections, in Russian at 80×24
/// (issue #20 item 3): `Д` (Shift+l on a Russian layout) steps back from "to call" to it, `о`
/// moves the cursor, `Enter` opens the card of the patient under it, and `с т Enter` logs a call
/// for her, which the CLI reads back.
#[test]
fn in_russian_at_80x24_the_no_visit_in_12_months_list_is_worked_like_the_others() {
    if !tmux_or_skip() {
        return;
    }
    let db = common::private_copy("e2e-lost");
    let db = db.to_str().unwrap();
    let out = common::command()
        .args(["--db", db, "worklist", "--format", "json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lost = list["lost_to_follow_up"].as_array().unwrap();
    assert!(lost.len() >= 2, "the register has patients without a visit");
    let second = lost[1]["patient_id"].as_str().unwrap().to_string();
    let family = lost[1]["full_name"]
        .as_str()
        .unwrap()
        .split(' ')
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");

    let calls = || {
        let out = common::command()
            .args(["--db", db, "patient", &second, "--format", "json"])
            .output()
            .unwrap();
        let card: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        card["calls"].as_array().unwrap().clone()
    };
    let before = calls().len();

    let (term, exit_file) = dashboard("e2e-lost", db, "--lang ru", 80, 24);
    term.wait_for("Обзвон", Duration::from_secs(30));
    term.send(&["Д"]);
    term.wait_for("Посл. виз", Duration::from_secs(10));
    term.send(&["о", "Enter"]);
    let card = term.wait_for(&format!("┌ {family}"), Duration::from_secs(10));
    assert!(
        card.contains(&second),
        "the card shows the register id:\n{card}"
    );
    term.send(&["с", "т", "Enter"]);
    term.wait_for("Звонок сохранён", Duration::from_secs(10));
    term.send(&["Escape", "й"]);
    let code = wait_exit(&exit_file).expect("acodesk exits on й");
    assert_eq!(code.trim(), "0");

    let after = calls();
    assert_eq!(after.len(), before + 1, "{after:?}");
    assert!(
        after.iter().any(|c| c["outcome"] == "no_answer"),
        "{after:?}"
    );
}
