//! Text normalisation shared by lookup, title matching and skill extraction: lower case,
//! diacritics folded (`café` → `cafe`, `coördinatie` → `coordinatie`), split into word tokens,
//! and Snowball stemming for Dutch and English.

use rust_stemmers::{Algorithm, Stemmer};

use crate::shared::fold;

/// Word tokens of folded text. `+` and `#` stay inside words so `c++` and `c#` survive.
pub fn tokens(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !(c.is_alphanumeric() || c == '+' || c == '#'))
        .filter(|t| !t.is_empty())
        .map(|t| t.trim_start_matches(['+', '#']).to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Words too common to tell skills apart, in English and Dutch.
const STOPWORDS: &[&str] = &[
    // English
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it",
    "its", "of", "on", "or", "our", "that", "the", "their", "this", "to", "was", "we", "were",
    "will", "with", "you", "your", "who", "which", "can", "able", "other", "such", "etc", "e", "g",
    "i", "ie", "eg", "all", "any", "into", "within", "using", "use", "work", "working",
    // Dutch
    "de", "het", "een", "en", "van", "voor", "met", "op", "te", "in", "aan", "bij", "je", "jij",
    "wij", "we", "u", "uw", "is", "zijn", "of", "als", "die", "dat", "er", "om", "ook", "naar",
    "door", "over", "tot", "uit", "worden", "wordt", "kan", "kunnen", "hebt", "heeft", "hebben",
    "jouw", "onze", "ons", "wat", "wie", "niet", "maar", "dan", "zo", "nog", "al",
];

pub fn is_stopword(token: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| STOPWORDS.iter().copied().collect())
        .contains(token)
}

/// Stemmers for the languages Leerpad analyses.
pub struct Stemmers {
    en: Stemmer,
    nl: Stemmer,
}

impl std::fmt::Debug for Stemmers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stemmers")
    }
}

impl Default for Stemmers {
    fn default() -> Self {
        Stemmers {
            en: Stemmer::create(Algorithm::English),
            nl: Stemmer::create(Algorithm::Dutch),
        }
    }
}

impl Stemmers {
    /// The stem of a folded token in `lang` (`nl` uses the Dutch stemmer, anything else English).
    pub fn stem(&self, lang: &str, token: &str) -> String {
        if token
            .chars()
            .any(|c| c.is_ascii_digit() || c == '+' || c == '#')
        {
            return token.to_owned();
        }
        match lang {
            "nl" => self.nl.stem(token).into_owned(),
            _ => self.en.stem(token).into_owned(),
        }
    }

    /// Stemmed content tokens (stop words removed).
    pub fn content_stems(&self, lang: &str, text: &str) -> Vec<String> {
        tokens(text)
            .into_iter()
            .filter(|t| !is_stopword(t))
            .map(|t| self.stem(lang, &t))
            .collect()
    }
}

/// Levenshtein distance, giving up (returning `max + 1`) once it exceeds `max`.
pub fn bounded_levenshtein(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    levenshtein_chars(&a, &b, max, &mut LevenshteinRows::default())
}

/// Reusable rows for [`levenshtein_chars`], so scanning a vocabulary allocates nothing.
#[derive(Debug, Default)]
pub struct LevenshteinRows {
    prev: Vec<usize>,
    cur: Vec<usize>,
}

/// [`bounded_levenshtein`] on character slices with caller-owned buffers.
pub fn levenshtein_chars(a: &[char], b: &[char], max: usize, rows: &mut LevenshteinRows) -> usize {
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let LevenshteinRows { prev, cur } = rows;
    prev.clear();
    prev.extend(0..=b.len());
    cur.clear();
    cur.resize(b.len() + 1, 0);
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(prev, cur);
    }
    prev[b.len()].min(max + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_tokens() {
        assert_eq!(fold("Coördinatie Café"), "coordinatie cafe");
        assert_eq!(
            tokens("C++ and C#, Node.js!"),
            vec!["c++", "and", "c#", "node", "js"]
        );
        assert!(tokens("  ... ").is_empty());
    }

    #[test]
    fn stems_per_language() {
        let s = Stemmers::default();
        assert_eq!(s.stem("en", "managing"), s.stem("en", "manage"));
        assert_eq!(s.stem("nl", "verzorgende"), s.stem("nl", "verzorgend"));
        assert_eq!(
            s.content_stems("en", "the management of teams"),
            vec!["manag", "team"]
        );
    }

    #[test]
    fn levenshtein_is_bounded() {
        assert_eq!(
            bounded_levenshtein("verpleegkundige", "verpleegkundig", 2),
            1
        );
        assert_eq!(bounded_levenshtein("kitten", "sitting", 3), 3);
        assert_eq!(bounded_levenshtein("a", "abcdef", 2), 3);
    }
}
