//! Snapshots of every screen on a TestBackend, at 80×24 and 200×60, in English and Russian.
//! Review changes to tests/snapshots/*.snap like code (`cargo insta review`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::config::Config;
use acodesk::i18n::{I18n, Lang};
use acodesk::store::Store;
use acodesk::tui::action::Action;
use acodesk::tui::app::App;
use acodesk::tui::context::AppContext;
use acodesk::tui::data::{Request, handle};
use acodesk::tui::keymap::Keymap;
use acodesk::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;

fn context(lang: Lang) -> Arc<AppContext> {
    context_as(lang, acodesk::config::Role::Nurse)
}

fn context_as(lang: Lang, role: acodesk::config::Role) -> Arc<AppContext> {
    let store = Store::open_existing(common::shared_register()).unwrap();
    let pilot = acodesk::store::views::budget::pilot_info(store.conn()).unwrap();
    Arc::new(AppContext {
        db_path: common::shared_register().to_path_buf(),
        i18n: I18n::new(lang),
        config: Config {
            user_name: Some("Иванова М. П.".into()),
            staff_id: Some("N01".into()),
            role,
            ..Config::default()
        },
        keymap: Keymap::defaults(),
        theme: Theme::monochrome(),
        clock: common::clock().into(),
        pilot,
        device: "test".into(),
    })
}

/// Runs requests to completion the way the worker would.
fn settle(app: &mut App, mut requests: Vec<Request>) {
    let mut store = Store::open_existing(common::shared_register()).unwrap();
    while let Some(r) = requests.pop() {
        let loaded = handle(&mut store, &app.ctx, r);
        requests.extend(app.on_loaded(loaded));
    }
}

fn press(app: &mut App, code: KeyCode) {
    let requests = app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
    settle(app, requests);
}

fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    terminal
}

fn app_on(lang: Lang, action: Option<Action>) -> App {
    app_as(context(lang), action)
}

fn app_as(ctx: Arc<AppContext>, action: Option<Action>) -> App {
    let mut app = App::new(ctx);
    // Show everyone's patients in snapshots (the nurse default is "mine").
    app.worklist.filter.nurse_id = None;
    let first = app.initial_requests();
    settle(&mut app, first);
    if let Some(a) = action {
        let r = app.update(a);
        settle(&mut app, r);
    }
    app
}

const TABS: [(&str, Option<Action>); 5] = [
    ("worklist", None),
    ("patients", Some(Action::TabPatients)),
    ("readmissions", Some(Action::TabReadmissions)),
    ("budget", Some(Action::TabBudget)),
    ("progress", Some(Action::TabProgress)),
];

#[test]
fn every_tab_in_both_languages_at_80x24_and_200x60() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Ru, "ru")] {
        for (tab, action) in TABS {
            let app = app_on(lang, action);
            for (w, h) in [(80, 24), (200, 60)] {
                let name = format!("{tab}_{code}_{w}x{h}");
                insta::assert_snapshot!(name, draw(&app, w, h).backend());
            }
        }
    }
}

/// The worklist's sections (issue #20): agreed to visit, removed and no visit in 12 months, each
/// reached with `l` from the list to call.
#[test]
fn worklist_sections_in_both_languages_at_80x24_and_200x60() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Ru, "ru")] {
        let mut app = app_on(lang, None);
        for (steps, section) in [(2, "agreed"), (2, "removed"), (1, "lost")] {
            for _ in 0..steps {
                press(&mut app, KeyCode::Char('l'));
            }
            for (w, h) in [(80, 24), (200, 60)] {
                let name = format!("section_{section}_{code}_{w}x{h}");
                insta::assert_snapshot!(name, draw(&app, w, h).backend());
            }
        }
    }
}

#[test]
fn patient_card_call_form_and_help() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Ru, "ru")] {
        let mut app = app_on(lang, None);
        press(&mut app, KeyCode::Enter);
        assert!(app.card.is_some(), "Enter opens the card");
        insta::assert_snapshot!(format!("card_{code}_80x24"), draw(&app, 80, 24).backend());
        insta::assert_snapshot!(format!("card_{code}_200x60"), draw(&app, 200, 60).backend());
        press(&mut app, KeyCode::Char('c'));
        press(&mut app, KeyCode::Char('a'));
        insta::assert_snapshot!(format!("form_{code}_80x24"), draw(&app, 80, 24).backend());
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('?'));
        insta::assert_snapshot!(format!("help_{code}_80x24"), draw(&app, 80, 24).backend());
    }
}

/// On the Readmissions tab the help explains LACE: each letter's points, the one high-risk
/// threshold the tab uses, and the source.
#[test]
fn help_on_the_readmissions_tab_explains_lace() {
    for (lang, code, threshold) in [
        (Lang::En, "en", "a total of 10 or more"),
        (Lang::Ru, "ru", "сумма 10 и больше"),
    ] {
        let mut app = app_on(lang, Some(Action::TabReadmissions));
        press(&mut app, KeyCode::Char('?'));
        let terminal = draw(&app, 200, 60);
        let text: String = terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        assert_eq!(acodesk::domain::lace::DEFAULT_HIGH_RISK_THRESHOLD, 10);
        for needle in ["LACE", "CMAJ 2010", "Quan 2005", threshold] {
            assert!(text.contains(needle), "{code}: {needle} missing");
        }
        insta::assert_snapshot!(
            format!("help_readmissions_{code}_200x60"),
            terminal.backend()
        );
    }
}

#[test]
fn tiny_terminal_and_resizes_do_not_panic() {
    let app = app_on(Lang::Ru, None);
    for (w, h) in [(10, 5), (1, 1), (19, 6), (40, 10), (300, 100)] {
        draw(&app, w, h);
    }
}

#[test]
fn search_finds_cyrillic_names_with_yo_folded() {
    let mut app = app_on(Lang::Ru, Some(Action::TabPatients));
    let first = app.patients.rows.first().unwrap().full_name.clone();
    let family = first
        .split(' ')
        .next()
        .unwrap()
        .to_lowercase()
        .replace('ё', "е");
    press(&mut app, KeyCode::Char('/'));
    for ch in family.chars() {
        press(&mut app, KeyCode::Char(ch));
    }
    assert!(!app.patients.rows.is_empty());
    assert!(app.patients.rows.iter().all(|r| {
        r.full_name
            .to_lowercase()
            .replace('ё', "е")
            .contains(&family)
    }));
}

/// The screens a person meets beyond the tabs themselves: the nurse picker (managers), the
/// readmitted pairs, a searched worklist, an error in the status line and the "too small" notice.
#[test]
fn picker_pairs_search_error_and_too_small() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Ru, "ru")] {
        let mut app = app_as(
            context_as(lang, acodesk::config::Role::Manager),
            Some(Action::TabWorklist),
        );
        press(&mut app, KeyCode::Char('a'));
        assert!(
            app.picker.is_some(),
            "a manager's `a` opens the nurse picker: {:?}, {:?} nurses",
            app.status,
            app.worklist.view.as_ref().map(|v| v.nurses.len())
        );
        insta::assert_snapshot!(format!("picker_{code}_80x24"), draw(&app, 80, 24).backend());

        let mut app = app_on(lang, Some(Action::TabReadmissions));
        press(&mut app, KeyCode::Char('v'));
        assert!(app.readmissions_pairs, "`v` shows the readmitted pairs");
        for (w, h) in [(80, 24), (200, 60)] {
            insta::assert_snapshot!(
                format!("readmitted_pairs_{code}_{w}x{h}"),
                draw(&app, w, h).backend()
            );
        }

        let mut app = app_on(lang, None);
        let first = app.worklist.view.as_ref().unwrap().rows[0]
            .full_name
            .clone();
        let prefix: String = first.chars().take(4).collect();
        press(&mut app, KeyCode::Char('/'));
        for ch in prefix.to_lowercase().chars() {
            press(&mut app, KeyCode::Char(ch));
        }
        press(&mut app, KeyCode::Enter);
        assert!(!app.worklist.view.as_ref().unwrap().rows.is_empty());
        insta::assert_snapshot!(
            format!("worklist_searched_{code}_80x24"),
            draw(&app, 80, 24).backend()
        );

        let mut app = app_on(lang, None);
        press(&mut app, KeyCode::Char('u'));
        assert!(
            app.status.is_some(),
            "restoring a status off the card says why not"
        );
        insta::assert_snapshot!(
            format!("status_error_{code}_80x24"),
            draw(&app, 80, 24).backend()
        );

        let app = app_on(lang, None);
        insta::assert_snapshot!(
            format!("too_small_{code}_19x8"),
            draw(&app, 19, 8).backend()
        );
    }
}

/// The call form from the list (issue #20 item 5): docked under the list, which stays in sight
/// with the called patient selected; both phones, why she is listed and the last call shown.
#[test]
fn call_form_leaves_the_list_in_sight() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Ru, "ru")] {
        let mut app = app_on(lang, None);
        press(&mut app, KeyCode::Char('c'));
        assert!(app.form.is_some(), "c opens the call form");
        for (w, h) in [(80, 24), (200, 60)] {
            insta::assert_snapshot!(
                format!("form_list_{code}_{w}x{h}"),
                draw(&app, w, h).backend()
            );
        }
    }
}

/// No phone is ever cut (#20 item 5): at 80 and 120 columns every number on the worklist's and
/// the patient list's screen is whole, even one longer than the usual 16 characters; names
/// shrink with an ellipsis instead.
#[test]
fn phones_are_never_cut_at_80_and_120_columns() {
    let db = common::private_copy("snap-long-phone");
    let long = "+7 (34522) 12-34-567";
    {
        let store = Store::open_existing(&db).unwrap();
        let first = acodesk::store::views::worklist_page::page(
            store.conn(),
            &common::clock(),
            &Default::default(),
            None,
            1,
        )
        .unwrap();
        let id = first.rows[0].patient_id.clone();
        store
            .conn()
            .execute("UPDATE patients SET phone = ?2 WHERE id = ?1", [&id, long])
            .unwrap();
    }
    let (ctx, settle_on) = private_context(&db, Lang::Ru);
    let mut app = App::new(ctx);
    app.worklist.filter.nurse_id = None;
    let first = app.initial_requests();
    settle_on(&mut app, first);
    for tab in [None, Some(Action::TabPatients)] {
        if let Some(a) = tab {
            let r = app.update(a);
            settle_on(&mut app, r);
        }
        let phones: Vec<String> = match tab {
            None => app.worklist.view.as_ref().unwrap().rows[..10]
                .iter()
                .filter_map(|r| r.phone.clone())
                .collect(),
            Some(_) => app.patients.rows[..10]
                .iter()
                .filter_map(|r| r.phone.clone())
                .collect(),
        };
        assert!(tab.is_some() || phones.iter().any(|p| p == long));
        for (w, h) in [(80, 24), (120, 36)] {
            let screen = format!("{:?}", draw(&app, w, h).backend());
            for p in &phones {
                assert!(screen.contains(p.as_str()), "{p} cut at {w}x{h}:\n{screen}");
            }
        }
    }
}

/// A context on a private register (a test that writes to it), and a `settle` for it.
fn private_context(
    db: &std::path::Path,
    lang: Lang,
) -> (Arc<AppContext>, impl Fn(&mut App, Vec<Request>)) {
    let base = context(lang);
    let ctx = Arc::new(AppContext {
        db_path: db.to_path_buf(),
        i18n: I18n::new(lang),
        config: base.config.clone(),
        keymap: Keymap::defaults(),
        theme: Theme::monochrome(),
        clock: common::clock().into(),
        pilot: base.pilot.clone(),
        device: "test".into(),
    });
    let db = db.to_path_buf();
    let settle_on = move |app: &mut App, mut requests: Vec<Request>| {
        let mut store = Store::open_existing(&db).unwrap();
        while let Some(r) = requests.pop() {
            let loaded = handle(&mut store, &app.ctx, r);
            requests.extend(app.on_loaded(loaded));
        }
    };
    (ctx, settle_on)
}

/// The card made for the call (#20 item 7): results against the target and the latest five calls
/// above the diagnoses; the earlier calls at the end, announced where the latest ones stop.
#[test]
fn the_card_puts_the_latest_calls_before_the_history() {
    let db = common::private_copy("snap-card-calls");
    let (ctx, settle_on) = private_context(&db, Lang::En);
    let mut app = App::new(ctx);
    app.worklist.filter.nurse_id = None;
    let first = app.initial_requests();
    settle_on(&mut app, first);
    let id = app.worklist.view.as_ref().unwrap().rows[0]
        .patient_id
        .clone();
    {
        let mut store = Store::open_existing(&db).unwrap();
        for i in 1..=6 {
            acodesk::store::calls::append(
                &mut store,
                &acodesk::store::calls::NewCall {
                    patient_id: id.clone(),
                    outcome: acodesk::domain::types::CallOutcome::NoAnswer,
                    next_date: None,
                    note: format!("attempt {i}"),
                    user: "N01".into(),
                    supersedes: None,
                },
            )
            .unwrap();
        }
    }
    let r = app.update(Action::Open);
    settle_on(&mut app, r);
    // Tall enough for the whole card, the earlier calls at its end included.
    let screen = format!("{:?}", draw(&app, 200, 120).backend());
    let at = |what: &str| {
        screen
            .find(what)
            .unwrap_or_else(|| panic!("{what} missing:\n{screen}"))
    };
    assert!(at("Latest results — target: HbA1c < 7.0 %, BP < 140/90") < at("Calls"));
    assert!(at("Calls") < at("Diagnoses"));
    assert!(at("attempt 6") < at("earlier call"));
    assert!(at("earlier call") < at("Diagnoses"));
    assert!(at("Appointments") < at("Earlier calls"));
    assert!(at("Earlier calls") < at("attempt 1"));
}
