//! A compact byte form of the Progress counters, for the stored index: a patient's figures at every
//! period end in one value of a couple of hundred bytes, and a group's sums in one value.
//!
//! Counters are written sparsely: a bit mask of the non-zero ones, a second mask of those above
//! one, then those values (LEB128). A patient's list facts are written only when they differ from
//! the period end before. Dates are days from the Common Era, values the f64's exact bits.

use super::progress_counts::{Counts, LEN};
use super::progress_facts::{DrillFacts, MonthFacts};
use chrono::{Datelike, NaiveDate};

/// Why stored bytes could not be read back (an index written by another version).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the stored Progress figures are not in the expected form")
    }
}

impl std::error::Error for Malformed {}

struct Writer(Vec<u8>);

impl Writer {
    fn uint(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    fn date(&mut self, d: NaiveDate) {
        self.uint(u64::try_from(d.num_days_from_ce()).unwrap_or(0));
    }

    fn float(&mut self, x: f64) {
        self.0.extend_from_slice(&x.to_bits().to_le_bytes());
    }

    fn counts(&mut self, c: &Counts) {
        let mask =
            c.0.iter()
                .enumerate()
                .fold(0u64, |m, (i, n)| if *n > 0 { m | 1 << i } else { m });
        let big =
            c.0.iter()
                .enumerate()
                .fold(0u64, |m, (i, n)| if *n > 1 { m | 1 << i } else { m });
        self.uint(mask);
        self.uint(big);
        for n in c.0.iter().filter(|n| **n > 1) {
            self.uint(*n);
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn uint(&mut self) -> Result<u64, Malformed> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.0.split_first().ok_or(Malformed)?;
            self.0 = rest;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(Malformed)
    }

    fn byte(&mut self) -> Result<u8, Malformed> {
        let (&byte, rest) = self.0.split_first().ok_or(Malformed)?;
        self.0 = rest;
        Ok(byte)
    }

    fn date(&mut self) -> Result<NaiveDate, Malformed> {
        i32::try_from(self.uint()?)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .ok_or(Malformed)
    }

    fn float(&mut self) -> Result<f64, Malformed> {
        let bytes = self.0.get(..8).ok_or(Malformed)?;
        let x = f64::from_bits(u64::from_le_bytes(bytes.try_into().map_err(|_| Malformed)?));
        self.0 = &self.0[8..];
        Ok(x)
    }

    fn counts(&mut self) -> Result<Counts, Malformed> {
        let (mask, big) = (self.uint()?, self.uint()?);
        if (mask | big) >> LEN != 0 || big & !mask != 0 {
            return Err(Malformed);
        }
        let mut c = Counts::default();
        for (i, n) in c.0.iter_mut().enumerate() {
            if big & 1 << i != 0 {
                *n = self.uint()?;
            } else if mask & 1 << i != 0 {
                *n = 1;
            }
        }
        Ok(c)
    }
}

const HBA1C: u8 = 1;
const BP: u8 = 2;
const VISIT: u8 = 4;

/// A group's counters as bytes.
pub fn encode_counts(c: &Counts) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(16));
    w.counts(c);
    w.0
}

/// A group's counters read back.
pub fn decode_counts(bytes: &[u8]) -> Result<Counts, Malformed> {
    let mut r = Reader(bytes);
    let c = r.counts()?;
    r.0.is_empty().then_some(c).ok_or(Malformed)
}

/// A patient's figures at every period end as bytes.
pub fn encode_months(months: &[MonthFacts]) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(16 * months.len()));
    w.uint(months.len() as u64);
    let mut before = DrillFacts::default();
    for m in months {
        w.counts(&m.counts);
        let d = m.drill;
        let changed = (if d.latest_hba1c != before.latest_hba1c {
            HBA1C
        } else {
            0
        }) | (if d.latest_bp != before.latest_bp {
            BP
        } else {
            0
        }) | (if d.last_visit != before.last_visit {
            VISIT
        } else {
            0
        });
        // Each changed fact: 0 for none, else 1 and its value.
        w.0.push(changed);
        if changed & HBA1C != 0 {
            match d.latest_hba1c {
                None => w.uint(0),
                Some((day, v)) => {
                    w.uint(1);
                    w.date(day);
                    w.float(v);
                }
            }
        }
        if changed & BP != 0 {
            match d.latest_bp {
                None => w.uint(0),
                Some((day, s, di)) => {
                    w.uint(1);
                    w.date(day);
                    w.float(s);
                    w.float(di);
                }
            }
        }
        if changed & VISIT != 0 {
            match d.last_visit {
                None => w.uint(0),
                Some(day) => {
                    w.uint(1);
                    w.date(day);
                }
            }
        }
        before = d;
    }
    w.0
}

/// A patient's figures read back.
pub fn decode_months(bytes: &[u8]) -> Result<Vec<MonthFacts>, Malformed> {
    let mut r = Reader(bytes);
    let n = usize::try_from(r.uint()?).map_err(|_| Malformed)?;
    let mut out = Vec::with_capacity(n.min(64));
    let mut drill = DrillFacts::default();
    for _ in 0..n {
        let counts = r.counts()?;
        let changed = r.byte()?;
        if changed & HBA1C != 0 {
            drill.latest_hba1c = match r.uint()? {
                0 => None,
                _ => Some((r.date()?, r.float()?)),
            };
        }
        if changed & BP != 0 {
            drill.latest_bp = match r.uint()? {
                0 => None,
                _ => Some((r.date()?, r.float()?, r.float()?)),
            };
        }
        if changed & VISIT != 0 {
            drill.last_visit = match r.uint()? {
                0 => None,
                _ => Some(r.date()?),
            };
        }
        out.push(MonthFacts { counts, drill });
    }
    r.0.is_empty().then_some(out).ok_or(Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::progress_counts::{CALLS, PATIENTS, READMISSIONS};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_round_trip_exactly() {
        let mut a = Counts::default();
        a.0[PATIENTS] = 1;
        a.0[CALLS] = 300;
        a.0[READMISSIONS + 1] = 2;
        a.0[LEN - 1] = u64::MAX;
        let months = vec![
            MonthFacts {
                counts: a,
                drill: DrillFacts::default(),
            },
            MonthFacts {
                counts: Counts::default(),
                drill: DrillFacts {
                    latest_hba1c: Some((d(2026, 1, 2), 7.1)),
                    latest_bp: Some((d(2026, 1, 3), 139.0, 0.1 + 0.2)),
                    last_visit: Some(d(2026, 1, 3)),
                },
            },
            MonthFacts {
                counts: a,
                drill: DrillFacts {
                    latest_hba1c: Some((d(2026, 1, 2), 7.1)),
                    latest_bp: None,
                    last_visit: Some(d(2026, 2, 3)),
                },
            },
        ];
        let bytes = encode_months(&months);
        assert_eq!(decode_months(&bytes), Ok(months));
        assert_eq!(decode_counts(&encode_counts(&a)), Ok(a));
        assert_eq!(decode_counts(&[]), Err(Malformed));
        assert_eq!(decode_months(&bytes[..bytes.len() - 1]), Err(Malformed));
    }

    #[test]
    fn a_quiet_patient_takes_a_few_bytes_a_month() {
        let mut c = Counts::default();
        for i in [0, 1, 5, 6, 9, 20, 21, 22, 23, 24] {
            c.0[i] = 1;
        }
        let months = vec![
            MonthFacts {
                counts: c,
                drill: DrillFacts::default(),
            };
            12
        ];
        assert!(encode_months(&months).len() <= 12 * 6 + 1);
    }
}
