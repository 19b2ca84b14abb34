//! What enrolment needs from storage.

use super::{Enrolment, EnrolmentStatus};
use crate::UnixTime;
use crate::ports::StoreResult;
use crate::shared::{Date, OfferId, ProviderId, TransferId, UserId};

/// A request for a place on a run.
#[derive(Debug, Clone)]
pub struct NewEnrolment<'a> {
    pub learner: UserId,
    pub offer: OfferId,
    pub provider: ProviderId,
    pub run: &'a str,
    pub deadline: Date,
    pub at: UnixTime,
}

/// An enrolment's next state, written only if nobody changed it since `version`.
#[derive(Debug, Clone)]
pub struct EnrolmentChange<'a> {
    pub id: i64,
    pub version: i64,
    pub status: EnrolmentStatus,
    pub deadline: Option<Date>,
    pub price: Option<crate::shared::Money>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub confirmed_on: Option<Date>,
    pub hold: Option<TransferId>,
    pub note: Option<&'a str>,
    pub at: UnixTime,
}

#[async_trait::async_trait]
pub trait EnrolmentStore: Send + Sync {
    /// Store a request, in one transaction with the count of the learner's open enrolments:
    /// refused (`Refused`) when they have `max_open` already or an open one for this run.
    async fn request_enrolment(
        &self,
        new: NewEnrolment<'_>,
        max_open: usize,
    ) -> StoreResult<Enrolment>;
    async fn enrolment(&self, id: i64) -> StoreResult<Option<Enrolment>>;
    /// A learner's enrolments, newest first.
    async fn enrolments_of_learner(&self, learner: UserId) -> StoreResult<Vec<Enrolment>>;
    /// The enrolments for a provider's offers, newest first.
    async fn enrolments_of_provider(&self, provider: ProviderId) -> StoreResult<Vec<Enrolment>>;
    /// Write the next state; false when the enrolment changed since `version` (then nothing is
    /// written).
    async fn change_enrolment(&self, change: EnrolmentChange<'_>) -> StoreResult<bool>;
    /// Open enrolments whose deadline is before `today`, oldest deadline first.
    async fn enrolments_past_deadline(
        &self,
        today: Date,
        limit: u32,
    ) -> StoreResult<Vec<Enrolment>>;
}
