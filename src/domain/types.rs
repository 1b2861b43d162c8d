//! Plain value types of the register, shared by the store, the importers, the rules and the views.
//!
//! Nothing here does I/O. Each enum has one canonical lower-case code (`as_code` / `from_code`) that is
//! what the database and the CSV format store, so a value means the same thing everywhere.

use serde::{Deserialize, Serialize};

/// Declares a closed set of codes with `as_code`, `from_code` and `ALL`, so database, CSV and UI agree.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        // Serialized as the stored code, so CSV, JSON and the database agree.
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $name::from_code(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!("\"{text}\" is not one of {}", $name::expected()))
                })
            }
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database and the CSV files.
            pub fn as_code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parses a stored code (case-insensitive); `None` when it is not one of `ALL`.
            pub fn from_code(code: &str) -> Option<Self> {
                let code = code.trim();
                $(if code.eq_ignore_ascii_case($code) { return Some($name::$variant); })+
                None
            }

            /// The accepted codes joined for error messages, e.g. "a, b or c".
            pub fn expected() -> String {
                let codes: Vec<&str> = Self::ALL.iter().map(|v| v.as_code()).collect();
                match codes.split_last() {
                    Some((last, rest)) if !rest.is_empty() => format!("{} or {}", rest.join(", "), last),
                    _ => codes.join(""),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_code())
            }
        }
    };
}

code_enum! {
    /// What part an organization plays in the provider network.
    OrgKind { Hospital => "hospital", Polyclinic => "polyclinic", Diagnostic => "diagnostic", Other => "other" }
}

code_enum! {
    /// What a member of staff does in the pilot.
    StaffRole { Nurse => "nurse", Manager => "manager" }
}

code_enum! {
    /// Administrative sex as recorded.
    Sex { Female => "F", Male => "M", Unknown => "U" }
}

code_enum! {
    /// Whether a patient is still followed by the pilot.
    PatientStatus { Active => "active", Moved => "moved", Dead => "dead" }
}

code_enum! {
    /// The setting of an encounter.
    EncounterClass {
        Inpatient => "inpatient",
        Emergency => "emergency",
        Outpatient => "outpatient",
        Home => "home",
        Virtual => "virtual",
        /// Day-hospital care (дневной стационар): treatment in the daytime without round-the-clock
        /// observation (Federal Law No. 323-FZ of 21.11.2011, art. 32 part 3). Not an admission
        /// for the readmission rule or the utilisation counts.
        DayHospital => "day_hospital",
    }
}

code_enum! {
    /// How an inpatient stay ended, when the source records it.
    Disposition {
        Home => "home",
        AgainstMedicalAdvice => "ama",
        Died => "died",
        TransferAcute => "transfer_acute",
        Other => "other",
    }
}

code_enum! {
    /// The spending category of a claim line (the Budget tab's breakdown).
    ClaimCategory {
        Inpatient => "inpatient",
        /// Day-hospital care (дневной стационар), its own ОМС category (see
        /// [`EncounterClass::DayHospital`]).
        DayHospital => "day_hospital",
        Outpatient => "outpatient",
        Emergency => "emergency",
        Drugs => "drugs",
        Other => "other",
    }
}

code_enum! {
    /// Who pays a claim line, when the source says: the Mandatory Health Insurance Fund (ОМС) or
    /// the subsidised-drug programmes (ЛЛО: the federal ОНЛС and the regional programmes, paid
    /// from the federal and regional budgets, which is how outpatient drugs for diabetics are
    /// paid in Russia).
    Funding { Oms => "oms", Llo => "llo" }
}

code_enum! {
    /// The coding system of a diagnosis.
    CodeSystem { Icd10 => "icd10", Snomed => "snomed" }
}

code_enum! {
    /// The measurements the register tracks, identified by LOINC on import.
    ObservationKind {
        Hba1c => "hba1c",
        /// Plasma glucose at any time of day (random), or whose timing the source does not say.
        Glucose => "glucose",
        Systolic => "systolic",
        Diastolic => "diastolic",
        Weight => "weight",
        /// Serum or plasma creatinine (eGFR is computed from it: `domain::kidney`).
        Creatinine => "creatinine",
        /// Urine albumin/creatinine ratio.
        Uacr => "uacr",
        /// LDL cholesterol.
        Ldl => "ldl",
        /// Fasting plasma glucose, told apart from random glucose.
        FastingGlucose => "fasting_glucose",
    }
}

impl ObservationKind {
    /// The LOINC code the register writes for this kind.
    pub fn loinc(self) -> &'static str {
        match self {
            ObservationKind::Hba1c => "4548-4",
            ObservationKind::Glucose => "2339-0",
            ObservationKind::Systolic => "8480-6",
            ObservationKind::Diastolic => "8462-4",
            ObservationKind::Weight => "29463-7",
            ObservationKind::Creatinine => "2160-0",
            ObservationKind::Uacr => "9318-7",
            ObservationKind::Ldl => "13457-7",
            ObservationKind::FastingGlucose => "1558-6",
        }
    }

    /// Maps a LOINC code to the kind it measures; `None` for codes the register does not track.
    pub fn from_loinc(code: &str) -> Option<Self> {
        match code.trim() {
            "4548-4" | "17856-6" | "59261-8" => Some(ObservationKind::Hba1c),
            // 2339-0 glucose in blood, 2345-7 in serum or plasma: neither says fasting.
            "2339-0" | "2345-7" => Some(ObservationKind::Glucose),
            "1558-6" => Some(ObservationKind::FastingGlucose),
            "8480-6" => Some(ObservationKind::Systolic),
            "8462-4" => Some(ObservationKind::Diastolic),
            "29463-7" | "3141-9" => Some(ObservationKind::Weight),
            // 2160-0 creatinine in serum or plasma; 38483-4 creatinine in blood, the code
            // Synthea's metabolic panel uses.
            "2160-0" | "38483-4" => Some(ObservationKind::Creatinine),
            // 9318-7 albumin/creatinine in urine; 14959-1 microalbumin/creatinine in urine.
            "9318-7" | "14959-1" => Some(ObservationKind::Uacr),
            // 13457-7 LDL calculated; 18262-6 LDL direct assay; 2089-1 LDL in serum or plasma.
            "13457-7" | "18262-6" | "2089-1" => Some(ObservationKind::Ldl),
            _ => None,
        }
    }

    /// The canonical unit values of this kind are stored in.
    pub fn unit(self) -> &'static str {
        match self {
            ObservationKind::Hba1c => "%",
            ObservationKind::Glucose | ObservationKind::FastingGlucose => "mmol/L",
            ObservationKind::Creatinine => "umol/L",
            ObservationKind::Uacr => "mg/mmol",
            ObservationKind::Ldl => "mmol/L",
            ObservationKind::Systolic | ObservationKind::Diastolic => "mm[Hg]",
            ObservationKind::Weight => "kg",
        }
    }
}

code_enum! {
    /// The outcome of a follow-up call, as a nurse records it.
    CallOutcome {
        AgreedToVisit => "agreed_visit",
        CallBackLater => "call_back",
        Refused => "refused",
        NoAnswer => "no_answer",
        InvalidNumber => "invalid_number",
        AlreadyVisited => "already_visited",
        Moved => "moved",
        Died => "died",
    }
}

impl CallOutcome {
    /// True when the nurse spoke to the patient (or someone answering for them).
    pub fn is_contact(self) -> bool {
        matches!(
            self,
            CallOutcome::AgreedToVisit
                | CallOutcome::CallBackLater
                | CallOutcome::Refused
                | CallOutcome::AlreadyVisited
                | CallOutcome::Moved
                | CallOutcome::Died
        )
    }

    /// True when the outcome carries a date (the agreed visit or the call-back).
    pub fn takes_date(self) -> bool {
        matches!(
            self,
            CallOutcome::AgreedToVisit | CallOutcome::CallBackLater | CallOutcome::NoAnswer
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for kind in EncounterClass::ALL {
            assert_eq!(EncounterClass::from_code(kind.as_code()), Some(*kind));
        }
        assert_eq!(Sex::from_code("f"), Some(Sex::Female));
        assert_eq!(Disposition::from_code("nonsense"), None);
        assert_eq!(StaffRole::expected(), "nurse or manager");
    }

    #[test]
    fn loinc_maps_both_ways() {
        for kind in ObservationKind::ALL {
            assert_eq!(ObservationKind::from_loinc(kind.loinc()), Some(*kind));
        }
        assert_eq!(ObservationKind::from_loinc("0000-0"), None);
    }
}
