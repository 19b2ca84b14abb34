//! The composition of every feature's storage port into one `Store`, and the storage error.
//!
//! Each feature declares the narrow capability traits it needs in its own `ports.rs`
//! (`accounts::ports::UserStore`, `catalogue::ports::CatalogueStore`, …); the storage crate
//! implements them once for SQLite and PostgreSQL. Use cases hold only the traits they use;
//! `Store` exists for wiring and health checks. A new feature adds its trait here and nowhere
//! else in this crate.

use crate::accounts::ports::AccountsStore;
use crate::advice::ports::{AdviceStore, AdvisorStore, PlanStore};
use crate::catalogue::ports::CatalogueStore;
use crate::financing::ports::FinancingStore;
use crate::jobs::ports::JobStore;
use crate::mail::ports::OutboxStore;
use crate::matching::ports::MatchingStore;
use crate::taxonomy::ports::TaxonomyStore;
use async_trait::async_trait;

/// Failures of a storage backend, in terms the application can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was violated (e.g. an e-mail address already registered).
    #[error("already exists: {0}")]
    Conflict(String),
    /// The write would break a rule that is checked in the same transaction that acts on it
    /// (e.g. the last administrator, an organisation someone else already claimed). The
    /// message is for the person who asked.
    #[error("refused: {0}")]
    Refused(String),
    /// The backend failed (connection, I/O, corrupt data). The message is for logs, not users.
    #[error("storage backend: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Everything the application needs from storage, plus health.
#[async_trait]
pub trait Store:
    AccountsStore
    + TaxonomyStore
    + CatalogueStore
    + FinancingStore
    + MatchingStore
    + AdviceStore
    + AdvisorStore
    + PlanStore
    + JobStore
    + OutboxStore
    + crate::chat::ports::ChatStore
    + crate::ledger::ports::LedgerStore
    + crate::enrolment::ports::EnrolmentStore
    + crate::calls::ports::CallStore
    + crate::quality::ports::QualityStore
    + crate::regions::ports::InitiativeStore
    + crate::regions::ports::DashboardStore
    + crate::regions::ports::CultureStore
    + crate::employers::ports::EmployerStore
{
    /// Which engine this is ("sqlite" or "postgres"), for logs and `/readyz`.
    fn engine(&self) -> &'static str;
    /// Cheap round trip to the database, for readiness checks.
    async fn ping(&self) -> StoreResult<()>;
}
