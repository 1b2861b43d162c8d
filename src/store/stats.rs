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
}

/// Counts every table of the register.
pub fn stats(conn: &Connection) -> rusqlite::Result<Stats> {
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
    let mut enrolled = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT p.id, count(e.patient_id) FROM programs p LEFT JOIN enrolments e ON e.program_id = p.id
         AND e.ended_on IS NULL GROUP BY p.id ORDER BY p.id",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (id, n) = row?;
        enrolled.insert(id, n as u64);
    }
    Ok(Stats { tables, enrolled })
}
