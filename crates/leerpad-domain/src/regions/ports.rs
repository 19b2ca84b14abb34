//! What the regional pages need from storage: initiatives, the rows the dashboard counts, and
//! the learning-culture answers.

use super::Initiative;
use crate::UnixTime;
use crate::ports::StoreResult;
use crate::shared::UserId;
use async_trait::async_trait;

/// Which initiatives to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InitiativeQuery {
    /// Region addresses; empty for every region.
    pub regions: Vec<String>,
    pub sector: Option<String>,
    pub parel_only: bool,
    /// Words in the title or summary (case ignored).
    pub text: Option<String>,
    pub limit: u32,
}

/// A stored initiative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredInitiative {
    pub id: i64,
    pub initiative: Initiative,
}

#[async_trait]
pub trait InitiativeStore: Send + Sync {
    /// Keep initiatives, all or none (one transaction); their ids in order.
    async fn add_initiatives(
        &self,
        items: &[Initiative],
        by: Option<UserId>,
        at: UnixTime,
    ) -> StoreResult<Vec<i64>>;
    async fn initiative(&self, id: i64) -> StoreResult<Option<StoredInitiative>>;
    /// Initiatives matching the query, good practices first, then newest.
    async fn initiatives(&self, query: &InitiativeQuery) -> StoreResult<Vec<StoredInitiative>>;
    /// How many initiatives each region has: (region address, count).
    async fn initiatives_per_region(&self) -> StoreResult<Vec<(String, u32)>>;
}

/// The rows the dashboard counts.
#[async_trait]
pub trait DashboardStore: Send + Sync {
    /// Every saved situation, with its person.
    async fn all_situations(&self) -> StoreResult<Vec<(UserId, crate::financing::PersonFacts)>>;
    /// The people of advice registrations that were not cancelled, one per registration.
    async fn registration_people(&self) -> StoreResult<Vec<UserId>>;
    /// Every enrolment's learner and status.
    async fn enrolment_rows(&self) -> StoreResult<Vec<(UserId, String)>>;
    /// Every scheme that is not a draft, with its budget.
    async fn scheme_budgets(&self) -> StoreResult<Vec<super::dashboard::SchemeBudget>>;
    /// What schemes paid or promised to people: transfers and holds (not voided or expired)
    /// out of every scheme's budget account in the ledger.
    async fn scheme_payments(&self) -> StoreResult<Vec<super::dashboard::SchemePayment>>;
    /// Every learning-culture answer.
    async fn culture_answers(&self) -> StoreResult<Vec<super::culture::CultureAnswer>>;
}

/// Where learning-culture answers are kept.
#[async_trait]
pub trait CultureStore: Send + Sync {
    /// Keep a person's answer (`None`: an example without a person), replacing their earlier
    /// answer for the same audience and quarter.
    async fn save_culture_answer(
        &self,
        user: Option<UserId>,
        answer: &super::culture::CultureAnswer,
        at: UnixTime,
    ) -> StoreResult<()>;
    /// A person's answer for an audience and quarter.
    async fn culture_answer_of(
        &self,
        user: UserId,
        audience: super::culture::Audience,
        period: &str,
    ) -> StoreResult<Option<super::culture::CultureAnswer>>;
}
