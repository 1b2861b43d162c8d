//! Numbers, money, percentages and dates in the style of a language.

use super::Lang;
use crate::domain::money::Money;
use chrono::{NaiveDate, NaiveDateTime};

/// How dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// 2024-03-05
    Iso,
    /// 05.03.2024
    Russian,
}

/// Formats values for one language: grouping and decimal separators, currency, dates.
#[derive(Debug, Clone)]
pub struct Formatter {
    group: char,
    decimal: char,
    /// The date style (Russian by default in Russian, ISO in English; configurable).
    pub date_style: DateStyle,
}

impl Formatter {
    /// The conventions of `lang`.
    pub fn new(lang: Lang) -> Formatter {
        match lang {
            // Russian groups thousands with a no-break space and uses a decimal comma.
            Lang::Ru => Formatter {
                group: '\u{a0}',
                decimal: ',',
                date_style: DateStyle::Russian,
            },
            Lang::En => Formatter {
                group: ',',
                decimal: '.',
                date_style: DateStyle::Iso,
            },
        }
    }

    /// An integer with thousands grouped: 12 345 / 12,345.
    pub fn int(&self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(self.group);
            }
            out.push(ch);
        }
        out
    }

    /// A decimal number with `places` decimals.
    pub fn decimal(&self, value: f64, places: usize) -> String {
        let text = format!("{:.*}", places, value.abs());
        let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
        let whole: i64 = whole.parse().unwrap_or(0);
        let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            "-"
        } else {
            ""
        };
        if frac.is_empty() {
            format!("{sign}{}", self.int(whole))
        } else {
            format!("{sign}{}{}{frac}", self.int(whole), self.decimal)
        }
    }

    /// A share as a percentage with one decimal: 12.5% / 12,5 %.
    pub fn percent(&self, share: f64) -> String {
        let n = self.decimal(share * 100.0, 1);
        if self.decimal == ',' {
            format!("{n}\u{a0}%")
        } else {
            format!("{n}%")
        }
    }

    /// A share with the numbers behind it: "43.2% (120/278)", or "—" with an empty denominator.
    pub fn ratio(&self, r: crate::domain::indicators::Ratio) -> String {
        match r.rate() {
            Some(rate) => format!(
                "{} ({}/{})",
                self.percent(rate),
                self.int(r.numerator as i64),
                self.int(r.denominator as i64)
            ),
            None => "—".into(),
        }
    }

    /// A share alone: "43.2%", or "—" with an empty denominator.
    pub fn share(&self, r: crate::domain::indicators::Ratio) -> String {
        r.rate()
            .map(|x| self.percent(x))
            .unwrap_or_else(|| "—".into())
    }

    /// Money in whole currency units with the currency sign: 1 234 567 ₽ / $1,234,567.
    pub fn money(&self, m: Money, currency: &str) -> String {
        let units = (m.minor() as f64 / 100.0).round() as i64;
        self.with_currency(self.int(units), currency)
    }

    /// Money to the kopeck/cent: 1 234,56 ₽.
    pub fn money_exact(&self, m: Money, currency: &str) -> String {
        let abs = m.minor().unsigned_abs();
        let sign = if m.minor() < 0 { "-" } else { "" };
        let body = format!(
            "{sign}{}{}{:02}",
            self.int((abs / 100) as i64),
            self.decimal,
            abs % 100
        );
        self.with_currency(body, currency)
    }

    fn with_currency(&self, amount: String, currency: &str) -> String {
        match currency {
            "RUB" => format!("{amount}\u{a0}₽"),
            "USD" => match amount.strip_prefix('-') {
                Some(rest) => format!("-${rest}"),
                None => format!("${amount}"),
            },
            "EUR" => format!("{amount}\u{a0}€"),
            other => format!("{amount}\u{a0}{other}"),
        }
    }

    /// A date in the configured style.
    pub fn date(&self, d: NaiveDate) -> String {
        match self.date_style {
            DateStyle::Iso => d.format("%Y-%m-%d").to_string(),
            DateStyle::Russian => d.format("%d.%m.%Y").to_string(),
        }
    }

    /// A date with a 24-hour time.
    pub fn date_time(&self, dt: NaiveDateTime) -> String {
        format!("{} {}", self.date(dt.date()), dt.format("%H:%M"))
    }

    /// A month as YYYY-MM or MM.YYYY.
    pub fn month(&self, d: NaiveDate) -> String {
        match self.date_style {
            DateStyle::Iso => d.format("%Y-%m").to_string(),
            DateStyle::Russian => d.format("%m.%Y").to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_and_english_numbers() {
        let ru = Formatter::new(Lang::Ru);
        let en = Formatter::new(Lang::En);
        assert_eq!(ru.int(1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(en.int(-1234567), "-1,234,567");
        assert_eq!(en.int(999), "999");
        assert_eq!(ru.decimal(8.46, 1), "8,5");
        assert_eq!(en.percent(0.125), "12.5%");
        assert_eq!(ru.percent(0.125), "12,5\u{a0}%");
        assert_eq!(
            ru.money(Money(123456789), "RUB"),
            "1\u{a0}234\u{a0}568\u{a0}₽"
        );
        assert_eq!(en.money_exact(Money(-123456), "USD"), "-$1,234.56");
        let d = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
        assert_eq!(ru.date(d), "05.03.2024");
        assert_eq!(en.date(d), "2024-03-05");
    }
}
