//! What the ledger needs from storage: accounts with their balances, and one operation that
//! checks and writes a command in a single transaction.

use super::{Account, AccountKind, Command, LedgerError, Transfer};
use crate::UnixTime;
use crate::ports::StoreResult;
use crate::shared::{AccountId, Money, TransferId};

/// Accounts and transfers.
#[async_trait::async_trait]
pub trait LedgerStore: Send + Sync {
    /// Open an account, or find the one with this key.
    async fn open_account(
        &self,
        kind: AccountKind,
        key: &str,
        name: &str,
        at: UnixTime,
    ) -> StoreResult<Account>;
    async fn account(&self, id: AccountId) -> StoreResult<Option<Account>>;
    async fn account_by_key(&self, key: &str) -> StoreResult<Option<Account>>;
    /// Carry out a command under its idempotency key, in one transaction: the key, the
    /// balances (checked by [`super::effects`] on rows locked for the transaction, and by the
    /// database's own check that no account but a funding account goes below zero), the
    /// transfer and the hold's new state are written together or not at all. The same key
    /// with the same command gives the first transfer; a refusal is `Ok(Err(..))`.
    async fn execute(
        &self,
        key: &str,
        command: &Command,
        at: UnixTime,
    ) -> StoreResult<Result<Transfer, LedgerError>>;
    /// Carry out several commands in one transaction: all of them, or (the first refusal, by
    /// its index) none, and then no key is kept, so the same batch may be tried again once
    /// the refusal's cause is gone. Keys already answered give their first answers.
    async fn execute_all(
        &self,
        commands: &[(String, Command)],
        at: UnixTime,
    ) -> StoreResult<Result<Vec<Transfer>, (usize, LedgerError)>>;
    /// The transfer written under an idempotency key, if any.
    async fn transfer_by_key(&self, key: &str) -> StoreResult<Option<Transfer>>;
    /// The transfers that touch an account, newest first.
    async fn transfers_of(&self, account: AccountId, limit: u32) -> StoreResult<Vec<Transfer>>;
    /// Pending holds whose deadline is at or before `now`, oldest first.
    async fn holds_due(&self, now: UnixTime, limit: u32) -> StoreResult<Vec<Transfer>>;
    /// What has been paid into and out of an account (transfers and posted holds), for the
    /// budget view: (in, out).
    async fn flows(&self, account: AccountId) -> StoreResult<(Money, Money)>;
    /// Every account that is not a person's learning account (budgets, deposits, funding,
    /// providers), by id.
    async fn budget_accounts(&self) -> StoreResult<Vec<Account>>;
    /// Every account, by id.
    async fn all_accounts(&self) -> StoreResult<Vec<Account>>;
    /// Transfers with an id above `after`, in id order (for the export).
    async fn transfers_after(&self, after: TransferId, limit: u32) -> StoreResult<Vec<Transfer>>;
}
