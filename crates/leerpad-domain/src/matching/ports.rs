//! What matching needs from storage: labour-market demand and learners' skills profiles.

use crate::clock::UnixTime;
use crate::ports::StoreResult;
use crate::shared::UserId;
use async_trait::async_trait;

/// Labour-market demand and learners' skills profiles.
#[async_trait]
pub trait MatchingStore: Send + Sync {
    /// Insert or replace demand figures (keyed by subject, area and period) in one
    /// transaction: all or none. Returns how many were written.
    async fn save_demand(
        &self,
        records: &[crate::matching::DemandRecord],
        at: UnixTime,
    ) -> StoreResult<u64>;
    async fn demand(&self) -> StoreResult<Vec<crate::matching::DemandRecord>>;
    async fn profile(&self, user_id: UserId) -> StoreResult<Option<StoredProfile>>;
    /// Save a profile if the stored one is still at `expected_version` (0: none stored yet)
    /// and return the new version; `Conflict` when someone saved in between, so two edits at
    /// once give one 409 instead of a lost update.
    async fn save_profile(
        &self,
        user_id: UserId,
        profile: &crate::matching::LearnerProfile,
        expected_version: i64,
        at: UnixTime,
    ) -> StoreResult<i64>;
}

/// A learner's profile as stored, with the version an edit starts from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredProfile {
    pub profile: crate::matching::LearnerProfile,
    pub version: i64,
}
