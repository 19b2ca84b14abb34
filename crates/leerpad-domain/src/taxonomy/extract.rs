//! Skill extraction: free text (a CV, a vacancy, a course description; Dutch or English) to
//! ranked ESCO skills, each with the sentence and label that gave it away.
//!
//! Each sentence is scored on its own: skill labels found in it (whole phrases count most,
//! partial matches by the share of the label's information found), BM25 against each skill's
//! labels, synonyms and description, and optionally a semantic similarity from a sentence
//! encoder. A skill's score is its best sentence's score.

use super::index::{ConceptIndex, FieldWeights, Query};
use super::text::Stemmers;
use super::{SkillId, Taxonomy};
use rustc_hash::FxHashMap as HashMap;

/// Longest text analysed; longer input is cut (at a character boundary) rather than refused.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;

/// A skill found in a text.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExtractedSkill {
    pub skill: SkillId,
    pub score: f32,
    /// The sentence the skill was found in.
    pub sentence: String,
    /// The skill label that matched, when a label (rather than only context) matched.
    pub matched_label: Option<String>,
}

/// Sentences whose similarities are asked for at once.
const BATCH: usize = 64;

/// Semantic similarity between a sentence and every skill, supplied by an embedding model.
pub trait SkillSimilarity: Send + Sync {
    /// Cosine similarity of `sentence` with each skill, indexed by `SkillId`.
    fn similarities(&self, sentence: &str) -> Option<Vec<f32>>;
    /// The same for several sentences; a model answers a batch in one pass.
    fn similarities_batch(&self, sentences: &[&str]) -> Option<Vec<Vec<f32>>> {
        sentences.iter().map(|s| self.similarities(s)).collect()
    }
}

/// Tunables of the scoring.
#[derive(Debug, Clone, Copy)]
pub struct ExtractWeights {
    pub label: f32,
    pub bm25: f32,
    pub semantic: f32,
    pub prior: f32,
}

impl ExtractWeights {
    /// Without a semantic model, words decide.
    pub const LEXICAL: ExtractWeights = ExtractWeights {
        label: 0.6,
        bm25: 0.3,
        semantic: 0.0,
        prior: 0.02,
    };
    /// With a semantic model, similarity leads and words confirm.
    pub const WITH_SEMANTIC: ExtractWeights = ExtractWeights {
        label: 0.2,
        bm25: 0.1,
        semantic: 1.0,
        prior: 0.05,
    };
}

#[derive(Debug)]
pub struct SkillExtractor {
    stemmers: Stemmers,
    index: ConceptIndex,
    /// Broadly used skills are slightly more likely: log of the number of occupations using them.
    prior: Vec<f32>,
}

/// Split text into sentences (and list items), keeping them short enough to score.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let end_of_sentence = matches!(c, '\n' | '•' | ';')
            || (matches!(c, '.' | '!' | '?')
                && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()));
        if end_of_sentence {
            let s = text[start..i].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = i + c.len_utf8();
        }
    }
    let s = text[start..].trim();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl SkillExtractor {
    pub fn new(taxonomy: &Taxonomy) -> Self {
        let stemmers = Stemmers::default();
        let weights = FieldWeights {
            preferred: 3.0,
            alt: 1.5,
            description: 0.3,
        };
        let index = ConceptIndex::build(
            &stemmers,
            taxonomy.skills().iter().map(|s| s.texts.as_slice()),
            weights,
        );
        let max = taxonomy.skills().len().max(1);
        let prior = (0..max)
            .map(|i| ((1 + taxonomy.occupations_with(i as SkillId).len()) as f32).ln() / 8.0)
            .collect();
        SkillExtractor {
            stemmers,
            index,
            prior,
        }
    }

    /// Skills in `text`, best first, at most `top`.
    pub fn extract(
        &self,
        text: &str,
        lang: &str,
        top: usize,
        semantic: Option<&dyn SkillSimilarity>,
    ) -> Vec<ExtractedSkill> {
        self.extract_many(&[text], lang, top, semantic)
            .pop()
            .unwrap_or_default()
    }

    /// Skills in each of `texts`, as [`SkillExtractor::extract`] would find them, with the
    /// model asked once for all their sentences.
    pub fn extract_many(
        &self,
        texts: &[&str],
        lang: &str,
        top: usize,
        semantic: Option<&dyn SkillSimilarity>,
    ) -> Vec<Vec<ExtractedSkill>> {
        let split: Vec<Vec<&str>> = texts
            .iter()
            .map(|t| sentences(truncate(t, MAX_TEXT_BYTES)))
            .collect();
        let flat: Vec<&str> = split.iter().flatten().copied().collect();
        // In slices, so similarities (one value per skill each) stay small in memory.
        let sims: Option<Vec<Vec<f32>>> = semantic.and_then(|s| {
            let mut all = Vec::with_capacity(flat.len());
            for chunk in flat.chunks(BATCH) {
                all.extend(s.similarities_batch(chunk)?);
            }
            Some(all)
        });
        let mut next = 0usize;
        split
            .iter()
            .map(|text_sentences| {
                let mut best: HashMap<SkillId, ExtractedSkill> = HashMap::default();
                for sentence in text_sentences {
                    let sim = sims
                        .as_ref()
                        .and_then(|all| all.get(next))
                        .map(Vec::as_slice);
                    next += 1;
                    for (skill, score, label) in self.score_sentence(sentence, lang, sim) {
                        if best.get(&skill).is_none_or(|b| score > b.score) {
                            best.insert(
                                skill,
                                ExtractedSkill {
                                    skill,
                                    score,
                                    sentence: (*sentence).to_owned(),
                                    matched_label: label,
                                },
                            );
                        }
                    }
                }
                let mut out: Vec<ExtractedSkill> = best.into_values().collect();
                out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.skill.cmp(&b.skill)));
                out.truncate(top);
                out
            })
            .collect()
    }

    /// Skills named in `text`: a label or synonym that occurs as a whole phrase. No BM25 and
    /// no model, so it is fast and precise, at the cost of recall; used for bulk imports, where
    /// offers without skills get the skills their texts name.
    pub fn mentions(&self, text: &str, lang: &str, top: usize) -> Vec<ExtractedSkill> {
        let text = truncate(text, MAX_TEXT_BYTES);
        let mut best: HashMap<SkillId, ExtractedSkill> = HashMap::default();
        for sentence in sentences(text) {
            let query = Query::new(&self.stemmers, lang, sentence);
            if query.stems.is_empty() {
                continue;
            }
            for (label, _) in self.index.phrase_matches(&query) {
                let Some(concept) = self.index.labels.get(label as usize).map(|l| l.concept) else {
                    continue;
                };
                let prior = self.prior.get(concept as usize).copied().unwrap_or(0.0);
                let score = self.index.label_mass(label) + prior;
                if best.get(&concept).is_none_or(|b| score > b.score) {
                    best.insert(
                        concept,
                        ExtractedSkill {
                            skill: concept,
                            score,
                            sentence: sentence.to_owned(),
                            matched_label: self.index.label_text(label),
                        },
                    );
                }
            }
        }
        let mut out: Vec<ExtractedSkill> = best.into_values().collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.skill.cmp(&b.skill)));
        out.truncate(top);
        out
    }

    /// Candidate skills of one sentence with score and matched label.
    fn score_sentence(
        &self,
        sentence: &str,
        lang: &str,
        sims: Option<&[f32]>,
    ) -> Vec<(SkillId, f32, Option<String>)> {
        let query = Query::new(&self.stemmers, lang, sentence);
        let stems = &query.stems;
        if stems.is_empty() {
            return Vec::new();
        }
        let w = if sims.is_some() {
            ExtractWeights::WITH_SEMANTIC
        } else {
            ExtractWeights::LEXICAL
        };
        let label_score = self.index.best_label_scores(&query, |m| {
            (m.label_cover >= 0.5)
                .then(|| m.label_cover * m.label_cover * if m.phrase.is_some() { 1.0 } else { 0.8 })
        });
        let bm25 = self.index.bm25(stems);
        self.index
            .gather(&label_score, &bm25, sims)
            .into_iter()
            .map(|e| {
                let prior = self.prior.get(e.concept as usize).copied().unwrap_or(0.0);
                let score =
                    w.label * e.label + w.bm25 * e.bm25 + w.semantic * e.semantic + w.prior * prior;
                (e.concept, score, self.index.label_text(e.label_index))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_on_ends_and_lines() {
        assert_eq!(
            sentences("Ik kan lassen. Ik rijd heftruck!\n• Excel"),
            vec!["Ik kan lassen", "Ik rijd heftruck", "Excel"]
        );
        assert_eq!(sentences("Node.js and C++"), vec!["Node.js and C++"]);
        assert!(sentences("  \n ").is_empty());
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        assert_eq!(truncate("a", 3), "a");
        assert_eq!(truncate("éé", 3), "é");
    }
}
