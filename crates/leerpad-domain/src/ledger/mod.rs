//! The leerrekening (individual learning account) as a double-entry ledger.
//!
//! Every euro is in exactly one account: a person's learning account, a scheme's budget, an
//! employer's deposit for their staff, what is owed to a provider, or a funding account where
//! money enters from outside (the state, a fund, an employer's bank). A [`Command`] moves money
//! between two accounts and is never edited afterwards: a correction is a new transfer. So the
//! sum of all balances is always zero, and only funding accounts go below zero (their negative
//! balance is what came in through them).
//!
//! Money for a course is first **held** (two-phase): it stays in the account but cannot be
//! spent twice. A hold is later posted (fully or partly; the rest is released), voided, or
//! expires at its deadline. Every command carries an idempotency key: the same key with the
//! same content gives the first result again (a refusal too); with other content it is refused.
//!
//! [`Book`] applies the rules in memory: the reference the storage adapters are tested against
//! and the subject of the property tests.

mod book;
pub mod payout;
pub mod ports;

pub use book::Book;

use crate::UnixTime;
use crate::shared::{AccountId, Money, TransferId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

crate::shared::string_enum! {
    /// What an account is for.
    AccountKind {
        /// A person's learning account.
        Learner = "learner",
        /// A scheme's budget (e.g. a yearly personal budget like STAP).
        Scheme = "scheme",
        /// An employer's deposit for named staff.
        Employer = "employer",
        /// What is owed to a provider until it is paid out.
        Provider = "provider",
        /// The platform's clearing account: payouts on their way to a provider's bank.
        Clearing = "clearing",
        /// Where money enters from, or leaves to, the world outside (the state, a fund, a
        /// bank): the only kind that goes below zero.
        Funding = "funding",
    }
}

/// The key of a person's learning account, the same wherever it is opened (the person's
/// page, an enrolment, a scheme's award).
pub fn learner_key(user: crate::shared::UserId) -> String {
    format!("learner:{user}")
}

/// The name of a person's learning account: no e-mail address or name, because the ledger is
/// kept for auditors after an account is deleted and should then say nothing about the person.
pub fn learner_account_name(user: crate::shared::UserId) -> String {
    format!("Leerrekening {user}")
}

impl AccountKind {
    /// Whether the balance may go below zero.
    pub fn may_go_negative(self) -> bool {
        self == AccountKind::Funding
    }
}

/// An account's money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Balance {
    /// What has been moved in minus what has been moved out.
    pub posted: Money,
    /// Held for payments not yet made (still in the account, not spendable).
    pub held: Money,
    /// Held elsewhere for this account (coming once posted).
    pub incoming: Money,
}

impl Balance {
    /// What can still be spent or held.
    pub fn available(&self) -> Money {
        Money::from_cents(self.posted.cents().saturating_sub(self.held.cents()))
    }
}

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: AccountId,
    pub kind: AccountKind,
    /// Who or what it belongs to, unique: `learner:12`, `scheme:stap`, `funding:rijk`.
    pub key: String,
    pub name: String,
    pub balance: Balance,
}

/// What a command asks the ledger to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Command {
    /// Move money now.
    Transfer {
        from: AccountId,
        to: AccountId,
        amount: Money,
        memo: String,
    },
    /// Keep money on `from` for `to` until posted, voided or expired.
    Hold {
        from: AccountId,
        to: AccountId,
        amount: Money,
        expires_at: UnixTime,
        memo: String,
    },
    /// Pay a hold: `amount` (at most what is held) goes to its receiver; the rest is released.
    Post {
        hold: TransferId,
        amount: Money,
        memo: String,
    },
    /// Release a hold in full.
    Void { hold: TransferId, memo: String },
    /// Release a hold whose deadline has passed (the expiry job's command).
    Expire { hold: TransferId },
}

impl Command {
    /// The content's fingerprint: a retried key must carry the same one.
    pub fn fingerprint(&self) -> String {
        let text = serde_json::to_string(self).unwrap_or_default();
        Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

crate::shared::string_enum! {
    /// What a transfer did.
    TransferKind {
        Transfer = "transfer",
        Hold = "hold",
        Post = "post",
        Void = "void",
        /// A hold released because its deadline passed.
        Expire = "expire",
    }
}

crate::shared::string_enum! {
    /// Where a hold stands.
    HoldState {
        Pending = "pending",
        Posted = "posted",
        Voided = "voided",
        Expired = "expired",
    }
}

/// A transfer as stored; never changed afterwards except a hold's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transfer {
    pub id: TransferId,
    /// The idempotency key it was made with.
    pub key: String,
    pub kind: TransferKind,
    pub from: AccountId,
    pub to: AccountId,
    /// Moved (transfer, post), held (hold) or released (void, expire).
    pub amount: Money,
    /// For post, void and expire: the hold.
    pub hold: Option<TransferId>,
    /// For holds: pending, posted, voided or expired.
    pub state: Option<HoldState>,
    pub expires_at: Option<UnixTime>,
    pub memo: String,
    pub at: UnixTime,
}

/// Why the ledger refused a command. Nothing moves; the refusal is kept under the command's key,
/// so a retry gets the same answer (a new attempt needs a new key).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "error", content = "detail", rename_all = "kebab-case")]
pub enum LedgerError {
    #[error("account {0} does not exist")]
    UnknownAccount(AccountId),
    #[error("money moves between two different accounts")]
    SameAccount,
    #[error("the amount must be more than zero")]
    NotPositive,
    #[error("account {account} has {available} available, {wanted} is asked")]
    Insufficient {
        account: AccountId,
        available: Money,
        wanted: Money,
    },
    #[error("hold {0} does not exist")]
    UnknownHold(TransferId),
    #[error("hold {hold} is {state}, no longer pending")]
    NotPending { hold: TransferId, state: HoldState },
    #[error("hold {hold} keeps {held}; {wanted} cannot be posted")]
    MoreThanHeld {
        hold: TransferId,
        held: Money,
        wanted: Money,
    },
    #[error("hold {0} has passed its deadline")]
    Expired(TransferId),
    #[error("hold {0} has not reached its deadline")]
    NotExpired(TransferId),
    #[error("key '{0}' was used for a different command")]
    KeyReused(String),
    #[error("an amount too large to count")]
    Overflow,
}

/// The moves a command makes on balances, in cents: (account, posted, held, incoming).
pub type Effects = Vec<(AccountId, i64, i64, i64)>;

/// The effect of a command at `at` on the accounts it touches, checked against their balances
/// and (for post, void and expire) the hold. Pure: storage applies the same effects in its
/// transaction.
pub fn effects(
    command: &Command,
    at: UnixTime,
    account: &dyn Fn(AccountId) -> Option<Account>,
    hold: &dyn Fn(TransferId) -> Option<Transfer>,
) -> Result<Effects, LedgerError> {
    let positive = |m: Money| {
        if m.cents() > 0 {
            Ok(())
        } else {
            Err(LedgerError::NotPositive)
        }
    };
    let spendable = |a: &Account, wanted: Money| {
        if a.kind.may_go_negative() || a.balance.available().cents() >= wanted.cents() {
            Ok(())
        } else {
            Err(LedgerError::Insufficient {
                account: a.id,
                available: a.balance.available(),
                wanted,
            })
        }
    };
    let pending = |id: TransferId| -> Result<Transfer, LedgerError> {
        let h = hold(id)
            .filter(|t| t.kind == TransferKind::Hold)
            .ok_or(LedgerError::UnknownHold(id))?;
        match h.state {
            Some(HoldState::Pending) => Ok(h),
            state => Err(LedgerError::NotPending {
                hold: id,
                state: state.unwrap_or(HoldState::Voided),
            }),
        }
    };
    match command {
        Command::Transfer {
            from, to, amount, ..
        }
        | Command::Hold {
            from, to, amount, ..
        } => {
            if from == to {
                return Err(LedgerError::SameAccount);
            }
            positive(*amount)?;
            let a = account(*from).ok_or(LedgerError::UnknownAccount(*from))?;
            account(*to).ok_or(LedgerError::UnknownAccount(*to))?;
            spendable(&a, *amount)?;
            let c = amount.cents();
            Ok(if matches!(command, Command::Transfer { .. }) {
                vec![(*from, -c, 0, 0), (*to, c, 0, 0)]
            } else {
                vec![(*from, 0, c, 0), (*to, 0, 0, c)]
            })
        }
        Command::Post {
            hold: id, amount, ..
        } => {
            let h = pending(*id)?;
            if h.expires_at.is_some_and(|e| e <= at) {
                return Err(LedgerError::Expired(*id));
            }
            positive(*amount)?;
            if amount.cents() > h.amount.cents() {
                return Err(LedgerError::MoreThanHeld {
                    hold: *id,
                    held: h.amount,
                    wanted: *amount,
                });
            }
            let (held, paid) = (h.amount.cents(), amount.cents());
            Ok(vec![(h.from, -paid, -held, 0), (h.to, paid, 0, -held)])
        }
        Command::Void { hold: id, .. } | Command::Expire { hold: id } => {
            let h = pending(*id)?;
            if matches!(command, Command::Expire { .. }) && h.expires_at.is_none_or(|e| e > at) {
                return Err(LedgerError::NotExpired(*id));
            }
            let held = h.amount.cents();
            Ok(vec![(h.from, 0, -held, 0), (h.to, 0, 0, -held)])
        }
    }
}

/// A balance after `effect`, or an overflow.
pub fn apply_effect(
    b: Balance,
    (_, posted, held, incoming): (AccountId, i64, i64, i64),
) -> Result<Balance, LedgerError> {
    let add = |m: Money, d: i64| {
        m.cents()
            .checked_add(d)
            .map(Money::from_cents)
            .ok_or(LedgerError::Overflow)
    };
    Ok(Balance {
        posted: add(b.posted, posted)?,
        held: add(b.held, held)?,
        incoming: add(b.incoming, incoming)?,
    })
}

impl Command {
    /// The kind of transfer it writes.
    pub fn kind(&self) -> TransferKind {
        match self {
            Command::Transfer { .. } => TransferKind::Transfer,
            Command::Hold { .. } => TransferKind::Hold,
            Command::Post { .. } => TransferKind::Post,
            Command::Void { .. } => TransferKind::Void,
            Command::Expire { .. } => TransferKind::Expire,
        }
    }

    /// The hold it settles (post, void, expire) and the state the hold ends in.
    pub fn settles(&self) -> Option<(TransferId, HoldState)> {
        match self {
            Command::Post { hold, .. } => Some((*hold, HoldState::Posted)),
            Command::Void { hold, .. } => Some((*hold, HoldState::Voided)),
            Command::Expire { hold } => Some((*hold, HoldState::Expired)),
            Command::Transfer { .. } | Command::Hold { .. } => None,
        }
    }

    /// The transfer it writes, once its effects are known to be allowed: who pays, who
    /// receives, how much (for post: paid; for void and expire: released). `None` for a
    /// command that settles a hold when the hold is not given.
    pub fn transfer(
        &self,
        id: TransferId,
        key: &str,
        hold: Option<&Transfer>,
        at: UnixTime,
    ) -> Option<Transfer> {
        let (from, to, amount, settled, state, expires_at, memo) = match (self, hold) {
            (
                Command::Transfer {
                    from,
                    to,
                    amount,
                    memo,
                },
                _,
            ) => (*from, *to, *amount, None, None, None, memo.clone()),
            (
                Command::Hold {
                    from,
                    to,
                    amount,
                    expires_at,
                    memo,
                },
                _,
            ) => (
                *from,
                *to,
                *amount,
                None,
                Some(HoldState::Pending),
                Some(*expires_at),
                memo.clone(),
            ),
            (Command::Post { amount, memo, .. }, Some(h)) => {
                (h.from, h.to, *amount, Some(h.id), None, None, memo.clone())
            }
            (Command::Void { memo, .. }, Some(h)) => {
                (h.from, h.to, h.amount, Some(h.id), None, None, memo.clone())
            }
            (Command::Expire { .. }, Some(h)) => (
                h.from,
                h.to,
                h.amount,
                Some(h.id),
                None,
                None,
                "deadline passed".to_owned(),
            ),
            (_, None) => return None,
        };
        Some(Transfer {
            id,
            key: key.to_owned(),
            kind: self.kind(),
            from,
            to,
            amount,
            hold: settled,
            state,
            expires_at,
            memo,
            at,
        })
    }
}

#[cfg(test)]
mod tests;
