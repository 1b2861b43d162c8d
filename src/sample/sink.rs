//! The nine open CSV writers of a sample folder, each counting its data rows.

use crate::domain::money::Money;
use crate::domain::types::{
    CallOutcome, ClaimCategory, CodeSystem, EncounterClass, OrgKind, PatientStatus, Sex, StaffRole,
};
use crate::store::records::{
    AppointmentRow, CallRow, ClaimRow, DiagnosisRow, EncounterRow, ObservationRow, OrganizationRow,
    PatientRow, StaffRow,
};
use chrono::NaiveDate;
use color_eyre::Result;
use color_eyre::eyre::{WrapErr, eyre};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::marker::PhantomData;
use std::path::Path;

/// One CSV file of rows of type `T`.
pub(super) struct Out<T> {
    name: &'static str,
    writer: csv::Writer<BufWriter<File>>,
    rows: u64,
    row_type: PhantomData<T>,
}

impl<T: Serialize> Out<T> {
    fn create(dir: &Path, name: &'static str) -> Result<Out<T>> {
        let path = dir.join(name);
        let file = File::create(&path).wrap_err_with(|| format!("creating {}", path.display()))?;
        Ok(Out {
            name,
            writer: csv::Writer::from_writer(BufWriter::with_capacity(1 << 16, file)),
            rows: 0,
            row_type: PhantomData,
        })
    }

    /// Appends one row (the header is written before the first).
    pub(super) fn put(&mut self, row: &T) -> Result<()> {
        self.writer
            .serialize(row)
            .wrap_err_with(|| format!("writing {}", self.name))?;
        self.rows += 1;
        Ok(())
    }

    /// Flushes the file; an empty file still gets its header, taken from `example`.
    fn finish(self, example: &T, counts: &mut BTreeMap<String, u64>) -> Result<()> {
        let name = self.name;
        let mut inner = self
            .writer
            .into_inner()
            .map_err(|e| eyre!("flushing {name}: {}", e.error()))?;
        if self.rows == 0 {
            let mut probe = csv::Writer::from_writer(Vec::new());
            probe
                .serialize(example)
                .wrap_err_with(|| format!("writing {name}"))?;
            let bytes = probe
                .into_inner()
                .map_err(|e| eyre!("writing {name}: {}", e.error()))?;
            let header_len = bytes
                .iter()
                .position(|b| *b == b'\n')
                .map_or(bytes.len(), |i| i + 1);
            inner
                .write_all(&bytes[..header_len])
                .wrap_err_with(|| format!("writing {name}"))?;
        }
        inner.flush().wrap_err_with(|| format!("flushing {name}"))?;
        counts.insert(name.to_string(), self.rows);
        Ok(())
    }
}

/// The open files of a sample folder, named as in `records::FILES`.
pub(super) struct Sink {
    /// `organizations.csv`.
    pub organizations: Out<OrganizationRow>,
    /// `staff.csv`.
    pub staff: Out<StaffRow>,
    /// `patients.csv`.
    pub patients: Out<PatientRow>,
    /// `diagnoses.csv`.
    pub diagnoses: Out<DiagnosisRow>,
    /// `observations.csv`.
    pub observations: Out<ObservationRow>,
    /// `encounters.csv`.
    pub encounters: Out<EncounterRow>,
    /// `claims.csv`.
    pub claims: Out<ClaimRow>,
    /// `appointments.csv`.
    pub appointments: Out<AppointmentRow>,
    /// `calls.csv`.
    pub calls: Out<CallRow>,
}

impl Sink {
    /// Creates the nine files in `dir`.
    pub(super) fn create(dir: &Path) -> Result<Sink> {
        Ok(Sink {
            organizations: Out::create(dir, "organizations.csv")?,
            staff: Out::create(dir, "staff.csv")?,
            patients: Out::create(dir, "patients.csv")?,
            diagnoses: Out::create(dir, "diagnoses.csv")?,
            observations: Out::create(dir, "observations.csv")?,
            encounters: Out::create(dir, "encounters.csv")?,
            claims: Out::create(dir, "claims.csv")?,
            appointments: Out::create(dir, "appointments.csv")?,
            calls: Out::create(dir, "calls.csv")?,
        })
    }

    /// Flushes every file and returns the data rows per file name.
    pub(super) fn finish(self) -> Result<BTreeMap<String, u64>> {
        let mut counts = BTreeMap::new();
        let day = NaiveDate::MIN;
        let s = String::new;
        self.organizations.finish(
            &OrganizationRow {
                id: s(),
                name: s(),
                kind: OrgKind::Other,
                region: s(),
            },
            &mut counts,
        )?;
        self.staff.finish(
            &StaffRow {
                id: s(),
                name: s(),
                role: StaffRole::Nurse,
                site_id: None,
            },
            &mut counts,
        )?;
        let patient = PatientRow {
            id: s(),
            policy_number: None,
            snils: None,
            family_name: s(),
            given_name: s(),
            patronymic: s(),
            sex: Sex::Unknown,
            birth_date: day,
            death_date: None,
            phone: None,
            phone2: None,
            locality: s(),
            address: s(),
            site_id: None,
            nurse_id: None,
            status: PatientStatus::Active,
            moved_on: None,
            palliative_since: None,
        };
        self.patients.finish(&patient, &mut counts)?;
        let diagnosis = DiagnosisRow {
            patient_id: s(),
            system: CodeSystem::Icd10,
            code: s(),
            description: s(),
            onset_date: day,
        };
        self.diagnoses.finish(&diagnosis, &mut counts)?;
        let observation = ObservationRow {
            id: s(),
            patient_id: s(),
            date: day,
            loinc: s(),
            value: 0.0,
            unit: s(),
            site_id: None,
        };
        self.observations.finish(&observation, &mut counts)?;
        let encounter = EncounterRow {
            id: s(),
            patient_id: s(),
            class: EncounterClass::Outpatient,
            start: s(),
            end: None,
            organization_id: None,
            planned: false,
            disposition: None,
            cost: Money::ZERO,
            principal_dx: None,
        };
        self.encounters.finish(&encounter, &mut counts)?;
        let claim = ClaimRow {
            id: s(),
            patient_id: s(),
            service_date: day,
            paid: Money::ZERO,
            category: ClaimCategory::Other,
            organization_id: None,
            encounter_id: None,
            received: Some(day),
            funding: None,
        };
        self.claims.finish(&claim, &mut counts)?;
        self.appointments.finish(
            &AppointmentRow {
                id: s(),
                patient_id: s(),
                date: day,
                site_id: None,
            },
            &mut counts,
        )?;
        let call = CallRow {
            id: s(),
            patient_id: s(),
            called_at: s(),
            user: s(),
            outcome: CallOutcome::NoAnswer,
            next_date: None,
            note: s(),
        };
        self.calls.finish(&call, &mut counts)?;
        Ok(counts)
    }
}
