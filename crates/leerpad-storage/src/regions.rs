//! Regional initiatives, the dashboard's rows and the learning-culture answers on SQLite and
//! PostgreSQL.

use crate::db::{Sql, SqlStore};
use async_trait::async_trait;
use leerpad_domain::UnixTime;
use leerpad_domain::financing::SchemeDefinition;
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::regions::Initiative;
use leerpad_domain::regions::culture::{Audience, CultureAnswer};
use leerpad_domain::regions::dashboard::{SchemeBudget, SchemePayment};
use leerpad_domain::regions::ports::CultureStore;
use leerpad_domain::regions::ports::{InitiativeQuery, InitiativeStore, StoredInitiative};
use leerpad_domain::shared::{UserId, fold};

fn decode(id: i64, content: &str) -> StoreResult<StoredInitiative> {
    serde_json::from_str(content)
        .map(|initiative| StoredInitiative { id, initiative })
        .map_err(|e| {
            StoreError::Backend(format!("initiative {id}: stored content unreadable: {e}"))
        })
}

/// What a text search looks in: title, summary, sector and partners, folded.
fn search_text(i: &Initiative) -> String {
    let partners: Vec<&str> = i.partners.iter().map(|p| p.name.as_str()).collect();
    fold(&format!(
        "{} {} {} {}",
        i.title,
        i.summary,
        i.sector,
        partners.join(" ")
    ))
}

#[async_trait]
impl InitiativeStore for SqlStore {
    async fn add_initiatives(
        &self,
        items: &[Initiative],
        by: Option<UserId>,
        at: UnixTime,
    ) -> StoreResult<Vec<i64>> {
        let mut tx = self.begin().await?;
        let mut ids = Vec::with_capacity(items.len());
        for i in items {
            let content = serde_json::to_string(i)
                .map_err(|e| StoreError::Backend(format!("encoding an initiative: {e}")))?;
            let (id,): (i64,) = tx
                .exec()
                .fetch_one(
                    Sql::new(
                        "INSERT INTO initiatives (region, sector, title, search, parel, content, created_by, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    )
                    .arg(i.region.as_str())
                    .arg(fold(&i.sector))
                    .arg(i.title.as_str())
                    .arg(search_text(i))
                    .arg(i64::from(i.parel))
                    .arg(content)
                    .arg(by)
                    .arg(at),
                )
                .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    async fn initiative(&self, id: i64) -> StoreResult<Option<StoredInitiative>> {
        let row: Option<(i64, String)> = self
            .fetch_optional(Sql::new("SELECT id, content FROM initiatives WHERE id = $1").arg(id))
            .await?;
        row.map(|(id, c)| decode(id, &c)).transpose()
    }

    async fn initiatives(&self, q: &InitiativeQuery) -> StoreResult<Vec<StoredInitiative>> {
        let mut conditions = Vec::new();
        let mut sql_args: Vec<String> = Vec::new();
        if !q.regions.is_empty() {
            let start = sql_args.len() + 1;
            let list: Vec<String> = (0..q.regions.len())
                .map(|i| format!("${}", start + i))
                .collect();
            conditions.push(format!("region IN ({})", list.join(", ")));
            sql_args.extend(q.regions.iter().cloned());
        }
        if let Some(sector) = &q.sector {
            sql_args.push(fold(sector));
            conditions.push(format!("sector = ${}", sql_args.len()));
        }
        if q.parel_only {
            conditions.push("parel = 1".into());
        }
        if let Some(text) = &q.text {
            for word in fold(text).split_whitespace().take(8) {
                sql_args.push(format!("%{}%", word.replace(['%', '_'], "")));
                conditions.push(format!("search LIKE ${}", sql_args.len()));
            }
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let mut sql = Sql::new(format!(
            "SELECT id, content FROM initiatives {filter} \
             ORDER BY parel DESC, created_at DESC, id DESC LIMIT ${}",
            sql_args.len() + 1
        ));
        for a in sql_args {
            sql = sql.arg(a);
        }
        let rows: Vec<(i64, String)> = self.fetch_all(sql.arg(i64::from(q.limit))).await?;
        rows.iter().map(|(id, c)| decode(*id, c)).collect()
    }

    async fn initiatives_per_region(&self) -> StoreResult<Vec<(String, u32)>> {
        let rows: Vec<(String, i64)> = self
            .fetch_all(Sql::new(
                "SELECT region, COUNT(*) FROM initiatives GROUP BY region ORDER BY region",
            ))
            .await?;
        Ok(rows
            .into_iter()
            .map(|(r, n)| (r, u32::try_from(n).unwrap_or(u32::MAX)))
            .collect())
    }
}

#[async_trait]
impl leerpad_domain::regions::ports::DashboardStore for SqlStore {
    async fn all_situations(
        &self,
    ) -> StoreResult<Vec<(UserId, leerpad_domain::financing::PersonFacts)>> {
        let rows: Vec<(i64, String)> = self
            .fetch_all(Sql::new(
                "SELECT user_id, facts FROM person_situations ORDER BY user_id",
            ))
            .await?;
        rows.into_iter()
            .map(|(id, facts)| {
                serde_json::from_str(&facts)
                    .map(|f| (UserId::new(id), f))
                    .map_err(|e| StoreError::Backend(format!("situation of {id}: {e}")))
            })
            .collect()
    }

    async fn registration_people(&self) -> StoreResult<Vec<UserId>> {
        let rows: Vec<(i64,)> = self
            .fetch_all(Sql::new(
                "SELECT user_id FROM advice_registrations WHERE status <> 'cancelled' ORDER BY id",
            ))
            .await?;
        Ok(rows.into_iter().map(|(id,)| UserId::new(id)).collect())
    }

    async fn enrolment_rows(&self) -> StoreResult<Vec<(UserId, String)>> {
        let rows: Vec<(i64, String)> = self
            .fetch_all(Sql::new(
                "SELECT learner_id, status FROM enrolments ORDER BY id",
            ))
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, status)| (UserId::new(id), status))
            .collect())
    }

    async fn scheme_budgets(&self) -> StoreResult<Vec<SchemeBudget>> {
        let rows: Vec<(String, String)> = self
            .fetch_all(Sql::new(
                "SELECT slug, definition FROM schemes WHERE status <> 'draft' ORDER BY slug",
            ))
            .await?;
        rows.into_iter()
            .map(|(slug, definition)| {
                let d: SchemeDefinition = serde_json::from_str(&definition)
                    .map_err(|e| StoreError::Backend(format!("scheme {slug}: {e}")))?;
                Ok(SchemeBudget {
                    slug,
                    name: d.name,
                    total_cents: d.budget.total_cents.map(|m| m.cents()),
                })
            })
            .collect()
    }

    async fn scheme_payments(&self) -> StoreResult<Vec<SchemePayment>> {
        // Scheme accounts are keyed `scheme:{id}`, learners' `learner:{id}`. A hold counts
        // once: promised while pending, paid once posted (its posting is not counted again).
        let rows: Vec<(String, String, i64, String, Option<String>)> = self
            .fetch_all(Sql::new(
                "SELECT s.slug, t.account_key, tr.amount, tr.kind, tr.state \
                 FROM ledger_transfers tr \
                 JOIN ledger_accounts f ON f.id = tr.from_account \
                 JOIN ledger_accounts t ON t.id = tr.to_account \
                 JOIN schemes s ON f.account_key = 'scheme:' || CAST(s.id AS TEXT) \
                 WHERE f.kind = 'scheme' AND (tr.kind = 'transfer' \
                   OR (tr.kind = 'hold' AND tr.state IN ('pending', 'posted'))) \
                 ORDER BY tr.id",
            ))
            .await?;
        Ok(rows
            .into_iter()
            .map(|(scheme, to, cents, kind, state)| SchemePayment {
                scheme,
                user: to
                    .strip_prefix("learner:")
                    .and_then(|id| id.parse::<i64>().ok())
                    .map(UserId::new),
                cents,
                paid: kind == "transfer" || state.as_deref() == Some("posted"),
            })
            .collect())
    }

    async fn culture_answers(&self) -> StoreResult<Vec<CultureAnswer>> {
        let rows: Vec<(String, i64, String, String, String)> = self
            .fetch_all(Sql::new(
                "SELECT audience, version, region, period, scores FROM culture_answers ORDER BY id",
            ))
            .await?;
        rows.into_iter().map(culture_row).collect()
    }
}

fn culture_row(
    (audience, version, region, period, scores): (String, i64, String, String, String),
) -> StoreResult<CultureAnswer> {
    Ok(CultureAnswer {
        audience: Audience::parse(&audience)
            .ok_or_else(|| StoreError::Backend(format!("culture answer: audience {audience}")))?,
        version: u32::try_from(version).unwrap_or(0),
        region,
        period,
        scores: serde_json::from_str(&scores)
            .map_err(|e| StoreError::Backend(format!("culture answer scores: {e}")))?,
    })
}

#[async_trait]
impl CultureStore for SqlStore {
    async fn save_culture_answer(
        &self,
        user: Option<UserId>,
        a: &CultureAnswer,
        at: UnixTime,
    ) -> StoreResult<()> {
        let scores = serde_json::to_string(&a.scores)
            .map_err(|e| StoreError::Backend(format!("encoding culture scores: {e}")))?;
        let mut tx = self.begin().await?;
        if let Some(user) = user {
            tx.exec()
                .execute(
                    Sql::new(
                        "DELETE FROM culture_answers WHERE user_id = $1 AND audience = $2 AND period = $3",
                    )
                    .arg(user)
                    .arg(a.audience.as_str())
                    .arg(a.period.as_str()),
                )
                .await?;
        }
        tx.exec()
            .execute(
                Sql::new(
                    "INSERT INTO culture_answers (user_id, audience, version, region, period, scores, example, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .arg(user)
                .arg(a.audience.as_str())
                .arg(i64::from(a.version))
                .arg(a.region.as_str())
                .arg(a.period.as_str())
                .arg(scores)
                .arg(i64::from(user.is_none()))
                .arg(at),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn culture_answer_of(
        &self,
        user: UserId,
        audience: Audience,
        period: &str,
    ) -> StoreResult<Option<CultureAnswer>> {
        let row: Option<(String, i64, String, String, String)> = self
            .fetch_optional(
                Sql::new(
                    "SELECT audience, version, region, period, scores FROM culture_answers \
                     WHERE user_id = $1 AND audience = $2 AND period = $3",
                )
                .arg(user)
                .arg(audience.as_str())
                .arg(period),
            )
            .await?;
        row.map(culture_row).transpose()
    }
}
