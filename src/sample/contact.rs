//! Appointments (the next scheduled visit, and missed ones) and the nurses' historic call log of
//! the current year: calls after discharges, missed visits and long absences.

use super::Ctx;
use super::care::Enc;
use super::draw::{add_days, chance, days, pick, weekday_on_or_after, weighted};
use super::patient::{Engagement, Fate, Patient};
use crate::domain::types::{CallOutcome, Disposition, EncounterClass};
use chrono::{Datelike, NaiveDate};

/// Scheduled visit dates: the missed one (before the as-of date) and the next one (after it).
pub(super) fn appointments(p: &Patient, ctx: &Ctx, rng: &mut fastrand::Rng) -> Vec<NaiveDate> {
    let mut out: Vec<NaiveDate> = p.missed_appointment.into_iter().collect();
    if p.fate == Fate::Active {
        let share = if p.engagement == Engagement::Lost {
            0.15
        } else {
            0.62
        };
        if chance(rng, share) {
            out.push(weekday_on_or_after(add_days(ctx.as_of, days(rng, 1, 58))));
        }
    }
    out
}

/// A call before it gets its id.
pub(super) struct Call {
    /// Date called (UTC).
    pub day: NaiveDate,
    /// Minutes after midnight UTC.
    pub minute: u32,
    /// What came of it.
    pub outcome: CallOutcome,
    /// The agreed visit, the call-back or the next attempt.
    pub next: Option<NaiveDate>,
    /// Free-text note, often empty.
    pub note: String,
}

/// Why a series of calls was made.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reason {
    Discharge,
    MissedVisit,
    LongAbsence,
    /// A relative or a neighbour reports the death or the move.
    Departure,
}

/// The patient's calls in the current year before the as-of date, in time order.
pub(super) fn calls(p: &Patient, encs: &[Enc], ctx: &Ctx, rng: &mut fastrand::Rng) -> Vec<Call> {
    let mut out = Vec::new();
    if !p.has_phone {
        return out;
    }
    let yesterday = add_days(ctx.as_of, -1);
    let mut reasons: Vec<(NaiveDate, Reason)> = Vec::new();
    for e in encs {
        let Some((end, _)) = e.end else { continue };
        let sent_home = matches!(
            e.disposition,
            Some(Disposition::Home | Disposition::AgainstMedicalAdvice | Disposition::Other)
        );
        if e.class == EncounterClass::Inpatient
            && sent_home
            && end.year() == ctx.year
            && chance(rng, 0.75)
        {
            reasons.push((add_days(end, days(rng, 1, 3)), Reason::Discharge));
        }
    }
    if let Some(missed) = p.missed_appointment {
        if chance(rng, 0.75) {
            reasons.push((add_days(missed, days(rng, 1, 7)), Reason::MissedVisit));
        }
    }
    let absence_share = match p.engagement {
        Engagement::Engaged => 0.05,
        Engagement::Irregular => 0.25,
        Engagement::Lost => 0.5,
    };
    if chance(rng, absence_share) {
        let quiet_since = match p.engagement {
            Engagement::Lost => add_days(p.activity_end, 45),
            _ => ctx.year_start,
        };
        let from = ctx.year_start.max(quiet_since).max(p.start);
        let span = (yesterday - from).num_days();
        if span > 0 {
            reasons.push((add_days(from, days(rng, 0, span)), Reason::LongAbsence));
        }
    }
    let alive_until = match p.fate {
        Fate::Active => yesterday,
        Fate::Died(d, _) | Fate::Moved(d) => {
            if d.year() == ctx.year && chance(rng, 0.8) {
                reasons.push((add_days(d, days(rng, 2, 25)), Reason::Departure));
            }
            add_days(d, -1).min(yesterday)
        }
    };
    reasons.sort_by_key(|r| r.0);

    let mut free_from = ctx.year_start;
    for (date, reason) in reasons {
        let limit = if reason == Reason::Departure {
            yesterday
        } else {
            alive_until
        };
        let first = weekday_on_or_after(date.max(free_from));
        let made = series(p, ctx, rng, first, limit, reason, &mut out);
        if let Some(last) = made {
            free_from = add_days(last, 1);
        }
    }
    out
}

/// One series of attempts starting on `day`; returns the date of the last call made.
fn series(
    p: &Patient,
    ctx: &Ctx,
    rng: &mut fastrand::Rng,
    mut day: NaiveDate,
    limit: NaiveDate,
    reason: Reason,
    out: &mut Vec<Call>,
) -> Option<NaiveDate> {
    let unanswered_three = reason == Reason::MissedVisit && chance(rng, 0.25);
    let mut last = None;
    for attempt in 0..4 {
        if day > limit || day.year() != ctx.year {
            break;
        }
        let outcome = if reason == Reason::Departure {
            match p.fate {
                Fate::Died(..) => CallOutcome::Died,
                _ => CallOutcome::Moved,
            }
        } else if p.bad_number {
            CallOutcome::InvalidNumber
        } else if unanswered_three {
            CallOutcome::NoAnswer
        } else {
            let visited = if reason == Reason::MissedVisit { 0 } else { 12 };
            [
                CallOutcome::NoAnswer,
                CallOutcome::AgreedToVisit,
                CallOutcome::CallBackLater,
                CallOutcome::Refused,
                CallOutcome::AlreadyVisited,
            ][weighted(rng, &[19, 41, 11, 6, visited])]
        };
        let gap = match outcome {
            CallOutcome::NoAnswer => Some(days(rng, 1, 3)),
            CallOutcome::CallBackLater => Some(days(rng, 1, 5)),
            CallOutcome::AgreedToVisit => Some(days(rng, 2, 14)),
            _ => None,
        };
        let next = gap.map(|g| add_days(day, g).min(ctx.as_of));
        out.push(Call {
            day,
            minute: 8 * 60 + rng.u32(0..9 * 60),
            outcome,
            next,
            note: note(rng, p.female, outcome, next),
        });
        last = Some(day);
        let again = match outcome {
            CallOutcome::NoAnswer if unanswered_three => attempt < 2,
            CallOutcome::NoAnswer | CallOutcome::CallBackLater => chance(rng, 0.75),
            CallOutcome::InvalidNumber => attempt == 0 && chance(rng, 0.3),
            _ => false,
        };
        if !again {
            break;
        }
        day = weekday_on_or_after(next.unwrap_or_else(|| add_days(day, days(rng, 1, 3))));
    }
    last
}

/// A short note in Russian for about a third of the calls.
fn note(
    rng: &mut fastrand::Rng,
    female: bool,
    outcome: CallOutcome,
    next: Option<NaiveDate>,
) -> String {
    if !chance(rng, 0.35) {
        return String::new();
    }
    let when = next
        .map(|d| d.format("%d.%m").to_string())
        .unwrap_or_default();
    let (booked, came, left, died) = if female {
        ("Записана", "Была", "Переехала", "умерла")
    } else {
        ("Записан", "Был", "Переехал", "умер")
    };
    match outcome {
        CallOutcome::AgreedToVisit => match rng.u32(..3) {
            0 => format!("{booked} на {when} к эндокринологу"),
            1 => format!("{booked} на {when} на сдачу HbA1c"),
            _ => format!("Придёт на приём {when}"),
        },
        CallOutcome::CallBackLater => (*pick(
            rng,
            &[
                "Просит перезвонить после 18:00",
                "Просит перезвонить на следующей неделе",
                "Перезвонить дочери",
            ],
        ))
        .to_string(),
        CallOutcome::NoAnswer => {
            (*pick(rng, &["Не берёт трубку", "Абонент недоступен"])).to_string()
        }
        CallOutcome::Refused => (*pick(
            rng,
            &[
                "Отказ, чувствует себя хорошо",
                "Отказывается, наблюдается в частной клинике",
            ],
        ))
        .to_string(),
        CallOutcome::AlreadyVisited => format!("{came} на приёме в поликлинике"),
        CallOutcome::InvalidNumber => (*pick(
            rng,
            &["Номер не существует", "Номер принадлежит другому человеку"],
        ))
        .to_string(),
        CallOutcome::Moved => format!("{left} в другой регион"),
        CallOutcome::Died => format!("Со слов родственников, {died}"),
    }
}
