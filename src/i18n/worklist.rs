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

/// Why the patient is on the list, as the CLI's reasons column and the call sheet say it: the
/// section's note, "reach another way", the reasons with the deciding one first (the due date
/// and days beside it are its own), "unreachable" last.
pub fn reasons(i18n: &I18n, entry: &WorklistEntry) -> Vec<String> {
    let mut findings = entry.findings.clone();
    findings.sort_by_key(|f| f.rank());
    let mut out: Vec<String> = findings
        .iter()
        .map(|f| i18n.t(&format!("reason-short-{}", f.reason.as_code())))
        .collect();
    if entry.another_way {
        out.insert(0, i18n.t("reason-short-another_way"));
    }
    if entry.unreachable {
        out.push(i18n.t("reason-short-unreachable"));
    }
    if let Some(note) = section_note(i18n, entry) {
        out.insert(0, note);
    }
    out
}
