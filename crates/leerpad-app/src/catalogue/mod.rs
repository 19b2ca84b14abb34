//! The training catalogue: importing offers (files and the provider API), keeping the search
//! index in step with the database, searching, and reading one offer.
//!
//! Imports are two passes over the input. The first validates every offer and reports every
//! problem (file line, field, reason) without writing anything. The second writes the valid
//! offers in one database transaction, a batch at a time, adding each batch to an uncommitted
//! index write that is committed after the database: a crash or `kill -9` halfway leaves both the
//! previous catalogue and its index intact, and a restart indexes whatever the database has that
//! the index lacks (the index remembers the last change number it reflects).

use crate::error::{AppError, AppResult};
use crate::taxonomy::TaxonomyService;
use leerpad_domain::accounts::ports::UserStore;
use leerpad_domain::catalogue::ports::CatalogueStore;
use leerpad_domain::catalogue::ports::{
    InMemoryBatches, OfferBatches, OfferChange, OfferOwner, OfferWrite, SaveSummary, SavedOffer,
    WriteOutcome,
};
use leerpad_domain::catalogue::search::{
    FacetCounts, Highlight, IndexBulk, IndexedOffer, OfferIndex, OfferQuery, SearchError,
};
use leerpad_domain::catalogue::{
    Checks, Offer, OfferContent, OfferDraft, OfferInput, OfferSkill, OfferStatus, Provider,
    RunStatus, SkillSource, validate_offer,
};
use leerpad_domain::clock::Clock;
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::regions::{Municipality, Regions};
use leerpad_domain::shared::{Date, FieldError};
use leerpad_domain::taxonomy::texts_in;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Offers per write batch: large enough for few statements, small enough to keep memory flat.
const BATCH: usize = 1_000;
/// Skills Leerpad extracts for an offer that names none.
const EXTRACTED_SKILLS: usize = 8;
/// Alternative labels per language indexed for each taught skill.
const ALT_LABELS_INDEXED: usize = 4;

mod examples;
mod import;
mod index;
mod portal;
mod providers;
mod search;

pub use examples::{EXAMPLE_MANAGER, EXAMPLE_NEWCOMER, EXAMPLE_PROVIDER};
pub use import::{BatchItem, ImportOutcome, ImportRow, IndexUpdate, RowCheck, RowProblem};
pub use index::IndexFeed;
pub use portal::{HistoryEntry, HistoryKind, UploadReport};
pub(crate) use providers::accreditations_of;
pub use providers::own_provider_in;
pub use search::{MatchReason, OfferCard, OfferDetails, SearchResults, SkillLabel};

/// The catalogue use cases.
#[derive(Clone)]
pub struct Catalogue {
    offers: Arc<dyn CatalogueStore>,
    users: Arc<dyn UserStore>,
    audit: Arc<dyn leerpad_domain::accounts::ports::AuditStore>,
    index: Arc<dyn OfferIndex>,
    taxonomy: Arc<TaxonomyService>,
    regions: Arc<Regions>,
    clock: Arc<dyn Clock>,
    /// One index writer per process at a time.
    index_lock: Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Catalogue")
    }
}

fn search_error(e: SearchError) -> AppError {
    AppError::Internal(e.to_string())
}

/// Today's date in the Netherlands (close enough: UTC+1, which never changes the day for the
/// questions asked here by more than an hour at midnight).
pub fn today(clock: &dyn Clock) -> Date {
    let secs = clock.now() + 3_600;
    time::OffsetDateTime::from_unix_timestamp(secs)
        .map(|t| t.date())
        .unwrap_or(time::Date::MIN)
}

impl Catalogue {
    pub fn new(
        offers: Arc<dyn CatalogueStore>,
        users: Arc<dyn UserStore>,
        audit: Arc<dyn leerpad_domain::accounts::ports::AuditStore>,
        index: Arc<dyn OfferIndex>,
        taxonomy: Arc<TaxonomyService>,
        regions: Arc<Regions>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Catalogue {
            offers,
            users,
            audit,
            index,
            taxonomy,
            regions,
            clock,
            index_lock: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    pub fn regions(&self) -> &Regions {
        &self.regions
    }

    pub fn today(&self) -> Date {
        today(self.clock.as_ref())
    }
}
