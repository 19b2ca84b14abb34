//! What the quality loop needs from storage.

use super::{Rating, SurveyAnswer, SurveyKind};
use crate::UnixTime;
use crate::ports::StoreResult;
use crate::shared::OfferId;

#[async_trait::async_trait]
pub trait QualityStore: Send + Sync {
    /// Keep an answer; `Conflict` when this survey of this enrolment was answered already.
    async fn save_answer(&self, answer: &SurveyAnswer, at: UnixTime) -> StoreResult<()>;
    async fn answered(&self, enrolment: i64, kind: SurveyKind) -> StoreResult<bool>;
    /// The answers about an offer, added up.
    async fn rating_of(&self, offer: OfferId) -> StoreResult<Rating>;
    /// Every offer with at least `min_answers` end-of-course answers, added up.
    async fn rated_offers(&self, min_answers: u32) -> StoreResult<Vec<(OfferId, Rating)>>;
}
