//! Calls for cost coverage on SQLite and PostgreSQL: applications move step by step over the
//! version they were decided on; an approval checks the call's caps and holds its money from
//! the call's budget account in one transaction, with the call's row locked first.

use crate::db::{Sql, SqlStore, Tx, corrupt};
use async_trait::async_trait;
use leerpad_domain::UnixTime;
use leerpad_domain::calls::ports::{
    Application, ApplicationChange, ApplicationEvent, ApprovalLimits, ApprovalRefusal, CallStore,
};
use leerpad_domain::calls::{ApplicationLine, Call, CallDefinition, Workflow};
use leerpad_domain::ledger::{AccountKind, Command, LedgerError};
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::{Money, OfferId, ProviderId, TransferId, UserId, iso_date_option};

const CALL_COLUMNS: &str = "id, slug, definition, seed";
const COLUMNS: &str = "id, call_id, provider_id, lines, amount_cents, status, deadline, \
     paused_days, objected, hold_id, version, created_at, changed_at";

#[derive(sqlx::FromRow)]
struct CallRow {
    id: i64,
    slug: String,
    definition: String,
    seed: String,
}

impl CallRow {
    fn into_call(self) -> StoreResult<Call> {
        Ok(Call {
            id: self.id,
            definition: serde_json::from_str(&self.definition)
                .map_err(|e| corrupt("call definition", e))?,
            slug: self.slug,
            seed: self.seed,
        })
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    call_id: i64,
    provider_id: i64,
    lines: String,
    amount_cents: i64,
    status: String,
    deadline: Option<String>,
    paused_days: Option<i64>,
    objected: i64,
    hold_id: Option<i64>,
    version: i64,
    created_at: i64,
    changed_at: i64,
}

impl Row {
    fn into_application(self) -> StoreResult<Application> {
        let lines: Vec<ApplicationLine> =
            serde_json::from_str(&self.lines).map_err(|e| corrupt("application lines", e))?;
        let deadline = self
            .deadline
            .map(|d| iso_date_option::parse(&d).ok_or_else(|| corrupt("application deadline", &d)))
            .transpose()?;
        Ok(Application {
            id: self.id,
            call_id: self.call_id,
            provider: ProviderId::new(self.provider_id),
            lines,
            amount: Money::from_cents(self.amount_cents),
            workflow: Workflow {
                status: self
                    .status
                    .parse()
                    .map_err(|e| corrupt("application status", e))?,
                deadline,
                paused_working_days: self.paused_days.and_then(|d| u32::try_from(d).ok()),
                objected: self.objected != 0,
            },
            version: self.version,
            hold: self.hold_id.map(TransferId::new),
            created_at: self.created_at,
            changed_at: self.changed_at,
        })
    }
}

fn all(rows: Vec<Row>) -> StoreResult<Vec<Application>> {
    rows.into_iter().map(Row::into_application).collect()
}

#[derive(sqlx::FromRow)]
struct EventRow {
    at: i64,
    step: String,
    actor_user_id: Option<i64>,
    text: Option<String>,
    status: String,
}

/// Write the step over the expected version, and its event; `Conflict` when it moved.
async fn write_change(
    tx: &mut Tx,
    c: &ApplicationChange<'_>,
    hold: Option<TransferId>,
) -> StoreResult<Option<Row>> {
    let w = c.workflow;
    let row: Option<Row> = tx
        .exec()
        .fetch_optional(
            Sql::new(format!(
                "UPDATE call_applications SET status = $1, deadline = $2, paused_days = $3, \
                 objected = $4, hold_id = COALESCE($5, hold_id), version = version + 1, \
                 changed_at = $6 WHERE id = $7 AND version = $8 RETURNING {COLUMNS}"
            ))
            .arg(w.status.as_str())
            .arg(w.deadline.map(iso_date_option::format))
            .arg(w.paused_working_days.map(i64::from))
            .arg(i64::from(w.objected))
            .arg(hold)
            .arg(c.at)
            .arg(c.id)
            .arg(c.expected_version),
        )
        .await?;
    if row.is_some() {
        tx.exec()
            .execute(
                Sql::new(
                    "INSERT INTO call_application_events \
                     (application_id, at, step, actor_user_id, text, status) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .arg(c.id)
                .arg(c.at)
                .arg(c.step)
                .arg(c.by)
                .arg(c.text)
                .arg(w.status.as_str()),
            )
            .await?;
    }
    Ok(row)
}

fn moved() -> StoreError {
    StoreError::Conflict("the application changed meanwhile; look again and try once more".into())
}

#[async_trait]
impl CallStore for SqlStore {
    async fn create_call(
        &self,
        slug: &str,
        definition: &CallDefinition,
        seed: &str,
        at: UnixTime,
    ) -> StoreResult<Call> {
        let json =
            serde_json::to_string(definition).map_err(|e| StoreError::Backend(e.to_string()))?;
        let row: Option<CallRow> = self
            .fetch_optional(
                Sql::new(format!(
                    "INSERT INTO calls (slug, definition, seed, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (slug) DO NOTHING RETURNING {CALL_COLUMNS}"
                ))
                .arg(slug)
                .arg(json)
                .arg(seed)
                .arg(at),
            )
            .await?;
        row.ok_or_else(|| StoreError::Conflict(format!("a call '{slug}' exists already")))?
            .into_call()
    }

    async fn call(&self, slug: &str) -> StoreResult<Option<Call>> {
        self.fetch_optional::<CallRow>(
            Sql::new(format!("SELECT {CALL_COLUMNS} FROM calls WHERE slug = $1")).arg(slug),
        )
        .await?
        .map(CallRow::into_call)
        .transpose()
    }

    async fn call_by_id(&self, id: i64) -> StoreResult<Option<Call>> {
        self.fetch_optional::<CallRow>(
            Sql::new(format!("SELECT {CALL_COLUMNS} FROM calls WHERE id = $1")).arg(id),
        )
        .await?
        .map(CallRow::into_call)
        .transpose()
    }

    async fn calls(&self) -> StoreResult<Vec<Call>> {
        self.fetch_all::<CallRow>(Sql::new(format!(
            "SELECT {CALL_COLUMNS} FROM calls ORDER BY id DESC"
        )))
        .await?
        .into_iter()
        .map(CallRow::into_call)
        .collect()
    }

    async fn create_application(
        &self,
        call_id: i64,
        provider: ProviderId,
        lines: &[ApplicationLine],
        amount: Money,
        by: Option<UserId>,
        at: UnixTime,
    ) -> StoreResult<Application> {
        let json = serde_json::to_string(lines).map_err(|e| StoreError::Backend(e.to_string()))?;
        let mut tx = self.begin().await?;
        let row: Row = tx
            .exec()
            .fetch_one(
                Sql::new(format!(
                    "INSERT INTO call_applications (call_id, provider_id, lines, amount_cents, \
                     status, version, created_at, changed_at) \
                     VALUES ($1, $2, $3, $4, 'draft', 1, $5, $5) RETURNING {COLUMNS}"
                ))
                .arg(call_id)
                .arg(provider)
                .arg(json)
                .arg(amount)
                .arg(at),
            )
            .await?;
        tx.exec()
            .execute(
                Sql::new(
                    "INSERT INTO call_application_events \
                     (application_id, at, step, actor_user_id, status) \
                     VALUES ($1, $2, 'create', $3, 'draft')",
                )
                .arg(row.id)
                .arg(at)
                .arg(by),
            )
            .await?;
        tx.commit().await?;
        row.into_application()
    }

    async fn application(&self, id: i64) -> StoreResult<Option<Application>> {
        self.fetch_optional::<Row>(
            Sql::new(format!(
                "SELECT {COLUMNS} FROM call_applications WHERE id = $1"
            ))
            .arg(id),
        )
        .await?
        .map(Row::into_application)
        .transpose()
    }

    async fn applications_of_call(&self, call_id: i64) -> StoreResult<Vec<Application>> {
        all(self
            .fetch_all(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM call_applications WHERE call_id = $1 ORDER BY id"
                ))
                .arg(call_id),
            )
            .await?)
    }

    async fn applications_of_provider(
        &self,
        provider: ProviderId,
    ) -> StoreResult<Vec<Application>> {
        all(self
            .fetch_all(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM call_applications WHERE provider_id = $1 \
                     ORDER BY id DESC"
                ))
                .arg(provider),
            )
            .await?)
    }

    async fn applications_due(&self, today: &str, limit: u32) -> StoreResult<Vec<Application>> {
        all(self
            .fetch_all(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM call_applications \
                     WHERE status = 'information_requested' AND deadline < $1 \
                     ORDER BY deadline, id LIMIT $2"
                ))
                .arg(today)
                .arg(i64::from(limit)),
            )
            .await?)
    }

    async fn change_application(&self, change: ApplicationChange<'_>) -> StoreResult<Application> {
        let mut tx = self.begin().await?;
        match write_change(&mut tx, &change, None).await {
            Ok(Some(row)) => {
                tx.commit().await?;
                row.into_application()
            }
            Ok(None) => tx.fail(moved()).await,
            Err(e) => tx.fail(e).await,
        }
    }

    async fn approve_application(
        &self,
        change: ApplicationChange<'_>,
        limits: &ApprovalLimits,
    ) -> StoreResult<Result<Application, ApprovalRefusal>> {
        let mut tx = self.begin().await?;
        let answer = approve_in(self, &mut tx, &change, limits).await;
        match answer {
            Ok(Ok(row)) => {
                tx.commit().await?;
                Ok(Ok(row.into_application()?))
            }
            Ok(Err(refusal)) => {
                tx.rollback().await?;
                Ok(Err(refusal))
            }
            Err(e) => tx.fail(e).await,
        }
    }

    async fn settle_application(
        &self,
        change: ApplicationChange<'_>,
        hold: TransferId,
        paid: Money,
    ) -> StoreResult<Result<Application, LedgerError>> {
        use crate::ledger::execute_in;
        let mut tx = self.begin().await?;
        let command = if paid.cents() > 0 {
            Command::Post {
                hold,
                amount: paid,
                memo: format!("Afgerond volgens bewijs: aanvraag {}", change.id),
            }
        } else {
            Command::Void {
                hold,
                memo: format!("Niemand afgerond: aanvraag {}", change.id),
            }
        };
        let key = format!("call-settle:{}", change.id);
        match execute_in(self, &mut tx, &key, &command, change.at).await {
            Ok(Ok(_)) => {}
            Ok(Err(refused)) => {
                tx.rollback().await?;
                return Ok(Err(refused));
            }
            Err(e) => return tx.fail(e).await,
        }
        match write_change(&mut tx, &change, None).await {
            Ok(Some(row)) => {
                tx.commit().await?;
                Ok(Ok(row.into_application()?))
            }
            Ok(None) => tx.fail(moved()).await,
            Err(e) => tx.fail(e).await,
        }
    }

    async fn application_events(&self, id: i64) -> StoreResult<Vec<ApplicationEvent>> {
        self.fetch_all::<EventRow>(
            Sql::new(
                "SELECT at, step, actor_user_id, text, status FROM call_application_events \
                 WHERE application_id = $1 ORDER BY id",
            )
            .arg(id),
        )
        .await?
        .into_iter()
        .map(|r| {
            Ok(ApplicationEvent {
                at: r.at,
                step: r.step,
                by: r.actor_user_id.map(UserId::new),
                text: r.text,
                status: r
                    .status
                    .parse()
                    .map_err(|e| corrupt("application status", e))?,
            })
        })
        .collect()
    }

    async fn funded_offers(&self) -> StoreResult<Vec<(i64, OfferId)>> {
        let rows: Vec<(i64, i64)> = self
            .fetch_all(Sql::new(
                "SELECT DISTINCT p.call_id, p.offer_id FROM call_places p \
                 JOIN call_applications a ON a.id = p.application_id \
                 WHERE a.status = 'approved' ORDER BY p.call_id, p.offer_id",
            ))
            .await?;
        Ok(rows
            .into_iter()
            .map(|(c, o)| (c, OfferId::new(o)))
            .collect())
    }

    async fn approved_prices(&self, call_id: i64) -> StoreResult<Vec<(i64, OfferId, Money)>> {
        let rows: Vec<(i64, i64, i64)> = self
            .fetch_all(
                Sql::new(
                    "SELECT application_id, offer_id, offer_price_cents FROM call_places \
                     WHERE call_id = $1 ORDER BY application_id, offer_id",
                )
                .arg(call_id),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(a, o, p)| (a, OfferId::new(o), Money::from_cents(p)))
            .collect())
    }

    async fn approved_places(&self, call_id: i64) -> StoreResult<Vec<(OfferId, i32, u32)>> {
        let rows: Vec<(i64, i64, i64)> = self
            .fetch_all(
                Sql::new(
                    "SELECT offer_id, year, CAST(SUM(places) AS BIGINT) FROM call_places \
                     WHERE call_id = $1 GROUP BY offer_id, year ORDER BY offer_id, year",
                )
                .arg(call_id),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(o, y, p)| {
                (
                    OfferId::new(o),
                    i32::try_from(y).unwrap_or(0),
                    u32::try_from(p).unwrap_or(u32::MAX),
                )
            })
            .collect())
    }

    async fn score_application(
        &self,
        application_id: i64,
        reviewer: UserId,
        scores: &[u8],
        at: UnixTime,
    ) -> StoreResult<()> {
        let json = serde_json::to_string(scores)
            .map_err(|e| StoreError::Backend(format!("encoding scores: {e}")))?;
        self.execute(
            Sql::new(
                "INSERT INTO call_scores (application_id, reviewer_id, scores, at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (application_id, reviewer_id) DO UPDATE SET scores = excluded.scores, at = excluded.at",
            )
            .arg(application_id)
            .arg(reviewer)
            .arg(json)
            .arg(at),
        )
        .await
        .map(drop)
    }

    async fn scores_of_call(&self, call_id: i64) -> StoreResult<Vec<(i64, Vec<u8>)>> {
        let rows: Vec<(i64, String)> = self
            .fetch_all(
                Sql::new(
                    "SELECT s.application_id, s.scores FROM call_scores s \
                     JOIN call_applications a ON a.id = s.application_id \
                     WHERE a.call_id = $1 ORDER BY s.application_id, s.reviewer_id",
                )
                .arg(call_id),
            )
            .await?;
        rows.into_iter()
            .map(|(id, json)| {
                serde_json::from_str(&json)
                    .map(|scores| (id, scores))
                    .map_err(|e| StoreError::Backend(format!("scores of application {id}: {e}")))
            })
            .collect()
    }
}

/// The approval's checks and writes inside the caller's transaction.
async fn approve_in(
    store: &SqlStore,
    tx: &mut Tx,
    c: &ApplicationChange<'_>,
    limits: &ApprovalLimits,
) -> StoreResult<Result<Row, ApprovalRefusal>> {
    use crate::ledger::{execute_in, open_in};
    let Some(app) = tx
        .exec()
        .fetch_optional::<Row>(
            Sql::new(format!(
                "SELECT {COLUMNS} FROM call_applications WHERE id = $1"
            ))
            .arg(c.id),
        )
        .await?
    else {
        return Err(StoreError::Refused("there is no such application".into()));
    };
    // The call's row: approvals of one call take turns from here on.
    tx.exec()
        .execute(Sql::new("UPDATE calls SET version = version + 1 WHERE id = $1").arg(app.call_id))
        .await?;
    let app = app.into_application()?;
    if app.version != c.expected_version {
        return Err(moved());
    }
    // Places per course and year under the cap.
    for line in &app.lines {
        let year = i64::from(line.starts_on.year());
        let (taken,): (i64,) = tx
            .exec()
            .fetch_one(
                Sql::new(
                    "SELECT CAST(COALESCE(SUM(places), 0) AS BIGINT) FROM call_places \
                     WHERE call_id = $1 AND offer_id = $2 AND year = $3",
                )
                .arg(app.call_id)
                .arg(line.offer)
                .arg(year),
            )
            .await?;
        let cap = i64::from(limits.max_places_per_course_per_year);
        if taken + i64::from(line.places) > cap {
            return Ok(Err(ApprovalRefusal::CourseCap {
                offer: line.offer,
                left: u32::try_from((cap - taken).max(0)).unwrap_or(0),
            }));
        }
    }
    // Each level's share of the budget.
    for (level, cap) in &limits.level_caps {
        let asked: i64 = app
            .lines
            .iter()
            .filter(|l| {
                limits
                    .levels
                    .iter()
                    .any(|(o, lv)| *o == l.offer && *lv == Some(*level))
            })
            .filter_map(|l| l.amount().map(|m| m.cents()))
            .sum();
        if asked == 0 {
            continue;
        }
        let (given,): (i64,) = tx
            .exec()
            .fetch_one(
                Sql::new(
                    "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM call_places \
                     WHERE call_id = $1 AND level = $2",
                )
                .arg(app.call_id)
                .arg(level.as_str()),
            )
            .await?;
        if given + asked > cap.cents() {
            return Ok(Err(ApprovalRefusal::LevelShare {
                level: *level,
                left: Money::from_cents((cap.cents() - given).max(0)),
            }));
        }
    }
    // The money: the call's budget account, topped up to the budget once, holds it for the
    // provider; the ledger's own rule (no budget below zero) keeps approvals within it.
    let budget = open_in(
        tx,
        AccountKind::Scheme,
        &format!("call:{}", app.call_id),
        &format!("Budget van oproep {}", app.call_id),
        c.at,
    )
    .await?;
    let source = open_in(
        tx,
        AccountKind::Funding,
        &format!("funding:call-{}", app.call_id),
        &format!("Geldbron van oproep {}", app.call_id),
        c.at,
    )
    .await?;
    let funded = format!("call-budget:{}", app.call_id);
    let known: Option<(String,)> = tx
        .exec()
        .fetch_optional(
            Sql::new("SELECT idem_key FROM ledger_keys WHERE idem_key = $1").arg(funded.as_str()),
        )
        .await?;
    if known.is_none() {
        let deposit = Command::Transfer {
            from: source.id,
            to: budget.id,
            amount: limits.budget,
            memo: format!("Budget van oproep {}", app.call_id),
        };
        if let Err(e) = execute_in(store, tx, &funded, &deposit, c.at).await? {
            return Err(StoreError::Backend(e.to_string()));
        }
    }
    let provider = open_in(
        tx,
        AccountKind::Provider,
        &format!("provider:{}", app.provider),
        &format!("Aanbieder {}", app.provider),
        c.at,
    )
    .await?;
    let hold = Command::Hold {
        from: budget.id,
        to: provider.id,
        amount: app.amount,
        expires_at: limits.hold_expires_at,
        memo: format!("Toegekend: aanvraag {}", app.reference()),
    };
    let key = format!("call-approval:{}", app.id);
    let held = match execute_in(store, tx, &key, &hold, c.at).await? {
        Ok(t) => t,
        Err(LedgerError::Insufficient { available, .. }) => {
            return Ok(Err(ApprovalRefusal::Budget {
                left: available,
                asked: app.amount,
            }));
        }
        Err(e) => return Err(StoreError::Backend(e.to_string())),
    };
    for line in &app.lines {
        let level = limits
            .levels
            .iter()
            .find(|(o, _)| *o == line.offer)
            .and_then(|(_, l)| *l);
        tx.exec()
            .execute(
                Sql::new(
                    "INSERT INTO call_places (application_id, call_id, offer_id, year, places, \
                     amount_cents, level, offer_price_cents) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .arg(app.id)
                .arg(app.call_id)
                .arg(line.offer)
                .arg(i64::from(line.starts_on.year()))
                .arg(i64::from(line.places))
                .arg(line.amount().map_or(0, |m| m.cents()))
                .arg(level.map(|l| l.as_str()))
                .arg(
                    limits
                        .prices
                        .iter()
                        .find(|(o, _)| *o == line.offer)
                        .map_or(0, |(_, p)| p.cents()),
                ),
            )
            .await?;
    }
    match write_change(tx, c, Some(held.id)).await? {
        Some(row) => Ok(Ok(row)),
        None => Err(moved()),
    }
}
