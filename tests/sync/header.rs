//! The dashboard's header on a device: the last sync's age and the unsent changes, amber past the
//! warning age (3 days by default), red past the alert age (7 days) or when never synced.

use super::common;
use super::helpers::*;
use acodesk::config::Config;
use acodesk::domain::types::CallOutcome;
use acodesk::i18n::{I18n, Lang};
use acodesk::store::Store;
use acodesk::tui::app::App;
use acodesk::tui::context::AppContext;
use acodesk::tui::data::{Request, handle};
use acodesk::tui::keymap::Keymap;
use acodesk::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use std::path::Path;
use std::sync::Arc;

/// The header line and the style of the cell where `needle` starts in it.
fn header(db: &Path, lang: Lang, needle: &str) -> (String, ratatui::style::Style) {
    let mut store = Store::open_existing(db).unwrap();
    let ctx = Arc::new(AppContext {
        db_path: db.to_path_buf(),
        i18n: I18n::new(lang),
        config: Config::default(),
        keymap: Keymap::defaults(),
        theme: Theme::colour(),
        clock: common::clock().into(),
        pilot: acodesk::store::views::budget::pilot_info(store.conn()).unwrap(),
        device: store.device_id(),
    });
    let mut app = App::new(ctx);
    let loaded = handle(&mut store, &app.ctx, Request::SyncStatus);
    app.on_loaded(loaded);
    let mut terminal = Terminal::new(TestBackend::new(120, 24)).unwrap();
    terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
    let buffer = terminal.backend().buffer();
    let line: String = (0..120)
        .map(|x| buffer[(x, 0)].symbol().to_string())
        .collect();
    let start = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {line:?}"));
    let column = line[..start].chars().count() as u16;
    (line, buffer[(column, 0)].style())
}

fn last_sync_days_ago(db: &Path, days: i64) {
    let at = (chrono::Utc::now() - chrono::Duration::days(days)).format("%Y-%m-%dT%H:%M:%SZ");
    rusqlite::Connection::open(db)
        .unwrap()
        .execute("UPDATE sync_peers SET last_sync_at = ?1", [at.to_string()])
        .unwrap();
}

#[test]
fn the_header_shows_the_sync_age_and_turns_amber_then_red() {
    let t = trio("sync-header");
    let p = patients(&t.a, 1).remove(0);
    log_call(&t.a, &p, CallOutcome::NoAnswer);
    log_call(&t.a, &p, CallOutcome::NoAnswer);
    let (line, style) = header(&t.a, Lang::En, "synced today");
    assert!(line.contains("synced today · unsent 2"), "{line}");
    assert!(
        !style.add_modifier.contains(Modifier::REVERSED),
        "fresh: the bar's own colours"
    );
    last_sync_days_ago(&t.a, 4);
    let (line, style) = header(&t.a, Lang::En, "synced 4 days ago");
    assert!(line.contains("unsent 2"), "{line}");
    assert_eq!(style.fg, Some(Color::Yellow), "amber after 3 days");
    assert!(style.add_modifier.contains(Modifier::REVERSED));
    last_sync_days_ago(&t.a, 8);
    let (_, style) = header(&t.a, Lang::En, "synced 8 days ago");
    assert_eq!(style.fg, Some(Color::Red), "red after 7 days");
    let (line, _) = header(&t.a, Lang::Ru, "синхр. 8 дней назад");
    assert!(line.contains("не отправлено: 2"), "{line}");
    // A register that takes part in no sync shows no indicator.
    let plain = common::private_copy("sync-header-plain");
    let (line, _) = header(&plain, Lang::En, "acodesk");
    assert!(!line.contains("synced"), "{line}");
}
