//! Text folding: how Leerpad compares words people type with words it stores (search, lookup,
//! facets, matching) without caring about case or accents.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-case and fold diacritics; other characters are kept.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn case_and_accents_fold_away() {
        assert_eq!(fold("Coördinatie Café"), "coordinatie cafe");
        assert_eq!(fold("ABC"), "abc");
    }
}

/// The language of a short text a person wrote, Dutch or English, guessed from its most common
/// words; `None` when neither stands out. Pages mark quoted user text with it, so a screen
/// reader pronounces it right and a Dutch page holds no unmarked English.
pub fn guess_language(text: &str) -> Option<&'static str> {
    // Words common in one language only ("in" and "is" are both, so neither list has them).
    const NL: [&str; 14] = [
        "de", "het", "een", "en", "ik", "je", "van", "met", "op", "voor", "bij", "als", "werk",
        "dat",
    ];
    const EN: [&str; 14] = [
        "the", "a", "an", "and", "i", "you", "of", "with", "on", "for", "at", "as", "work", "that",
    ];
    let folded = fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let count = |list: &[&str]| words.iter().filter(|w| list.contains(w)).count();
    let (nl, en) = (count(&NL), count(&EN));
    match nl.cmp(&en) {
        std::cmp::Ordering::Greater => Some("nl"),
        std::cmp::Ordering::Less => Some("en"),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod language_tests {
    use super::guess_language;

    #[test]
    fn dutch_and_english_sentences_are_told_apart() {
        assert_eq!(
            guess_language("Ik help cliënten met wassen en aankleden."),
            Some("nl")
        );
        assert_eq!(
            guess_language("I also speak English, use Microsoft Excel and plan the team schedule."),
            Some("en")
        );
        assert_eq!(guess_language("Excel"), None);
    }
}
