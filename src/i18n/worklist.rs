//! The words for the worklist's sections, shared by the TUI, the CLI and the exported call sheet.

use super::I18n;
use crate::domain::worklist::{Section, WorklistEntry};

/// The section's name in a header ("To call", "Agreed to visit", …).
pub fn section_name(i18n: &I18n, section: Section) -> String {
    i18n.t(&format!("section-name-{}", section.as_code()))
}

/// What the section says about the patient's line, before her reasons: the agreed visit's or the
/// call-back's date, or the outcome that took her off the calls and its date. `None` on the list
/// to call.
pub fn section_note(i18n: &I18n, entry: &WorklistEntry) -> Option<String> {
    let date = entry
        .section_date
        .map(|d| i18n.fmt.date(d))
        .unwrap_or_default();
    let outcome = entry
        .removed_for
        .map(|o| i18n.t(&format!("outcome-short-{}", o.as_code())))
        .unwrap_or_default();
    match entry.section {
        Section::ToCall => None,
        Section::AgreedVisit => {
            Some(i18n.t_args("section-note-agreed", &[("date", date.as_str().into())]))
        }
        Section::CallBack => {
            Some(i18n.t_args("section-note-call-back", &[("date", date.as_str().into())]))
        }
        Section::AnotherWay => Some(i18n.t_args(
            "section-note-another-way",
            &[("outcome", outcome.as_str().into())],
        )),
        Section::Removed => Some(i18n.t_args(
            "section-note-removed",
            &[
                ("outcome", outcome.as_str().into()),
                ("date", date.as_str().into()),
            ],
        )),
    }
}
