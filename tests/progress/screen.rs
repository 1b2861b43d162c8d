//! The tab on the screen: the same figures as the CLI and the report, the keys, the views.

use super::*;

fn context(lang: Lang) -> Arc<AppContext> {
    let store = shared();
    let pilot = views::budget::pilot_info(store.conn()).unwrap();
    Arc::new(AppContext {
        db_path: common::shared_register().to_path_buf(),
        i18n: I18n::new(lang),
        config: Config {
            user_name: Some("Сидорова А. В.".into()),
            role: Role::Manager,
            ..Config::default()
        },
        keymap: Keymap::defaults(),
        theme: Theme::monochrome(),
        clock: common::clock().into(),
        pilot,
        device: "test".into(),
    })
}

struct Harness {
    app: App,
    store: Store,
}

impl Harness {
    fn new(lang: Lang) -> Harness {
        let mut h = Harness {
            app: App::new(context(lang)),
            store: shared(),
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

    fn screen(&self, width: u16, height: u16) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(width, height)).unwrap();
        t.draw(|f| f.render_widget(&self.app, f.area())).unwrap();
        t
    }

    fn text(&self, width: u16, height: u16) -> String {
        let t = self.screen(width, height);
        let buf = t.backend().buffer();
        let mut out = String::new();
        for y in 0..height {
            for x in 0..width {
                out.push_str(buf[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }
}

#[test]
fn screen_cli_and_report_show_the_same_figures() {
    let h = Harness::new(Lang::En);
    let screen = h.app.progress_ui.board.clone().unwrap();
    let store = shared();
    let plain = acodesk::store::views::progress(store.conn(), common::as_of()).unwrap();
    assert_eq!(screen.view, plain);
    assert_eq!(h.app.progress.as_ref(), Some(&screen.view));

    let out = common::command()
        .args(["--db", common::shared_register().to_str().unwrap()])
        .args(["progress", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ratio = |v: &serde_json::Value| {
        r(
            v["numerator"].as_u64().unwrap(),
            v["denominator"].as_u64().unwrap(),
        )
    };
    let t = &screen.view.total;
    for (key, expected) in [
        ("hba1c_tested_6m", t.hba1c_tested_6m),
        ("hba1c_poor_control", t.hba1c_poor_control),
        ("hba1c_controlled", t.hba1c_controlled),
        ("bp_controlled", t.bp_controlled),
        ("missed_visit_3m", t.missed_visit_3m),
        ("lost_to_follow_up_12m", t.lost_to_follow_up_12m),
        ("readmissions", screen.total.readmissions),
    ] {
        assert_eq!(ratio(&json["total"][key]), expected, "{key}");
    }
    let c = &screen.total.cascade;
    assert_eq!(
        json["total"]["cascade"]["overdue"].as_u64(),
        Some(c.overdue)
    );
    assert_eq!(ratio(&json["total"]["cascade"]["returned"]), c.returned);
    let first = &json["groups"][0];
    assert_eq!(first["id"].as_str(), Some(screen.view.sites[0].id.as_str()));
    assert_eq!(
        ratio(&first["tally"]["hba1c_poor_control"]),
        screen.view.sites[0].tally.hba1c_poor_control
    );

    // CSV: every share as numerator, denominator and percent.
    let out = common::command()
        .args(["--db", common::shared_register().to_str().unwrap()])
        .args(["progress", "--by", "month", "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let header = text.lines().next().unwrap();
    assert!(
        header.starts_with(
            "month,month_end,active,hba1c_tested_num,hba1c_tested_den,hba1c_tested_pct"
        )
    );
    // Every column is a catalogue id (`acodesk measures`) or its _num/_den/_pct.
    for col in header.split(',').skip(2) {
        let id = ["_num", "_den", "_pct"]
            .iter()
            .fold(col, |c, s| c.trim_end_matches(s));
        assert!(
            acodesk::domain::measures::measure(id).is_some(),
            "{col} is not a catalogue id"
        );
    }
    assert_eq!(text.lines().count(), 1 + 12 + 1, "12 months and the total");
    let last = screen.series.last().unwrap();
    let poor = last.tally.hba1c_poor_control;
    assert!(
        text.contains(&format!(",{},{},", poor.numerator, poor.denominator)),
        "{poor:?} in\n{text}"
    );

    // The table: the first column is the month's end, and every short caption is explained by
    // the catalogue's label, which names the window; the readmissions column says what a month's
    // row counts.
    for (lang, month_end) in [("en", "Month's end"), ("ru", "Конец месяца")] {
        let out = common::command()
            .args(["--db", common::shared_register().to_str().unwrap()])
            .args(["--lang", lang, "progress", "--by", "month"])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with(month_end), "{text}");
        let i18n = I18n::new(if lang == "ru" { Lang::Ru } else { Lang::En });
        for c in std::iter::once(acodesk::store::views::progress::Column::Active)
            .chain(acodesk::store::views::progress::Column::TRENDS)
        {
            let line = format!("  {} — {}", i18n.t(&c.key()), c.long_label(&i18n));
            assert!(text.contains(&line), "{lang}: {line} missing in\n{text}");
        }
        assert!(
            text.contains(&i18n.t("progress-trends")),
            "{lang}: rows' caption"
        );
    }

    // The report.
    let i18n = I18n::new(Lang::En);
    let html = acodesk::report::render_html(store.conn(), &i18n, common::as_of()).unwrap();
    for (_, x, _) in t.ratios() {
        assert!(html.contains(&i18n.fmt.ratio(x)), "{x:?}");
    }
}

#[test]
fn keys_sort_filter_list_the_patients_and_open_a_card() {
    let mut h = Harness::new(Lang::En);
    assert!(
        h.app.progress_ui.board.is_some(),
        "managers start on Progress"
    );
    // o: sort by the first column (active patients), the busiest site first.
    h.key(KeyCode::Char('o'));
    let rows: Vec<u64> = h
        .app
        .progress_ui
        .rows()
        .iter()
        .map(|r| r.1.enrolled_active)
        .collect();
    let groups = &rows[..rows.len() - 1];
    assert!(groups.windows(2).all(|w| w[0] >= w[1]), "{rows:?}");
    // ] to poor control (lower is better): the weakest (highest) first; i reverses.
    h.key(KeyCode::Char(']'));
    h.key(KeyCode::Char(']'));
    assert_eq!(h.app.progress_ui.column(), Column::PoorControl);
    let rates = |h: &Harness| -> Vec<f64> {
        let rows = h.app.progress_ui.rows();
        rows[..rows.len() - 1]
            .iter()
            .filter_map(|r| r.1.hba1c_poor_control.rate())
            .collect()
    };
    assert!(rates(&h).windows(2).all(|w| w[0] >= w[1]));
    h.key(KeyCode::Char('i'));
    assert!(rates(&h).windows(2).all(|w| w[0] <= w[1]));
    assert!(h.text(80, 24).contains("▲A1c>9"), "{}", h.text(80, 24));

    // Enter on the first row: that site's patients in the denominator, the counted first.
    let site = h.app.progress_ui.rows()[0].0.unwrap().id.clone();
    h.key(KeyCode::Enter);
    let list = h
        .app
        .progress_ui
        .drill
        .as_ref()
        .unwrap()
        .list
        .clone()
        .unwrap();
    assert_eq!(list.group, DrillGroup::Site(site));
    assert_eq!(list.column, Column::PoorControl);
    assert!(!list.rows.is_empty());
    let screen = h.text(80, 24);
    assert!(screen.contains("✓"), "{screen}");
    // Enter on a patient opens the card; Esc back to the list, Esc back to the table.
    h.key(KeyCode::Down);
    let patient = h.app.progress_ui.selected_patient().unwrap().0;
    h.key(KeyCode::Enter);
    assert_eq!(
        h.app.card.as_ref().map(|c| c.card.id.clone()),
        Some(patient)
    );
    h.key(KeyCode::Esc);
    assert!(h.app.card.is_none() && h.app.progress_ui.drill.is_some());
    h.key(KeyCode::Esc);
    assert!(h.app.progress_ui.drill.is_none() && !h.app.quit);

    // s: the first site alone; n: one of its nurses; m: the month before.
    h.key(KeyCode::Char('s'));
    let b = h.app.progress_ui.board.clone().unwrap();
    assert_eq!(b.view.sites.len(), 1);
    assert_eq!(Some(&b.view.sites[0].id), b.query.site_id.as_ref());
    h.key(KeyCode::Char('n'));
    let b = h.app.progress_ui.board.clone().unwrap();
    assert!(b.query.nurse_id.is_some());
    assert!(b.view.nurses.len() == 1, "{:?}", b.view.nurses);
    h.key(KeyCode::Char('m'));
    let b = h.app.progress_ui.board.clone().unwrap();
    assert_eq!(b.month.first, d(2026, 10, 1));
    assert_eq!(b.view.period.to, d(2026, 10, 31));
    // v: nurses, then trends.
    h.key(KeyCode::Char('v'));
    assert_eq!(h.app.progress_ui.mode, ProgressMode::Nurses);
    h.key(KeyCode::Char('v'));
    assert_eq!(h.app.progress_ui.mode, ProgressMode::Trends);
    h.key(KeyCode::Down);
    assert_eq!(h.app.progress_ui.column(), Column::PoorControl);
}

#[test]
fn screens_of_the_nurses_the_trends_and_a_patient_list() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Ru, "ru")] {
        let mut h = Harness::new(lang);
        h.key(KeyCode::Char('v'));
        insta::assert_snapshot!(format!("nurses_{code}_80x24"), h.screen(80, 24).backend());
        insta::assert_snapshot!(format!("nurses_{code}_200x60"), h.screen(200, 60).backend());
        h.key(KeyCode::Char('v'));
        insta::assert_snapshot!(format!("trends_{code}_80x24"), h.screen(80, 24).backend());
        insta::assert_snapshot!(format!("trends_{code}_200x60"), h.screen(200, 60).backend());
        h.key(KeyCode::Char('v'));
        h.key(KeyCode::Char(']'));
        h.key(KeyCode::Char(']'));
        h.key(KeyCode::Char(']'));
        h.key(KeyCode::Enter);
        insta::assert_snapshot!(format!("patients_{code}_80x24"), h.screen(80, 24).backend());
        insta::assert_snapshot!(
            format!("patients_{code}_200x60"),
            h.screen(200, 60).backend()
        );
    }
    // Tiny terminals do not panic in any of the views.
    let mut h = Harness::new(Lang::Ru);
    for _ in 0..3 {
        for (w, hh) in [(10, 5), (19, 6), (40, 10), (60, 15)] {
            h.screen(w, hh);
        }
        h.key(KeyCode::Char('v'));
    }
}

#[test]
fn the_hearts_panel_shows_each_programme_follows_the_filters_and_closes_after_the_last() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Ru, "ru")] {
        let mut h = Harness::new(lang);
        h.key(KeyCode::Char('g'));
        let answer = h.app.progress_ui.hearts.clone().unwrap().answer.unwrap();
        let b = answer.board.clone().unwrap();
        assert_eq!(b.program, "diabetes");
        let board = h.app.progress_ui.board.clone().unwrap();
        assert_eq!(b.total.assigned, board.view.total.enrolled_active);
        assert!(b.total.denominator > 0);
        insta::assert_snapshot!(format!("hearts_{code}_80x24"), h.screen(80, 24).backend());
        insta::assert_snapshot!(format!("hearts_{code}_200x60"), h.screen(200, 60).backend());
        // A site filter: the panel shows that site's patients only.
        h.key(KeyCode::Char('s'));
        let answer = h.app.progress_ui.hearts.clone().unwrap().answer.unwrap();
        assert_eq!(answer.query, h.app.progress_ui.query);
        assert_eq!(answer.board.unwrap().sites.len(), 1);
        // The register holds two programmes: the next press shows hypertension, the one after
        // closes the panel.
        h.key(KeyCode::Char('g'));
        let answer = h.app.progress_ui.hearts.clone().unwrap().answer.unwrap();
        assert_eq!(answer.board.unwrap().program, "hypertension");
        h.key(KeyCode::Char('g'));
        assert!(h.app.progress_ui.hearts.is_none());
    }
}
