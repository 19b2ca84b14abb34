//! What calls for cost coverage need from storage.

use super::{ApplicationLine, Call, CallDefinition, Workflow};
use crate::UnixTime;
use crate::catalogue::model::Level;
use crate::ports::StoreResult;
use crate::shared::{Money, OfferId, ProviderId, TransferId, UserId};
use serde::Serialize;

/// A stored application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Application {
    pub id: i64,
    pub call_id: i64,
    pub provider: ProviderId,
    pub lines: Vec<ApplicationLine>,
    /// What it asks: the sum of its lines.
    pub amount: Money,
    pub workflow: Workflow,
    /// Raised by every change; a change names the version it was decided on.
    pub version: i64,
    /// The money held from the call's budget once approved.
    pub hold: Option<TransferId>,
    pub created_at: UnixTime,
    pub changed_at: UnixTime,
}

impl Application {
    /// The public reference (the lottery's input, the provider's letters).
    pub fn reference(&self) -> String {
        format!("A{}-{}", self.call_id, self.id)
    }
}

/// One step in an application's history, as the provider sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationEvent {
    pub at: UnixTime,
    pub step: String,
    pub by: Option<UserId>,
    /// The reason, question, answer or grounds the step carried.
    pub text: Option<String>,
    pub status: super::ApplicationStatus,
}

/// A change of an application's workflow, written over the version it was decided on.
#[derive(Debug, Clone)]
pub struct ApplicationChange<'a> {
    pub id: i64,
    pub expected_version: i64,
    pub workflow: &'a Workflow,
    pub step: &'a str,
    pub by: Option<UserId>,
    pub text: Option<&'a str>,
    pub at: UnixTime,
}

/// Why an approval was refused (nothing was written).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalRefusal {
    #[error("the call's budget has {left} left, the application asks {asked}")]
    Budget { left: Money, asked: Money },
    #[error("course {offer} has {left} places left this year under the call's cap")]
    CourseCap { offer: OfferId, left: u32 },
    #[error("the call's share for level {level} has {left} left")]
    LevelShare { level: Level, left: Money },
}

/// The caps an approval is checked against, in the transaction that writes it.
#[derive(Debug, Clone)]
pub struct ApprovalLimits {
    pub budget: Money,
    pub max_places_per_course_per_year: u32,
    /// Per level: the most the call gives to offers at that level.
    pub level_caps: Vec<(Level, Money)>,
    /// The level of each offer in the application.
    pub levels: Vec<(OfferId, Option<Level>)>,
    /// What each offer costs in the catalogue now (kept with the approval).
    pub prices: Vec<(OfferId, Money)>,
    /// When the hold on the call's budget ends if nothing was paid.
    pub hold_expires_at: UnixTime,
}

#[async_trait::async_trait]
pub trait CallStore: Send + Sync {
    /// A new call; `Conflict` when the slug is taken.
    async fn create_call(
        &self,
        slug: &str,
        definition: &CallDefinition,
        seed: &str,
        at: UnixTime,
    ) -> StoreResult<Call>;
    async fn call(&self, slug: &str) -> StoreResult<Option<Call>>;
    async fn call_by_id(&self, id: i64) -> StoreResult<Option<Call>>;
    /// Every call, newest first.
    async fn calls(&self) -> StoreResult<Vec<Call>>;
    /// A new application as a draft.
    async fn create_application(
        &self,
        call_id: i64,
        provider: ProviderId,
        lines: &[ApplicationLine],
        amount: Money,
        by: Option<UserId>,
        at: UnixTime,
    ) -> StoreResult<Application>;
    async fn application(&self, id: i64) -> StoreResult<Option<Application>>;
    async fn applications_of_call(&self, call_id: i64) -> StoreResult<Vec<Application>>;
    async fn applications_of_provider(&self, provider: ProviderId)
    -> StoreResult<Vec<Application>>;
    /// Applications whose provider deadline (information requested) has passed by `today`.
    async fn applications_due(&self, today: &str, limit: u32) -> StoreResult<Vec<Application>>;
    /// Write a step; `Conflict` when the application changed since `expected_version`.
    async fn change_application(&self, change: ApplicationChange<'_>) -> StoreResult<Application>;
    /// Approve in one transaction: the call's row first (approvals of a call take turns), the
    /// caps per course and year and per level, and the money held from the call's budget
    /// account (topped up to the budget) for the provider; then the step. A refusal writes
    /// nothing.
    async fn approve_application(
        &self,
        change: ApplicationChange<'_>,
        limits: &ApprovalLimits,
    ) -> StoreResult<Result<Application, ApprovalRefusal>>;
    /// Settle an approved application in one transaction: post its hold with `paid` (the rest
    /// goes back to the call's budget; nothing paid voids it) and write the step.
    async fn settle_application(
        &self,
        change: ApplicationChange<'_>,
        hold: TransferId,
        paid: Money,
    ) -> StoreResult<Result<Application, crate::ledger::LedgerError>>;
    /// The application's history, oldest first.
    async fn application_events(&self, id: i64) -> StoreResult<Vec<ApplicationEvent>>;
    /// The courses each call pays for now: approved applications not yet settled, as
    /// (call id, offer).
    async fn funded_offers(&self) -> StoreResult<Vec<(i64, OfferId)>>;
    /// The catalogue price of each approved course when it was approved: (application, offer,
    /// price).
    async fn approved_prices(&self, call_id: i64) -> StoreResult<Vec<(i64, OfferId, Money)>>;
    /// Places approved per course in a call: (offer, year, places).
    async fn approved_places(&self, call_id: i64) -> StoreResult<Vec<(OfferId, i32, u32)>>;
    /// A reviewer's scores of an application (replacing the reviewer's earlier ones).
    async fn score_application(
        &self,
        application_id: i64,
        reviewer: UserId,
        scores: &[u8],
        at: UnixTime,
    ) -> StoreResult<()>;
    /// Every reviewer's scores of a call's applications: (application, scores).
    async fn scores_of_call(&self, call_id: i64) -> StoreResult<Vec<(i64, Vec<u8>)>>;
}
