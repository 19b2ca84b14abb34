//! Searching: the words and taught skills of an [`OfferQuery`] as a tantivy query (with typo
//! tolerance for unknown words), run through the facet collector into a [`SearchPage`].

use crate::collector::{FacetCollector, Sort};
use crate::compounds::Compounds;
use crate::{SearchIndex, err};
use leerpad_domain::catalogue::search::{
    OfferQuery, QueryOccupation, SearchError, SearchPage, SortOrder,
};
use leerpad_domain::shared::Date;
use leerpad_domain::taxonomy::described::FILLER_WORDS;
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

/// Score of an offer for an occupation or skill the query names: above what words alone score.
const NAMED_SCORE: f32 = 40.0;
/// Score of an offer for an occupation one word of whose name holds the word searched for.
const PART_SCORE: f32 = 25.0;
/// Score of an offer for the occupation whose work the query describes best (others less, by
/// how well they fit).
const DESCRIBED_SCORE: f32 = 30.0;
/// Score of an offer for an occupation in the same ISCO unit group.
const ISCO_GROUP_SCORE: f32 = 15.0;

/// An optional clause: `term`, its score times `weight`.
fn boosted(term: Term, weight: f32) -> (Occur, Box<dyn Query>) {
    (
        Occur::Should,
        Box::new(BoostQuery::new(
            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
            weight,
        )),
    )
}

/// An optional clause: offers whose untokenised `field` holds `value` score `score`.
fn should_have(field: Field, value: &str, score: f32) -> (Occur, Box<dyn Query>) {
    let term = Term::from_field_text(field, value);
    (
        Occur::Should,
        Box::new(ConstScoreQuery::new(
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            score,
        )),
    )
}

/// Share of a filler word's score in an offer's score.
const FILLER_WEIGHT: f32 = 0.2;

/// Deepest result reachable by paging.
pub const MAX_OFFSET: usize = 10_000;

impl SearchIndex {
    /// Analysed terms of `word` for a field (none when it is a stop word).
    fn terms_of(&self, field: Field, word: &str) -> Vec<Term> {
        let Ok(mut analyzer) = self.index.tokenizer_for_field(field) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(word);
        while stream.advance() {
            out.push(Term::from_field_text(field, &stream.token().text));
        }
        out
    }

    /// The query for the words of `text`: each word must occur in some field (all words), or,
    /// with `any`, at least one word must.
    pub(crate) fn text_query(
        &self,
        text: &str,
        any: bool,
        searcher: &tantivy::Searcher,
    ) -> Option<Box<dyn Query>> {
        let compounds = self.compounds.get(searcher, &self.fields);
        let mut groups: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in text
            .split(|c: char| !c.is_alphanumeric() && c != '+' && c != '#')
            .filter(|w| !w.is_empty())
            .take(16)
        {
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let mut known = 0u64;
            let mut analysed: Vec<(Term, f32)> = Vec::new();
            // A stop word in one language ("de", "op" in Dutch) is kept by the other's
            // analyser: it must not become a word every offer has to hold.
            let mut stop_word_somewhere = false;
            for (field, weight) in self.fields.weighted() {
                let terms = self.terms_of(field, word);
                stop_word_somewhere |= terms.is_empty();
                for term in terms {
                    known += searcher.doc_freq(&term).unwrap_or(0);
                    analysed.push((term, weight));
                }
            }
            if analysed.is_empty() {
                continue; // a stop word in every language
            }
            for (term, weight) in &analysed {
                alternatives.push(boosted(term.clone(), *weight));
            }
            // A Dutch word is often part of a compound ("zorg" in "ouderenzorg", "heftruck" in
            // "heftruckchauffeur"): match the compounds of the index's vocabulary.
            for (term, weight) in self.compound_terms(word, &compounds) {
                known += searcher.doc_freq(&term).unwrap_or(0);
                alternatives.push(boosted(term, weight));
            }
            // A word the index does not know is probably misspelt: match close terms.
            let chars = word.chars().count();
            if known == 0 && chars >= 4 {
                let distance = if chars >= 8 { 2 } else { 1 };
                for (term, weight) in &analysed {
                    if term.field() == self.fields.provider_name {
                        continue;
                    }
                    alternatives.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(FuzzyTermQuery::new(term.clone(), distance, true)),
                            weight * 0.5,
                        )),
                    ));
                }
            }
            let matches: Box<dyn Query> = Box::new(BooleanQuery::new(alternatives));
            if stop_word_somewhere || FILLER_WORDS.contains(&word.to_lowercase().as_str()) {
                // "werken" in "ik wil in de thuiszorg werken" says little about what is wanted.
                groups.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(matches, FILLER_WEIGHT)),
                ));
            } else {
                groups.push((if any { Occur::Should } else { Occur::Must }, matches));
            }
        }
        (!groups.is_empty()).then(|| Box::new(BooleanQuery::new(groups)) as Box<dyn Query>)
    }

    /// The compounds of `word` in every Dutch field, with their weights: a kind of the word
    /// (its head) nearly as much as the word itself, a compound with it below that.
    fn compound_terms(&self, word: &str, compounds: &Compounds) -> Vec<(Term, f32)> {
        let mut out = Vec::new();
        for term in self.terms_of(self.fields.title_nl, word) {
            let value = term.value();
            let Some(text) = value.as_str() else {
                continue;
            };
            for compound in compounds.of(text) {
                let share = if compound.head { 0.9 } else { 0.6 };
                for (field, weight) in self.fields.weighted() {
                    if self.fields.is_dutch(field) {
                        out.push((Term::from_field_text(field, &compound.term), weight * share));
                    }
                }
            }
        }
        out
    }

    /// Offers teaching any of `skills`, scored by the summed weights of those they teach.
    fn teaches_query(&self, skills: &[(String, f32)]) -> Option<Box<dyn Query>> {
        let clauses: Vec<(Occur, Box<dyn Query>)> = skills
            .iter()
            .take(512)
            .map(|(key, weight)| should_have(self.fields.skill_keys, key, *weight))
            .collect();
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    /// Offers for the occupations the query names, or teaching the skill it names, scored above
    /// any match of words alone, and below them the offers of the same ISCO unit groups.
    fn occupation_query(
        &self,
        occupations: &[QueryOccupation],
        named_skills: &[String],
    ) -> Option<Box<dyn Query>> {
        if occupations.is_empty() && named_skills.is_empty() {
            return None;
        }
        let f = &self.fields;
        let mut groups: Vec<&str> = Vec::new();
        // An occupation named only through the work a word describes is a guess: its own
        // offers rank first, not the rest of its group.
        for o in occupations
            .iter()
            .take(16)
            .filter(|o| !o.by_work && !o.by_part && o.described.is_none())
        {
            if !o.isco.is_empty() && !groups.contains(&o.isco.as_str()) {
                groups.push(&o.isco);
            }
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = named_skills
            .iter()
            .take(8)
            .map(|key| should_have(f.skill_keys, key, NAMED_SCORE))
            .chain(occupations.iter().take(16).map(|o| {
                let score = match o.described {
                    Some(fit) => DESCRIBED_SCORE * f32::from(fit) / 100.0,
                    None if o.by_part => PART_SCORE,
                    None => NAMED_SCORE,
                };
                should_have(f.occupations, &o.key, score)
            }))
            .chain(
                groups
                    .into_iter()
                    .map(|code| should_have(f.isco_groups, code, ISCO_GROUP_SCORE)),
            )
            .collect();
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// One search: every word of the query (or, with `any`, some word) and its filters.
    pub(crate) fn run(
        &self,
        query: &OfferQuery,
        today: Date,
        any: bool,
    ) -> Result<SearchPage, SearchError> {
        let searcher = self.reader.searcher();
        let words = self.text_query(&query.text, any, &searcher);
        // A query naming an occupation also finds the offers for it that use other words.
        let words = match (
            self.occupation_query(&query.occupations, &query.named_skills),
            words,
        ) {
            (Some(o), Some(w)) => Some(Box::new(BooleanQuery::new(vec![
                (Occur::Should, o),
                (Occur::Should, w),
            ])) as Box<dyn Query>),
            (o, w) => o.or(w),
        };
        let teaches = self.teaches_query(&query.teaches);
        let text = match (words, teaches) {
            (Some(w), Some(t)) => {
                Some(
                    Box::new(BooleanQuery::new(vec![(Occur::Must, w), (Occur::Must, t)]))
                        as Box<dyn Query>,
                )
            }
            (w, t) => w.or(t),
        };
        let scored = text.is_some() && query.sort == SortOrder::Relevance;
        let sort = match query.sort {
            SortOrder::Relevance if scored => Sort::Score,
            // Without words to rank by, the soonest start is the most useful order.
            SortOrder::Relevance => Sort::Start,
            SortOrder::PriceAsc => Sort::PriceAsc,
            SortOrder::PriceDesc => Sort::PriceDesc,
            SortOrder::StartDate => Sort::Start,
        };
        let offset = query.offset.min(MAX_OFFSET);
        let collector = FacetCollector::new(
            self.columns.clone(),
            &query.filters,
            &self.places,
            today,
            sort,
            offset + query.limit.clamp(1, 100),
            scored,
        );
        let all: Box<dyn Query> = Box::new(AllQuery);
        let q = text.as_ref().unwrap_or(&all);
        let found = searcher.search(q.as_ref(), &collector).map_err(err)?;
        let hits = found.top.into_iter().skip(offset).collect();
        Ok(SearchPage {
            total: found.total,
            hits,
            facets: found.counts.into_facets(&self.places),
            terms: Vec::new(),
        })
    }
}
