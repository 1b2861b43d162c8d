//! The report's CSV files and the command line's JSON carry the same figures (#18): the call
//! cascade and readmissions by site against `progress --format json`, readmissions by hospital
//! against `readmissions --format json`, the trends against `progress --by month --format json`,
//! spend by category against `finance --format json`, the indicators against `progress`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use serde_json::Value;
use std::path::Path;

fn json(db: &str, args: &[&str]) -> Value {
    let out = common::command()
        .args(["--db", db])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let mut rows = vec![r.headers().unwrap().iter().map(String::from).collect()];
    for rec in r.records() {
        rows.push(rec.unwrap().iter().map(String::from).collect());
    }
    rows
}

/// The cell of `row` under the header `name`.
fn cell<'a>(rows: &'a [Vec<String>], row: &'a [String], name: &str) -> &'a str {
    let i = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    &row[i]
}

fn ratio(v: &Value) -> (String, String) {
    (
        v["numerator"].as_u64().unwrap().to_string(),
        v["denominator"].as_u64().unwrap().to_string(),
    )
}

#[test]
fn the_reports_csv_files_and_the_cli_json_agree() {
    let db = common::private_copy("report-twins");
    let db = db.to_str().unwrap();
    let dir = common::scratch("report-twins-out");
    let out = common::command()
        .args(["--db", db, "report", "--out"])
        .arg(dir.join("r.html"))
        .arg("--csv")
        .arg(dir.join("csv"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let csv = |name: &str| read_csv(&dir.join("csv").join(name));

    // The cascade and readmissions by site: the Progress board's groups and total.
    let progress = json(db, &["progress", "--format", "json"]);
    let cascade = csv("cascade.csv");
    let by_site = csv("readmissions_by_site.csv");
    let groups = progress["groups"].as_array().unwrap();
    assert_eq!(cascade.len(), groups.len() + 2, "header, sites, total");
    for (i, g) in groups.iter().enumerate() {
        let (row, readm) = (&cascade[i + 1], &by_site[i + 1]);
        let id = g["id"].as_str().unwrap();
        let id = if id.is_empty() { "unassigned" } else { id };
        assert_eq!(cell(&cascade, row, "site_id"), id);
        assert_eq!(
            cell(&cascade, row, "overdue"),
            g["cascade"]["overdue"].to_string()
        );
        for stage in ["contactable", "called", "reached", "returned"] {
            assert_eq!(
                (
                    cell(&cascade, row, &format!("{stage}_num")).to_string(),
                    cell(&cascade, row, &format!("{stage}_den")).to_string()
                ),
                ratio(&g["cascade"][stage]),
                "{id} {stage}"
            );
        }
        assert_eq!(
            cell(&cascade, row, "calls"),
            g["workload"]["calls"].to_string()
        );
        let agreed = g["workload"]["by_outcome"]["agreed_visit"]
            .as_u64()
            .unwrap_or(0);
        assert_eq!(
            cell(&cascade, row, "calls_agreed_visit"),
            agreed.to_string()
        );
        assert_eq!(cell(&by_site, readm, "site_id"), id);
        assert_eq!(
            (
                cell(&by_site, readm, "readmissions").to_string(),
                cell(&by_site, readm, "index_stays").to_string()
            ),
            ratio(&g["readmissions"])
        );
    }
    let total = cascade.last().unwrap();
    assert_eq!(
        cell(&cascade, total, "overdue"),
        progress["total"]["cascade"]["overdue"].to_string()
    );

    // Readmissions by hospital.
    let readm = json(db, &["readmissions", "--format", "json"]);
    let by_hospital = csv("readmissions_by_hospital.csv");
    let orgs = readm["by_organization"].as_array().unwrap();
    assert_eq!(by_hospital.len(), orgs.len() + 2);
    for (o, row) in orgs.iter().zip(&by_hospital[1..]) {
        let id = o["organization_id"].as_str().unwrap_or("not_recorded");
        assert_eq!(cell(&by_hospital, row, "organization_id"), id);
        assert_eq!(
            cell(&by_hospital, row, "index_stays"),
            o["index_stays"].to_string()
        );
        assert_eq!(
            cell(&by_hospital, row, "readmissions"),
            o["readmissions"].to_string()
        );
    }
    let total = by_hospital.last().unwrap();
    assert_eq!(
        cell(&by_hospital, total, "readmissions"),
        readm["readmissions"].to_string()
    );

    // The trends: each month end of `progress --by month`.
    let months = json(db, &["progress", "--by", "month", "--format", "json"]);
    let trends = csv("trends.csv");
    let months = months["groups"].as_array().unwrap();
    assert_eq!(trends.len(), months.len() + 1);
    for (m, row) in months.iter().zip(&trends[1..]) {
        assert_eq!(cell(&trends, row, "month_end"), m["name"].as_str().unwrap());
        for (code, key) in [
            ("hba1c_tested", "hba1c_tested_6m"),
            ("poor_control", "hba1c_poor_control"),
            ("controlled", "hba1c_controlled"),
            ("bp_controlled", "bp_controlled"),
            ("missed_visit", "missed_visit_3m"),
            ("lost", "lost_to_follow_up_12m"),
        ] {
            assert_eq!(
                (
                    cell(&trends, row, &format!("{code}_num")).to_string(),
                    cell(&trends, row, &format!("{code}_den")).to_string()
                ),
                ratio(&m["tally"][key]),
                "{} {code}",
                m["name"]
            );
        }
        assert_eq!(
            (
                cell(&trends, row, "readmitted_num").to_string(),
                cell(&trends, row, "readmitted_den").to_string()
            ),
            ratio(&m["readmissions"])
        );
    }

    // Spend by category: `finance --format json`'s year-to-date sums.
    let finance = json(db, &["finance", "--format", "json"]);
    let spend = csv("spend_by_category.csv");
    let mut covered = 0.0;
    for row in &spend[1..] {
        let category = cell(&spend, row, "category");
        let paid: f64 = cell(&spend, row, "paid").parse().unwrap();
        let key = match cell(&spend, row, "in_benchmark") {
            _ if category == "covered" => {
                assert!((paid - covered).abs() < 0.005, "{paid} {covered}");
                continue;
            }
            "true" => "spend_by_category",
            _ => "spend_outside_benchmark",
        };
        let json_paid = finance[key][category].as_f64().unwrap();
        assert!(
            (paid - json_paid).abs() < 0.005,
            "{category}: {paid} {json_paid}"
        );
        if key == "spend_by_category" {
            covered += paid;
        }
    }
    assert!(spend.len() > 2, "the sample has spend");
}
