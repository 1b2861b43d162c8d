//! The register's schema as a list of forward-only migrations.
//!
//! Migration `n` (1-based) takes a database from `PRAGMA user_version = n - 1` to `n`. Steps are never
//! edited once released: a change is a new step appended at the end.

/// The SQL of each migration step, in order.
pub const MIGRATIONS: &[&str] = &[
    MIGRATION_1,
    MIGRATION_SYNC,
    MIGRATION_WORKLIST_RECHECK,
    MIGRATION_PROGRESS_INDEX,
    MIGRATION_SYNC_REGION,
    MIGRATION_MEASURES,
    MIGRATION_SAVINGS,
    MIGRATION_SOURCE_FACTS,
    MIGRATION_MONEY_BY_PAYER,
    MIGRATION_WORKLIST_SECTIONS,
    MIGRATION_SYNC_SCOPE,
    MIGRATION_PROGRESS_RECHECK,
    MIGRATION_MEASUREMENT_KINDS,
    MIGRATION_FOLD_ICD10,
];

/// Version 1: the whole register.
const MIGRATION_1: &str = r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE organizations (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN ('hospital','polyclinic','diagnostic','other')),
    region  TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE staff (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    role    TEXT NOT NULL CHECK (role IN ('nurse','manager')),
    site_id TEXT REFERENCES organizations(id)
) STRICT;

CREATE TABLE patients (
    id            TEXT PRIMARY KEY,
    policy_number TEXT,
    snils         TEXT,
    family_name   TEXT NOT NULL,
    given_name    TEXT NOT NULL,
    patronymic    TEXT NOT NULL DEFAULT '',
    sex           TEXT NOT NULL CHECK (sex IN ('F','M','U')),
    birth_date    TEXT NOT NULL,
    death_date    TEXT,
    phone         TEXT,
    phone2        TEXT,
    locality      TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    site_id       TEXT REFERENCES organizations(id),
    nurse_id      TEXT REFERENCES staff(id),
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','moved','dead')),
    moved_on      TEXT,
    -- Name, phones and policy folded for search (lower case, ё→е, digits only for phones).
    search_text   TEXT NOT NULL DEFAULT '',
    -- Family name folded for Russian-alphabet ordering.
    sort_name     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX patients_by_site ON patients(site_id, status);
CREATE INDEX patients_by_nurse ON patients(nurse_id, status);
CREATE INDEX patients_by_sort_name ON patients(sort_name, id);
CREATE INDEX patients_by_policy ON patients(policy_number);
-- Trigram full-text index of the folded search text, so finding "смирнов" among a million
-- patients reads a few index pages instead of scanning every row (words of 3+ characters).
CREATE VIRTUAL TABLE patients_fts USING fts5(search_text, content = 'patients', content_rowid = 'rowid', tokenize = 'trigram');
CREATE TRIGGER patients_fts_insert AFTER INSERT ON patients BEGIN
    INSERT INTO patients_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER patients_fts_delete AFTER DELETE ON patients BEGIN
    INSERT INTO patients_fts (patients_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER patients_fts_update AFTER UPDATE OF search_text ON patients BEGIN
    INSERT INTO patients_fts (patients_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO patients_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;

CREATE TABLE programs (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    -- The inclusion code list and thresholds, as the TOML the program was defined with.
    definition_toml TEXT NOT NULL
) STRICT;

CREATE TABLE enrolments (
    patient_id  TEXT NOT NULL REFERENCES patients(id),
    program_id  TEXT NOT NULL REFERENCES programs(id),
    enrolled_on TEXT NOT NULL,
    ended_on    TEXT,
    PRIMARY KEY (patient_id, program_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX enrolments_by_program ON enrolments(program_id, enrolled_on);

CREATE TABLE diagnoses (
    patient_id  TEXT NOT NULL REFERENCES patients(id),
    system      TEXT NOT NULL CHECK (system IN ('icd10','snomed')),
    code        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    onset_date  TEXT NOT NULL,
    PRIMARY KEY (patient_id, system, code, onset_date)
) STRICT, WITHOUT ROWID;

CREATE TABLE observations (
    id          TEXT PRIMARY KEY,
    patient_id  TEXT NOT NULL REFERENCES patients(id),
    kind        TEXT NOT NULL CHECK (kind IN ('hba1c','glucose','systolic','diastolic','weight')),
    loinc       TEXT NOT NULL,
    value       REAL NOT NULL,
    unit        TEXT NOT NULL,
    date        TEXT NOT NULL,
    site_id     TEXT REFERENCES organizations(id)
) STRICT;
CREATE INDEX observations_by_patient ON observations(patient_id, kind, date);

CREATE TABLE encounters (
    id              TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL REFERENCES patients(id),
    class           TEXT NOT NULL CHECK (class IN ('inpatient','emergency','outpatient','home','virtual')),
    start_at        TEXT NOT NULL,
    end_at          TEXT,
    organization_id TEXT REFERENCES organizations(id),
    planned         INTEGER NOT NULL DEFAULT 0 CHECK (planned IN (0,1)),
    disposition     TEXT CHECK (disposition IN ('home','ama','died','transfer_acute','other')),
    cost_minor      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX encounters_by_patient ON encounters(patient_id, start_at);
CREATE INDEX encounters_by_class ON encounters(class, patient_id, start_at);

CREATE TABLE claim_lines (
    id              TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL REFERENCES patients(id),
    service_date    TEXT NOT NULL,
    paid_minor      INTEGER NOT NULL,
    category        TEXT NOT NULL CHECK (category IN ('inpatient','outpatient','emergency','drugs','other')),
    organization_id TEXT REFERENCES organizations(id),
    encounter_id    TEXT
) STRICT;
CREATE INDEX claim_lines_by_patient ON claim_lines(patient_id, service_date);

-- Monthly spend kept up to date by every write to claim_lines, so the Budget tab never scans claims.
CREATE TABLE claim_month_totals (
    month           TEXT NOT NULL,
    category        TEXT NOT NULL,
    organization_id TEXT NOT NULL DEFAULT '',
    paid_minor      INTEGER NOT NULL,
    lines           INTEGER NOT NULL,
    PRIMARY KEY (month, category, organization_id)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER claim_lines_total_insert AFTER INSERT ON claim_lines BEGIN
    INSERT INTO claim_month_totals (month, category, organization_id, paid_minor, lines)
    VALUES (substr(NEW.service_date, 1, 7), NEW.category, coalesce(NEW.organization_id, ''), NEW.paid_minor, 1)
    ON CONFLICT (month, category, organization_id)
    DO UPDATE SET paid_minor = paid_minor + excluded.paid_minor, lines = lines + 1;
END;
CREATE TRIGGER claim_lines_total_delete AFTER DELETE ON claim_lines BEGIN
    UPDATE claim_month_totals SET paid_minor = paid_minor - OLD.paid_minor, lines = lines - 1
    WHERE month = substr(OLD.service_date, 1, 7) AND category = OLD.category
      AND organization_id = coalesce(OLD.organization_id, '');
END;
CREATE TRIGGER claim_lines_total_update AFTER UPDATE ON claim_lines BEGIN
    UPDATE claim_month_totals SET paid_minor = paid_minor - OLD.paid_minor, lines = lines - 1
    WHERE month = substr(OLD.service_date, 1, 7) AND category = OLD.category
      AND organization_id = coalesce(OLD.organization_id, '');
    INSERT INTO claim_month_totals (month, category, organization_id, paid_minor, lines)
    VALUES (substr(NEW.service_date, 1, 7), NEW.category, coalesce(NEW.organization_id, ''), NEW.paid_minor, 1)
    ON CONFLICT (month, category, organization_id)
    DO UPDATE SET paid_minor = paid_minor + excluded.paid_minor, lines = lines + 1;
END;

CREATE TABLE appointments (
    id          TEXT PRIMARY KEY,
    patient_id  TEXT NOT NULL REFERENCES patients(id),
    date        TEXT NOT NULL,
    site_id     TEXT REFERENCES organizations(id)
) STRICT;
CREATE INDEX appointments_by_patient ON appointments(patient_id, date);

-- The follow-up call log: append-only. A correction is a new row naming the row it supersedes.
CREATE TABLE calls (
    id          TEXT PRIMARY KEY,
    patient_id  TEXT NOT NULL REFERENCES patients(id),
    called_at   TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    device      TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('agreed_visit','call_back','refused','no_answer',
                    'invalid_number','already_visited','moved','died')),
    next_date   TEXT,
    note        TEXT NOT NULL DEFAULT '',
    supersedes  TEXT REFERENCES calls(id)
) STRICT;
CREATE INDEX calls_by_patient ON calls(patient_id, called_at);
-- Finding the entries a correction superseded (few rows: a partial index).
CREATE INDEX calls_by_supersedes ON calls(supersedes) WHERE supersedes IS NOT NULL;
CREATE TRIGGER calls_no_update BEFORE UPDATE ON calls BEGIN
    SELECT RAISE(ABORT, 'the call log is append-only: log a correction instead');
END;
CREATE TRIGGER calls_no_delete BEFORE DELETE ON calls BEGIN
    SELECT RAISE(ABORT, 'the call log is append-only: log a correction instead');
END;

-- The worklist for one clock (meta 'worklist_clock'), kept current by every write: see
-- store/worklist_index.rs. neg_days is -days_overdue so one ascending index gives the list order
-- (version 3 renames it late_since: see MIGRATION_WORKLIST_RECHECK).
CREATE TABLE worklist_entries (
    patient_id  TEXT PRIMARY KEY REFERENCES patients(id),
    on_list     INTEGER NOT NULL,
    lost        INTEGER NOT NULL,
    priority    INTEGER NOT NULL,
    neg_days    INTEGER NOT NULL,
    due         TEXT,
    reasons     INTEGER NOT NULL,
    entry_json  TEXT,
    site_id     TEXT,
    nurse_id    TEXT,
    has_phone   INTEGER NOT NULL,
    last_visit  TEXT
) STRICT;
CREATE INDEX worklist_order ON worklist_entries(on_list, priority, neg_days, patient_id);
CREATE INDEX worklist_lost ON worklist_entries(lost, last_visit, patient_id);

-- Every change a user makes to a patient's record (assignment, status), append-only, with the
-- old value kept: the history behind "who changed what" and the loser of a sync conflict.
CREATE TABLE changes (
    id          TEXT PRIMARY KEY,
    changed_at  TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    device      TEXT NOT NULL,
    patient_id  TEXT NOT NULL REFERENCES patients(id),
    field       TEXT NOT NULL,
    old_value   TEXT,
    new_value   TEXT
) STRICT;
CREATE INDEX changes_by_patient ON changes(patient_id, changed_at);
CREATE TRIGGER changes_no_update BEFORE UPDATE ON changes BEGIN
    SELECT RAISE(ABORT, 'the change history is append-only');
END;
CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes BEGIN
    SELECT RAISE(ABORT, 'the change history is append-only');
END;

-- The pilot's contract: the active preset's name and its TOML text, editable.
CREATE TABLE contract (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    preset     TEXT NOT NULL,
    toml       TEXT NOT NULL
) STRICT;

-- The audit trail, append-only: who opened which patient's card, who imported what, who backed the
-- register up or restored it. Calls and `changes` already carry their author, device and time, so
-- `acodesk audit` reads them beside this table rather than copying them here. Times are UTC.
CREATE TABLE audit (
    id          TEXT PRIMARY KEY,
    at          TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    device      TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('view','import','backup','restore')),
    patient_id  TEXT,
    subject     TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_by_patient ON audit(patient_id, at) WHERE patient_id IS NOT NULL;
CREATE INDEX audit_by_time ON audit(at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
"#;

/// Version 2: offline sync between the hub and the devices (see `src/sync/`). The register's role
/// and its hub are `meta` keys (`sync_role`, `sync_hub`); nothing here changes the tables above.
const MIGRATION_SYNC: &str = r#"
-- What this register has captured for the other side, numbered by its own sequence: each entry
-- is one SQLite session changeset. Entries every peer has acknowledged are removed.
-- AUTOINCREMENT: a number once used is never given again, even after every entry was removed.
CREATE TABLE sync_outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    captured_at TEXT NOT NULL,
    -- Row changes in the changeset, and how many of them are calls or patient changes (the
    -- "unsent" figure of the header: card views are not counted).
    rows        INTEGER NOT NULL,
    edits       INTEGER NOT NULL,
    changeset   BLOB NOT NULL
) STRICT;

-- The registers this one exchanges with: a device knows its hub, the hub knows its devices.
CREATE TABLE sync_peers (
    device_id     TEXT PRIMARY KEY,
    -- 'hub' or 'device' (written by src/sync only; no CHECK: the import's CHECKED_COLUMNS
    -- list covers the tables an import writes).
    role          TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    registered_at TEXT NOT NULL,
    -- The last of the peer's outbox entries applied here (its entries are applied in order).
    applied_seq   INTEGER NOT NULL DEFAULT 0,
    -- The last of our outbox entries the peer said it has applied.
    acked_seq     INTEGER NOT NULL DEFAULT 0,
    -- The last successful exchange with the peer (UTC).
    last_sync_at  TEXT
) STRICT;

-- How far each append-only table (calls, changes, audit) has been swept into the outbox, by rowid.
CREATE TABLE sync_marks (
    tbl        TEXT PRIMARY KEY,
    last_rowid INTEGER NOT NULL
) STRICT;
"#;

/// Version 3: the daily refresh of the stored worklist recomputes only the patients whose verdict
/// can change that day (`domain::worklist::recheck_on`, store/worklist_index.rs), and the list is
/// ordered by the date lateness started (which does not move from day to day) rather than by the
/// days overdue (which do).
const MIGRATION_WORKLIST_RECHECK: &str = r#"
-- For every patient the stored worklist evaluated: the first day the verdict can change.
CREATE TABLE worklist_recheck (
    patient_id  TEXT PRIMARY KEY,
    recheck_on  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX worklist_recheck_by_day ON worklist_recheck(recheck_on);

-- late_since: days since 1970-01-01 of the earliest due date already late (smallest = most days
-- overdue); 2^40 when nothing is late. The stored list is rebuilt on first use.
DROP INDEX worklist_order;
ALTER TABLE worklist_entries RENAME COLUMN neg_days TO late_since;
CREATE INDEX worklist_order ON worklist_entries(on_list, priority, late_since, patient_id);
DELETE FROM worklist_entries;
DELETE FROM meta WHERE key = 'worklist_clock';
"#;

/// The stored Progress figures for one clock (meta `progress_clock`), kept current by every write:
/// see `store/progress_index.rs`.
const MIGRATION_PROGRESS_INDEX: &str = r#"
-- Each enrolled patient's counters and list facts at every period end (domain/progress_codec.rs).
CREATE TABLE progress_facts (
    patient_id  TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL,
    nurse_id    TEXT NOT NULL,
    facts       BLOB NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX progress_facts_by_group ON progress_facts(site_id, nurse_id);
-- Their sums per period end and (site, nurse), moved by each patient's difference on a write.
CREATE TABLE progress_totals (
    period_end  TEXT NOT NULL,
    site_id     TEXT NOT NULL,
    nurse_id    TEXT NOT NULL,
    counts      BLOB NOT NULL,
    PRIMARY KEY (period_end, site_id, nurse_id)
) STRICT, WITHOUT ROWID;
"#;

/// Sync for a whole region (#23): the values an import last wrote into the fields users change
/// too (so a re-import never undoes a user's change: `store/imported_values.rs`), each device's
/// bundle key (`src/sync/seal.rs`), what the last entry applied from each peer was (an old
/// copy of a register is recognised: `src/sync/apply.rs`), and sync operations in the audit trail.
const MIGRATION_SYNC_REGION: &str = r#"
-- For patients a later import compared: the phones, status and nurse the import last wrote.
-- Without a row: the value before the field's first recorded change, or the current value.
CREATE TABLE patient_imported (
    patient_id  TEXT PRIMARY KEY,
    phone       TEXT,
    phone2      TEXT,
    status      TEXT,
    nurse_id    TEXT
) STRICT, WITHOUT ROWID;

-- The key sealing the bundles exchanged with the peer (32 random bytes; on a device, its own).
ALTER TABLE sync_peers ADD COLUMN bundle_key BLOB;
-- The SHA-256 of the changeset of the last entry applied from the peer (an entry with that number
-- and other contents comes from another register: a copy).
ALTER TABLE sync_peers ADD COLUMN applied_hash BLOB;

-- The audit trail gains the sync operations (a new CHECK needs a new table: SQLite cannot alter one).
CREATE TABLE audit_new (
    id          TEXT PRIMARY KEY,
    at          TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    device      TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('view','import','backup','restore',
                    'sync_export','sync_apply','sync_add_device','sync_join')),
    patient_id  TEXT,
    subject     TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
) STRICT;
-- The rowids stay: sync sweeps the audit trail by rowid (sync_marks).
INSERT INTO audit_new (rowid, id, at, user_name, device, action, patient_id, subject, detail)
    SELECT rowid, id, at, user_name, device, action, patient_id, subject, detail FROM audit;
DROP TABLE audit;
ALTER TABLE audit_new RENAME TO audit;
CREATE INDEX audit_by_patient ON audit(patient_id, at) WHERE patient_id IS NOT NULL;
CREATE INDEX audit_by_time ON audit(at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
"#;

/// The published measures' inputs (issue #18): an encounter's principal (rank 1) ICD-10 diagnosis,
/// which leaves index stays for cancer treatment, psychiatry or rehabilitation out of the 30-day
/// readmission measure (`domain/readmission_cohort.rs`), and the date a patient entered hospice or
/// palliative care, which excludes them from CMS122 and CMS165. Both optional: NULL when unknown.
/// The readmission and quality rules changed with it, so the stored worklist and Progress figures
/// are dropped and rebuilt on first use.
const MIGRATION_MEASURES: &str = r#"
ALTER TABLE encounters ADD COLUMN principal_dx TEXT;
ALTER TABLE patients ADD COLUMN palliative_since TEXT;
DELETE FROM worklist_entries;
DELETE FROM worklist_recheck;
DELETE FROM progress_facts;
DELETE FROM progress_totals;
DELETE FROM meta WHERE key IN ('worklist_clock', 'progress_clock');
"#;

/// Each claim line keeps the date it was received (the file's `received` column, else the import
/// date), and the monthly totals are kept by (service month, received date), so a projection as of
/// a past date counts only the claims received by then and the claims lag can be measured from the
/// register's own history (issue #19). Lines stored before this step have no date (`''` in the
/// totals) and count as received on any date. The audit trail also records contract changes
/// (action `contract`): its CHECK is widened by rebuilding the table, rowids kept (sync reads them).
const MIGRATION_SAVINGS: &str = r#"
DROP TRIGGER audit_no_update;
DROP TRIGGER audit_no_delete;
ALTER TABLE audit RENAME TO audit_before_savings;
CREATE TABLE audit (
    id          TEXT PRIMARY KEY,
    at          TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    device      TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('view','import','backup','restore',
                    'sync_export','sync_apply','sync_add_device','sync_join','contract')),
    patient_id  TEXT,
    subject     TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO audit (rowid, id, at, user_name, device, action, patient_id, subject, detail)
SELECT rowid, id, at, user_name, device, action, patient_id, subject, detail FROM audit_before_savings;
DROP TABLE audit_before_savings;
CREATE INDEX audit_by_patient ON audit(patient_id, at) WHERE patient_id IS NOT NULL;
CREATE INDEX audit_by_time ON audit(at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

ALTER TABLE claim_lines ADD COLUMN received_on TEXT;
DROP TRIGGER claim_lines_total_insert;
DROP TRIGGER claim_lines_total_update;
DROP TRIGGER claim_lines_total_delete;
DROP TABLE claim_month_totals;
CREATE TABLE claim_month_totals (
    month           TEXT NOT NULL,
    received_on     TEXT NOT NULL DEFAULT '',
    category        TEXT NOT NULL,
    organization_id TEXT NOT NULL DEFAULT '',
    paid_minor      INTEGER NOT NULL,
    lines           INTEGER NOT NULL,
    PRIMARY KEY (month, received_on, category, organization_id)
) STRICT, WITHOUT ROWID;
INSERT INTO claim_month_totals (month, received_on, category, organization_id, paid_minor, lines)
SELECT substr(service_date, 1, 7), coalesce(received_on, ''), category, coalesce(organization_id, ''),
       sum(paid_minor), count(*)
FROM claim_lines GROUP BY 1, 2, 3, 4;
CREATE TRIGGER claim_lines_total_insert AFTER INSERT ON claim_lines BEGIN
    INSERT INTO claim_month_totals (month, received_on, category, organization_id, paid_minor, lines)
    VALUES (substr(NEW.service_date, 1, 7), coalesce(NEW.received_on, ''), NEW.category,
            coalesce(NEW.organization_id, ''), NEW.paid_minor, 1)
    ON CONFLICT (month, received_on, category, organization_id)
    DO UPDATE SET paid_minor = paid_minor + excluded.paid_minor, lines = lines + 1;
END;
CREATE TRIGGER claim_lines_total_delete AFTER DELETE ON claim_lines BEGIN
    UPDATE claim_month_totals SET paid_minor = paid_minor - OLD.paid_minor, lines = lines - 1
    WHERE month = substr(OLD.service_date, 1, 7) AND received_on = coalesce(OLD.received_on, '')
      AND category = OLD.category AND organization_id = coalesce(OLD.organization_id, '');
END;
CREATE TRIGGER claim_lines_total_update AFTER UPDATE ON claim_lines BEGIN
    UPDATE claim_month_totals SET paid_minor = paid_minor - OLD.paid_minor, lines = lines - 1
    WHERE month = substr(OLD.service_date, 1, 7) AND received_on = coalesce(OLD.received_on, '')
      AND category = OLD.category AND organization_id = coalesce(OLD.organization_id, '');
    INSERT INTO claim_month_totals (month, received_on, category, organization_id, paid_minor, lines)
    VALUES (substr(NEW.service_date, 1, 7), coalesce(NEW.received_on, ''), NEW.category,
            coalesce(NEW.organization_id, ''), NEW.paid_minor, 1)
    ON CONFLICT (month, received_on, category, organization_id)
    DO UPDATE SET paid_minor = paid_minor + excluded.paid_minor, lines = lines + 1;
END;
"#;

/// An observation keeps the instant it was taken, in UTC, when its source gives one (Synthea's CSV
/// and FHIR imports), so that the same reading from a second export of the same data (the CSV in
/// UTC, the Bundles in local time with an offset) is recognised and not stored twice (issue #24).
/// Rows stored before this step, and rows of sources with dates only, have none.
const MIGRATION_SOURCE_FACTS: &str = r#"
ALTER TABLE observations ADD COLUMN taken_at TEXT;
CREATE INDEX observations_same_fact ON observations(patient_id, loinc, taken_at)
    WHERE taken_at IS NOT NULL;
"#;

/// Money by who pays it (issue #19, item 7): day-hospital care (дневной стационар) is its own
/// encounter class and claim category, `day_hospital`, and a claim line may say who funds it
/// (`funding`: `oms` for the Fund, `llo` for the subsidised-drug programmes, ЛЛО/ОНЛС; NULL when
/// the source does not say). SQLite cannot change a CHECK in place, so `encounters` and
/// `claim_lines` are rebuilt (STRICT, rowids, rows, indexes and the claim-totals triggers kept;
/// the totals themselves do not change, since no line changes).
const MIGRATION_MONEY_BY_PAYER: &str = r#"
CREATE TABLE encounters_by_payer (
    id              TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL REFERENCES patients(id),
    class           TEXT NOT NULL CHECK (class IN ('inpatient','emergency','outpatient','home','virtual',
                                                   'day_hospital')),
    start_at        TEXT NOT NULL,
    end_at          TEXT,
    organization_id TEXT REFERENCES organizations(id),
    planned         INTEGER NOT NULL DEFAULT 0 CHECK (planned IN (0,1)),
    disposition     TEXT CHECK (disposition IN ('home','ama','died','transfer_acute','other')),
    cost_minor      INTEGER NOT NULL DEFAULT 0,
    principal_dx    TEXT
) STRICT;
INSERT INTO encounters_by_payer (rowid, id, patient_id, class, start_at, end_at, organization_id,
                                 planned, disposition, cost_minor, principal_dx)
SELECT rowid, id, patient_id, class, start_at, end_at, organization_id, planned, disposition,
       cost_minor, principal_dx FROM encounters;
DROP TABLE encounters;
ALTER TABLE encounters_by_payer RENAME TO encounters;
CREATE INDEX encounters_by_patient ON encounters(patient_id, start_at);
CREATE INDEX encounters_by_class ON encounters(class, patient_id, start_at);

CREATE TABLE claim_lines_by_payer (
    id              TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL REFERENCES patients(id),
    service_date    TEXT NOT NULL,
    paid_minor      INTEGER NOT NULL,
    category        TEXT NOT NULL CHECK (category IN ('inpatient','outpatient','emergency','drugs','other',
                                                      'day_hospital')),
    organization_id TEXT REFERENCES organizations(id),
    encounter_id    TEXT,
    received_on     TEXT,
    funding         TEXT CHECK (funding IN ('oms','llo'))
) STRICT;
INSERT INTO claim_lines_by_payer (rowid, id, patient_id, service_date, paid_minor, category,
                                  organization_id, encounter_id, received_on)
SELECT rowid, id, patient_id, service_date, paid_minor, category, organization_id, encounter_id,
       received_on FROM claim_lines;
DROP TABLE claim_lines;
ALTER TABLE claim_lines_by_payer RENAME TO claim_lines;
CREATE INDEX claim_lines_by_patient ON claim_lines(patient_id, service_date);
CREATE TRIGGER claim_lines_total_insert AFTER INSERT ON claim_lines BEGIN
    INSERT INTO claim_month_totals (month, received_on, category, organization_id, paid_minor, lines)
    VALUES (substr(NEW.service_date, 1, 7), coalesce(NEW.received_on, ''), NEW.category,
            coalesce(NEW.organization_id, ''), NEW.paid_minor, 1)
    ON CONFLICT (month, received_on, category, organization_id)
    DO UPDATE SET paid_minor = paid_minor + excluded.paid_minor, lines = lines + 1;
END;
CREATE TRIGGER claim_lines_total_delete AFTER DELETE ON claim_lines BEGIN
    UPDATE claim_month_totals SET paid_minor = paid_minor - OLD.paid_minor, lines = lines - 1
    WHERE month = substr(OLD.service_date, 1, 7) AND received_on = coalesce(OLD.received_on, '')
      AND category = OLD.category AND organization_id = coalesce(OLD.organization_id, '');
END;
CREATE TRIGGER claim_lines_total_update AFTER UPDATE ON claim_lines BEGIN
    UPDATE claim_month_totals SET paid_minor = paid_minor - OLD.paid_minor, lines = lines - 1
    WHERE month = substr(OLD.service_date, 1, 7) AND received_on = coalesce(OLD.received_on, '')
      AND category = OLD.category AND organization_id = coalesce(OLD.organization_id, '');
    INSERT INTO claim_month_totals (month, received_on, category, organization_id, paid_minor, lines)
    VALUES (substr(NEW.service_date, 1, 7), coalesce(NEW.received_on, ''), NEW.category,
            coalesce(NEW.organization_id, ''), NEW.paid_minor, 1)
    ON CONFLICT (month, received_on, category, organization_id)
    DO UPDATE SET paid_minor = paid_minor + excluded.paid_minor, lines = lines + 1;
END;
"#;

/// The worklist's sections (issue #20): each stored line says which section its patient is in
/// (`domain::worklist::place`: to_call, agreed_visit, call_back, another_way, removed; NULL for a
/// patient only lost to follow-up), and one index serves every section's pages in list order.
/// The stored worklist is rebuilt on first use.
const MIGRATION_WORKLIST_SECTIONS: &str = r#"
ALTER TABLE worklist_entries ADD COLUMN section TEXT;
CREATE INDEX worklist_section ON worklist_entries(section, priority, late_since, patient_id);
DELETE FROM worklist_entries;
DELETE FROM worklist_recheck;
DELETE FROM meta WHERE key = 'worklist_clock';
"#;

/// Scoped laptops (issue #23, `src/sync/scope.rs`): a device may hold only the patients of its
/// sites (or its nurse's), and the hub sends it only theirs. The hub records each device's scope
/// and which patients it has sent it since when; an outbox entry may be for one device only; a
/// device keeps the patients the hub said left its scope until its own changes to them are
/// acknowledged, and only then may their calls, changes and audit entries be deleted (the
/// append-only triggers make that one exception). The audit trail records scope changes
/// (`sync_scope`): its CHECK is widened by rebuilding the table, rowids kept.
const MIGRATION_SYNC_SCOPE: &str = r#"
-- The device's sites (comma-separated organization ids) and nurse (a staff id); both NULL: the
-- device holds the whole register.
ALTER TABLE sync_peers ADD COLUMN scope_sites TEXT;
ALTER TABLE sync_peers ADD COLUMN scope_nurse TEXT;
-- NULL: an entry for every peer; otherwise the one device it is for (a scope change's entry).
ALTER TABLE sync_outbox ADD COLUMN for_device TEXT;
-- On the hub: the patients a scoped device holds, from the entry after since_seq up to the entry
-- before until_seq (NULL: still held). Entries are filtered by it, so a resent entry is the same.
CREATE TABLE sync_scope_held (
    device_id  TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    since_seq  INTEGER NOT NULL,
    until_seq  INTEGER
) STRICT;
CREATE INDEX sync_scope_held_by_device ON sync_scope_held(device_id, patient_id);
-- A device's scope is read by site and by what the device itself wrote.
CREATE INDEX appointments_by_site ON appointments(site_id, patient_id);
CREATE INDEX calls_by_device ON calls(device, patient_id);
CREATE INDEX changes_by_device ON changes(device, patient_id);
-- On a device: patients the hub said left this device's scope. pruning = 1 only inside the
-- transaction that deletes them.
CREATE TABLE sync_scope_drop (
    patient_id TEXT PRIMARY KEY,
    pruning    INTEGER NOT NULL DEFAULT 0
) STRICT;

DROP TRIGGER calls_no_delete;
CREATE TRIGGER calls_no_delete BEFORE DELETE ON calls
WHEN NOT EXISTS (SELECT 1 FROM sync_scope_drop WHERE patient_id = OLD.patient_id AND pruning = 1)
BEGIN
    SELECT RAISE(ABORT, 'the call log is append-only: log a correction instead');
END;
DROP TRIGGER changes_no_delete;
CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes
WHEN NOT EXISTS (SELECT 1 FROM sync_scope_drop WHERE patient_id = OLD.patient_id AND pruning = 1)
BEGIN
    SELECT RAISE(ABORT, 'the change history is append-only');
END;

DROP TRIGGER audit_no_update;
DROP TRIGGER audit_no_delete;
ALTER TABLE audit RENAME TO audit_before_scope;
CREATE TABLE audit (
    id          TEXT PRIMARY KEY,
    at          TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    device      TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('view','import','backup','restore',
                    'sync_export','sync_apply','sync_add_device','sync_join','contract',
                    'sync_scope')),
    patient_id  TEXT,
    subject     TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO audit (rowid, id, at, user_name, device, action, patient_id, subject, detail)
SELECT rowid, id, at, user_name, device, action, patient_id, subject, detail FROM audit_before_scope;
DROP TABLE audit_before_scope;
CREATE INDEX audit_by_patient ON audit(patient_id, at) WHERE patient_id IS NOT NULL;
CREATE INDEX audit_by_time ON audit(at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
WHEN NOT EXISTS (SELECT 1 FROM sync_scope_drop WHERE patient_id = OLD.patient_id AND pruning = 1)
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
"#;

/// Mornings that cost what changes (issue #17): the first day each patient's stored Progress
/// figures can differ (`domain/progress_facts/recheck.rs`), so a new day of the same month
/// recomputes those patients only (`store/progress_index.rs::advance`). A table of its own, so a
/// moved day does not rewrite the figures. The figures stored before have no such day;
/// `FACTS_VERSION` changed with this step, so they are rebuilt once.
const MIGRATION_PROGRESS_RECHECK: &str = r#"
CREATE TABLE progress_recheck (
    patient_id  TEXT PRIMARY KEY,
    recheck_on  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX progress_recheck_by_day ON progress_recheck(recheck_on);
"#;

/// The measurements the guidelines track (issue #22, item 5): creatinine, the urine
/// albumin/creatinine ratio, LDL cholesterol, and fasting glucose told apart from random glucose.
/// SQLite cannot change a CHECK in place, so `observations` is rebuilt (STRICT, rowids, rows and
/// indexes kept; no trigger or foreign key refers to it). Rows stored before as `glucose` with
/// LOINC 1558-6 (fasting glucose) become `fasting_glucose`, as the importers now store them.
const MIGRATION_MEASUREMENT_KINDS: &str = r#"
CREATE TABLE observations_by_kind (
    id          TEXT PRIMARY KEY,
    patient_id  TEXT NOT NULL REFERENCES patients(id),
    kind        TEXT NOT NULL CHECK (kind IN ('hba1c','glucose','systolic','diastolic','weight',
                                              'creatinine','uacr','ldl','fasting_glucose')),
    loinc       TEXT NOT NULL,
    value       REAL NOT NULL,
    unit        TEXT NOT NULL,
    date        TEXT NOT NULL,
    site_id     TEXT REFERENCES organizations(id),
    taken_at    TEXT
) STRICT;
INSERT INTO observations_by_kind (rowid, id, patient_id, kind, loinc, value, unit, date, site_id,
                                  taken_at)
SELECT rowid, id, patient_id,
       CASE WHEN kind = 'glucose' AND trim(loinc) = '1558-6' THEN 'fasting_glucose' ELSE kind END,
       loinc, value, unit, date, site_id, taken_at
FROM observations;
DROP TABLE observations;
ALTER TABLE observations_by_kind RENAME TO observations;
CREATE INDEX observations_by_patient ON observations(patient_id, kind, date);
CREATE INDEX observations_same_fact ON observations(patient_id, loinc, taken_at)
    WHERE taken_at IS NOT NULL;
"#;

/// ICD-10 codes stored as Russian systems type them (issue #18 item 10): the importers now fold
/// Cyrillic look-alike letters to Latin before storing (`domain::codes::stored_diagnosis_code`),
/// and this folds what earlier imports stored — the eleven look-alikes А В Е К М Н О Р С Т Х in
/// both cases, then ASCII upper case and trimmed spaces, as `domain::codes::fold_icd10` does.
/// A diagnosis stored under both spellings (Е11.9 and E11.9, same patient and onset) becomes one
/// row: the one already written in Latin is kept, else the first of the folded ones. An
/// encounter's principal diagnosis is folded in place. Only codes with a character outside
/// `0-9 A-Z .` are touched.
const MIGRATION_FOLD_ICD10: &str = r#"
CREATE TEMP TABLE icd10_folds AS
SELECT patient_id, code AS written, description, onset_date,
       upper(trim(
         replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(code
           , 'А', 'A')
           , 'В', 'B')
           , 'Е', 'E')
           , 'К', 'K')
           , 'М', 'M')
           , 'Н', 'H')
           , 'О', 'O')
           , 'Р', 'P')
           , 'С', 'C')
           , 'Т', 'T')
           , 'Х', 'X')
           , 'а', 'A')
           , 'в', 'B')
           , 'е', 'E')
           , 'к', 'K')
           , 'м', 'M')
           , 'н', 'H')
           , 'о', 'O')
           , 'р', 'P')
           , 'с', 'C')
           , 'т', 'T')
           , 'х', 'X')
       )) AS folded
FROM diagnoses
WHERE system = 'icd10' AND code GLOB '*[^0-9A-Z.]*';
INSERT OR IGNORE INTO diagnoses (patient_id, system, code, description, onset_date)
SELECT patient_id, 'icd10', folded, description, onset_date
FROM icd10_folds
WHERE folded <> written
ORDER BY patient_id, onset_date, written;
DELETE FROM diagnoses
WHERE system = 'icd10'
  AND (patient_id, code, onset_date) IN
      (SELECT patient_id, written, onset_date FROM icd10_folds WHERE folded <> written);
DROP TABLE icd10_folds;
UPDATE encounters SET principal_dx =
    upper(trim(
      replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(principal_dx
        , 'А', 'A')
        , 'В', 'B')
        , 'Е', 'E')
        , 'К', 'K')
        , 'М', 'M')
        , 'Н', 'H')
        , 'О', 'O')
        , 'Р', 'P')
        , 'С', 'C')
        , 'Т', 'T')
        , 'Х', 'X')
        , 'а', 'A')
        , 'в', 'B')
        , 'е', 'E')
        , 'к', 'K')
        , 'м', 'M')
        , 'н', 'H')
        , 'о', 'O')
        , 'р', 'P')
        , 'с', 'C')
        , 'т', 'T')
        , 'х', 'X')
    ))
WHERE principal_dx GLOB '*[^0-9A-Z.]*';
"#;

#[cfg(test)]
mod savings_migration_tests {
    use super::{MIGRATION_MONEY_BY_PAYER, MIGRATION_SAVINGS, MIGRATIONS};
    use rusqlite::Connection;

    /// How many steps come before `step`.
    fn steps_before(step: &str) -> usize {
        MIGRATIONS.iter().position(|m| *m == step).unwrap()
    }

    #[test]
    fn a_register_from_before_received_dates_keeps_its_claims_and_audit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let before = steps_before(MIGRATION_SAVINGS);
        {
            let c = Connection::open(&path).unwrap();
            for step in &MIGRATIONS[..before] {
                c.execute_batch(step).unwrap();
            }
            c.execute_batch(&format!(
                "PRAGMA user_version = {before};
                 INSERT INTO patients (id, family_name, given_name, sex, birth_date)
                     VALUES ('P1', 'A', 'B', 'F', '1950-01-01');
                 INSERT INTO claim_lines (id, patient_id, service_date, paid_minor, category)
                     VALUES ('C1', 'P1', '2024-03-05', 12345, 'inpatient');
                 INSERT INTO audit (id, at, user_name, device, action, subject)
                     VALUES ('A1', '2024-01-01T00:00:00Z', 'u', 'd', 'import', 'x');"
            ))
            .unwrap();
        }
        let store = crate::store::Store::open(&path).unwrap();
        let c = store.conn();
        let total: (String, String, i64) = c
            .query_row(
                "SELECT month, received_on, paid_minor FROM claim_month_totals",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(total, ("2024-03".into(), String::new(), 12_345));
        let (rowid, action): (i64, String) = c
            .query_row("SELECT rowid, action FROM audit WHERE id = 'A1'", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((rowid, action.as_str()), (1, "import"));
        crate::store::audit::record(c, "u", "d", "contract", None, "x", "y").unwrap();
        assert!(
            c.execute("DELETE FROM audit", []).is_err(),
            "still append-only"
        );
        // A new line gets its received date and its own totals row.
        c.execute(
            "INSERT INTO claim_lines (id, patient_id, service_date, paid_minor, category, received_on)
             VALUES ('C2', 'P1', '2024-03-06', 100, 'inpatient', '2024-04-01')",
            [],
        )
        .unwrap();
        let rows: i64 = c
            .query_row("SELECT count(*) FROM claim_month_totals", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 2);
    }

    #[test]
    fn a_register_from_before_day_hospital_keeps_its_rows_and_takes_the_new_codes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let before = steps_before(MIGRATION_MONEY_BY_PAYER);
        {
            let c = Connection::open(&path).unwrap();
            for step in &MIGRATIONS[..before] {
                c.execute_batch(step).unwrap();
            }
            c.execute_batch(&format!(
                "PRAGMA user_version = {before};
                 INSERT INTO organizations (id, name, kind) VALUES ('H1', 'Hospital', 'hospital');
                 INSERT INTO patients (id, family_name, given_name, sex, birth_date)
                     VALUES ('P1', 'A', 'B', 'F', '1950-01-01');
                 INSERT INTO encounters (id, patient_id, class, start_at, end_at, organization_id,
                                         planned, disposition, cost_minor, principal_dx)
                     VALUES ('E0', 'P1', 'outpatient', '2024-03-01T09:00:00', NULL, 'H1', 0, NULL, 0, NULL),
                            ('E1', 'P1', 'inpatient', '2024-03-01T09:00:00', '2024-03-05T12:00:00',
                             'H1', 1, 'home', 4500000, 'E11.9');
                 INSERT INTO claim_lines (id, patient_id, service_date, paid_minor, category,
                                          organization_id, encounter_id, received_on)
                     VALUES ('C1', 'P1', '2024-03-05', 12345, 'inpatient', 'H1', 'E1', '2024-04-02'),
                            ('C2', 'P1', '2024-03-09', 500, 'drugs', NULL, NULL, NULL);"
            ))
            .unwrap();
        }
        let store = crate::store::Store::open(&path).unwrap();
        let c = store.conn();
        let enc: (i64, String, String, i64, String, i64, String) = c
            .query_row(
                "SELECT rowid, class, end_at, planned, disposition, cost_minor, principal_dx
                 FROM encounters WHERE id = 'E1'",
                [],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                },
            )
            .unwrap();
        assert_eq!(
            enc,
            (
                2,
                "inpatient".into(),
                "2024-03-05T12:00:00".into(),
                1,
                "home".into(),
                4_500_000,
                "E11.9".into()
            )
        );
        let claim: (i64, i64, String, Option<String>, Option<String>) = c
            .query_row(
                "SELECT rowid, paid_minor, category, received_on, funding FROM claim_lines WHERE id = 'C1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(
            claim,
            (
                1,
                12_345,
                "inpatient".into(),
                Some("2024-04-02".into()),
                None
            )
        );
        // STRICT, the indexes and the totals' triggers are all still there.
        for (name, kind) in [
            ("encounters", "table"),
            ("claim_lines", "table"),
            ("encounters_by_patient", "index"),
            ("encounters_by_class", "index"),
            ("claim_lines_by_patient", "index"),
            ("claim_lines_total_insert", "trigger"),
            ("claim_lines_total_update", "trigger"),
            ("claim_lines_total_delete", "trigger"),
        ] {
            let sql: String = c
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE name = ?1 AND type = ?2",
                    [name, kind],
                    |r| r.get(0),
                )
                .unwrap_or_else(|_| panic!("{kind} {name} is missing"));
            if kind == "table" {
                assert!(sql.trim_end().ends_with("STRICT"), "{name}: {sql}");
            }
        }
        let totals: i64 = c
            .query_row("SELECT sum(paid_minor) FROM claim_month_totals", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(totals, 12_845, "the totals are not counted twice");
        // The new codes are taken, others still refused, and the triggers keep the totals.
        c.execute_batch(
            "INSERT INTO encounters (id, patient_id, class, start_at)
                 VALUES ('E2', 'P1', 'day_hospital', '2024-03-10T09:00:00');
             INSERT INTO claim_lines (id, patient_id, service_date, paid_minor, category, funding)
                 VALUES ('C3', 'P1', '2024-03-10', 1000, 'day_hospital', 'oms'),
                        ('C4', 'P1', '2024-03-11', 200, 'drugs', 'llo');",
        )
        .unwrap();
        let day_hospital: i64 = c
            .query_row(
                "SELECT paid_minor FROM claim_month_totals WHERE category = 'day_hospital'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(day_hospital, 1000);
        assert!(
            c.execute(
                "INSERT INTO encounters (id, patient_id, class, start_at)
                 VALUES ('E3', 'P1', 'day-care', '2024-03-10')",
                []
            )
            .is_err()
        );
        assert!(
            c.execute(
                "INSERT INTO claim_lines (id, patient_id, service_date, paid_minor, category, funding)
                 VALUES ('C5', 'P1', '2024-03-10', 1, 'drugs', 'cash')",
                []
            )
            .is_err()
        );
        let fk: i64 = c
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(fk, 0);
    }

    #[test]
    fn a_register_from_before_the_measurement_kinds_keeps_its_observations() {
        use super::MIGRATION_MEASUREMENT_KINDS;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let before = steps_before(MIGRATION_MEASUREMENT_KINDS);
        {
            let c = Connection::open(&path).unwrap();
            for step in &MIGRATIONS[..before] {
                c.execute_batch(step).unwrap();
            }
            c.execute_batch(&format!(
                "PRAGMA user_version = {before};
                 INSERT INTO organizations (id, name, kind) VALUES ('PC1', 'Polyclinic', 'polyclinic');
                 INSERT INTO patients (id, family_name, given_name, sex, birth_date)
                     VALUES ('P1', 'A', 'B', 'F', '1950-01-01');
                 INSERT INTO observations (id, patient_id, kind, loinc, value, unit, date, site_id, taken_at)
                     VALUES ('O1', 'P1', 'hba1c', '4548-4', 7.5, '%', '2024-03-01', 'PC1', NULL),
                            ('O2', 'P1', 'glucose', '1558-6', 6.1, 'mmol/L', '2024-03-01', NULL,
                             '2024-03-01T08:00:00Z'),
                            ('O3', 'P1', 'glucose', '2339-0', 9.0, 'mmol/L', '2024-03-02', NULL, NULL);
                 DELETE FROM observations WHERE id = 'O1';
                 INSERT INTO observations (id, patient_id, kind, loinc, value, unit, date)
                     VALUES ('O1', 'P1', 'hba1c', '4548-4', 7.5, '%', '2024-03-01');"
            ))
            .unwrap();
        }
        let store = crate::store::Store::open(&path).unwrap();
        let c = store.conn();
        let rows: Vec<(i64, String, String, f64, Option<String>)> = c
            .prepare("SELECT rowid, id, kind, value, taken_at FROM observations ORDER BY id")
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            vec![
                (4, "O1".into(), "hba1c".into(), 7.5, None),
                (
                    2,
                    "O2".into(),
                    "fasting_glucose".into(),
                    6.1,
                    Some("2024-03-01T08:00:00Z".into())
                ),
                (3, "O3".into(), "glucose".into(), 9.0, None),
            ],
            "rowids and values kept; the fasting glucose stored as glucose is told apart"
        );
        for (name, kind) in [
            ("observations", "table"),
            ("observations_by_patient", "index"),
            ("observations_same_fact", "index"),
        ] {
            let sql: String = c
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE name = ?1 AND type = ?2",
                    [name, kind],
                    |r| r.get(0),
                )
                .unwrap_or_else(|_| panic!("{kind} {name} is missing"));
            if kind == "table" {
                assert!(sql.trim_end().ends_with("STRICT"), "{name}: {sql}");
            }
        }
        for kind in crate::domain::types::ObservationKind::ALL {
            c.execute(
                "INSERT INTO observations (id, patient_id, kind, loinc, value, unit, date)
                 VALUES (?1, 'P1', ?2, ?3, 1.0, ?4, '2024-04-01')",
                [
                    format!("N-{kind}"),
                    kind.as_code().to_string(),
                    kind.loinc().to_string(),
                    kind.unit().to_string(),
                ],
            )
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        }
        assert!(
            c.execute(
                "INSERT INTO observations (id, patient_id, kind, loinc, value, unit, date)
                 VALUES ('X', 'P1', 'cholesterol', '2093-3', 5.0, 'mmol/L', '2024-04-01')",
                []
            )
            .is_err(),
            "the CHECK still refuses kinds the register does not know"
        );
        assert!(
            c.execute(
                "INSERT INTO observations (id, patient_id, kind, loinc, value, unit, date)
                 VALUES ('Y', 'NOBODY', 'ldl', '13457-7', 3.0, 'mmol/L', '2024-04-01')",
                []
            )
            .is_err(),
            "the foreign key to patients is kept"
        );
        let fk: i64 = c
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(fk, 0);
    }
}

#[cfg(test)]
mod fold_icd10_migration_tests {
    use super::{MIGRATION_FOLD_ICD10, MIGRATIONS};
    use rusqlite::Connection;

    #[test]
    fn stored_cyrillic_codes_are_folded_and_both_spellings_become_one_row() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let before = MIGRATIONS
            .iter()
            .position(|m| *m == MIGRATION_FOLD_ICD10)
            .unwrap();
        {
            let c = Connection::open(&path).unwrap();
            for step in &MIGRATIONS[..before] {
                c.execute_batch(step).unwrap();
            }
            // P1 has E11.9 in Latin, with a Cyrillic capital Е and with a Cyrillic small е, all
            // with one onset; P2 only Cyrillic spellings (С18.0, and К70.3 as an encounter's
            // principal diagnosis); a SNOMED code is left alone.
            c.execute_batch(&format!(
                "PRAGMA user_version = {before};
                 INSERT INTO patients (id, family_name, given_name, sex, birth_date)
                     VALUES ('P1', 'A', 'B', 'F', '1950-01-01'), ('P2', 'C', 'D', 'M', '1950-01-01');
                 INSERT INTO diagnoses (patient_id, system, code, description, onset_date) VALUES
                     ('P1', 'icd10', 'E11.9', 'latin', '2020-01-01'),
                     ('P1', 'icd10', 'Е11.9', 'cyrillic', '2020-01-01'),
                     ('P1', 'icd10', 'е11.9 ', 'small', '2020-01-01'),
                     ('P1', 'icd10', 'Е11.9', 'other onset', '2021-01-01'),
                     ('P2', 'icd10', 'С18.0', 'colon', '2019-05-05'),
                     ('P2', 'snomed', '44054006', 'diabetes', '2019-05-05');
                 INSERT INTO encounters (id, patient_id, class, start_at, principal_dx) VALUES
                     ('E1', 'P2', 'inpatient', '2024-01-01', 'К70.3'),
                     ('E2', 'P2', 'inpatient', '2024-02-01', 'I21.0'),
                     ('E3', 'P2', 'outpatient', '2024-03-01', NULL);"
            ))
            .unwrap();
        }
        let store = crate::store::Store::open(&path).unwrap();
        let c = store.conn();
        let rows: Vec<(String, String, String, String, String)> = c
            .prepare(
                "SELECT patient_id, system, code, description, onset_date FROM diagnoses
                 ORDER BY patient_id, system, onset_date, code",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let row = |p: &str, s: &str, code: &str, desc: &str, on: &str| {
            (p.into(), s.into(), code.into(), desc.into(), on.into())
        };
        assert_eq!(
            rows,
            vec![
                row("P1", "icd10", "E11.9", "latin", "2020-01-01"),
                row("P1", "icd10", "E11.9", "other onset", "2021-01-01"),
                row("P2", "icd10", "C18.0", "colon", "2019-05-05"),
                row("P2", "snomed", "44054006", "diabetes", "2019-05-05"),
            ]
        );
        let dx: Vec<Option<String>> = c
            .prepare("SELECT principal_dx FROM encounters ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(dx, vec![Some("K70.3".into()), Some("I21.0".into()), None]);
        // The SQL folds as the importers do.
        for (_, _, code, _, _) in &rows {
            assert_eq!(
                crate::domain::codes::fold_icd10(code),
                *code,
                "stored folded"
            );
        }
    }
}
