//! What the financing check needs from storage: schemes with their revisions, awards and
//! budgets, and people's answers.

use crate::clock::UnixTime;
use crate::financing::{
    BudgetUse, PersonFacts, PriorAward, Scheme, SchemeDefinition, SchemeStatus,
};
use crate::ports::StoreResult;
use crate::shared::{Money, OfferId, SchemeId, UserId};
use async_trait::async_trait;
use serde::Serialize;

/// A scheme write: what changes and who does it.
#[derive(Debug, Clone)]
pub struct SchemeWrite<'a> {
    pub slug: &'a str,
    pub status: SchemeStatus,
    pub definition: &'a SchemeDefinition,
    /// What happened, for the trail: `created`, `edited`, `published`, `closed`, `seeded`.
    pub action: &'a str,
    pub actor_id: Option<UserId>,
    pub at: UnixTime,
}

/// One saved change of a scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemeRevision {
    pub version: i64,
    pub action: String,
    pub status: SchemeStatus,
    pub definition: SchemeDefinition,
    pub actor_id: Option<UserId>,
    pub actor_email: Option<String>,
    pub at: UnixTime,
}

/// A new award: money a scheme reserves or pays for a person.
#[derive(Debug, Clone)]
pub struct NewAward {
    pub scheme_id: SchemeId,
    pub user_id: Option<UserId>,
    pub offer_id: Option<OfferId>,
    pub amount_cents: Money,
    pub spent: bool,
    pub on: crate::shared::Date,
    pub at: UnixTime,
}

/// A scheme's yearly deposit for one person.
#[derive(Debug, Clone)]
pub struct NewDeposit<'a> {
    pub scheme_id: SchemeId,
    pub slug: &'a str,
    /// The scheme's name as the person reads it on their statement.
    pub name: &'a str,
    pub budget_total_cents: Option<Money>,
    pub deposit: &'a crate::financing::YearlyDeposit,
    pub user_id: UserId,
    pub year: i32,
    pub at: UnixTime,
}

/// What storage knows of one scheme's use: its budget use and awards per offer.
#[derive(Debug, Clone, Default)]
pub struct SchemeUse {
    pub budget: BudgetUse,
    pub awards_per_offer: Vec<(OfferId, u32)>,
}

/// Schemes, their revisions and awards, and people's answers for the financing check.
#[async_trait]
pub trait FinancingStore: Send + Sync {
    /// Create a scheme at version 1; `Conflict` when the slug is taken.
    async fn create_scheme(&self, write: SchemeWrite<'_>) -> StoreResult<Scheme>;
    /// Replace a scheme's status and definition if it is still at `expected_version`;
    /// `Conflict` when someone saved in between, `None` when there is no such scheme.
    async fn update_scheme(
        &self,
        write: SchemeWrite<'_>,
        expected_version: i64,
    ) -> StoreResult<Option<Scheme>>;
    async fn scheme(&self, slug: &str) -> StoreResult<Option<Scheme>>;
    /// Every scheme, drafts and closed ones included, by slug.
    async fn schemes(&self) -> StoreResult<Vec<Scheme>>;
    /// Newest first.
    async fn scheme_revisions(&self, scheme_id: SchemeId) -> StoreResult<Vec<SchemeRevision>>;
    /// Budget use and per-offer award counts of every scheme that has awards.
    async fn scheme_use(&self) -> StoreResult<Vec<(SchemeId, SchemeUse)>>;
    /// Record an award unless it would take the scheme over `budget_total_cents`; returns
    /// the award id, or `Conflict` when the budget does not allow it.
    async fn record_award(
        &self,
        award: &NewAward,
        budget_total_cents: Option<Money>,
    ) -> StoreResult<i64>;
    /// Put awards recorded before the ledger kept scheme budgets into the ledger (each once,
    /// under the key `award:{id}`); returns how many were moved. Safe to run on every start.
    async fn move_awards_into_ledger(&self, at: UnixTime) -> StoreResult<u64>;
    /// Put a scheme's yearly deposit on a person's learning account, once per scheme, person
    /// and year (key [`crate::financing::YearlyDeposit::key`]), in one transaction with the
    /// scheme's budget account topped up to its budget; the amount follows the ceiling and
    /// what the person can spend at that moment. `Ok(None)`: nothing to put (at the ceiling);
    /// `Err(text)`: the budget cannot pay it.
    async fn deposit_yearly(
        &self,
        deposit: &NewDeposit<'_>,
    ) -> StoreResult<Result<Option<crate::ledger::Transfer>, String>>;
    /// The people who saved their situation, by id after `after` (for the yearly deposits).
    async fn users_with_situation(&self, after: UserId, limit: u32) -> StoreResult<Vec<UserId>>;
    /// The person's awards, as the financing rules see them.
    async fn awards_of_user(&self, user_id: UserId) -> StoreResult<Vec<PriorAward>>;
    async fn situation(&self, user_id: UserId) -> StoreResult<Option<PersonFacts>>;
    async fn save_situation(
        &self,
        user_id: UserId,
        facts: &PersonFacts,
        at: UnixTime,
    ) -> StoreResult<()>;
}
