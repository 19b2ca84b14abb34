//! Employers' companies and staff exchanges on SQLite and PostgreSQL.

use crate::db::{Sql, SqlStore};
use async_trait::async_trait;
use leerpad_domain::UnixTime;
use leerpad_domain::employers::ports::{EmployerStore, StoredExchange};
use leerpad_domain::employers::{Company, Exchange};
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::UserId;

fn json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(format!("encoding: {e}")))
}

fn read<T: serde::de::DeserializeOwned>(what: &str, id: i64, text: &str) -> StoreResult<T> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Backend(format!("{what} {id}: stored content unreadable: {e}")))
}

#[async_trait]
impl EmployerStore for SqlStore {
    async fn save_company(
        &self,
        user: UserId,
        company: &Company,
        at: UnixTime,
    ) -> StoreResult<i64> {
        let mut tx = self.begin().await?;
        tx.lock_keys(&[&format!("kvk:{}", company.kvk)]).await?;
        let taken: Option<(i64, i64)> = tx
            .exec()
            .fetch_optional(
                Sql::new("SELECT id, owner_id FROM companies WHERE kvk = $1")
                    .arg(company.kvk.as_str()),
            )
            .await?;
        if let Some((_, owner)) = taken
            && owner != user.get()
        {
            return tx
                .fail(StoreError::Conflict(format!(
                    "KvK {} is kept by another employer account",
                    company.kvk
                )))
                .await;
        }
        let content = json(company)?;
        let (id,): (i64,) = tx
            .exec()
            .fetch_one(
                Sql::new(
                    "INSERT INTO companies (owner_id, kvk, name, content, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $5) \
                     ON CONFLICT (owner_id) DO UPDATE SET kvk = excluded.kvk, name = excluded.name, \
                     content = excluded.content, updated_at = excluded.updated_at RETURNING id",
                )
                .arg(user)
                .arg(company.kvk.as_str())
                .arg(company.name.as_str())
                .arg(content)
                .arg(at),
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn company_of(&self, user: UserId) -> StoreResult<Option<(i64, Company)>> {
        let row: Option<(i64, String)> = self
            .fetch_optional(
                Sql::new("SELECT id, content FROM companies WHERE owner_id = $1").arg(user),
            )
            .await?;
        row.map(|(id, c)| read("company", id, &c).map(|company| (id, company)))
            .transpose()
    }

    async fn add_exchange(
        &self,
        company_id: i64,
        exchange: &Exchange,
        at: UnixTime,
    ) -> StoreResult<i64> {
        let (id,): (i64,) = self
            .fetch_one(
                Sql::new(
                    "INSERT INTO exchanges (company_id, kind, content, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .arg(company_id)
                .arg(exchange.kind.as_str())
                .arg(json(exchange)?)
                .arg(at),
            )
            .await?;
        Ok(id)
    }

    async fn exchanges(&self) -> StoreResult<Vec<StoredExchange>> {
        let rows: Vec<(i64, i64, String, String)> = self
            .fetch_all(Sql::new(
                "SELECT e.id, e.company_id, c.name, e.content FROM exchanges e \
                 JOIN companies c ON c.id = e.company_id WHERE e.status = 'open' \
                 ORDER BY e.created_at DESC, e.id DESC LIMIT 2000",
            ))
            .await?;
        rows.into_iter()
            .map(|(id, company_id, company, content)| {
                Ok(StoredExchange {
                    id,
                    company_id,
                    company,
                    exchange: read("exchange", id, &content)?,
                })
            })
            .collect()
    }
}
