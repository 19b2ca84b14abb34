//! Employers' companies and staff exchanges on SQLite and PostgreSQL.

use crate::db::{Sql, SqlStore};
use async_trait::async_trait;
use leerpad_domain::UnixTime;
use leerpad_domain::employers::ports::{AgreeingSide, EmployerStore, StoredExchange};
use leerpad_domain::employers::{Company, Exchange, Proposal};
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::UserId;

type ProposalRow = (i64, i64, i64, i64, i64, Option<String>, i64);

const PROPOSAL_COLUMNS: &str =
    "id, ask_id, offer_id, asking_ok, offering_ok, employee_email, employee_ok";

fn proposal((id, ask, offer, asking, offering, employee_email, employee): ProposalRow) -> Proposal {
    Proposal {
        id,
        ask,
        offer,
        asking_ok: asking != 0,
        offering_ok: offering != 0,
        employee_email,
        employee_ok: employee != 0,
    }
}

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

    async fn exchange(&self, id: i64) -> StoreResult<Option<StoredExchange>> {
        let row: Option<(i64, i64, String, String)> = self
            .fetch_optional(
                Sql::new(
                    "SELECT e.id, e.company_id, c.name, e.content FROM exchanges e \
                     JOIN companies c ON c.id = e.company_id WHERE e.id = $1",
                )
                .arg(id),
            )
            .await?;
        row.map(|(id, company_id, company, content)| {
            Ok(StoredExchange {
                id,
                company_id,
                company,
                exchange: read("exchange", id, &content)?,
            })
        })
        .transpose()
    }

    async fn propose(
        &self,
        ask: i64,
        offer: i64,
        by_asker: bool,
        at: UnixTime,
    ) -> StoreResult<i64> {
        let (id,): (i64,) = self
            .fetch_one(
                Sql::new(
                    "INSERT INTO exchange_proposals (ask_id, offer_id, asking_ok, offering_ok, employee_ok, created_at, changed_at) \
                     VALUES ($1, $2, $3, $4, 0, $5, $5) \
                     ON CONFLICT (ask_id, offer_id) DO UPDATE SET \
                     asking_ok = CASE WHEN excluded.asking_ok = 1 THEN 1 ELSE exchange_proposals.asking_ok END, \
                     offering_ok = CASE WHEN excluded.offering_ok = 1 THEN 1 ELSE exchange_proposals.offering_ok END, \
                     changed_at = excluded.changed_at RETURNING id",
                )
                .arg(ask)
                .arg(offer)
                .arg(i64::from(by_asker))
                .arg(i64::from(!by_asker))
                .arg(at),
            )
            .await?;
        Ok(id)
    }

    async fn proposal(&self, id: i64) -> StoreResult<Option<Proposal>> {
        let row: Option<ProposalRow> = self
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {PROPOSAL_COLUMNS} FROM exchange_proposals WHERE id = $1"
                ))
                .arg(id),
            )
            .await?;
        Ok(row.map(proposal))
    }

    async fn proposals_of_company(&self, company_id: i64) -> StoreResult<Vec<Proposal>> {
        let rows: Vec<ProposalRow> = self
            .fetch_all(
                Sql::new(format!(
                    "SELECT {PROPOSAL_COLUMNS} FROM exchange_proposals WHERE ask_id IN \
                     (SELECT id FROM exchanges WHERE company_id = $1) OR offer_id IN \
                     (SELECT id FROM exchanges WHERE company_id = $1) ORDER BY id DESC"
                ))
                .arg(company_id),
            )
            .await?;
        Ok(rows.into_iter().map(proposal).collect())
    }

    async fn proposals_of_employee(&self, email: &str) -> StoreResult<Vec<Proposal>> {
        let rows: Vec<ProposalRow> = self
            .fetch_all(
                Sql::new(format!(
                    "SELECT {PROPOSAL_COLUMNS} FROM exchange_proposals WHERE employee_email = $1 ORDER BY id DESC"
                ))
                .arg(email.to_lowercase()),
            )
            .await?;
        Ok(rows.into_iter().map(proposal).collect())
    }

    async fn agree(&self, id: i64, side: AgreeingSide<'_>, at: UnixTime) -> StoreResult<bool> {
        let sql = match side {
            AgreeingSide::Asker => Sql::new(
                "UPDATE exchange_proposals SET asking_ok = 1, changed_at = $1 WHERE id = $2 AND asking_ok = 0",
            )
            .arg(at)
            .arg(id),
            AgreeingSide::Offerer { employee_email } => Sql::new(
                "UPDATE exchange_proposals SET offering_ok = 1, employee_email = $1, employee_ok = 0, \
                 changed_at = $2 WHERE id = $3 AND employee_ok = 0",
            )
            .arg(employee_email.to_lowercase())
            .arg(at)
            .arg(id),
            AgreeingSide::Employee { email } => Sql::new(
                "UPDATE exchange_proposals SET employee_ok = 1, changed_at = $1 \
                 WHERE id = $2 AND employee_email = $3 AND asking_ok = 1 AND offering_ok = 1 AND employee_ok = 0",
            )
            .arg(at)
            .arg(id)
            .arg(email.to_lowercase()),
        };
        Ok(self.execute(sql).await? > 0)
    }
}
