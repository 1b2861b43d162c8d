//! Turning rows of acodesk's CSV format into the typed records of [`crate::store::records`], and telling
//! a record repeated in one file from a second, different version of it.

use super::csv_file::{CsvFile, LocatedError, Row};
use super::csv_repeat_finder::{Repeat, RepeatFinder};
use crate::domain::types::*;
use crate::store::records::*;
use chrono::NaiveDate;
use std::hash::{DefaultHasher, Hash, Hasher};

/// A record type of the import format: its file, its columns, and how one row parses.
pub trait CsvRecord: Sized {
    /// The file name in an import folder.
    const FILE: &'static str;
    /// Columns that must be present in the header.
    const REQUIRED: &'static [&'static str];
    /// Every column the format knows (others are ignored with a warning).
    const KNOWN: &'static [&'static str];
    /// The columns that identify a record (the first is named in duplicate errors).
    const KEY: &'static [&'static str] = &["id"];
    /// Feeds the record's identity to `h`: by default the trimmed text of the [`Self::KEY`]
    /// columns, as the register matches them.
    fn hash_key(&self, row: &Row<'_>, h: &mut DefaultHasher) {
        for c in Self::KEY {
            row.text(c).hash(h);
        }
    }
    /// Parses one row.
    fn from_row(row: &Row<'_>) -> Result<Self, LocatedError>;
}

impl CsvRecord for OrganizationRow {
    const FILE: &'static str = "organizations.csv";
    const REQUIRED: &'static [&'static str] = &["id", "name", "kind"];
    const KNOWN: &'static [&'static str] = &["id", "name", "kind", "region"];
    fn from_row(r: &Row<'_>) -> Result<Self, LocatedError> {
        Ok(OrganizationRow {
            id: r.required("id")?,
            name: r.required("name")?,
            kind: r.code("kind", OrgKind::from_code, OrgKind::expected())?,
            region: r.text("region").to_string(),
        })
    }
}

impl CsvRecord for StaffRow {
    const FILE: &'static str = "staff.csv";
    const REQUIRED: &'static [&'static str] = &["id", "name", "role"];
    const KNOWN: &'static [&'static str] = &["id", "name", "role", "site_id"];
    fn from_row(r: &Row<'_>) -> Result<Self, LocatedError> {
        Ok(StaffRow {
            id: r.required("id")?,
            name: r.required("name")?,
            role: r.code("role", StaffRole::from_code, StaffRole::expected())?,
            site_id: r.optional("site_id"),
        })
    }
}

impl CsvRecord for PatientRow {
    const FILE: &'static str = "patients.csv";
    const REQUIRED: &'static [&'static str] =
        &["id", "family_name", "given_name", "sex", "birth_date"];
    const KNOWN: &'static [&'static str] = &[
        "id",
        "policy_number",
        "snils",
        "family_name",
        "given_name",
        "patronymic",
        "sex",
        "birth_date",
        "death_date",
        "phone",
        "phone2",
        "locality",
        "address",
        "site_id",
        "nurse_id",
        "status",
        "moved_on",
        "palliative_since",
    ];
    fn from_row(r: &Row<'_>) -> Result<Self, LocatedError> {
        let death_date = r.optional_date("death_date")?;
        let birth_date = r.plausible_date("birth_date")?;
        let status = if r.text("status").is_empty() {
            if death_date.is_some() {
                PatientStatus::Dead
            } else {
                PatientStatus::Active
            }
        } else {
            r.code(
                "status",
                PatientStatus::from_code,
                PatientStatus::expected(),
            )?
        };
        if let Some(d) = death_date {
            if d < birth_date {
                return Err(r.error("death_date", crate::i18n::msg("import-before-birth", &[])));
            }
        }
        Ok(PatientRow {
            id: r.required("id")?,
            policy_number: r.identifier("policy_number", false)?,
            snils: r.identifier("snils", true)?,
            family_name: r.required("family_name")?,
            given_name: r.required("given_name")?,
            patronymic: r.text("patronymic").to_string(),
            sex: r.code("sex", Sex::from_code, Sex::expected())?,
            birth_date,
            death_date,
            phone: r.optional("phone"),
            phone2: r.optional("phone2"),
            locality: r.text("locality").to_string(),
            address: r.text("address").to_string(),
            site_id: r.optional("site_id"),
            nurse_id: r.optional("nurse_id"),
            status,
            moved_on: r.optional_date("moved_on")?,
            palliative_since: r.optional_date("palliative_since")?,
        })
    }
}

impl CsvRecord for DiagnosisRow {
    const FILE: &'static str = "diagnoses.csv";
    const REQUIRED: &'static [&'static str] = &["patient_id", "system", "code", "onset_date"];
    const KNOWN: &'static [&'static str] =
        &["patient_id", "system", "code", "description", "onset_date"];
    const KEY: &'static [&'static str] = &["code", "patient_id", "system", "onset_date"];
    /// The onset as a date: `2010-01-01` and `01.01.2010` are the same diagnosis to the register.
    fn hash_key(&self, _row: &Row<'_>, h: &mut DefaultHasher) {
        (
            &self.patient_id,
            self.system.as_code(),
            &self.code,
            self.onset_date,
        )
            .hash(h);
    }
    fn from_row(r: &Row<'_>) -> Result<Self, LocatedError> {
        let system = r.code("system", CodeSystem::from_code, CodeSystem::expected())?;
        Ok(DiagnosisRow {
            patient_id: r.required("patient_id")?,
            system,
            // Stored folded: "Е11.9" typed with a Cyrillic Е is the diagnosis E11.9.
            code: crate::domain::codes::stored_diagnosis_code(system, &r.required("code")?),
            description: r.text("description").to_string(),
            onset_date: r.date("onset_date")?,
        })
    }
}

impl CsvRecord for ObservationRow {
    const FILE: &'static str = "observations.csv";
    const REQUIRED: &'static [&'static str] =
        &["id", "patient_id", "date", "loinc", "value", "unit"];
    const KNOWN: &'static [&'static str] = &[
        "id",
        "patient_id",
        "date",
        "loinc",
        "value",
        "unit",
        "site_id",
    ];
    fn from_row(r: &Row<'_>) -> Result<Self, LocatedError> {
        Ok(ObservationRow {
            id: r.required("id")?,
            patient_id: r.required("patient_id")?,
            date: r.plausible_date("date")?,
            loinc: r.required("loinc")?,
            value: r.number("value")?,
            unit: r.text("unit").to_string(),
            site_id: r.optional("site_id"),
        })
    }
}

impl CsvRecord for EncounterRow {
    const FILE: &'static str = "encounters.csv";
    const REQUIRED: &'static [&'static str] = &["id", "patient_id", "class", "start"];
    const KNOWN: &'static [&'static str] = &[
        "id",
        "patient_id",
        "class",
        "start",
        "end",
        "organization_id",
        "planned",
        "disposition",
        "cost",
        "principal_dx",
    ];
    fn from_row(r: &Row<'_>) -> Result<Self, LocatedError> {
        let start = r.plausible_timestamp("start")?;
        let end = r.optional_timestamp("end")?;
        if let Some(e) = &end {
            if e.get(..10) < start.get(..10) {
                return Err(r.error(
                    "end",
                    crate::i18n::msg("import-discharge-before-admission", &[]),
                ));
            }
        }
        Ok(EncounterRow {
            id: r.required("id")?,
            patient_id: r.required("patient_id")?,
            class: r.code(
                "class",
                EncounterClass::from_code,
                EncounterClass::expected(),
            )?,
            start,
            end,
            organization_id: r.optional("organization_id"),
            planned: r.flag("planned")?,
            disposition: r.optional_code(
                "disposition",
                Disposition::from_code,
                Disposition::expected(),
            )?,
            cost: r.money("cost")?,
            principal_dx: r
                .optional("principal_dx")
                .map(|c| crate::domain::codes::fold_icd10(&c)),
        })
    }
}

impl CsvRecord for ClaimRow {
    const FILE: &'static str = "claims.csv";
    const REQUIRED: &'static [&'static str] =
        &["id", "patient_id", "service_date", "paid", "category"];
    const KNOWN: &'static [&'static str] = &[
        "id",
        "patient_id",
        "service_date",
        "paid",
        "category",
        "organization_id",
        "encounter_id",
        "received",
        "funding",
    ];
    fn from_row(r: &Row<'_>) -> Result<Self, LocatedError> {
        Ok(ClaimRow {
            id: r.required("id")?,
            patient_id: r.required("patient_id")?,
            service_date: r.plausible_date("service_date")?,
            paid: r.money("paid")?,
            category: r.code(
                "category",
                ClaimCategory::from_code,
                ClaimCategory::expected(),
            )?,
            organization_id: r.optional("organization_id"),
            encounter_id: r.optional("encounter_id"),
            received: r.optional_date("received")?,
            funding: r.optional_code(
                "funding",
                crate::domain::types::Funding::from_code,
                crate::domain::types::Funding::expected(),
            )?,
        })
    }
}

impl CsvRecord for AppointmentRow {
    const FILE: &'static str = "appointments.csv";
    const REQUIRED: &'static [&'static str] = &["id", "patient_id", "date"];
    const KNOWN: &'static [&'static str] = &["id", "patient_id", "date", "site_id"];
    fn from_row(r: &Row<'_>) -> Result<Self, LocatedError> {
        Ok(AppointmentRow {
            id: r.required("id")?,
            patient_id: r.required("patient_id")?,
            date: r.date("date")?,
            site_id: r.optional("site_id"),
        })
    }
}

impl CsvRecord for CallRow {
    const FILE: &'static str = "calls.csv";
    const REQUIRED: &'static [&'static str] = &["id", "patient_id", "called_at", "user", "outcome"];
    const KNOWN: &'static [&'static str] = &[
        "id",
        "patient_id",
        "called_at",
        "user",
        "outcome",
        "next_date",
        "note",
    ];
    fn from_row(r: &Row<'_>) -> Result<Self, LocatedError> {
        Ok(CallRow {
            id: r.required("id")?,
            patient_id: r.required("patient_id")?,
            called_at: r.timestamp("called_at")?,
            user: r.required("user")?,
            outcome: r.code("outcome", CallOutcome::from_code, CallOutcome::expected())?,
            next_date: r.optional_date("next_date")?,
            note: r.text("note").to_string(),
        })
    }
}

/// The rows of one file, gathered to find the records it repeats with different values
/// ([`RepeatFinder`]: 32 bytes per row in sorted runs on disk, so memory stays flat whatever the
/// file's size; a monthly full extract of a million patients is tens of millions of rows).
///
/// Keys and values are compared by 128- and 64-bit hashes of their trimmed text (a key's date
/// parsed), so a repeat with a value written differently (`8,4` and `8.4`) counts as different;
/// columns outside the format are not compared.
pub struct SeenKeys {
    finder: RepeatFinder,
    values: Vec<usize>,
}

impl SeenKeys {
    /// Ready for the rows of `file`, holding records of type `R`.
    pub fn new<R: CsvRecord>(file: &CsvFile) -> SeenKeys {
        SeenKeys {
            finder: RepeatFinder::default(),
            values: R::KNOWN
                .iter()
                .filter_map(|c| file.column_index(c))
                .collect(),
        }
    }

    /// Notes a parsed row; an error means the temporary file of sorted keys could not be
    /// written (a full disk), said as the row's error.
    pub fn add<R: CsvRecord>(&mut self, row: &Row<'_>, record: &R) -> Result<(), LocatedError> {
        let mut h = DefaultHasher::new();
        for i in &self.values {
            row.cell(*i).hash(&mut h);
        }
        self.finder
            .add(record_key(row, record), h.finish(), row.line())
            .map_err(|e| duplicate_check_failed::<R>(row.file(), row.line(), &e))
    }

    /// Every row that repeats an earlier record with different values, in line order.
    pub fn finish(self) -> std::io::Result<Vec<Repeat>> {
        self.finder.finish()
    }
}

/// The error of a repeat check that could not run, at `line` of `file` (a full disk, most likely).
pub fn duplicate_check_failed<R: CsvRecord>(
    file: &str,
    line: u64,
    e: &std::io::Error,
) -> LocatedError {
    LocatedError {
        file: file.to_string(),
        line,
        column: R::KEY.first().map(|c| c.to_string()),
        message: crate::i18n::msg(
            "import-duplicate-check-failed",
            &[("error", e.to_string().as_str().into())],
        ),
    }
}

/// A record's identity as a 128-bit hash of its [`CsvRecord::KEY`] (two independent 64-bit
/// hashes: equal keys always agree, different ones practically never do).
pub fn record_key<R: CsvRecord>(row: &Row<'_>, record: &R) -> u128 {
    let key_hash = |salt: u8| {
        let mut h = DefaultHasher::new();
        salt.hash(&mut h);
        record.hash_key(row, &mut h);
        h.finish()
    };
    (u128::from(key_hash(0)) << 64) | u128::from(key_hash(1))
}

/// The refusal of a record that appears again in its file with different values; `first` is the
/// line of its first appearance, when known.
pub fn repeated_record<R: CsvRecord>(row: &Row<'_>, first: Option<u64>) -> LocatedError {
    let column = R::KEY.first().copied().unwrap_or("id");
    let others = R::KEY
        .iter()
        .skip(1)
        .map(|c| format!("{c} {}", row.text(c)))
        .collect::<Vec<_>>()
        .join(", ");
    let mut values = vec![
        ("value", row.text(column).into()),
        ("others", others.as_str().into()),
    ];
    let key = match (others.is_empty(), first) {
        (true, Some(_)) => "import-duplicate-record",
        (false, Some(_)) => "import-duplicate-record-with",
        (true, None) => "import-duplicate-record-earlier",
        (false, None) => "import-duplicate-record-with-earlier",
    };
    if let Some(first) = first {
        values.push(("first", first.into()));
    }
    row.error(column, crate::i18n::msg(key, &values))
}

/// `YYYY-MM-DD` read without chrono's format parser (most dates are in it, and the parser was a
/// tenth of the import's parsing time); `None` sends anything else to `parse_date`.
pub(crate) fn iso_date(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let year = digits(b.get(0..4)?)?;
    let month = digits(b.get(5..7)?)?;
    let day = digits(b.get(8..10)?)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// True when `t` is already what `normalise_timestamp` makes: `YYYY-MM-DDTHH:MM:SS`, valid.
pub(crate) fn is_normal_timestamp(t: &str) -> bool {
    let b = t.as_bytes();
    let time = |range: std::ops::Range<usize>, max: u32| {
        b.get(range).and_then(digits).is_some_and(|v| v < max)
    };
    b.len() == 19
        && b.get(10) == Some(&b'T')
        && b.get(13) == Some(&b':')
        && b.get(16) == Some(&b':')
        && t.get(..10).and_then(iso_date).is_some()
        && time(11..13, 24)
        && time(14..16, 60)
        && time(17..19, 60)
}

/// The value of a run of ASCII digits.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::{normalise_timestamp, parse_date};

    #[test]
    fn the_duplicate_check_finds_a_repeat_far_from_its_first_line() {
        let mut text = String::from("id,patient_id,date,loinc,value,unit\n");
        for i in 0..50_000 {
            text.push_str(&format!("O{i},P1,2024-01-10,4548-4,7.1,%\n"));
        }
        text.push_str("O7,P1,2024-01-10,4548-4,7.1,%\n"); // identical repeat: fine
        text.push_str("O9,P1,2024-01-10,4548-4,7.2,%\n"); // different: refused
        let mut file =
            CsvFile::from_reader("o.csv".into(), Box::new(std::io::Cursor::new(text)), b',')
                .unwrap();
        let mut seen = SeenKeys::new::<ObservationRow>(&file);
        let mut rows = Vec::new();
        while let Some(row) = file.next_row().unwrap() {
            let record = ObservationRow::from_row(&row).unwrap();
            seen.add(&row, &record).unwrap();
            rows.push(row.line());
        }
        assert_eq!(
            seen.finish().unwrap(),
            [Repeat {
                line: 50_003,
                first_line: 11
            }]
        );
    }

    #[test]
    fn the_fast_paths_agree_with_the_general_parsers() {
        let dates = [
            "2024-03-05",
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "0000-01-01",
            "9999-12-31",
            "2024-3-05",
            "2024/03/05",
            "05.03.2024",
            "2024-03-05x",
            "+024-03-05",
            "2024-03-32",
            "２０２４-03-05",
            "",
        ];
        for d in dates {
            if let Some(fast) = iso_date(d) {
                assert_eq!(parse_date(d), Ok(fast), "{d}");
            }
        }
        assert!(iso_date("2024-03-05").is_some());
        let stamps = [
            "2024-03-05T14:30:00",
            "2024-03-05T24:00:00",
            "2024-03-05T23:60:00",
            "2024-03-05T23:59:60",
            "2024-03-05 14:30:00",
            "2024-02-30T10:00:00",
            "2024-03-05T14:30:00Z",
            "2024-03-05T1:30:000",
            "2024-03-05T00:00:00",
        ];
        for t in stamps {
            if is_normal_timestamp(t) {
                assert_eq!(normalise_timestamp(t), Ok(t.to_string()), "{t}");
            }
        }
        assert!(is_normal_timestamp("2024-03-05T14:30:00"));
        assert!(!is_normal_timestamp("2024-03-05T24:00:00"));
    }

    #[test]
    fn rows_read_through_the_public_reader() {
        let open = |text: &'static str, delimiter| {
            CsvFile::from_reader("t.csv".into(), Box::new(text.as_bytes()), delimiter).unwrap()
        };
        let mut f = open("\u{feff}Name;ID\nБольница;H1\n", b';');
        f.require(&["id", "name"]).unwrap();
        let row = f.next_row().unwrap().unwrap();
        assert_eq!(
            (row.text("id"), row.text("name"), row.line()),
            ("H1", "Больница", 2)
        );

        let mut f = open("id,birth_date,cost\nP1,31.02.1950,-5\n", b',');
        let row = f.next_row().unwrap().unwrap();
        assert_eq!(
            row.date("birth_date").unwrap_err().to_string(),
            "t.csv:2:birth_date: \"31.02.1950\" is not a date like 2024-03-05 or 05.03.2024"
        );
        assert!(
            row.money("cost")
                .unwrap_err()
                .to_string()
                .contains("negative")
        );
        let missing = f.require(&["id", "sex"]).unwrap_err().to_string();
        assert!(
            missing.starts_with("t.csv:1:sex: the header has no"),
            "{missing}"
        );

        let mut f = open("v;p\n8,4;да\n", b';');
        let row = f.next_row().unwrap().unwrap();
        assert_eq!(row.number("v").unwrap(), 8.4);
        assert!(row.flag("p").unwrap());

        // Windows-1251 bytes through the same reader; empty trailing columns are no duplicates.
        let bytes: &'static [u8] = b"id;name;;\r\nH1;\xC1\xEE\xEB\xFC\xED\xE8\xF6\xE0;;\r\n";
        let mut f = CsvFile::from_reader("t.csv".into(), Box::new(bytes), b';').unwrap();
        let row = f.next_row().unwrap().unwrap();
        assert_eq!(row.text("name"), "Больница");
        row.check().unwrap();
        assert_eq!(
            f.encoding(),
            Some(crate::import::encoding::Encoding::Windows1251)
        );
    }
}
