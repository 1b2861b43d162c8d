//! The words for the worklist's sections, shared by the TUI, the CLI and the exported call sheet.

use super::I18n;
use crate::domain::program::Program;
use crate::domain::worklist::{Finding, Reason, Section, WorklistEntry};
use chrono::{Datelike, NaiveDate};

/// Whole calendar months from `from` to `to` (0 when `to` is earlier).
fn whole_months(from: NaiveDate, to: NaiveDate) -> i64 {
    let months = (i64::from(to.year()) - i64::from(from.year())) * 12 + i64::from(to.month())
        - i64::from(from.month())
        - i64::from(to.day() < from.day());
    months.max(0)
}

/// A reason's words on a line as of `as_of` ("BP not measured" says for how many months), then
/// the short tags of the programmes that raise it: "BP ≥ 180/110 (HTN)". The reasons of every
/// programme (missed visit, call-back, …) carry no tag.
pub fn finding_label(i18n: &I18n, f: &Finding, as_of: NaiveDate, programs: &[Program]) -> String {
    let words = match (f.reason, f.since) {
        (Reason::BpNotMeasured, Some(reading)) => i18n.t_args(
            "reason-bp-not-measured-months",
            &[("months", whole_months(reading, as_of).into())],
        ),
        _ => i18n.t(&format!("reason-short-{}", f.reason.as_code())),
    };
    if f.programs.is_empty() {
        return words;
    }
    let lang = i18n.lang().code();
    let tags: Vec<&str> = f
        .programs
        .iter()
        .map(|id| {
            programs
                .iter()
                .find(|p| &p.id == id)
                .map_or(id.as_str(), |p| p.short_in(lang))
        })
        .collect();
    format!("{words} ({})", tags.join(", "))
}

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
pub fn reasons(
    i18n: &I18n,
    entry: &WorklistEntry,
    as_of: NaiveDate,
    programs: &[Program],
) -> Vec<String> {
    let mut findings = entry.findings.clone();
    findings.sort_by_key(|f| f.rank());
    let mut out: Vec<String> = findings
        .iter()
        .map(|f| finding_label(i18n, f, as_of, programs))
        .collect();
    if entry.high_risk {
        out.insert(0, i18n.t("high-risk-mark"));
    }
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
