//! The cells of the report's CSV files, written one way in every file: shares as percents with
//! one decimal (empty when nobody is in the denominator), money in whole units with a decimal
//! point.

use crate::domain::indicators::Ratio;
use crate::domain::money::Money;

/// A CSV file's rows, the header first.
pub(super) type Rows = Vec<Vec<String>>;

/// A share as a percent with one decimal, empty with an empty denominator.
pub(super) fn pct(r: Ratio) -> String {
    r.rate()
        .map(|x| format!("{:.1}", x * 100.0))
        .unwrap_or_default()
}

/// Numerator, denominator and percent.
pub(super) fn ratio_cells(r: Ratio) -> [String; 3] {
    [r.numerator.to_string(), r.denominator.to_string(), pct(r)]
}

/// Money in whole units with a decimal point (`-1234.50`).
pub(super) fn money(m: Money) -> String {
    let abs = m.minor().unsigned_abs();
    let sign = if m.minor() < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}
