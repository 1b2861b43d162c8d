//! Checks of the personal identifiers a register row carries: the SNILS check number, and the
//! mark Excel leaves on a long number it rewrote in scientific notation.

/// True when `text` is a number as Excel shows (and saves) a long one it took for a quantity:
/// `2,94028E+15`, `2.94028e15`, `4.26258E+10` — its last digits are gone.
pub fn is_excel_scientific(text: &str) -> bool {
    let t = text.trim();
    let Some((mantissa, exponent)) = t.split_once(['E', 'e']) else {
        return false;
    };
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    let (whole, fraction) = match mantissa.split_once(['.', ',']) {
        Some((w, f)) => (w, f),
        None => (mantissa, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !whole.is_empty()
        && !exponent.is_empty()
        && digits(whole)
        && digits(fraction)
        && digits(exponent)
}

/// SNILS numbers up to this body (001-001-998) carry no check number.
pub const SNILS_UNCHECKED_UP_TO: u64 = 1_001_998;

/// The SNILS check number of a nine-digit body: each digit times its position counted from the
/// end (9 … 1), summed; a sum below 100 is the check number, 100 and 101 give 00, above 101 the
/// remainder of division by 101 (a remainder of 100 gives 00). Instruction on filling in the
/// forms of individual (personalised) accounting, approved by the Resolution of the Board of
/// the Pension Fund of Russia of 31.07.2006 No. 192p, section 8 "Алгоритм формирования
/// контрольного числа Страхового номера" (checked only for numbers above 001-001-998).
pub fn snils_check_number(body: u64) -> u64 {
    let digits = format!("{body:09}");
    let sum: u64 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| u64::from(b - b'0') * (9 - i as u64))
        .sum();
    match sum {
        0..100 => sum,
        100 | 101 => 0,
        _ => (sum % 101) % 100,
    }
}

/// Why a SNILS is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnilsProblem {
    /// Not eleven digits once spaces and hyphens are dropped (`digits` is how many there are).
    NotElevenDigits {
        /// The digits found.
        digits: usize,
    },
    /// The check number does not match the body.
    CheckNumber {
        /// The check number the body gives.
        expected: u64,
    },
}

/// Checks a SNILS written `123-456-789 01`, `12345678901` or with other spaces and hyphens.
pub fn check_snils(text: &str) -> Result<(), SnilsProblem> {
    let mut digits = String::with_capacity(11);
    for c in text.trim().chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '\u{a0}' => {}
            _ => return Err(SnilsProblem::NotElevenDigits { digits: 0 }),
        }
    }
    if digits.len() != 11 {
        return Err(SnilsProblem::NotElevenDigits {
            digits: digits.len(),
        });
    }
    let body: u64 = digits[..9].parse().unwrap_or(0);
    let check: u64 = digits[9..].parse().unwrap_or(u64::MAX);
    if body <= SNILS_UNCHECKED_UP_TO {
        return Ok(());
    }
    let expected = snils_check_number(body);
    if check == expected {
        Ok(())
    } else {
        Err(SnilsProblem::CheckNumber { expected })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pension_funds_example_and_its_special_sums() {
        // The instruction's own example: 112-233-445 95.
        assert_eq!(snils_check_number(112_233_445), 95);
        assert_eq!(check_snils("112-233-445 95"), Ok(()));
        assert_eq!(check_snils("11223344595"), Ok(()));
        assert_eq!(
            check_snils("112-233-445 96"),
            Err(SnilsProblem::CheckNumber { expected: 95 })
        );
        // Sum 196 > 101: 196 mod 101 = 95.
        assert_eq!(snils_check_number(426_257_934), 95);
        // A sum of exactly 100 or 101 gives 00.
        assert_eq!(snils_check_number(1_019_989), 0);
        // Below 001-001-998 nothing is checked.
        assert_eq!(check_snils("001-001-998 77"), Ok(()));
        assert_eq!(
            check_snils("4,26258E+10"),
            Err(SnilsProblem::NotElevenDigits { digits: 0 })
        );
        assert_eq!(
            check_snils("2625793495"),
            Err(SnilsProblem::NotElevenDigits { digits: 10 })
        );
    }

    #[test]
    fn excels_scientific_notation_is_recognised() {
        for t in ["2,94028E+15", "2.94028e15", "4.26258E+10", "3E+15"] {
            assert!(is_excel_scientific(t), "{t}");
        }
        for t in ["2940278115016579", "E+15", "2,9E", "426-257-934 95", "ЕНП"] {
            assert!(!is_excel_scientific(t), "{t}");
        }
    }
}
