//! Parsing of the text cells of reconciliation inputs (CSV files, published results): money,
//! rates, yes/no and counts, and a whole row into a [`ReconcileInput`]. Each error says what is
//! wrong and what was expected; the caller adds where (file and line).

use super::contract::{Contract, MsrRule, benchmark_total};
use super::reconcile::{ReconcileInput, reconcile};
use crate::domain::money::Money;

/// The cells of one input row, by column name.
pub trait Cells {
    /// The trimmed text of a column; "" when blank or when the column is absent.
    fn cell(&self, column: &str) -> &str;
}

/// A bad cell: its column, and what is wrong and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// The column name.
    pub column: String,
    /// What is wrong, what was expected.
    pub message: String,
}

fn fail(column: &str, message: impl Into<String>) -> CellError {
    CellError {
        column: column.to_string(),
        message: message.into(),
    }
}

fn required<'c>(cells: &'c dyn Cells, column: &str, expected: &str) -> Result<&'c str, CellError> {
    match cells.cell(column) {
        "" => Err(fail(column, format!("is blank, expected {expected}"))),
        text => Ok(text),
    }
}

type Parse<T> = fn(&str) -> Result<T, String>;

fn required_with<T>(
    cells: &dyn Cells,
    column: &str,
    parse: Parse<T>,
    expected: &str,
) -> Result<T, CellError> {
    parse(required(cells, column, expected)?).map_err(|e| fail(column, e))
}

fn optional<T>(cells: &dyn Cells, column: &str, parse: Parse<T>) -> Result<Option<T>, CellError> {
    match cells.cell(column) {
        "" => Ok(None),
        text => parse(text).map(Some).map_err(|e| fail(column, e)),
    }
}

/// Builds the reconciliation input of one row under `contract` from the columns
/// `assigned_beneficiaries, person_years, benchmark_total, expenditure_total, quality_score,
/// met_quality_standard, msr, mlr, agreement_year, disaster_adjustment` and optional
/// `hba1c_coverage` (see `cli::finance_batch` for their meaning).
pub fn reconcile_input(
    cells: &dyn Cells,
    contract: &Contract,
) -> Result<ReconcileInput, CellError> {
    let msr = optional(cells, "msr", parse_rate)?;
    let mlr = optional(cells, "mlr", parse_rate)?;
    let assigned_beneficiaries = match optional(cells, "assigned_beneficiaries", parse_count)? {
        Some(n) => n,
        None if msr.is_none() && contract.msr == MsrRule::Variable => {
            return Err(fail(
                "assigned_beneficiaries",
                "is blank, expected the number of assigned beneficiaries (the MSR table needs it \
                 when msr is blank)",
            ));
        }
        None => 0,
    };

    let expenditure = required_with(
        cells,
        "expenditure_total",
        parse_money,
        "an amount such as 1234.56",
    )?;
    if expenditure < Money::ZERO {
        return Err(fail(
            "expenditure_total",
            format!("{expenditure} is negative, expected an amount of 0 or more"),
        ));
    }
    let benchmark = match optional(cells, "benchmark_total", parse_money)? {
        Some(b) => b,
        None => {
            let years = required_with(
                cells,
                "person_years",
                parse_positive,
                "person-years such as 10234.5 (or a benchmark_total)",
            )?;
            let per_year = contract.benchmark_per_person_year(&[]).map_err(|e| {
                fail(
                    "benchmark_total",
                    format!("is blank and {e}, expected the benchmark total"),
                )
            })?;
            benchmark_total(per_year, years)
        }
    };
    if benchmark <= Money::ZERO {
        return Err(fail(
            "benchmark_total",
            format!("{benchmark} is not above 0, expected a positive amount"),
        ));
    }

    let met = required_with(cells, "met_quality_standard", parse_bool, "true or false")?;
    let quality_score = match optional(cells, "quality_score", parse_rate)? {
        Some(q) => q,
        None if !met => 0.0,
        None => {
            return Err(fail(
                "quality_score",
                "is blank but the quality standard was met, expected a score such as 0.92",
            ));
        }
    };
    let coverage = optional(cells, "hba1c_coverage", parse_rate)?;

    let year = optional(cells, "agreement_year", parse_count)?;
    if year == Some(0) {
        return Err(fail("agreement_year", "0 is not a year, expected 1, 2, 3…"));
    }
    let input = ReconcileInput {
        assigned_beneficiaries,
        benchmark_total: benchmark,
        expenditure_total: expenditure,
        quality_score,
        quality_standard_met: contract.quality_gate_met(met, coverage),
        msr,
        mlr,
        agreement_year: year.unwrap_or(1),
        disaster_adjustment: optional(cells, "disaster_adjustment", parse_money)?
            .unwrap_or(Money::ZERO),
    };
    // The year only matters for a shared loss under a year-dependent cap (Track 2).
    if year.is_none()
        && contract.loss_cap_depends_on_year()
        && reconcile(contract, &input).generated < Money::ZERO
    {
        return Err(fail(
            "agreement_year",
            format!(
                "is blank, expected 1, 2, 3… (the {} loss cap depends on it)",
                contract.id
            ),
        ));
    }
    Ok(input)
}

/// A money cell: plain decimals such as `1234.56` (also `$1234.56`, `-12,30`). More than two
/// decimals (published results carry floats) are rounded to the cent half away from zero on the
/// decimal digits themselves; exponent forms (`1.2e7`) go through f64.
pub fn parse_money(text: &str) -> Result<Money, String> {
    let expected = || format!("\"{text}\" is not an amount, expected a number such as 1234.56");
    let t = text.trim().trim_start_matches('$');
    // Thousands separators: "1,234,567.89" or "1,234,567" (a single comma stays a decimal comma).
    let t = if (t.contains('.') && t.contains(',')) || t.matches(',').count() > 1 {
        t.replace(',', "")
    } else {
        t.to_string()
    };
    let t = t.as_str();
    if let Ok(money) = Money::parse(t) {
        return Ok(money);
    }
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if let Some((whole, frac)) = body.split_once('.') {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if digits(whole) && digits(frac) && frac.len() > 2 {
            let cents = Money::parse(&format!("{whole}.{}", &frac[..2])).map_err(|_| expected())?;
            let up = frac.as_bytes()[2] >= b'5';
            let minor = cents.minor() + i64::from(up);
            return Ok(Money(if negative { -minor } else { minor }));
        }
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() && x.abs() < 9e16 => Ok(Money::from_f64_rounded(x)),
        _ => Err(expected()),
    }
}

/// A rate cell: a fraction between 0 and 1 (`0.02`); a value above 1 is a percentage (`2` → 0.02),
/// as is one written with `%` (`1.5%` → 0.015). So `1` means 100 %.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let expected =
        "expected a fraction between 0 and 1 such as 0.02 (or a percentage above 1 such as 2)";
    let t = text.trim();
    let (number, percent) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let value: f64 = match number.replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        _ => return Err(format!("\"{text}\" is not a number, {expected}")),
    };
    // "91.37e-2" parses to the double nearest 0.9137, where 91.37 / 100 would not.
    let fraction = if percent || value > 1.0 {
        format!("{}e-2", number.replace(',', "."))
            .parse::<f64>()
            .unwrap_or(value / 100.0)
    } else {
        value
    };
    if (0.0..=1.0).contains(&fraction) {
        Ok(fraction)
    } else {
        Err(format!("\"{text}\" is out of range, {expected}"))
    }
}

/// A yes/no cell: true/false, t/f, yes/no, y/n, 1/0 (any case).
pub fn parse_bool(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "t" | "yes" | "y" | "1" => Ok(true),
        "false" | "f" | "no" | "n" | "0" => Ok(false),
        _ => Err(format!(
            "\"{text}\" is not a yes/no value, expected true or false"
        )),
    }
}

/// A whole count: `12345`, `12,345` or `12345.0`.
pub fn parse_count(text: &str) -> Result<u32, String> {
    let t: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    let value = t.parse::<u32>().ok().or_else(|| {
        t.parse::<f64>()
            .ok()
            .filter(|v| v.fract() == 0.0 && *v >= 0.0 && *v <= f64::from(u32::MAX))
            .map(|v| v as u32)
    });
    value.ok_or_else(|| format!("\"{text}\" is not a whole number, expected a count such as 12345"))
}

/// A positive number such as person-years (`10234.5`).
pub fn parse_positive(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!(
            "\"{text}\" is not a positive number, expected one such as 10234.5"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    impl Cells for HashMap<&str, &str> {
        fn cell(&self, column: &str) -> &str {
            self.get(column).copied().unwrap_or("")
        }
    }

    #[test]
    fn a_row_becomes_a_reconcile_input() {
        let pilot = Contract::preset("regional-pilot").unwrap();
        let mut row = HashMap::from([
            ("person_years", "1000"),
            ("expenditure_total", "99000000.456"),
            ("met_quality_standard", "true"),
            ("quality_score", "87"),
            ("hba1c_coverage", "0.65"),
        ]);
        // No benchmark_total and the pilot's benchmark needs baseline spend.
        let err = reconcile_input(&row, &pilot).unwrap_err();
        assert_eq!(err.column, "benchmark_total");
        row.insert("benchmark_total", "100000000");
        let input = reconcile_input(&row, &pilot).unwrap();
        assert_eq!(input.expenditure_total, Money(9_900_000_046));
        assert_eq!(input.quality_score, 0.87);
        assert!(!input.quality_standard_met, "coverage 65 % < 70 %");
        assert_eq!((input.msr, input.agreement_year), (None, 1));
    }

    #[test]
    fn money_cells_round_extra_decimals_to_the_cent() {
        assert_eq!(parse_money("1234.56"), Ok(Money(123_456)));
        assert_eq!(parse_money("$1234"), Ok(Money(123_400)));
        assert_eq!(parse_money("1,234,567.891"), Ok(Money(123_456_789)));
        assert_eq!(parse_money("1,234,567"), Ok(Money(123_456_700)));
        assert_eq!(parse_money("12,5"), Ok(Money(1_250)));
        assert_eq!(parse_money("1234.565"), Ok(Money(123_457)));
        assert_eq!(parse_money("1234.5649999"), Ok(Money(123_456)));
        assert_eq!(parse_money("-1234.565"), Ok(Money(-123_457)));
        assert_eq!(parse_money("0.005"), Ok(Money(1)));
        assert_eq!(parse_money("1.5e6"), Ok(Money(150_000_000)));
        assert_eq!(parse_money("-2.5E-3"), Ok(Money(0)));
        assert!(
            parse_money("12a")
                .unwrap_err()
                .contains("expected a number such as 1234.56")
        );
        assert!(parse_money("NaN").is_err());
    }

    #[test]
    fn rate_cells_take_fractions_or_percentages() {
        assert_eq!(parse_rate("0.02"), Ok(0.02));
        assert_eq!(parse_rate("2"), Ok(0.02));
        assert_eq!(parse_rate("1.5%"), Ok(0.015));
        assert_eq!(parse_rate("1"), Ok(1.0));
        assert_eq!(parse_rate("0"), Ok(0.0));
        assert_eq!(parse_rate("91.37"), Ok(0.9137));
        assert!(parse_rate("150").unwrap_err().contains("out of range"));
        assert!(parse_rate("-0.1").is_err());
        assert!(parse_rate("two").unwrap_err().contains("is not a number"));
    }

    #[test]
    fn bool_and_count_cells() {
        assert_eq!(parse_bool("TRUE"), Ok(true));
        assert_eq!(parse_bool("0"), Ok(false));
        assert!(parse_bool("maybe").is_err());
        assert_eq!(parse_count("12,345"), Ok(12_345));
        assert_eq!(parse_count("12345.0"), Ok(12_345));
        assert!(parse_count("12.5").is_err());
        assert!(parse_count("-3").is_err());
        assert_eq!(parse_positive("10234.5"), Ok(10_234.5));
        assert!(parse_positive("0").is_err());
    }
}
