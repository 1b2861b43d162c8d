//! Money as integer minor units (kopecks, cents): never floating point, so sums are exact to the unit.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount of money in minor units (1/100 of the currency unit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(0);

    /// Builds an amount from whole currency units.
    pub fn from_major(units: i64) -> Money {
        Money(units * 100)
    }

    /// The amount in minor units.
    pub fn minor(self) -> i64 {
        self.0
    }

    /// The amount in currency units as a float, for ratios and charts only (never for sums).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Rounds a float amount of currency units to the nearest minor unit (half away from zero).
    pub fn from_f64_rounded(units: f64) -> Money {
        Money((units * 100.0).round() as i64)
    }

    /// Parses "1234", "1234.5", "1234.56", "-12,30" (a decimal comma is accepted) into minor units.
    /// More than two decimals is an error rather than a silent rounding.
    pub fn parse(text: &str) -> Result<Money, String> {
        let t = text.trim().replace([' ', '\u{a0}', '\u{202f}'], "");
        if t.is_empty() {
            return Err("an amount is required".into());
        }
        let (negative, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.as_str()),
        };
        let digits = digits.replace(',', ".");
        let (whole, frac) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits.as_str(), ""),
        };
        let valid = !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
            && frac.len() <= 2;
        if !valid {
            return Err(format!("\"{text}\" is not an amount like 1234.56"));
        }
        let whole: i64 = whole
            .parse()
            .map_err(|_| format!("\"{text}\" is too large an amount"))?;
        let frac_minor: i64 = match frac.len() {
            0 => 0,
            1 => i64::from(frac.as_bytes()[0] - b'0') * 10,
            _ => frac.parse().unwrap_or(0),
        };
        let minor = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(frac_minor))
            .ok_or_else(|| format!("\"{text}\" is too large an amount"))?;
        Ok(Money(if negative { -minor } else { minor }))
    }
}

impl fmt::Display for Money {
    /// Plain machine form: "-1234.56" (locale formatting lives in i18n).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}
impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}
impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}
impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}
impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}
impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let text = String::deserialize(d)?;
        Money::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        assert_eq!(Money::parse("1234.56"), Ok(Money(123456)));
        assert_eq!(Money::parse("1234,5"), Ok(Money(123450)));
        assert_eq!(Money::parse("-0.07"), Ok(Money(-7)));
        assert_eq!(Money::parse("12 345"), Ok(Money(1234500)));
        assert!(Money::parse("1.234").is_err());
        assert!(Money::parse("abc").is_err());
        assert!(Money::parse("").is_err());
        assert_eq!(Money(-123456).to_string(), "-1234.56");
        assert_eq!(Money(5).to_string(), "0.05");
    }
}
