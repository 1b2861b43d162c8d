//! Counts of every table and of enrolment per programme: `acodesk stats`.

use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

/// The tables `stats` counts, in the order it prints them.
pub const COUNTED_TABLES: &[&str] = &[
    "organizations",
    "staff",
    "patients",
    "diagnoses",
    "observations",
    "encounters",
    "claim_lines",
    "appointments",
    "calls",
];

/// Row counts of the register.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stats {
    /// Rows per table.
    #[serde(flatten)]
    pub tables: BTreeMap<String, u64>,
    /// Patients enrolled per programme id.
    pub enrolled: BTreeMap<String, u64>,
    /// With `--program`: that programme's enrolled patients by status (active, moved, dead).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_status: BTreeMap<String, u64>,
}

/// Open enrolments per programme of the register (every programme, 0 when none).
pub fn enrolled_by_program(conn: &Connection) -> rusqlite::Result<BTreeMap<String, u64>> {
    let mut enrolled = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT p.id, count(e.patient_id) FROM programs p LEFT JOIN enrolments e ON e.program_id = p.id
         AND e.ended_on IS NULL GROUP BY p.id ORDER BY p.id",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (id, n) = row?;
        enrolled.insert(id, n as u64);
    }
    Ok(enrolled)
}

/// Counts every table of the register; with `program`, the enrolment of that programme only and
/// its patients by status.
pub fn stats(conn: &Connection, program: Option<&str>) -> rusqlite::Result<Stats> {
    let mut tables = BTreeMap::new();
    for table in COUNTED_TABLES {
        // Table names come from the constant list above, never from input.
        let sql = match *table {
            "organizations" => "SELECT count(*) FROM organizations",
            "staff" => "SELECT count(*) FROM staff",
            "patients" => "SELECT count(*) FROM patients",
            "diagnoses" => "SELECT count(*) FROM diagnoses",
            "observations" => "SELECT count(*) FROM observations",
            "encounters" => "SELECT count(*) FROM encounters",
            "claim_lines" => "SELECT count(*) FROM claim_lines",
            "appointments" => "SELECT count(*) FROM appointments",
            _ => "SELECT count(*) FROM calls",
        };
        let n: i64 = conn.query_row(sql, [], |r| r.get(0))?;
        tables.insert((*table).to_string(), n as u64);
    }
    let mut enrolled = enrolled_by_program(conn)?;
    enrolled.retain(|id, _| program.is_none_or(|p| p == id));
    let mut by_status = BTreeMap::new();
    if let Some(p) = program {
        enrolled.entry(p.to_string()).or_insert(0);
        let mut stmt = conn.prepare(
            "SELECT pa.status, count(*) FROM enrolments e JOIN patients pa ON pa.id = e.patient_id
             WHERE e.program_id = ?1 AND e.ended_on IS NULL GROUP BY pa.status ORDER BY pa.status",
        )?;
        for row in stmt.query_map([p], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (status, n) = row?;
            by_status.insert(status, n as u64);
        }
    }
    Ok(Stats {
        tables,
        enrolled,
        by_status,
    })
}

/// How recent one feed of the register is: its rows and the latest date it holds on or before an
/// as-of date (the report's "data sources and freshness").
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FeedFreshness {
    /// The table (`encounters`, `observations`, `claim_lines`, `calls`).
    pub table: &'static str,
    /// Rows in the table (as `acodesk stats` counts them).
    pub rows: u64,
    /// The latest date in it on or before the as-of date: an encounter's start, a measurement's
    /// date, a claim's service date, a call's day.
    pub latest: Option<chrono::NaiveDate>,
}

/// The freshness of the feeds the figures are computed from, as of `as_of`.
pub fn freshness(
    conn: &Connection,
    as_of: chrono::NaiveDate,
) -> rusqlite::Result<Vec<FeedFreshness>> {
    let counts = stats(conn, None)?.tables;
    let day = as_of.to_string();
    let mut out = Vec::new();
    for table in ["encounters", "observations", "claim_lines", "calls"] {
        // Fixed statements per table, never built from input.
        let sql = match table {
            "encounters" => {
                "SELECT max(substr(start_at, 1, 10)) FROM encounters WHERE substr(start_at, 1, 10) <= ?1"
            }
            "observations" => {
                "SELECT max(substr(date, 1, 10)) FROM observations WHERE substr(date, 1, 10) <= ?1"
            }
            "claim_lines" => "SELECT max(service_date) FROM claim_lines WHERE service_date <= ?1",
            _ => {
                "SELECT max(substr(called_at, 1, 10)) FROM calls WHERE substr(called_at, 1, 10) <= ?1"
            }
        };
        let latest: Option<String> = conn.query_row(sql, [&day], |r| r.get(0))?;
        out.push(FeedFreshness {
            table,
            rows: counts.get(table).copied().unwrap_or(0),
            latest: latest.and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        });
    }
    Ok(out)
}
