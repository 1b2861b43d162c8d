//! Scoped laptops: a device may hold only the patients of its scope, and the hub sends it only
//! theirs.
//!
//! - **The scope** of a device is a set of sites (organization ids) and/or a nurse (a staff id).
//!   Its patients ([`members`]): those registered at one of the sites, assigned to the nurse, or
//!   with an appointment at one of the sites, plus every patient the device itself logged a call
//!   or a change for.
//! - **On the hub**, `sync_scope_held` records which patients the device holds from which outbox
//!   entry on. Before each bundle for the device ([`update`]), the scope is read again: patients
//!   entering it get one outbox entry for that device only, with their whole record and history;
//!   patients leaving it get, in the same entry, a note that they left. Every other entry is
//!   filtered ([`Held::keeps`]) to the patients the device held at that entry's number, so the
//!   same entry is always sent the same way (a resent entry hashes the same).
//! - **On the device**, a patient who left stays until the hub has acknowledged every entry of
//!   the device and none of the device's own rows about them is still unsent ([`prune`]); then
//!   the patient's rows go, calls and history included (the hub holds them all).

use super::filter::{self, Op, Record};
use super::tables::{APPEND_ONLY, HUB_TABLES, Shape, ident, patient_column};
use super::{SyncError, device_id, now_utc};
use crate::store::Store;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::collections::{BTreeSet, HashMap};

/// The local table a hub's bundle notes, in a scoped device's entry, the patients that left.
pub const DROP_TABLE: &str = "sync_scope_drop";

/// The `meta` key a device keeps once it holds only part of the register.
pub const SCOPED_KEY: &str = "sync_scoped";

/// A device's scope: its sites and its nurse (at least one).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scope {
    /// Organization ids.
    pub sites: Vec<String>,
    /// A staff id.
    pub nurse: Option<String>,
}

impl Scope {
    /// A scope from the command line's `--sites S1,S2` and `--nurse N`; `None` when neither is
    /// given (the whole register).
    pub fn from_args(sites: Option<&str>, nurse: Option<&str>) -> Option<Scope> {
        let sites: Vec<String> = sites
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let nurse = nurse
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        (!sites.is_empty() || nurse.is_some()).then_some(Scope { sites, nurse })
    }

    /// The sites as stored (comma-separated), or `None`.
    fn sites_text(&self) -> Option<String> {
        (!self.sites.is_empty()).then(|| self.sites.join(","))
    }

    /// How the audit trail and the CLI write it.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.sites.is_empty() {
            parts.push(format!("sites {}", self.sites.join(",")));
        }
        if let Some(n) = &self.nurse {
            parts.push(format!("nurse {n}"));
        }
        parts.join("; ")
    }
}

/// Refuses a scope naming a site or a nurse the register does not have.
pub fn validate(conn: &Connection, scope: &Scope) -> Result<(), SyncError> {
    for site in &scope.sites {
        let known: Option<i64> = conn
            .query_row("SELECT 1 FROM organizations WHERE id = ?1", [site], |r| {
                r.get(0)
            })
            .optional()?;
        if known.is_none() {
            return Err(SyncError::UnknownSite(site.clone()));
        }
    }
    if let Some(nurse) = &scope.nurse {
        let known: Option<i64> = conn
            .query_row("SELECT 1 FROM staff WHERE id = ?1", [nurse], |r| r.get(0))
            .optional()?;
        if known.is_none() {
            return Err(SyncError::UnknownNurse(nurse.clone()));
        }
    }
    Ok(())
}

/// The scope the hub records for `device` (`None`: the whole register).
pub fn scope_of(conn: &Connection, device: &str) -> rusqlite::Result<Option<Scope>> {
    let row: Option<(Option<String>, Option<String>)> = conn
        .query_row(
            "SELECT scope_sites, scope_nurse FROM sync_peers WHERE device_id = ?1",
            [device],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.and_then(|(sites, nurse)| Scope::from_args(sites.as_deref(), nurse.as_deref())))
}

/// The patients of `scope` for `device`: registered at, assigned to, or with an appointment at
/// one of its sites, or assigned to its nurse, or with a call or a change logged on the device.
pub fn members(
    conn: &Connection,
    device: &str,
    scope: &Scope,
) -> rusqlite::Result<BTreeSet<String>> {
    let sites = serde_json::to_string(&scope.sites).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM patients WHERE site_id IN (SELECT value FROM json_each(?1))
         UNION SELECT id FROM patients WHERE ?2 IS NOT NULL AND nurse_id = ?2
         UNION SELECT patient_id FROM appointments WHERE site_id IN (SELECT value FROM json_each(?1))
         UNION SELECT patient_id FROM calls WHERE device = ?3
         UNION SELECT patient_id FROM changes WHERE device = ?3",
    )?;
    let rows = stmt.query_map(params![sites, scope.nurse, device], |r| r.get(0))?;
    rows.collect()
}

/// On the hub: sets the scope of `device` (recorded in the audit trail by `user`, in the same
/// transaction). It takes effect at the next bundle for the device: patients entering it arrive
/// with their history, patients leaving it are removed from the laptop once acknowledged.
pub fn set_scope(
    store: &mut Store,
    device: &str,
    scope: &Scope,
    user: &str,
) -> Result<(), SyncError> {
    if super::require_role(store.conn())? != super::Role::Hub {
        return Err(SyncError::NeedsHub);
    }
    let peer = super::export::resolve_peer(store.conn(), Some(device))?;
    validate(store.conn(), scope)?;
    let me = store.device_id();
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    if scope_of(&tx, &peer.device_id)?.is_none() {
        // It held the whole register: everything counts as held, so what is outside leaves.
        let issued = super::setup::issued_seq(&tx)? as i64;
        tx.execute(
            "DELETE FROM sync_scope_held WHERE device_id = ?1",
            [&peer.device_id],
        )?;
        tx.execute(
            "INSERT INTO sync_scope_held (device_id, patient_id, since_seq)
             SELECT ?1, id, ?2 FROM patients",
            params![peer.device_id, issued],
        )?;
    }
    tx.execute(
        "UPDATE sync_peers SET scope_sites = ?2, scope_nurse = ?3 WHERE device_id = ?1",
        params![peer.device_id, scope.sites_text(), scope.nurse],
    )?;
    // A new scope is read whole at the next bundle.
    tx.execute(
        "DELETE FROM meta WHERE key = ?1",
        [checked_key(&peer.device_id)],
    )?;
    crate::store::audit::record(
        &tx,
        user,
        &me,
        "sync_scope",
        None,
        &peer.name,
        &format!("{} {}", peer.device_id, scope.describe()),
    )?;
    tx.commit()?;
    Ok(())
}

/// On the hub, when a device is added with a scope: records it and that the device holds
/// `patients` from the entry after `seq` on.
pub(crate) fn register(
    conn: &Connection,
    device: &str,
    scope: &Scope,
    patients: &BTreeSet<String>,
    seq: u64,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sync_peers SET scope_sites = ?2, scope_nurse = ?3 WHERE device_id = ?1",
        params![device, scope.sites_text(), scope.nurse],
    )?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO sync_scope_held (device_id, patient_id, since_seq) VALUES (?1, ?2, ?3)",
    )?;
    for p in patients {
        insert.execute(params![device, p, seq as i64])?;
    }
    set_checked(conn, device, seq)
}

/// What a scope change sent: patients that entered and that left.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moved {
    /// Patients sent with their whole record.
    pub entered: u64,
    /// Patients the device was told to remove.
    pub left: u64,
}

/// On the hub, before a bundle for `device`: reads its scope again and, when patients entered or
/// left it, writes one outbox entry for that device only. Call outside any transaction.
pub fn update(store: &mut Store, device: &str) -> Result<Moved, SyncError> {
    let conn = store.conn();
    let Some(scope) = scope_of(conn, device)? else {
        return Ok(Moved::default());
    };
    conn.execute_batch("ATTACH DATABASE ':memory:' AS sync_scope_scratch")?;
    let result = (|| {
        let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        let key = checked_key(device);
        let checked: Option<u64> = tx
            .query_row("SELECT value FROM meta WHERE key = ?1", [&key], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .and_then(|v| v.parse().ok());
        let issued = super::setup::issued_seq(&tx)?;
        let (entering, leaving): (Vec<String>, Vec<String>) = match checked {
            // Nothing was numbered since the last check: every row that decides the scope (the
            // patients' sites and nurses, appointments, the device's own calls and changes)
            // reaches the outbox before the check, so nobody entered or left.
            Some(c) if c >= issued => (Vec::new(), Vec::new()),
            // Only the patients of the entries since then can have entered or left.
            Some(c) => {
                let sites = serde_json::to_string(&scope.sites).unwrap_or_else(|_| "[]".into());
                let (mut entering, mut leaving) = (Vec::new(), Vec::new());
                for p in touched_since(&tx, c)? {
                    let held: bool = tx
                        .prepare_cached(
                            "SELECT EXISTS (SELECT 1 FROM sync_scope_held
                             WHERE device_id = ?1 AND patient_id = ?2 AND until_seq IS NULL)",
                        )?
                        .query_row(params![device, p], |r| r.get(0))?;
                    match (held, is_member(&tx, device, &sites, &scope, &p)?) {
                        (false, true) => entering.push(p),
                        (true, false) => leaving.push(p),
                        _ => {}
                    }
                }
                (entering, leaving)
            }
            None => {
                let now = members(&tx, device, &scope)?;
                let held: BTreeSet<String> = {
                    let mut stmt = tx.prepare_cached(
                        "SELECT patient_id FROM sync_scope_held WHERE device_id = ?1 AND until_seq IS NULL",
                    )?;
                    let rows = stmt.query_map([device], |r| r.get(0))?;
                    rows.collect::<rusqlite::Result<_>>()?
                };
                (
                    now.difference(&held).cloned().collect(),
                    held.difference(&now).cloned().collect(),
                )
            }
        };
        if entering.is_empty() && leaving.is_empty() {
            set_checked(&tx, device, issued)?;
            tx.commit()?;
            return Ok(Moved::default());
        }
        let entering: Vec<&String> = entering.iter().collect();
        let leaving: Vec<&String> = leaving.iter().collect();
        let (changeset, rows) = snapshot(&tx, &entering, &leaving)?;
        tx.execute(
            "INSERT INTO sync_outbox (captured_at, rows, edits, changeset, for_device)
             VALUES (?1, ?2, 0, ?3, ?4)",
            params![now_utc(), rows as i64, changeset, device],
        )?;
        let seq = tx.last_insert_rowid();
        {
            let mut open = tx.prepare_cached(
                "INSERT INTO sync_scope_held (device_id, patient_id, since_seq) VALUES (?1, ?2, ?3)",
            )?;
            for p in &entering {
                open.execute(params![device, p, seq])?;
            }
            let mut close = tx.prepare_cached(
                "UPDATE sync_scope_held SET until_seq = ?3
                 WHERE device_id = ?1 AND patient_id = ?2 AND until_seq IS NULL",
            )?;
            for p in &leaving {
                close.execute(params![device, p, seq])?;
            }
        }
        set_checked(&tx, device, seq as u64)?;
        tx.commit()?;
        Ok::<_, rusqlite::Error>(Moved {
            entered: entering.len() as u64,
            left: leaving.len() as u64,
        })
    })();
    let _ = conn.execute_batch("DETACH DATABASE sync_scope_scratch");
    Ok(result?)
}

/// Records that `device`'s scope was checked up to entry `seq` (`None`: check it whole next).
pub(crate) fn set_checked(conn: &Connection, device: &str, seq: u64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![checked_key(device), seq.to_string()],
    )?;
    Ok(())
}

/// The changeset inserting every row of the `entering` patients (imported records, calls,
/// changes, audit entries) and a [`DROP_TABLE`] row for each of the `leaving`, with its rows.
fn snapshot(
    tx: &Connection,
    entering: &[&String],
    leaving: &[&String],
) -> rusqlite::Result<(Vec<u8>, u64)> {
    let mut session = rusqlite::session::Session::new_with_name(tx, "sync_scope_scratch")?;
    session.attach::<&str>(None)?;
    let ids = serde_json::to_string(entering).unwrap_or_else(|_| "[]".into());
    let mut rows = 0u64;
    for table in HUB_TABLES.iter().chain(APPEND_ONLY.iter()) {
        let Some(column) = patient_column(table) else {
            continue;
        };
        let shape = Shape::of(tx, "main", table)?;
        tx.execute_batch(&shape.create_sql("sync_scope_scratch", table))?;
        if entering.is_empty() {
            continue;
        }
        rows += tx.execute(
            &format!(
                "INSERT INTO sync_scope_scratch.{t} SELECT * FROM main.{t}
                 WHERE {c} IN (SELECT value FROM json_each(?1))",
                t = ident(table),
                c = ident(column)
            ),
            [&ids],
        )? as u64;
    }
    let shape = Shape::of(tx, "main", DROP_TABLE)?;
    tx.execute_batch(&shape.create_sql("sync_scope_scratch", DROP_TABLE))?;
    for p in leaving {
        rows += tx.execute(
            "INSERT INTO sync_scope_scratch.sync_scope_drop (patient_id, pruning) VALUES (?1, 0)",
            [p],
        )? as u64;
    }
    let mut out = Vec::new();
    session.changeset_strm(&mut out)?;
    Ok((out, rows))
}

/// Whose row a changeset record is.
enum Whose {
    /// A table that is not per patient, or a row about no patient: every device has it.
    Everyone,
    /// This patient's.
    Patient(String),
    /// A row that can no longer be placed (gone from the register).
    Unknown,
}

/// The patient column of each carried table, read from the schema once.
#[derive(Default)]
struct Columns(HashMap<String, Option<(usize, Shape)>>);

impl Columns {
    fn whose(&mut self, conn: &Connection, record: &Record<'_>) -> rusqlite::Result<Whose> {
        if !self.0.contains_key(record.table) {
            let found = match patient_column(record.table) {
                Some(column) => {
                    let shape = Shape::of(conn, "main", record.table)?;
                    shape.position(column).map(|p| (p, shape))
                }
                None => None,
            };
            self.0.insert(record.table.to_string(), found);
        }
        let Some((position, shape)) = &self.0[record.table] else {
            // Not per patient (organizations, staff…): every device has them.
            return Ok(Whose::Everyone);
        };
        let values = match record.op {
            Op::Insert => record.new,
            _ => record.old,
        };
        let patient = match values.get(*position) {
            Some(Some(Value::Text(p))) => Some(p.clone()),
            // About no patient (an audit entry of the register's own): every device has it.
            Some(Some(Value::Null)) => return Ok(Whose::Everyone),
            Some(Some(_)) => None,
            // An update that left the patient alone: the row says whose it is.
            _ => {
                let key: Vec<Value> = shape
                    .key
                    .iter()
                    .filter_map(|k| shape.position(k))
                    .filter_map(|i| values.get(i).cloned().flatten())
                    .collect();
                if key.len() != shape.key.len() {
                    return Ok(Whose::Unknown);
                }
                conn.prepare_cached(&format!(
                    "SELECT {} FROM main.{} WHERE {}",
                    ident(&shape.columns[*position]),
                    ident(record.table),
                    shape.key_match()
                ))?
                .query_row(rusqlite::params_from_iter(key), |r| r.get(0))
                .optional()?
            }
        };
        Ok(patient.map_or(Whose::Unknown, Whose::Patient))
    }
}

/// Which patients a scoped device holds at each outbox entry of the hub: each patient's spans
/// are read when a record of theirs is first met, so filtering costs what the entries hold, not
/// what the device holds.
pub struct Held {
    device: String,
    spans: HashMap<String, Vec<(u64, Option<u64>)>>,
    columns: Columns,
}

impl Held {
    /// The spans recorded for `device`, read as needed.
    pub fn new(device: &str) -> Held {
        Held {
            device: device.to_string(),
            spans: HashMap::new(),
            columns: Columns::default(),
        }
    }

    fn holds(&mut self, conn: &Connection, patient: &str, seq: u64) -> rusqlite::Result<bool> {
        if !self.spans.contains_key(patient) {
            let spans: Vec<(u64, Option<u64>)> = conn
                .prepare_cached(
                    "SELECT since_seq, until_seq FROM sync_scope_held
                     WHERE device_id = ?1 AND patient_id = ?2",
                )?
                .query_map(params![self.device, patient], |r| {
                    let until: Option<i64> = r.get(1)?;
                    Ok((r.get::<_, i64>(0)? as u64, until.map(|u| u as u64)))
                })?
                .collect::<rusqlite::Result<_>>()?;
            self.spans.insert(patient.to_string(), spans);
        }
        Ok(held_at(&self.spans[patient], seq))
    }

    /// Entry `seq`'s changeset with only the rows of patients the device held then (rows of
    /// tables that are not per patient are all kept), with its row count and how many of those
    /// are calls or changes.
    pub fn keeps(
        &mut self,
        conn: &Connection,
        seq: u64,
        changeset: &[u8],
    ) -> rusqlite::Result<(Vec<u8>, u64, u64)> {
        let mut failure = None;
        let mut edits = 0u64;
        let result = filter::filter(changeset, |record| match self.keep(conn, seq, record) {
            Ok(keep) => {
                if keep && matches!(record.table, "calls" | "changes") {
                    edits += 1;
                }
                keep
            }
            Err(e) => {
                failure.get_or_insert(e);
                false
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        let (out, rows) = result.map_err(|_| {
            rusqlite::Error::InvalidParameterName("an outbox entry is not a changeset".into())
        })?;
        Ok((out, rows, edits))
    }

    fn keep(&mut self, conn: &Connection, seq: u64, record: &Record<'_>) -> rusqlite::Result<bool> {
        match self.columns.whose(conn, record)? {
            Whose::Everyone => Ok(true),
            Whose::Patient(p) => self.holds(conn, &p, seq),
            Whose::Unknown => Ok(false),
        }
    }
}

/// Whether spans (from the entry after `since` up to the entry before `until`) cover entry `seq`.
fn held_at(spans: &[(u64, Option<u64>)], seq: u64) -> bool {
    spans
        .iter()
        .any(|(since, until)| *since < seq && until.is_none_or(|u| seq < u))
}

/// The patients the outbox entries after `after` are about (every row's patient): the only ones
/// whose place in a scope can have changed since a check made when `after` was the last entry.
fn touched_since(conn: &Connection, after: u64) -> rusqlite::Result<BTreeSet<String>> {
    let mut columns = Columns::default();
    let mut touched = BTreeSet::new();
    let mut stmt =
        conn.prepare_cached("SELECT changeset FROM sync_outbox WHERE seq > ?1 ORDER BY seq")?;
    let mut rows = stmt.query([after as i64])?;
    while let Some(row) = rows.next()? {
        let changeset: Vec<u8> = row.get(0)?;
        let mut failure = None;
        let read = filter::filter(&changeset, |record| {
            match columns.whose(conn, record) {
                Ok(Whose::Patient(p)) => {
                    touched.insert(p);
                }
                Ok(_) => {}
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
            // Also the patient a changed patient column now names.
            if let Some(Some(Value::Text(p))) = record.new.get(
                columns
                    .0
                    .get(record.table)
                    .and_then(|c| c.as_ref())
                    .map_or(usize::MAX, |(position, _)| *position),
            ) {
                touched.insert(p.clone());
            }
            false
        });
        if let Some(e) = failure {
            return Err(e);
        }
        read.map_err(|_| {
            rusqlite::Error::InvalidParameterName("an outbox entry is not a changeset".into())
        })?;
    }
    Ok(touched)
}

/// Whether `patient` is in `scope` for `device` ([`members`], for one patient).
fn is_member(
    conn: &Connection,
    device: &str,
    sites: &str,
    scope: &Scope,
    patient: &str,
) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM patients WHERE id = ?1
                AND (site_id IN (SELECT value FROM json_each(?2)) OR (?3 IS NOT NULL AND nurse_id = ?3)))
            OR EXISTS (SELECT 1 FROM appointments WHERE patient_id = ?1
                AND site_id IN (SELECT value FROM json_each(?2)))
            OR EXISTS (SELECT 1 FROM calls WHERE device = ?4 AND patient_id = ?1)
            OR EXISTS (SELECT 1 FROM changes WHERE device = ?4 AND patient_id = ?1)",
    )?
    .query_row(params![patient, sites, scope.nurse, device], |r| r.get(0))
}

/// The `meta` key holding the hub's last entry number when `device`'s scope was last read whole
/// or in part (absent: read it whole next time).
fn checked_key(device: &str) -> String {
    format!("sync_scope_checked:{device}")
}

/// Every table with a `patient_id` column (and `patients` last), for removing patients.
fn patient_tables(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT m.name FROM sqlite_schema m, pragma_table_info(m.name) c
         WHERE m.type = 'table' AND c.name = 'patient_id' AND m.name NOT LIKE 'sync_%'
           AND m.name NOT LIKE 'patients_fts%'
         ORDER BY m.name",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// Deletes every row of the patients marked `pruning = 1` in [`DROP_TABLE`], then the marks.
fn delete_marked(conn: &Connection) -> rusqlite::Result<u64> {
    for table in patient_tables(conn)? {
        conn.execute(
            &format!(
                "DELETE FROM {} WHERE patient_id IN
                 (SELECT patient_id FROM sync_scope_drop WHERE pruning = 1)",
                ident(&table)
            ),
            [],
        )?;
    }
    let n = conn.execute(
        "DELETE FROM patients WHERE id IN (SELECT patient_id FROM sync_scope_drop WHERE pruning = 1)",
        [],
    )?;
    conn.execute("DELETE FROM sync_scope_drop WHERE pruning = 1", [])?;
    // SQLite gives a new row the highest rowid plus one: with the highest rows gone, a new call
    // could get a rowid at or below the sweep's mark and never be sent. No row past the lowered
    // mark exists, so lowering it sweeps nothing twice.
    for table in APPEND_ONLY {
        let top = match table {
            "calls" => "SELECT coalesce(max(rowid), 0) FROM calls",
            "changes" => "SELECT coalesce(max(rowid), 0) FROM changes",
            _ => "SELECT coalesce(max(rowid), 0) FROM audit",
        };
        let top: i64 = conn.query_row(top, [], |r| r.get(0))?;
        conn.execute(
            "UPDATE sync_marks SET last_rowid = ?2 WHERE tbl = ?1 AND last_rowid > ?2",
            params![table, top],
        )?;
    }
    Ok(n as u64)
}

/// In a new device's copy: removes every patient outside `keep`, and notes that the copy is
/// scoped.
pub(crate) fn trim_copy(conn: &Connection, keep: &BTreeSet<String>) -> rusqlite::Result<u64> {
    let ids = serde_json::to_string(keep).unwrap_or_else(|_| "[]".into());
    conn.execute(
        "INSERT INTO sync_scope_drop (patient_id, pruning)
         SELECT id, 1 FROM patients WHERE id NOT IN (SELECT value FROM json_each(?1))",
        [ids],
    )?;
    let n = delete_marked(conn)?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, '1') ON CONFLICT (key) DO UPDATE SET value = '1'",
        [SCOPED_KEY],
    )?;
    crate::store::worklist_index::invalidate(conn)?;
    crate::store::progress_index::invalidate(conn)?;
    Ok(n)
}

/// On a device, inside an apply of the hub's bundle: patients the hub says entered the scope
/// again (`patients` inserted for them) lose their pending removal, and their imported records
/// are cleared so the hub's whole record, in the same bundle, replaces them.
pub(crate) fn reenter(conn: &Connection, inserted: &BTreeSet<String>) -> rusqlite::Result<()> {
    for p in inserted {
        let pending = conn.execute("DELETE FROM sync_scope_drop WHERE patient_id = ?1", [p])?;
        if pending == 0 {
            continue;
        }
        for table in HUB_TABLES {
            if table == "patients" || patient_column(table).is_none() {
                continue;
            }
            conn.execute(
                &format!("DELETE FROM {} WHERE patient_id = ?1", ident(table)),
                [p],
            )?;
        }
    }
    Ok(())
}

/// On a device, at the end of an apply of the hub's bundle: removes the patients that left its
/// scope, once the hub has acknowledged every entry of this device and none of this device's
/// own calls, changes or audit entries about them is still waiting to be captured. Returns the
/// patients removed.
pub fn prune(conn: &Connection) -> rusqlite::Result<u64> {
    let pending: i64 = conn.query_row(
        "SELECT count(*) FROM sync_scope_drop WHERE pruning = 0",
        [],
        |r| r.get(0),
    )?;
    if pending == 0 {
        return Ok(0);
    }
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, '1') ON CONFLICT (key) DO UPDATE SET value = '1'",
        [SCOPED_KEY],
    )?;
    let acked: i64 = conn.query_row(
        "SELECT coalesce(min(acked_seq), 0) FROM sync_peers WHERE role = 'hub'",
        [],
        |r| r.get(0),
    )?;
    if (acked as u64) < super::setup::issued_seq(conn)? {
        return Ok(0);
    }
    let me = device_id(conn)?;
    let marks: Vec<i64> = APPEND_ONLY
        .iter()
        .map(|t| super::capture::mark(conn, t))
        .collect::<rusqlite::Result<_>>()?;
    conn.execute(
        "UPDATE sync_scope_drop SET pruning = 1 WHERE pruning = 0
           AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.patient_id = sync_scope_drop.patient_id
                           AND c.device = ?1 AND c.rowid > ?2)
           AND NOT EXISTS (SELECT 1 FROM changes c WHERE c.patient_id = sync_scope_drop.patient_id
                           AND c.device = ?1 AND c.rowid > ?3)
           AND NOT EXISTS (SELECT 1 FROM audit a WHERE a.patient_id = sync_scope_drop.patient_id
                           AND a.device = ?1 AND a.rowid > ?4)",
        params![me, marks[0], marks[1], marks[2]],
    )?;
    let removed = delete_marked(conn)?;
    if removed > 0 {
        crate::store::worklist_index::invalidate(conn)?;
        crate::store::progress_index::invalidate(conn)?;
        crate::store::views::budget_inputs::drop_cached_inputs(conn)?;
    }
    Ok(removed)
}

/// True on a device that holds only part of the register (its search may miss a patient who is
/// outside its scope).
pub fn is_scoped(conn: &Connection) -> rusqlite::Result<bool> {
    Ok(super::role(conn)? == Some(super::Role::Device)
        && conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [SCOPED_KEY], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_comes_from_sites_and_a_nurse() {
        assert_eq!(Scope::from_args(None, None), None);
        assert_eq!(Scope::from_args(Some(" , "), Some(" ")), None);
        let s = Scope::from_args(Some("S1, S2"), None).unwrap();
        assert_eq!(s.sites, ["S1", "S2"]);
        assert_eq!(s.describe(), "sites S1,S2");
        let n = Scope::from_args(None, Some("N1")).unwrap();
        assert_eq!(n.describe(), "nurse N1");
        assert_eq!(n.sites_text(), None);
    }

    #[test]
    fn a_patient_is_held_between_entering_and_leaving() {
        let spans = [(3, Some(7)), (10, None)];
        let at = |seq| held_at(&spans, seq);
        // Entered at 3 (the entry 3 itself carried the whole record), left at 7, back at 10.
        assert!(!at(3));
        assert!(at(4) && at(6));
        assert!(!at(7) && !at(9) && !at(10));
        assert!(at(11));
        assert!(!held_at(&[], 5));
    }
}
