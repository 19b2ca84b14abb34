//! Which occupations a text names: a search query ("verzorgende", "forklift driver") or an
//! offer's title and summary ("… voor wie wil werken als heftruckchauffeur").
//!
//! Every Dutch and English preferred and alternative occupation label is a phrase; a text
//! names an occupation where one of its labels occurs as whole words (case and accents
//! ignored), the longest label winning where labels overlap ("verzorgende IG" before
//! "verzorgende"). Search uses it both ways: offers are indexed with the occupations their texts
//! name, and a query naming an occupation finds those offers first, then the offers of its
//! ISCO unit group, whatever words they use.

use super::{OccupationId, SkillId, Taxonomy, TaxonomyData};
use crate::shared::fold;
use aho_corasick::{AhoCorasick, MatchKind};
use rustc_hash::FxHashMap as HashMap;

/// A synonym shared by more occupations than this says too little to name one ("assistent").
const MAX_OCCUPATIONS_PER_LABEL: usize = 4;

/// Labels shorter than this (folded, in bytes) are too likely to be a word of something else.
const MIN_LABEL_BYTES: usize = 3;

/// A one-word synonym that ends this many other occupations' names or more is a generic head
/// noun ("medewerker", "monteur", "meester"): alone it names none of them.
const GENERIC_HEAD_NAMES: usize = 5;

/// One occupation named in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub occupation: OccupationId,
    /// The label as the taxonomy writes it, in the language it belongs to.
    pub label: String,
    pub lang: String,
    pub preferred: bool,
    /// Named after the work a word describes ("boekhouding" → boekhouder), not by a label:
    /// weaker evidence than the label itself.
    pub by_work: bool,
}

/// The phrase matcher over all occupation labels.
#[derive(Debug)]
pub struct OccupationMentions {
    matcher: Option<AhoCorasick>,
    /// For each phrase (pattern), the occupations having it as a label, as they name it.
    phrases: Vec<Vec<Mention>>,
    /// Each phrase's index in `phrases`.
    by_phrase: HashMap<String, usize>,
    /// Phrases that are only a generic head noun (see [`GENERIC_HEAD_NAMES`]).
    generic: Vec<bool>,
}

impl OccupationMentions {
    pub fn build(data: &TaxonomyData) -> OccupationMentions {
        let mut by_phrase: HashMap<String, usize> = HashMap::default();
        let mut patterns: Vec<String> = Vec::new();
        let mut phrases: Vec<Vec<Mention>> = Vec::new();
        for (i, o) in data.occupations.iter().enumerate() {
            for t in o.texts.iter().filter(|t| t.lang == "nl" || t.lang == "en") {
                let labels =
                    std::iter::once((&t.preferred, true)).chain(t.alt.iter().map(|a| (a, false)));
                for (label, preferred) in labels {
                    let folded = normalise(label);
                    if folded.len() < MIN_LABEL_BYTES {
                        continue;
                    }
                    let at = *by_phrase.entry(folded.clone()).or_insert_with(|| {
                        patterns.push(folded);
                        phrases.push(Vec::new());
                        phrases.len() - 1
                    });
                    let entry = &mut phrases[at];
                    if !entry.iter().any(|m| m.occupation == i as OccupationId) {
                        entry.push(Mention {
                            occupation: i as OccupationId,
                            label: label.clone(),
                            lang: t.lang.clone(),
                            preferred,
                            by_work: false,
                        });
                    }
                }
            }
        }
        let generic = generic_heads(data, &patterns, &phrases);
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
        OccupationMentions {
            matcher,
            phrases,
            by_phrase,
            generic,
        }
    }

    /// The occupations a phrase names, if it says enough to name any.
    fn named_by(&self, phrase: usize) -> Vec<&Mention> {
        let mentions = self
            .phrases
            .get(phrase)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if self.generic.get(phrase).copied().unwrap_or(false) {
            return Vec::new();
        }
        // A preferred label names its occupation, however many others use it as a synonym;
        // a label that is only a synonym names its occupations when they are few.
        if mentions.iter().any(|m| m.preferred) {
            mentions.iter().filter(|m| m.preferred).collect()
        } else if mentions.len() <= MAX_OCCUPATIONS_PER_LABEL {
            mentions.iter().collect()
        } else {
            Vec::new()
        }
    }

    /// The occupations a search query asks for: those it names, and those named after the
    /// work a word of it describes ("boekhouding" → boekhouder, "schoonmaken" → schoonmaker).
    pub fn in_query(&self, query: &str) -> Vec<Mention> {
        let mut out = self.in_text(query);
        let named: Vec<String> = out.iter().map(|m| normalise(&m.label)).collect();
        let query = normalise(query);
        for word in query.split(' ') {
            if named
                .iter()
                .any(|label| label.split(' ').any(|w| w == word))
            {
                continue;
            }
            for noun in agent_nouns(word) {
                let Some(phrase) = self.by_phrase.get(&noun) else {
                    continue;
                };
                for m in self.named_by(*phrase) {
                    if !out.iter().any(|x| x.occupation == m.occupation) {
                        out.push(Mention {
                            by_work: true,
                            ..m.clone()
                        });
                    }
                }
            }
        }
        out
    }

    /// The occupations `text` names, in the order they occur, each once.
    pub fn in_text(&self, text: &str) -> Vec<Mention> {
        let mut out: Vec<Mention> = Vec::new();
        let Some(matcher) = &self.matcher else {
            return out;
        };
        let folded = normalise(text);
        let bytes = folded.as_bytes();
        let boundary = |at: usize| {
            folded[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        };
        let boundary_after = |at: usize| {
            folded[at..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
        };
        for m in matcher.find_iter(bytes) {
            if !boundary(m.start()) || !boundary_after(m.end()) {
                continue;
            }
            for m in self.named_by(m.pattern().as_usize()) {
                if !out.iter().any(|x| x.occupation == m.occupation) {
                    out.push(m.clone());
                }
            }
        }
        out
    }
}

/// For each phrase: whether it is one word, no occupation's preferred label, and the end of a
/// word in the Dutch names of at least [`GENERIC_HEAD_NAMES`] occupations besides itself
/// ("monteur" in "automonteur", "meester" in "havenmeester").
fn generic_heads(data: &TaxonomyData, patterns: &[String], phrases: &[Vec<Mention>]) -> Vec<bool> {
    // How many words of the Dutch names end with each proper suffix: one pass over the
    // names, so each phrase is a lookup.
    let mut endings: HashMap<String, usize> = HashMap::default();
    for t in data
        .occupations
        .iter()
        .filter_map(|o| o.texts.iter().find(|t| t.lang == "nl"))
    {
        for word in normalise(&t.preferred).split(' ') {
            for (at, _) in word.char_indices().skip(1) {
                *endings.entry(word[at..].to_owned()).or_default() += 1;
            }
        }
    }
    patterns
        .iter()
        .zip(phrases)
        .map(|(pattern, mentions)| {
            !pattern.contains(' ')
                && !mentions.iter().any(|m| m.preferred)
                && endings.get(pattern.as_str()).copied().unwrap_or(0) >= GENERIC_HEAD_NAMES
        })
        .collect()
}

/// The words of a query that the occupations `named` in it do not account for: not in one of
/// their labels, nor the work one of them does ("lasser worden in de metaal" leaves "metaal";
/// "assistente bij de tandarts" leaves "assistente"). Stop words and the words people wrap a
/// search in do not count.
pub fn words_left(query: &str, named: &[Mention]) -> Vec<String> {
    let labels: Vec<String> = named.iter().map(|m| normalise(&m.label)).collect();
    normalise(query)
        .split(' ')
        .filter(|w| !w.is_empty())
        .filter(|w| !super::described::says_nothing_of_work(w))
        .filter(|w| {
            !labels.iter().any(|label| {
                label.split(' ').any(|l| l == *w) || agent_nouns(w).iter().any(|n| n == label)
            })
        })
        .map(str::to_owned)
        .collect()
}

/// At most this many occupations are recorded for one offer.
const MAX_OCCUPATIONS_PER_OFFER: usize = 6;

impl Taxonomy {
    /// The occupations an offer is for: those its texts (title and summary) name; failing
    /// that, the few occupations whose skills include every skill it teaches (two or more).
    pub fn occupations_of_offer(&self, texts: &[&str], skills: &[SkillId]) -> Vec<OccupationId> {
        let mut out: Vec<OccupationId> = Vec::new();
        for text in texts {
            for m in self.occupations_named_in(text) {
                if !out.contains(&m.occupation) && out.len() < MAX_OCCUPATIONS_PER_OFFER {
                    out.push(m.occupation);
                }
            }
        }
        if !out.is_empty() || skills.len() < 2 {
            return out;
        }
        let mut counts: HashMap<OccupationId, usize> = HashMap::default();
        for skill in skills {
            for (occupation, _) in self.occupations_with(*skill) {
                *counts.entry(*occupation).or_default() += 1;
            }
        }
        let mut all: Vec<OccupationId> = counts
            .into_iter()
            .filter(|(_, n)| *n == skills.len())
            .map(|(o, _)| o)
            .collect();
        if all.len() <= 3 {
            all.sort_unstable();
            out = all;
        }
        out
    }
}

/// The Dutch names of a person doing what `word` (folded) describes: the work ("beveiliging"
/// → beveiliger) or the verb ("schoonmaken" → schoonmaker, "schilderen" → schilder).
fn agent_nouns(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    if word.chars().count() < 6 {
        return out;
    }
    if let Some(stem) = word.strip_suffix("ing") {
        out.push(format!("{stem}er"));
    } else if let Some(stem) = word.strip_suffix("en") {
        out.push(format!("{stem}er"));
        if stem.ends_with("er") || stem.ends_with("el") {
            out.push(stem.to_owned());
        }
    }
    out
}

/// Folded text with every run of non-alphanumeric characters as one space, so "verzorgende-IG"
/// and "verzorgende  IG" match the label "verzorgende IG".
fn normalise(text: &str) -> String {
    let folded = fold(text);
    let mut out = String::with_capacity(folded.len());
    let mut gap = false;
    for c in folded.chars() {
        if c.is_alphanumeric() || c == '\'' {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::{OccupationRecord, Texts};

    fn occupation(uri: &str, isco: &str, nl: &str, nl_alt: &[&str], en: &str) -> OccupationRecord {
        OccupationRecord {
            uri: uri.into(),
            isco_code: isco.into(),
            code: String::new(),
            broader: None,
            texts: vec![
                Texts {
                    lang: "nl".into(),
                    preferred: nl.into(),
                    alt: nl_alt.iter().map(|s| (*s).to_owned()).collect(),
                    alt_text: String::new(),
                    description: String::new(),
                },
                Texts {
                    lang: "en".into(),
                    preferred: en.into(),
                    alt: Vec::new(),
                    alt_text: String::new(),
                    description: String::new(),
                },
            ],
        }
    }

    fn data() -> TaxonomyData {
        TaxonomyData {
            occupations: vec![
                occupation(
                    "o/zorghulp",
                    "5321",
                    "zorghulp",
                    &["verzorgende", "zorgassistent"],
                    "healthcare assistant",
                ),
                occupation(
                    "o/kraam",
                    "3222",
                    "kraamverzorgende",
                    &["verzorgende IG kraamzorg"],
                    "maternity support worker",
                ),
                occupation("o/beveiliger", "5414", "beveiliger", &[], "security guard"),
                occupation("o/schilder", "7131", "schilder", &[], "painter"),
                occupation(
                    "o/heftruck",
                    "8344",
                    "heftruckchauffeur",
                    &["vorkheftruckbestuurder"],
                    "forklift operator",
                ),
            ],
            ..TaxonomyData::default()
        }
    }

    #[test]
    fn labels_are_found_as_whole_words_longest_first() {
        let m = OccupationMentions::build(&data());
        let found = m.in_text("Word Verzorgende-IG  kraamzorg of heftruckchauffeur!");
        let ids: Vec<OccupationId> = found.iter().map(|x| x.occupation).collect();
        assert_eq!(ids, vec![1, 4]);
        assert_eq!(found[0].label, "verzorgende IG kraamzorg");
        // "verzorgen" is not "verzorgende"; part of a word is not the word.
        assert!(m.in_text("planten verzorgen").is_empty());
        assert!(m.in_text("kraamverzorgenden").is_empty());
    }

    #[test]
    fn synonyms_and_english_name_their_occupation() {
        let m = OccupationMentions::build(&data());
        assert_eq!(m.in_text("verzorgende")[0].occupation, 0);
        assert_eq!(m.in_text("Forklift operator")[0].occupation, 4);
        assert_eq!(m.in_text("cursus vorkheftruckbestuurder")[0].occupation, 4);
    }

    #[test]
    fn a_query_asks_for_the_person_doing_the_work_it_names() {
        let m = OccupationMentions::build(&data());
        let asked =
            |q: &str| -> Vec<OccupationId> { m.in_query(q).iter().map(|x| x.occupation).collect() };
        assert_eq!(asked("opleiding beveiliging"), vec![2]);
        assert_eq!(asked("leren schilderen"), vec![3]);
        assert_eq!(asked("verzorgende en beveiliging"), vec![0, 2]);
        // Only a query: an offer's text about security is not for the security guard.
        assert!(m.in_text("opleiding beveiliging").is_empty());
        assert!(asked("verzorgen").is_empty());
    }

    #[test]
    fn a_synonym_that_ends_many_names_names_no_occupation() {
        let mut d = data();
        for kind in ["auto", "fiets", "lift", "dak", "cv"] {
            let name = format!("{kind}monteur");
            d.occupations.push(occupation(
                &format!("o/{name}"),
                "7231",
                &name,
                &[],
                "mechanic",
            ));
        }
        d.occupations.push(occupation(
            "o/editor",
            "3521",
            "editor film en video",
            &["monteur"],
            "film editor",
        ));
        let m = OccupationMentions::build(&d);
        // "monteur" ends five names: a film editor's synonym says too little alone.
        assert!(m.in_query("werken als monteur").is_empty());
        // The names themselves still name their occupations.
        assert_eq!(m.in_query("automonteur").len(), 1);
        // With four, it still names the editor.
        d.occupations.retain(|o| o.uri != "o/cvmonteur");
        let m = OccupationMentions::build(&d);
        assert_eq!(m.in_query("werken als monteur").len(), 1);
    }

    #[test]
    fn words_left_are_those_the_named_occupations_do_not_account_for() {
        let m = OccupationMentions::build(&data());
        let left = |q: &str| words_left(q, &m.in_query(q));
        assert_eq!(left("ik wil schilder worden in de bouw"), vec!["bouw"]);
        // The work a named occupation does is accounted for.
        assert!(left("opleiding beveiliging").is_empty());
        assert_eq!(left("cursus verzorgende ouderenzorg"), vec!["ouderenzorg"]);
        assert_eq!(words_left("tuin onderhouden", &[]).len(), 2);
    }

    #[test]
    fn a_preferred_label_names_its_occupation_however_many_use_it_as_synonym() {
        let mut d = data();
        for n in 0..5 {
            let uri = format!("o/decorateur{n}");
            let painter = occupation(&uri, "7131", "decorateur", &["schilder", "kwast"], "x");
            d.occupations.push(painter);
        }
        let m = OccupationMentions::build(&d);
        let named: Vec<OccupationId> = m.in_text("schilder").iter().map(|x| x.occupation).collect();
        assert_eq!(named, vec![3]);
        // A synonym of many occupations and the preferred label of none names none.
        assert!(m.in_text("kwast").is_empty());
    }
}
