//! Which of a patient's two numbers the worklist offers for dialling (#20 item 5).
//!
//! The main number is dialled while it is there and nobody reported it invalid. It counts as
//! reported invalid when an "invalid number" call still in force (not corrected by a later entry)
//! was logged after the main number was last set — by a nurse, an import or a sync, all of which
//! write the change history. Correcting the number ends the report; a later answered call does
//! not (the nurse may have reached the patient on the second number).
//!
//! When the main number is missing or reported invalid, the second is offered; with no second
//! number, a reported-invalid main number is still shown (it is all there is), flagged.

use chrono::NaiveDateTime;

/// Why the number shown is the one shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneChoice {
    /// The main number, nobody reported it invalid.
    Main,
    /// The second number: the register has no main one.
    SecondMainMissing,
    /// The second number: the main one was reported invalid.
    SecondMainInvalid,
    /// The main number although it was reported invalid: there is no second one.
    MainReportedInvalid,
}

impl PhoneChoice {
    /// True when the number shown is not a plain main number (the list marks it).
    pub fn is_fallback(self) -> bool {
        self != PhoneChoice::Main
    }
}

const TIMESTAMP: &str = "%Y-%m-%dT%H:%M:%S";

/// True when the main number was reported invalid and not changed since: `last_invalid_call` is
/// the latest "invalid number" call still in force, `main_set_at` the latest change of the main
/// number in the history (both `YYYY-MM-DDTHH:MM:SS`, UTC; `None`: none). A report with an
/// unreadable time counts (a nurse said so); a change with an unreadable time does not end it.
pub fn main_reported_invalid(last_invalid_call: Option<&str>, main_set_at: Option<&str>) -> bool {
    let Some(report) = last_invalid_call else {
        return false;
    };
    let parse = |t: &str| NaiveDateTime::parse_from_str(t, TIMESTAMP).ok();
    match (parse(report), main_set_at.and_then(parse)) {
        (Some(report), Some(set)) => report > set,
        _ => true,
    }
}

/// The number to dial and why it is that one (`None`: the patient has no number at all).
pub fn number_to_dial(
    main: Option<&str>,
    second: Option<&str>,
    main_invalid: bool,
) -> Option<(String, PhoneChoice)> {
    let main = main.map(str::trim).filter(|s| !s.is_empty());
    let second = second.map(str::trim).filter(|s| !s.is_empty());
    match (main, second) {
        (Some(m), _) if !main_invalid => Some((m.to_string(), PhoneChoice::Main)),
        (Some(_), Some(s)) => Some((s.to_string(), PhoneChoice::SecondMainInvalid)),
        (Some(m), None) => Some((m.to_string(), PhoneChoice::MainReportedInvalid)),
        (None, Some(s)) => Some((s.to_string(), PhoneChoice::SecondMainMissing)),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: &str = "+7 961 512-90-12";
    const S: &str = "8 (3452) 12-34-56";

    #[test]
    fn the_main_number_while_nobody_reported_it() {
        assert_eq!(
            number_to_dial(Some(M), Some(S), false),
            Some((M.to_string(), PhoneChoice::Main))
        );
        assert_eq!(
            number_to_dial(Some(M), None, false),
            Some((M.to_string(), PhoneChoice::Main))
        );
    }

    #[test]
    fn the_second_number_when_the_main_is_missing_or_blank() {
        assert_eq!(
            number_to_dial(None, Some(S), false),
            Some((S.to_string(), PhoneChoice::SecondMainMissing))
        );
        assert_eq!(
            number_to_dial(Some("  "), Some(S), true),
            Some((S.to_string(), PhoneChoice::SecondMainMissing))
        );
    }

    #[test]
    fn the_second_number_when_the_main_was_reported_invalid() {
        assert_eq!(
            number_to_dial(Some(M), Some(S), true),
            Some((S.to_string(), PhoneChoice::SecondMainInvalid))
        );
    }

    #[test]
    fn an_invalid_main_number_stays_flagged_when_there_is_no_other() {
        let (n, why) = number_to_dial(Some(M), None, true).unwrap();
        assert_eq!((n.as_str(), why), (M, PhoneChoice::MainReportedInvalid));
        assert!(why.is_fallback());
        assert_eq!(number_to_dial(None, None, true), None);
        assert_eq!(number_to_dial(None, Some(""), false), None);
    }

    #[test]
    fn a_report_holds_until_the_main_number_changes() {
        // No report: valid.
        assert!(!main_reported_invalid(None, None));
        assert!(!main_reported_invalid(None, Some("2026-11-01T10:00:00")));
        // A report and the number never changed since the import: invalid.
        assert!(main_reported_invalid(Some("2026-11-01T10:00:00"), None));
        // Reported after the last change: invalid.
        assert!(main_reported_invalid(
            Some("2026-11-02T09:00:00"),
            Some("2026-11-01T10:00:00")
        ));
        // Corrected after the report (from the card or the CLI): valid again.
        assert!(!main_reported_invalid(
            Some("2026-11-02T09:00:00"),
            Some("2026-11-02T09:05:00")
        ));
        // Unreadable times: the report counts, a change cannot end it.
        assert!(main_reported_invalid(
            Some("yesterday"),
            Some("2026-11-02T09:05:00")
        ));
        assert!(main_reported_invalid(
            Some("2026-11-02T09:00:00"),
            Some("soon")
        ));
    }
}
