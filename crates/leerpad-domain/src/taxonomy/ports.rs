//! What the taxonomy needs from storage: the imported snapshot and its concepts as rows.

use crate::clock::UnixTime;
use crate::ports::StoreResult;
use async_trait::async_trait;

/// A skill or occupation as a row, for references from other tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConceptRow {
    pub uri: String,
    /// Skill type, or the ISCO code for occupations.
    pub kind: String,
    /// Reuse level for skills, ESCO code for occupations.
    pub detail: String,
    pub label_en: String,
    pub label_nl: Option<String>,
}

/// A taxonomy to store: its compact snapshot and its concepts as rows.
#[derive(Debug, Clone)]
pub struct TaxonomySnapshot {
    pub version: String,
    pub packed: Vec<u8>,
    pub skills: Vec<ConceptRow>,
    pub occupations: Vec<ConceptRow>,
}

/// What a taxonomy import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TaxonomyImportCounts {
    pub skills: u64,
    pub occupations: u64,
}

#[async_trait]
pub trait TaxonomyStore: Send + Sync {
    /// Replace the snapshot and upsert the concept rows, all in one transaction; `progress` is
    /// called with the number of rows written so far.
    async fn save_taxonomy(
        &self,
        snapshot: &TaxonomySnapshot,
        at: UnixTime,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> StoreResult<TaxonomyImportCounts>;
    /// The stored snapshot, if a taxonomy was imported.
    async fn load_taxonomy(&self) -> StoreResult<Option<Vec<u8>>>;
}
