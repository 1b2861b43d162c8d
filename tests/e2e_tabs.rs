//! End to end at 80×24, in Russian and in English: the dashboard starts in tmux, every tab is
//! visited by its number key, a call is logged by keystrokes on the worklist, the dashboard
//! quits, and the CLI reads the call back from the register.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tmux::{available_or_skip, dashboard, wait_exit};
use std::time::Duration;

/// What a person sees and types in one language.
struct Words {
    lang: &'static str,
    /// A text only each of tabs 2–5 shows.
    tabs: [&'static str; 4],
    log_call: &'static str,
    no_answer_key: &'static str,
    call_key: &'static str,
    saved: &'static str,
    quit_key: &'static str,
}

const RUSSIAN: Words = Words {
    lang: "ru",
    tabs: [
        "чтобы искать",
        "Повторные госпитализации за 30 дней",
        "Расходы против бюджета",
        "в регистре",
    ],
    log_call: "Звонок",
    no_answer_key: "т",
    call_key: "с",
    saved: "Звонок сохранён",
    quit_key: "й",
};

const ENGLISH: Words = Words {
    lang: "en",
    tabs: [
        "to search by name",
        "30-day readmissions",
        "Spend against budget",
        "in the register",
    ],
    log_call: "Log a call",
    no_answer_key: "n",
    call_key: "c",
    saved: "Call saved",
    quit_key: "q",
};

fn visit_every_tab_and_log_a_call(words: &Words) {
    let db = common::private_copy(&format!("e2e-tabs-{}", words.lang));
    let db = db.to_str().unwrap();
    let out = common::command()
        .args(["--db", db, "worklist", "--format", "json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let top = list["rows"][0]["patient_id"].as_str().unwrap().to_string();
    let family = list["rows"][0]["full_name"]
        .as_str()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_string();

    let (term, exit_file) = dashboard(
        &format!("e2e-tabs-{}", words.lang),
        db,
        &format!("--lang {}", words.lang),
        80,
        24,
    );
    term.wait_for(&family, Duration::from_secs(30));
    for (key, marker) in ["2", "3", "4", "5"].iter().zip(words.tabs) {
        term.send(&[key]);
        term.wait_for(marker, Duration::from_secs(30));
    }
    term.send(&["1"]);
    term.wait_for(&family, Duration::from_secs(10));
    term.send(&[words.call_key]);
    term.wait_for(words.log_call, Duration::from_secs(5));
    term.send(&[words.no_answer_key, "Enter"]);
    term.wait_for(words.saved, Duration::from_secs(10));
    term.send(&[words.quit_key]);
    let code = wait_exit(&exit_file).expect("acodesk exits on its quit key");
    assert_eq!(code.trim(), "0");

    let out = common::command()
        .args(["--db", db, "patient", &top, "--format", "json"])
        .output()
        .unwrap();
    let card: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(card["calls"][0]["outcome"], "no_answer", "{card}");
    assert_eq!(card["calls"][0]["user"], "e2e-nurse");
}

#[test]
fn in_russian_at_80x24_every_tab_and_a_call() {
    if available_or_skip() {
        visit_every_tab_and_log_a_call(&RUSSIAN);
    }
}

#[test]
fn in_english_at_80x24_every_tab_and_a_call() {
    if available_or_skip() {
        visit_every_tab_and_log_a_call(&ENGLISH);
    }
}
