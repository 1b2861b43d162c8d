//! Seeded random draws: one independent stream per patient, normal variates, dates and weekdays.
//!
//! Everything here is plain arithmetic on `fastrand::Rng`, so a seed always yields the same values.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// SplitMix64 finaliser: spreads a seed and an index into well-mixed, independent stream seeds.
pub(super) fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The random stream of one patient: independent of every other patient and of the patient count.
pub(super) fn patient_rng(seed: u64, index: u64) -> fastrand::Rng {
    fastrand::Rng::with_seed(splitmix(
        splitmix(seed) ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03),
    ))
}

/// True with probability `p`.
pub(super) fn chance(rng: &mut fastrand::Rng, p: f64) -> bool {
    rng.f64() < p
}

/// A uniform float in `[lo, hi)`.
pub(super) fn uniform(rng: &mut fastrand::Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.f64()
}

/// An approximately normal variate (sum of six uniforms): no transcendental functions, tails cut at ±4.2 sd.
pub(super) fn normal(rng: &mut fastrand::Rng, mean: f64, sd: f64) -> f64 {
    let sum: f64 = (0..6).map(|_| rng.f64()).sum();
    mean + sd * (sum - 3.0) * std::f64::consts::SQRT_2
}

/// An exponential waiting time in days for an event rate given per year.
pub(super) fn exp_days(rng: &mut fastrand::Rng, rate_per_year: f64) -> i64 {
    let u = 1.0 - rng.f64();
    let days = -u.ln() / rate_per_year.max(1e-6) * 365.0;
    days.min(100_000.0).ceil() as i64
}

/// A whole number of days in `lo..=hi` (`lo` when the range is empty).
pub(super) fn days(rng: &mut fastrand::Rng, lo: i64, hi: i64) -> i64 {
    if hi <= lo { lo } else { rng.i64(lo..=hi) }
}

/// One element of a non-empty constant list.
pub(super) fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len().max(1))]
}

/// The index chosen with the given relative weights.
pub(super) fn weighted(rng: &mut fastrand::Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut r = rng.u32(..total.max(1));
    for (i, w) in weights.iter().enumerate() {
        if r < *w {
            return i;
        }
        r -= w;
    }
    weights.len().saturating_sub(1)
}

/// Rounds to one decimal place.
pub(super) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// `date` plus a signed number of days.
pub(super) fn add_days(date: NaiveDate, n: i64) -> NaiveDate {
    date.checked_add_signed(Duration::days(n)).unwrap_or(date)
}

/// Days from `a` to `b` (negative when `b` is earlier).
pub(super) fn between(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

/// The date itself on Monday–Friday, otherwise the following Monday.
pub(super) fn weekday_on_or_after(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => add_days(date, 2),
        Weekday::Sun => add_days(date, 1),
        _ => date,
    }
}

/// A timestamp `YYYY-MM-DDTHH:MM:00` from a date and minutes after midnight.
pub(super) fn timestamp(date: NaiveDate, minute_of_day: u32) -> String {
    let m = minute_of_day.min(24 * 60 - 1);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:00",
        date.year(),
        date.month(),
        date.day(),
        m / 60,
        m % 60
    )
}
