#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The printable report: self-contained HTML in both languages with the figures of the shared
//! views, the CSV twins of its tables, and (when Chromium is installed) a real render to PNG and PDF.

use acodesk::domain::clock::{Clock, ClockKind};
use acodesk::domain::indicators::Ratio;
use acodesk::i18n::{I18n, Lang};
use acodesk::import::csv_dir::{ImportOptions, import_dir};
use acodesk::report::{ReportOptions, render_html, render_html_for, write_report};
use acodesk::sample::{SampleSpec, generate};
use acodesk::store::Store;
use acodesk::store::views::{self, WorklistFilter};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

/// A register of the sample pilot (400 patients, seed 7) in a fresh temporary folder.
fn register() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    generate(
        &SampleSpec {
            patients: 400,
            seed: 7,
            as_of: as_of(),
        },
        &files,
    )
    .unwrap();
    let db = dir.path().join("register.db");
    let mut store = Store::open(&db).unwrap();
    import_dir(&mut store, &files, ImportOptions::default()).unwrap();
    (dir, db)
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The visible text of the document, tags removed.
fn visible_text(html: &str) -> String {
    let body = html.split("</style>").nth(1).unwrap_or(html);
    let mut out = String::new();
    let mut in_tag = false;
    for ch in body.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn assert_self_contained(html: &str) {
    for needle in [
        "http://", "https://", "<script", "@import", "src=", "<link", "<img", "<iframe",
    ] {
        assert!(!html.contains(needle), "the report contains {needle:?}");
    }
    for (i, _) in html.match_indices("url(") {
        assert!(
            html[i..].starts_with("url(#"),
            "only in-document references are allowed: {}",
            &html[i..(i + 40).min(html.len())]
        );
    }
}

#[test]
fn html_is_self_contained_and_shows_the_figures_of_the_views() {
    let (_dir, db) = register();
    let store = Store::open(&db).unwrap();
    // A name with markup in it must come out escaped.
    store
        .conn()
        .execute(
            "UPDATE organizations SET name = name || ' <b>\"Ёлки\" & Co</b>' WHERE id = 'ORG-PC1'",
            [],
        )
        .unwrap();
    let conn = store.conn();
    let progress = views::progress(conn, as_of()).unwrap();
    let readmissions = views::readmissions(conn, as_of()).unwrap();
    let budget = views::budget(conn, as_of()).unwrap();
    assert!(progress.sites.len() >= 6, "the sample has six polyclinics");
    for lang in [Lang::Ru, Lang::En] {
        let i18n = I18n::new(lang);
        let html = render_html(conn, &i18n, as_of()).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        assert!(html.contains("@page { size: A4; margin: 15mm; }"));
        assert_self_contained(&html);
        assert!(
            html.matches("<svg").count() >= 5,
            "3 site charts, readmissions, budget"
        );
        assert!(!html.contains("<b>\"Ёлки\""), "a raw name leaked");
        assert!(html.contains("&lt;b&gt;&quot;Ёлки&quot; &amp; Co&lt;/b&gt;"));

        // Every site, every indicator as `fmt.ratio` writes it, the total row.
        for s in &progress.sites {
            let name = if s.name.is_empty() {
                i18n.t("unassigned")
            } else {
                s.name.clone()
            };
            assert!(html.contains(&esc(&name)), "site {name} missing");
            for (_, r, _) in s.tally.ratios() {
                assert!(html.contains(&esc(&i18n.fmt.ratio(r))), "{name}: {r:?}");
            }
        }
        let poor = i18n.fmt.ratio(progress.total.hba1c_poor_control);
        assert!(html.contains(&poor), "total poor control {poor}");
        assert!(html.contains("▼"), "the weakest site is marked");
        for n in progress.nurses.iter().filter(|n| !n.name.is_empty()) {
            assert!(html.contains(&esc(&n.name)), "nurse {} missing", n.name);
        }
        let s = &readmissions.summary;
        let readm = i18n.fmt.ratio(Ratio {
            numerator: s.readmissions,
            denominator: s.index_stays,
        });
        assert!(html.contains(&readm), "readmission rate {readm}");
        assert!(budget.problem.is_none(), "{:?}", budget.problem);
        let p = &budget.projection;
        for m in [
            p.budget_to_date,
            p.spend_to_date,
            p.projected_spend,
            p.projected_earned,
        ] {
            assert!(html.contains(&i18n.fmt.money(m, &budget.currency)));
        }
        assert!(html.contains(&i18n.fmt.date(as_of())));
        let pilot = views::budget::pilot_info(conn).unwrap();
        let pilot_name = match lang {
            Lang::Ru => pilot.name,
            Lang::En => pilot.name_en,
        };
        assert!(html.contains(&esc(&pilot_name)));
        if lang == Lang::Ru {
            assert!(html.contains("20.11.2026"), "Russian dates");
            assert!(html.contains("Сравнение поликлиник"));
            assert!(poor.contains(','), "decimal comma: {poor}");
        } else {
            assert!(html.contains("2026-11-20"));
            assert!(html.contains("Sites compared"));
        }
        // Every text came from the locale files: no message id shows through.
        for word in visible_text(&html).split_whitespace() {
            for prefix in ["report-", "ind-", "readm-", "budget-", "progress-", "col-"] {
                assert!(!word.starts_with(prefix), "untranslated {word} ({lang:?})");
            }
        }
    }
}

#[test]
fn an_explicit_period_uses_the_same_indicator_definitions() {
    let (_dir, db) = register();
    let store = Store::open(&db).unwrap();
    let conn = store.conn();
    let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let period = acodesk::domain::indicators::Period { from, to: as_of() };
    let progress = views::progress::progress_for(conn, period).unwrap();
    let i18n = I18n::new(Lang::En);
    let html = render_html_for(conn, &i18n, as_of(), Some(from)).unwrap();
    assert!(html.contains("Flows (calls, enrolments, deaths, moves, discharges) for 2026-01-01 – 2026-11-20; indicators as of 2026-11-20, each over its own window"));
    for (_, r, _) in progress.total.ratios() {
        assert!(html.contains(&i18n.fmt.ratio(r)), "{r:?}");
    }
    // The indicators keep their window: the same shares as the default 12-month report.
    let year = views::progress::progress_for(
        conn,
        acodesk::domain::indicators::Period::rolling_year(as_of()),
    )
    .unwrap();
    assert_eq!(progress.total.ratios(), year.total.ratios());
    // The method appendix is generated from the catalogue, and the open windows are stated.
    for m in acodesk::domain::measures::CATALOGUE {
        assert!(html.contains(&esc(m.label.en)), "{}", m.id);
    }
    assert!(html.contains("are still in their 30-day window and not yet counted"));
    let err = render_html_for(conn, &i18n, from, Some(as_of())).unwrap_err();
    assert!(err.to_string().contains("--from"), "{err}");
}

/// The HTML of the section with this id.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let len = html[start..].find("</section>").unwrap();
    &html[start..start + len]
}

#[test]
fn the_funds_sections_show_the_figures_of_the_shared_views() {
    use acodesk::store::views::progress::{Column, Figure, ProgressQuery, progress_board};
    let (_dir, db) = register();
    let mut store = Store::open(&db).unwrap();
    // An import on record, as the import command leaves it.
    let dir = tempfile::tempdir().unwrap();
    generate(
        &SampleSpec {
            patients: 20,
            seed: 7,
            as_of: as_of(),
        },
        dir.path(),
    )
    .unwrap();
    let summary = import_dir(&mut store, dir.path(), ImportOptions::default()).unwrap();
    acodesk::store::audit::record_import(&store, "anna", "csv /data/oms-november", &summary)
        .unwrap();
    let conn = store.conn();
    let clock = Clock {
        as_of: as_of(),
        kind: ClockKind::Historical,
    };
    let board = progress_board(conn, &clock, &ProgressQuery::default()).unwrap();
    let readm = views::readmissions(conn, as_of()).unwrap();
    let budget = views::budget(conn, as_of()).unwrap();
    for lang in [Lang::En, Lang::Ru] {
        let i18n = I18n::new(lang);
        let html = render_html(conn, &i18n, as_of()).unwrap();
        let fig = |f: Figure| match f {
            Figure::Count(n) => i18n.fmt.int(n as i64),
            Figure::Ratio(r) => esc(&i18n.fmt.ratio(r)),
        };
        // The cascade: every stage of the Progress tab's board, per site and in total, under the
        // Progress tab's captions and the catalogue's labels.
        let cascade = section(&html, "cascade");
        for c in [
            Column::Overdue,
            Column::Contactable,
            Column::Called,
            Column::Reached,
            Column::Returned,
        ] {
            assert!(
                cascade.contains(&fig(c.figure(&board.view.total, &board.total))),
                "{c:?}"
            );
            assert!(cascade.contains(&esc(&c.long_label(&i18n))), "{c:?}");
            for (g, x) in board.view.sites.iter().zip(&board.sites) {
                assert!(
                    cascade.contains(&fig(c.figure(&g.tally, x))),
                    "{c:?} {}",
                    g.name
                );
            }
        }
        // Readmissions by hospital and by site add up to the readmission view's total.
        let by = section(&html, "readmissions-by");
        let s = &readm.summary;
        assert!(!s.by_organization.is_empty());
        assert_eq!(board.total.readmissions.numerator, s.readmissions);
        assert_eq!(board.total.readmissions.denominator, s.index_stays);
        for (id, name) in &readm.organizations {
            if s.by_organization
                .iter()
                .any(|o| o.organization_id.as_ref() == Some(id))
            {
                assert!(by.contains(&esc(name)), "hospital {name}");
            }
        }
        for x in &board.sites {
            assert!(by.contains(&esc(&i18n.fmt.share(x.readmissions))));
        }
        // Twelve months of trends, each month's end and every trend column's figure.
        let trends = section(&html, "trends");
        assert_eq!(board.series.len(), 12);
        assert_eq!(trends.matches("<tr><td>").count(), 12);
        for m in &board.series {
            assert!(trends.contains(&i18n.fmt.date(m.end)));
            for c in Column::TRENDS {
                assert!(
                    trends.contains(&fig(Figure::Ratio(c.trend(m).unwrap()))),
                    "{c:?}"
                );
            }
        }
        // Spend: the categories the benchmark covers add up to the spend to date, and each
        // site's spend per person-year is the utilisation's.
        let spend = section(&html, "spend");
        let money = |m| esc(&i18n.fmt.money(m, &budget.currency));
        assert!(spend.contains(&money(budget.projection.spend_to_date)));
        for (_, m) in budget.by_category.iter().chain(&budget.outside_benchmark) {
            assert!(spend.contains(&money(*m)));
        }
        for u in budget
            .utilisation
            .by_site
            .iter()
            .chain([&budget.utilisation.total])
        {
            assert!(
                spend.contains(&money(u.spend_per_person_year(None))),
                "{}",
                u.site
            );
        }
        // Sources: the import on record with its rows, and each feed's latest date.
        let sources = section(&html, "sources");
        assert!(sources.contains("csv /data/oms-november"));
        let rows: u64 = summary.tables.iter().map(|(_, c)| c.unchanged).sum();
        assert!(rows > 0);
        assert!(sources.contains(&i18n.fmt.int(rows as i64)), "{rows}");
        let claims = acodesk::store::stats::freshness(conn, as_of()).unwrap();
        for f in &claims {
            assert!(
                sources.contains(&i18n.fmt.date(f.latest.unwrap())),
                "{}",
                f.table
            );
        }
        // Sign-off, running header and page numbers in print; no stroked text halo (printed as
        // a second run of the same words).
        let sign = section(&html, "sign-off");
        assert_eq!(
            sign.matches("<td></td><td></td><td></td><td></td>").count(),
            2
        );
        assert!(html.contains("counter(page)") && html.contains("counter(pages)"));
        assert!(html.contains("@top-left"));
        assert!(!html.contains("paint-order"));
        if lang == Lang::Ru {
            assert!(sign.contains("Подготовил") && sign.contains("Утвердил"));
            assert!(html.contains("\"Стр. \" counter(page) \" из \" counter(pages)"));
        } else {
            assert!(sign.contains("Prepared by") && sign.contains("Approved by"));
            assert!(html.contains("\"Page \" counter(page) \" of \" counter(pages)"));
        }
    }
}

/// Reads a report CSV file: `,`-separated in English, `;`-separated in Russian (after the BOM).
fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains(';') { b';' } else { b',' };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = vec![r.headers().unwrap().iter().map(String::from).collect()];
    for rec in r.records() {
        rows.push(rec.unwrap().iter().map(String::from).collect());
    }
    rows
}

#[test]
fn csv_files_carry_the_same_figures() {
    let (dir, db) = register();
    let store = Store::open(&db).unwrap();
    let conn = store.conn();
    let out = dir.path().join("out");
    write_report(
        conn,
        &I18n::new(Lang::Ru),
        &ReportOptions {
            as_of: as_of(),
            from: None,
            out: out.join("report.html"),
            csv_dir: Some(out.join("csv")),
            xlsx: None,
        },
    )
    .unwrap();
    assert!(out.join("report.html").is_file());
    let progress = views::progress(conn, as_of()).unwrap();

    for name in [
        "sites.csv",
        "nurses.csv",
        "readmissions_by_month.csv",
        "budget_months.csv",
    ] {
        let bytes = std::fs::read(out.join("csv").join(name)).unwrap();
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF") && !bytes[3..].starts_with(b"\xEF\xBB\xBF"),
            "{name} should start with one UTF-8 byte-order mark for Excel"
        );
    }
    let sites = read_csv(&out.join("csv/sites.csv"));
    let header = &sites[0];
    // A Russian report: the columns under their Russian headers.
    let ru = I18n::new(Lang::Ru);
    let col = |name: &str| {
        let wanted = acodesk::report::csv_headers::label(name, &ru);
        header.iter().position(|h| *h == wanted).unwrap()
    };
    assert_eq!(
        sites.len(),
        progress.sites.len() + 2,
        "header, sites, total"
    );
    for (row, s) in sites[1..].iter().zip(&progress.sites) {
        assert_eq!(row[col("site_id")], s.id);
        assert_eq!(row[col("site")], s.name);
        assert_eq!(row[col("active")], s.tally.enrolled_active.to_string());
        let t = &s.tally;
        for (code, r) in [
            ("poor_control", t.hba1c_poor_control),
            ("hba1c_tested", t.hba1c_tested_6m),
            ("bp_controlled", t.bp_controlled),
        ] {
            assert_eq!(row[col(&format!("{code}_num"))], r.numerator.to_string());
            assert_eq!(row[col(&format!("{code}_den"))], r.denominator.to_string());
        }
    }
    let total = sites.last().unwrap();
    assert_eq!(total[col("site_id")], "total");
    assert_eq!(
        total[col("poor_control_num")],
        progress.total.hba1c_poor_control.numerator.to_string()
    );

    let nurses = read_csv(&out.join("csv/nurses.csv"));
    let total = nurses.last().unwrap();
    assert_eq!(total[0], "total");
    assert_eq!(total[2], progress.total.enrolled_active.to_string());
    let clock = Clock {
        as_of: as_of(),
        kind: ClockKind::Historical,
    };
    let worklist = views::worklist(conn, &clock, &WorklistFilter::default()).unwrap();
    assert_eq!(total[3], worklist.rows.len().to_string());
    let per_nurse: u64 = nurses[1..nurses.len() - 1]
        .iter()
        .map(|r| r[3].parse::<u64>().unwrap())
        .sum();
    assert_eq!(per_nurse, worklist.rows.len() as u64, "the worklist splits");
    let calls: u64 = nurses[1..nurses.len() - 1]
        .iter()
        .map(|r| r[4].parse::<u64>().unwrap())
        .sum();
    assert_eq!(total[4], calls.to_string());
    assert!(calls > 0, "the sample logs calls");

    let readm = views::readmissions(conn, as_of()).unwrap().summary;
    let months = read_csv(&out.join("csv/readmissions_by_month.csv"));
    assert_eq!(months.len(), readm.by_month.len() + 2);
    for (row, m) in months[1..].iter().zip(&readm.by_month) {
        assert_eq!(row[0], m.month);
        assert_eq!(row[1], m.index_stays.to_string());
        assert_eq!(row[2], m.readmissions.to_string());
    }
    let budget = views::budget(conn, as_of()).unwrap();
    let months = read_csv(&out.join("csv/budget_months.csv"));
    assert_eq!(months.len(), budget.months.len() + 1);
    let paid: i64 = budget.months.iter().map(|m| m.paid.minor()).sum();
    let last = months.last().unwrap();
    assert_eq!(
        last[5],
        format!("{},{:02}", paid / 100, paid % 100),
        "a decimal comma"
    );
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new("which")
            .arg(c)
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Runs Chromium headless with `extra` on `html`, killing it after two minutes.
fn run_chromium(bin: &str, profile: &Path, html: &Path, extra: &str) {
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--window-size=1240,1754")
        .arg(extra)
        .arg(format!("file://{}", html.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish in two minutes ({extra})");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Renders the report in `lang` to PNG and PDF and checks both; returns the three paths.
fn render_with_chromium(
    bin: &str,
    conn: &rusqlite::Connection,
    dir: &Path,
    lang: Lang,
) -> [PathBuf; 3] {
    let html = dir.join(format!("report-{}.html", lang.code()));
    write_report(
        conn,
        &I18n::new(lang),
        &ReportOptions {
            as_of: as_of(),
            from: None,
            out: html.clone(),
            csv_dir: None,
            xlsx: None,
        },
    )
    .unwrap();
    let png = dir.join(format!("report-{}.png", lang.code()));
    let pdf = dir.join(format!("report-{}.pdf", lang.code()));
    let profile = dir.join("profile");
    run_chromium(
        bin,
        &profile,
        &html,
        &format!("--screenshot={}", png.display()),
    );
    run_chromium(
        bin,
        &profile,
        &html,
        &format!("--print-to-pdf={}", pdf.display()),
    );
    let png_len = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(png_len > 20_000, "{lang:?}: screenshot is {png_len} bytes");
    let bytes = std::fs::read(&pdf).unwrap_or_default();
    assert!(bytes.starts_with(b"%PDF"), "{lang:?}: not a PDF");
    assert!(
        bytes.len() > 10_000,
        "{lang:?}: PDF is {} bytes",
        bytes.len()
    );
    [html, png, pdf]
}

/// Set `ACODESK_REPORT_ARTIFACTS=DIR` to keep the rendered HTML, PNG and PDF files for a look.
#[test]
fn chromium_renders_the_report_to_png_and_pdf() {
    let Some(bin) = chromium() else {
        eprintln!(
            "NOTE: chromium is not on PATH, so the render check is skipped \
             (install it with `apt-get install -y chromium`)."
        );
        return;
    };
    let (dir, db) = register();
    let store = Store::open(&db).unwrap();
    for lang in [Lang::Ru, Lang::En] {
        let files = render_with_chromium(bin, store.conn(), dir.path(), lang);
        pdf_text_checks(&files[2], lang);
        if let Some(keep) = std::env::var_os("ACODESK_REPORT_ARTIFACTS") {
            let keep = PathBuf::from(keep);
            std::fs::create_dir_all(&keep).unwrap();
            for f in files {
                std::fs::copy(&f, keep.join(f.file_name().unwrap())).unwrap();
            }
        }
    }
}

/// With pdftotext installed: every page is numbered, and a chart's label is copied once (a text
/// halo drawn as a stroke used to come out as a second run of the same words).
fn pdf_text_checks(pdf: &Path, lang: Lang) {
    let Ok(out) = Command::new("pdftotext").arg(pdf).arg("-").output() else {
        eprintln!("NOTE: pdftotext is not installed, so the PDF's text is not checked.");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let pages = text.matches('\u{c}').count();
    assert!(pages >= 5, "{lang:?}: {pages} pages");
    let (page, of, pilot) = match lang {
        Lang::Ru => ("Стр. 1 из", "Стр. {pages} из", "пилот "),
        Lang::En => ("Page 1 of", "Page {pages} of", "pilot "),
    };
    assert!(text.contains(page), "{lang:?}: no page number");
    let last = of.replace("{pages}", &pages.to_string());
    assert!(text.contains(&last), "{lang:?}: no {last}");
    // Three site charts, each with one "pilot NN %" reference label.
    let labels = text
        .match_indices(pilot)
        .filter(|(i, _)| {
            text[i + pilot.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        })
        .count();
    assert_eq!(labels, 3, "{lang:?}: doubled text");
}

/// Replaces the entities `esc` writes with their characters.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The tables of an HTML fragment: each a list of rows, each a list of cell texts (tags removed,
/// entities decoded, header and body rows alike).
fn html_tables(html: &str) -> Vec<Vec<Vec<String>>> {
    let mut tables = Vec::new();
    for table in html.split("<table").skip(1) {
        let table = table.split("</table>").next().unwrap();
        let mut rows = Vec::new();
        for row in table.split("<tr").skip(1) {
            let row = row.split("</tr>").next().unwrap();
            let mut cells = Vec::new();
            for cell in row.split("<t").skip(1) {
                if !(cell.starts_with('d') || cell.starts_with('h')) {
                    continue;
                }
                let body = cell.split_once('>').map_or("", |(_, b)| b);
                let body = body.split("</t").next().unwrap();
                cells.push(unescape(visible_text(&format!("</style>{body}")).trim()));
            }
            rows.push(cells);
        }
        tables.push(rows);
    }
    tables
}

/// Every table the report prints has a CSV file with the same rows and the same figures: each
/// CSV row, formatted as the report formats it, is the HTML row, cell by cell; the CSV's column
/// ids are the catalogue ids whose captions head the HTML columns.
#[test]
fn every_table_of_the_report_has_a_csv_twin_with_the_same_figures() {
    use acodesk::domain::money::Money;
    use acodesk::store::views::progress::{Column, Figure};
    let (dir, db) = register();
    let mut store = Store::open(&db).unwrap();
    let files = dir.path().join("files");
    let summary = import_dir(&mut store, &files, ImportOptions::default()).unwrap();
    acodesk::store::audit::record_import(&store, "anna", "csv /data/oms-november", &summary)
        .unwrap();
    let conn = store.conn();
    let out = dir.path().join("twins");
    let i18n = I18n::new(Lang::En);
    write_report(
        conn,
        &i18n,
        &ReportOptions {
            as_of: as_of(),
            from: None,
            out: out.join("report.html"),
            csv_dir: Some(out.join("csv")),
            xlsx: None,
        },
    )
    .unwrap();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let csv = |name: &str| read_csv(&out.join("csv").join(name));
    let f = &i18n.fmt;
    let n = |t: &str| t.parse::<u64>().unwrap();
    let ratio = |num: &str, den: &str| Ratio {
        numerator: n(num),
        denominator: n(den),
    };
    let currency = views::budget(conn, as_of()).unwrap().currency;
    let money = |t: &str| f.money(Money::parse(t).unwrap(), &currency);
    let name_or = |csv_name: &str, csv_id: &str| match csv_id {
        "total" => i18n.t("progress-total"),
        "unassigned" => i18n.t("unassigned"),
        _ => csv_name.to_string(),
    };
    // A CSV row's figures (from `start`) over `columns`, formatted as the report's cells.
    let figures = |row: &[String], start: usize, columns: &[Column]| -> Vec<String> {
        let mut cells = Vec::new();
        let mut i = start;
        for c in columns {
            match c.figure(&Default::default(), &Default::default()) {
                Figure::Count(_) => {
                    cells.push(f.int(n(&row[i]) as i64));
                    i += 1;
                }
                Figure::Ratio(_) => {
                    cells.push(f.ratio(ratio(&row[i], &row[i + 1])));
                    i += 3;
                }
            }
        }
        assert_eq!(i, row.len(), "every CSV column is a figure of the table");
        cells
    };
    let caption_row = |first: &str, columns: &[Column]| -> Vec<String> {
        let mut h = vec![first.to_string()];
        h.extend(columns.iter().map(|c| i18n.t(&c.key())));
        h
    };

    // The call cascade.
    let cascade_columns = [
        Column::Overdue,
        Column::Contactable,
        Column::Called,
        Column::Reached,
        Column::Returned,
        Column::Calls,
        Column::Outcome(acodesk::domain::types::CallOutcome::AgreedToVisit),
    ];
    let t = &html_tables(section(&html, "cascade"))[0];
    let c = csv("cascade.csv");
    assert_eq!(t[0], caption_row(&i18n.t("col-site"), &cascade_columns));
    let mut header = vec!["site_id".to_string(), "site".into(), "month".into()];
    for col in cascade_columns {
        match col.figure(&Default::default(), &Default::default()) {
            Figure::Count(_) => header.push(col.code()),
            Figure::Ratio(_) => {
                header.extend(["num", "den", "pct"].map(|p| format!("{}_{p}", col.code())))
            }
        }
    }
    assert_eq!(c[0], header);
    assert_eq!(t.len(), c.len(), "the same rows");
    for (h, r) in t[1..].iter().zip(&c[1..]) {
        let mut want = vec![name_or(&r[1], &r[0])];
        want.extend(figures(r, 3, &cascade_columns));
        assert_eq!(*h, want);
    }

    // Readmissions by hospital and by site.
    let tables = html_tables(section(&html, "readmissions-by"));
    for (t, file) in tables
        .iter()
        .zip(["readmissions_by_hospital.csv", "readmissions_by_site.csv"])
    {
        let c = csv(file);
        assert_eq!(t.len(), c.len(), "{file}");
        assert_eq!(c[0][2..], ["index_stays", "readmissions", "rate_pct"]);
        for (h, r) in t[1..].iter().zip(&c[1..]) {
            let name = match r[0].as_str() {
                "not_recorded" => i18n.t("report-not-recorded"),
                id => name_or(&r[1], id),
            };
            let share = ratio(&r[3], &r[2]);
            assert_eq!(
                *h,
                vec![
                    name,
                    f.int(share.denominator as i64),
                    f.int(share.numerator as i64),
                    f.share(share)
                ],
                "{file}"
            );
            assert_eq!(
                r[4],
                share
                    .rate()
                    .map_or(String::new(), |x| format!("{:.1}", x * 100.0))
            );
        }
    }

    // Twelve months of trends.
    let t = &html_tables(section(&html, "trends"))[0];
    let c = csv("trends.csv");
    assert_eq!(
        t[0],
        caption_row(&i18n.t("report-col-month-end"), &Column::TRENDS)
    );
    assert_eq!((t.len(), c.len()), (13, 13));
    for (h, r) in t[1..].iter().zip(&c[1..]) {
        let mut want = vec![f.date(r[0].parse().unwrap())];
        want.extend(figures(r, 1, &Column::TRENDS));
        assert_eq!(*h, want);
    }

    // Spend by category, then per person-year by site.
    let tables = html_tables(section(&html, "spend"));
    let c = csv("spend_by_category.csv");
    assert_eq!(tables[0].len(), c.len());
    let budget = acodesk::store::views::budget(conn, as_of()).unwrap();
    for (h, r) in tables[0][1..].iter().zip(&c[1..]) {
        let category = i18n.t(&format!("category-{}", r[0]));
        let name = match (r[0].as_str(), r[1].as_str()) {
            ("covered", _) => i18n.t("report-spend-covered"),
            // The one name every surface gives a category the benchmark leaves out.
            (code, "false") => acodesk::store::views::budget_steps::outside_label(
                &budget,
                acodesk::domain::types::ClaimCategory::from_code(code).unwrap(),
                &i18n,
            ),
            _ => category,
        };
        assert_eq!(*h, vec![name, money(&r[2])]);
    }
    let c = csv("spend_per_person_year_by_site.csv");
    assert_eq!(tables[1].len(), c.len());
    assert_eq!(c[0].last().unwrap(), "currency");
    for (h, r) in tables[1][1..].iter().zip(&c[1..]) {
        let name = match r[0].as_str() {
            "total" => i18n.t("use-network"),
            "unassigned" => i18n.t("unassigned"),
            site => site.to_string(),
        };
        let mut want = vec![name, f.decimal(r[1].parse().unwrap(), 1)];
        want.extend(r[2..r.len() - 1].iter().map(|m| money(m)));
        assert_eq!(*h, want);
    }

    // The budget's key figures and the savings steps.
    let t = &html_tables(section(&html, "budget"))[0];
    let c = csv("budget_figures.csv");
    // One HTML row per figure but the savings' rate, printed beside the savings in brackets.
    assert_eq!(
        t.len() + 2,
        c.len(),
        "no header row in the HTML; the rate shares a row"
    );
    let mut rows = t.iter();
    let mut last: Option<&Vec<String>> = None;
    for r in &c[1..] {
        if r[0] == "projected_savings_rate" {
            let value = f.percent(r[1].parse::<f64>().unwrap() / 100.0);
            let h = last.unwrap();
            assert!(h[1].ends_with(&format!("({value})")), "{h:?} {r:?}");
            continue;
        }
        let h = rows.next().unwrap();
        let value = if r[2] == "%" {
            f.percent(r[1].parse::<f64>().unwrap() / 100.0)
        } else {
            money(&r[1])
        };
        assert!(h[1].starts_with(&value), "{} {h:?} {r:?}", r[0]);
        last = Some(h);
    }
    let t = &html_tables(section(&html, "savings-steps"))[0];
    let c = csv("savings_steps.csv");
    assert_eq!(t.len() + 1, c.len());
    for (h, r) in t.iter().zip(&c[1..]) {
        assert_eq!((&h[0], &h[2]), (&r[1], &r[4]), "{}", r[0]);
        if !r[2].is_empty() {
            assert!(h[1].starts_with(&money(&r[2])), "{h:?} {r:?}");
        }
    }

    // The utilisation lines under the savings steps.
    let t = &html_tables(section(&html, "savings-steps"))[1];
    let c = csv("utilisation_by_site.csv");
    assert_eq!(t.len() + 1, c.len());
    for (h, r) in t.iter().zip(&c[1..]) {
        let name = match r[0].as_str() {
            "total" => i18n.t("use-network"),
            site => site.to_string(),
        };
        assert_eq!(h[0], name);
        let n = |x: &str| f.int(x.parse::<i64>().unwrap());
        let mut want = format!(
            "admissions {} · emergency {} · bed-days {} · visits {}",
            n(&r[2]),
            n(&r[3]),
            n(&r[4]),
            n(&r[5])
        );
        if r[6] != "0" {
            want.push_str(&format!(" · day-hospital stays {}", n(&r[6])));
        }
        want.push_str(&format!(" · {} per person-year", money(&r[7])));
        assert_eq!(h[1], want);
    }

    // The indicator tables that had CSV files before: sites, nurses, readmissions by month and
    // the budget by month.
    let t = &html_tables(section(&html, "sites"))[0];
    let c = csv("sites.csv");
    assert_eq!(t.len(), c.len());
    let progress = views::progress(conn, as_of()).unwrap();
    let ratios = progress.total.ratios().len();
    assert_eq!(c[0].len(), 6 + 3 * ratios + 1, "weakest_in last");
    for (h, r) in t[1..].iter().zip(&c[1..]) {
        // The weakest site of a column is marked ▼ in the HTML and named in `weakest_in`.
        let weakest: Vec<&str> = r.last().unwrap().split(' ').collect();
        let mut want = vec![name_or(&r[1], &r[0]), f.int(n(&r[2]) as i64)];
        for k in 0..ratios {
            let code = c[0][6 + 3 * k].trim_end_matches("_num");
            let mark = if weakest.contains(&code) { "▼ " } else { "" };
            want.push(format!(
                "{mark}{}",
                f.ratio(ratio(&r[6 + 3 * k], &r[7 + 3 * k]))
            ));
        }
        assert_eq!(*h, want);
    }
    let t = &html_tables(section(&html, "nurses"))[0];
    let c = csv("nurses.csv");
    assert_eq!(t.len(), c.len());
    assert_eq!(
        c[0][5], "calls_reached",
        "reached calls, not reached patients"
    );
    assert_eq!(t[0][4], i18n.t("report-col-reached"));
    for (h, r) in t[1..].iter().zip(&c[1..]) {
        let name = match (r[0].as_str(), r[1].as_str()) {
            ("total", _) => i18n.t("progress-total"),
            (_, "") => i18n.t("unassigned"),
            (_, name) => name.to_string(),
        };
        let int = |x: &str| f.int(n(x) as i64);
        let want = vec![
            name,
            int(&r[2]),
            int(&r[3]),
            int(&r[4]),
            f.ratio(ratio(&r[5], &r[4])),
            int(&r[7]),
            int(&r[8]),
            f.ratio(ratio(&r[9], &r[10])),
            f.ratio(ratio(&r[12], &r[13])),
        ];
        assert_eq!(*h, want);
    }
    let t = html_tables(section(&html, "readmissions"));
    let t = t.last().unwrap();
    let c = csv("readmissions_by_month.csv");
    assert_eq!(t.len(), c.len());
    for (h, r) in t[1..].iter().zip(&c[1..]) {
        let share = ratio(&r[2], &r[1]);
        assert_eq!(h[1..3], [f.int(n(&r[1]) as i64), f.int(n(&r[2]) as i64)]);
        // A partial first month says from when, as the CSV's counted_from does.
        let from: NaiveDate = r[5].parse().unwrap();
        if r[0] != "total" && !r[5].ends_with("-01") {
            assert!(h[0].contains(&f.date(from)), "{h:?} {r:?}");
        }
        let above = if r[4] == "true" { "▲ " } else { "" };
        assert_eq!(h[3], format!("{above}{}", f.share(share)));
    }
    let t = html_tables(section(&html, "budget"));
    let t = t.last().unwrap();
    let c = csv("budget_months.csv");
    assert_eq!(t.len(), c.len());
    for (h, r) in t[1..].iter().zip(&c[1..]) {
        let want: Vec<String> = r[2..6].iter().map(|m| money(m)).collect();
        assert_eq!(h[1], f.int(n(&r[1]) as i64));
        assert_eq!(h[2..], want[..]);
    }

    // Sources and freshness.
    let tables = html_tables(section(&html, "sources"));
    let c = csv("sources.csv");
    assert_eq!(tables[0].len(), c.len());
    assert!(c.iter().any(|r| r[0] == "csv /data/oms-november"));
    for (h, r) in tables[0][1..].iter().zip(&c[1..]) {
        assert_eq!(h[0], r[0]);
        assert_eq!(h[2], r[2]);
        let ints: Vec<String> = r[3..].iter().map(|x| f.int(n(x) as i64)).collect();
        assert_eq!(h[3..], ints[..]);
    }
    let c = csv("freshness.csv");
    assert_eq!(tables[1].len(), c.len());
    for (h, r) in tables[1][1..].iter().zip(&c[1..]) {
        let latest = if r[2].is_empty() {
            "—".to_string()
        } else {
            f.date(r[2].parse().unwrap())
        };
        let rows = if r[1].is_empty() {
            String::new()
        } else {
            f.int(n(&r[1]) as i64)
        };
        assert_eq!(h[1..], [rows, latest]);
    }

    // The method appendix is the catalogue, label by label.
    let t = &html_tables(section(&html, "method"))[0];
    let c = csv("method.csv");
    assert_eq!(t.len(), c.len());
    for (h, r) in t[1..].iter().zip(&c[1..]) {
        assert_eq!(h[..6], r[1..7]);
        assert_eq!(h[6], r[7], "the source, escaped once");
    }
    // And measures.csv holds every id the tables above name.
    let measures = csv("measures.csv");
    for col in cascade_columns.iter().chain(&Column::TRENDS) {
        if col.measure().is_some() {
            assert!(
                c.iter().any(|r| r[0] == col.code()),
                "{} is in the catalogue",
                col.code()
            );
        }
    }
    assert!(measures.len() > 1);
}
