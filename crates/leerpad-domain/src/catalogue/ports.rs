//! What the catalogue needs from storage: offers and providers, written in batches in one
//! transaction, and the change feed.

use crate::catalogue::{Offer, OfferContent, Provider, ProviderDraft};
use crate::clock::UnixTime;
use crate::ports::StoreResult;
use crate::shared::{OfferId, ProviderId, UserId};
use async_trait::async_trait;
use serde::Serialize;

/// Who an offer in a write belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferOwner {
    /// An existing provider (the API caller's organisation).
    Provider(i64),
    /// A provider by KvK number, created or updated with these details (files).
    ByKvk(ProviderDraft),
}

/// One offer to create or update, keyed by its owner and the provider's own id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferWrite {
    pub owner: OfferOwner,
    pub provider_offer_id: String,
    pub content: OfferContent,
}

/// What writing an offer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteOutcome {
    Created,
    Updated,
    /// The stored offer already had exactly this content: nothing was written.
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedOffer {
    pub offer_id: OfferId,
    pub provider_id: ProviderId,
    pub outcome: WriteOutcome,
}

/// A change in the catalogue, as the change feed reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Created,
    Updated,
    Archived,
}

/// The latest change of one offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfferChange {
    pub seq: i64,
    pub offer_id: OfferId,
    pub provider_id: ProviderId,
    pub provider_offer_id: String,
    pub kind: ChangeKind,
    pub at: UnixTime,
}

/// One version of an offer as its provider wrote it (portal form, upload or API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferRevision {
    pub seq: i64,
    pub at: UnixTime,
    pub content: OfferContent,
}

/// Supplies offers to write, a batch at a time, and hears what became of each batch, so a
/// million offers can be written in one transaction without holding them all in memory.
pub trait OfferBatches: Send {
    fn next_batch(&mut self) -> Option<Vec<OfferWrite>>;
    /// Called after each batch is written, inside the transaction: an error aborts everything.
    fn written(&mut self, batch: &[OfferWrite], saved: &[SavedOffer]) -> Result<(), String>;
    /// Called after the last batch, before the commit: an error rolls everything back.
    fn finish(&mut self) -> Result<(), String> {
        Ok(())
    }
}

/// Offers already in memory, written as batches of `size`, with every result kept.
#[derive(Debug)]
pub struct InMemoryBatches {
    pending: std::vec::IntoIter<OfferWrite>,
    size: usize,
    pub saved: Vec<SavedOffer>,
}

impl InMemoryBatches {
    pub fn new(writes: Vec<OfferWrite>, size: usize) -> Self {
        InMemoryBatches {
            pending: writes.into_iter(),
            size: size.max(1),
            saved: Vec::new(),
        }
    }
}

impl OfferBatches for InMemoryBatches {
    fn next_batch(&mut self) -> Option<Vec<OfferWrite>> {
        let batch: Vec<OfferWrite> = self.pending.by_ref().take(self.size).collect();
        (!batch.is_empty()).then_some(batch)
    }

    fn written(&mut self, _: &[OfferWrite], saved: &[SavedOffer]) -> Result<(), String> {
        self.saved.extend_from_slice(saved);
        Ok(())
    }
}

/// What a write of offers did in total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SaveSummary {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// The highest change number used (0 when nothing changed).
    pub last_seq: i64,
}

#[async_trait]
pub trait CatalogueStore: Send + Sync {
    /// Write offers (and the providers they name) in one transaction: all or nothing. Offers
    /// are matched on provider and provider's id; unchanged content is not rewritten, and the
    /// same offer twice is a `Conflict`.
    async fn save_offers(
        &self,
        batches: &mut dyn OfferBatches,
        at: UnixTime,
    ) -> StoreResult<SaveSummary>;
    async fn offer(&self, id: i64) -> StoreResult<Option<Offer>>;
    /// Offers by id, in the order asked (missing ids are left out).
    async fn offers_by_ids(&self, ids: &[OfferId]) -> StoreResult<Vec<Offer>>;
    /// Offers whose latest change is after `after_seq`, oldest change first, with that change.
    async fn offers_changed_after(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<(Offer, i64)>>;
    /// The change feed: the latest change of each offer changed after `after_seq`.
    async fn offer_changes(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<OfferChange>>;
    /// The highest change number (0 for an empty catalogue) and the number of offers.
    async fn catalogue_state(&self) -> StoreResult<(i64, i64)>;
    async fn provider(&self, id: i64) -> StoreResult<Option<Provider>>;
    async fn providers_by_ids(&self, ids: &[ProviderId]) -> StoreResult<Vec<Provider>>;
    async fn provider_by_kvk(&self, kvk: &str) -> StoreResult<Option<Provider>>;
    /// How many accounts act for a provider.
    async fn provider_member_count(&self, provider_id: ProviderId) -> StoreResult<i64>;
    /// Create or update a provider by KvK number (imports from files, not accounts).
    async fn upsert_provider(
        &self,
        provider: &ProviderDraft,
        at: UnixTime,
    ) -> StoreResult<Provider>;
    /// The provider organisation an account acts for.
    async fn provider_of_user(&self, user_id: UserId) -> StoreResult<Option<Provider>>;
    /// An account registers or updates the organisation it acts for, decided in one
    /// transaction: an account that acts for an organisation may only update that one; a new
    /// KvK number is created with the account as its first member; an existing organisation
    /// nobody acts for yet (imported from a file) is only taken when `may_take_unclaimed`
    /// (administrators). Anything else is `Refused`: of N accounts claiming one new KvK number
    /// at once exactly one wins. A refused claim of an organisation others act for is kept as
    /// a request to join, which a member can accept (`add_colleague`).
    async fn claim_provider(
        &self,
        user_id: UserId,
        provider: &ProviderDraft,
        may_take_unclaimed: bool,
        at: UnixTime,
    ) -> StoreResult<Provider>;
    /// A member of an organisation accepts a colleague's request to act for it (the colleague
    /// asked by claiming the KvK number: both sides consent). `Refused` when `member_id` acts
    /// for no organisation, the colleague did not ask, or already acts for another one.
    async fn add_colleague(&self, member_id: UserId, colleague_id: UserId)
    -> StoreResult<Provider>;
    /// The accounts that act for an organisation (to tell them what concerns it).
    async fn provider_members(&self, provider_id: ProviderId) -> StoreResult<Vec<UserId>>;
    /// Organisations registered by an account that no programme manager has verified yet.
    async fn unverified_providers(&self) -> StoreResult<Vec<Provider>>;
    /// Verify an organisation so its offers are published: its offers take new change numbers
    /// in the same transaction, so the search index picks them up. Verifying a verified
    /// organisation changes nothing; `None` when there is none.
    async fn verify_provider(
        &self,
        provider_id: ProviderId,
        by: UserId,
        at: UnixTime,
    ) -> StoreResult<Option<Provider>>;
    /// A provider's own offers (drafts and archived ones too), by title, at most `limit`.
    async fn offers_of_provider(
        &self,
        provider_id: ProviderId,
        limit: u32,
    ) -> StoreResult<Vec<Offer>>;
    /// The versions of an offer its provider wrote, newest first. Offers written by operators'
    /// file imports keep no versions (a million offers would double the catalogue).
    async fn offer_revisions(&self, offer_id: OfferId) -> StoreResult<Vec<OfferRevision>>;
}
