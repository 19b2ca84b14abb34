//! What the quality loop needs from storage.

use super::{Complaint, Rating, SurveyAnswer, SurveyKind};
use crate::UnixTime;
use crate::ports::StoreResult;
use crate::shared::{OfferId, ProviderId, UserId};

#[async_trait::async_trait]
pub trait QualityStore: Send + Sync {
    /// Keep an answer; `Conflict` when this survey of this enrolment was answered already.
    async fn save_answer(&self, answer: &SurveyAnswer, at: UnixTime) -> StoreResult<()>;
    async fn answered(&self, enrolment: i64, kind: SurveyKind) -> StoreResult<bool>;
    /// The answers about an offer, added up.
    async fn rating_of(&self, offer: OfferId) -> StoreResult<Rating>;
    /// The answers about all of a provider's offers, added up.
    async fn rating_of_provider(&self, provider: ProviderId) -> StoreResult<Rating>;
    /// Every offer with at least `min_answers` end-of-course answers, added up.
    async fn rated_offers(&self, min_answers: u32) -> StoreResult<Vec<(OfferId, Rating)>>;
    /// Keep a complaint (its `id` is ignored); the new id.
    async fn add_complaint(&self, complaint: &Complaint) -> StoreResult<i64>;
    async fn complaint(&self, id: i64) -> StoreResult<Option<Complaint>>;
    /// Complaints, newest first: about one provider's courses, or all (`None`), at most `limit`.
    async fn complaints(
        &self,
        provider: Option<ProviderId>,
        limit: u32,
    ) -> StoreResult<Vec<Complaint>>;
    /// A learner's own complaints, newest first.
    async fn complaints_of_learner(
        &self,
        learner: UserId,
        limit: u32,
    ) -> StoreResult<Vec<Complaint>>;
    /// The provider's answer (replacing an earlier one).
    async fn answer_complaint(
        &self,
        id: i64,
        answer: &str,
        by: Option<UserId>,
        at: UnixTime,
    ) -> StoreResult<()>;
}
