//! The ledger on SQLite and PostgreSQL: a command is checked and written in one transaction,
//! on account rows locked in id order (PostgreSQL `FOR UPDATE`; SQLite writes one transaction
//! at a time), so two commands on the same account cannot both spend the same euro.

use crate::db::{Sql, SqlStore, Tx, corrupt};
use async_trait::async_trait;
use leerpad_domain::UnixTime;
use leerpad_domain::ledger::ports::LedgerStore;
use leerpad_domain::ledger::{
    Account, AccountKind, Balance, Command, LedgerError, Transfer, apply_effect, effects,
};
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::{AccountId, Money, TransferId};
use std::collections::BTreeMap;

const ACCOUNT_COLUMNS: &str = "id, kind, account_key, name, posted, held, incoming";
const TRANSFER_COLUMNS: &str =
    "id, idem_key, kind, from_account, to_account, amount, hold_id, state, expires_at, memo, at";

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: i64,
    kind: String,
    account_key: String,
    name: String,
    posted: i64,
    held: i64,
    incoming: i64,
}

impl AccountRow {
    fn into_account(self) -> StoreResult<Account> {
        Ok(Account {
            id: AccountId::new(self.id),
            kind: self.kind.parse().map_err(|e| corrupt("account kind", e))?,
            key: self.account_key,
            name: self.name,
            balance: Balance {
                posted: Money::from_cents(self.posted),
                held: Money::from_cents(self.held),
                incoming: Money::from_cents(self.incoming),
            },
        })
    }
}

#[derive(sqlx::FromRow)]
struct TransferRow {
    id: i64,
    idem_key: String,
    kind: String,
    from_account: i64,
    to_account: i64,
    amount: i64,
    hold_id: Option<i64>,
    state: Option<String>,
    expires_at: Option<i64>,
    memo: String,
    at: i64,
}

impl TransferRow {
    fn into_transfer(self) -> StoreResult<Transfer> {
        Ok(Transfer {
            id: TransferId::new(self.id),
            key: self.idem_key,
            kind: self.kind.parse().map_err(|e| corrupt("transfer kind", e))?,
            from: AccountId::new(self.from_account),
            to: AccountId::new(self.to_account),
            amount: Money::from_cents(self.amount),
            hold: self.hold_id.map(TransferId::new),
            state: self
                .state
                .map(|s| s.parse().map_err(|e| corrupt("hold state", e)))
                .transpose()?,
            expires_at: self.expires_at,
            memo: self.memo,
            at: self.at,
        })
    }
}

fn transfers(rows: Vec<TransferRow>) -> StoreResult<Vec<Transfer>> {
    rows.into_iter().map(TransferRow::into_transfer).collect()
}

/// A key's first answer, when it has one.
#[derive(sqlx::FromRow)]
struct KeyRow {
    fingerprint: String,
    transfer_id: Option<i64>,
    refusal: Option<String>,
}

fn key_query(key: &str) -> Sql {
    Sql::new("SELECT fingerprint, transfer_id, refusal FROM ledger_keys WHERE idem_key = $1")
        .arg(key)
}

/// What one attempt at a command came to.
enum Attempt {
    Done(Result<Transfer, LedgerError>),
    /// Another transaction holds or wrote the same key: read its answer.
    KeyTaken,
}

impl SqlStore {
    /// The first answer of a known key (`None`: not known, or still being answered).
    async fn answer_of(
        &self,
        key: &str,
        fingerprint: &str,
    ) -> StoreResult<Option<Result<Transfer, LedgerError>>> {
        let Some(row) = self.fetch_optional::<KeyRow>(key_query(key)).await? else {
            return Ok(None);
        };
        if row.fingerprint != fingerprint {
            return Ok(Some(Err(LedgerError::KeyReused(key.to_owned()))));
        }
        if let Some(text) = row.refusal {
            let refusal: LedgerError =
                serde_json::from_str(&text).map_err(|e| corrupt("ledger refusal", e))?;
            return Ok(Some(Err(refusal)));
        }
        let Some(id) = row.transfer_id else {
            return Ok(None);
        };
        let t: Option<TransferRow> = self
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {TRANSFER_COLUMNS} FROM ledger_transfers WHERE id = $1"
                ))
                .arg(id),
            )
            .await?;
        t.map(|t| t.into_transfer().map(Ok)).transpose()
    }

    async fn attempt(
        &self,
        key: &str,
        fingerprint: &str,
        command: &Command,
        at: UnixTime,
    ) -> StoreResult<Attempt> {
        let mut tx = self.begin().await?;
        // The key first: a second request with it waits here until the first is answered.
        let claimed: Option<(String,)> = tx
            .exec()
            .fetch_optional(
                Sql::new(
                    "INSERT INTO ledger_keys (idem_key, fingerprint, at) VALUES ($1, $2, $3) \
                     ON CONFLICT (idem_key) DO NOTHING RETURNING idem_key",
                )
                .arg(key)
                .arg(fingerprint)
                .arg(at),
            )
            .await?;
        if claimed.is_none() {
            tx.rollback().await?;
            return Ok(Attempt::KeyTaken);
        }
        let decided = match self.decide(&mut tx, key, command, at).await {
            Ok(d) => d,
            Err(e) => return tx.fail(e).await,
        };
        match decided {
            Ok(t) => {
                tx.exec()
                    .execute(
                        Sql::new("UPDATE ledger_keys SET transfer_id = $1 WHERE idem_key = $2")
                            .arg(t.id)
                            .arg(key),
                    )
                    .await?;
                tx.commit().await?;
                Ok(Attempt::Done(Ok(t)))
            }
            Err(refused) => {
                // Nothing moved; the refusal is the key's answer.
                let text = match serde_json::to_string(&refused) {
                    Ok(text) => text,
                    Err(e) => return tx.fail(StoreError::Backend(e.to_string())).await,
                };
                tx.exec()
                    .execute(
                        Sql::new("UPDATE ledger_keys SET refusal = $1 WHERE idem_key = $2")
                            .arg(text)
                            .arg(key),
                    )
                    .await?;
                tx.commit().await?;
                Ok(Attempt::Done(Err(refused)))
            }
        }
    }

    /// Check the command on locked rows and, when allowed, write its transfer and balances.
    /// A refusal writes nothing here.
    async fn decide(
        &self,
        tx: &mut Tx,
        key: &str,
        command: &Command,
        at: UnixTime,
    ) -> StoreResult<Result<Transfer, LedgerError>> {
        let for_update = tx.for_update();
        // The hold a command settles, locked first (a second settlement waits, then finds it
        // settled); then the accounts, in id order.
        let hold = match command.settles() {
            None => None,
            Some((id, _)) => tx
                .exec()
                .fetch_optional::<TransferRow>(
                    Sql::new(format!(
                        "SELECT {TRANSFER_COLUMNS} FROM ledger_transfers WHERE id = $1{for_update}"
                    ))
                    .arg(id),
                )
                .await?
                .map(TransferRow::into_transfer)
                .transpose()?,
        };
        let mut ids: Vec<AccountId> = match (command, &hold) {
            (Command::Transfer { from, to, .. } | Command::Hold { from, to, .. }, _) => {
                vec![*from, *to]
            }
            (_, Some(h)) => vec![h.from, h.to],
            (_, None) => Vec::new(),
        };
        ids.sort_unstable();
        ids.dedup();
        let mut accounts: BTreeMap<AccountId, Account> = BTreeMap::new();
        for id in ids {
            let row: Option<AccountRow> = tx
                .exec()
                .fetch_optional(
                    Sql::new(format!(
                        "SELECT {ACCOUNT_COLUMNS} FROM ledger_accounts WHERE id = $1{for_update}"
                    ))
                    .arg(id),
                )
                .await?;
            if let Some(row) = row {
                let a = row.into_account()?;
                accounts.insert(a.id, a);
            }
        }
        let moves = match effects(command, at, &|id| accounts.get(&id).cloned(), &|id| {
            hold.clone().filter(|h| h.id == id)
        }) {
            Ok(m) => m,
            Err(refused) => return Ok(Err(refused)),
        };
        for m in &moves {
            let Some(a) = accounts.get(&m.0) else {
                return Ok(Err(LedgerError::UnknownAccount(m.0)));
            };
            if let Err(e) = apply_effect(a.balance, *m) {
                return Ok(Err(e));
            }
        }
        let settled = command.settles();
        let Some(draft) = command.transfer(TransferId::new(0), key, hold.as_ref(), at) else {
            return Ok(Err(LedgerError::UnknownHold(
                settled.map_or(TransferId::new(0), |(h, _)| h),
            )));
        };
        let (id,): (i64,) = tx
            .exec()
            .fetch_one(
                Sql::new(
                    "INSERT INTO ledger_transfers (idem_key, fingerprint, kind, from_account, \
                     to_account, amount, hold_id, state, expires_at, memo, at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                )
                .arg(key)
                .arg(command.fingerprint())
                .arg(draft.kind.as_str())
                .arg(draft.from)
                .arg(draft.to)
                .arg(draft.amount)
                .arg(draft.hold)
                .arg(draft.state.map(|s| s.as_str().to_owned()))
                .arg(draft.expires_at)
                .arg(draft.memo.as_str())
                .arg(at),
            )
            .await?;
        for (account, posted, held, incoming) in &moves {
            tx.exec()
                .execute(
                    Sql::new(
                        "UPDATE ledger_accounts SET posted = posted + $1, held = held + $2, \
                         incoming = incoming + $3 WHERE id = $4",
                    )
                    .arg(*posted)
                    .arg(*held)
                    .arg(*incoming)
                    .arg(*account),
                )
                .await?;
        }
        if let Some((hold_id, state)) = settled {
            let n = tx
                .exec()
                .execute(
                    Sql::new(
                        "UPDATE ledger_transfers SET state = $1 WHERE id = $2 AND state = 'pending'",
                    )
                    .arg(state.as_str())
                    .arg(hold_id),
                )
                .await?;
            if n != 1 {
                return Err(StoreError::Backend(format!(
                    "hold {hold_id} changed while it was locked"
                )));
            }
        }
        Ok(Ok(Transfer {
            id: TransferId::new(id),
            ..draft
        }))
    }
}

/// Open an account (or find it) inside the caller's transaction.
pub(crate) async fn open_in(
    tx: &mut Tx,
    kind: AccountKind,
    key: &str,
    name: &str,
    at: UnixTime,
) -> StoreResult<Account> {
    tx.exec()
        .execute(
            Sql::new(
                "INSERT INTO ledger_accounts (kind, account_key, name, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (account_key) DO NOTHING",
            )
            .arg(kind.as_str())
            .arg(key)
            .arg(name)
            .arg(at),
        )
        .await?;
    account_where(tx, key)
        .await?
        .ok_or_else(|| StoreError::Backend(format!("account {key} not found")))
}

/// Carry out a command inside the caller's transaction (for another feature's write that must
/// move money in the same step, such as a scheme's award). The key must be new: it names that
/// write. A refusal writes nothing; the caller decides what it means.
pub(crate) async fn execute_in(
    store: &SqlStore,
    tx: &mut Tx,
    key: &str,
    command: &Command,
    at: UnixTime,
) -> StoreResult<Result<Transfer, LedgerError>> {
    let claimed: Option<(String,)> = tx
        .exec()
        .fetch_optional(
            Sql::new(
                "INSERT INTO ledger_keys (idem_key, fingerprint, at) VALUES ($1, $2, $3) \
                 ON CONFLICT (idem_key) DO NOTHING RETURNING idem_key",
            )
            .arg(key)
            .arg(command.fingerprint())
            .arg(at),
        )
        .await?;
    if claimed.is_none() {
        return Err(StoreError::Backend(format!(
            "ledger key {key} is used already"
        )));
    }
    let decided = store.decide(tx, key, command, at).await?;
    if let Ok(t) = &decided {
        tx.exec()
            .execute(
                Sql::new("UPDATE ledger_keys SET transfer_id = $1 WHERE idem_key = $2")
                    .arg(t.id)
                    .arg(key),
            )
            .await?;
    }
    Ok(decided)
}

fn account_by_key_query(key: &str) -> Sql {
    Sql::new(format!(
        "SELECT {ACCOUNT_COLUMNS} FROM ledger_accounts WHERE account_key = $1"
    ))
    .arg(key)
}

async fn account_where(tx: &mut Tx, key: &str) -> StoreResult<Option<Account>> {
    tx.exec()
        .fetch_optional::<AccountRow>(account_by_key_query(key))
        .await?
        .map(AccountRow::into_account)
        .transpose()
}

#[async_trait]
impl LedgerStore for SqlStore {
    async fn open_account(
        &self,
        kind: AccountKind,
        key: &str,
        name: &str,
        at: UnixTime,
    ) -> StoreResult<Account> {
        let mut tx = self.begin().await?;
        let account = open_in(&mut tx, kind, key, name, at).await?;
        tx.commit().await?;
        Ok(account)
    }

    async fn account(&self, id: AccountId) -> StoreResult<Option<Account>> {
        self.fetch_optional::<AccountRow>(
            Sql::new(format!(
                "SELECT {ACCOUNT_COLUMNS} FROM ledger_accounts WHERE id = $1"
            ))
            .arg(id),
        )
        .await?
        .map(AccountRow::into_account)
        .transpose()
    }

    async fn account_by_key(&self, key: &str) -> StoreResult<Option<Account>> {
        self.fetch_optional::<AccountRow>(account_by_key_query(key))
            .await?
            .map(AccountRow::into_account)
            .transpose()
    }

    async fn execute(
        &self,
        key: &str,
        command: &Command,
        at: UnixTime,
    ) -> StoreResult<Result<Transfer, LedgerError>> {
        let fingerprint = command.fingerprint();
        for _ in 0..5 {
            if let Some(answer) = self.answer_of(key, &fingerprint).await? {
                return Ok(answer);
            }
            match self.attempt(key, &fingerprint, command, at).await? {
                Attempt::Done(result) => return Ok(result),
                // Answered by the other request by now (it held the key until it committed).
                Attempt::KeyTaken => continue,
            }
        }
        Err(StoreError::Backend(format!(
            "key {key} is taken but has no answer"
        )))
    }

    async fn execute_all(
        &self,
        commands: &[(String, Command)],
        at: UnixTime,
    ) -> StoreResult<Result<Vec<Transfer>, (usize, LedgerError)>> {
        let mut last_error = None;
        for _ in 0..3 {
            // Done before (or by a request that just committed): the first answers.
            if let Some((first_key, first)) = commands.first()
                && self
                    .answer_of(first_key, &first.fingerprint())
                    .await?
                    .is_some()
            {
                let mut out = Vec::with_capacity(commands.len());
                for (i, (key, command)) in commands.iter().enumerate() {
                    match self.answer_of(key, &command.fingerprint()).await? {
                        Some(Ok(t)) => out.push(t),
                        Some(Err(e)) => return Ok(Err((i, e))),
                        None => {
                            return Err(StoreError::Backend(format!(
                                "key {key} of a batch has no answer"
                            )));
                        }
                    }
                }
                return Ok(Ok(out));
            }
            let mut tx = self.begin().await?;
            let mut out = Vec::with_capacity(commands.len());
            let mut refused = None;
            let mut failed = None;
            for (i, (key, command)) in commands.iter().enumerate() {
                match execute_in(self, &mut tx, key, command, at).await {
                    Ok(Ok(t)) => out.push(t),
                    Ok(Err(e)) => {
                        refused = Some((i, e));
                        break;
                    }
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            if let Some(refusal) = refused {
                tx.rollback().await?;
                return Ok(Err(refusal));
            }
            match failed {
                // A key taken by a batch running at the same time: read its answers.
                Some(e) => {
                    tx.rollback().await?;
                    last_error = Some(e);
                }
                None => {
                    tx.commit().await?;
                    return Ok(Ok(out));
                }
            }
        }
        Err(last_error.unwrap_or_else(|| StoreError::Backend("batch not written".into())))
    }

    async fn transfer_by_key(&self, key: &str) -> StoreResult<Option<Transfer>> {
        self.fetch_optional::<TransferRow>(
            Sql::new(format!(
                "SELECT {TRANSFER_COLUMNS} FROM ledger_transfers WHERE idem_key = $1"
            ))
            .arg(key),
        )
        .await?
        .map(TransferRow::into_transfer)
        .transpose()
    }

    async fn transfers_of(&self, account: AccountId, limit: u32) -> StoreResult<Vec<Transfer>> {
        transfers(
            self.fetch_all(
                Sql::new(format!(
                    "SELECT {TRANSFER_COLUMNS} FROM ledger_transfers \
                     WHERE from_account = $1 OR to_account = $1 ORDER BY at DESC, id DESC LIMIT $2"
                ))
                .arg(account)
                .arg(i64::from(limit)),
            )
            .await?,
        )
    }

    async fn holds_due(&self, now: UnixTime, limit: u32) -> StoreResult<Vec<Transfer>> {
        transfers(
            self.fetch_all(
                Sql::new(format!(
                    "SELECT {TRANSFER_COLUMNS} FROM ledger_transfers \
                     WHERE state = 'pending' AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2"
                ))
                .arg(now)
                .arg(i64::from(limit)),
            )
            .await?,
        )
    }

    async fn flows(&self, account: AccountId) -> StoreResult<(Money, Money)> {
        let (into, out): (i64, i64) = self
            .fetch_one(
                Sql::new(
                    "SELECT \
                     CAST(COALESCE(SUM(CASE WHEN to_account = $1 THEN amount ELSE 0 END), 0) AS BIGINT), \
                     CAST(COALESCE(SUM(CASE WHEN from_account = $1 THEN amount ELSE 0 END), 0) AS BIGINT) \
                     FROM ledger_transfers \
                     WHERE (from_account = $1 OR to_account = $1) AND kind IN ('transfer', 'post')",
                )
                .arg(account),
            )
            .await?;
        Ok((Money::from_cents(into), Money::from_cents(out)))
    }

    async fn budget_accounts(&self) -> StoreResult<Vec<Account>> {
        self.fetch_all::<AccountRow>(Sql::new(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM ledger_accounts WHERE kind <> 'learner' ORDER BY id"
        )))
        .await?
        .into_iter()
        .map(AccountRow::into_account)
        .collect()
    }

    async fn all_accounts(&self) -> StoreResult<Vec<Account>> {
        self.fetch_all::<AccountRow>(Sql::new(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM ledger_accounts ORDER BY id"
        )))
        .await?
        .into_iter()
        .map(AccountRow::into_account)
        .collect()
    }

    async fn transfers_after(&self, after: TransferId, limit: u32) -> StoreResult<Vec<Transfer>> {
        transfers(
            self.fetch_all(
                Sql::new(format!(
                    "SELECT {TRANSFER_COLUMNS} FROM ledger_transfers WHERE id > $1 \
                     ORDER BY id LIMIT $2"
                ))
                .arg(after)
                .arg(i64::from(limit)),
            )
            .await?,
        )
    }
}
