//! What the employer use cases need from storage.

use super::{Company, Exchange};
use crate::UnixTime;
use crate::ports::StoreResult;
use crate::shared::UserId;
use async_trait::async_trait;

/// A stored exchange with its company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredExchange {
    pub id: i64,
    pub company_id: i64,
    pub company: String,
    pub exchange: Exchange,
}

#[async_trait]
pub trait EmployerStore: Send + Sync {
    /// Create or update the company an employer account keeps (one per account; a KvK number
    /// another account keeps is `Conflict`). Its id.
    async fn save_company(&self, user: UserId, company: &Company, at: UnixTime)
    -> StoreResult<i64>;
    /// The company an account keeps, with its id.
    async fn company_of(&self, user: UserId) -> StoreResult<Option<(i64, Company)>>;
    async fn add_exchange(
        &self,
        company_id: i64,
        exchange: &Exchange,
        at: UnixTime,
    ) -> StoreResult<i64>;
    /// Every open exchange, newest first.
    async fn exchanges(&self) -> StoreResult<Vec<StoredExchange>>;
}
