//! A lexical index over concepts (skills or occupations): their labels as stemmed phrases and
//! their texts (labels, synonyms, descriptions) as a weighted bag of stems for BM25.
//! Skill extraction and job-title matching both score against it.

use super::Texts;
use super::text::{Stemmers, is_stopword, tokens};
use rustc_hash::FxHashMap as HashMap;

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

/// A label of a concept as a sequence of stems (as term ids of the index).
#[derive(Debug)]
pub struct IndexedLabel {
    pub concept: u32,
    pub stems: Vec<u32>,
    /// The label's words as written (folded, unstemmed), for matching text in another language.
    pub words: Vec<String>,
    pub preferred: bool,
    pub lang: String,
    pub text: String,
}

/// Stems are interned as term ids: postings, IDF and bag lengths are plain vectors indexed by
/// them, so building the index hashes each distinct word once instead of every occurrence.
#[derive(Debug, Default)]
pub struct ConceptIndex {
    pub labels: Vec<IndexedLabel>,
    terms: HashMap<String, u32>,
    label_postings: Vec<Vec<u32>>,
    /// Labels by their first stem, for finding whole labels as phrases.
    label_starts: Vec<Vec<u32>>,
    bags: Bm25,
    concepts: usize,
}

/// BM25 over weighted bags of term ids, one bag per concept: the scoring the concept index and
/// the occupations' described work (`described.rs`) share.
#[derive(Debug, Default)]
pub struct Bm25 {
    postings: Vec<Vec<(u32, f32)>>,
    idf: Vec<f32>,
    bag_len: Vec<f32>,
    avg_bag_len: f32,
}

impl Bm25 {
    /// `bags[c]` holds concept `c`'s terms (each once, below `terms`) with their weights.
    pub fn new(bags: Vec<Vec<(u32, f32)>>, terms: usize) -> Bm25 {
        let mut df = vec![0u32; terms];
        for bag in &bags {
            for (term, _) in bag {
                if let Some(d) = df.get_mut(*term as usize) {
                    *d += 1;
                }
            }
        }
        let n = bags.len().max(1) as f32;
        let idf = df
            .iter()
            .map(|&d| ((n - d as f32 + 0.5) / (d as f32 + 0.5) + 1.0).ln())
            .collect();
        let bag_len: Vec<f32> = bags
            .iter()
            .map(|b| b.iter().map(|(_, w)| w).sum())
            .collect();
        let avg_bag_len = bag_len.iter().sum::<f32>() / n;
        let mut postings: Vec<Vec<(u32, f32)>> =
            df.iter().map(|&d| Vec::with_capacity(d as usize)).collect();
        for (c, bag) in bags.into_iter().enumerate() {
            for (term, tf) in bag {
                if let Some(p) = postings.get_mut(term as usize) {
                    p.push((c as u32, tf));
                }
            }
        }
        Bm25 {
            postings,
            idf,
            bag_len,
            avg_bag_len,
        }
    }

    /// Inverse document frequency of a term (0 when unknown).
    pub fn idf(&self, term: u32) -> f32 {
        self.idf.get(term as usize).copied().unwrap_or(0.0)
    }

    /// BM25 of each concept for distinct query terms, each counting its share (0–1).
    pub fn score(&self, terms: impl IntoIterator<Item = (u32, f32)>) -> HashMap<u32, f32> {
        const K1: f32 = 1.2;
        const B: f32 = 0.75;
        let mut scores: HashMap<u32, f32> = HashMap::default();
        for (term, share) in terms {
            let Some(postings) = self.postings.get(term as usize) else {
                continue;
            };
            let idf = self.idf(term);
            for &(c, tf) in postings {
                let len = self.bag_len.get(c as usize).copied().unwrap_or(0.0);
                let norm =
                    tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / self.avg_bag_len.max(1.0)));
                *scores.entry(c).or_default() += share * idf * norm;
            }
        }
        scores
    }
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

/// Word → term id per language while building, so each distinct word is stemmed once.
#[derive(Default)]
struct Interner {
    terms: HashMap<String, u32>,
    nl_words: HashMap<String, u32>,
    other_words: HashMap<String, u32>,
}

impl Interner {
    fn term(&mut self, stemmers: &Stemmers, lang: &str, word: &str) -> u32 {
        let words = if lang == "nl" {
            &mut self.nl_words
        } else {
            &mut self.other_words
        };
        if let Some(id) = words.get(word) {
            return *id;
        }
        let stem = stemmers.stem(lang, word);
        let next = self.terms.len() as u32;
        let id = *self.terms.entry(stem).or_insert(next);
        words.insert(word.to_owned(), id);
        id
    }

    /// Term ids of the content words of `text`.
    fn content_terms(&mut self, stemmers: &Stemmers, lang: &str, text: &str) -> Vec<u32> {
        tokens(text)
            .iter()
            .filter(|t| !is_stopword(t))
            .map(|t| self.term(stemmers, lang, t))
            .collect()
    }
}

impl ConceptIndex {
    /// Index `concepts` (one `Texts` list per concept).
    pub fn build<'a>(
        stemmers: &Stemmers,
        concepts: impl Iterator<Item = &'a [Texts]>,
        weights: FieldWeights,
    ) -> Self {
        let mut index = ConceptIndex::default();
        let mut interner = Interner::default();
        let mut bags: Vec<Vec<(u32, f32)>> = Vec::new();
        for (ci, texts) in concepts.enumerate() {
            let ci = ci as u32;
            let mut bag: Vec<(u32, f32)> = Vec::new();
            for t in texts {
                let mut add = |text: &str, w: f32| {
                    for term in interner.content_terms(stemmers, &t.lang, text) {
                        bag.push((term, w));
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
                        let stems: Vec<u32> = words
                            .iter()
                            .map(|w| interner.term(stemmers, &t.lang, w))
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
                        if let Some(&first) = stems.first() {
                            let first = first as usize;
                            if index.label_starts.len() <= first {
                                index.label_starts.resize_with(first + 1, Vec::new);
                            }
                            index.label_starts[first].push(li);
                        }
                        let mut seen: Vec<u32> = Vec::with_capacity(stems.len());
                        for &s in &stems {
                            if !seen.contains(&s) {
                                let s = s as usize;
                                if index.label_postings.len() <= s {
                                    index.label_postings.resize_with(s + 1, Vec::new);
                                }
                                index.label_postings[s].push(li);
                                seen.push(s as u32);
                            }
                        }
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
            // Merge repeated terms into one weight each.
            bag.sort_unstable_by_key(|(term, _)| *term);
            bag.dedup_by(|next, kept| {
                let same = next.0 == kept.0;
                if same {
                    kept.1 += next.1;
                }
                same
            });
            bags.push(bag);
        }
        let term_count = interner.terms.len();
        index.terms = interner.terms;
        index.label_postings.resize_with(term_count, Vec::new);
        index.label_starts.resize_with(term_count, Vec::new);
        index.concepts = bags.len();
        index.bags = Bm25::new(bags, term_count);
        index
    }

    pub fn concept_count(&self) -> usize {
        self.concepts
    }

    /// The term id of a stem, if any concept text has it.
    fn term(&self, stem: &str) -> Option<u32> {
        self.terms.get(stem).copied()
    }

    /// Inverse document frequency of a stem (0 when unknown).
    pub fn idf(&self, stem: &str) -> f32 {
        self.term(stem).map_or(0.0, |t| self.term_idf(t))
    }

    fn term_idf(&self, term: u32) -> f32 {
        self.bags.idf(term)
    }

    /// BM25 of each concept for the query stems.
    pub fn bm25(&self, query: &[String]) -> HashMap<u32, f32> {
        let mut seen: Vec<u32> = Vec::new();
        for term in query.iter().filter_map(|q| self.term(q)) {
            if !seen.contains(&term) {
                seen.push(term);
            }
        }
        self.bags.score(seen.into_iter().map(|t| (t, 1.0)))
    }

    /// Labels that occur whole, as a contiguous phrase, in the query: (label, start position).
    /// Labels in another language than the query must also match word for word.
    pub fn phrase_matches(&self, q: &Query) -> Vec<(u32, usize)> {
        let query: Vec<u32> = q
            .stems
            .iter()
            .map(|s| self.term(s).unwrap_or(u32::MAX))
            .collect();
        let mut out = Vec::new();
        for (i, t) in query.iter().enumerate() {
            let Some(starting) = self.label_starts.get(*t as usize) else {
                continue;
            };
            for &li in starting {
                let Some(label) = self.labels.get(li as usize) else {
                    continue;
                };
                if query.get(i..i + label.stems.len()) == Some(label.stems.as_slice())
                    && (label.lang == q.lang || label.words.iter().all(|w| q.words.contains(w)))
                {
                    out.push((li, i));
                }
            }
        }
        out
    }

    /// The IDF mass of a label's distinct stems: how much it says.
    pub fn label_mass(&self, label: u32) -> f32 {
        self.labels
            .get(label as usize)
            .map(|l| unique(&l.stems).iter().map(|t| self.term_idf(*t)).sum())
            .unwrap_or(0.0)
    }

    /// Labels sharing at least one stem with the query, with the IDF mass of the label found in
    /// the query (`label_cover`, 0–1) and of the query found in the label (`query_cover`, 0–1),
    /// and whether the label occurs as a contiguous phrase in the query.
    pub fn label_matches(&self, q: &Query) -> Vec<LabelMatch> {
        // Stems no concept has can match nothing: they become an id no label holds.
        let query: Vec<u32> = q
            .stems
            .iter()
            .map(|s| self.term(s).unwrap_or(u32::MAX))
            .collect();
        let mut candidates: Vec<u32> = query
            .iter()
            .filter_map(|t| self.label_postings.get(*t as usize))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let query_mass: f32 = unique(&query).iter().map(|t| self.term_idf(*t)).sum();
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
                let label_mass: f32 = label_stems.iter().map(|t| self.term_idf(*t)).sum();
                let shared: f32 = label_stems
                    .iter()
                    .filter(|t| query.contains(t))
                    .map(|t| self.term_idf(*t))
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
                    phrase: find_phrase(&query, &label.stems),
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
        let mut best: HashMap<u32, (f32, u32)> = HashMap::default();
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

fn unique(terms: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::with_capacity(terms.len());
    for t in terms {
        if !out.contains(t) {
            out.push(*t);
        }
    }
    out
}

fn find_phrase(haystack: &[u32], needle: &[u32]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}
