//! Text folding for search and ordering that works for Russian as well as Latin script.
//!
//! SQLite's `LIKE` and `lower()` fold ASCII only, so the register stores a folded copy of each
//! searchable field and searches it with the same folding applied to the query.

/// Folds text for comparison: lower case in any script, `ё` as `е`, whitespace collapsed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for ch in text.chars() {
        if ch.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        last_space = false;
        for lower in ch.to_lowercase() {
            out.push(if lower == 'ё' { 'е' } else { lower });
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Keeps only the digits of a phone or policy number, so "+7 (912) 345-67-89" matches "9123456789".
pub fn digits(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// The words of a search query, folded; a patient matches when every word occurs in its search text.
///
/// Numbers are typed as people dial them: consecutive words of digits and phone punctuation
/// ("8 937 492-75-89", "+7 (937) 492 75 89", "8(937)492-75-89") are one number, searched by its
/// digits; an 11-digit Russian number (7… or 8…) is searched by its local 10 digits, which the
/// search text holds for every phone. A word ending in a dot is an initial ("Иванова М. П.").
pub fn query_words(query: &str) -> Vec<String> {
    let is_number = |w: &str| {
        w.chars().any(|c| c.is_ascii_digit())
            && w.chars().all(|c| c.is_ascii_digit() || "+-()".contains(c))
    };
    // A number begun with the trunk or country prefix written apart ("8 937…", "+7 937…",
    // "8(937)…", "+7(937)…") is searched without it even when only its first digits are typed.
    let trunk = |w: &str| {
        matches!(w, "8" | "+7")
            || w.starts_with("+7(")
            || w.starts_with("8(")
            || (w.starts_with("+7") && w.len() == 12)
    };
    let mut words = Vec::new();
    let mut number = String::new();
    let mut prefixed = false;
    let flush = |number: &mut String, prefixed: &mut bool, words: &mut Vec<String>| {
        if number.is_empty() {
            return;
        }
        let full = number.len() == 11 && (number.starts_with('7') || number.starts_with('8'));
        let local = if full || (*prefixed && number.len() > 1) {
            number[1..].to_string()
        } else {
            number.clone()
        };
        words.push(local);
        number.clear();
        *prefixed = false;
    };
    for w in fold(query).split(' ').filter(|w| !w.is_empty()) {
        if is_number(w) {
            if number.is_empty() {
                prefixed = trunk(w);
            }
            number.push_str(&digits(w));
            continue;
        }
        flush(&mut number, &mut prefixed, &mut words);
        let w = w.trim_end_matches('.');
        if !w.is_empty() {
            words.push(w.to_string());
        }
    }
    flush(&mut number, &mut prefixed, &mut words);
    words
}

/// Builds the stored search text of a patient from its name parts, phones and identifiers.
pub fn patient_search_text(names: &[&str], numbers: &[Option<&str>]) -> String {
    let mut text = fold(&names.join(" "));
    for n in numbers.iter().flatten() {
        let d = digits(n);
        if !d.is_empty() {
            text.push(' ');
            text.push_str(&d);
            // Russian numbers are dialled as 8… or +7…: index the local 10 digits too.
            if d.len() == 11 && (d.starts_with('7') || d.starts_with('8')) {
                text.push(' ');
                text.push_str(&d[1..]);
            }
        }
    }
    text
}

/// The key that orders names by the Russian alphabet (Latin names sort before Cyrillic ones).
///
/// Cyrillic а..я are in alphabet order in Unicode; only ё is out of place, and folding it to е
/// is how Russian dictionaries and registers order it.
pub fn sort_key(text: &str) -> String {
    fold(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_cyrillic_case_and_yo() {
        assert_eq!(fold("ФЁДОРОВ  Пётр"), "федоров петр");
        assert_eq!(fold("Smith"), "smith");
        assert_eq!(fold("  a \t b "), "a b");
    }

    #[test]
    fn query_words_split_and_keep_phone_digits() {
        assert_eq!(query_words("Фёдоров пётр"), vec!["федоров", "петр"]);
        // However the number is typed, it is searched by its local 10 digits.
        for typed in [
            "+7 (912) 345-67-89",
            "8 912 345-67-89",
            "8(912)345-67-89",
            "89123456789",
            "912 345 67 89",
            "+79123456789",
        ] {
            assert_eq!(query_words(typed), vec!["9123456789"], "{typed}");
        }
        assert_eq!(query_words("912-345"), vec!["912345"]);
        // The first digits only, after the prefix written apart: searched without the prefix.
        for typed in [
            "8 912 345",
            "+7 912 345",
            "8(912)345",
            "+7(912) 34-5",
            "912 345",
        ] {
            assert_eq!(query_words(typed), vec!["912345"], "{typed}");
        }
        // A short number is not mistaken for a prefixed one.
        assert_eq!(query_words("8912"), vec!["8912"]);
        assert_eq!(query_words("(3452) 12-34-56"), vec!["3452123456"]);
        assert_eq!(
            query_words("Иванова 8 912 345-67-89"),
            vec!["иванова", "9123456789"]
        );
        // Initials with or without dots.
        assert_eq!(query_words("Иванова М. П."), vec!["иванова", "м", "п"]);
        assert_eq!(query_words("Иванова М П"), vec!["иванова", "м", "п"]);
    }

    #[test]
    fn search_text_indexes_local_phone_digits() {
        let t = patient_search_text(&["Семёнова", "Алёна"], &[Some("+7 912 345-67-89"), None]);
        assert!(t.contains("семенова алена"));
        assert!(t.contains("79123456789"));
        assert!(t.contains(" 9123456789"));
    }

    #[test]
    fn russian_alphabet_order() {
        let mut names = vec!["Юдин", "Ёлкин", "Жуков", "Егоров", "Абрамов"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, vec!["Абрамов", "Егоров", "Ёлкин", "Жуков", "Юдин"]);
    }
}
