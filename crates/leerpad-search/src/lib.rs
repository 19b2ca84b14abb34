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
//!
//! This file holds [`SearchIndex`] and its [`OfferIndex`] implementation; the schema, opening,
//! writing, querying, highlighting and the collector each have a module of their own.

mod collector;
mod compounds;
mod highlight;
mod layout;
mod open;
mod query;
mod schema;
mod write;

pub use open::Opened;
pub use query::MAX_OFFSET;
pub use write::Bulk;

use layout::Places;
use leerpad_domain::catalogue::search::{
    Highlight, IndexBulk, IndexedOffer, OfferIndex, OfferQuery, SearchError, SearchPage,
};
use leerpad_domain::shared::{Date, OfferId};
use schema::Fields;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::{Index, IndexReader, Term};

fn err(e: impl std::fmt::Display) -> SearchError {
    SearchError::Index(e.to_string())
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
    /// Dutch compounds of the current vocabulary.
    compounds: compounds::CompoundCache,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .finish()
    }
}

impl SearchIndex {
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
            self.replace(&writer, o)?;
        }
        self.commit_after(&mut last, writer, change_seq)
    }

    fn remove(&self, offer_ids: &[OfferId], change_seq: i64) -> Result<(), SearchError> {
        let mut last = self.write.lock().map_err(err)?;
        let writer = self.writer()?;
        for id in offer_ids {
            writer.delete_term(Term::from_field_u64(self.fields.id, id.get() as u64));
        }
        self.commit_after(&mut last, writer, change_seq)
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
