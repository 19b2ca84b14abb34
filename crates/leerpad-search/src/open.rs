//! Opening the index: on disk or in memory, with the checks that decide whether an index found
//! on disk is still usable (its commit payload, schema and checksums) and the rebuild when not.

use crate::layout::Places;
use crate::schema::{SCHEMA_VERSION, register_tokenizers, schema};
use crate::{SearchIndex, err};
use leerpad_domain::catalogue::search::SearchError;
use leerpad_domain::regions::Regions;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::{Index, ReloadPolicy};

/// What the index remembers in its commit payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Payload {
    pub(crate) version: u32,
    pub(crate) change_seq: i64,
    pub(crate) places: u64,
}

impl Payload {
    pub(crate) fn encode(&self) -> String {
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

impl SearchIndex {
    /// Open the index in `dir`, creating it when missing and re-creating it (empty) when it is
    /// unreadable, fails its checksums or was made by another version. The caller then fills
    /// it from the database ([`OfferIndex::change_seq`] tells from where).
    ///
    /// [`OfferIndex::change_seq`]: leerpad_domain::catalogue::search::OfferIndex::change_seq
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
            compounds: Default::default(),
        })
    }
}
