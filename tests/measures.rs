#![allow(clippy::unwrap_used, clippy::expect_used)]
//! One definition per figure: for the sample pilot at three as-of dates, every catalogue figure is
//! the same in the Progress tab's model, `acodesk progress --format json`, `--format csv` and the
//! report's measures.csv (for the default period and a quarter), and `acodesk measures` prints the
//! catalogue.

mod common;

use acodesk::domain::clock::{Clock, ClockKind};
use acodesk::domain::indicators::Ratio;
use acodesk::domain::measures::{CATALOGUE, Value, tally_figures};
use acodesk::store::Store;
use acodesk::store::views::progress::{ProgressQuery, progress_board};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::Path;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Figures as "id" → (numerator or count, denominator or none).
type Figures = BTreeMap<String, (u64, Option<u64>)>;

fn of(value: Value) -> (u64, Option<u64>) {
    match value {
        Value::Count(n) => (n, None),
        Value::Share(Ratio {
            numerator,
            denominator,
        }) => (numerator, Some(denominator)),
    }
}

fn run(db: &Path, args: &[&str]) -> String {
    let out = common::command()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn tui_model(db: &Path, as_of: NaiveDate) -> Figures {
    let store = Store::open_existing(db).unwrap();
    let clock = Clock {
        as_of,
        kind: ClockKind::Historical,
    };
    let b = progress_board(store.conn(), &clock, &ProgressQuery::default()).unwrap();
    tally_figures(&b.view.total)
        .into_iter()
        .map(|f| (f.id.to_string(), of(f.value)))
        .collect()
}

fn cli_json(db: &Path, as_of: NaiveDate) -> Figures {
    let text = run(
        db,
        &[
            "--as-of",
            &as_of.to_string(),
            "progress",
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut out = Figures::new();
    for f in json["total"]["measures"].as_array().unwrap() {
        let id = f["id"].as_str().unwrap().to_string();
        let v = &f["value"];
        let pair = match (v.get("count"), v.get("share")) {
            (Some(n), _) => (n.as_u64().unwrap(), None),
            (_, Some(r)) => (
                r["numerator"].as_u64().unwrap(),
                Some(r["denominator"].as_u64().unwrap()),
            ),
            _ => panic!("{f}"),
        };
        out.insert(id, pair);
    }
    out
}

/// The CSV's total row: `<id>_num`/`<id>_den` pairs and plain counts, by catalogue id.
fn cli_csv(db: &Path, as_of: NaiveDate) -> Figures {
    let text = run(
        db,
        &["--as-of", &as_of.to_string(), "progress", "--format", "csv"],
    );
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let total = r
        .records()
        .map(|x| x.unwrap())
        .find(|x| x.get(0) == Some("total"))
        .unwrap();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .and_then(|i| total.get(i))
            .map(|v| v.parse::<u64>().unwrap())
    };
    let mut out = Figures::new();
    for m in CATALOGUE {
        if let (Some(n), Some(den)) = (col(&format!("{}_num", m.id)), col(&format!("{}_den", m.id)))
        {
            out.insert(m.id.to_string(), (n, Some(den)));
        } else if let Some(n) = col(m.id) {
            out.insert(m.id.to_string(), (n, None));
        }
    }
    out
}

/// The Worklist's "lost to follow-up" list as the TUI model and `acodesk worklist --format json`
/// count it: (lost, of them taken off the list by a nurse).
fn worklist_lost(db: &Path, as_of: NaiveDate) -> ((u64, u64), (u64, u64)) {
    use acodesk::store::views::worklist::{WorklistFilter, worklist};
    let store = Store::open_existing(db).unwrap();
    let clock = Clock {
        as_of,
        kind: ClockKind::Historical,
    };
    let v = worklist(store.conn(), &clock, &WorklistFilter::default()).unwrap();
    let model = (v.lost_total.unwrap(), v.lost_taken_off.unwrap());
    let text = run(
        db,
        &[
            "--as-of",
            &as_of.to_string(),
            "worklist",
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cli = (
        json["lost_total"].as_u64().unwrap(),
        json["lost_taken_off"].as_u64().unwrap(),
    );
    (model, cli)
}

fn report_csv(db: &Path, as_of: NaiveDate, from: Option<NaiveDate>, dir: &Path) -> Figures {
    let html = dir.join("report.html");
    let csv_dir = dir.join("csv");
    let mut args = vec![
        "report".to_string(),
        "--to".into(),
        as_of.to_string(),
        "--out".into(),
        html.display().to_string(),
        "--csv".into(),
        csv_dir.display().to_string(),
    ];
    if let Some(from) = from {
        args.extend(["--from".into(), from.to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(db, &args);
    let text = std::fs::read_to_string(csv_dir.join("measures.csv")).unwrap();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut out = Figures::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let num = |i: usize| {
            rec.get(i)
                .filter(|v| !v.is_empty())
                .map(|v| v.parse::<u64>().unwrap())
        };
        let pair = match num(3) {
            Some(count) => (count, None),
            None => (num(4).unwrap(), num(5)),
        };
        out.insert(rec.get(0).unwrap().to_string(), pair);
    }
    out
}

/// The flows a report period decides; every other figure keeps its window.
const FLOWS: [&str; 3] = ["new_enrolments", "deaths", "moves"];

#[test]
fn every_catalogue_figure_is_equal_on_every_surface() {
    let db = common::shared_register();
    let scratch = common::scratch("measures-surfaces");
    let mut taken_off = 0;
    for (i, as_of) in [d(2026, 11, 20), d(2026, 9, 30), d(2026, 3, 31)]
        .into_iter()
        .enumerate()
    {
        let model = tui_model(db, as_of);
        assert_eq!(model.len(), 12, "{model:?}");
        assert_eq!(cli_json(db, as_of), model, "CLI JSON at {as_of}");
        // The CSV's columns (the site table's: the indicators and the call cascade).
        let csv = cli_csv(db, as_of);
        let shared: Vec<_> = csv.keys().filter(|id| model.contains_key(*id)).collect();
        assert_eq!(shared.len(), 7, "{csv:?}");
        for id in shared {
            assert_eq!(csv.get(id), model.get(id), "CLI CSV {id} at {as_of}");
        }
        // The report for the default period (the 12 months to the as-of date), then a quarter:
        // the indicators are the same; only the flows follow the period.
        let dir = scratch.join(format!("{i}-year"));
        let report = report_csv(db, as_of, None, &dir);
        for (id, v) in &model {
            assert_eq!(report.get(id), Some(v), "report CSV {id} at {as_of}");
        }
        assert!(report.contains_key("readmitted"));
        let quarter_from = as_of.checked_sub_months(chrono::Months::new(3)).unwrap();
        let dir = scratch.join(format!("{i}-quarter"));
        let quarter = report_csv(db, as_of, Some(quarter_from), &dir);
        for (id, v) in model.iter().filter(|(id, _)| !FLOWS.contains(&id.as_str())) {
            assert_eq!(
                quarter.get(id),
                Some(v),
                "quarter's report CSV {id} at {as_of}"
            );
        }
        assert_eq!(quarter.get("readmitted"), report.get("readmitted"));
        // The Worklist's lost-to-follow-up list counts the catalogue's `lost` figure, the
        // patients a nurse took off the list included (they are shown apart, not left out).
        let (wl_model, wl_cli) = worklist_lost(db, as_of);
        assert_eq!(wl_model, wl_cli, "worklist model vs CLI JSON at {as_of}");
        assert_eq!(
            Some(&(wl_model.0, model["lost"].1)),
            model.get("lost"),
            "worklist lost vs Progress at {as_of}"
        );
        assert_eq!(report.get("lost"), model.get("lost"));
        taken_off += wl_model.1;
    }
    assert!(
        taken_off > 0,
        "the sample has lost patients a nurse took off the list"
    );
}

#[test]
fn the_measures_command_prints_the_catalogue_in_every_format() {
    let db = common::shared_register();
    let table = run(db, &["measures"]);
    for m in CATALOGUE {
        assert!(table.contains(m.label.en), "{}", m.id);
    }
    let ru = run(db, &["--lang", "ru", "measures"]);
    assert!(ru.contains(CATALOGUE[0].label.ru));
    let csv = run(db, &["measures", "--format", "csv"]);
    assert_eq!(csv.lines().count(), CATALOGUE.len() + 1);
    assert!(csv.contains("CMS122"));
    let json: serde_json::Value =
        serde_json::from_str(&run(db, &["measures", "--format", "json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), CATALOGUE.len());
    assert_eq!(json[0]["label"]["ru"], CATALOGUE[0].label.ru);
}

#[test]
fn every_progress_column_but_the_workload_has_a_catalogue_entry() {
    use acodesk::store::views::progress::Column;
    let mut columns = Column::nurses();
    columns.extend(Column::TRENDS);
    for c in columns {
        match c {
            Column::Outcome(_) | Column::Worklist | Column::Calls => {}
            c => assert!(c.measure().is_some(), "{c:?} has no catalogue entry"),
        }
    }
}
