//! A lexical index over concepts (skills or occupations): their labels as stemmed phrases and
//! their texts (labels, synonyms, descriptions) as a weighted bag of stems for BM25.
//! Skill extraction and job-title matching both score against it.

use super::Texts;
use super::text::{StemCache, Stemmers, is_stopword, tokens};
use std::collections::HashMap;

/// A text to match, analysed once: its stems (in its language) and its plain words.
#[derive(Debug, Clone)]
pub struct Query {
    pub lang: String,
    pub stems: Vec<String>,
    pub words: Vec<String>,
}

impl Query {
    pub fn new(stemmers: &Stemmers, lang: &str, text: &str) -> Query {
        let words: Vec<String> = tokens(text)
            .into_iter()
            .filter(|w| !is_stopword(w))
            .collect();
        let stems = words.iter().map(|w| stemmers.stem(lang, w)).collect();
        Query {
            lang: lang.to_owned(),
            stems,
            words,
        }
    }
}

/// How much each field counts in a concept's bag of stems.
#[derive(Debug, Clone, Copy)]
pub struct FieldWeights {
    pub preferred: f32,
    pub alt: f32,
    pub description: f32,
}

/// A label of a concept as a sequence of stems.
#[derive(Debug)]
pub struct IndexedLabel {
    pub concept: u32,
    pub stems: Vec<String>,
    /// The label's words as written (folded, unstemmed), for matching text in another language.
    pub words: Vec<String>,
    pub preferred: bool,
    pub lang: String,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct ConceptIndex {
    pub labels: Vec<IndexedLabel>,
    label_postings: HashMap<String, Vec<u32>>,
    bag_postings: HashMap<String, Vec<(u32, f32)>>,
    bag_len: Vec<f32>,
    avg_bag_len: f32,
    idf: HashMap<String, f32>,
    concepts: usize,
}

/// Label variants worth matching: the label, and the label without a parenthetical qualifier
/// ("Java (computer programming)" → "Java").
fn label_variants(label: &str) -> Vec<&str> {
    let mut out = vec![label];
    if let Some(i) = label.find(" (") {
        let core = label[..i].trim();
        if !core.is_empty() {
            out.push(core);
        }
    }
    out
}

impl ConceptIndex {
    /// Index `concepts` (one `Texts` list per concept).
    pub fn build<'a>(
        stemmers: &Stemmers,
        concepts: impl Iterator<Item = &'a [Texts]>,
        weights: FieldWeights,
    ) -> Self {
        let mut index = ConceptIndex::default();
        let mut cache = StemCache::default();
        let mut bags: Vec<HashMap<String, f32>> = Vec::new();
        for (ci, texts) in concepts.enumerate() {
            let ci = ci as u32;
            let mut bag: HashMap<String, f32> = HashMap::new();
            for t in texts {
                let mut add = |text: &str, w: f32| {
                    for s in cache.content_stems(stemmers, &t.lang, text) {
                        *bag.entry(s).or_default() += w;
                    }
                };
                add(&t.preferred, weights.preferred);
                for a in &t.alt {
                    add(a, weights.alt);
                }
                add(&t.alt_text, weights.alt);
                add(&t.description, weights.description);
                let labels =
                    std::iter::once((&t.preferred, true)).chain(t.alt.iter().map(|a| (a, false)));
                for (label, preferred) in labels {
                    for variant in label_variants(label) {
                        let words: Vec<String> = tokens(variant)
                            .into_iter()
                            .filter(|w| !is_stopword(w))
                            .collect();
                        let stems: Vec<String> = words
                            .iter()
                            .map(|w| cache.stem(stemmers, &t.lang, w))
                            .collect();
                        if stems.is_empty()
                            || index
                                .labels
                                .iter()
                                .rev()
                                .take(8)
                                .any(|l| l.concept == ci && l.stems == stems)
                        {
                            continue;
                        }
                        let li = index.labels.len() as u32;
                        let mut seen: Vec<&String> = Vec::new();
                        for s in &stems {
                            if !seen.contains(&s) {
                                index.label_postings.entry(s.clone()).or_default().push(li);
                                seen.push(s);
                            }
                        }
                        let words = tokens(variant)
                            .into_iter()
                            .filter(|w| !is_stopword(w))
                            .collect();
                        index.labels.push(IndexedLabel {
                            concept: ci,
                            stems,
                            words,
                            preferred,
                            lang: t.lang.clone(),
                            text: variant.to_owned(),
                        });
                    }
                }
            }
            bags.push(bag);
        }
        index.concepts = bags.len();
        let mut df: HashMap<String, u32> = HashMap::new();
        for bag in &bags {
            for s in bag.keys() {
                *df.entry(s.clone()).or_default() += 1;
            }
        }
        let n = bags.len().max(1) as f32;
        index.idf = df
            .into_iter()
            .map(|(s, d)| (s, ((n - d as f32 + 0.5) / (d as f32 + 0.5) + 1.0).ln()))
            .collect();
        index.bag_len = bags.iter().map(|b| b.values().sum()).collect();
        index.avg_bag_len = index.bag_len.iter().sum::<f32>() / n;
        for (ci, bag) in bags.into_iter().enumerate() {
            for (s, tf) in bag {
                index
                    .bag_postings
                    .entry(s)
                    .or_default()
                    .push((ci as u32, tf));
            }
        }
        index
    }

    pub fn concept_count(&self) -> usize {
        self.concepts
    }

    /// Inverse document frequency of a stem (0 when unknown).
    pub fn idf(&self, stem: &str) -> f32 {
        self.idf.get(stem).copied().unwrap_or(0.0)
    }

    /// BM25 of each concept for the query stems.
    pub fn bm25(&self, query: &[String]) -> HashMap<u32, f32> {
        const K1: f32 = 1.2;
        const B: f32 = 0.75;
        let mut scores: HashMap<u32, f32> = HashMap::new();
        let mut seen: Vec<&String> = Vec::new();
        for q in query {
            if seen.contains(&q) {
                continue;
            }
            seen.push(q);
            let Some(postings) = self.bag_postings.get(q) else {
                continue;
            };
            let idf = self.idf(q);
            for &(c, tf) in postings {
                let len = self.bag_len.get(c as usize).copied().unwrap_or(0.0);
                let norm =
                    tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / self.avg_bag_len.max(1.0)));
                *scores.entry(c).or_default() += idf * norm;
            }
        }
        scores
    }

    /// Labels sharing at least one stem with the query, with the IDF mass of the label found in
    /// the query (`label_cover`, 0–1) and of the query found in the label (`query_cover`, 0–1),
    /// and whether the label occurs as a contiguous phrase in the query.
    pub fn label_matches(&self, q: &Query) -> Vec<LabelMatch> {
        let query = q.stems.as_slice();
        let mut candidates: Vec<u32> = query
            .iter()
            .filter_map(|q| self.label_postings.get(q))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let query_mass: f32 = unique(query).iter().map(|q| self.idf(q)).sum();
        candidates
            .into_iter()
            .filter_map(|li| {
                let label = self.labels.get(li as usize)?;
                // Stems of different languages collide (Dutch "jaren" → "jar"): a label in another
                // language than the text counts only when all its words are literally there.
                if label.lang != q.lang && !label.words.iter().all(|w| q.words.contains(w)) {
                    return None;
                }
                let label_stems = unique(&label.stems);
                let label_mass: f32 = label_stems.iter().map(|s| self.idf(s)).sum();
                let shared: f32 = label_stems
                    .iter()
                    .filter(|s| query.contains(s))
                    .map(|s| self.idf(s))
                    .sum();
                if label_mass <= 0.0 {
                    return None;
                }
                Some(LabelMatch {
                    label: li,
                    concept: label.concept,
                    label_cover: shared / label_mass,
                    query_cover: if query_mass > 0.0 {
                        shared / query_mass
                    } else {
                        0.0
                    },
                    phrase: find_phrase(query, &label.stems),
                    label_mass,
                })
            })
            .collect()
    }
}

/// The evidence for one candidate concept, each part normalised to about 0–1.
#[derive(Debug, Clone, Copy)]
pub struct Evidence {
    pub concept: u32,
    /// Best label score (how the caller scored label matches).
    pub label: f32,
    /// The label behind `label` (`u32::MAX` when none).
    pub label_index: u32,
    /// BM25 divided by the best BM25 among the candidates.
    pub bm25: f32,
    /// Semantic similarity (0 without a model).
    pub semantic: f32,
}

/// Candidates suggested by the model alone (no shared word): its best few.
const SEMANTIC_ONLY_CANDIDATES: usize = 50;

impl ConceptIndex {
    /// Merge label scores, BM25 and optional similarities into one list of candidates: every
    /// concept that any of them points to.
    pub fn gather(
        &self,
        labels: &HashMap<u32, (f32, u32)>,
        bm25: &HashMap<u32, f32>,
        sims: Option<&[f32]>,
    ) -> Vec<Evidence> {
        let bm25_max = bm25.values().copied().fold(0.0f32, f32::max).max(1e-6);
        let mut candidates: Vec<u32> = labels.keys().chain(bm25.keys()).copied().collect();
        if let Some(sims) = sims {
            let mut ranked: Vec<(u32, f32)> = sims
                .iter()
                .enumerate()
                .map(|(i, s)| (i as u32, *s))
                .collect();
            let k = SEMANTIC_ONLY_CANDIDATES.min(ranked.len());
            if k > 0 {
                ranked.select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1));
                candidates.extend(ranked[..k].iter().map(|(i, _)| *i));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .map(|c| {
                let (label, label_index) = labels.get(&c).copied().unwrap_or((0.0, u32::MAX));
                Evidence {
                    concept: c,
                    label,
                    label_index,
                    bm25: bm25.get(&c).copied().unwrap_or(0.0) / bm25_max,
                    semantic: sims
                        .and_then(|s| s.get(c as usize))
                        .copied()
                        .unwrap_or(0.0)
                        .max(0.0),
                }
            })
            .collect()
    }

    /// For each concept, its best label score under `score` (`None` skips a match), with the
    /// label that earned it.
    pub fn best_label_scores(
        &self,
        query: &Query,
        score: impl Fn(&LabelMatch) -> Option<f32>,
    ) -> HashMap<u32, (f32, u32)> {
        let mut best: HashMap<u32, (f32, u32)> = HashMap::new();
        for m in self.label_matches(query) {
            let Some(s) = score(&m) else { continue };
            let e = best.entry(m.concept).or_insert((s, m.label));
            if s > e.0 {
                *e = (s, m.label);
            }
        }
        best
    }

    /// The text of a label, for evidence shown to people.
    pub fn label_text(&self, index: u32) -> Option<String> {
        self.labels.get(index as usize).map(|l| l.text.clone())
    }
}

/// A label found (fully or partly) in a query.
#[derive(Debug, Clone, Copy)]
pub struct LabelMatch {
    pub label: u32,
    pub concept: u32,
    pub label_cover: f32,
    pub query_cover: f32,
    /// Start of the label as a contiguous run of query stems.
    pub phrase: Option<usize>,
    pub label_mass: f32,
}

fn unique(stems: &[String]) -> Vec<&String> {
    let mut out: Vec<&String> = Vec::with_capacity(stems.len());
    for s in stems {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

fn find_phrase(haystack: &[String], needle: &[String]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}
