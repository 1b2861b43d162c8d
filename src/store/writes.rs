//! Writing imported records: upserts by source id, so importing the same file twice changes nothing
//! and a newer version of a record updates it. All calls take an open transaction.

use crate::domain::text::{patient_search_text, sort_key};
use crate::store::records::*;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{ToSql, Transaction, params};

/// A date bound as the text `YYYY-MM-DD`, as `NaiveDate::to_string` writes it, without a
/// formatter or an allocation for the years 0–9999 (every date the importers accept): a load binds
/// one to three dates a row.
pub enum SqlDate {
    /// `YYYY-MM-DD`.
    Short([u8; 10]),
    /// Any other year, as chrono writes it.
    Long(String),
}

impl ToSql for SqlDate {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(match self {
            SqlDate::Short(b) => b,
            SqlDate::Long(s) => s.as_bytes(),
        })))
    }
}

/// `d` as bound text (see [`SqlDate`]).
pub fn iso(d: chrono::NaiveDate) -> SqlDate {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        return SqlDate::Long(d.to_string());
    }
    let y = y as u32;
    let digit = |n: u32| b'0' + (n % 10) as u8;
    SqlDate::Short([
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ])
}

/// What an upsert did to the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    /// A new row.
    Inserted,
    /// An existing row whose values changed.
    Updated,
    /// An existing row, identical: nothing written.
    Unchanged,
}

/// Runs an `INSERT OR IGNORE` and, when the row existed, an `UPDATE … WHERE <something differs>`.
fn upsert(
    tx: &Transaction<'_>,
    insert: &str,
    update: &str,
    values: &[&dyn rusqlite::ToSql],
) -> rusqlite::Result<Upsert> {
    if tx.prepare_cached(insert)?.execute(values)? == 1 {
        return Ok(Upsert::Inserted);
    }
    if tx.prepare_cached(update)?.execute(values)? == 1 {
        Ok(Upsert::Updated)
    } else {
        Ok(Upsert::Unchanged)
    }
}

/// Inserts or updates an organization.
pub fn organization(tx: &Transaction<'_>, r: &OrganizationRow) -> rusqlite::Result<Upsert> {
    upsert(
        tx,
        "INSERT OR IGNORE INTO organizations (id, name, kind, region) VALUES (?1, ?2, ?3, ?4)",
        "UPDATE organizations SET name = ?2, kind = ?3, region = ?4
         WHERE id = ?1 AND (name, kind, region) IS NOT (?2, ?3, ?4)",
        params![r.id, r.name, r.kind.as_code(), r.region],
    )
}

/// Inserts or updates a member of staff.
pub fn staff(tx: &Transaction<'_>, r: &StaffRow) -> rusqlite::Result<Upsert> {
    upsert(
        tx,
        "INSERT OR IGNORE INTO staff (id, name, role, site_id) VALUES (?1, ?2, ?3, ?4)",
        "UPDATE staff SET name = ?2, role = ?3, site_id = ?4
         WHERE id = ?1 AND (name, role, site_id) IS NOT (?2, ?3, ?4)",
        params![r.id, r.name, r.role.as_code(), r.site_id],
    )
}

/// Inserts or updates a patient, with the folded search and sort keys. An existing patient's
/// phones, status and assignment change only where the source changed them since its previous
/// import ([`super::imported_values`]): a re-import never undoes a user's change. The source's
/// hospice/palliative-care date fills the flag; once a manager has set or cleared it on the card
/// (a change in the history by someone other than the import), imports leave it alone.
pub fn patient(tx: &Transaction<'_>, r: &PatientRow) -> rusqlite::Result<Upsert> {
    let names = [
        r.family_name.as_str(),
        r.given_name.as_str(),
        r.patronymic.as_str(),
    ];
    let sort = sort_key(&names.join(" "));
    let search = |phone: &Option<String>, phone2: &Option<String>| {
        patient_search_text(
            &names,
            &[
                phone.as_deref(),
                phone2.as_deref(),
                r.policy_number.as_deref(),
                r.snils.as_deref(),
            ],
        )
    };
    let inserted = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO patients (id, policy_number, snils, family_name, given_name, patronymic, sex,
                birth_date, death_date, phone, phone2, locality, address, site_id, nurse_id, status, moved_on,
                search_text, sort_name, palliative_since)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        )?
        .execute(params![
            r.id, r.policy_number, r.snils, r.family_name, r.given_name, r.patronymic, r.sex.as_code(),
            iso(r.birth_date), r.death_date.map(iso), r.phone, r.phone2, r.locality,
            r.address, r.site_id, r.nurse_id, r.status.as_code(), r.moved_on.map(iso),
            search(&r.phone, &r.phone2), sort, r.palliative_since.map(iso)
        ])?;
    if inserted == 1 {
        return Ok(Upsert::Inserted);
    }
    let source = [
        r.phone.clone(),
        r.phone2.clone(),
        Some(r.status.as_code().to_string()),
        r.nurse_id.clone(),
    ];
    let Some([phone, phone2, status, nurse_id]) =
        super::imported_values::reconcile(tx, &r.id, &source)?
    else {
        return Ok(Upsert::Unchanged);
    };
    // A status the register keeps (a user's) keeps the dates that go with it.
    let status_kept = status != source[2];
    let updated = tx
        .prepare_cached(
            "UPDATE patients SET policy_number = ?2, snils = ?3, family_name = ?4, given_name = ?5, patronymic = ?6,
                sex = ?7, birth_date = ?8,
                death_date = CASE WHEN ?20 THEN death_date ELSE ?9 END, phone = ?10, phone2 = ?11,
                locality = ?12, address = ?13, site_id = ?14, nurse_id = ?15, status = ?16,
                moved_on = CASE WHEN ?20 THEN moved_on ELSE ?17 END, search_text = ?18, sort_name = ?19,
                palliative_since = CASE WHEN ?21 IS NULL OR ?21 IS palliative_since
                    OR EXISTS (SELECT 1 FROM changes WHERE patient_id = ?1 AND field = 'palliative_since'
                        AND user_name <> ?22)
                    THEN palliative_since ELSE ?21 END
             WHERE id = ?1 AND ((policy_number, snils, family_name, given_name, patronymic, sex, birth_date,
                death_date, phone, phone2, locality, address, site_id, nurse_id, status, moved_on)
                IS NOT (?2, ?3, ?4, ?5, ?6, ?7, ?8, CASE WHEN ?20 THEN death_date ELSE ?9 END, ?10, ?11,
                    ?12, ?13, ?14, ?15, ?16, CASE WHEN ?20 THEN moved_on ELSE ?17 END)
                OR (?21 IS NOT NULL AND ?21 IS NOT palliative_since
                    AND NOT EXISTS (SELECT 1 FROM changes WHERE patient_id = ?1
                        AND field = 'palliative_since' AND user_name <> ?22)))",
        )?
        .execute(params![
            r.id, r.policy_number, r.snils, r.family_name, r.given_name, r.patronymic, r.sex.as_code(),
            iso(r.birth_date), r.death_date.map(iso), phone, phone2, r.locality,
            r.address, r.site_id, nurse_id, status, r.moved_on.map(iso),
            search(&phone, &phone2), sort, status_kept, r.palliative_since.map(iso),
            super::imported_values::IMPORT_USER
        ])?;
    Ok(if updated == 1 {
        Upsert::Updated
    } else {
        Upsert::Unchanged
    })
}

/// Inserts or updates a diagnosis (identified by patient, system, code and onset).
pub fn diagnosis(tx: &Transaction<'_>, r: &DiagnosisRow) -> rusqlite::Result<Upsert> {
    upsert(
        tx,
        "INSERT OR IGNORE INTO diagnoses (patient_id, system, code, description, onset_date) VALUES (?1, ?2, ?3, ?4, ?5)",
        "UPDATE diagnoses SET description = ?4
         WHERE patient_id = ?1 AND system = ?2 AND code = ?3 AND onset_date = ?5 AND description IS NOT ?4",
        params![r.patient_id, r.system.as_code(), r.code, r.description, iso(r.onset_date)],
    )
}

/// Inserts or updates an observation already normalised to the register's unit for its kind.
pub fn observation(
    tx: &Transaction<'_>,
    r: &ObservationRow,
    kind: crate::domain::types::ObservationKind,
) -> rusqlite::Result<Upsert> {
    upsert(
        tx,
        "INSERT OR IGNORE INTO observations (id, patient_id, kind, loinc, value, unit, date, site_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        "UPDATE observations SET patient_id = ?2, kind = ?3, loinc = ?4, value = ?5, unit = ?6, date = ?7, site_id = ?8
         WHERE id = ?1 AND (patient_id, kind, loinc, value, unit, date, site_id) IS NOT (?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![r.id, r.patient_id, kind.as_code(), r.loinc, r.value, r.unit, iso(r.date), r.site_id],
    )
}

/// Inserts or updates an encounter.
pub fn encounter(tx: &Transaction<'_>, r: &EncounterRow) -> rusqlite::Result<Upsert> {
    upsert(
        tx,
        "INSERT OR IGNORE INTO encounters (id, patient_id, class, start_at, end_at, organization_id, planned,
            disposition, cost_minor, principal_dx)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        "UPDATE encounters SET patient_id = ?2, class = ?3, start_at = ?4, end_at = ?5, organization_id = ?6,
            planned = ?7, disposition = ?8, cost_minor = ?9, principal_dx = ?10
         WHERE id = ?1 AND (patient_id, class, start_at, end_at, organization_id, planned, disposition, cost_minor,
            principal_dx) IS NOT (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            r.id, r.patient_id, r.class.as_code(), r.start, r.end, r.organization_id, r.planned,
            r.disposition.map(|d| d.as_code()), r.cost.minor(), r.principal_dx
        ],
    )
}

/// The date a claim line is stored as received: the file's own date, else the import date (today).
pub fn received_on(r: &ClaimRow) -> chrono::NaiveDate {
    r.received.unwrap_or_else(today)
}

/// Today's local date, asked of the time-zone rules once a second at most (a load asks for each
/// claim line without a received date).
fn today() -> chrono::NaiveDate {
    use std::cell::Cell;
    thread_local! {
        static TODAY: Cell<Option<(u64, chrono::NaiveDate)>> = const { Cell::new(None) };
    }
    let second = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    TODAY.with(|cached| match cached.get() {
        Some((s, date)) if s == second => date,
        _ => {
            let date = chrono::Local::now().date_naive();
            cached.set(Some((second, date)));
            date
        }
    })
}

/// Inserts or updates a claim line (the monthly totals follow by trigger). A new line is stored
/// with [`received_on`]; a line seen again keeps its received date unless the file gives one (a
/// changed line stored before received dates were kept takes the import date). Its funding is
/// kept the same way: a file that does not say who pays leaves the stored value.
pub fn claim(tx: &Transaction<'_>, r: &ClaimRow) -> rusqlite::Result<Upsert> {
    upsert(
        tx,
        "INSERT OR IGNORE INTO claim_lines (id, patient_id, service_date, paid_minor, category, organization_id, encounter_id, received_on, funding)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce(?8, ?9), ?10)",
        "UPDATE claim_lines SET patient_id = ?2, service_date = ?3, paid_minor = ?4, category = ?5,
            organization_id = ?6, encounter_id = ?7, received_on = coalesce(?8, received_on, ?9),
            funding = coalesce(?10, funding)
         WHERE id = ?1 AND (patient_id, service_date, paid_minor, category, organization_id, encounter_id, received_on, funding)
            IS NOT (?2, ?3, ?4, ?5, ?6, ?7, coalesce(?8, received_on), coalesce(?10, funding))",
        params![
            r.id, r.patient_id, iso(r.service_date), r.paid.minor(), r.category.as_code(),
            r.organization_id, r.encounter_id, r.received.map(iso),
            iso(received_on(r)), r.funding.map(|f| f.as_code())
        ],
    )
}

/// Inserts or updates a scheduled appointment.
pub fn appointment(tx: &Transaction<'_>, r: &AppointmentRow) -> rusqlite::Result<Upsert> {
    upsert(
        tx,
        "INSERT OR IGNORE INTO appointments (id, patient_id, date, site_id) VALUES (?1, ?2, ?3, ?4)",
        "UPDATE appointments SET patient_id = ?2, date = ?3, site_id = ?4
         WHERE id = ?1 AND (patient_id, date, site_id) IS NOT (?2, ?3, ?4)",
        params![r.id, r.patient_id, iso(r.date), r.site_id],
    )
}

/// Adds a historic call to the append-only log; a call already present is left as it is.
pub fn imported_call(tx: &Transaction<'_>, r: &CallRow) -> rusqlite::Result<Upsert> {
    let n = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO calls (id, patient_id, called_at, user_name, device, outcome, next_date, note)
             VALUES (?1, ?2, ?3, ?4, 'import', ?5, ?6, ?7)",
        )?
        .execute(params![
            r.id, r.patient_id, r.called_at, r.user, r.outcome.as_code(), r.next_date.map(iso), r.note
        ])?;
    Ok(if n == 1 {
        Upsert::Inserted
    } else {
        Upsert::Unchanged
    })
}

/// Whether the call `r.id` in the register differs from `r` (a repeat of an imported call with
/// other values, which the append-only log keeps as it first came).
pub fn imported_call_differs(tx: &Transaction<'_>, r: &CallRow) -> rusqlite::Result<bool> {
    tx.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM calls WHERE id = ?1
            AND (patient_id, called_at, user_name, outcome, next_date, note) IS NOT (?2, ?3, ?4, ?5, ?6, ?7))",
    )?
    .query_row(
        params![
            r.id, r.patient_id, r.called_at, r.user, r.outcome.as_code(), r.next_date.map(iso), r.note
        ],
        |row| row.get(0),
    )
}

#[cfg(test)]
mod tests {
    use super::{SqlDate, iso};
    use chrono::NaiveDate;

    #[test]
    fn dates_are_bound_as_to_string_writes_them() {
        for (y, m, d) in [
            (1900, 1, 1),
            (2024, 3, 5),
            (999, 12, 31),
            (9999, 12, 31),
            (10000, 1, 2),
            (-5, 6, 7),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let text = match iso(date) {
                SqlDate::Short(b) => String::from_utf8(b.to_vec()).unwrap(),
                SqlDate::Long(s) => s,
            };
            assert_eq!(text, date.to_string());
        }
    }

    #[test]
    fn today_is_the_local_date() {
        let before = chrono::Local::now().date_naive();
        let today = super::today();
        let after = chrono::Local::now().date_naive();
        assert!(today == before || today == after);
    }
}
