//! Job-title matching: a free job title ("Marketing Advisor", "verzorgende IG") to ranked ESCO
//! occupations. A title is compared with every preferred and alternative label (Dutch and
//! English); the best label decides, with BM25 over the occupation's texts to break ties and to
//! catch titles that share words but no label.

use super::index::{ConceptIndex, FieldWeights, Query};
use super::text::Stemmers;
use super::{OccupationId, Taxonomy};

/// An occupation matching a title.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TitleMatch {
    pub occupation: OccupationId,
    pub score: f32,
    /// The label that matched best.
    pub matched_label: Option<String>,
}

/// Semantic similarity between a title and every occupation, from an embedding model.
pub trait OccupationSimilarity: Send + Sync {
    fn similarities(&self, title: &str) -> Option<Vec<f32>>;
    /// The same for several titles. A model answers a batch in one pass, which costs little
    /// more than one title, so bulk matching should come here.
    fn similarities_batch(&self, titles: &[&str]) -> Option<Vec<Vec<f32>>> {
        titles.iter().map(|t| self.similarities(t)).collect()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct TitleWeights {
    pub label: f32,
    pub bm25: f32,
    pub semantic: f32,
    /// Weight of how often the occupation is advertised (0–1, log scale).
    pub prior: f32,
}

impl TitleWeights {
    pub const LEXICAL: TitleWeights = TitleWeights {
        label: 0.7,
        bm25: 0.3,
        semantic: 0.0,
        prior: PRIOR_WEIGHT,
    };
    pub const WITH_SEMANTIC: TitleWeights = TitleWeights {
        label: 0.2,
        bm25: 0.1,
        semantic: 1.0,
        prior: PRIOR_WEIGHT,
    };
}

const PRIOR_WEIGHT: f32 = 0.2;

/// Titles whose similarities are asked for at once.
const BATCH: usize = 64;

/// Words in vacancy titles that say nothing about the occupation: seniority, contract, gender
/// markers and recruiting noise (English and Dutch).
const TITLE_NOISE: &[&str] = &[
    "senior",
    "sr",
    "junior",
    "jr",
    "medior",
    "intern",
    "internship",
    "trainee",
    "stagiair",
    "stage",
    "part",
    "full",
    "time",
    "parttime",
    "fulltime",
    "temporary",
    "temp",
    "contract",
    "permanent",
    "vacancy",
    "vacature",
    "urgent",
    "urgently",
    "hiring",
    "needed",
    "wanted",
    "new",
    "m",
    "v",
    "f",
    "d",
    "w",
    "x",
    "mvx",
    "mfd",
    "mwd",
    "fte",
    "uur",
    "hours",
    "remote",
    "hybrid",
];

/// The part of a vacancy title that names the occupation: parenthesised and bracketed asides
/// ("(Selangor/Penang)", "[m/v/x]") and noise words removed. Falls back to the title as given
/// when nothing would be left.
pub fn clean_title(title: &str) -> String {
    let mut core = String::with_capacity(title.len());
    let mut depth = 0usize;
    for c in title.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => core.push(c),
            _ => {}
        }
    }
    let kept: Vec<&str> = core
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | ',' | '|' | ':'))
        .filter(|w| !w.is_empty())
        .filter(|w| !TITLE_NOISE.contains(&w.to_lowercase().as_str()))
        .collect();
    if kept.is_empty() {
        title.trim().to_owned()
    } else {
        kept.join(" ")
    }
}

#[derive(Debug)]
pub struct TitleMatcher {
    stemmers: Stemmers,
    index: ConceptIndex,
    /// How often each occupation is advertised, 0–1 on a log scale (all 0 when unknown).
    prior: Vec<f32>,
}

impl TitleMatcher {
    pub fn new(taxonomy: &Taxonomy) -> Self {
        let stemmers = Stemmers::default();
        let weights = FieldWeights {
            preferred: 3.0,
            alt: 2.0,
            description: 0.2,
        };
        let index = ConceptIndex::build(
            &stemmers,
            taxonomy.occupations().iter().map(|o| o.texts.as_slice()),
            weights,
        );
        TitleMatcher {
            stemmers,
            index,
            prior: vec![0.0; taxonomy.occupations().len()],
        }
    }

    /// Use job-offer counts per occupation as a prior: among equally good matches, the
    /// occupation that is advertised more often is the likelier meaning of a vacancy title.
    pub fn set_job_offers(&mut self, counts: impl IntoIterator<Item = (OccupationId, u32)>) {
        let counts: Vec<(OccupationId, u32)> = counts.into_iter().collect();
        let max = counts.iter().map(|(_, c)| *c).max().unwrap_or(0);
        let scale = ((1 + max) as f32).ln().max(1e-6);
        self.prior.iter_mut().for_each(|p| *p = 0.0);
        for (o, c) in counts {
            if let Some(p) = self.prior.get_mut(o as usize) {
                *p = ((1 + c) as f32).ln() / scale;
            }
        }
    }

    /// How often each occupation is advertised, 0–1 on a log scale (all 0 when unknown).
    pub fn prior(&self) -> &[f32] {
        &self.prior
    }

    /// Occupations for `title`, best first, at most `top`.
    pub fn match_title(
        &self,
        title: &str,
        lang: &str,
        top: usize,
        semantic: Option<&dyn OccupationSimilarity>,
    ) -> Vec<TitleMatch> {
        self.match_titles(&[title], lang, top, semantic)
            .pop()
            .unwrap_or_default()
    }

    /// Occupations for each of `titles`, as [`TitleMatcher::match_title`] would give them, with
    /// the model asked once for all titles.
    pub fn match_titles(
        &self,
        titles: &[&str],
        lang: &str,
        top: usize,
        semantic: Option<&dyn OccupationSimilarity>,
    ) -> Vec<Vec<TitleMatch>> {
        let cleaned: Vec<String> = titles.iter().map(|t| clean_title(t)).collect();
        let refs: Vec<&str> = cleaned.iter().map(String::as_str).collect();
        // In slices, so similarities (one value per occupation each) stay small in memory.
        let mut out = Vec::with_capacity(refs.len());
        for chunk in refs.chunks(BATCH) {
            let sims = semantic.and_then(|s| s.similarities_batch(chunk));
            for (i, title) in chunk.iter().enumerate() {
                let sims = sims.as_ref().and_then(|all| all.get(i)).map(Vec::as_slice);
                out.push(self.rank(title, lang, top, sims));
            }
        }
        out
    }

    /// Rank occupations for a cleaned title, with its semantic similarities if any.
    fn rank(&self, title: &str, lang: &str, top: usize, sims: Option<&[f32]>) -> Vec<TitleMatch> {
        let query = Query::new(&self.stemmers, lang, title);
        let stems = &query.stems;
        if stems.is_empty() || top == 0 {
            return Vec::new();
        }
        let w = if sims.is_some() {
            TitleWeights::WITH_SEMANTIC
        } else {
            TitleWeights::LEXICAL
        };
        let label_score = self.index.best_label_scores(&query, |m| {
            // Harmonic mean of how much of the label is in the title and of the title in the label.
            let sum = m.label_cover + m.query_cover;
            let f1 = if sum > 0.0 {
                2.0 * m.label_cover * m.query_cover / sum
            } else {
                0.0
            };
            Some(f1 * if m.phrase.is_some() { 1.0 } else { 0.9 })
        });
        let bm25 = self.index.bm25(stems);
        let mut out: Vec<TitleMatch> = self
            .index
            .gather(&label_score, &bm25, sims)
            .into_iter()
            .map(|e| TitleMatch {
                occupation: e.concept,
                score: w.label * e.label
                    + w.bm25 * e.bm25
                    + w.semantic * e.semantic
                    + w.prior * self.prior.get(e.concept as usize).copied().unwrap_or(0.0),
                matched_label: self.index.label_text(e.label_index),
            })
            .collect();
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.occupation.cmp(&b.occupation))
        });
        out.truncate(top);
        out
    }
}
