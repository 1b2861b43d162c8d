//! One fact written by two exports of the same data is stored once.
//!
//! Synthea writes one run as CSV and as FHIR: the same patients, encounters and readings, under
//! ids of its own in each (observations have none in the CSV) and with times in UTC in the CSV but
//! in local time with an offset in the Bundles. The two importers therefore recognise each other's
//! rows by what they say, whichever export comes first:
//! - an observation is the same reading when the patient, the LOINC code, the instant it was taken
//!   (compared in UTC, see [`crate::domain::dates::utc_instant`]) and the value agree;
//! - a claim line is the same payment when the register already holds, from the other importer, a
//!   line of the same encounter and category (the CSV pays an encounter in one line, a FHIR
//!   ExplanationOfBenefit in one line per item: both are the insurer's payment for that care).
//!
//! The second import then leaves such rows as they are (counted unchanged).

use crate::domain::types::ObservationKind;
use crate::store::records::{ClaimRow, ObservationRow};
use crate::store::writes::{self, Upsert};
use rusqlite::{OptionalExtension, Transaction, params};

/// The id prefix of Synthea CSV rows (`SYN-`); FHIR lines start `Claim/` or
/// `ExplanationOfBenefit/`.
const SYNTHEA_PREFIX: &str = "SYN-";

/// True when `id` was written by the Synthea CSV importer.
fn from_synthea_csv(id: &str) -> bool {
    id.starts_with(SYNTHEA_PREFIX)
}

/// Writes an observation unless the register holds the same reading under another id (see the
/// module documentation); `taken_at` is the instant in UTC when the source gives a time.
pub fn observation(
    conn: &Transaction<'_>,
    row: &ObservationRow,
    kind: ObservationKind,
    taken_at: Option<&str>,
) -> rusqlite::Result<Upsert> {
    let Some(taken_at) = taken_at else {
        return writes::observation(conn, row, kind);
    };
    let same: Option<String> = conn
        .prepare_cached(
            "SELECT id FROM observations
             WHERE patient_id = ?1 AND loinc = ?2 AND taken_at = ?3 AND id <> ?4
               AND abs(value - ?5) < 1e-9 LIMIT 1",
        )?
        .query_row(
            params![row.patient_id, row.loinc, taken_at, row.id, row.value],
            |r| r.get(0),
        )
        .optional()?;
    if same.is_some() {
        return Ok(Upsert::Unchanged);
    }
    let upsert = writes::observation(conn, row, kind)?;
    conn.prepare_cached(
        "UPDATE observations SET taken_at = ?2 WHERE id = ?1 AND taken_at IS NOT ?2",
    )?
    .execute(params![row.id, taken_at])?;
    Ok(upsert)
}

/// Writes a claim line unless the other importer (Synthea CSV or FHIR) already paid the same
/// encounter's care of the same category (see the module documentation).
pub fn claim(conn: &Transaction<'_>, line: &ClaimRow) -> rusqlite::Result<Upsert> {
    if let Some(encounter) = &line.encounter_id {
        let synthea = from_synthea_csv(&line.id);
        let paid_by_other: Option<i64> = conn
            .prepare_cached(
                "SELECT 1 FROM claim_lines
                 WHERE patient_id = ?5 AND encounter_id = ?1 AND category = ?2 AND id <> ?3
                   AND (substr(id, 1, 4) = 'SYN-') <> ?4
                   AND (substr(id, 1, 4) = 'SYN-' OR substr(id, 1, 6) = 'Claim/'
                        OR substr(id, 1, 21) = 'ExplanationOfBenefit/')
                 LIMIT 1",
            )?
            .query_row(
                params![
                    encounter,
                    line.category.as_code(),
                    line.id,
                    synthea,
                    line.patient_id
                ],
                |r| r.get(0),
            )
            .optional()?;
        if paid_by_other.is_some() {
            return Ok(Upsert::Unchanged);
        }
    }
    writes::claim(conn, line)
}
