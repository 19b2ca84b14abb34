//! Financing schemes, their revisions and awards, and people's financing answers.

use crate::db::{Sql, SqlStore, Tx, corrupt};
use async_trait::async_trait;
use leerpad_domain::clock::UnixTime;
use leerpad_domain::financing::ports::{
    FinancingStore, NewAward, NewDeposit, SchemeRevision, SchemeUse, SchemeWrite,
};
use leerpad_domain::financing::{
    PersonFacts, PriorAward, Scheme, SchemeDefinition, SchemeStatus, YearlyDeposit,
};
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::{Money, OfferId, SchemeId, UserId, iso_date_option};
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
struct SchemeRow {
    id: i64,
    slug: String,
    status: String,
    version: i64,
    definition: String,
    created_at: i64,
    updated_at: i64,
}

const SCHEME_COLUMNS: &str = "id, slug, status, version, definition, created_at, updated_at";

fn status_of(text: &str) -> StoreResult<SchemeStatus> {
    text.parse().map_err(|e| corrupt("scheme status", e))
}

impl SchemeRow {
    fn into_scheme(self) -> StoreResult<Scheme> {
        let definition: SchemeDefinition = serde_json::from_str(&self.definition)
            .map_err(|e| corrupt(&format!("scheme {}", self.slug), e))?;
        Ok(Scheme {
            id: SchemeId::new(self.id),
            status: status_of(&self.status)?,
            slug: self.slug,
            version: self.version,
            definition,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

fn definition_json(def: &SchemeDefinition) -> StoreResult<String> {
    serde_json::to_string(def).map_err(|e| StoreError::Backend(e.to_string()))
}

async fn add_revision(tx: &mut Tx, scheme: &Scheme, w: &SchemeWrite<'_>) -> StoreResult<()> {
    tx.exec()
        .execute(
            Sql::new(
                "INSERT INTO scheme_revisions (scheme_id, version, action, status, definition, actor_id, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .arg(scheme.id)
            .arg(scheme.version)
            .arg(w.action)
            .arg(w.status.as_str())
            .arg(definition_json(w.definition)?)
            .arg(w.actor_id)
            .arg(w.at),
        )
        .await?;
    Ok(())
}

#[async_trait]
impl FinancingStore for SqlStore {
    async fn create_scheme(&self, w: SchemeWrite<'_>) -> StoreResult<Scheme> {
        let mut tx = self.begin().await?;
        let row: SchemeRow = tx
            .exec()
            .fetch_one(
                Sql::new(format!(
                    "INSERT INTO schemes (slug, status, version, definition, created_at, updated_at) \
                     VALUES ($1, $2, 1, $3, $4, $4) RETURNING {SCHEME_COLUMNS}"
                ))
                .arg(w.slug)
                .arg(w.status.as_str())
                .arg(definition_json(w.definition)?)
                .arg(w.at),
            )
            .await?;
        let scheme = row.into_scheme()?;
        add_revision(&mut tx, &scheme, &w).await?;
        tx.commit().await?;
        Ok(scheme)
    }

    async fn update_scheme(
        &self,
        w: SchemeWrite<'_>,
        expected_version: i64,
    ) -> StoreResult<Option<Scheme>> {
        let mut tx = self.begin().await?;
        let row: Option<SchemeRow> = tx
            .exec()
            .fetch_optional(
                Sql::new(format!(
                    "UPDATE schemes SET status = $1, definition = $2, version = version + 1, updated_at = $3 \
                     WHERE slug = $4 AND version = $5 RETURNING {SCHEME_COLUMNS}"
                ))
                .arg(w.status.as_str())
                .arg(definition_json(w.definition)?)
                .arg(w.at)
                .arg(w.slug)
                .arg(expected_version),
            )
            .await?;
        let Some(row) = row else {
            let exists: Option<(i64,)> = tx
                .exec()
                .fetch_optional(Sql::new("SELECT version FROM schemes WHERE slug = $1").arg(w.slug))
                .await?;
            return match exists {
                None => Ok(None),
                Some((current,)) => Err(StoreError::Conflict(format!(
                    "scheme '{}' was changed by someone else (now version {current}, you edited version {expected_version})",
                    w.slug
                ))),
            };
        };
        let scheme = row.into_scheme()?;
        add_revision(&mut tx, &scheme, &w).await?;
        tx.commit().await?;
        Ok(Some(scheme))
    }

    async fn scheme(&self, slug: &str) -> StoreResult<Option<Scheme>> {
        let row: Option<SchemeRow> = self
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {SCHEME_COLUMNS} FROM schemes WHERE slug = $1"
                ))
                .arg(slug),
            )
            .await?;
        row.map(SchemeRow::into_scheme).transpose()
    }

    async fn schemes(&self) -> StoreResult<Vec<Scheme>> {
        let rows: Vec<SchemeRow> = self
            .fetch_all(Sql::new(format!(
                "SELECT {SCHEME_COLUMNS} FROM schemes ORDER BY slug"
            )))
            .await?;
        rows.into_iter().map(SchemeRow::into_scheme).collect()
    }

    async fn scheme_revisions(&self, scheme_id: SchemeId) -> StoreResult<Vec<SchemeRevision>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            version: i64,
            action: String,
            status: String,
            definition: String,
            actor_id: Option<i64>,
            email: Option<String>,
            at: i64,
        }
        let rows: Vec<Row> = self
            .fetch_all(
                Sql::new(
                    "SELECT r.version, r.action, r.status, r.definition, r.actor_id, u.email, r.at \
                     FROM scheme_revisions r LEFT JOIN users u ON u.id = r.actor_id \
                     WHERE r.scheme_id = $1 ORDER BY r.version DESC",
                )
                .arg(scheme_id),
            )
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(SchemeRevision {
                    version: r.version,
                    action: r.action,
                    status: status_of(&r.status)?,
                    definition: serde_json::from_str(&r.definition)
                        .map_err(|e| corrupt("scheme revision", e))?,
                    actor_id: r.actor_id.map(UserId::new),
                    actor_email: r.email,
                    at: r.at,
                })
            })
            .collect()
    }

    async fn scheme_use(&self) -> StoreResult<Vec<(SchemeId, SchemeUse)>> {
        let totals: Vec<(i64, String, i64)> = self
            .fetch_all(Sql::new(
                "SELECT scheme_id, state, CAST(SUM(amount_cents) AS BIGINT) FROM scheme_awards \
                 GROUP BY scheme_id, state",
            ))
            .await?;
        let per_offer: Vec<(i64, i64, i64)> = self
            .fetch_all(Sql::new(
                "SELECT scheme_id, offer_id, COUNT(*) FROM scheme_awards \
                 WHERE offer_id IS NOT NULL GROUP BY scheme_id, offer_id",
            ))
            .await?;
        let mut out: BTreeMap<i64, SchemeUse> = BTreeMap::new();
        for (scheme, state, sum) in totals {
            let u = out.entry(scheme).or_default();
            if state == "spent" {
                u.budget.spent_cents += Money::from_cents(sum);
            } else {
                u.budget.reserved_cents += Money::from_cents(sum);
            }
        }
        for (scheme, offer, n) in per_offer {
            out.entry(scheme)
                .or_default()
                .awards_per_offer
                .push((OfferId::new(offer), u32::try_from(n).unwrap_or(u32::MAX)));
        }
        Ok(out
            .into_iter()
            .map(|(id, u)| (SchemeId::new(id), u))
            .collect())
    }

    async fn deposit_yearly(
        &self,
        d: &NewDeposit<'_>,
    ) -> StoreResult<Result<Option<leerpad_domain::ledger::Transfer>, String>> {
        use leerpad_domain::ledger::ports::LedgerStore;
        let key = YearlyDeposit::key(d.slug, d.year, d.user_id);
        if let Some(first) = self.transfer_by_key(&key).await? {
            return Ok(Ok(Some(first)));
        }
        match self.deposit_in_one_transaction(d, &key).await {
            Ok(answer) => Ok(answer),
            // The same deposit made by another server at this moment: its transfer.
            Err(e) => match self.transfer_by_key(&key).await? {
                Some(first) => Ok(Ok(Some(first))),
                None => Err(e),
            },
        }
    }

    async fn users_with_situation(&self, after: UserId, limit: u32) -> StoreResult<Vec<UserId>> {
        let rows: Vec<(i64,)> = self
            .fetch_all(
                Sql::new(
                    "SELECT user_id FROM person_situations WHERE user_id > $1 \
                     ORDER BY user_id LIMIT $2",
                )
                .arg(after)
                .arg(i64::from(limit)),
            )
            .await?;
        Ok(rows.into_iter().map(|(id,)| UserId::new(id)).collect())
    }

    async fn record_award(
        &self,
        a: &NewAward,
        budget_total_cents: Option<Money>,
    ) -> StoreResult<i64> {
        let mut tx = self.begin().await?;
        // Touching the scheme row first serialises awards of one scheme on both engines (a
        // row lock in PostgreSQL, the write lock in SQLite), so two awards cannot both see
        // the same remaining budget.
        let touched = tx
            .exec()
            .execute(
                Sql::new("UPDATE schemes SET version = version WHERE id = $1").arg(a.scheme_id),
            )
            .await?;
        if touched == 0 {
            return tx
                .fail(StoreError::Conflict(format!(
                    "no scheme with id {}",
                    a.scheme_id
                )))
                .await;
        }
        let (slug,): (String,) = tx
            .exec()
            .fetch_one(Sql::new("SELECT slug FROM schemes WHERE id = $1").arg(a.scheme_id))
            .await?;
        let (id,): (i64,) = tx
            .exec()
            .fetch_one(
                Sql::new(
                    "INSERT INTO scheme_awards (scheme_id, user_id, offer_id, amount_cents, state, awarded_on, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .arg(a.scheme_id)
                .arg(a.user_id)
                .arg(a.offer_id)
                .arg(a.amount_cents)
                .arg(if a.spent { "spent" } else { "reserved" })
                .arg(iso_date_option::format(a.on))
                .arg(a.at),
            )
            .await?;
        // The award is money from the scheme's budget account in the ledger, moved in this
        // transaction: the ledger refuses to take the budget below zero.
        match award_in_ledger(self, &mut tx, a, id, &slug, budget_total_cents).await? {
            Ok(()) => {
                tx.commit().await?;
                Ok(id)
            }
            Err(refusal) => tx.fail(StoreError::Conflict(refusal)).await,
        }
    }

    async fn move_awards_into_ledger(&self, at: UnixTime) -> StoreResult<u64> {
        let waiting: Vec<(i64, i64, Option<i64>, i64, String, String)> = self
            .fetch_all(Sql::new(
                "SELECT a.id, a.scheme_id, a.user_id, a.amount_cents, a.state, a.awarded_on \
                 FROM scheme_awards a LEFT JOIN ledger_keys k ON k.idem_key = 'award:' || a.id \
                 WHERE k.idem_key IS NULL ORDER BY a.id",
            ))
            .await?;
        let mut moved = 0;
        for (id, scheme_id, user_id, amount, state, on) in waiting {
            let mut tx = self.begin().await?;
            // The scheme row first, as a new award does (awards of one scheme take turns).
            let found: Option<(String, String)> = tx
                .exec()
                .fetch_optional(
                    Sql::new(
                        "UPDATE schemes SET version = version WHERE id = $1 \
                         RETURNING slug, definition",
                    )
                    .arg(scheme_id),
                )
                .await?;
            let Some((slug, definition)) = found else {
                tx.rollback().await?;
                continue;
            };
            let definition: SchemeDefinition =
                serde_json::from_str(&definition).map_err(|e| corrupt("scheme", e))?;
            let award = NewAward {
                scheme_id: SchemeId::new(scheme_id),
                user_id: user_id.map(UserId::new),
                offer_id: None,
                amount_cents: Money::from_cents(amount),
                spent: state == "spent",
                on: iso_date_option::parse(&on).ok_or_else(|| corrupt("award date", &on))?,
                at,
            };
            match award_in_ledger(
                self,
                &mut tx,
                &award,
                id,
                &slug,
                definition.budget.total_cents,
            )
            .await?
            {
                Ok(()) => {
                    tx.commit().await?;
                    moved += 1;
                }
                Err(refusal) => {
                    // An award the budget cannot hold stays only in its record; say so.
                    tracing::warn!(award = id, %refusal, "award not moved into the ledger");
                    tx.rollback().await?;
                }
            }
        }
        Ok(moved)
    }

    async fn awards_of_user(&self, user_id: UserId) -> StoreResult<Vec<PriorAward>> {
        let rows: Vec<(String, String, i64)> = self
            .fetch_all(
                Sql::new(
                    "SELECT s.slug, a.awarded_on, a.amount_cents FROM scheme_awards a \
                     JOIN schemes s ON s.id = a.scheme_id WHERE a.user_id = $1 ORDER BY a.id",
                )
                .arg(user_id),
            )
            .await?;
        rows.into_iter()
            .map(|(scheme, on, amount_cents)| {
                Ok(PriorAward {
                    scheme,
                    on: iso_date_option::parse(&on).ok_or_else(|| corrupt("award date", &on))?,
                    amount_cents: Money::from_cents(amount_cents),
                })
            })
            .collect()
    }

    async fn situation(&self, user_id: UserId) -> StoreResult<Option<PersonFacts>> {
        let row: Option<(String,)> = self
            .fetch_optional(
                Sql::new("SELECT facts FROM person_situations WHERE user_id = $1").arg(user_id),
            )
            .await?;
        row.map(|(json,)| serde_json::from_str(&json).map_err(|e| corrupt("situation", e)))
            .transpose()
    }

    async fn save_situation(
        &self,
        user_id: UserId,
        facts: &PersonFacts,
        at: UnixTime,
    ) -> StoreResult<()> {
        let json = serde_json::to_string(facts).map_err(|e| StoreError::Backend(e.to_string()))?;
        self.execute(
            Sql::new(
                "INSERT INTO person_situations (user_id, facts, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id) DO UPDATE SET facts = excluded.facts, updated_at = excluded.updated_at",
            )
            .arg(user_id)
            .arg(json)
            .arg(at),
        )
        .await?;
        Ok(())
    }
}

impl SqlStore {
    async fn deposit_in_one_transaction(
        &self,
        d: &NewDeposit<'_>,
        key: &str,
    ) -> StoreResult<Result<Option<leerpad_domain::ledger::Transfer>, String>> {
        use crate::ledger::{execute_in, open_in};
        use leerpad_domain::ledger::{AccountKind, Command, learner_account_name, learner_key};
        let mut tx = self.begin().await?;
        // The scheme's row first, as for awards: one budget top-up at a time per scheme.
        tx.exec()
            .execute(
                Sql::new("UPDATE schemes SET version = version WHERE id = $1").arg(d.scheme_id),
            )
            .await?;
        let learner = open_in(
            &mut tx,
            AccountKind::Learner,
            &learner_key(d.user_id),
            &learner_account_name(d.user_id),
            d.at,
        )
        .await?;
        let amount = d.deposit.amount_for(learner.balance.available());
        if amount.cents() <= 0 {
            tx.rollback().await?;
            return Ok(Ok(None));
        }
        let reason = format!("deposit-{}-{}", d.year, d.user_id);
        let budget = SchemeBudget {
            scheme_id: d.scheme_id,
            slug: d.name,
            total: d.budget_total_cents,
        };
        let scheme = match scheme_budget_in(self, &mut tx, budget, amount, &reason, d.at).await {
            Ok(Ok(scheme)) => scheme,
            Ok(Err(refusal)) => {
                tx.rollback().await?;
                return Ok(Err(refusal));
            }
            Err(e) => return tx.fail(e).await,
        };
        let command = Command::Transfer {
            from: scheme.id,
            to: learner.id,
            amount,
            memo: format!("{} {}", d.name, d.year),
        };
        match execute_in(self, &mut tx, key, &command, d.at).await {
            Ok(Ok(t)) => {
                tx.commit().await?;
                Ok(Ok(Some(t)))
            }
            Ok(Err(refusal)) => {
                tx.rollback().await?;
                Ok(Err(refusal.to_string()))
            }
            Err(e) => tx.fail(e).await,
        }
    }
}

/// A scheme as its budget account needs it.
#[derive(Clone, Copy)]
struct SchemeBudget<'a> {
    scheme_id: SchemeId,
    /// How the accounts and memos name the scheme (its slug, or its name).
    slug: &'a str,
    /// None: open-ended.
    total: Option<Money>,
}

/// The scheme's budget account, topped up from the scheme's funding account to the budget (or
/// lowered to it: what is still free goes back), or by `open_ended_need` when the scheme has
/// no budget. `reason` names the write that asks (the keys of the top-up follow from it).
/// `Err` is the refusal, in words.
async fn scheme_budget_in(
    store: &SqlStore,
    tx: &mut Tx,
    budget: SchemeBudget<'_>,
    open_ended_need: Money,
    reason: &str,
    at: UnixTime,
) -> StoreResult<Result<leerpad_domain::ledger::Account, String>> {
    use crate::ledger::{execute_in, open_in};
    use leerpad_domain::ledger::{AccountKind, Command};
    let SchemeBudget {
        scheme_id,
        slug,
        total: budget_total_cents,
    } = budget;
    let scheme = open_in(
        tx,
        AccountKind::Scheme,
        &format!("scheme:{scheme_id}"),
        &format!("Budget van regeling {slug}"),
        at,
    )
    .await?;
    let source = open_in(
        tx,
        AccountKind::Funding,
        &format!("funding:scheme-{scheme_id}"),
        &format!("Geldbron van regeling {slug}"),
        at,
    )
    .await?;
    let (deposited,): (i64,) = tx
        .exec()
        .fetch_one(
            Sql::new(
                "SELECT CAST(COALESCE(SUM(CASE WHEN to_account = $1 THEN amount ELSE -amount END), 0) AS BIGINT) \
                 FROM ledger_transfers WHERE kind = 'transfer' \
                 AND ((from_account = $2 AND to_account = $1) OR (from_account = $1 AND to_account = $2))",
            )
            .arg(scheme.id)
            .arg(source.id),
        )
        .await?;
    let top_up = match budget_total_cents {
        Some(total) => total.cents() - deposited,
        None => open_ended_need.cents(),
    };
    if top_up < 0 {
        // The budget was lowered: what is still free goes back to its source (what is spent or
        // held stays spent or held).
        let back = (-top_up).min(scheme.balance.available().cents());
        if back > 0 {
            let lower = Command::Transfer {
                from: scheme.id,
                to: source.id,
                amount: Money::from_cents(back),
                memo: format!("Budget van regeling {slug} verlaagd"),
            };
            let key = format!("scheme-budget-lowered:{scheme_id}:{reason}");
            if let Err(e) = execute_in(store, tx, &key, &lower, at).await? {
                return Ok(Err(e.to_string()));
            }
        }
    }
    if top_up > 0 {
        let deposit = Command::Transfer {
            from: source.id,
            to: scheme.id,
            amount: Money::from_cents(top_up),
            memo: format!("Budget van regeling {slug}"),
        };
        let key = format!("scheme-budget:{scheme_id}:{reason}");
        if let Err(e) = execute_in(store, tx, &key, &deposit, at).await? {
            return Ok(Err(e.to_string()));
        }
    }
    Ok(Ok(scheme))
}

/// The award as a transfer (spent) or a hold (reserved) from the scheme's budget account to
/// the person's learning account. `Err` is the refusal, in words.
async fn award_in_ledger(
    store: &SqlStore,
    tx: &mut Tx,
    a: &NewAward,
    award_id: i64,
    slug: &str,
    budget_total_cents: Option<Money>,
) -> StoreResult<Result<(), String>> {
    use crate::ledger::{execute_in, open_in};
    use leerpad_domain::ledger::{AccountKind, Command};
    let budget = SchemeBudget {
        scheme_id: a.scheme_id,
        slug,
        total: budget_total_cents,
    };
    let scheme = match scheme_budget_in(
        store,
        tx,
        budget,
        a.amount_cents,
        &award_id.to_string(),
        a.at,
    )
    .await?
    {
        Ok(scheme) => scheme,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let to = match a.user_id {
        Some(user) => {
            open_in(
                tx,
                AccountKind::Learner,
                &leerpad_domain::ledger::learner_key(user),
                &leerpad_domain::ledger::learner_account_name(user),
                a.at,
            )
            .await?
        }
        None => {
            open_in(
                tx,
                AccountKind::Learner,
                "learner:anoniem",
                "Zonder persoon",
                a.at,
            )
            .await?
        }
    };
    let memo = format!("Bijdrage regeling {slug}");
    let command = if a.spent {
        Command::Transfer {
            from: scheme.id,
            to: to.id,
            amount: a.amount_cents,
            memo,
        }
    } else {
        Command::Hold {
            from: scheme.id,
            to: to.id,
            amount: a.amount_cents,
            expires_at: a.at + 365 * 86_400,
            memo,
        }
    };
    Ok(
        match execute_in(store, tx, &format!("award:{award_id}"), &command, a.at).await? {
            Ok(_) => Ok(()),
            Err(leerpad_domain::ledger::LedgerError::Insufficient { available, .. }) => {
                Err(format!(
                    "the budget has {} cents left, the award needs {}",
                    available.cents().max(0),
                    a.amount_cents.cents()
                ))
            }
            Err(other) => Err(other.to_string()),
        },
    )
}
