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
}

#[derive(Debug, Clone, Copy)]
pub struct TitleWeights {
    pub label: f32,
    pub bm25: f32,
    pub semantic: f32,
}

impl TitleWeights {
    pub const LEXICAL: TitleWeights = TitleWeights {
        label: 0.7,
        bm25: 0.3,
        semantic: 0.0,
    };
    pub const WITH_SEMANTIC: TitleWeights = TitleWeights {
        label: 0.2,
        bm25: 0.1,
        semantic: 1.0,
    };
}

#[derive(Debug)]
pub struct TitleMatcher {
    stemmers: Stemmers,
    index: ConceptIndex,
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
        TitleMatcher { stemmers, index }
    }

    /// Occupations for `title`, best first, at most `top`.
    pub fn match_title(
        &self,
        title: &str,
        lang: &str,
        top: usize,
        semantic: Option<&dyn OccupationSimilarity>,
    ) -> Vec<TitleMatch> {
        let title = title.trim();
        let query = Query::new(&self.stemmers, lang, title);
        let stems = &query.stems;
        if stems.is_empty() || top == 0 {
            return Vec::new();
        }
        let sims = semantic.and_then(|s| s.similarities(title));
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
            .gather(&label_score, &bm25, sims.as_deref())
            .into_iter()
            .map(|e| TitleMatch {
                occupation: e.concept,
                score: w.label * e.label + w.bm25 * e.bm25 + w.semantic * e.semantic,
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
