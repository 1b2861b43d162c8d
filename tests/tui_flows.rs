//! The TUI driven headlessly, key by key, against a real register: the nurse's and the manager's
//! flows, and the live refresh when another process writes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::config::{Config, Role};
use acodesk::domain::types::CallOutcome;
use acodesk::i18n::{I18n, Lang};
use acodesk::store::Store;
use acodesk::tui::ChangeWatcher;
use acodesk::tui::app::{App, Tab};
use acodesk::tui::context::AppContext;
use acodesk::tui::data::{Loaded, Request, handle};
use acodesk::tui::keymap::Keymap;
use acodesk::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};
use std::sync::Arc;

struct Harness {
    app: App,
    store: Store,
}

impl Harness {
    fn new(db: &Path, role: Role) -> Harness {
        Harness::on(db, role, common::clock())
    }

    fn on(db: &Path, role: Role, clock: acodesk::domain::clock::Clock) -> Harness {
        let store = Store::open_existing(db).unwrap();
        let pilot = acodesk::store::views::budget::pilot_info(store.conn()).unwrap();
        let ctx = Arc::new(AppContext {
            db_path: PathBuf::from(db),
            i18n: I18n::new(Lang::En),
            config: Config {
                user_name: Some("Test Nurse".into()),
                role,
                ..Config::default()
            },
            keymap: Keymap::defaults(),
            theme: Theme::monochrome(),
            clock: clock.into(),
            pilot,
            device: "test".into(),
        });
        let mut h = Harness {
            app: App::new(ctx),
            store,
        };
        let first = h.app.initial_requests();
        h.settle(first);
        h
    }

    fn settle(&mut self, mut requests: Vec<Request>) {
        while let Some(r) = requests.pop() {
            let loaded = handle(&mut self.store, &self.app.ctx, r);
            requests.extend(self.app.on_loaded(loaded));
        }
    }

    fn key(&mut self, code: KeyCode) {
        let r = self.app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
        self.settle(r);
    }

    fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }
}

#[test]
fn no_answer_in_three_keys_then_the_list_moves_on() {
    let db = common::private_copy("flow-no-answer");
    let mut h = Harness::new(&db, Role::Nurse);
    h.app.worklist.filter.nurse_id = None;
    h.settle(vec![h.app.worklist_reload()]);
    let first = h.app.worklist.view.as_ref().unwrap().rows[0]
        .patient_id
        .clone();
    let second = h.app.worklist.view.as_ref().unwrap().rows[1]
        .patient_id
        .clone();
    h.key(KeyCode::Char('c'));
    h.key(KeyCode::Char('n'));
    h.key(KeyCode::Enter);
    assert!(
        h.app.form.is_none(),
        "the form closes once the call is saved"
    );
    let calls = acodesk::store::patients::calls_of(h.store.conn(), &first).unwrap();
    assert_eq!(calls[0].outcome, CallOutcome::NoAnswer);
    assert_eq!(calls[0].user, "Test Nurse");
    let view = h.app.worklist.view.as_ref().unwrap();
    let now_selected = &view.rows[h.app.worklist.selected].patient_id;
    assert_ne!(now_selected, &first, "the selection moved on");
    assert!(
        now_selected == &second
            || view
                .rows
                .iter()
                .position(|r| r.patient_id == first)
                .map(|p| p + 1)
                == Some(h.app.worklist.selected)
    );
}

#[test]
fn agreed_to_visit_with_the_default_date_in_three_keys() {
    let db = common::private_copy("flow-agreed");
    let mut h = Harness::new(&db, Role::Nurse);
    let patient = h.app.worklist.view.as_ref().unwrap().rows[0]
        .patient_id
        .clone();
    h.keys("ca");
    h.key(KeyCode::Enter);
    let calls = acodesk::store::patients::calls_of(h.store.conn(), &patient).unwrap();
    assert_eq!(calls[0].outcome, CallOutcome::AgreedToVisit);
    // 7 days after the as-of date, moved to a business day.
    assert_eq!(calls[0].next_date.unwrap().to_string(), "2026-11-27");
}

#[test]
fn a_russian_keyboard_layout_logs_the_same_call() {
    let db = common::private_copy("flow-layout");
    let mut h = Harness::new(&db, Role::Nurse);
    let patient = h.app.worklist.view.as_ref().unwrap().rows[0]
        .patient_id
        .clone();
    h.keys("ст"); // the keys c and n on a ЙЦУКЕН layout
    h.key(KeyCode::Enter);
    let calls = acodesk::store::patients::calls_of(h.store.conn(), &patient).unwrap();
    assert_eq!(calls[0].outcome, CallOutcome::NoAnswer);
}

#[test]
fn a_note_in_cyrillic_and_a_correction_that_supersedes() {
    let db = common::private_copy("flow-correct");
    let mut h = Harness::new(&db, Role::Nurse);
    let patient = h.app.worklist.view.as_ref().unwrap().rows[0]
        .patient_id
        .clone();
    h.key(KeyCode::Enter); // the card
    h.keys("cr"); // refused
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    h.keys("Просит не звонить");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('e')); // correct the last call
    assert!(h.app.form.as_ref().unwrap().supersedes.is_some());
    h.key(KeyCode::Char('b')); // it was really "call back later"
    h.key(KeyCode::Enter);
    let calls = acodesk::store::patients::calls_of(h.store.conn(), &patient).unwrap();
    assert!(calls.len() >= 2, "the correction is a new entry");
    let refused = calls
        .iter()
        .find(|c| c.outcome == CallOutcome::Refused)
        .unwrap();
    assert_eq!(refused.note, "Просит не звонить");
    assert!(refused.superseded, "the old entry stays, marked superseded");
    let fixed = calls
        .iter()
        .find(|c| c.outcome == CallOutcome::CallBackLater)
        .unwrap();
    assert_eq!(fixed.supersedes.as_deref(), Some(refused.id.as_str()));
}

#[test]
fn worklist_filters_by_site_nurse_and_reason() {
    let db = common::shared_register();
    let mut h = Harness::new(db, Role::Manager);
    h.key(KeyCode::Char('1'));
    let all = h.app.worklist.view.as_ref().unwrap().total.unwrap();
    h.key(KeyCode::Char('s'));
    let site = h.app.worklist.filter.site_id.clone().unwrap();
    let by_site = h.app.worklist.view.as_ref().unwrap();
    assert!(by_site.total.unwrap() < all);
    assert!(
        by_site
            .rows
            .iter()
            .all(|r| r.site_id.as_deref() == Some(site.as_str()))
    );
    h.key(KeyCode::Char('w'));
    let reason = h.app.worklist.filter.reason.unwrap();
    assert!(
        h.app
            .worklist
            .view
            .as_ref()
            .unwrap()
            .rows
            .iter()
            .all(|r| r.entry.has(reason))
    );
    h.key(KeyCode::Char('n'));
    assert!(h.app.worklist.filter.nurse_id.is_some());
    // Cycling past the last value clears the filter.
    for _ in 0..40 {
        h.key(KeyCode::Char('s'));
        if h.app.worklist.filter.site_id.is_none() {
            break;
        }
    }
    assert!(h.app.worklist.filter.site_id.is_none());
}

/// The programme key (`g`, Cyrillic п) cycles all → diabetes → hypertension → all; the list
/// shows that programme's patients only and the header says which programme is shown.
#[test]
fn worklist_shows_one_programme_at_a_time() {
    let db = common::shared_register();
    let mut h = Harness::new(db, Role::Manager);
    h.key(KeyCode::Char('1'));
    let all = h.app.worklist.view.as_ref().unwrap().total.unwrap();
    assert!(
        h.app.worklist.filter.program.is_none(),
        "all is the default"
    );
    let enrolled =
        |id: &str| acodesk::store::views::worklist::enrolled_in(h.store.conn(), id).unwrap();
    let (diabetes, hypertension) = (enrolled("diabetes"), enrolled("hypertension"));
    let mut totals = Vec::new();
    for (key, expected) in [('g', "diabetes"), ('п', "hypertension")] {
        h.key(KeyCode::Char(key));
        assert_eq!(h.app.worklist.filter.program.as_deref(), Some(expected));
        let view = h.app.worklist.view.as_ref().unwrap();
        let members = if expected == "diabetes" {
            &diabetes
        } else {
            &hypertension
        };
        assert!(view.rows.iter().all(|r| members.contains(&r.patient_id)));
        let total = view.total.unwrap();
        assert!(total > 0 && total <= all, "{expected}: {total} of {all}");
        totals.push(total);
        let backend = ratatui::backend::TestBackend::new(160, 30);
        let mut terminal = ratatui::Terminal::new(backend).unwrap();
        terminal
            .draw(|f| f.render_widget(&h.app, f.area()))
            .unwrap();
        let screen: String = terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        let name = if expected == "diabetes" {
            "Programme: Diabetes mellitus"
        } else {
            "Programme: Hypertension"
        };
        assert!(screen.contains(name), "the header names the programme");
    }
    h.key(KeyCode::Char('g'));
    assert!(h.app.worklist.filter.program.is_none(), "back to all");
    assert_eq!(h.app.worklist.view.as_ref().unwrap().total.unwrap(), all);
}

#[test]
fn managers_assign_one_patient_and_a_whole_site() {
    let db = common::private_copy("flow-assign");
    let mut h = Harness::new(&db, Role::Nurse);
    h.key(KeyCode::Char('1'));
    h.key(KeyCode::Char('a'));
    assert!(h.app.picker.is_none(), "nurses do not assign");
    let mut h = Harness::new(&db, Role::Manager);
    h.key(KeyCode::Char('1'));
    let patient = h.app.worklist.view.as_ref().unwrap().rows[0]
        .patient_id
        .clone();
    h.key(KeyCode::Char('a'));
    let picker = h.app.picker.clone().expect("the picker opens");
    h.key(KeyCode::Down);
    let chosen = h.app.picker.as_ref().unwrap().nurses[h.app.picker.as_ref().unwrap().selected]
        .0
        .clone();
    h.key(KeyCode::Enter);
    assert!(h.app.picker.is_none());
    let nurse: String = h
        .store
        .conn()
        .query_row(
            "SELECT nurse_id FROM patients WHERE id = ?1",
            [&patient],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(nurse, chosen);
    let history: i64 = h
        .store
        .conn()
        .query_row(
            "SELECT count(*) FROM changes WHERE patient_id = ?1",
            [&patient],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(history, 1);
    // Bulk: every unassigned patient of the picker's site.
    let site = picker.site_id.unwrap();
    let unassigned: i64 = h
        .store
        .conn()
        .query_row("SELECT count(*) FROM patients WHERE site_id = ?1 AND nurse_id IS NULL AND status = 'active'", [&site], |r| r.get(0))
        .unwrap();
    h.key(KeyCode::Char('a'));
    h.key(KeyCode::Char('s'));
    let left: i64 = h
        .store
        .conn()
        .query_row("SELECT count(*) FROM patients WHERE site_id = ?1 AND nurse_id IS NULL AND status = 'active'", [&site], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0, "{unassigned} unassigned patients were assigned");
}

#[test]
fn budget_what_if_moves_the_projection() {
    let db = common::shared_register();
    let mut h = Harness::new(db, Role::Manager);
    h.key(KeyCode::Char('4'));
    assert_eq!(h.app.tab, Tab::Budget);
    let before = h.app.budget.as_ref().unwrap().projection.clone();
    h.key(KeyCode::Char('-')); // inpatient −5 %
    let after = h.app.budget.as_ref().unwrap().projection.clone();
    assert!(after.projected_spend < before.projected_spend);
    assert!(after.projected_savings > before.projected_savings);
    assert!(after.projected_earned >= before.projected_earned);
    h.key(KeyCode::Char('0'));
    assert_eq!(h.app.budget.as_ref().unwrap().projection, before);
}

#[test]
fn the_budget_gauge_follows_another_process_write_without_a_keypress() {
    let db = common::private_copy("flow-live");
    let mut h = Harness::new(&db, Role::Manager);
    h.key(KeyCode::Char('4'));
    let before = h.app.budget.as_ref().unwrap().projection.spend_to_date;
    let mut watcher = ChangeWatcher::new(&h.store);
    assert!(!watcher.changed(&h.store));
    // Another process (here: another connection) books a claim in the as-of month.
    {
        let other = Store::open_existing(&db).unwrap();
        other
            .conn()
            .execute(
                "INSERT INTO claim_lines (id, patient_id, service_date, paid_minor, category)
                 SELECT 'LIVE-1', id, '2026-11-15', 1000000, 'inpatient' FROM patients LIMIT 1",
                [],
            )
            .unwrap();
    }
    assert!(
        watcher.changed(&h.store),
        "the worker notices the write by data_version alone"
    );
    let r = h.app.on_loaded(Loaded::Changed);
    h.settle(r);
    let after = h.app.budget.as_ref().unwrap().projection.spend_to_date;
    assert_eq!(after.minor() - before.minor(), 1_000_000);
}

#[test]
fn readmissions_toggle_between_open_windows_and_pairs() {
    let db = common::shared_register();
    let mut h = Harness::new(db, Role::Manager);
    h.key(KeyCode::Char('3'));
    assert!(!h.app.readmissions_pairs);
    h.key(KeyCode::Char('v'));
    assert!(h.app.readmissions_pairs);
    let pairs = &h.app.readmissions.as_ref().unwrap().pairs;
    assert!(!pairs.is_empty());
    assert!(pairs.iter().all(|p| (0..=30).contains(&p.days_between)));
    h.key(KeyCode::Enter);
    assert_eq!(
        h.app.card.as_ref().unwrap().card.id,
        h.app.readmissions.as_ref().unwrap().pairs[0].patient_id
    );
}

#[test]
fn the_worklist_pages_through_the_whole_list_in_order() {
    let db = common::shared_register();
    let mut h = Harness::new(db, Role::Manager);
    h.key(KeyCode::Char('1'));
    let store = Store::open_existing(db).unwrap();
    let full =
        acodesk::store::views::worklist(store.conn(), &common::clock(), &h.app.worklist.filter)
            .unwrap();
    let mut seen = Vec::new();
    for _ in 0..2000 {
        let v = h.app.worklist.view.as_ref().unwrap();
        let id = v.rows[h.app.worklist.selected].patient_id.clone();
        if seen.last() != Some(&id) {
            seen.push(id);
        }
        if seen.len() == full.rows.len() {
            break;
        }
        h.key(KeyCode::Down);
    }
    let expected: Vec<String> = full.rows.iter().map(|r| r.patient_id.clone()).collect();
    assert_eq!(seen, expected, "↓ walks every page in the list's order");
    assert_eq!(
        h.app.worklist.view.as_ref().unwrap().total,
        Some(full.rows.len() as u64)
    );
    h.key(KeyCode::PageUp);
    h.key(KeyCode::PageUp);
    assert!(h.app.worklist.page_start.is_none() || !h.app.worklist.previous_pages.is_empty());
}

fn status_of(store: &Store, id: &str) -> (String, Option<String>) {
    store
        .conn()
        .query_row(
            "SELECT status, death_date FROM patients WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

#[test]
fn died_asks_for_confirmation_and_a_date_and_a_correction_gives_the_status_back() {
    let db = common::private_copy("flow-died");
    let mut h = Harness::new(&db, Role::Nurse);
    let patient = h.app.worklist.view.as_ref().unwrap().rows[0]
        .patient_id
        .clone();
    // `c d Enter` no longer marks a death: it asks, and Esc goes back to the form.
    h.keys("cd");
    h.key(KeyCode::Enter);
    assert!(h.app.form.as_ref().unwrap().confirming);
    assert_eq!(status_of(&h.store, &patient).0, "active");
    h.key(KeyCode::Esc);
    let form = h
        .app
        .form
        .as_ref()
        .expect("Esc leaves the question, not the form");
    assert!(!form.confirming);
    // The date of death typed, then confirmed with a second Enter.
    h.key(KeyCode::Tab);
    h.keys("02.11.2026");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    assert!(h.app.form.is_none());
    assert_eq!(
        status_of(&h.store, &patient),
        ("dead".into(), Some("2026-11-02".into()))
    );
    // The card's `e` corrects the call to "no answer": the patient is active again.
    h.app.worklist.view.as_mut().unwrap().rows[0].patient_id = patient.clone();
    h.app.worklist.selected = 0;
    h.key(KeyCode::Enter);
    assert_eq!(h.app.card.as_ref().unwrap().card.id, patient);
    h.keys("e");
    h.keys("n");
    h.key(KeyCode::Enter);
    assert_eq!(status_of(&h.store, &patient), ("active".into(), None));
    let changes: i64 = h
        .store
        .conn()
        .query_row(
            "SELECT count(*) FROM changes WHERE patient_id = ?1 AND field = 'status'",
            [&patient],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(changes, 2, "both changes are in the history");
}

#[test]
fn a_death_with_no_date_stays_unknown_and_a_manager_restores_the_status() {
    let db = common::private_copy("flow-died-unknown");
    let mut h = Harness::new(&db, Role::Manager);
    h.app.update(acodesk::tui::action::Action::TabWorklist);
    h.settle(vec![h.app.worklist_reload()]);
    let patient = h.app.worklist.view.as_ref().unwrap().rows[0]
        .patient_id
        .clone();
    h.key(KeyCode::Enter);
    h.keys("cd");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    assert_eq!(status_of(&h.store, &patient), ("dead".into(), None));
    // `u` on the card asks; `n` leaves it, `y` restores.
    h.keys("u");
    assert!(h.app.question.is_some());
    h.keys("n");
    assert!(h.app.question.is_none());
    assert_eq!(status_of(&h.store, &patient).0, "dead");
    h.keys("u");
    h.keys("н"); // y on a Russian layout
    assert_eq!(status_of(&h.store, &patient).0, "active");
}

#[test]
fn esc_never_quits_and_a_form_with_input_asks_before_quitting() {
    let db = common::private_copy("flow-esc");
    let mut h = Harness::new(&db, Role::Nurse);
    for _ in 0..3 {
        h.key(KeyCode::Esc);
    }
    assert!(!h.app.quit, "Esc on the main screen does nothing");
    h.keys("c");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Esc);
    assert!(!h.app.quit && h.app.form.is_none());
    // A note typed: Ctrl-C and й ask, any key but y keeps the form.
    h.keys("c");
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    h.keys("позвонить дочери");
    let r = h.app.on_key(ctrl('c'));
    h.settle(r);
    assert!(!h.app.quit);
    assert!(h.app.question.is_some());
    h.key(KeyCode::Esc);
    assert!(!h.app.quit);
    assert_eq!(h.app.form.as_ref().unwrap().note, "позвонить дочери");
    // Enter (meant for the form) is not a yes.
    let r = h.app.on_key(ctrl('c'));
    h.settle(r);
    h.key(KeyCode::Enter);
    assert!(!h.app.quit && h.app.question.is_none());
    h.key(KeyCode::BackTab);
    h.key(KeyCode::BackTab);
    h.keys("й");
    assert!(h.app.question.is_some() && !h.app.quit);
    h.keys("y");
    assert!(h.app.quit);
}

#[test]
fn no_key_acts_while_the_window_is_too_small() {
    let db = common::private_copy("flow-small");
    let mut h = Harness::new(&db, Role::Nurse);
    h.app.resize(15, 4);
    h.keys("cn");
    h.key(KeyCode::Enter);
    h.keys("q");
    assert!(h.app.form.is_none() && !h.app.quit);
    h.app.resize(80, 24);
    h.keys("c");
    assert!(h.app.form.is_some());
}

#[test]
fn after_a_call_the_cursor_stays_on_the_patient_who_followed_the_called_one() {
    let db = common::private_copy("flow-cursor");
    let mut h = Harness::new(&db, Role::Nurse);
    h.app.worklist.filter.nurse_id = None;
    h.settle(vec![h.app.worklist_reload()]);
    // Several calls in a row: each time the selection lands on the row that followed.
    for _ in 0..4 {
        let view = h.app.worklist.view.as_ref().unwrap();
        let follower = view.rows[h.app.worklist.selected + 1].patient_id.clone();
        h.keys("cn");
        h.key(KeyCode::Enter);
        let view = h.app.worklist.view.as_ref().unwrap();
        assert_eq!(view.rows[h.app.worklist.selected].patient_id, follower);
    }
}

#[test]
fn search_opens_with_the_russian_layout_key() {
    let db = common::private_copy("flow-search-ru");
    let mut h = Harness::new(&db, Role::Nurse);
    h.keys(".");
    assert!(
        h.app.worklist.typing,
        ". (the / key on a Russian layout) opens the search"
    );
    h.key(KeyCode::Esc);
    let r = h.app.on_key(ctrl('f'));
    h.settle(r);
    assert!(h.app.worklist.typing);
}

#[test]
fn the_call_form_shows_the_phones_and_an_invalid_number_asks_for_the_right_one() {
    let db = common::private_copy("flow-phones");
    let mut h = Harness::new(&db, Role::Nurse);
    let row = h.app.worklist.view.as_ref().unwrap().rows[0].clone();
    h.keys("c");
    let form = h.app.form.as_ref().unwrap();
    let info = form.info.as_ref().expect("the phones arrive with the form");
    assert_eq!(info.phones.first(), row.phone.as_ref());
    assert_eq!(
        form.why.first(),
        row.entry.deciding().map(|f| &f.reason),
        "the deciding reason first"
    );
    // "Invalid number" (w) saved: the phone form opens for the right number.
    h.keys("w");
    h.key(KeyCode::Enter);
    let pf = h.app.phone_form.as_ref().expect("the phone form opens");
    assert_eq!(pf.patient_id, row.patient_id);
    for _ in 0..pf.text.chars().count() {
        h.key(KeyCode::Backspace);
    }
    h.keys("8 (937) 492-75-89");
    h.key(KeyCode::Enter);
    assert!(h.app.phone_form.is_none());
    let (phone, old): (String, Option<String>) = h
        .store
        .conn()
        .query_row(
            "SELECT p.phone, c.old_value FROM patients p JOIN changes c ON c.patient_id = p.id AND c.field = 'phone' WHERE p.id = ?1",
            [&row.patient_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(phone, "8 (937) 492-75-89");
    assert_eq!(old, row.phone, "the old number stays in the history");
    // The card's `p` opens the same form.
    h.app.update(acodesk::tui::action::Action::TabPatients);
    h.keys(".");
    h.keys("89374927589");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    assert_eq!(h.app.card.as_ref().unwrap().card.id, row.patient_id);
    h.keys("p");
    assert!(h.app.phone_form.is_some());
}

#[test]
fn end_goes_to_the_end_of_the_whole_list_and_help_scrolls() {
    let db = common::shared_register();
    let mut h = Harness::new(db, Role::Manager);
    h.app.update(acodesk::tui::action::Action::TabWorklist);
    h.settle(vec![h.app.worklist_reload()]);
    // The whole list, page by page, as the CLI orders it.
    let all = acodesk::store::views::worklist::worklist(
        h.store.conn(),
        &common::clock(),
        &h.app.worklist.filter.clone(),
    )
    .unwrap();
    assert!(
        h.app.worklist.view.as_ref().unwrap().next.is_some(),
        "the list runs over more than one page"
    );
    h.key(KeyCode::End);
    let view = h.app.worklist.view.as_ref().unwrap();
    assert_eq!(
        view.rows[h.app.worklist.selected].patient_id,
        all.rows.last().unwrap().patient_id
    );
    h.key(KeyCode::Home);
    // Help: ↓ scrolls instead of closing; another key closes.
    h.keys("?");
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    assert!(h.app.help);
    assert_eq!(h.app.help_scroll, 2);
    h.key(KeyCode::Enter);
    assert!(!h.app.help);
}

#[test]
fn the_no_visit_in_12_months_section_is_moved_through_opened_and_called() {
    let db = common::private_copy("flow-lost");
    let mut h = Harness::new(&db, Role::Nurse);
    h.app.worklist.filter.nurse_id = None;
    let r = vec![h.app.worklist_reload()];
    h.app.worklist.counts = None;
    h.settle(r);
    h.keys("Д"); // Shift+l on a Russian layout: the previous section, wrapping to the last
    assert_eq!(
        h.app.worklist.section,
        acodesk::tui::app::Section::NoVisit12Months
    );
    let lost = h
        .app
        .worklist
        .view
        .as_ref()
        .unwrap()
        .lost_to_follow_up
        .clone();
    assert!(lost.len() >= 2, "the register has patients without a visit");
    h.key(KeyCode::Down);
    assert_eq!(
        h.app.selected_patient_id(),
        Some(lost[1].patient_id.clone())
    );
    h.key(KeyCode::Enter);
    assert_eq!(h.app.card.as_ref().unwrap().card.id, lost[1].patient_id);
    h.key(KeyCode::Esc);
    h.keys("cn");
    h.key(KeyCode::Enter);
    let calls = acodesk::store::patients::calls_of(h.store.conn(), &lost[1].patient_id).unwrap();
    assert_eq!(calls[0].outcome, CallOutcome::NoAnswer);
    assert_eq!(
        h.app.selected_patient_id(),
        Some(lost[2].patient_id.clone())
    );
    h.keys("l");
    assert_eq!(h.app.worklist.section, acodesk::tui::app::Section::ToCall);
}

/// Issue #20 items 3 and 4: every call outcome that takes a patient off the calls puts her in
/// her section at once, with the counts of the register (another instance sees the same), and
/// "refused" for a patient with an urgent recent BP puts her on "reach another way".
#[test]
fn called_patients_move_to_their_sections_and_an_urgent_refusal_needs_another_way() {
    use acodesk::domain::worklist::{Reason, Section as ListSection};
    use acodesk::tui::app::Section;
    let db = common::private_copy("flow-sections");
    let mut h = Harness::new(&db, Role::Nurse);
    h.app.worklist.filter.nurse_id = None;
    h.settle(vec![h.app.worklist_reload()]);
    let count =
        |h: &Harness, s: ListSection| h.app.worklist.section_counts.as_ref().unwrap()[s.as_code()];
    let before_to_call = count(&h, ListSection::ToCall);
    let (agreed0, back0, removed0) = (
        count(&h, ListSection::AgreedVisit),
        count(&h, ListSection::CallBack),
        count(&h, ListSection::Removed),
    );
    // Agreed, call back, already visited: three patients, three sections.
    let mut called = Vec::new();
    for keys in ["ca", "cb", "cv"] {
        called.push(h.app.selected_patient_id().unwrap());
        h.keys(keys);
        h.key(KeyCode::Enter);
    }
    assert_eq!(count(&h, ListSection::AgreedVisit), agreed0 + 1);
    assert_eq!(count(&h, ListSection::CallBack), back0 + 1);
    assert_eq!(count(&h, ListSection::Removed), removed0 + 1);
    assert_eq!(count(&h, ListSection::ToCall), before_to_call - 3);
    let rows = &h.app.worklist.view.as_ref().unwrap().rows;
    assert!(rows.iter().all(|r| !called.contains(&r.patient_id)));
    // A second instance on the same register sees the same sections.
    let mut other = Harness::new(&db, Role::Manager);
    other.app.update(acodesk::tui::action::Action::TabWorklist);
    other.settle(vec![other.app.worklist_reload()]);
    assert_eq!(
        other.app.worklist.section_counts,
        h.app.worklist.section_counts
    );
    // l steps through the sections: another way, then agreed, where the called patient is.
    h.keys("ll");
    assert_eq!(h.app.worklist.section, Section::AgreedVisit);
    // The section also holds the sample's own agreed visits: find the called patient among them.
    let view = h.app.worklist.view.as_ref().unwrap();
    let row = view
        .rows
        .iter()
        .find(|r| r.patient_id == called[0])
        .expect("the called patient is in the agreed section");
    assert_eq!(row.entry.section, ListSection::AgreedVisit);
    assert!(row.entry.section_date.is_some());
    h.keys("L");
    h.keys("L");
    assert_eq!(h.app.worklist.section, Section::ToCall);

    // Refused with a recent urgent BP: off the calls, onto "reach another way".
    h.app.worklist.filter.reason = Some(Reason::BpUrgent);
    h.app.worklist.counts = None;
    h.settle(vec![h.app.worklist_reload()]);
    let Some(urgent) = h.app.selected_patient_id() else {
        eprintln!("note: the register has no patient with a recent urgent BP");
        return;
    };
    let another0 = count(&h, ListSection::AnotherWay);
    h.keys("cr");
    h.key(KeyCode::Enter);
    assert_eq!(count(&h, ListSection::AnotherWay), another0 + 1);
    h.keys("l");
    assert_eq!(h.app.worklist.section, Section::AnotherWay);
    let view = h.app.worklist.view.as_ref().unwrap();
    let row = view.rows.iter().find(|r| r.patient_id == urgent).unwrap();
    assert_eq!(row.entry.removed_for, Some(CallOutcome::Refused));
    assert!(row.entry.reasons.contains(&Reason::BpUrgent));
}

/// #20 item 7: J and K walk the list from the card without going back to it; after a call made
/// from the card took the patient off the list, J opens the patient who followed her.
#[test]
fn the_card_walks_the_list_with_j_and_k() {
    let db = common::private_copy("flow-card-walk");
    let mut h = Harness::new(&db, Role::Nurse);
    h.app.worklist.filter.nurse_id = None;
    h.settle(vec![h.app.worklist_reload()]);
    let ids: Vec<String> = h.app.worklist.view.as_ref().unwrap().rows[..3]
        .iter()
        .map(|r| r.patient_id.clone())
        .collect();
    let card_id = |h: &Harness| h.app.card.as_ref().unwrap().card.id.clone();
    h.key(KeyCode::Enter);
    assert_eq!(card_id(&h), ids[0]);
    h.keys("K");
    assert_eq!(card_id(&h), ids[0], "no patient before the first");
    assert!(h.app.status.is_some(), "and it says so");
    h.keys("J");
    assert_eq!(card_id(&h), ids[1]);
    // A Russian layout: Shift+о is J.
    h.keys("О");
    assert_eq!(card_id(&h), ids[2]);
    h.keys("K");
    assert_eq!(card_id(&h), ids[1]);
    // "Agreed to visit" from the card: she leaves the list to call; J goes to her follower.
    h.keys("ca");
    h.key(KeyCode::Enter);
    assert!(h.app.form.is_none(), "saved");
    let rows: Vec<String> = h
        .app
        .worklist
        .view
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .map(|r| r.patient_id.clone())
        .collect();
    assert!(!rows.contains(&ids[1]), "the agreed visit left the list");
    h.keys("J");
    assert_eq!(card_id(&h), ids[2]);
    // Esc: back on the list, on the patient last seen.
    h.key(KeyCode::Esc);
    assert!(h.app.card.is_none());
    assert_eq!(
        h.app.selected_patient_id().as_deref(),
        Some(ids[2].as_str())
    );
}

/// #20 item 5: after an "invalid number" call the worklist offers the second number; once the
/// nurse corrects the main one, the main is offered again.
#[test]
fn the_worklist_falls_back_to_the_second_number_after_an_invalid_number_call() {
    let db = common::private_copy("flow-second-number");
    let mut h = Harness::new(&db, Role::Nurse);
    h.app.worklist.filter.nurse_id = None;
    h.settle(vec![h.app.worklist_reload()]);
    let row = h.app.worklist.view.as_ref().unwrap().rows[0].clone();
    let main = row.phone.clone().expect("the first patient has a phone");
    h.store
        .conn()
        .execute(
            "UPDATE patients SET phone2 = '8 (3452) 12-34-56' WHERE id = ?1",
            [&row.patient_id],
        )
        .unwrap();
    h.keys("cw");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Esc); // the phone form: not now
    use acodesk::domain::worklist::Section as ListSection;
    let (section, r) = [ListSection::Removed, ListSection::AnotherWay]
        .into_iter()
        .find_map(|section| {
            let view = acodesk::store::views::worklist(
                h.store.conn(),
                &common::clock(),
                &acodesk::store::views::WorklistFilter {
                    section,
                    ..Default::default()
                },
            )
            .unwrap();
            view.rows
                .into_iter()
                .find(|r| r.patient_id == row.patient_id)
                .map(|r| (section, r))
        })
        .expect("off the calls for the invalid number");
    assert_eq!(r.phone.as_deref(), Some("8 (3452) 12-34-56"));
    assert_eq!(
        r.phone_choice,
        Some(acodesk::domain::phone_choice::PhoneChoice::SecondMainInvalid)
    );
    // The TUI's page of that section offers the same number.
    h.app.worklist.filter.section = section;
    h.settle(vec![h.app.worklist_reload()]);
    let page_row = h
        .app
        .worklist
        .view
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .find(|r| r.patient_id == row.patient_id)
        .cloned()
        .expect("on the section's page");
    assert_eq!(page_row.phone, r.phone, "the page and the full list agree");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    acodesk::store::phones::set_phone(
        &mut h.store,
        &row.patient_id,
        acodesk::store::phones::WhichPhone::First,
        Some("+7 937 492-75-89"),
        "Test Nurse",
    )
    .unwrap();
    let card = acodesk::store::patients::card(h.store.conn(), &row.patient_id)
        .unwrap()
        .unwrap();
    assert!(!card.main_phone_reported_invalid);
    assert_ne!(main, "+7 937 492-75-89");
}

#[test]
fn a_dashboard_left_open_overnight_moves_to_the_new_day() {
    let db = common::private_copy("flow-midnight");
    let today = common::as_of();
    let mut h = Harness::on(
        &db,
        Role::Nurse,
        acodesk::domain::clock::Clock::today(today),
    );
    let stored_clock = |store: &Store| -> String {
        store
            .conn()
            .query_row(
                "SELECT value FROM meta WHERE key = 'worklist_clock'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert!(stored_clock(&h.store).contains(&today.to_string()));
    let tomorrow = today.succ_opt().unwrap();
    // What the worker does when it notices midnight: the clock moves, the screen is told.
    assert!(h.app.ctx.clock.roll_to(tomorrow));
    let reloads = h.app.on_loaded(Loaded::NewDay(tomorrow));
    assert!(
        !reloads.is_empty(),
        "the visible tab reloads for the new day"
    );
    let (status, _) = h.app.status.clone().unwrap();
    assert!(status.starts_with("A new day"), "{status}");
    h.settle(reloads);
    assert!(
        stored_clock(&h.store).contains(&tomorrow.to_string()),
        "the stored worklist is refreshed for the new day"
    );
    assert_eq!(h.app.ctx.clock.get().as_of, tomorrow);
}
