//! What the employer use cases need from storage.

use super::{Company, Exchange, Proposal};
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
    async fn exchange(&self, id: i64) -> StoreResult<Option<StoredExchange>>;
    /// Propose an exchange between an ask and an offer, agreed by the proposing side; the same
    /// pair twice is the same proposal. Its id.
    async fn propose(&self, ask: i64, offer: i64, by_asker: bool, at: UnixTime)
    -> StoreResult<i64>;
    async fn proposal(&self, id: i64) -> StoreResult<Option<Proposal>>;
    /// The proposals an exchange of the company takes part in, newest first.
    async fn proposals_of_company(&self, company_id: i64) -> StoreResult<Vec<Proposal>>;
    /// The proposals that name an employee, newest first.
    async fn proposals_of_employee(&self, email: &str) -> StoreResult<Vec<Proposal>>;
    /// Write one side's agreement (and the employee the offering company names), checked on
    /// the row in one statement: `false` when nothing changed.
    async fn agree(&self, id: i64, side: AgreeingSide<'_>, at: UnixTime) -> StoreResult<bool>;
}

/// Who agrees to a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreeingSide<'a> {
    Asker,
    /// The offering company, naming its employee.
    Offerer {
        employee_email: &'a str,
    },
    /// The employee named (matched on the address).
    Employee {
        email: &'a str,
    },
}
