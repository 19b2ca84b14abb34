//! The catalogue's search index, on tantivy. It implements the domain's
//! [`OfferIndex`](leerpad_domain::catalogue::search::OfferIndex) port.
//!
//! - **Text**: titles, summaries and descriptions in Dutch and English, the taught skills' ESCO
//!   labels and synonyms in both languages, and the provider's name, each analysed with its
//!   language's Snowball stemmer, stop words and accent folding. Every query word must match
//!   somewhere (falling back to any word when that finds nothing); a word the index does not
//!   know is looked up with typo tolerance.
//! - **Filters and facets** are packed into three numeric columns per offer (codes, places,
//!   start dates) and evaluated by one collector in a single pass that also counts every facet,
//!   each ignoring its own selection, and keeps the top results.
//! - The index stores no text: results are ids, and the application reads the offers from the
//!   database, which remains the source of truth. The highest catalogue change it reflects is
//!   kept in the commit payload, so a restart catches up and a lost index is rebuilt.

mod collector;
mod layout;

use collector::{FacetCollector, Sort};
use layout::{Codes, Places, Starts};
use leerpad_domain::catalogue::search::{
    Highlight, IndexBulk, IndexedOffer, OfferIndex, OfferQuery, SearchError, SearchPage, SortOrder,
};
use leerpad_domain::regions::Regions;
use leerpad_domain::shared::Date;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Bumped whenever the schema or the packing of columns changes: an index of another version
/// is rebuilt.
const SCHEMA_VERSION: u32 = 2;
/// Deepest result reachable by paging.
pub const MAX_OFFSET: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    title_nl: Field,
    title_en: Field,
    body_nl: Field,
    body_en: Field,
    skills_nl: Field,
    skills_en: Field,
    /// ESCO keys of the skills taught, untokenised.
    skill_keys: Field,
    provider_name: Field,
    provider: Field,
    codes: Field,
    places: Field,
    starts: Field,
    price: Field,
}

/// Text fields with their weight in relevance.
const TEXT_FIELDS: usize = 7;

impl Fields {
    fn weighted(&self) -> [(Field, f32); TEXT_FIELDS] {
        [
            (self.title_nl, 3.0),
            (self.title_en, 3.0),
            (self.skills_nl, 2.0),
            (self.skills_en, 2.0),
            (self.body_nl, 1.0),
            (self.body_en, 1.0),
            (self.provider_name, 1.0),
        ]
    }
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, positions: bool| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(if positions {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                }),
        )
    };
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | FAST),
        title_nl: b.add_text_field("title_nl", text("nl", true)),
        title_en: b.add_text_field("title_en", text("en", true)),
        body_nl: b.add_text_field("body_nl", text("nl", false)),
        body_en: b.add_text_field("body_en", text("en", false)),
        skills_nl: b.add_text_field("skills_nl", text("nl", false)),
        skills_en: b.add_text_field("skills_en", text("en", false)),
        skill_keys: b.add_text_field("skill_keys", STRING),
        provider_name: b.add_text_field("provider_name", text("nl", false)),
        provider: b.add_u64_field("provider", FAST),
        codes: b.add_u64_field("codes", FAST),
        places: b.add_u64_field("places", FAST),
        starts: b.add_u64_field("starts", FAST),
        price: b.add_u64_field("price", FAST),
    };
    (b.build(), fields)
}

fn analyzer(language: Language) -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match StopWordFilter::new(language) {
        Some(stop) => builder.filter(stop).filter(Stemmer::new(language)).build(),
        None => builder.filter(Stemmer::new(language)).build(),
    }
}

fn register_tokenizers(index: &Index) {
    index.tokenizers().register("nl", analyzer(Language::Dutch));
    index
        .tokenizers()
        .register("en", analyzer(Language::English));
}

fn err(e: impl std::fmt::Display) -> SearchError {
    SearchError::Index(e.to_string())
}

/// What the index remembers in its commit payload.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Payload {
    version: u32,
    change_seq: i64,
    places: u64,
}

impl Payload {
    fn encode(&self) -> String {
        format!(
            "v={};seq={};places={:x}",
            self.version, self.change_seq, self.places
        )
    }

    fn decode(s: &str) -> Option<Payload> {
        let mut version = None;
        let mut change_seq = None;
        let mut places = None;
        for part in s.split(';') {
            match part.split_once('=')? {
                ("v", v) => version = v.parse().ok(),
                ("seq", v) => change_seq = v.parse().ok(),
                ("places", v) => places = u64::from_str_radix(v, 16).ok(),
                _ => {}
            }
        }
        Some(Payload {
            version: version?,
            change_seq: change_seq?,
            places: places?,
        })
    }
}

/// How the index was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// An existing, healthy index.
    Existing,
    /// Created empty: there was none.
    Created,
    /// Created empty because the one found was unreadable, corrupt or of another version.
    Recreated,
}

/// The search index of the catalogue, in a directory of its own.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    places: Places,
    /// Serialises writers (tantivy allows one per index) and remembers the last payload.
    write: Mutex<i64>,
    dir: Option<PathBuf>,
    writer_memory: usize,
    /// Decoded filter columns of the current segments.
    columns: collector::ColumnCache,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .finish()
    }
}

impl SearchIndex {
    /// Open the index in `dir`, creating it when missing and re-creating it (empty) when it is
    /// unreadable, fails its checksums or was made by another version. The caller then fills
    /// it from the database ([`OfferIndex::change_seq`] tells from where).
    pub fn open(dir: &Path, regions: &Regions) -> Result<(SearchIndex, Opened), SearchError> {
        let places = Places::new(regions);
        let exists = dir.join("meta.json").is_file();
        if exists {
            // tantivy can panic on damaged files (e.g. shorter than their footer): treat that
            // like any other unreadable index.
            let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                Self::open_existing(dir, &places)
            }))
            .unwrap_or_else(|_| Err(err("damaged files")));
            match opened {
                Ok(index) => return Ok((index, Opened::Existing)),
                Err(e) => {
                    tracing::warn!(
                        "search index in {} unusable ({e}): rebuilding",
                        dir.display()
                    );
                    std::fs::remove_dir_all(dir).map_err(err)?;
                }
            }
        }
        if !exists && dir.exists() {
            // Leftovers of an index without its meta file: nothing there can be trusted.
            std::fs::remove_dir_all(dir).map_err(err)?;
        }
        std::fs::create_dir_all(dir).map_err(err)?;
        let (schema, _) = schema();
        let index = Index::create_in_dir(dir, schema).map_err(err)?;
        let search = Self::from_index(index, places, Some(dir.to_owned()))?;
        search.commit_empty()?;
        Ok((
            search,
            if exists {
                Opened::Recreated
            } else {
                Opened::Created
            },
        ))
    }

    /// An index in memory, for tests and benchmarks of the index alone.
    pub fn in_memory(regions: &Regions) -> Result<SearchIndex, SearchError> {
        let (schema, _) = schema();
        let index = Index::create_in_ram(schema);
        let search = Self::from_index(index, Places::new(regions), None)?;
        search.commit_empty()?;
        Ok(search)
    }

    fn open_existing(dir: &Path, places: &Places) -> Result<SearchIndex, SearchError> {
        let index = Index::open_in_dir(dir).map_err(err)?;
        let (expected, _) = schema();
        if index.schema() != expected {
            return Err(err("schema differs"));
        }
        let payload = index
            .load_metas()
            .map_err(err)?
            .payload
            .and_then(|p| Payload::decode(&p))
            .ok_or_else(|| err("no Leerpad payload"))?;
        if payload.version != SCHEMA_VERSION || payload.places != places.fingerprint() {
            return Err(err("made by another version or with other regions"));
        }
        let corrupt = index.validate_checksum().map_err(err)?;
        if !corrupt.is_empty() {
            return Err(err(format!("{} corrupt files", corrupt.len())));
        }
        let search = Self::from_index(index, places.clone(), Some(dir.to_owned()))?;
        // Touch every segment's columns once, so corruption shows now rather than in a search.
        for segment in search.reader.searcher().segment_readers() {
            segment.fast_fields().u64("codes").map_err(err)?;
        }
        *search.write.lock().map_err(err)? = payload.change_seq;
        search.warm()?;
        Ok(search)
    }

    fn from_index(
        index: Index,
        places: Places,
        dir: Option<PathBuf>,
    ) -> Result<SearchIndex, SearchError> {
        register_tokenizers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(err)?;
        let (_, fields) = schema();
        Ok(SearchIndex {
            index,
            reader,
            fields,
            places,
            write: Mutex::new(0),
            dir,
            writer_memory: 64 * 1024 * 1024,
            columns: Default::default(),
        })
    }

    /// Memory for a write, in bytes: more makes bulk writes faster (fewer, larger segments).
    /// With 200 MB or more, indexing runs on two threads.
    pub fn set_writer_memory(&mut self, bytes: usize) {
        self.writer_memory = bytes.max(16 * 1024 * 1024);
    }

    fn writer(&self) -> Result<IndexWriter, SearchError> {
        let threads = if self.writer_memory >= 200 * 1024 * 1024 {
            2
        } else {
            1
        };
        self.index
            .writer_with_num_threads(threads, self.writer_memory)
            .map_err(err)
    }

    fn commit(&self, mut writer: IndexWriter, change_seq: i64) -> Result<(), SearchError> {
        let payload = Payload {
            version: SCHEMA_VERSION,
            change_seq,
            places: self.places.fingerprint(),
        };
        let mut prepared = writer.prepare_commit().map_err(err)?;
        prepared.set_payload(&payload.encode());
        prepared.commit().map_err(err)?;
        writer.wait_merging_threads().map_err(err)?;
        self.reader.reload().map_err(err)?;
        self.warm()
    }

    /// Decode the filter columns of every current segment (and forget merged-away ones), so
    /// the first search after a change does not pay for it.
    pub fn warm(&self) -> Result<(), SearchError> {
        let searcher = self.reader.searcher();
        let live: std::collections::HashSet<tantivy::index::SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        if let Ok(mut m) = self.columns.lock() {
            m.retain(|id, _| live.contains(id));
        }
        for segment in searcher.segment_readers() {
            collector::columns_for(&self.columns, segment).map_err(err)?;
        }
        Ok(())
    }

    /// Segments, and how many of them carry deletions (which makes searching them slower).
    pub fn segment_stats(&self) -> (usize, usize) {
        let searcher = self.reader.searcher();
        let segments = searcher.segment_readers();
        (
            segments.len(),
            segments
                .iter()
                .filter(|s| s.alive_bitset().is_some())
                .count(),
        )
    }

    /// Memory held by decoded columns, in bytes.
    pub fn column_bytes(&self) -> usize {
        self.columns
            .lock()
            .map(|m| m.values().map(|c| c.bytes()).sum())
            .unwrap_or(0)
    }

    fn commit_empty(&self) -> Result<(), SearchError> {
        let writer = self.writer()?;
        self.commit(writer, 0)
    }

    fn document(&self, o: &IndexedOffer) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, o.offer_id as u64);
        doc.add_u64(f.provider, o.provider_id as u64);
        let mut text = |field: Field, value: &str| {
            if !value.is_empty() {
                doc.add_text(field, value);
            }
        };
        text(f.title_nl, &o.title.nl);
        text(f.title_en, &o.title.en);
        text(f.body_nl, &o.summary.nl);
        text(f.body_nl, &o.description.nl);
        text(f.body_en, &o.summary.en);
        text(f.body_en, &o.description.en);
        text(f.provider_name, &o.provider_name);
        for (lang, label) in &o.skill_labels {
            match lang.as_str() {
                "nl" => text(f.skills_nl, label),
                _ => text(f.skills_en, label),
            }
        }
        for key in &o.skill_keys {
            doc.add_text(f.skill_keys, key);
        }
        doc.add_u64(f.codes, Codes::of(o).0);
        doc.add_u64(f.places, self.places.mask(&o.provinces, &o.regions));
        doc.add_u64(f.starts, Starts::pack(&o.starts).0);
        doc.add_u64(f.price, o.gross_price_cents.cents().max(0) as u64);
        doc
    }

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
    fn text_query(
        &self,
        text: &str,
        any: bool,
        searcher: &tantivy::Searcher,
    ) -> Option<Box<dyn Query>> {
        let mut groups: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in text
            .split(|c: char| !c.is_alphanumeric() && c != '+' && c != '#')
            .filter(|w| !w.is_empty())
            .take(16)
        {
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let mut known = 0u64;
            let mut analysed: Vec<(Term, f32)> = Vec::new();
            for (field, weight) in self.fields.weighted() {
                for term in self.terms_of(field, word) {
                    known += searcher.doc_freq(&term).unwrap_or(0);
                    analysed.push((term, weight));
                }
            }
            if analysed.is_empty() {
                continue; // a stop word in every language
            }
            for (term, weight) in &analysed {
                alternatives.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                        *weight,
                    )),
                ));
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
            groups.push((
                if any { Occur::Should } else { Occur::Must },
                Box::new(BooleanQuery::new(alternatives)),
            ));
        }
        (!groups.is_empty()).then(|| Box::new(BooleanQuery::new(groups)) as Box<dyn Query>)
    }

    /// Offers teaching any of `skills`, scored by the summed weights of those they teach.
    fn teaches_query(&self, skills: &[(String, f32)]) -> Option<Box<dyn Query>> {
        let clauses: Vec<(Occur, Box<dyn Query>)> = skills
            .iter()
            .take(512)
            .map(|(key, weight)| {
                let term = Term::from_field_text(self.fields.skill_keys, key);
                (
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                        *weight,
                    )) as Box<dyn Query>,
                )
            })
            .collect();
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    fn run(&self, query: &OfferQuery, today: Date, any: bool) -> Result<SearchPage, SearchError> {
        let searcher = self.reader.searcher();
        let words = self.text_query(&query.text, any, &searcher);
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

    fn highlight_texts(
        &self,
        text_query: &str,
        lang: &str,
        title: bool,
        texts: &[&str],
        max_chars: usize,
    ) -> Vec<Highlight> {
        let field = match (lang, title) {
            ("en", true) => self.fields.title_en,
            ("en", false) => self.fields.body_en,
            (_, true) => self.fields.title_nl,
            (_, false) => self.fields.body_nl,
        };
        let searcher = self.reader.searcher();
        let generator = self
            .text_query(text_query, true, &searcher)
            .and_then(|q| SnippetGenerator::create(&searcher, q.as_ref(), field).ok())
            .map(|mut g| {
                g.set_max_num_chars(max_chars);
                g
            });
        texts
            .iter()
            .map(|t| match &generator {
                Some(g) => {
                    let s = g.snippet(t);
                    if s.is_empty() {
                        Highlight::plain(t, if title { usize::MAX } else { max_chars })
                    } else if title {
                        // A title is shown whole: marks move from the fragment to the text.
                        let shift = s.fragment_range().start;
                        Highlight {
                            fragment: (*t).to_owned(),
                            marks: s
                                .highlighted()
                                .iter()
                                .map(|r| (r.start + shift, r.end + shift))
                                .collect(),
                        }
                    } else {
                        Highlight {
                            fragment: s.fragment().to_owned(),
                            marks: s.highlighted().iter().map(|r| (r.start, r.end)).collect(),
                        }
                    }
                }
                None if title => Highlight::plain(t, usize::MAX),
                None => Highlight::plain(t, max_chars),
            })
            .collect()
    }

    /// The index directory, if on disk.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Bytes the index takes on disk.
    pub fn size_on_disk(&self) -> u64 {
        fn walk(p: &Path) -> u64 {
            std::fs::read_dir(p)
                .map(|entries| {
                    entries
                        .flatten()
                        .map(|e| match e.metadata() {
                            Ok(m) if m.is_dir() => walk(&e.path()),
                            Ok(m) => m.len(),
                            Err(_) => 0,
                        })
                        .sum()
                })
                .unwrap_or(0)
        }
        self.dir.as_deref().map(walk).unwrap_or(0)
    }
}

/// A bulk write in progress (see [`IndexBulk`]).
pub struct Bulk<'a> {
    index: &'a SearchIndex,
    writer: IndexWriter,
}

impl IndexBulk for Bulk<'_> {
    fn add(&mut self, offers: &[IndexedOffer]) -> Result<(), SearchError> {
        for o in offers {
            self.writer.delete_term(Term::from_field_u64(
                self.index.fields.id,
                o.offer_id as u64,
            ));
            self.writer
                .add_document(self.index.document(o))
                .map_err(err)?;
        }
        Ok(())
    }

    fn commit(self: Box<Self>, change_seq: i64) -> Result<(), SearchError> {
        let mut last = self.index.write.lock().map_err(err)?;
        let seq = change_seq.max(*last);
        self.index.commit(self.writer, seq)?;
        *last = seq;
        Ok(())
    }
}

impl OfferIndex for SearchIndex {
    fn bulk(&self) -> Result<Box<dyn IndexBulk + '_>, SearchError> {
        Ok(Box::new(Bulk {
            index: self,
            writer: self.writer()?,
        }))
    }

    fn search(&self, query: &OfferQuery, today: Date) -> Result<SearchPage, SearchError> {
        let page = self.run(query, today, false)?;
        if page.total == 0 && query.text.split_whitespace().nth(1).is_some() {
            // No offer has every word: show those with some, best first.
            return self.run(query, today, true);
        }
        Ok(page)
    }

    fn upsert(&self, offers: &[IndexedOffer], change_seq: i64) -> Result<(), SearchError> {
        let mut last = self.write.lock().map_err(err)?;
        let writer = self.writer()?;
        for o in offers {
            writer.delete_term(Term::from_field_u64(self.fields.id, o.offer_id as u64));
            writer.add_document(self.document(o)).map_err(err)?;
        }
        let seq = change_seq.max(*last);
        self.commit(writer, seq)?;
        *last = seq;
        Ok(())
    }

    fn remove(&self, offer_ids: &[i64], change_seq: i64) -> Result<(), SearchError> {
        let mut last = self.write.lock().map_err(err)?;
        let writer = self.writer()?;
        for id in offer_ids {
            writer.delete_term(Term::from_field_u64(self.fields.id, *id as u64));
        }
        let seq = change_seq.max(*last);
        self.commit(writer, seq)?;
        *last = seq;
        Ok(())
    }

    fn clear(&self) -> Result<(), SearchError> {
        let mut last = self.write.lock().map_err(err)?;
        let writer = self.writer()?;
        writer.delete_all_documents().map_err(err)?;
        self.commit(writer, 0)?;
        *last = 0;
        Ok(())
    }

    fn change_seq(&self) -> Result<i64, SearchError> {
        self.write.lock().map(|s| *s).map_err(err)
    }

    fn doc_count(&self) -> Result<u64, SearchError> {
        Ok(self.reader.searcher().num_docs())
    }

    fn highlight(
        &self,
        text_query: &str,
        lang: &str,
        title: bool,
        texts: &[&str],
        max_chars: usize,
    ) -> Vec<Highlight> {
        self.highlight_texts(text_query, lang, title, texts, max_chars)
    }
}

#[cfg(test)]
mod tests;
