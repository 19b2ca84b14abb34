//! What matching needs from storage: labour-market demand and learners' skills profiles.

use crate::clock::UnixTime;
use crate::ports::StoreResult;
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
    async fn profile(&self, user_id: i64) -> StoreResult<Option<crate::matching::LearnerProfile>>;
    async fn save_profile(
        &self,
        user_id: i64,
        profile: &crate::matching::LearnerProfile,
        at: UnixTime,
    ) -> StoreResult<()>;
}
