//! The taxonomy as the rest of Leerpad uses it: loaded once, with its lookup, title matching and
//! skill extraction ready, and languages checked at the edge.

use leerpad_domain::taxonomy::described::{Described, WorkDescriptions};
use leerpad_domain::taxonomy::extract::{ExtractedSkill, SkillExtractor, SkillSimilarity};
use leerpad_domain::taxonomy::senses::{SensesData, WordSenses};
use leerpad_domain::taxonomy::titles::{OccupationSimilarity, TitleMatch, TitleMatcher};
use leerpad_domain::taxonomy::{Taxonomy, TaxonomyData};
use std::sync::{Arc, RwLock};

/// Languages Leerpad analyses and labels in.
pub const LANGUAGES: [&str; 2] = ["nl", "en"];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LanguageError {
    #[error("unknown language '{0}': use 'nl' or 'en'")]
    Unknown(String),
}

/// Check a language code from the outside world.
pub fn parse_language(code: &str) -> Result<&'static str, LanguageError> {
    let c = code.trim().to_ascii_lowercase();
    LANGUAGES
        .iter()
        .find(|l| **l == c)
        .copied()
        .ok_or_else(|| LanguageError::Unknown(code.to_owned()))
}

/// Optional semantic models (sentence embeddings); without them matching is lexical only.
#[derive(Default, Clone)]
pub struct SemanticModels {
    pub skills: Option<Arc<dyn SkillSimilarity>>,
    pub occupations: Option<Arc<dyn OccupationSimilarity>>,
    /// The precision the loaded model computes in (`int8`, `f32`), for reports.
    pub precision: Option<&'static str>,
}

/// The loaded taxonomy and its matchers.
pub struct TaxonomyService {
    pub taxonomy: Arc<Taxonomy>,
    extractor: SkillExtractor,
    matcher: TitleMatcher,
    /// Built on first use: only searches that name no occupation need it.
    described: std::sync::OnceLock<WorkDescriptions>,
    /// Word and occupation vectors for reading described work by sense, when shipped.
    senses: Option<WordSenses>,
    /// Set once the embedding model and label embeddings are ready (possibly after start).
    semantic: RwLock<SemanticModels>,
    /// Threads the bulk calls (`extract_skills_many`, `match_titles`) may use.
    bulk_threads: usize,
}

impl std::fmt::Debug for TaxonomyService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaxonomyService")
            .field("skills", &self.taxonomy.skills().len())
            .finish()
    }
}

impl TaxonomyService {
    /// `job_offers`: how often each occupation (by key or URI) is advertised; a prior for title
    /// matching (may be empty).
    pub fn new(data: TaxonomyData, job_offers: &[(&str, u32)]) -> Self {
        // The three indexes are independent: build them side by side.
        let mut core = Taxonomy::without_lookup(data);
        let (extractor, matcher, lookup) = std::thread::scope(|s| {
            let extractor = s.spawn(|| SkillExtractor::new(&core));
            let matcher = s.spawn(|| {
                let mut m = TitleMatcher::new(&core);
                m.set_job_offers(
                    job_offers
                        .iter()
                        .filter_map(|(key, n)| Some((core.occupation_id(key)?, *n))),
                );
                m
            });
            let lookup = core.build_lookup();
            (extractor.join(), matcher.join(), lookup)
        });
        core.set_lookup(lookup);
        let (extractor, matcher) = match (extractor, matcher) {
            (Ok(e), Ok(m)) => (e, m),
            (Err(panic), _) | (_, Err(panic)) => std::panic::resume_unwind(panic),
        };
        TaxonomyService {
            taxonomy: Arc::new(core),
            extractor,
            matcher,
            described: std::sync::OnceLock::new(),
            senses: None,
            semantic: RwLock::new(SemanticModels::default()),
            bulk_threads: 1,
        }
    }

    /// Read the work a search describes with these word and occupation vectors as well
    /// (`leerpad_esco::bundled_senses`); without them, by the taxonomy's words alone.
    pub fn with_senses(mut self, senses: SensesData) -> Self {
        self.senses = Some(WordSenses::new(&senses, &self.taxonomy));
        self
    }

    /// Let the bulk calls split their input over `threads` threads (command-line work and
    /// evaluations; a server answers requests in parallel already). The answers are the same.
    pub fn set_bulk_threads(&mut self, threads: usize) {
        self.bulk_threads = threads.max(1);
    }

    /// Switch semantic matching on (or off, with empty models); may happen after start.
    pub fn set_semantic(&self, models: SemanticModels) {
        if let Ok(mut s) = self.semantic.write() {
            *s = models;
        }
    }

    fn semantic(&self) -> SemanticModels {
        self.semantic.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// How skills are extracted: `lexical` or `lexical+semantic`.
    pub fn extraction_method(&self) -> &'static str {
        if self.semantic().skills.is_some() {
            "lexical+semantic"
        } else {
            "lexical"
        }
    }

    /// The precision of the loaded embedding model, when one is loaded.
    pub fn model_precision(&self) -> Option<&'static str> {
        self.semantic().precision
    }

    /// How titles are matched: `lexical` or `lexical+semantic`.
    pub fn title_method(&self) -> &'static str {
        if self.semantic().occupations.is_some() {
            "lexical+semantic"
        } else {
            "lexical"
        }
    }

    pub fn extract_skills(&self, text: &str, lang: &str, top: usize) -> Vec<ExtractedSkill> {
        self.extractor
            .extract(text, lang, top, self.semantic().skills.as_deref())
    }

    /// Skills named in `text` by a whole label or synonym (fast, no model); see
    /// [`SkillExtractor::mentions`].
    pub fn mention_skills(&self, text: &str, lang: &str, top: usize) -> Vec<ExtractedSkill> {
        self.extractor.mentions(text, lang, top)
    }

    /// Skills in each of `texts`: the same answers as [`TaxonomyService::extract_skills`],
    /// with one model pass per batch of sentences (for bulk work and evaluations).
    pub fn extract_skills_many(
        &self,
        texts: &[&str],
        lang: &str,
        top: usize,
    ) -> Vec<Vec<ExtractedSkill>> {
        let skills = self.semantic().skills;
        in_parts(texts, self.bulk_threads, |part| {
            self.extractor
                .extract_many(part, lang, top, skills.as_deref())
        })
    }

    /// The occupations a search describes without naming one, at most `limit`, those scoring
    /// at least `within` (0–1) of the best (see [`WorkDescriptions`]).
    pub fn occupations_described(&self, query: &str, limit: usize, within: f32) -> Vec<Described> {
        self.described
            .get_or_init(|| WorkDescriptions::build(&self.taxonomy))
            .described_by(
                query,
                self.matcher.prior(),
                self.senses.as_ref(),
                limit,
                within,
            )
    }

    pub fn match_title(&self, title: &str, lang: &str, top: usize) -> Vec<TitleMatch> {
        self.matcher
            .match_title(title, lang, top, self.semantic().occupations.as_deref())
    }

    /// Occupations for each of `titles`, with one model pass per batch.
    pub fn match_titles(&self, titles: &[&str], lang: &str, top: usize) -> Vec<Vec<TitleMatch>> {
        let occupations = self.semantic().occupations;
        in_parts(titles, self.bulk_threads, |part| {
            self.matcher
                .match_titles(part, lang, top, occupations.as_deref())
        })
    }
}

/// `work` on `items` in up to `threads` contiguous parts side by side, the answers in the
/// order of `items`.
fn in_parts<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let parts = threads.clamp(1, items.len().max(1));
    if parts == 1 {
        return work(items);
    }
    let size = items.len().div_ceil(parts);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(size)
            .map(|part| s.spawn(|| work(part)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_keep_the_order_of_the_items() {
        let items: Vec<u32> = (0..101).collect();
        let square = |part: &[u32]| part.iter().map(|i| i * i).collect::<Vec<u32>>();
        for threads in [0, 1, 2, 3, 8, 200] {
            assert_eq!(in_parts(&items, threads, square), square(&items));
        }
        assert!(in_parts(&[] as &[u32], 4, square).is_empty());
    }
}
