//! Pure types and rules of the pilot: no I/O, no SQL, no terminal. Every surface (TUI, CLI, report)
//! calls these, so a figure can never differ between them.

pub mod calendar;
pub mod charlson;
pub mod clock;
pub mod codes;
pub mod dates;
pub mod finance;
pub mod hearts;
pub mod identifiers;
pub mod indicators;
pub mod kidney;
pub mod lace;
pub mod measures;
pub mod money;
pub mod patient_record;
pub mod phone_choice;
pub mod pilot;
pub mod program;
pub mod progress_codec;
pub mod progress_counts;
pub mod progress_facts;
pub mod readmission;
pub mod readmission_cohort;
pub mod results_vs_target;
pub mod text;
pub mod types;
pub mod units;
pub mod worklist;
