//! Every Progress figure of one period end as a flat vector of counters: the indicators
//! ([`Tally`]), the call cascade, 30-day readmissions, the worklist, the month's calls by outcome
//! and the trend's readmissions by discharge month.
//!
//! Each figure is a count over patients (or their stays and calls), so a group's counters are the
//! sum of its patients' own: sums can be kept per group and moved by one patient's difference when
//! that patient changes, and converted back to the same [`Tally`] and [`Cascade`] the rules give.

use super::indicators::{Cascade, Ratio, Tally};
use super::types::CallOutcome;
use std::collections::BTreeMap;

/// Enrolled patients, whatever their status (a group is shown when it has any).
pub const PATIENTS: usize = 0;
/// `Tally::enrolled_active`.
pub const ACTIVE: usize = 1;
/// `Tally::new_enrolments`.
pub const NEW_ENROLMENTS: usize = 2;
/// `Tally::deaths`.
pub const DEATHS: usize = 3;
/// `Tally::moves`.
pub const MOVES: usize = 4;
/// The first of the tally's eleven ratios (numerator, denominator pairs, in [`tally_ratios`] order).
const TALLY_RATIOS: usize = 5;
/// `Cascade::overdue`.
pub const OVERDUE: usize = 27;
/// The first of the cascade's four ratios.
const CASCADE_RATIOS: usize = 28;
/// 30-day readmissions (numerator, denominator).
pub const READMISSIONS: usize = 36;
/// On the worklist at the period's end.
pub const WORKLIST: usize = 38;
/// Calls dated in the month.
pub const CALLS: usize = 39;
/// The first of the calls by outcome, in `CallOutcome::ALL` order.
pub const BY_OUTCOME: usize = 40;
/// The trend's readmissions among stays discharged in the month (numerator, denominator).
pub const SERIES_READMISSIONS: usize = 48;
/// Counters in all.
pub const LEN: usize = 50;

/// The tally's ratios, in counter order.
fn tally_ratios(t: &mut Tally) -> [&mut Ratio; 11] {
    [
        &mut t.hba1c_tested_6m,
        &mut t.hba1c_tested_period,
        &mut t.hba1c_poor_control,
        &mut t.hba1c_controlled,
        &mut t.hba1c_band_under_7,
        &mut t.hba1c_band_7_to_9,
        &mut t.hba1c_band_9_plus,
        &mut t.bp_controlled,
        &mut t.missed_visit_3m,
        &mut t.lost_to_follow_up_12m,
        &mut t.bp_controlled_all_diabetics,
    ]
}

/// The cascade's ratios, in counter order.
fn cascade_ratios(c: &mut Cascade) -> [&mut Ratio; 4] {
    [
        &mut c.contactable,
        &mut c.called,
        &mut c.reached,
        &mut c.returned,
    ]
}

/// The Progress counters of one patient or one group for one period end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts(pub [u64; LEN]);

impl Default for Counts {
    fn default() -> Self {
        Counts([0; LEN])
    }
}

impl Counts {
    fn put_ratio(&mut self, at: usize, r: Ratio) {
        self.0[at] += r.numerator;
        self.0[at + 1] += r.denominator;
    }

    fn ratio(&self, at: usize) -> Ratio {
        Ratio {
            numerator: self.0[at],
            denominator: self.0[at + 1],
        }
    }

    /// Adds a tally.
    pub fn add_tally(&mut self, t: &Tally) {
        self.0[ACTIVE] += t.enrolled_active;
        self.0[NEW_ENROLMENTS] += t.new_enrolments;
        self.0[DEATHS] += t.deaths;
        self.0[MOVES] += t.moves;
        let mut t = t.clone();
        for (i, r) in tally_ratios(&mut t).into_iter().enumerate() {
            self.put_ratio(TALLY_RATIOS + 2 * i, *r);
        }
    }

    /// Adds a cascade.
    pub fn add_cascade(&mut self, c: &Cascade) {
        self.0[OVERDUE] += c.overdue;
        let mut c = *c;
        for (i, r) in cascade_ratios(&mut c).into_iter().enumerate() {
            self.put_ratio(CASCADE_RATIOS + 2 * i, *r);
        }
    }

    /// Adds readmissions (`SERIES_READMISSIONS` or `READMISSIONS`).
    pub fn add_ratio(&mut self, at: usize, r: Ratio) {
        self.put_ratio(at, r);
    }

    /// Counts one call of the month.
    pub fn add_call(&mut self, outcome: CallOutcome) {
        self.0[CALLS] += 1;
        if let Some(i) = CallOutcome::ALL.iter().position(|o| *o == outcome) {
            self.0[BY_OUTCOME + i] += 1;
        }
    }

    /// The indicators.
    pub fn tally(&self) -> Tally {
        let mut t = Tally {
            enrolled_active: self.0[ACTIVE],
            new_enrolments: self.0[NEW_ENROLMENTS],
            deaths: self.0[DEATHS],
            moves: self.0[MOVES],
            ..Tally::default()
        };
        for (i, r) in tally_ratios(&mut t).into_iter().enumerate() {
            *r = self.ratio(TALLY_RATIOS + 2 * i);
        }
        t
    }

    /// The call cascade.
    pub fn cascade(&self) -> Cascade {
        let mut c = Cascade {
            overdue: self.0[OVERDUE],
            ..Cascade::default()
        };
        for (i, r) in cascade_ratios(&mut c).into_iter().enumerate() {
            *r = self.ratio(CASCADE_RATIOS + 2 * i);
        }
        c
    }

    /// A readmission ratio (`READMISSIONS` or `SERIES_READMISSIONS`).
    pub fn readmissions(&self, at: usize) -> Ratio {
        self.ratio(at)
    }

    /// The month's calls by outcome, outcomes without calls left out.
    pub fn by_outcome(&self) -> BTreeMap<CallOutcome, u64> {
        CallOutcome::ALL
            .iter()
            .enumerate()
            .map(|(i, o)| (*o, self.0[BY_OUTCOME + i]))
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// Adds another group's counters.
    pub fn merge(&mut self, o: &Counts) {
        for (a, b) in self.0.iter_mut().zip(o.0.iter()) {
            *a += b;
        }
    }

    /// Takes away counters merged earlier (a patient leaving a group).
    pub fn unmerge(&mut self, o: &Counts) {
        for (a, b) in self.0.iter_mut().zip(o.0.iter()) {
            *a = a.saturating_sub(*b);
        }
    }

    /// True when every counter is zero.
    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|n| *n == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_do_not_overlap_and_fill_the_vector() {
        assert_eq!(TALLY_RATIOS + 2 * 11, OVERDUE);
        assert_eq!(CASCADE_RATIOS + 2 * 4, READMISSIONS);
        assert_eq!(BY_OUTCOME + CallOutcome::ALL.len(), SERIES_READMISSIONS);
        assert_eq!(SERIES_READMISSIONS + 2, LEN);
    }

    #[test]
    fn a_tally_and_a_cascade_round_trip() {
        let r = |numerator, denominator| Ratio {
            numerator,
            denominator,
        };
        let t = Tally {
            enrolled_active: 9,
            new_enrolments: 1,
            deaths: 2,
            moves: 3,
            hba1c_tested_6m: r(1, 2),
            hba1c_tested_period: r(3, 4),
            hba1c_poor_control: r(5, 6),
            hba1c_controlled: r(7, 8),
            hba1c_band_under_7: r(9, 10),
            hba1c_band_7_to_9: r(11, 12),
            hba1c_band_9_plus: r(13, 14),
            bp_controlled: r(15, 16),
            missed_visit_3m: r(17, 18),
            lost_to_follow_up_12m: r(19, 20),
            bp_controlled_all_diabetics: r(21, 22),
        };
        let c = Cascade {
            overdue: 7,
            contactable: r(6, 7),
            called: r(5, 6),
            reached: r(4, 5),
            returned: r(3, 4),
        };
        let mut n = Counts::default();
        n.add_tally(&t);
        n.add_cascade(&c);
        n.add_ratio(READMISSIONS, r(1, 3));
        n.add_call(CallOutcome::NoAnswer);
        n.add_call(CallOutcome::NoAnswer);
        assert_eq!(n.tally(), t);
        assert_eq!(n.cascade(), c);
        assert_eq!(n.readmissions(READMISSIONS), r(1, 3));
        assert_eq!(n.readmissions(SERIES_READMISSIONS), r(0, 0));
        assert_eq!(n.0[CALLS], 2);
        assert_eq!(
            n.by_outcome().into_iter().collect::<Vec<_>>(),
            vec![(CallOutcome::NoAnswer, 2)]
        );
        let mut twice = n;
        twice.merge(&n);
        assert_eq!(twice.tally().hba1c_poor_control, r(10, 12));
        twice.unmerge(&n);
        assert_eq!(twice, n);
    }
}
