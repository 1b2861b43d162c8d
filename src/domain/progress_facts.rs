//! What one patient contributes to the Progress figures at each period end: the one derivation
//! behind the stored Progress index and the on-the-spot figures of a past date alike, so the two
//! cannot drift.
//!
//! A patient's events come as the worklist's [`PatientRecord`] (with the few fields of the patient
//! row only Progress needs, [`PatientDetails`]). For each period end the patient's counters
//! ([`Counts`]) are the one-patient [`Tally`] of the rolling year, the stage reached in that
//! month's call cascade, the patient's 30-day readmissions, whether they are on the worklist, the
//! month's calls, and — for the trend — their readmissions among stays discharged in that month.

use super::calendar::Calendar;
use super::indicators::cascade::month_first;
use super::indicators::{
    Cascade, CascadeCall, CascadeFacts, CascadeMonth, ClinicalFacts, IndicatorFacts, Period, Ratio,
    Tally, cascade_stage, month_ends,
};
use super::measures::quality_codes::{Condition, condition_mask};
use super::patient_record::PatientRecord;
use super::progress_counts::{Counts, PATIENTS, READMISSIONS, SERIES_READMISSIONS, WORKLIST};
use super::readmission::{PatientStays, ReadmissionPeriod, Stay, evaluate_patient};
use super::types::{EncounterClass, ObservationKind, PatientStatus};
use super::worklist::{Thresholds, evaluate};
use chrono::{Datelike, NaiveDate};

/// Months in the trends (and period ends kept by the stored index).
pub const TREND_MONTHS: u32 = 12;

/// The fields of the patient row the Progress figures need beyond the [`PatientRecord`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatientDetails {
    /// Birth date.
    pub birth_date: Option<NaiveDate>,
    /// Date moved away.
    pub moved_on: Option<NaiveDate>,
    /// Assigned site id ("" when none).
    pub site_id: String,
    /// Assigned nurse id ("" when none).
    pub nurse_id: String,
    /// A phone number on record.
    pub has_phone: bool,
    /// The date hospice or palliative care began (the patient flag), when recorded.
    pub palliative_since: Option<NaiveDate>,
}

/// The clock the figures are for: the as-of date and the last day whose calls count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgressClock {
    /// The as-of date.
    pub as_of: NaiveDate,
    /// Calls up to this day count (`Clock::calls_until`).
    pub calls_until: NaiveDate,
}

impl ProgressClock {
    /// The ends of the trend's months, oldest first; the last is the as-of date.
    pub fn month_ends(&self) -> Vec<NaiveDate> {
        month_ends(self.as_of, TREND_MONTHS)
    }

    /// The period end shown for a chosen month: a past month stands as on its last day; the
    /// current month (or none, or a later one) is the as-of date.
    pub fn board_end(&self, month: Option<NaiveDate>) -> NaiveDate {
        month
            .map(super::indicators::cascade::month_last)
            .filter(|d| *d < self.as_of)
            .unwrap_or(self.as_of)
    }

    /// The cascade's month for a period end: the current month counts the calls the clock counts,
    /// a past month those up to its last day.
    pub fn cascade_month(&self, end: NaiveDate) -> CascadeMonth {
        CascadeMonth::of(end, self.as_of, self.calls_until_for(end))
    }

    fn calls_until_for(&self, end: NaiveDate) -> NaiveDate {
        if end == self.as_of {
            self.calls_until
        } else {
            end
        }
    }
}

/// The worklist rules the cascade's "overdue on the 1st" and the worklist count use.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// Thresholds.
    pub thresholds: &'a Thresholds,
    /// Business days.
    pub calendar: &'a Calendar,
}

/// The facts the patients-behind-a-figure list shows, as of a period end.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DrillFacts {
    /// Latest HbA1c (date, %).
    pub latest_hba1c: Option<(NaiveDate, f64)>,
    /// Latest blood-pressure day with both readings (date, systolic, diastolic).
    pub latest_bp: Option<(NaiveDate, f64, f64)>,
    /// Latest visit.
    pub last_visit: Option<NaiveDate>,
}

/// One patient at one period end.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MonthFacts {
    /// The patient's counters.
    pub counts: Counts,
    /// What the patient list shows.
    pub drill: DrillFacts,
}

/// One day's blood pressure: the lowest systolic and the lowest diastolic of the day.
#[derive(Debug, Clone, Copy, PartialEq)]
struct BpDay {
    date: NaiveDate,
    systolic: Option<f64>,
    diastolic: Option<f64>,
}

/// A patient's events sorted by date for the indicators: HbA1c results, blood-pressure days,
/// visit days and stays.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline<'a> {
    record: &'a PatientRecord,
    details: &'a PatientDetails,
    /// HbA1c (date, value) sorted by date then value: the last of a day is its highest.
    hba1c: Vec<(NaiveDate, f64)>,
    bp: Vec<BpDay>,
    /// BP days from readings not taken on a day in hospital or in the emergency department.
    bp_ambulatory: Vec<BpDay>,
    /// ICD-10 diagnoses as (onset, quality-measure condition bits), sorted by onset.
    conditions: Vec<(NaiveDate, u32)>,
    /// Visit days: encounters of any class and measurements at a network site.
    visits: Vec<NaiveDate>,
    stays: Vec<Stay>,
    /// The calls as the cascade sees them.
    calls: Vec<CascadeCall>,
}

/// The last element with a date on or before `end` in a date-sorted slice.
fn last_until<T>(items: &[T], end: NaiveDate, date_of: impl Fn(&T) -> NaiveDate) -> Option<&T> {
    let n = items.partition_point(|x| date_of(x) <= end);
    n.checked_sub(1).and_then(|i| items.get(i))
}

impl<'a> Timeline<'a> {
    /// Sorts a record's events into the date-ordered lists the indicators read.
    pub fn new(record: &'a PatientRecord, details: &'a PatientDetails) -> Timeline<'a> {
        let mut hba1c = Vec::new();
        let mut bp_raw: Vec<(NaiveDate, bool, f64)> = Vec::new();
        let mut visits = Vec::new();
        for o in &record.observations {
            match o.kind {
                ObservationKind::Hba1c => hba1c.push((o.date, o.value)),
                ObservationKind::Systolic => bp_raw.push((o.date, true, o.value)),
                ObservationKind::Diastolic => bp_raw.push((o.date, false, o.value)),
                _ => {}
            }
            if o.at_site {
                visits.push(o.date);
            }
        }
        visits.extend(record.encounters.iter().map(|e| e.start));
        // CMS165: readings taken during an inpatient stay or an emergency visit do not count.
        let acute: Vec<(NaiveDate, NaiveDate)> = record
            .encounters
            .iter()
            .filter_map(|e| match e.class {
                EncounterClass::Inpatient => Some((e.start, e.end.unwrap_or(NaiveDate::MAX))),
                EncounterClass::Emergency => Some((e.start, e.end.unwrap_or(e.start))),
                _ => None,
            })
            .collect();
        let ambulatory_raw: Vec<(NaiveDate, bool, f64)> = bp_raw
            .iter()
            .copied()
            .filter(|(d, _, _)| !acute.iter().any(|(a, b)| a <= d && d <= b))
            .collect();
        let mut conditions: Vec<(NaiveDate, u32)> = record
            .icd10
            .iter()
            .map(|(code, onset)| (*onset, condition_mask(code)))
            .filter(|(_, mask)| *mask != 0)
            .collect();
        conditions.sort_by_key(|(d, _)| *d);
        hba1c.sort_by(|a: &(NaiveDate, f64), b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        visits.sort();
        visits.dedup();
        Timeline {
            record,
            details,
            hba1c,
            bp: bp_days(bp_raw),
            bp_ambulatory: bp_days(ambulatory_raw),
            conditions,
            visits,
            stays: record.stays(),
            calls: record
                .calls
                .iter()
                .map(|c| CascadeCall {
                    on: c.at.date(),
                    reached: c.outcome.is_contact(),
                })
                .collect(),
        }
    }

    /// The indicators' facts for a period ending on `end`.
    pub fn indicator_facts(&self, end: NaiveDate) -> IndicatorFacts {
        let latest = |days: &[BpDay]| {
            last_until(days, end, |b| b.date).and_then(|b| match (b.systolic, b.diastolic) {
                (Some(s), Some(d)) => Some((b.date, s, d)),
                _ => None,
            })
        };
        let bp = latest(&self.bp);
        let year = Period::rolling_year(end);
        let (mut since, mut in_year) = (0u32, 0u32);
        let mut hypertension_since = None;
        let hypertension = Condition::Hypertension.bit();
        for (onset, mask) in self.conditions.iter().take_while(|(d, _)| *d <= end) {
            since |= mask;
            if *onset >= year.from {
                in_year |= mask;
            }
            if mask & hypertension != 0 && hypertension_since.is_none() {
                hypertension_since = Some(*onset);
            }
        }
        let clinical = ClinicalFacts {
            latest_bp_ambulatory: latest(&self.bp_ambulatory),
            // Hospice or palliative care: a Z51.5 diagnosis in the period, or the patient flag
            // set on or before the period's end (care that began earlier continues into it).
            palliative: in_year & Condition::Palliative.bit() != 0
                || self.details.palliative_since.is_some_and(|d| d <= end),
            frailty: since & Condition::Frailty.bit() != 0,
            advanced_illness: since & Condition::AdvancedIllness.bit() != 0,
            hypertension_since,
            esrd: since & Condition::Esrd.bit() != 0,
            pregnancy: in_year & Condition::Pregnancy.bit() != 0,
        };
        IndicatorFacts {
            status: self.record.status,
            birth_date: self.details.birth_date,
            enrolled_on: self.record.enrolled_on,
            death_date: self.record.death_date,
            moved_on: self.details.moved_on,
            latest_hba1c: last_until(&self.hba1c, end, |h| h.0).copied(),
            latest_bp: bp,
            last_visit: last_until(&self.visits, end, |d| *d).copied(),
            clinical,
        }
    }

    /// The patient's readmissions in `period`: readmitted / index stays with a closed window.
    fn readmissions(&self, period: &ReadmissionPeriod) -> Ratio {
        let mut r = Ratio::default();
        if self.stays.is_empty() {
            return r;
        }
        let stays = PatientStays::new(&self.record.id, self.record.death_date, &self.stays)
            .moved_on(self.details.moved_on);
        for o in evaluate_patient(&stays, period) {
            if !o.open_window {
                r.denominator += 1;
                r.numerator += u64::from(o.readmitted());
            }
        }
        r
    }

    /// On the worklist as of `day`, counting calls up to `calls_until`: the verdict the worklist
    /// gives (only active patients can be on it).
    fn on_worklist(&self, day: NaiveDate, calls_until: NaiveDate, rules: Rules<'_>) -> bool {
        self.record.status == PatientStatus::Active
            && evaluate(
                &self.record.facts(day, calls_until),
                day,
                rules.thresholds,
                rules.calendar,
            )
            .is_some()
    }

    /// Readmissions among the stays discharged in each of the trend's months (closed windows only,
    /// as of the as-of date), in `ends` order.
    fn series_readmissions(&self, ends: &[NaiveDate], as_of: NaiveDate) -> Vec<Ratio> {
        let mut out = vec![Ratio::default(); ends.len()];
        if self.stays.is_empty() {
            return out;
        }
        let period = ReadmissionPeriod {
            from: ends.first().map_or(as_of, |e| month_first(*e)),
            to: as_of,
            as_of,
        };
        let stays = PatientStays::new(&self.record.id, self.record.death_date, &self.stays)
            .moved_on(self.details.moved_on);
        for o in evaluate_patient(&stays, &period) {
            let Some(discharged) = o.index.discharged.filter(|_| !o.open_window) else {
                continue;
            };
            let month = (discharged.year(), discharged.month());
            if let Some(i) = ends.iter().position(|e| (e.year(), e.month()) == month) {
                out[i].denominator += 1;
                out[i].numerator += u64::from(o.readmitted());
            }
        }
        out
    }

    /// The patient's figures at one period end; `series` is the trend's readmissions of the month.
    fn month(
        &self,
        clock: &ProgressClock,
        end: NaiveDate,
        series: Ratio,
        rules: Rules<'_>,
    ) -> MonthFacts {
        let facts = self.indicator_facts(end);
        let period = Period::rolling_year(end);
        let mut tally = Tally::default();
        tally.add(&facts, &period);
        let month = clock.cascade_month(end);
        let overdue = self.on_worklist(month.first, month.first, rules);
        let mut cascade = Cascade::default();
        cascade.add_stage(cascade_stage(
            &CascadeFacts {
                overdue_on_first: overdue,
                has_phone: self.details.has_phone,
                calls: &self.calls,
                visits: &self.visits,
            },
            &month,
        ));
        let mut counts = Counts::default();
        counts.0[PATIENTS] = 1;
        counts.add_tally(&tally);
        counts.add_cascade(&cascade);
        counts.add_ratio(
            READMISSIONS,
            self.readmissions(&ReadmissionPeriod::default_for(end)),
        );
        counts.0[WORKLIST] = u64::from(self.on_worklist(end, clock.calls_until_for(end), rules));
        for c in &self.record.calls {
            let day = c.at.date();
            if month.first <= day && day <= month.last {
                counts.add_call(c.outcome);
            }
        }
        counts.add_ratio(SERIES_READMISSIONS, series);
        MonthFacts {
            counts,
            drill: DrillFacts {
                latest_hba1c: facts.latest_hba1c,
                latest_bp: facts.latest_bp,
                last_visit: facts.last_visit,
            },
        }
    }
}

/// One patient's figures at each of `ends` (in that order). The trend's readmissions are counted
/// for the clock's own month ends ([`ProgressClock::month_ends`]) and are zero at any other end.
pub fn derive(
    record: &PatientRecord,
    details: &PatientDetails,
    clock: &ProgressClock,
    ends: &[NaiveDate],
    rules: Rules<'_>,
) -> Vec<MonthFacts> {
    derive_from(&Timeline::new(record, details), clock, ends, rules)
}

/// [`derive`], and the first day after the as-of date on which any of these figures can differ
/// within the same month without new data (`None`: none can); see [`recheck`].
pub fn derive_with_recheck(
    record: &PatientRecord,
    details: &PatientDetails,
    clock: &ProgressClock,
    ends: &[NaiveDate],
    rules: Rules<'_>,
) -> (Vec<MonthFacts>, Option<NaiveDate>) {
    let timeline = Timeline::new(record, details);
    (
        derive_from(&timeline, clock, ends, rules),
        timeline.recheck_on(clock, rules),
    )
}

fn derive_from(
    timeline: &Timeline<'_>,
    clock: &ProgressClock,
    ends: &[NaiveDate],
    rules: Rules<'_>,
) -> Vec<MonthFacts> {
    let trend = clock.month_ends();
    let series = timeline.series_readmissions(&trend, clock.as_of);
    ends.iter()
        .map(|end| {
            let s = trend
                .iter()
                .position(|e| e == end)
                .map_or_else(Ratio::default, |i| series[i]);
            timeline.month(clock, *end, s, rules)
        })
        .collect()
}

/// Folds raw readings into days: the lowest systolic and the lowest diastolic of each day.
fn bp_days(mut raw: Vec<(NaiveDate, bool, f64)>) -> Vec<BpDay> {
    raw.sort_by_key(|(d, _, _)| *d);
    let mut days: Vec<BpDay> = Vec::new();
    for (d, systolic, v) in raw {
        if days.last().is_none_or(|b| b.date != d) {
            days.push(BpDay {
                date: d,
                systolic: None,
                diastolic: None,
            });
        }
        if let Some(day) = days.last_mut() {
            let slot = if systolic {
                &mut day.systolic
            } else {
                &mut day.diastolic
            };
            *slot = Some(slot.map_or(v, |old| old.min(v)));
        }
    }
    days
}

pub mod recheck;

#[cfg(test)]
mod tests;
