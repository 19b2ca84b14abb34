//! Writing the index: how an offer becomes a document, the tantivy writer, and commits that
//! record the catalogue change they reflect; also the bulk write used to fill the index.

use crate::layout::{Codes, Starts};
use crate::open::Payload;
use crate::schema::SCHEMA_VERSION;
use crate::{SearchIndex, err};
use leerpad_domain::catalogue::search::{IndexBulk, IndexedOffer, SearchError};
use tantivy::schema::Field;
use tantivy::{IndexWriter, TantivyDocument, Term};

impl SearchIndex {
    /// Memory for a write, in bytes: more makes bulk writes faster (fewer, larger segments).
    /// With 200 MB or more, indexing runs on two threads.
    pub fn set_writer_memory(&mut self, bytes: usize) {
        self.writer_memory = bytes.max(16 * 1024 * 1024);
    }

    pub(crate) fn writer(&self) -> Result<IndexWriter, SearchError> {
        let threads = if self.writer_memory >= 200 * 1024 * 1024 {
            2
        } else {
            1
        };
        self.index
            .writer_with_num_threads(threads, self.writer_memory)
            .map_err(err)
    }

    pub(crate) fn commit(
        &self,
        mut writer: IndexWriter,
        change_seq: i64,
    ) -> Result<(), SearchError> {
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

    /// Commit at `change_seq`, or at `last` if that is higher (the index never goes back), and
    /// remember the change committed in `last` (the guard of the write lock).
    pub(crate) fn commit_after(
        &self,
        last: &mut i64,
        writer: IndexWriter,
        change_seq: i64,
    ) -> Result<(), SearchError> {
        let seq = change_seq.max(*last);
        self.commit(writer, seq)?;
        *last = seq;
        Ok(())
    }

    pub(crate) fn commit_empty(&self) -> Result<(), SearchError> {
        let writer = self.writer()?;
        self.commit(writer, 0)
    }

    /// Put `o` in the index in place of any earlier version of it.
    pub(crate) fn replace(
        &self,
        writer: &IndexWriter,
        o: &IndexedOffer,
    ) -> Result<(), SearchError> {
        writer.delete_term(Term::from_field_u64(
            self.fields.id,
            o.offer_id.get() as u64,
        ));
        writer.add_document(self.document(o)).map_err(err)?;
        Ok(())
    }

    fn document(&self, o: &IndexedOffer) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, o.offer_id.get() as u64);
        doc.add_u64(f.provider, o.provider_id.get() as u64);
        let mut text = |field: Field, value: &str| {
            if !value.is_empty() {
                doc.add_text(field, value);
            }
        };
        text(f.title_nl, &o.title.nl);
        text(f.title_nl_exact, &o.title.nl);
        text(f.title_en, &o.title.en);
        text(f.body_nl, &o.summary.nl);
        text(f.body_nl, &o.description.nl);
        text(f.body_en, &o.summary.en);
        text(f.body_en, &o.description.en);
        text(f.provider_name, &o.provider_name);
        for (lang, label) in &o.skill_labels {
            match lang.as_str() {
                "nl" => {
                    text(f.skills_nl, label);
                    text(f.skills_nl_exact, label);
                }
                _ => text(f.skills_en, label),
            }
        }
        for key in &o.occupation_keys {
            doc.add_text(f.occupations, key);
        }
        for code in &o.isco_groups {
            doc.add_text(f.isco_groups, code);
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
}

/// A bulk write in progress (see [`IndexBulk`]).
pub struct Bulk<'a> {
    pub(crate) index: &'a SearchIndex,
    pub(crate) writer: IndexWriter,
}

impl IndexBulk for Bulk<'_> {
    fn add(&mut self, offers: &[IndexedOffer]) -> Result<(), SearchError> {
        for o in offers {
            self.index.replace(&self.writer, o)?;
        }
        Ok(())
    }

    fn commit(self: Box<Self>, change_seq: i64) -> Result<(), SearchError> {
        let mut last = self.index.write.lock().map_err(err)?;
        self.index.commit_after(&mut last, self.writer, change_seq)
    }
}
