//! Enrolments on SQLite and PostgreSQL: a request is counted against the learner's open ones
//! in its own transaction (under a per-learner lock), and a step is written only over the
//! version it was decided on.

use crate::db::{Sql, SqlStore, corrupt};
use async_trait::async_trait;
use leerpad_domain::enrolment::Enrolment;
use leerpad_domain::enrolment::ports::{EnrolmentChange, EnrolmentStore, NewEnrolment};
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::{
    Date, Money, OfferId, ProviderId, TransferId, UserId, iso_date_option,
};

const COLUMNS: &str = "id, learner_id, offer_id, provider_id, run, status, price_cents, starts_on, ends_on, \
     deadline, confirmed_on, hold_id, note, version, created_at";
const OPEN: &str = "('requested', 'offered', 'confirmed', 'started')";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    learner_id: i64,
    offer_id: i64,
    provider_id: i64,
    run: String,
    status: String,
    price_cents: Option<i64>,
    starts_on: Option<String>,
    ends_on: Option<String>,
    deadline: Option<String>,
    confirmed_on: Option<String>,
    hold_id: Option<i64>,
    note: Option<String>,
    version: i64,
    created_at: i64,
}

fn date(text: Option<String>) -> StoreResult<Option<Date>> {
    text.map(|t| iso_date_option::parse(&t).ok_or_else(|| corrupt("enrolment date", &t)))
        .transpose()
}

fn text(d: Option<Date>) -> Option<String> {
    d.map(iso_date_option::format)
}

impl Row {
    fn into_enrolment(self) -> StoreResult<Enrolment> {
        Ok(Enrolment {
            id: self.id,
            learner: UserId::new(self.learner_id),
            offer: OfferId::new(self.offer_id),
            provider: ProviderId::new(self.provider_id),
            run: self.run,
            status: self
                .status
                .parse()
                .map_err(|e| corrupt("enrolment status", e))?,
            price: self.price_cents.map(Money::from_cents),
            starts_on: date(self.starts_on)?,
            ends_on: date(self.ends_on)?,
            deadline: date(self.deadline)?,
            confirmed_on: date(self.confirmed_on)?,
            hold: self.hold_id.map(TransferId::new),
            note: self.note,
            version: self.version,
            created_at: self.created_at,
        })
    }
}

fn all(rows: Vec<Row>) -> StoreResult<Vec<Enrolment>> {
    rows.into_iter().map(Row::into_enrolment).collect()
}

#[async_trait]
impl EnrolmentStore for SqlStore {
    async fn request_enrolment(
        &self,
        new: NewEnrolment<'_>,
        max_open: usize,
    ) -> StoreResult<Enrolment> {
        let mut tx = self.begin().await?;
        tx.lock_keys(&[&format!("enrolments-of:{}", new.learner)])
            .await?;
        let (open, same_run): (i64, i64) = tx
            .exec()
            .fetch_one(
                Sql::new(format!(
                    "SELECT CAST(COUNT(*) AS BIGINT), \
                     CAST(COALESCE(SUM(CASE WHEN offer_id = $2 AND run = $3 THEN 1 ELSE 0 END), 0) AS BIGINT) \
                     FROM enrolments WHERE learner_id = $1 AND status IN {OPEN}"
                ))
                .arg(new.learner)
                .arg(new.offer)
                .arg(new.run),
            )
            .await?;
        if same_run > 0 {
            return tx
                .fail(StoreError::Refused(
                    "you already have an open enrolment for this run".into(),
                ))
                .await;
        }
        if usize::try_from(open).unwrap_or(usize::MAX) >= max_open {
            return tx
                .fail(StoreError::Refused(format!(
                    "you have {open} open enrolments; at most {max_open} at a time"
                )))
                .await;
        }
        let row: Row = tx
            .exec()
            .fetch_one(
                Sql::new(format!(
                    "INSERT INTO enrolments (learner_id, offer_id, provider_id, run, status, \
                     deadline, version, created_at, changed_at) \
                     VALUES ($1, $2, $3, $4, 'requested', $5, 1, $6, $6) RETURNING {COLUMNS}"
                ))
                .arg(new.learner)
                .arg(new.offer)
                .arg(new.provider)
                .arg(new.run)
                .arg(text(Some(new.deadline)))
                .arg(new.at),
            )
            .await?;
        tx.commit().await?;
        row.into_enrolment()
    }

    async fn enrolment(&self, id: i64) -> StoreResult<Option<Enrolment>> {
        self.fetch_optional::<Row>(
            Sql::new(format!("SELECT {COLUMNS} FROM enrolments WHERE id = $1")).arg(id),
        )
        .await?
        .map(Row::into_enrolment)
        .transpose()
    }

    async fn enrolments_of_learner(&self, learner: UserId) -> StoreResult<Vec<Enrolment>> {
        all(self
            .fetch_all(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM enrolments WHERE learner_id = $1 ORDER BY id DESC"
                ))
                .arg(learner),
            )
            .await?)
    }

    async fn enrolments_of_provider(&self, provider: ProviderId) -> StoreResult<Vec<Enrolment>> {
        all(self
            .fetch_all(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM enrolments WHERE provider_id = $1 ORDER BY id DESC"
                ))
                .arg(provider),
            )
            .await?)
    }

    async fn change_enrolment(&self, c: EnrolmentChange<'_>) -> StoreResult<bool> {
        let n = self
            .execute(
                Sql::new(
                    "UPDATE enrolments SET status = $1, deadline = $2, price_cents = $3, \
                     starts_on = $4, ends_on = $5, confirmed_on = $6, hold_id = $7, note = $8, \
                     version = version + 1, changed_at = $9 WHERE id = $10 AND version = $11",
                )
                .arg(c.status.as_str())
                .arg(text(c.deadline))
                .arg(c.price)
                .arg(text(c.starts_on))
                .arg(text(c.ends_on))
                .arg(text(c.confirmed_on))
                .arg(c.hold)
                .arg(c.note)
                .arg(c.at)
                .arg(c.id)
                .arg(c.version),
            )
            .await?;
        Ok(n == 1)
    }

    async fn enrolments_past_deadline(
        &self,
        today: Date,
        limit: u32,
    ) -> StoreResult<Vec<Enrolment>> {
        all(self
            .fetch_all(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM enrolments WHERE deadline < $1 AND status IN {OPEN} \
                     ORDER BY deadline, id LIMIT $2"
                ))
                .arg(text(Some(today)))
                .arg(i64::from(limit)),
            )
            .await?)
    }
}
