//! Pure types and rules of the pilot: no I/O, no SQL, no terminal. Every surface (TUI, CLI, report)
//! calls these, so a figure can never differ between them.

pub mod calendar;
pub mod dates;
pub mod finance;
pub mod lace;
pub mod money;
pub mod readmission;
pub mod types;
pub mod worklist;
