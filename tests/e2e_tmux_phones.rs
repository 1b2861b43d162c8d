//! Phones where they are dialled (issue #20 item 5), end to end in a real terminal, in Russian at
//! 80×24 with Cyrillic keys: the call form shows the number under the list (which stays in
//! sight), and an "invalid number" call leads straight to the right number, recorded in the
//! change history exactly as `acodesk phone` records it.
//! Needs tmux (CI installs it); without it the test says so and passes only outside CI.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::store::Store;
use common::tmux::{available_or_skip as tmux_or_skip, dashboard, wait_exit};
use std::time::Duration;

/// The change-history rows of a patient's main number: (user, old, new).
fn phone_changes(db: &str, patient: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let store = Store::open_existing(std::path::Path::new(db)).unwrap();
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT user_name, old_value, new_value FROM changes
             WHERE patient_id = ?1 AND field = 'phone' ORDER BY changed_at",
        )
        .unwrap();
    stmt.query_map([patient], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn in_russian_at_80x24_the_phone_is_in_the_call_form_and_an_invalid_number_is_corrected() {
    if !tmux_or_skip() {
        return;
    }
    let db = common::private_copy("e2e-phones");
    let db = db.to_str().unwrap();
    let out = common::command()
        .args(["--db", db, "worklist", "--format", "json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = list["rows"].as_array().unwrap();
    let top = rows[0]["patient_id"].as_str().unwrap().to_string();
    let name = rows[0]["full_name"].as_str().unwrap().to_string();
    let family = name.split(' ').next().unwrap().to_string();
    let phone = rows[0]["phone"].as_str().expect("a phone").to_string();
    let second_family = rows[1]["full_name"]
        .as_str()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_string();

    let (term, exit_file) = dashboard("e2e-phones", db, "--lang ru", 80, 24);
    term.wait_for(&family, Duration::from_secs(30));

    // с (c on the Russian layout): the form, with the number where it is dialled.
    term.send(&["с"]);
    let screen = term.wait_for(&format!("Звонок — {name}"), Duration::from_secs(5));
    let screen = if screen.contains(&format!("осн. {phone}")) {
        screen
    } else {
        term.wait_for(&format!("осн. {phone}"), Duration::from_secs(5))
    };
    assert!(screen.contains("В списке:"), "why she is listed:\n{screen}");
    assert!(
        screen.contains("Последний звонок:"),
        "the last call:\n{screen}"
    );
    // The list stays in sight above the form: its header and the next patient's row.
    let above: Vec<&str> = screen
        .lines()
        .take_while(|l| !l.contains("Звонок —"))
        .collect();
    assert!(
        above
            .iter()
            .any(|l| l.contains("Телефон") && l.contains("Пациент")),
        "the list's header above the form:\n{screen}"
    );
    assert!(
        above.iter().any(|l| l.contains(&second_family)),
        "the next patient above the form:\n{screen}"
    );
    assert!(
        above.iter().any(|l| l.contains(&phone)),
        "the called patient's row with her number:\n{screen}"
    );

    // ц (w): invalid number; Enter saves and the phone form asks for the right one.
    term.send(&["ц", "Enter"]);
    term.wait_for("Основной номер:", Duration::from_secs(10));
    for _ in 0..phone.chars().count() {
        term.send(&["BSpace"]);
    }
    term.type_text("8 (937) 492-75-89");
    term.send(&["Enter"]);
    term.wait_for("номер сохранён", Duration::from_secs(10));

    term.send(&["й"]);
    let code = wait_exit(&exit_file).expect("acodesk exits on й");
    assert_eq!(code.trim(), "0");

    let out = common::command()
        .args(["--db", db, "patient", &top, "--format", "json"])
        .output()
        .unwrap();
    let card: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(card["phones"][0], "8 (937) 492-75-89");
    assert_eq!(card["calls"][0]["outcome"], "invalid_number");
    assert_eq!(card["main_phone_reported_invalid"], false, "corrected");
    assert_eq!(
        phone_changes(db, &top),
        vec![(
            "e2e-nurse".to_string(),
            Some(phone.clone()),
            Some("8 (937) 492-75-89".to_string())
        )],
        "the old number stays in the history"
    );

    // `acodesk phone` records a change of the same shape: one owner of the write.
    let other = rows[1]["patient_id"].as_str().unwrap();
    let other_phone = rows[1]["phone"].as_str().map(str::to_string);
    let out = common::command()
        .env("USER", "e2e-nurse")
        .args(["--db", db, "phone", other, "+7 937 000-00-01"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli = phone_changes(db, other);
    assert_eq!(cli.len(), 1);
    assert_eq!(
        (cli[0].1.clone(), cli[0].2.as_deref()),
        (other_phone, Some("+7 937 000-00-01"))
    );
}
