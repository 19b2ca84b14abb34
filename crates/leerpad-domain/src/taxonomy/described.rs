//! Which occupations a search describes without naming any: "ik wil in de bediening werken"
//! (ober/serveerster), "daken leggen en repareren" (dakdekker). The words are scored (BM25)
//! against each occupation's Dutch name, synonyms, description and ISCO group name, with Dutch
//! compounds split into their parts on both sides ("bedieningsmedewerker" holds "bediening",
//! "hotelreceptie" holds "receptie"), and how often the occupation is advertised breaks the
//! near-ties that remain. Where the vectors of [`super::senses`] are shipped, the occupations
//! closest in sense to the words join and gain ("juf" is about teaching though no occupation's
//! text says "juf"); the occupation the words themselves describe best stays first.

use super::index::Bm25;
use super::senses::WordSenses;
use super::text::{Stemmers, is_stopword, tokens};
use super::{OccupationId, Taxonomy};
use rustc_hash::FxHashMap as HashMap;

/// Words people wrap a search in ("ik wil kapper worden", "opleiding tot kok"): they say what
/// the person wants to do with the work, not which work.
pub const FILLER_WORDS: [&str; 21] = [
    "ik",
    "wil",
    "graag",
    "worden",
    "werken",
    "leren",
    "opleiding",
    "opleidingen",
    "cursus",
    "cursussen",
    "training",
    "trainingen",
    "omscholen",
    "bijscholen",
    "tot",
    "als",
    "naar",
    "course",
    "courses",
    "learn",
    "become",
];

/// A folded word that says nothing about which work is meant: a stop word or a filler word.
pub fn says_nothing_of_work(word: &str) -> bool {
    is_stopword(word) || FILLER_WORDS.contains(&word)
}

/// Weight of each text of an occupation in its bag of stems.
const PREFERRED: f32 = 3.0;
const ALTERNATIVE: f32 = 2.0;
const DESCRIPTION: f32 = 1.0;
const ISCO_GROUP: f32 = 1.0;
/// Share of a compound's weight each of its parts gets.
const PART_SHARE: f32 = 0.5;
/// Weight of how often an occupation is advertised (0–1) beside its BM25 (0–1, of the best).
const PRIOR_WEIGHT: f32 = 0.5;
/// Weight of how close an occupation's name is in sense to the query's words (0–1, of the
/// closest), beside its BM25.
const SENSE_WEIGHT: f32 = 1.5;
/// Occupations closest in sense that join the BM25 ones; the closeness of the last is the zero
/// of the scale, so only these can gain from sense.
const SENSE_NEIGHBOURS: usize = 10;

/// The BM25 index over the Dutch texts of every occupation.
#[derive(Debug, Default)]
pub struct WorkDescriptions {
    stemmers: Stemmers,
    /// How many occupation texts hold each folded word: which words are words.
    words: HashMap<String, u32>,
    terms: HashMap<String, u32>,
    bags: Bm25,
}

/// An occupation the words of a search describe.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Described {
    pub occupation: OccupationId,
    /// Its score as a share of the best one's (the best is 1).
    pub fit: f32,
}

impl WorkDescriptions {
    pub fn build(taxonomy: &Taxonomy) -> WorkDescriptions {
        let mut index = WorkDescriptions::default();
        let dutch: Vec<Vec<(&str, f32)>> = taxonomy
            .occupations()
            .iter()
            .map(|o| {
                let mut texts: Vec<(&str, f32)> = Vec::new();
                if let Some(t) = o.texts.iter().find(|t| t.lang == "nl") {
                    texts.push((&t.preferred, PREFERRED));
                    texts.extend(t.alt.iter().map(|a| (a.as_str(), ALTERNATIVE)));
                    texts.push((&t.description, DESCRIPTION));
                }
                let group = taxonomy
                    .isco_group(&o.isco_code)
                    .and_then(|g| g.texts.iter().find(|t| t.lang == "nl"));
                if let Some(g) = group {
                    texts.push((&g.preferred, ISCO_GROUP));
                }
                texts
            })
            .collect();
        for texts in &dutch {
            for (text, _) in texts {
                for word in tokens(text).into_iter().filter(|w| !is_stopword(w)) {
                    *index.words.entry(word).or_default() += 1;
                }
            }
        }
        let mut bags: Vec<HashMap<u32, f32>> = Vec::with_capacity(dutch.len());
        for texts in &dutch {
            let mut bag: HashMap<u32, f32> = HashMap::default();
            for (text, weight) in texts {
                for (stem, share) in index.analyse(text) {
                    let term = index.intern(stem);
                    *bag.entry(term).or_default() += weight * share;
                }
            }
            bags.push(bag);
        }
        let terms = index.terms.len();
        index.bags = Bm25::new(
            bags.into_iter()
                .map(|bag| bag.into_iter().collect())
                .collect(),
            terms,
        );
        index
    }

    fn intern(&mut self, stem: String) -> u32 {
        let next = self.terms.len() as u32;
        *self.terms.entry(stem).or_insert(next)
    }

    /// The stems of the content words of `text`, each with its share: 1 for a word, less for
    /// the parts of a compound.
    fn analyse(&self, text: &str) -> Vec<(String, f32)> {
        let mut out = Vec::new();
        for word in tokens(text) {
            if says_nothing_of_work(&word) {
                continue;
            }
            out.push((self.stemmers.stem("nl", &word), 1.0));
            if let Some((head, tail)) = self.split(&word) {
                out.push((self.stemmers.stem("nl", head), PART_SHARE));
                out.push((self.stemmers.stem("nl", tail), PART_SHARE));
            }
        }
        out
    }

    /// A compound as two words the occupation texts use ("hotel·receptie",
    /// "bedienings·medewerker", past a linking "s" or "en"); of several splits the one whose
    /// rarer part is the most common.
    fn split<'w>(&self, word: &'w str) -> Option<(&'w str, &'w str)> {
        const MIN_PART: usize = 3;
        const MIN_USES: u32 = 2;
        if word.chars().count() < 8 || !word.is_ascii() {
            return None;
        }
        let uses = |w: &str| self.words.get(w).copied().unwrap_or(0);
        let mut best: Option<(u32, &str, &str)> = None;
        for at in MIN_PART..=word.len() - MIN_PART {
            let (head, tail) = word.split_at(at);
            if uses(tail) < MIN_USES {
                continue;
            }
            let heads = [Some(head), head.strip_suffix('s'), head.strip_suffix("en")];
            for h in heads.into_iter().flatten() {
                if h.len() < MIN_PART || uses(h) < MIN_USES {
                    continue;
                }
                let score = uses(h).min(uses(tail));
                if best.is_none_or(|(s, _, _)| score > s) {
                    best = Some((score, h, tail));
                }
            }
        }
        best.map(|(_, h, t)| (h, t))
    }

    /// The occupations `query` describes, best first, at most `limit`, those scoring at least
    /// `within` (0–1) of the best. `prior` is how often each occupation is advertised (0–1), or
    /// empty; `senses` are the word and occupation vectors, when shipped for this taxonomy.
    pub fn described_by(
        &self,
        query: &str,
        prior: &[f32],
        senses: Option<&WordSenses>,
        limit: usize,
        within: f32,
    ) -> Vec<Described> {
        let mut stems: Vec<(u32, f32)> = Vec::new();
        for (stem, share) in self.analyse(query) {
            let Some(&term) = self.terms.get(&stem) else {
                continue;
            };
            match stems.iter_mut().find(|(t, _)| *t == term) {
                Some(seen) => seen.1 = seen.1.max(share),
                None => stems.push((term, share)),
            }
        }
        let mut scores = self.bags.score(stems);
        let best = scores.values().copied().fold(0.0f32, f32::max);
        for score in scores.values_mut() {
            *score /= best.max(f32::MIN_POSITIVE);
        }
        let with_prior = |o: OccupationId, s: f32| {
            s + PRIOR_WEIGHT * prior.get(o as usize).copied().unwrap_or(0.0)
        };
        let by_words = scores
            .iter()
            .map(|(&o, &s)| (o, with_prior(o, s)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(o, _)| o);
        for (o, sense) in senses.map_or_else(Vec::new, |s| self.closest_in_sense(s, query)) {
            *scores.entry(o).or_default() += SENSE_WEIGHT * sense;
        }
        if scores.values().all(|s| *s <= 0.0) {
            return Vec::new();
        }
        let mut ranked: Vec<(OccupationId, f32)> = scores
            .into_iter()
            .map(|(o, s)| (o, with_prior(o, s)))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let top = ranked.first().map_or(0.0, |r| r.1);
        // The occupation the words themselves describe best stays first, beside what sense
        // adds: a single word's vector can miss its everyday meaning ("bediening" reads as
        // office and machine work by sense, as waiting tables by ESCO's words).
        if let Some(at) = by_words.and_then(|best| ranked.iter().position(|r| r.0 == best)) {
            let kept = ranked.remove(at);
            ranked.insert(0, (kept.0, top));
        }
        ranked
            .into_iter()
            .take_while(|(_, s)| *s >= within * top)
            .take(limit)
            .map(|(occupation, s)| Described {
                occupation,
                fit: s / top,
            })
            .collect()
    }

    /// The [`SENSE_NEIGHBOURS`] occupations closest in sense to the words of `query` that say
    /// something of work, each 0–1 between the last of them and the closest. A compound the
    /// vectors do not know ("hotelreceptie", "productiewerk") means what its parts mean.
    fn closest_in_sense(&self, senses: &WordSenses, query: &str) -> Vec<(OccupationId, f32)> {
        let mut words: Vec<String> = Vec::new();
        for word in tokens(query)
            .into_iter()
            .filter(|w| !says_nothing_of_work(w))
        {
            let parts = (!senses.knows(&word)).then(|| self.split(&word)).flatten();
            match parts {
                Some((head, tail)) => words.extend([head.to_owned(), tail.to_owned()]),
                None => words.push(word),
            }
        }
        let Some(closeness) = senses.closeness(&words) else {
            return Vec::new();
        };
        let mut near: Vec<(OccupationId, f32)> = closeness
            .into_iter()
            .enumerate()
            .map(|(o, c)| (o as OccupationId, c))
            .collect();
        let n = SENSE_NEIGHBOURS.min(near.len());
        if n < 2 {
            return Vec::new();
        }
        near.select_nth_unstable_by(n - 1, |a, b| b.1.total_cmp(&a.1));
        near.truncate(n);
        let floor = near.iter().map(|x| x.1).fold(f32::INFINITY, f32::min);
        let top = near.iter().map(|x| x.1).fold(f32::NEG_INFINITY, f32::max);
        if top <= floor {
            return Vec::new();
        }
        near.into_iter()
            .map(|(o, c)| (o, (c - floor) / (top - floor)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::senses::SensesData;
    use crate::taxonomy::{ConceptRecord, OccupationRecord, TaxonomyData, Texts};

    fn nl(preferred: &str, alt: &[&str], description: &str) -> Vec<Texts> {
        vec![Texts {
            lang: "nl".into(),
            preferred: preferred.into(),
            alt: alt.iter().map(|s| (*s).to_owned()).collect(),
            alt_text: String::new(),
            description: description.into(),
        }]
    }

    fn occupation(key: &str, isco: &str, texts: Vec<Texts>) -> OccupationRecord {
        OccupationRecord {
            uri: format!("o/{key}"),
            isco_code: isco.into(),
            code: String::new(),
            broader: None,
            texts,
        }
    }

    fn taxonomy() -> Taxonomy {
        Taxonomy::new(TaxonomyData {
            occupations: vec![
                occupation(
                    "ober",
                    "5131",
                    nl(
                        "ober/serveerster",
                        &["bedieningsmedewerker", "kelner"],
                        "Obers werken in de bediening: ze serveren eten en drinken aan gasten in een restaurant of hotel.",
                    ),
                ),
                occupation(
                    "operator",
                    "8189",
                    nl(
                        "machineoperator",
                        &["machinist"],
                        "Machineoperators stellen machines in en houden ze in de gaten.",
                    ),
                ),
                occupation(
                    "dakdekker",
                    "7121",
                    nl(
                        "dakdekker",
                        &[],
                        "Dakdekkers leggen daken op gebouwen en repareren lekkende daken.",
                    ),
                ),
                occupation(
                    "receptionist",
                    "4226",
                    nl(
                        "receptionist",
                        &["baliemedewerker"],
                        "Receptionisten ontvangen bezoekers aan de receptie van een hotel en houden de receptie bij.",
                    ),
                ),
                occupation(
                    "kok",
                    "5120",
                    nl(
                        "kok",
                        &[],
                        "Koks bereiden maaltijden in de keuken van een restaurant.",
                    ),
                ),
            ],
            isco_groups: vec![ConceptRecord {
                uri: "isco/C5131".into(),
                code: "5131".into(),
                texts: nl("Kelners", &[], ""),
            }],
            ..TaxonomyData::default()
        })
    }

    fn described(t: &Taxonomy, query: &str, prior: &[f32]) -> Vec<String> {
        WorkDescriptions::build(t)
            .described_by(query, prior, None, 3, 0.0)
            .iter()
            .filter_map(|d| t.occupation(d.occupation))
            .map(|o| o.uri.trim_start_matches("o/").to_owned())
            .collect()
    }

    #[test]
    fn the_work_a_query_describes_names_its_occupation() {
        let t = taxonomy();
        assert_eq!(
            described(&t, "daken leggen en repareren", &[]).first(),
            Some(&"dakdekker".to_owned())
        );
        // "bediening" is part of the waiter's synonym "bedienings·medewerker".
        assert_eq!(
            described(&t, "ik wil in de bediening werken", &[]).first(),
            Some(&"ober".to_owned())
        );
        // The query's compound is split too: "hotel·receptie".
        assert_eq!(
            described(&t, "werken op een hotelreceptie", &[]).first(),
            Some(&"receptionist".to_owned())
        );
        // Words that only wrap a search describe nothing.
        assert!(described(&t, "ik wil graag een opleiding", &[]).is_empty());
    }

    #[test]
    fn fits_are_shares_of_the_best_and_advertised_work_breaks_near_ties() {
        let t = taxonomy();
        let index = WorkDescriptions::build(&t);
        let found = index.described_by("restaurant", &[], None, 5, 0.0);
        assert!(found.len() >= 2, "{found:?}");
        assert!((found[0].fit - 1.0).abs() < 1e-6);
        assert!(found.iter().all(|d| d.fit > 0.0 && d.fit <= 1.0));
        // Advertised work counts beside the words: the second rises toward the first.
        let mut prior = vec![0.0; t.occupations().len()];
        let second = found[1].occupation;
        prior[second as usize] = 1.0;
        let again = index.described_by("restaurant", &prior, None, 5, 0.0);
        let fit_of = |list: &[Described]| {
            list.iter()
                .find(|d| d.occupation == second)
                .map_or(0.0, |d| d.fit)
        };
        assert!(fit_of(&again) > fit_of(&found), "{found:?} {again:?}");
        // `within` keeps only those near the best.
        assert_eq!(
            index.described_by("restaurant", &[], None, 5, 0.99).len(),
            1
        );
    }

    /// Vectors in three made-up senses (teaching, serving, roofing) for the fixture's words
    /// and occupations; the kok and the receptionist have none.
    fn senses() -> SensesData {
        let rows: [(&str, [i8; 3]); 8] = [
            ("juf", [120, 0, 0]),
            ("meester", [100, 10, 0]),
            ("kelner", [0, 120, 0]),
            ("pannen", [0, 0, 120]),
            ("daken", [0, 10, 120]),
            ("o/ober", [0, 127, 5]),
            ("o/operator", [10, 20, 20]),
            ("o/dakdekker", [0, 0, 127]),
        ];
        SensesData {
            dims: 3,
            words: rows[..5].iter().map(|r| r.0.to_owned()).collect(),
            occupations: rows[5..].iter().map(|r| r.0.to_owned()).collect(),
            scales: vec![0.01; rows.len()],
            values: rows.iter().flat_map(|r| r.1).collect(),
        }
    }

    #[test]
    fn words_the_taxonomy_does_not_use_describe_work_by_their_sense() {
        let t = taxonomy();
        let index = WorkDescriptions::build(&t);
        let senses = WordSenses::new(&senses(), &t);
        let (plain, with_senses) = (None, Some(&senses));
        let first = |senses: &Option<&WordSenses>, query: &str| {
            index
                .described_by(query, &[], *senses, 3, 0.0)
                .first()
                .and_then(|d| t.occupation(d.occupation))
                .map(|o| o.uri.clone())
        };
        // No occupation's text has "pannen": only its sense tells it is roofing work.
        assert_eq!(first(&plain, "pannen"), None);
        assert_eq!(
            first(&with_senses, "pannen").as_deref(),
            Some("o/dakdekker")
        );
        // The words' own matches still count beside their sense.
        assert_eq!(
            first(&with_senses, "daken leggen en repareren").as_deref(),
            Some("o/dakdekker")
        );
        // A word neither the taxonomy nor the vectors know describes nothing.
        assert_eq!(first(&with_senses, "blorp"), None);
        // Filler words carry no sense.
        assert_eq!(first(&with_senses, "ik wil graag leren"), None);
    }

    #[test]
    fn a_compound_without_a_vector_means_what_its_parts_mean() {
        let t = taxonomy();
        let index = WorkDescriptions::build(&t);
        let senses = WordSenses::new(&senses(), &t);
        // "restaurantdaken" has no vector; its parts are words of the occupation texts, and
        // "daken" has one (roofing).
        assert!(!senses.knows("restaurantdaken"));
        assert_eq!(senses.closeness(&["restaurantdaken".to_owned()]), None);
        let near = index.closest_in_sense(&senses, "restaurantdaken");
        let closest = near
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .and_then(|(o, _)| t.occupation(*o))
            .map(|o| o.uri.as_str());
        assert_eq!(closest, Some("o/dakdekker"), "{near:?}");
        // "restaurant" has no vector either, so the compound reads as "daken" alone.
        let mut alone = index.closest_in_sense(&senses, "daken");
        let mut parts = near.clone();
        alone.sort_by_key(|x| x.0);
        parts.sort_by_key(|x| x.0);
        assert_eq!(parts, alone);
    }

    #[test]
    fn occupations_closest_in_sense_are_matched_by_uri_and_a_query_is_its_words_mean() {
        let t = taxonomy();
        let senses = WordSenses::new(&senses(), &t);
        assert_eq!(senses.occupations(), t.occupations().len());
        assert!(senses.knows("juf") && !senses.knows("kok"));
        assert_eq!(senses.closeness(&["kok".to_owned()]), None);
        let close = senses
            .closeness(&["juf".to_owned(), "kelner".to_owned()])
            .expect("known words");
        let of = |key: &str| close[t.occupation_id(key).expect("in the fixture") as usize];
        // Halfway between teaching and serving: the waiter is nearer than the roofer, and an
        // occupation without a vector is at 0.
        assert!(of("o/ober") > of("o/dakdekker"), "{close:?}");
        assert_eq!(of("o/kok"), 0.0);
    }
}
