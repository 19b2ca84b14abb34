//! The leerrekening: each person's learning account in the double-entry ledger
//! (`leerpad_domain::ledger`), what they see of it (balance, held, history with who paid what),
//! the money programme managers move (deposits into scheme budgets, grants to learners,
//! corrections as new transfers), and the release of holds whose deadline passed.

mod examples;
mod payout;
mod staff;

pub use payout::PayoutRun;
pub use staff::{MAX_STAFF_LINES, StaffDeposit, StaffLine};

use crate::error::{AppError, AppResult};
use leerpad_domain::accounts::ports::UserStore;
use leerpad_domain::clock::Clock;
use leerpad_domain::ledger::ports::LedgerStore;
use leerpad_domain::ledger::{
    Account, AccountKind, Command, Transfer, TransferKind, learner_account_name,
};
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::shared::{AccountId, Money, TransferId};
use std::collections::HashMap;
use std::sync::Arc;

/// Holds released per sweep at most (the next sweep takes the rest).
const EXPIRY_BATCH: u32 = 500;
/// Lines on a statement.
const STATEMENT_LINES: u32 = 1_000;

pub use leerpad_domain::ledger::learner_key;

/// One line of a statement, as the account's owner sees it.
#[derive(Debug, Clone)]
pub struct StatementLine {
    pub transfer: Transfer,
    /// The other account's name (who paid, or who was paid).
    pub counterparty: String,
    /// What it did to the money the owner can spend (in: positive; out or held: negative).
    pub change: Money,
}

/// A budget as a programme manager sees it.
#[derive(Debug, Clone)]
pub struct BudgetFigures {
    pub account: Account,
    /// Everything paid in.
    pub deposited: Money,
    /// Everything paid out (to learners, or to providers from holds).
    pub paid: Money,
}

/// An account with its history, newest first.
#[derive(Debug, Clone)]
pub struct Statement {
    pub account: Account,
    pub lines: Vec<StatementLine>,
}

pub struct Ledger {
    store: Arc<dyn LedgerStore>,
    /// To find example learners by e-mail address.
    users: Arc<dyn UserStore>,
    clock: Arc<dyn Clock>,
}

impl Ledger {
    pub fn new(
        store: Arc<dyn LedgerStore>,
        users: Arc<dyn UserStore>,
        clock: Arc<dyn Clock>,
    ) -> Ledger {
        Ledger {
            store,
            users,
            clock,
        }
    }

    /// The person's learning account (opened the first time it is asked for).
    pub async fn my_account(&self, principal: &Principal) -> AppResult<Account> {
        principal.authorize(Action::ManageOwnAccount)?;
        Ok(self
            .store
            .open_account(
                AccountKind::Learner,
                &learner_key(principal.user_id),
                &learner_account_name(principal.user_id),
                self.clock.now(),
            )
            .await?)
    }

    /// The person's statement: balance and every transfer on their learning account.
    pub async fn my_statement(&self, principal: &Principal) -> AppResult<Statement> {
        let account = self.my_account(principal).await?;
        self.statement_of(account).await
    }

    async fn statement_of(&self, account: Account) -> AppResult<Statement> {
        let transfers = self.store.transfers_of(account.id, STATEMENT_LINES).await?;
        let mut names: HashMap<AccountId, String> = HashMap::new();
        let holds: HashMap<TransferId, Money> = transfers
            .iter()
            .filter(|t| t.kind == TransferKind::Hold)
            .map(|t| (t.id, t.amount))
            .collect();
        let mut lines = Vec::with_capacity(transfers.len());
        for t in transfers {
            let other = if t.from == account.id { t.to } else { t.from };
            let counterparty = match names.get(&other) {
                Some(name) => name.clone(),
                None => {
                    let name = self
                        .store
                        .account(other)
                        .await?
                        .map(|a| a.name)
                        .unwrap_or_default();
                    names.insert(other, name.clone());
                    name
                }
            };
            let held = t
                .hold
                .and_then(|h| holds.get(&h).copied())
                .unwrap_or(t.amount);
            let change = change_for(account.id, &t, held);
            lines.push(StatementLine {
                counterparty,
                change,
                transfer: t,
            });
        }
        Ok(Statement { account, lines })
    }

    /// A scheme's budget, an employer's deposit or a provider's account, for programme
    /// managers (opened the first time).
    pub async fn open_account(
        &self,
        principal: &Principal,
        kind: AccountKind,
        key: &str,
        name: &str,
    ) -> AppResult<Account> {
        principal.authorize(Action::ManageProgrammes)?;
        Ok(self
            .store
            .open_account(kind, key, name, self.clock.now())
            .await?)
    }

    /// An account by its key, for programme managers.
    pub async fn account(&self, principal: &Principal, key: &str) -> AppResult<Statement> {
        principal.authorize(Action::ManageProgrammes)?;
        let account = self
            .store
            .account_by_key(key)
            .await?
            .ok_or(AppError::NotFound("account"))?;
        self.statement_of(account).await
    }

    /// The budgets (schemes, employers' deposits, funding and providers' accounts) with what
    /// came in, went out, is held and is left, for programme managers.
    pub async fn budgets(&self, principal: &Principal) -> AppResult<Vec<BudgetFigures>> {
        principal.authorize(Action::ManageProgrammes)?;
        let mut out = Vec::new();
        for account in self.store.budget_accounts().await? {
            let (deposited, paid) = self.store.flows(account.id).await?;
            out.push(BudgetFigures {
                account,
                deposited,
                paid,
            });
        }
        Ok(out)
    }

    /// Move money as a programme manager: deposits, grants, holds and their settlement, and
    /// corrections (a new transfer, never an edit). The idempotency key makes a retry safe.
    pub async fn execute(
        &self,
        principal: &Principal,
        key: &str,
        command: &Command,
    ) -> AppResult<Transfer> {
        principal.authorize(Action::ManageProgrammes)?;
        let key = key.trim();
        if key.is_empty() || key.len() > 200 {
            return Err(AppError::InvalidFields(vec![
                leerpad_domain::shared::FieldError::new(
                    "Idempotency-Key",
                    "a key of 1 to 200 characters is required",
                )
                .coded("idempotency-key", vec![]),
            ]));
        }
        // Keys are per person: two managers cannot collide, nor read each other's answers.
        let scoped = format!("u{}:{key}", principal.user_id);
        Ok(self
            .store
            .execute(&scoped, command, self.clock.now())
            .await??)
    }

    /// Release every hold whose deadline has passed (the job runner's sweep; a hold is
    /// released once, under the key `expire:{hold}`, whichever server sweeps).
    pub async fn expire_due(&self) -> AppResult<usize> {
        let now = self.clock.now();
        let due = self.store.holds_due(now, EXPIRY_BATCH).await?;
        let mut released = 0;
        for hold in due {
            let command = Command::Expire { hold: hold.id };
            if self
                .store
                .execute(&format!("expire:{}", hold.id), &command, now)
                .await?
                .is_ok()
            {
                released += 1;
            }
        }
        Ok(released)
    }

    /// Every account and transfer, for the auditors' export (operators only: the CLI). The
    /// balances belong to exactly these transfers: read after them, and read again when a
    /// transfer came in meanwhile.
    pub async fn everything(&self) -> AppResult<(Vec<Account>, Vec<Transfer>)> {
        for _ in 0..10 {
            let mut transfers = Vec::new();
            let mut after = TransferId::new(0);
            loop {
                let page = self.store.transfers_after(after, 10_000).await?;
                let Some(last) = page.last() else { break };
                after = last.id;
                transfers.extend(page);
            }
            let accounts = self.store.all_accounts().await?;
            if self.store.transfers_after(after, 1).await?.is_empty() {
                return Ok((accounts, transfers));
            }
        }
        Err(AppError::Conflict(
            "the ledger kept changing while it was read; export again when it is quieter".into(),
        ))
    }
}

/// What a transfer did to the spendable money of `account` (`held`: for a post, what its hold
/// kept; what was not paid comes back).
pub fn change_for(account: AccountId, t: &Transfer, held: Money) -> Money {
    let c = t.amount.cents();
    let out = t.from == account;
    Money::from_cents(match (t.kind, out) {
        (TransferKind::Transfer, true) | (TransferKind::Hold, true) => -c,
        (TransferKind::Transfer, false) | (TransferKind::Post, false) => c,
        // Paid from what was held: spendable money changed at the hold; the rest returns now.
        (TransferKind::Post, true) => held.cents() - c,
        (TransferKind::Void | TransferKind::Expire, true) => c,
        (TransferKind::Hold | TransferKind::Void | TransferKind::Expire, false) => 0,
    })
}
