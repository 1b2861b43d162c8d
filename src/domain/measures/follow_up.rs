//! Lost to follow-up, one definition for the Worklist's list, Progress and the report, as Simple
//! ("What we report", simpledotorg/docs: "patients registered more than 12 months ago with no
//! visit in the last 12 months") and WHO HEARTS define it.

use chrono::{Months, NaiveDate};

/// The published look-back: 12 months.
pub const LOST_TO_FOLLOW_UP_MONTHS: u32 = 12;

/// True when `months` calendar months have passed from `date` by `as_of` (`date` + months, clamped
/// to the month's end, is on or before `as_of`).
fn passed(date: NaiveDate, months: u32, as_of: NaiveDate) -> bool {
    date.checked_add_months(Months::new(months))
        .is_some_and(|d| d <= as_of)
}

/// True when the patient was enrolled at least `months` months before `as_of` (an unknown
/// enrolment date counts as long ago): the population lost to follow-up is counted over.
pub fn enrolled_long_enough(enrolled_on: Option<NaiveDate>, as_of: NaiveDate, months: u32) -> bool {
    enrolled_on.is_none_or(|e| passed(e, months, as_of))
}

/// True when a patient enrolled more than `months` months before `as_of` has had no contact
/// (visit) in the `months` months up to `as_of`: enrolment + months and last contact + months are
/// both on or before `as_of` (a contact exactly 12 months ago is outside the 12 months).
pub fn lost_to_follow_up(
    enrolled_on: Option<NaiveDate>,
    last_contact: Option<NaiveDate>,
    as_of: NaiveDate,
    months: u32,
) -> bool {
    enrolled_long_enough(enrolled_on, as_of, months)
        && last_contact.is_none_or(|v| passed(v, months, as_of))
}

/// The day a patient becomes lost: the later of the enrolment and the last contact, plus `months`
/// months (`None` when neither is known: such a patient is lost on every day). Used for a nurse's
/// removal and for the worklist's recheck date.
pub fn lost_since(
    enrolled_on: Option<NaiveDate>,
    last_contact: Option<NaiveDate>,
    months: u32,
) -> Option<NaiveDate> {
    let anchor = enrolled_on.max(last_contact)?;
    anchor.checked_add_months(Months::new(months))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const AS_OF: (i32, u32, u32) = (2026, 11, 30);

    fn lost(enrolled: Option<NaiveDate>, visit: Option<NaiveDate>) -> bool {
        let (y, m, day) = AS_OF;
        lost_to_follow_up(enrolled, visit, d(y, m, day), LOST_TO_FOLLOW_UP_MONTHS)
    }

    #[test]
    fn enrolled_more_than_12_months_ago_and_no_contact_in_12_months() {
        // Enrolled long ago, last visit exactly 12 months before: lost.
        assert!(lost(Some(d(2020, 1, 1)), Some(d(2025, 11, 30))));
        // A visit the day after the cut-off: under care.
        assert!(!lost(Some(d(2020, 1, 1)), Some(d(2025, 12, 1))));
        // Never visited.
        assert!(lost(Some(d(2020, 1, 1)), None));
    }

    #[test]
    fn a_patient_enrolled_within_12_months_is_not_lost() {
        // Enrolled 11 months ago with an old visit from before enrolment: not lost yet.
        assert!(!lost(Some(d(2025, 12, 1)), Some(d(2019, 1, 1))));
        assert!(!lost(Some(d(2025, 12, 1)), None));
        // Enrolled exactly 12 months ago: lost when no contact since.
        assert!(lost(Some(d(2025, 11, 30)), None));
        // Month ends clamp: 31 March + 1 month is 30 April.
        assert!(lost_to_follow_up(
            None,
            Some(d(2024, 3, 31)),
            d(2024, 4, 30),
            1
        ));
        assert!(!lost_to_follow_up(
            None,
            Some(d(2024, 3, 31)),
            d(2024, 4, 29),
            1
        ));
    }

    #[test]
    fn lost_since_is_twelve_months_after_the_later_anchor() {
        let since = lost_since(Some(d(2020, 1, 1)), Some(d(2025, 11, 30)), 12).unwrap();
        assert_eq!(since, d(2026, 11, 30));
        // On that day the patient is lost, the day before not.
        assert!(lost(Some(d(2020, 1, 1)), Some(d(2025, 11, 30))));
        let before = lost_to_follow_up(
            Some(d(2020, 1, 1)),
            Some(d(2025, 11, 30)),
            d(2026, 11, 29),
            12,
        );
        assert!(!before);
        assert_eq!(lost_since(None, None, 12), None);
    }
}
