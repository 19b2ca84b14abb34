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
