//! The audit trail: who looked at which patient's card, who logged, corrected or changed what, who
//! imported, backed up or restored the register — each with the register's device id and the UTC
//! time.
//!
//! Views, imports, backups and restores are rows of the append-only `audit` table. Calls and the
//! `changes` history (assignments, status changes) already carry their author, device and time in
//! append-only tables, so [`entries`] reads them beside `audit` instead of copying them. Calls that
//! came in through an import are covered by that import's entry and are not listed one by one.

use super::Store;
use super::patients::{self, PatientCard};
use crate::store::import_summary::ImportSummary;
use chrono::{Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

/// Repeated opens of the same card by the same user on the same device within this many minutes
/// are one entry: the dashboard reloads an open card whenever the register changes, and those
/// reloads are not new looks at the record.
pub const VIEW_WINDOW_MINUTES: i64 = 10;

/// The UTC time format of every audit time (sorts as text).
const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// When, UTC (`YYYY-MM-DDTHH:MM:SSZ`).
    pub at: String,
    /// Who (the configured user name, else the login name).
    pub user: String,
    /// The device id of the register the action was taken on.
    pub device: String,
    /// `view`, `import`, `backup`, `restore`, `call`, `call-correction`, `assign`, `status` or
    /// `change`.
    pub action: String,
    /// The patient concerned, if one.
    pub patient_id: Option<String>,
    /// What was acted on: a call id, a changed field, a file or folder.
    pub subject: String,
    /// The rest: a call's outcome, a change's old and new values, an import's row counts.
    pub detail: String,
}

/// Which entries [`entries`] returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only entries about this patient.
    pub patient: Option<String>,
    /// Only entries by this user.
    pub user: Option<String>,
}

fn now() -> String {
    Utc::now().format(TIME_FORMAT).to_string()
}

/// Appends one entry to the `audit` table. `action` must be one of `view`, `import`, `backup`,
/// `restore`, `sync_export`, `sync_apply`, `sync_add_device`, `sync_join`, `contract`, `sync_scope` (the
/// table's CHECK refuses anything else).
pub fn record(
    conn: &Connection,
    user: &str,
    device: &str,
    action: &str,
    patient_id: Option<&str>,
    subject: &str,
    detail: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit (id, at, user_name, device, action, patient_id, subject, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        uuid::Uuid::now_v7().to_string(),
        now(),
        user,
        device,
        action,
        patient_id,
        subject,
        detail
    ])?;
    Ok(())
}

/// Reads a patient's card and records that `user` viewed it (nothing is recorded for a patient
/// who does not exist). The card is returned only once the view is on record: if the entry cannot
/// be written, the card is not shown.
pub fn card_viewed(
    store: &Store,
    user: &str,
    patient_id: &str,
) -> rusqlite::Result<Option<PatientCard>> {
    let Some(card) = patients::card(store.conn(), patient_id)? else {
        return Ok(None);
    };
    record_view(store, user, patient_id)?;
    Ok(Some(card))
}

/// Records a view of a patient's card unless the same user viewed it on this device within
/// [`VIEW_WINDOW_MINUTES`] (checked with a read first, so a reload takes no write lock).
pub fn record_view(store: &Store, user: &str, patient_id: &str) -> rusqlite::Result<()> {
    let device = store.device_id();
    let since = (Utc::now() - Duration::minutes(VIEW_WINDOW_MINUTES))
        .format(TIME_FORMAT)
        .to_string();
    let recent = store
        .conn()
        .prepare_cached(
            "SELECT 1 FROM audit WHERE patient_id = ?1 AND action = 'view' AND user_name = ?2
             AND device = ?3 AND at > ?4 LIMIT 1",
        )?
        .query_row(params![patient_id, user, device, since], |_| Ok(()))
        .optional()?;
    if recent.is_some() {
        return Ok(());
    }
    record(
        store.conn(),
        user,
        &device,
        "view",
        Some(patient_id),
        "",
        "",
    )
}

/// Records an import: the file or folder it read and the rows per table (new / updated /
/// unchanged / rejected).
pub fn record_import(
    store: &Store,
    user: &str,
    source: &str,
    summary: &ImportSummary,
) -> rusqlite::Result<()> {
    let detail = summary
        .tables
        .iter()
        .map(|(table, c)| {
            format!(
                "{table} {} new, {} updated, {} unchanged, {} rejected",
                c.inserted, c.updated, c.unchanged, c.rejected
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    record(
        store.conn(),
        user,
        &store.device_id(),
        "import",
        None,
        source,
        &detail,
    )
}

/// The latest import of one source (a file or folder as it was given), read back from the audit
/// trail: what the report's "data sources and freshness" section lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastImport {
    /// The file or folder imported.
    pub source: String,
    /// When, UTC (`YYYY-MM-DDTHH:MM:SSZ`).
    pub at: String,
    /// Who imported it.
    pub user: String,
    /// The rows of that import per table, in load order.
    pub tables: Vec<(String, crate::store::import_summary::TableCounts)>,
}

impl LastImport {
    /// The rows of the import summed over its tables.
    pub fn total(&self) -> crate::store::import_summary::TableCounts {
        let mut t = crate::store::import_summary::TableCounts::default();
        for (_, c) in &self.tables {
            t.inserted += c.inserted;
            t.updated += c.updated;
            t.unchanged += c.unchanged;
            t.rejected += c.rejected;
        }
        t
    }
}

/// Reads back the detail [`record_import`] writes ("patients 3 new, 0 updated, 1 unchanged, 0
/// rejected; …"); a part it cannot read is left out.
fn parse_import_detail(detail: &str) -> Vec<(String, crate::store::import_summary::TableCounts)> {
    detail
        .split("; ")
        .filter_map(|part| {
            let (table, rest) = part.split_once(' ')?;
            let mut counts = crate::store::import_summary::TableCounts::default();
            for item in rest.split(", ") {
                let (n, what) = item.split_once(' ')?;
                let n: u64 = n.parse().ok()?;
                match what {
                    "new" => counts.inserted = n,
                    "updated" => counts.updated = n,
                    "unchanged" => counts.unchanged = n,
                    "rejected" => counts.rejected = n,
                    _ => return None,
                }
            }
            Some((table.to_string(), counts))
        })
        .collect()
}

/// The latest import of every source on record, most recent first.
pub fn last_imports(conn: &Connection) -> rusqlite::Result<Vec<LastImport>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.subject, a.at, a.user_name, a.detail FROM audit a
         WHERE a.action = 'import'
           AND NOT EXISTS (SELECT 1 FROM audit b WHERE b.action = 'import'
                           AND b.subject = a.subject AND (b.at, b.id) > (a.at, a.id))
         ORDER BY a.at DESC, a.subject",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(LastImport {
            source: r.get(0)?,
            at: r.get(1)?,
            user: r.get(2)?,
            tables: parse_import_detail(&r.get::<_, String>(3)?),
        })
    })?;
    rows.collect()
}

/// The audit trail, oldest first: the `audit` table, the calls logged on a device (corrections
/// marked), and the `changes` history.
pub fn entries(conn: &Connection, filter: &AuditFilter) -> rusqlite::Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT at, user_name, device, action, patient_id, subject, detail FROM (
            SELECT at, user_name, device, action, patient_id, subject, detail, id FROM audit
            UNION ALL
            SELECT called_at || 'Z', user_name, device,
                   CASE WHEN supersedes IS NULL THEN 'call' ELSE 'call-correction' END,
                   patient_id, id,
                   outcome || CASE WHEN supersedes IS NULL THEN '' ELSE ' (corrects ' || supersedes || ')' END,
                   id
            FROM calls WHERE device <> 'import'
            UNION ALL
            SELECT changed_at || 'Z', user_name, device,
                   CASE field WHEN 'nurse_id' THEN 'assign' WHEN 'status' THEN 'status' ELSE 'change' END,
                   patient_id, field,
                   coalesce(old_value, '') || ' -> ' || coalesce(new_value, ''),
                   id
            FROM changes
         )
         WHERE (?1 IS NULL OR patient_id = ?1) AND (?2 IS NULL OR user_name = ?2)
         ORDER BY at, id",
    )?;
    let rows = stmt.query_map(params![filter.patient, filter.user], |r| {
        Ok(AuditEntry {
            at: r.get(0)?,
            user: r.get(1)?,
            device: r.get(2)?,
            action: r.get(3)?,
            patient_id: r.get(4)?,
            subject: r.get(5)?,
            detail: r.get(6)?,
        })
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::types::CallOutcome;
    use crate::store::calls::{NewCall, append};

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("r.db")).unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO organizations (id, name, kind) VALUES ('PC1', 'Поликлиника 1', 'polyclinic');
                 INSERT INTO staff (id, name, role, site_id) VALUES ('N1', 'Иванова', 'nurse', 'PC1');
                 INSERT INTO patients (id, family_name, given_name, sex, birth_date, site_id)
                 VALUES ('P1', 'Иванов', 'Иван', 'M', '1950-01-01', 'PC1'),
                        ('P2', 'Петров', 'Пётр', 'M', '1951-01-01', 'PC1');",
            )
            .unwrap();
        (dir, store)
    }

    #[test]
    fn a_view_is_recorded_once_per_window_and_only_for_real_patients() {
        let (_d, s) = store();
        assert!(card_viewed(&s, "anna", "P1").unwrap().is_some());
        assert!(card_viewed(&s, "anna", "P1").unwrap().is_some(), "a reload");
        assert!(card_viewed(&s, "boris", "P1").unwrap().is_some());
        assert!(card_viewed(&s, "anna", "P404").unwrap().is_none());
        let all = entries(s.conn(), &AuditFilter::default()).unwrap();
        let views: Vec<_> = all.iter().filter(|e| e.action == "view").collect();
        assert_eq!(views.len(), 2, "{all:?}");
        assert!(views.iter().all(|e| e.patient_id.as_deref() == Some("P1")));
        assert!(views[0].at.ends_with('Z'));
        assert_eq!(views[0].device, s.device_id());
    }

    #[test]
    fn calls_corrections_and_changes_appear_beside_the_table() {
        let (_d, mut s) = store();
        let call = NewCall {
            patient_id: "P2".into(),
            outcome: CallOutcome::Refused,
            next_date: None,
            note: "private words".into(),
            user: "anna".into(),
            supersedes: None,
        };
        let first = append(&mut s, &call).unwrap();
        let fix = NewCall {
            outcome: CallOutcome::Died,
            supersedes: Some(first.clone()),
            ..call
        };
        append(&mut s, &fix).unwrap();
        crate::store::assign::assign_patient(&mut s, "P1", "N1", "boss").unwrap();
        let p2 = entries(
            s.conn(),
            &AuditFilter {
                patient: Some("P2".into()),
                user: None,
            },
        )
        .unwrap();
        let actions: Vec<&str> = p2.iter().map(|e| e.action.as_str()).collect();
        assert!(actions.contains(&"call"), "{actions:?}");
        assert!(actions.contains(&"call-correction"), "{actions:?}");
        assert!(actions.contains(&"status"), "{actions:?}");
        assert!(p2.iter().all(|e| !e.detail.contains("private")), "no notes");
        let boss = entries(
            s.conn(),
            &AuditFilter {
                patient: None,
                user: Some("boss".into()),
            },
        )
        .unwrap();
        assert_eq!(boss.len(), 1);
        assert_eq!(boss[0].action, "assign");
        assert_eq!(boss[0].detail, " -> N1");
    }

    #[test]
    fn the_trail_is_append_only() {
        let (_d, s) = store();
        record_view(&s, "anna", "P1").unwrap();
        assert!(s.conn().execute("DELETE FROM audit", []).is_err());
        assert!(
            s.conn()
                .execute("UPDATE audit SET user_name = 'x'", [])
                .is_err()
        );
        assert!(
            record(s.conn(), "anna", "d", "erase", None, "", "").is_err(),
            "unknown actions are refused"
        );
    }

    #[test]
    fn the_latest_import_of_each_source_is_read_back_with_its_rows() {
        use crate::store::import_summary::{ImportSummary, TableCounts};
        let (_d, s) = store();
        let summary = |new: u64, rejected: u64| ImportSummary {
            tables: vec![
                (
                    "patients".into(),
                    TableCounts {
                        inserted: new,
                        updated: 1,
                        unchanged: 2,
                        rejected,
                    },
                ),
                (
                    "claim_lines".into(),
                    TableCounts {
                        inserted: 10,
                        ..TableCounts::default()
                    },
                ),
            ],
            ..ImportSummary::default()
        };
        record_import(&s, "anna", "/data/oms", &summary(5, 0)).unwrap();
        record_import(&s, "anna", "/data/lab.csv", &summary(1, 0)).unwrap();
        record_import(&s, "boris", "/data/oms", &summary(7, 3)).unwrap();
        let last = last_imports(s.conn()).unwrap();
        assert_eq!(last.len(), 2, "{last:?}");
        let oms = last.iter().find(|l| l.source == "/data/oms").unwrap();
        assert_eq!(oms.user, "boris", "the later import of the source");
        assert_eq!(oms.tables.len(), 2);
        assert_eq!(oms.tables[0].1.inserted, 7);
        let t = oms.total();
        assert_eq!(
            (t.inserted, t.updated, t.unchanged, t.rejected),
            (17, 1, 2, 3)
        );
        assert!(parse_import_detail("garbled").is_empty());
    }
}
